// `credence worker`: the ingest worker. Pulls record batches from the JetStream partitions it
// owns and applies them through the ingest use case, acknowledging after each durable commit.
// Stateless: stop it (SIGTERM/SIGINT finishes the batch in hand) or kill it at any time; a
// restarted worker picks up where the acknowledged ones ended. Run one worker per disjoint
// partition set (why: src/adapters/nats/nats-worker.ts).
import { NatsIngestBus } from '../../../adapters/nats/nats-ingest-bus.ts';
import { BATCH_MESSAGES_MAX, DEFAULT_ACK_WAIT_MS, parsePartitionSet, runWorker } from '../../../adapters/nats/nats-worker.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { guard, parse, UsageError, withCredence } from '../common.ts';

export const workerCommand: CliCommand = {
  name: 'worker',
  help: `usage: credence worker [--partitions SET] [--batch N] [--ack-wait-ms MS] [--progress]

Consumes the ingest stream (CREDENCE_NATS_STREAM, default CREDENCE_INGEST) at
CREDENCE_NATS_URL, which holds CREDENCE_PARTITIONS partitions (default 4), and applies the
records to the store (CREDENCE_DATABASE_URL for PostgreSQL, else the SQLite file). Each
partition must be owned by one worker at a time: give workers disjoint sets.

--partitions SET   partitions to own, e.g. 0-3 or 0,2,5-7 (default: all)
--batch N          messages per fetch and per ingest call, 1..${BATCH_MESSAGES_MAX} (default 10;
                   a message holds up to 1000 records)
--ack-wait-ms MS   redelivery timeout of unacknowledged messages (default ${DEFAULT_ACK_WAIT_MS})
--progress         print one JSON line per applied batch on stdout

Stops on SIGTERM or SIGINT after the batch in hand, printing totals.

exit codes: 0 stopped; 2 usage or configuration; 3 store not initialised; 70 store or bus failure`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values } = parse(argv, { partitions: { type: 'string' }, batch: { type: 'string' }, 'ack-wait-ms': { type: 'string' }, progress: { type: 'boolean' } }, false);
      const url = ctx.config.natsUrl;
      if (!url) throw new UsageError('the worker needs CREDENCE_NATS_URL (e.g. nats://127.0.0.1:4222)');
      const n = ctx.config.partitions;
      let partitions: number[];
      try {
        partitions = parsePartitionSet(values.partitions ?? `0-${n - 1}`, n);
      } catch (err) {
        throw new UsageError(`--partitions: ${(err as Error).message}`);
      }
      const batchMax = Number(values.batch ?? 10);
      if (!Number.isInteger(batchMax) || batchMax < 1 || batchMax > BATCH_MESSAGES_MAX) throw new UsageError(`--batch is a whole number from 1 to ${BATCH_MESSAGES_MAX}`);
      const ackWaitMs = Number(values['ack-wait-ms'] ?? DEFAULT_ACK_WAIT_MS);
      if (!Number.isInteger(ackWaitMs) || ackWaitMs < 500 || ackWaitMs > 3_600_000) throw new UsageError('--ack-wait-ms is a whole number from 500 to 3600000');
      return withCredence(ctx, async (c) => {
        const bus = await NatsIngestBus.connect({ url, partitions: n, stream: ctx.config.natsStream });
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGTERM', onSignal);
        process.once('SIGINT', onSignal);
        try {
          ctx.io.err(`worker: partitions ${partitions.join(',')} of ${n} on ${bus.stream}, batches of up to ${batchMax} message(s)`);
          const totals = await runWorker({
            credence: c,
            bus,
            partitions,
            batchMax,
            ackWaitMs,
            signal: stop.signal,
            log: (line) => ctx.io.err(`worker: ${line}`),
            onBatch: values.progress ? (e) => ctx.io.out(JSON.stringify(e)) : undefined,
          });
          ctx.io.err(`worker stopped: ${totals.batches} batches, ${totals.records} records (${totals.accepted} accepted, ${totals.duplicates} duplicates, ${totals.rejected} rejected), ${totals.failures} failed attempts`);
          return EXIT.OK;
        } finally {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          await bus.close();
        }
      });
    }),
};
