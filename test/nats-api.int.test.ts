// Two API processes (`credence serve`, ingest mode nats) and four workers against one
// PostgreSQL and one JetStream stream. Sources post a simulated town in batches to both APIs;
// one API process is SIGKILLed while batches are in flight, and its clients retry on the other
// under the same Idempotency-Key. Afterwards every acknowledged record is stored exactly once
// and every subject's score and grade equal a full rescore. Own database and stream (random
// names), dropped at the end; skips, saying why, when PostgreSQL or NATS is unreachable
// (fails instead under CI=true).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NatsIngestBus } from '../src/adapters/nats/nats-ingest-bus.ts';
import { runWorker } from '../src/adapters/nats/nats-worker.ts';
import { PostgresStore } from '../src/adapters/postgres/postgres-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { simulateTown } from '../src/app/simulate.ts';
import type { RecordInput } from '../src/domain/types.ts';
import { expectScoresEqualRescore, until } from './helpers/consistency.ts';
import { NATS_URL, randomStreamName } from './helpers/nats.ts';
import { createTestDatabase } from './helpers/postgres.ts';
import { requireService } from './support/services.ts';

const [pgUp, natsUp] = await Promise.all([requireService('postgres'), requireService('nats')]);

const ROOT = path.resolve(import.meta.dirname, '..');
const PARTITIONS = 4;

interface Api {
  child: ChildProcess;
  url: string;
  /** Printed by the first API process on the database only. */
  operatorKey: string | null;
}

