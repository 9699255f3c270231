// Ingestion through JetStream into PostgreSQL, end to end:
//  - four workers (separate Credence instances and connections, one partition each) apply a
//    simulated stream from two concurrent publishers, with retried publishes: every record is
//    stored exactly once, none is rejected (revocations found their targets: per-subject order
//    held), and every subject's score and grade equal a full rescore from the records;
//  - a worker process SIGKILLed several times mid-stream and restarted: afterwards every
//    published (acknowledged) record is stored exactly once, and scores equal a full rescore.
// Each test uses its own database and stream (random names), dropped at the end. Skips, saying
// why, when PostgreSQL or NATS is unreachable.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { NatsIngestBus, partitionOf } from '../src/adapters/nats/nats-ingest-bus.ts';
import { runWorker, type BatchEvent } from '../src/adapters/nats/nats-worker.ts';
import { PostgresStore } from '../src/adapters/postgres/postgres-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { simulateTown, type TownOptions } from '../src/app/simulate.ts';
import type { RecordInput } from '../src/domain/types.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { NATS_URL, randomStreamName } from './helpers/nats.ts';
import { expectScoresEqualRescore, until } from './helpers/consistency.ts';
import { requireService } from './support/services.ts';

const [pgUp, natsUp] = await Promise.all([requireService('postgres'), requireService('nats')]);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const catalogueDir = path.join(repoRoot, 'catalogue');
const BIN = path.join(repoRoot, 'bin', 'credence.js');
const NOW = Date.UTC(2025, 0, 15, 12);
const PARTITIONS = 4;

function townRecords(o: TownOptions): RecordInput[] {
  const out: RecordInput[] = [];
  for (const item of simulateTown(o)) if (item.kind === 'record') out.push(item.record);
  return out;
}
const idOf = (r: RecordInput) => `${r.source}/${r.sourceRecordId}`;

/** Two publishers: records split by source (a revocation names a record of its own source, so each publisher keeps revocations after their targets). */
function splitBetweenPublishers(records: RecordInput[]): [RecordInput[], RecordInput[]] {
  const a: RecordInput[] = [];
  const b: RecordInput[] = [];
  for (const r of records) (partitionOf(r.source, 2) === 0 ? a : b).push(r);
  return [a, b];
}

async function publishAll(bus: NatsIngestBus, name: string, records: RecordInput[], size: number) {
  let duplicateMessages = 0;
  for (let i = 0, k = 0; i < records.length; i += size, k++) {
    const batch = records.slice(i, i + size);
    duplicateMessages += (await bus.publishBatch(batch, { idempotencyKey: `${name}-${k}` })).duplicateMessages;
    if (k === 2) {
      // A client that did not see the ack retries with the same key: deduplicated by JetStream.
      const retry = await bus.publishBatch(batch, { idempotencyKey: `${name}-${k}` });
      expect(retry.duplicateMessages).toBe(retry.messages);
    }
    if (k === 3) {
      // A retry after the duplicate window (a new key): deduplicated by the store's record key.
      await bus.publishBatch(batch, { idempotencyKey: `${name}-${k}-late` });
    }
  }
  return { duplicateMessages };
}

