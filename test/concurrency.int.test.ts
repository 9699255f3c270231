// Two writers on one database never lose an update. Two Credence instances (two processes'
// worth of use cases: separate in-process locks, separate connections) write records about
// the same subjects at the same time; every record is stored, and every materialised state
// equals a rebuild from the records. Runs on memory (one store shared), SQLite (two
// connections to one file) and PostgreSQL (two pools on one database).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/adapters/memory/memory-store.ts';
import { PostgresStore } from '../src/adapters/postgres/postgres-store.ts';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { simulateTown } from '../src/app/simulate.ts';
import type { RecordInput } from '../src/domain/types.ts';
import type { Store } from '../src/ports/store.ts';
import { expectScoresEqualRescore } from './helpers/consistency.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { requireService } from './support/services.ts';

const pgUp = await requireService('postgres');
const catalogueDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalogue');
const NOW = Date.UTC(2025, 0, 15, 12);
/** A small town, so that two writers keep meeting on the same subjects. */
const TOWN = { subjects: 80, days: 365, seed: 11, start: '2024-01-16' };

/** Two stores on one database; `second` opens another connection (or shares the memory store). */
interface Pair {
  first: Store;
  second: Store;
  close(): Promise<void>;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

const pairs: Record<string, () => Promise<Pair>> = {
  memory: async () => {
    const store = new MemoryStore();
    return { first: store, second: store, close: async () => undefined };
  },
  sqlite: async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'credence-concurrency-'));
    tempDirs.push(dir);
    const file = path.join(dir, 'credence.db');
    const first = await SqliteStore.open(file);
    await first.migrate();
    const second = await SqliteStore.open(file);
    return { first, second, close: async () => { await first.close(); await second.close(); } };
  },
};

let db: TestDatabase | null = null;
if (pgUp) {
  pairs.postgres = async () => {
    db ??= await createTestDatabase('credence_concurrency');
    await db.reset();
    const first = await PostgresStore.open(db.url);
    await first.migrate();
    const second = await PostgresStore.open(db.url);
    return { first, second, close: async () => { await first.close(); await second.close(); } };
  };
}
afterAll(async () => {
  await db?.drop();
});

async function open(pair: Pair): Promise<[Credence, Credence]> {
  expect((await initStore(pair.first, catalogueDir, 'default', NOW)).problems).toEqual([]);
  return [await Credence.open(pair.first, { now: () => NOW }), await Credence.open(pair.second, { now: () => NOW })];
}

function townRecords(): RecordInput[] {
  const out: RecordInput[] = [];
  for (const item of simulateTown(TOWN)) if (item.kind === 'record') out.push(item.record as RecordInput);
  return out;
}

const grid = (id: string, subject: string, type: string, day: number): RecordInput => ({
  source: 'grid-office-morgenroete', sourceRecordId: id, subject, type,
  occurredAt: new Date(Date.UTC(2024, 5, day, 9)).toISOString().replace('.000Z', 'Z'), payload: {}, subjectKind: 'person',
});

for (const [name, make] of Object.entries(pairs)) {
  describe(`two writers on one ${name} database`, () => {
    it('keep both records about one subject, and its state counts both (no lost update)', async () => {
      const pair = await make();
      try {
        const [a, b] = await open(pair);
        const subject = '371082198603011012';
        const [ra, rb] = await Promise.all([
          a.ingest([grid('lost-1', subject, 'civic.helped_elderly_move', 3)], 'writer-a'),
          b.ingest([grid('lost-2', subject, 'civic.shovelled_snow', 4)], 'writer-b'),
        ]);
        expect([ra.accepted, rb.accepted]).toEqual([1, 1]);
        // Both writers' views, and the state either one reads, count both records.
        const rebuilt = (await a.store.recordsOfSubjects([subject])).get(subject)!;
        expect(rebuilt.map((r) => r.sourceRecordId).sort()).toEqual(['lost-1', 'lost-2']);
        for (const c of [a, b]) {
          for (const st of await c.store.getStates(subject)) expect(st.ledger.recordCount, `${st.scheme} as read by ${c === a ? 'a' : 'b'}`).toBe(2);
        }
        await expectScoresEqualRescore(a, NOW);
      } finally {
        await pair.close();
      }
    });

    it('interleave many batches over the same subjects and end equal to a rebuild, with the audit log covering every record', async () => {
      const pair = await make();
      try {
        const [a, b] = await open(pair);
        const all = townRecords();
        expect(all.length).toBeGreaterThan(200);
        // A correction must follow the record it revokes, which two racing writers do not
        // promise: corrections go in afterwards, through one writer.
        const records = all.filter((r) => !r.revokes);
        const corrections = all.filter((r) => r.revokes);
        // Round-robin batches of 25: both writers hold batches about the same subjects.
        const batches: RecordInput[][] = [];
        for (let i = 0; i < records.length; i += 25) batches.push(records.slice(i, i + 25));
        const run = async (c: Credence, mine: RecordInput[][]) => {
          let accepted = 0;
          for (const batch of mine) {
            const res = await c.ingest(batch, c === a ? 'writer-a' : 'writer-b');
            expect(res.results.filter((r) => r.status === 'rejected')).toEqual([]);
            accepted += res.accepted;
          }
          return accepted;
        };
        const mineA = batches.filter((_, i) => i % 2 === 0);
        const mineB = batches.filter((_, i) => i % 2 === 1);
        const [na, nb] = await Promise.all([run(a, mineA), run(b, mineB)]);
        expect(na + nb).toBe(await a.store.countRecords());
        expect(await a.store.countRecords()).toBe(new Set(records.map((r) => `${r.source}/${r.sourceRecordId}`)).size);
        expect((await a.ingest(corrections, 'writer-a')).rejected).toBe(0);
        await expectScoresEqualRescore(a, NOW);
        await expectScoresEqualRescore(b, NOW);
        expect(await a.verifyAudit()).toMatchObject({ ok: true, records: await a.store.countRecords() });
      } finally {
        await pair.close();
      }
    });

    it('a rescore racing an ingest leaves no state behind the records', async () => {
      const pair = await make();
      try {
        const [a, b] = await open(pair);
        const records = townRecords().filter((r) => !r.revokes);
        const half = Math.floor(records.length / 2);
        await a.ingest(records.slice(0, half), 'writer-a');
        const scheme = a.schemes[0]!;
        const more: RecordInput[][] = [];
        for (let i = half; i < records.length; i += 10) more.push(records.slice(i, i + 10));
        await Promise.all([
          (async () => { for (const batch of more) await b.ingest(batch, 'writer-b'); })(),
          a.rescore(scheme, { dryRun: false, at: NOW }),
        ]);
        await expectScoresEqualRescore(a, NOW);
      } finally {
        await pair.close();
      }
    });
  });
}
