// The JetStream ingest bus: the only code that knows NATS subjects, the stream and its
// consumers. Records are partitioned by a hash of their subject id into N partitions
// (subject `credence.ingest.<p>` of stream CREDENCE_INGEST), so every record about one
// subject travels through one partition, in publish order.
//
// Publishing (publishBatch): the records of one call are grouped by partition, in their
// original order, and cut into chunks of at most RECORDS_PER_MESSAGE_MAX records and
// MESSAGE_BYTES_MAX bytes: one message per chunk (JetStream takes ~14k small messages/s here,
// so a message carries a batch, not a record). Each message's Nats-Msg-Id is
// `<idempotencyKey>:<partition>:<chunk>`, so a publisher that retries the same call with the
// same key inside the stream's duplicate window (DUPLICATE_WINDOW_MS) is deduplicated by the
// server; after the window, duplicates are still dropped by the store (record key
// source/sourceRecordId). publishBatch resolves only when JetStream acknowledged (stored)
// every message.
//
// The stream is a work queue (a message is removed once acknowledged) with a bounded size;
// when it is full, publishing fails (DiscardPolicy.New) rather than dropping old records.
import { createHash } from 'node:crypto';
import {
  AckPolicy,
  connect,
  DiscardPolicy,
  JSONCodec,
  nanos,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type KV,
  type NatsConnection,
} from 'nats';
import type { RecordInput } from '../../domain/types.ts';

export const DEFAULT_STREAM = 'CREDENCE_INGEST';
/** Server-side deduplication window by Nats-Msg-Id (the default is also 2 min). */
export const DUPLICATE_WINDOW_MS = 2 * 60_000;
export const RECORDS_PER_MESSAGE_MAX = 1000;
/** Below the server's default max_payload (1 MiB), with room for headers. */
export const MESSAGE_BYTES_MAX = 512 * 1024;
/** Records in one publishBatch call. */
export const RECORDS_PER_PUBLISH_MAX = 100_000;
/** Stream bounds: at most this many bytes / messages waiting; beyond, publishes fail. */
export const STREAM_BYTES_MAX = 4 * 1024 ** 3;
export const STREAM_MESSAGES_MAX = 10_000_000;
export const IDEMPOTENCY_KEY_LENGTH_MAX = 200;
/** Publishes awaiting their JetStream ack at once, per publishBatch call. */
const PUBLISHES_IN_FLIGHT_MAX = 64;

export interface IngestMessage {
  /** Format version. */
  v: 1;
  key: string;
  partition: number;
  chunk: number;
  records: RecordInput[];
}

export interface PublishResult {
  messages: number;
  records: number;
  /** Messages the server had already stored under the same Nats-Msg-Id (a retried publish). */
  duplicateMessages: number;
}

export interface BusOptions {
  url: string;
  partitions: number;
  /** Stream name; tests use a random one. Default CREDENCE_INGEST. */
  stream?: string;
}