async function startApi(env: NodeJS.ProcessEnv): Promise<Api> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'credence.js'), 'serve', '--quiet', '--seed-subjects', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  await until('the API process to start', 60_000, async () => {
    if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}:\n${out}\n${err}`);
    return /operator key[^\n]*(crd_op_\S+|none printed)/.test(out);
  });
  return { child, url: /listening on (http:\/\/\S+)/.exec(out)![1]!, operatorKey: /(crd_op_\S+)/.exec(out)?.[1] ?? null };
}

async function post(url: string, key: string, body: string, headers: Record<string, string>) {
  const r = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, ...headers }, body });
  return { status: r.status, body: await r.text() };
}

describe.skipIf(!pgUp || !natsUp)('two API processes and four workers on one PostgreSQL and one stream', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const f of cleanups.reverse()) await f().catch(() => undefined);
  });

  it('stores every acknowledged record exactly once when an API process is killed mid-flight', async () => {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const setupStore = await PostgresStore.open(db.url);
    expect((await initStore(setupStore, path.join(ROOT, 'catalogue'), 'default', Date.now())).problems).toEqual([]);
    await setupStore.close();
    const stream = randomStreamName();
    const env = {
      ...process.env, CI: '1', PORT: '0', HOST: '127.0.0.1', CREDENCE_DATABASE_URL: db.url, CREDENCE_INGEST_MODE: 'nats', CREDENCE_NATS_URL: NATS_URL,
      CREDENCE_NATS_STREAM: stream, CREDENCE_PARTITIONS: String(PARTITIONS), CREDENCE_IDEMPOTENCY_STALE_MS: '2000',
    };
    const a = await startApi(env);
    cleanups.push(async () => void a.child.kill('SIGKILL'));
    const b = await startApi(env);
    cleanups.push(async () => void b.child.kill('SIGKILL'));
    const bus = await NatsIngestBus.connect({ url: NATS_URL, partitions: PARTITIONS, stream });
    cleanups.push(async () => { await bus.deleteStream(); await bus.close(); });

    // Four workers, one partition each, each with its own connection and use cases.
    const stop = new AbortController();
    const workers = await Promise.all(Array.from({ length: PARTITIONS }, async (_, p) => {
      const store = await PostgresStore.open(db.url);
      const credence = await Credence.open(store, { now: () => Date.now() });
      const own = await NatsIngestBus.connect({ url: NATS_URL, partitions: PARTITIONS, stream });
      const done = runWorker({ credence, bus: own, partitions: [p], batchMax: 8, ackWaitMs: 5000, signal: stop.signal });
      cleanups.push(async () => { stop.abort(); await done; await own.close(); await store.close(); });
      return { store, credence };
    }));

    // A simulated town, posted by its sources in batches of 100 (a source key posts only its own).
    const start = new Date(Date.now() - 300 * 86_400_000).toISOString().slice(0, 10);
    const records: RecordInput[] = [];
    for (const item of simulateTown({ subjects: 1500, days: 300, seed: 21, start })) if (item.kind === 'record') records.push(item.record);
    const bySource = new Map<string, RecordInput[]>();
    for (const r of records) (bySource.get(r.source) ?? bySource.set(r.source, []).get(r.source)!).push(r);
    const keys = new Map<string, string>();
    for (const source of bySource.keys()) {
      const r = await post(`${a.url}/v1/keys`, a.operatorKey!, JSON.stringify({ role: 'source', name: `${source} uploader`, binding: source }), { 'content-type': 'application/json' });
      expect(r.status, r.body).toBe(201);
      keys.set(source, JSON.parse(r.body).key);
    }
    const batches: { source: string; key: string; body: string }[] = [];
    for (const [source, list] of bySource) {
      for (let i = 0; i < list.length; i += 100) batches.push({ source, key: `${source}-${i}`, body: list.slice(i, i + 100).map((r) => JSON.stringify(r)).join('\n') });
    }
    expect(batches.length).toBeGreaterThan(20);

    let aAlive = true;
    const acked = new Set<number>();
    const outcomes: string[] = [];
    const send = async (i: number, first?: Promise<{ status: number; body: string }>): Promise<void> => {
      const batch = batches[i]!;
      const headers = { 'content-type': 'application/x-ndjson', 'idempotency-key': batch.key };
      let target = aAlive && i % 2 === 0 ? a : b;
      if (first) {
        // The batch that was in flight to A when it died: whatever A got done, retry on B.
        outcomes.push(await first.then((r) => `A answered ${r.status}`, () => 'A died mid-request'));
        target = b;
      }
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          const r = await post(`${target.url}/v1/records/batch`, keys.get(batch.source)!, batch.body, headers);
          if (r.status === 202) {
            expect(JSON.parse(r.body).rejected).toBe(0);
            acked.add(i);
            return;
          }
          expect(r.status, r.body).toBe(409); // the killed process's reservation, until it is stale
        } catch {
          target = b; // connection refused or reset: the process died; retry on the other one
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`batch ${i} was never acknowledged`);
    };
    // Four clients at a time; A is killed once a third of the batches are underway.
    let next = 0;
    const killAt = Math.floor(batches.length / 3);
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < batches.length) {
        const i = next++;
        if (i === killAt && aAlive) {
          const batch = batches[i]!;
          const inFlight = post(`${a.url}/v1/records/batch`, keys.get(batch.source)!, batch.body, { 'content-type': 'application/x-ndjson', 'idempotency-key': batch.key });
          await new Promise((r) => setTimeout(r, 15));
          a.child.kill('SIGKILL');
          aAlive = false;
          await send(i, inFlight);
          continue;
        }
        await send(i);
      }
    }));
    expect(acked.size).toBe(batches.length);
    expect(outcomes).toHaveLength(1); // one batch was in flight to A when it was killed

    const ids = records.map((r) => `${r.source}/${r.sourceRecordId}`);
    const distinct = new Set(ids).size;
    const probe = workers[0]!.store;
    await until('every record applied and the stream drained', 90_000, async () => (await probe.countRecords()) >= distinct && (await bus.backlog()) === 0);
    expect(await probe.countRecords()).toBe(distinct);
    expect((await probe.existingRecordIds(ids)).size).toBe(distinct);
    stop.abort();
    await expectScoresEqualRescore(workers[0]!.credence, Date.now());
  });
});
