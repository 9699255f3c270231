// The ingest worker: pulls bounded batches from the durable consumer of each partition it
// owns, applies them through the ingest use case, and acknowledges only after the store
// committed. Delivery is at-least-once; a record delivered twice is dropped by ingest as a
// duplicate (key source/sourceRecordId, unique in the store), so each is applied exactly once.
//
// Why each subject's records are applied in publish order:
//  1. All records about a subject go to one partition (nats-ingest-bus.ts, partitionOf), and
//     JetStream keeps a partition's messages in publish order.
//  2. A partition is consumed by one worker at a time: partitions are assigned to workers as
//     disjoint sets (`credence worker --partitions 0-3`, another worker 4-7, ...), and each
//     partition has exactly one durable pull consumer. A worker consumes a partition only
//     while it holds the partition's lease (a JetStream KV key, created only if absent,
//     refreshed every ttl/3, expiring ttl after the last refresh), so a misconfigured second
//     worker on the same partition waits instead of interleaving. Inside a worker, a
//     partition's loop is sequential: fetch a batch, ingest it (in message order), ack, only
//     then fetch again.
//  3. max_ack_pending = batchMax: the server never has more than one batch of a partition in
//     flight, and redeliveries are served before new messages. A batch that fails to ingest is
//     nak'ed as a whole and comes back first, in order.
//  4. A worker that died (SIGKILL) leaves its last batch unacknowledged. Its successor must not
//     fetch newer messages before that batch comes back (it would if the dead batch was smaller
//     than max_ack_pending), so on start, when the consumer shows unacknowledged messages, it
//     waits one ack_wait (+ margin) before its first fetch: by then the server has queued them
//     for redelivery ahead of anything new.
// Long ingests send `working` (in-progress acks) every ack_wait/3, so a slow commit is not
// redelivered under the worker's feet.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JsMsg, KV } from 'nats';
import type { RecordInput } from '../../domain/types.ts';
import { decodeIngestMessage, durableName, type NatsIngestBus } from './nats-ingest-bus.ts';

/** The part of the ingest use case (app/credence.ts Credence.ingest) the worker needs. */
export interface IngestUseCase {
  ingest(raw: unknown[], actor: string): Promise<{ accepted: number; duplicates: number; rejected: number; results: ({ status: string; code?: string; message?: string } & { index: number })[] }>;
}

export interface WorkerOptions {
  credence: IngestUseCase;
  bus: NatsIngestBus;
  partitions: number[];
  /** Messages per fetch (each up to RECORDS_PER_MESSAGE_MAX records); also max_ack_pending. */
  batchMax: number;
  signal: AbortSignal;
  /** How long the server waits for an ack before redelivering (default 30 s). */
  ackWaitMs?: number;
  /** Called after each applied batch (progress, tests). */
  onBatch?: (e: BatchEvent) => void;
  log?: (line: string) => void;
}

export interface BatchEvent {
  partition: number;
  messages: number;
  records: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  redelivered: number;
}

export interface WorkerTotals {
  batches: number;
  messages: number;
  records: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failures: number;
}

export const BATCH_MESSAGES_MAX = 1000;
export const DEFAULT_ACK_WAIT_MS = 30_000;
/** How long one fetch waits for messages before the loop checks the stop signal again. */
const FETCH_EXPIRES_MS = 1000;
/** After a failed ingest (store down): nak with this delay, and pause the partition as long. */
const RETRY_DELAY_MS = 1000;
const RESTART_MARGIN_MS = 1000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Parses `0-3,6,8-9` into [0,1,2,3,6,8,9]; every number must be below `partitions`. */
export function parsePartitionSet(spec: string, partitions: number): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new RangeError(`"${part}" is not a partition number or range (e.g. 0-3,6)`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new RangeError(`range "${part}" runs backwards`);
    if (hi >= partitions) throw new RangeError(`partition ${hi} does not exist: there are ${partitions} (0-${partitions - 1})`);
    for (let p = lo; p <= hi; p++) out.add(p);
  }
  if (out.size === 0) throw new RangeError('no partitions given');
  return [...out].sort((a, b) => a - b);
}

