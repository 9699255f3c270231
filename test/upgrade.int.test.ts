// A database written before stream positions (schema 2) upgrades in place: the migration
// backfills every record's position and its link to its ingest entry, the states written
// before are not trusted and are rebuilt from the records, and every view answers as before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { simulateTown } from '../src/app/simulate.ts';

const catalogueDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalogue');
const NOW = Date.UTC(2025, 0, 15, 12);
const dir = mkdtempSync(path.join(tmpdir(), 'credence-upgrade-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function observe(c: Credence) {
  const ids = await c.store.listSubjectIds(null, 100_000);
  const views: Record<string, unknown> = {};
  for (const id of ids) views[id] = await c.views(id, NOW);
  const lists: Record<string, unknown> = {};
  for (const list of c.catalogue.lists.keys()) lists[list] = await c.listEntries(list, NOW, 100_000);
  const decisions = (await c.decideBatch(ids, 'defaulter.no_g_train', NOW, { actor: 'test', purpose: 'upgrade' })).map((d) => [d.subject, d.outcome, d.reasons.map((r) => r.code)]);
  return { ids, views, lists, decisions };
}

it('upgrades a schema-2 database in place: positions and audit coverage backfilled, states rebuilt, every view unchanged', async () => {
  const file = path.join(dir, 'credence.db');
  let store = await SqliteStore.open(file);
  expect((await initStore(store, catalogueDir, 'default', NOW)).problems).toEqual([]);
  let c = await Credence.open(store, { now: () => NOW });
  let batch: unknown[] = [];
  for (const item of simulateTown({ subjects: 300, days: 365, seed: 3, start: '2024-01-01' })) {
    if (item.kind !== 'record') continue;
    batch.push(item.record);
    if (batch.length === 400) { await c.ingest(batch); batch = []; }
  }
  await c.ingest(batch);
  const before = await observe(c);
  const records = await store.countRecords();
  expect(records).toBeGreaterThan(500);
  await store.close();

  // What the release before wrote: the same tables without the columns of migration 3.
  const raw = new Database(file);
  raw.exec(`
    ALTER TABLE records DROP COLUMN position;
    ALTER TABLE records DROP COLUMN audit_seq;
    ALTER TABLE subjects DROP COLUMN position;
    ALTER TABLE subject_states DROP COLUMN position;
    DELETE FROM schema_migrations WHERE version = 3;
  `);
  raw.close();

  store = await SqliteStore.open(file);
  expect(await store.pendingMigrations()).toBe(1);
  expect((await initStore(store, catalogueDir, 'default', NOW)).problems).toEqual([]);
  c = await Credence.open(store, { now: () => NOW });
  // Old states are not trusted: none is current until rebuilt, and views come from the records.
  const ids = before.ids;
  expect((await store.getStatesFor(ids, c.schemes[0]!.key)).size).toBe(0);
  expect(await observe(c)).toEqual(before);
  expect(await c.catchUpStates(NOW)).toBe(ids.length * c.schemes.length);
  expect((await store.getStatesFor(ids, c.schemes[0]!.key)).size).toBe(ids.length);
  expect(await observe(c)).toEqual(before);
  expect(await c.catchUpStates(NOW)).toBe(0);

  // Positions 1..n per subject in seq order; every record covered by its ingest entry.
  for (const recs of (await store.recordsOfSubjects(ids)).values()) {
    expect(recs.map((r) => r.position)).toEqual(recs.map((_, i) => i + 1));
  }
  const positions = await store.streamPositions(ids);
  for (const [id, recs] of await store.recordsOfSubjects(ids)) expect(positions.get(id)).toBe(recs.length);
  expect(await c.verifyAudit()).toMatchObject({ ok: true, records });
  await store.close();
});
