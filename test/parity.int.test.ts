// SQLite and PostgreSQL agree: the same simulated town, ingested through the same use case
// in the same batches at the same fixed instant, gives identical records, scores, grades,
// list entries and decisions for every subject, now and after time has passed (expiries).
// Skips, saying why, when no PostgreSQL answers (fails instead under CI=true).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/adapters/postgres/postgres-store.ts';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { simulateTown } from '../src/app/simulate.ts';
import type { Store } from '../src/ports/store.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { requireService } from './support/services.ts';

const available = await requireService('postgres');

const catalogueDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalogue');
const TOWN = { subjects: 1500, days: 365, seed: 5, start: '2024-01-16' };
const NOW = Date.UTC(2025, 0, 15, 12);
const LATER = NOW + 2 * 365 * 86_400_000;
/** Uneven batch sizes, so batch boundaries fall everywhere (the same for both stores). */
const BATCH_SIZES = [1, 37, 500, 1000, 2500];
const MEASURES = ['defaulter.no_g_train', 'reward.library_card_deposit_free'];
const WHO = { actor: 'test:parity', purpose: 'parity' };

async function ingestTown(store: Store): Promise<Credence> {
  const init = await initStore(store, catalogueDir, 'default', NOW);
  expect(init.problems).toEqual([]);
  const c = await Credence.open(store, { now: () => NOW });
  let batch: unknown[] = [];
  let k = 0;
  for (const item of simulateTown(TOWN)) {
    if (item.kind !== 'record') continue;
    batch.push(item.record);
    if (batch.length >= BATCH_SIZES[k % BATCH_SIZES.length]!) {
      const res = await c.ingest(batch, 'parity');
      expect(res.rejected).toBe(0);
      batch = [];
      k++;
    }
  }
  if (batch.length > 0) await c.ingest(batch, 'parity');
  return c;
}

/** Everything a user of either store could observe about the town at `at`. */
async function observe(c: Credence, at: number) {
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page = await c.store.listSubjectIds(after, 1000);
    if (page.length === 0) break;
    ids.push(...page);
    after = page[page.length - 1]!;
  }
  const stats = await c.stats(at);
  const views: Record<string, unknown> = {};
  const records: Record<string, string[]> = {};
  const bySubject = await c.store.recordsOfSubjects(ids);
  for (const id of ids) {
    views[id] = await c.views(id, at);
    records[id] = bySubject.get(id)!.map((r) => `${r.id}|${r.revokedBy ?? ''}`);
  }
  const lists: Record<string, unknown> = {};
  for (const list of c.catalogue.lists.keys()) lists[list] = await c.listEntries(list, at, 100_000);
  const decisions: Record<string, unknown> = {};
  for (const m of MEASURES) decisions[m] = await c.decideBatch(ids, m, at, WHO);
  return { ids, stats, views, records, lists, decisions };
}

describe.skipIf(!available)('parity: SQLite and PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  const stores: Store[] = [];
  let sqlite: Credence;
  let postgres: Credence;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'credence-parity-'));
    const [s, p] = await Promise.all([SqliteStore.open(path.join(dir, 'parity.db')), PostgresStore.open(db.url)]);
    stores.push(s, p);
    [sqlite, postgres] = await Promise.all([ingestTown(s), ingestTown(p)]);
  }, 120_000);

  afterAll(async () => {
    for (const s of stores) await s.close();
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the same subjects and records, in the same per-subject order', async () => {
    expect(await postgres.store.countRecords()).toBe(await sqlite.store.countRecords());
    expect(await postgres.store.countRecords()).toBeGreaterThan(3000);
    expect(await postgres.store.countSubjects()).toBe(await sqlite.store.countSubjects());
    expect(await postgres.store.countSubjects()).toBeGreaterThan(TOWN.subjects / 2);
  });

  for (const [label, at] of [['at ingest time', NOW], ['two years later (expiries)', LATER]] as const) {
    it(`gives identical grades, views, list entries and decisions for every subject ${label}`, async () => {
      const [a, b] = [await observe(sqlite, at), await observe(postgres, at)];
      expect(b.ids).toEqual(a.ids);
      expect(b.stats).toEqual(a.stats);
      expect(b.records).toEqual(a.records);
      for (const id of a.ids) expect(b.views[id], `views of ${id}`).toEqual(a.views[id]);
      expect(b.lists).toEqual(a.lists);
      expect(b.decisions).toEqual(a.decisions);
      // Not a vacuous comparison: the town has more than one grade and some list entries.
      const grades = Object.values(a.stats.grades)[0]!;
      expect(Object.values(grades).filter((n) => n > 0).length).toBeGreaterThan(1);
      if (at === NOW) expect(Object.values(a.lists).some((l) => (l as unknown[]).length > 0)).toBe(true);
    });
  }

  it('keeps both audit chains whole', async () => {
    expect((await sqlite.verifyAudit()).ok).toBe(true);
    expect((await postgres.verifyAudit()).ok).toBe(true);
  });
});