/** FNV-1a 32-bit over the UTF-8 bytes of the subject id: stable across processes and versions. */
export function partitionOf(subject: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(subject, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}

/** Subject prefix of a stream: `credence.ingest` for the default stream, its own otherwise. */
export function subjectPrefix(stream: string): string {
  return stream === DEFAULT_STREAM ? 'credence.ingest' : `credence.ingest.${stream}`;
}

export function durableName(partition: number): string {
  return `credence-ingest-p${partition}`;
}

const codec = JSONCodec<IngestMessage>();

export class NatsIngestBus {
  readonly stream: string;
  readonly prefix: string;

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly partitions: number,
    stream: string,
  ) {
    this.stream = stream;
    this.prefix = subjectPrefix(stream);
  }

  /** Connects and creates the stream if missing; refuses a stream made for another partition count. */
  static async connect(o: BusOptions): Promise<NatsIngestBus> {
    if (!Number.isInteger(o.partitions) || o.partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${o.partitions}`);
    const stream = o.stream ?? DEFAULT_STREAM;
    const nc = await connect({ servers: o.url, name: 'credence', maxReconnectAttempts: -1 });
    try {
      const jsm = await nc.jetstreamManager();
      const bus = new NatsIngestBus(nc, nc.jetstream(), jsm, o.partitions, stream);
      await bus.ensureStream();
      return bus;
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  subjectOf(partition: number): string {
    return `${this.prefix}.${partition}`;
  }

  private async ensureStream(): Promise<void> {
    // nats-server 2.9 has no stream metadata: the partition count is kept in the description.
    const description = `credence ingest, partitions=${this.partitions}`;
    try {
      const info = await this.jsm.streams.info(this.stream);
      if (info.config.description !== description) {
        throw new Error(
          `stream ${this.stream} was created as "${info.config.description}", but this process has partitions=${this.partitions}: the partition count of a stream is fixed`,
        );
      }
      return;
    } catch (err) {
      if (!/stream not found/i.test((err as Error).message)) throw err;
    }
    try {
      await this.jsm.streams.add({
        name: this.stream,
        description,
        subjects: [`${this.prefix}.*`],
        retention: RetentionPolicy.Workqueue,
        storage: StorageType.File,
        discard: DiscardPolicy.New,
        max_bytes: STREAM_BYTES_MAX,
        max_msgs: STREAM_MESSAGES_MAX,
        max_msg_size: MESSAGE_BYTES_MAX + 64 * 1024,
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
        num_replicas: 1,
      });
    } catch (err) {
      // Another process created it meanwhile: fine if it is the same stream.
      if (!/already in use|exists/i.test((err as Error).message)) throw err;
    }
  }

  /**
   * Publishes records, partitioned by subject; resolves after JetStream stored every message.
   * Retrying with the same key and the same records republishes the same message ids, which
   * the server drops inside the duplicate window. Throws if any message was not stored (the
   * caller retries the whole call with the same key).
   */
  async publishBatch(records: RecordInput[], o: { idempotencyKey: string }): Promise<PublishResult> {
    if (records.length > RECORDS_PER_PUBLISH_MAX) throw new RangeError(`at most ${RECORDS_PER_PUBLISH_MAX} records per publish, got ${records.length}`);
    if (o.idempotencyKey.length === 0 || o.idempotencyKey.length > IDEMPOTENCY_KEY_LENGTH_MAX) {
      throw new RangeError(`idempotencyKey must be 1-${IDEMPOTENCY_KEY_LENGTH_MAX} characters`);
    }
    // A key longer than a token is fine in a header; hash it only to keep ids short and safe.
    const keyId = createHash('sha256').update(o.idempotencyKey).digest('base64url').slice(0, 32);
    const byPartition = new Map<number, RecordInput[]>();
    for (const r of records) {
      const p = partitionOf(String(r.subject), this.partitions);
      let list = byPartition.get(p);
      if (!list) byPartition.set(p, (list = []));
      list.push(r);
    }
    const messages: { subject: string; msgID: string; data: Uint8Array }[] = [];
    for (const [partition, list] of [...byPartition].sort((a, b) => a[0] - b[0])) {
      let chunk: RecordInput[] = [];
      let bytes = 0;
      let n = 0;
      const flush = () => {
        if (chunk.length === 0) return;
        const msg: IngestMessage = { v: 1, key: o.idempotencyKey, partition, chunk: n, records: chunk };
        messages.push({ subject: this.subjectOf(partition), msgID: `${keyId}:${partition}:${n}`, data: codec.encode(msg) });
        chunk = [];
        bytes = 0;
        n++;
      };
      for (const r of list) {
        const size = Buffer.byteLength(JSON.stringify(r)) + 1;
        if (size > MESSAGE_BYTES_MAX - 1024) throw new RangeError(`record ${r.source}/${r.sourceRecordId} is larger than a message (${size} bytes)`);
        if (chunk.length >= RECORDS_PER_MESSAGE_MAX || bytes + size > MESSAGE_BYTES_MAX - 1024) flush();
        chunk.push(r);
        bytes += size;
      }
      flush();
    }
    let duplicateMessages = 0;
    // Bounded concurrency: at most PUBLISHES_IN_FLIGHT_MAX unacknowledged publishes.
    for (let i = 0; i < messages.length; i += PUBLISHES_IN_FLIGHT_MAX) {
      const acks = await Promise.all(
        messages.slice(i, i + PUBLISHES_IN_FLIGHT_MAX).map((m) => this.js.publish(m.subject, m.data, { msgID: m.msgID })),
      );
      for (const ack of acks) if (ack.duplicate) duplicateMessages++;
    }
    return { messages: messages.length, records: records.length, duplicateMessages };
  }

  /** Creates (or updates) the durable pull consumer of a partition. See nats-worker.ts for why these settings. */
  async ensureConsumer(partition: number, o: { ackWaitMs: number; maxAckPending: number }): Promise<string> {
    const name = durableName(partition);
    const config = {
      durable_name: name,
      filter_subject: this.subjectOf(partition),
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(o.ackWaitMs),
      max_ack_pending: o.maxAckPending,
      max_deliver: -1,
    };
    try {
      const info = await this.jsm.consumers.info(this.stream, name);
      if (info.config.ack_wait !== config.ack_wait || info.config.max_ack_pending !== config.max_ack_pending) {
        await this.jsm.consumers.update(this.stream, name, { ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending });
      }
    } catch (err) {
      if (!/consumer not found/i.test((err as Error).message)) throw err;
      await this.jsm.consumers.add(this.stream, config);
    }
    return name;
  }

  /**
   * The partition leases (a KV bucket beside the stream): key p<partition> names the worker
   * that owns the partition and disappears `ttlMs` after its last refresh. The bucket's TTL
   * is set by whoever creates it first; leaseTtlMs() reads it back.
   */
  async leases(ttlMs: number): Promise<KV> {
    return this.js.views.kv(`${this.stream}_LEASES`, { ttl: ttlMs, history: 1 });
  }

  async leaseTtlMs(kv: KV): Promise<number> {
    return (await kv.status()).ttl;
  }

  /** Messages not yet acknowledged by the workers (waiting + in flight), per the stream. */
  async backlog(): Promise<number> {
    return (await this.jsm.streams.info(this.stream)).state.messages;
  }

  /** Deletes the stream and its lease bucket (tests). */
  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.stream);
    try {
      await this.jsm.streams.delete(`KV_${this.stream}_LEASES`);
    } catch (err) {
      if (!/stream not found/i.test((err as Error).message)) throw err;
    }
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}

export const decodeIngestMessage = (data: Uint8Array): IngestMessage => codec.decode(data);