describe.skipIf(!pgUp || !natsUp)('ingestion through JetStream', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const f of cleanups.reverse()) await f().catch(() => undefined);
  });

  async function setup(): Promise<{ db: TestDatabase; stream: string; bus: NatsIngestBus }> {
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const store = await PostgresStore.open(db.url);
    expect((await initStore(store, catalogueDir, 'default', NOW)).problems).toEqual([]);
    await store.close();
    const stream = randomStreamName();
    const bus = await NatsIngestBus.connect({ url: NATS_URL, partitions: PARTITIONS, stream });
    cleanups.push(async () => {
      await bus.deleteStream();
      await bus.close();
    });
    return { db, stream, bus };
  }

  it('four workers apply two publishers\' records exactly once, and scores equal a full rescore', async () => {
    const { db, stream, bus } = await setup();
    const records = townRecords({ subjects: 3000, days: 365, seed: 7, start: '2024-01-16' });
    const distinct = new Set(records.map(idOf)).size;
    const [first, second] = splitBetweenPublishers(records);
    expect(first.length).toBeGreaterThan(1000);
    expect(second.length).toBeGreaterThan(1000);

    const stop = new AbortController();
    const events: BatchEvent[] = [];
    const workers = await Promise.all(
      Array.from({ length: PARTITIONS }, async (_, w) => {
        const store = await PostgresStore.open(db.url);
        const credence = await Credence.open(store, { now: () => NOW });
        const own = await NatsIngestBus.connect({ url: NATS_URL, partitions: PARTITIONS, stream });
        const done = runWorker({ credence, bus: own, partitions: [w], batchMax: 4, ackWaitMs: 5000, signal: stop.signal, onBatch: (e) => events.push(e) });
        return { store, own, done };
      }),
    );
    try {
      const publishers = await Promise.all([publishAll(bus, 'pub-a', first, 400), publishAll(bus, 'pub-b', second, 250)]);
      expect(publishers.every((p) => p.duplicateMessages === 0)).toBe(true);
      const probe = workers[0]!.store;
      await until('every record applied and the stream drained', 45_000, async () => (await probe.countRecords()) >= distinct && (await bus.backlog()) === 0);
    } finally {
      stop.abort();
    }
    const totals = await Promise.all(workers.map((w) => w.done));
    for (const w of workers) await w.own.close();

    expect(totals.reduce((n, t) => n + t.rejected, 0)).toBe(0);
    expect(totals.reduce((n, t) => n + t.accepted, 0)).toBe(distinct);
    expect(totals.every((t) => t.batches > 0)).toBe(true);
    expect(new Set(events.map((e) => e.partition))).toEqual(new Set([0, 1, 2, 3]));

    const store = workers[0]!.store;
    expect(await store.countRecords()).toBe(distinct);
    expect((await store.existingRecordIds([...new Set(records.map(idOf))])).size).toBe(distinct);
    const c = await Credence.open(store, { now: () => NOW });
    await expectScoresEqualRescore(c, NOW);
    expect((await c.verifyAudit()).ok).toBe(true);
    for (const w of workers) await w.store.close();
  });

  it('a second worker given the same partitions waits for the first to let go, then takes over', async () => {
    const { db, stream, bus } = await setup();
    const records = townRecords({ subjects: 600, days: 365, seed: 9, start: '2024-01-16' });
    const half = Math.floor(records.length / 2);
    const start = async (name: string, stop: AbortController, events: BatchEvent[], logs: string[]) => {
      const store = await PostgresStore.open(db.url);
      const credence = await Credence.open(store, { now: () => NOW });
      const own = await NatsIngestBus.connect({ url: NATS_URL, partitions: PARTITIONS, stream });
      const done = runWorker({ credence, bus: own, partitions: [0, 1, 2, 3], batchMax: 4, ackWaitMs: 2000, signal: stop.signal, onBatch: (e) => events.push(e), log: (l) => logs.push(`${name}: ${l}`) });
      return { store, own, done };
    };
    const [stopA, stopB] = [new AbortController(), new AbortController()];
    const [eventsA, eventsB, logs]: [BatchEvent[], BatchEvent[], string[]] = [[], [], []];
    await bus.js.publish(bus.subjectOf(0), new TextEncoder().encode('not json')); // a stray message: terminated, not fatal
    await bus.publishBatch(records.slice(0, 50), { idempotencyKey: 'lease-0' });
    const a = await start('a', stopA, eventsA, logs);
    await until('worker a to apply a batch', 10_000, async () => eventsA.length > 0);
    const b = await start('b', stopB, eventsB, logs);
    await bus.publishBatch(records.slice(0, half), { idempotencyKey: 'lease-1' });
    await until('the first half applied', 20_000, async () => (await a.store.countRecords()) >= new Set(records.slice(0, half).map(idOf)).size);
    expect(eventsB).toEqual([]); // b held no partition while a did
    expect(logs.filter((l) => l.startsWith('b:') && /owned by/.test(l))).toHaveLength(4);
    stopA.abort();
    await a.done;
    await bus.publishBatch(records.slice(half), { idempotencyKey: 'lease-2' });
    try {
      await until('worker b to take over and apply the rest', 20_000, async () => (await b.store.countRecords()) >= new Set(records.map(idOf)).size);
    } finally {
      stopB.abort();
    }
    await b.done;
    expect(eventsB.length).toBeGreaterThan(0);
    expect(logs.filter((l) => /not an ingest message/.test(l)), logs.join("\n")).toHaveLength(1);
    expect(eventsB.reduce((n, e) => n + e.rejected, 0) + eventsA.reduce((n, e) => n + e.rejected, 0)).toBe(0);
    for (const w of [a, b]) {
      await w.own.close();
      await w.store.close();
    }
  });

  it('a worker killed with SIGKILL several times mid-stream, then restarted, leaves every published record stored exactly once', async () => {
    const { db, stream, bus } = await setup();
    const records = townRecords({ subjects: 4000, days: 365, seed: 8, start: '2024-01-16' });
    const distinct = new Set(records.map(idOf)).size;
    // Everything is published (and acknowledged by JetStream) up front, in small messages, so the
    // worker needs many batches and the kills land mid-stream.
    for (let i = 0, k = 0; i < records.length; i += 500, k++) await bus.publishBatch(records.slice(i, i + 500), { idempotencyKey: `crash-${k}` });

    const env = {
      ...process.env,
      CI: '1',
      CREDENCE_DATABASE_URL: db.url,
      CREDENCE_NATS_URL: NATS_URL,
      CREDENCE_NATS_STREAM: stream,
      CREDENCE_PARTITIONS: String(PARTITIONS),
      CREDENCE_CATALOGUE_DIR: catalogueDir,
      // The worker runs on the town's clock: its records are a year up to NOW (older than a
      // one-year retention on the wall clock).
      CREDENCE_CLOCK: new Date(NOW).toISOString(),
    };
    const start = (): { child: ChildProcess; batches: () => number; stderr: () => string; exited: Promise<NodeJS.Signals | number | null> } => {
      const child = spawn(process.execPath, [BIN, 'worker', '--partitions', `0-${PARTITIONS - 1}`, '--batch', '2', '--ack-wait-ms', '1500', '--progress'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let lines = 0;
      let err = '';
      child.stdout!.on('data', (d: Buffer) => (lines += d.toString().split('\n').length - 1));
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
      return { child, batches: () => lines, stderr: () => err, exited };
    };

    const probe = await PostgresStore.open(db.url);
    cleanups.push(() => probe.close());
    const KILLS = 3;
    const restarts: (() => string)[] = [];
    for (let k = 0; k < KILLS; k++) {
      const w = start();
      if (k > 0) restarts.push(w.stderr);
      // let it apply a few batches, then kill it at a random instant
      await until(`worker run ${k} to apply batches (${w.stderr()})`, 20_000, async () => w.batches() >= 3);
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      w.child.kill('SIGKILL');
      expect(await w.exited).toBe('SIGKILL');
      expect(await probe.countRecords()).toBeLessThan(distinct); // really mid-stream
    }
    const last = start();
    restarts.push(last.stderr);
    try {
      await until('the restarted worker to drain the stream', 40_000, async () => (await bus.backlog()) === 0 && (await probe.countRecords()) >= distinct);
    } finally {
      last.child.kill('SIGTERM');
    }
    expect(await last.exited).toBe(0);
    expect(last.stderr()).toMatch(/worker stopped: .* 0 rejected/);
    // The kills did land mid-batch: restarted workers found their predecessor's batches unacknowledged.
    expect(restarts.filter((stderr) => /unacknowledged, waiting/.test(stderr())).length).toBeGreaterThan(0);

    expect(await probe.countRecords()).toBe(distinct);
    expect((await probe.existingRecordIds([...new Set(records.map(idOf))])).size).toBe(distinct);
    const c = await Credence.open(probe, { now: () => NOW });
    // the worker process ran on the town's clock, from NOW on
    await expectScoresEqualRescore(c, NOW + 60_000);
    expect((await c.verifyAudit()).ok).toBe(true);
  });
});
