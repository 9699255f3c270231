// The HTTP API in ingest mode `nats`: record routes validate, publish to JetStream and answer
// only after the bus acknowledged; a worker applies the records. Retries under the same
// Idempotency-Key replay the answer; a resubmission under a new key is dropped record by
// record. Uses its own stream (random name), deleted at the end; skips, saying why, when
// NATS is unreachable (fails instead under CI=true).
import { afterAll, describe, expect, it } from 'vitest';
import { NatsIngestBus } from '../src/adapters/nats/nats-ingest-bus.ts';
import { runWorker } from '../src/adapters/nats/nats-worker.ts';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { daysAgo, httpFixture, json } from './helpers/http.ts';
import { NATS_URL, randomStreamName } from './helpers/nats.ts';
import { requireService } from './support/services.ts';

const natsUp = await requireService('nats');

async function until(what: string, ms: number, ok: () => Promise<boolean>) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!natsUp)('HTTP ingest through JetStream', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c().catch(() => {});
  });

  it('queues after the bus acknowledged; a worker applies every record exactly once, retries included', async () => {
    const bus = await NatsIngestBus.connect({ url: NATS_URL, partitions: 2, stream: randomStreamName() });
    cleanup.push(async () => { await bus.deleteStream(); await bus.close(); });
    const f = await httpFixture({}, { bus });
    cleanup.push(f.close);
    const records = Array.from({ length: 120 }, (_, i) => ({
      source: 'tax-bureau', sourceRecordId: `T-${i}`, subject: makeResidentId('371082', '19800101', String(100 + (i % 40))),
      type: 'tax.arrears', occurredAt: daysAgo(30 - (i % 20)), payload: { amount: 100 + i, months: 1 + (i % 3) },
    }));
    const bad = { ...records[0], sourceRecordId: 'T-bad', subject: '371082198001011000' };
    const body = [...records, bad].map((r) => JSON.stringify(r)).join('\n');
    const before = await f.store.countRecords();
    const post = (key: string) => f.call('POST', '/v1/records/batch', { key: 'source', raw: body, contentType: 'application/x-ndjson', headers: { 'idempotency-key': key } });

    const first = await post('tax-batch-1');
    expect(first.statusCode).toBe(202);
    const doc = json(first);
    expect(doc).toMatchObject({ queued: 120, rejected: 1 });
    expect(doc.results[120]).toMatchObject({ status: 'rejected', code: 'RECORD_INVALID_SUBJECT' });
    expect(await f.store.countRecords()).toBe(before); // queued, not yet applied

    const retry = await post('tax-batch-1');
    expect(retry.statusCode).toBe(202);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
    expect((await post('tax-batch-2')).statusCode).toBe(202); // same records, new key: published again

    const stop = new AbortController();
    const done = runWorker({ credence: f.credence, bus, partitions: [0, 1], batchMax: 8, ackWaitMs: 5000, signal: stop.signal });
    try {
      await until('every record applied and the stream drained', 30_000, async () => (await f.store.countRecords()) >= before + 120 && (await bus.backlog()) === 0);
    } finally {
      stop.abort();
    }
    const totals = await done;
    expect(await f.store.countRecords()).toBe(before + 120);
    expect(totals.accepted).toBe(120);
    expect(totals.duplicates).toBe(120); // the second key's copies, dropped by record key
    const one = await f.call('GET', '/v1/records/tax-bureau/T-7', { key: 'source' });
    expect(one.statusCode).toBe(200);
  });
});
