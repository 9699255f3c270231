// The ingest bus port: where the HTTP API hands validated records when ingestion runs
// through a message bus (CREDENCE_INGEST_MODE=nats) instead of writing to the store. Only
// adapters/nats knows NATS; the worker applies the records (src/adapters/nats/nats-worker.ts).
import type { RecordInput } from '../domain/types.ts';

export interface IngestBus {
  /**
   * Publishes records, resolving only after the bus has durably acknowledged every message.
   * The same idempotency key publishes the same message ids, so a retried publish is dropped
   * by the bus's duplicate window; records are also unique by (source, sourceRecordId).
   */
  publishBatch(records: RecordInput[], o: { idempotencyKey: string }): Promise<{ records: number; duplicateMessages: number }>;
  close(): Promise<void>;
}