/** Runs until `signal` aborts (finishing the batch in hand), then resolves with totals. */
export async function runWorker(o: WorkerOptions): Promise<WorkerTotals> {
  if (!Number.isInteger(o.batchMax) || o.batchMax < 1 || o.batchMax > BATCH_MESSAGES_MAX) {
    throw new RangeError(`batchMax must be 1..${BATCH_MESSAGES_MAX}, got ${o.batchMax}`);
  }
  for (const p of o.partitions) {
    if (!Number.isInteger(p) || p < 0 || p >= o.bus.partitions) throw new RangeError(`partition ${p} does not exist (0-${o.bus.partitions - 1})`);
  }
  const ackWaitMs = o.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const stopAll = new AbortController();
  const onStop = () => stopAll.abort();
  o.signal.addEventListener('abort', onStop, { once: true });
  if (o.signal.aborted) stopAll.abort();
  const signal = stopAll.signal;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const kv = await o.bus.leases(ackWaitMs);
  const leaseTtlMs = await o.bus.leaseTtlMs(kv);
  const totals: WorkerTotals = { batches: 0, messages: 0, records: 0, accepted: 0, duplicates: 0, rejected: 0, failures: 0 };
  const log = o.log ?? (() => undefined);

  const loop = async (partition: number): Promise<void> => {
    const lease = await acquireLease(kv, partition, owner, leaseTtlMs, signal, log);
    if (lease === null) return; // stopped while waiting
    try {
      await consume(partition, lease);
    } finally {
      await lease.release();
    }
  };

  const consume = async (partition: number, lease: Lease): Promise<void> => {
    const name = await o.bus.ensureConsumer(partition, { ackWaitMs, maxAckPending: o.batchMax });
    const consumer = await o.bus.js.consumers.get(o.bus.stream, name);
    const info = await consumer.info();
    if (info.num_ack_pending > 0) {
      // Point 4 above: a predecessor's batch is still out; let it come back first.
      log(`partition ${partition}: ${info.num_ack_pending} message(s) of a previous worker unacknowledged, waiting ${ackWaitMs + RESTART_MARGIN_MS} ms for their redelivery`);
      await sleep(ackWaitMs + RESTART_MARGIN_MS, signal);
    }
    while (!signal.aborted) {
      const msgs: JsMsg[] = [];
      const iter = await consumer.fetch({ max_messages: o.batchMax, expires: FETCH_EXPIRES_MS });
      for await (const m of iter) msgs.push(m);
      if (msgs.length === 0) continue;
      if (lease.lost) {
        // Stalled past the lease's TTL: another worker may own the partition now. Step back.
        for (const m of msgs) m.nak();
        log(`partition ${partition}: lease lost, no longer consuming it`);
        return;
      }
      const records: RecordInput[] = [];
      for (let i = 0; i < msgs.length; i++) {
        const m = msgs[i]!;
        let body: unknown;
        try {
          body = decodeIngestMessage(m.data);
        } catch {
          body = null;
        }
        const list = (body as { v?: unknown; records?: unknown } | null)?.records;
        if ((body as { v?: unknown } | null)?.v !== 1 || !Array.isArray(list)) {
          // Not something publishBatch wrote: never deliverable. Logged (with its start) and
          // acknowledged, which removes it from the work queue; retrying could never succeed.
          log(`partition ${partition}: message ${m.seq} is not an ingest message (format v1), dropped: ${JSON.stringify(new TextDecoder().decode(m.data.subarray(0, 200)))}`);
          await m.ackAck();
          msgs.splice(i--, 1);
          continue;
        }
        records.push(...(list as RecordInput[]));
      }
      if (msgs.length === 0) continue;
      const heartbeat = setInterval(() => msgs.forEach((m) => m.working()), Math.max(100, ackWaitMs / 3));
      let summary;
      try {
        summary = await o.credence.ingest(records, `bus:${o.bus.stream}/p${partition}`);
      } catch (err) {
        totals.failures++;
        log(`partition ${partition}: ingest failed, batch of ${msgs.length} message(s) will be redelivered: ${(err as Error).message}`);
        for (const m of msgs) m.nak(RETRY_DELAY_MS);
        await sleep(RETRY_DELAY_MS, signal);
        continue;
      } finally {
        clearInterval(heartbeat);
      }
      // Committed: now, and only now, acknowledge (and wait until the server has the acks).
      await Promise.all(msgs.map((m) => m.ackAck()));
      if (summary.rejected > 0) {
        // Rejections are permanent (validation): reported, not retried.
        const first = summary.results.find((r) => r.status === 'rejected');
        log(`partition ${partition}: ${summary.rejected} record(s) rejected, first: ${first?.code} ${first?.message}`);
      }
      totals.batches++;
      totals.messages += msgs.length;
      totals.records += records.length;
      totals.accepted += summary.accepted;
      totals.duplicates += summary.duplicates;
      totals.rejected += summary.rejected;
      o.onBatch?.({
        partition,
        messages: msgs.length,
        records: records.length,
        accepted: summary.accepted,
        duplicates: summary.duplicates,
        rejected: summary.rejected,
        redelivered: msgs.filter((m) => m.redelivered).length,
      });
    }
  };
  // One partition failing (the bus or the store gone) stops them all, leases released, and
  // the error is rethrown: the process exits and its supervisor restarts it.
  const failures = await Promise.allSettled(
    o.partitions.map((p) =>
      loop(p).catch((err: unknown) => {
        stopAll.abort();
        throw err;
      }),
    ),
  );
  o.signal.removeEventListener('abort', onStop);
  const failed = failures.find((f) => f.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return totals;
}

interface Lease {
  readonly lost: boolean;
  release(): Promise<void>;
}

const isWrongLastSequence = (err: unknown) =>
  (err as { api_error?: { err_code?: number } }).api_error?.err_code === 10071 || /wrong last sequence/i.test((err as Error).message);

/** Waits until this worker holds partition's lease (null if stopped first); keeps it refreshed. */
async function acquireLease(kv: KV, partition: number, owner: string, ttlMs: number, signal: AbortSignal, log: (line: string) => void): Promise<Lease | null> {
  const key = `p${partition}`;
  let revision = 0;
  for (let waited = false; revision === 0; ) {
    if (signal.aborted) return null;
    try {
      revision = await kv.create(key, owner);
    } catch (err) {
      if (!isWrongLastSequence(err)) throw err;
      if (!waited) {
        const holder = await kv.get(key);
        log(`partition ${partition} is owned by ${holder?.string() ?? 'another worker'}; waiting for its lease to expire or be released`);
        waited = true;
      }
      await sleep(Math.max(100, ttlMs / 4), signal);
    }
  }
  let lost = false;
  let refreshing = false;
  const timer = setInterval(async () => {
    if (refreshing || lost) return;
    refreshing = true;
    try {
      revision = await kv.update(key, owner, revision);
    } catch (err) {
      if (isWrongLastSequence(err)) lost = true;
      // any other failure (a reconnect): try again at the next tick; the TTL gives slack
    } finally {
      refreshing = false;
    }
  }, Math.max(100, ttlMs / 3));
  return {
    get lost() {
      return lost;
    },
    async release() {
      clearInterval(timer);
      while (refreshing) await new Promise((r) => setTimeout(r, 10));
      if (!lost) await kv.delete(key, { previousSeq: revision }).catch(() => undefined);
    },
  };
}

export { durableName };
