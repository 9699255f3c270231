// A FIFO async mutex: serialises ingest batches inside one process so that two batches
// touching the same subject never interleave their read-compute-commit steps.
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
