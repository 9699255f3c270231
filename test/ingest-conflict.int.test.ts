// A reused (source, sourceRecordId) with new content is a conflict, not a duplicate, and
// nothing of it is stored; the server's seeded town and the README's town never collide;
// every stored record is covered by the audit entry of the write that stored it, and
// `audit verify` notices a record written behind the log's back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/adapters/memory/memory-store.ts';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { simulateTown } from '../src/app/simulate.ts';
import type { RecordInput } from '../src/domain/types.ts';
import type { Store } from '../src/ports/store.ts';
import { SERVER_TOWN_SEED } from '../src/transport/http/server.ts';
import { main } from '../src/main/cli.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { approveAll } from './helpers/review.ts';

const catalogueDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalogue');
const NOW = Date.UTC(2025, 0, 15, 12);
const SUBJECT = '371082198603011012';

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

async function credenceOn(store: Store): Promise<Credence> {
  await store.migrate();
  expect((await initStore(store, catalogueDir, 'default', NOW)).problems).toEqual([]);
  return Credence.open(store, { now: () => NOW });
}

const deed = (id: string, type = 'civic.shovelled_snow', day = 4): RecordInput => ({
  source: 'grid-office-morgenroete', sourceRecordId: id, subject: SUBJECT, type,
  occurredAt: `2024-06-${String(day).padStart(2, '0')}T09:00:00Z`, payload: {}, subjectKind: 'person',
});

describe('a reused source record id', () => {
  it('with the same content is a duplicate; with other content it is RECORD_CONFLICT naming both fingerprints, and nothing changes', async () => {
    const c = await credenceOn(new MemoryStore());
    expect((await c.ingest([deed('g-1')])).accepted).toBe(1);
    expect(await approveAll(c)).toBe(1);
    const before = await c.views(SUBJECT, NOW);

    const again = await c.ingest([deed('g-1')]);
    expect(again.results[0]).toEqual({ index: 0, status: 'duplicate', id: 'grid-office-morgenroete/g-1' });

    const changed = await c.ingest([deed('g-1', 'civic.helped_elderly_move'), deed('g-2', 'civic.helped_elderly_move', 5)]);
    const r = changed.results[0]!;
    expect(r.status).toBe('rejected');
    if (r.status !== 'rejected') return;
    expect(r.code).toBe('RECORD_CONFLICT');
    expect(r.path).toBe('sourceRecordId');
    expect(r.conflict!.held).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.conflict!.submitted).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.conflict!.held).not.toBe(r.conflict!.submitted);
    expect(r.message).toContain(r.conflict!.held.slice(0, 19));
    expect(r.message).toContain(r.conflict!.submitted.slice(0, 19));
    // The good record in the same batch is kept; the conflicting one changed nothing.
    expect(changed.results[1]).toMatchObject({ status: 'accepted' });
    const held = await c.store.getRecord('grid-office-morgenroete/g-1');
    expect(held!.type).toBe('civic.shovelled_snow');
    expect(await c.store.countRecords()).toBe(2);
    // Grid reports count once reviewed: g-1 was approved before, g-2 now.
    expect(await approveAll(c)).toBe(1);
    const after = await c.views(SUBJECT, NOW);
    const rc = (vs: typeof after) => vs.find((v) => v.scheme === 'rongcheng@1')!.score;
    expect(rc(after) - rc(before)).toBeGreaterThan(0); // only g-2's points were added
  });

  it('twice in one batch: the same content is a duplicate of the first, other content a conflict', async () => {
    const c = await credenceOn(new MemoryStore());
    const res = await c.ingest([deed('b-1'), deed('b-1'), deed('b-1', 'civic.shovelled_snow', 6)]);
    expect(res.results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['accepted', 'duplicate', 'RECORD_CONFLICT']);
    expect(await c.store.countRecords()).toBe(1);
  });

  it('does not arise between the server\'s seeded town and the README\'s `simulate --seed 1` town', () => {
    const ids = (seed: number, subjects: number) => {
      const records = new Set<string>();
      const people = new Set<string>();
      for (const item of simulateTown({ subjects, days: 365, seed, start: '2025-01-01' })) {
        if (item.kind !== 'record') continue;
        records.add(`${item.record.source}/${item.record.sourceRecordId}`);
        people.add(String(item.record.subject));
      }
      return { records, people };
    };
    const server = ids(SERVER_TOWN_SEED, 2000);
    const readme = ids(1, 10_000);
    expect(server.records.size).toBeGreaterThan(1000);
    expect([...server.records].filter((id) => readme.records.has(id))).toEqual([]);
    expect([...server.people].filter((id) => readme.people.has(id))).toEqual([]);
  });
});

describe('credence ingest with a reused id', () => {
  it('writes a reject line with both fingerprints, keeps the other lines, and exits 3', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'credence-conflict-cli-'));
    tempDirs.push(dir);
    // The clock the records' dates belong to (June 2024 deeds are past their two-year retention today).
    const env = { CREDENCE_DB: path.join(dir, 'credence.db'), CREDENCE_CATALOGUE_DIR: catalogueDir, CREDENCE_CLOCK: new Date(NOW).toISOString() };
    const io = () => {
      const out: string[] = [];
      const err: string[] = [];
      return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), isTty: false } };
    };
    expect(await main(['init'], io().io, env)).toBe(0);
    const first = path.join(dir, 'first.ndjson');
    writeFileSync(first, [deed('k-1'), deed('k-2', 'civic.helped_elderly_move', 5)].map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(await main(['ingest', first], io().io, env)).toBe(0);
    const second = path.join(dir, 'second.ndjson');
    writeFileSync(second, [deed('k-1', 'civic.helped_elderly_move', 9), deed('k-2', 'civic.helped_elderly_move', 5), deed('k-3', 'civic.shovelled_snow', 8)].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const run = io();
    expect(await main(['ingest', second], run.io, env)).toBe(3);
    expect(run.err.join('\n')).toMatch(/second\.ndjson:1: RECORD_CONFLICT at sourceRecordId: record grid-office-morgenroete\/k-1 is already held with different content/);
    const rejects = readFileSync(`${second}.rejects.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ line: 1, code: 'RECORD_CONFLICT', heldFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(rejects[0].heldFingerprint).not.toBe(rejects[0].fingerprint);
  });
});

describe('audit coverage of stored records', () => {
  async function sqliteCredence() {
    const dir = mkdtempSync(path.join(tmpdir(), 'credence-coverage-'));
    tempDirs.push(dir);
    const file = path.join(dir, 'credence.db');
    const c = await credenceOn(await SqliteStore.open(file));
    return { c, file };
  }

  it('holds after ingests: every record is linked to its batch\'s entry', async () => {
    const { c } = await sqliteCredence();
    await c.ingest([deed('c-1'), deed('c-2', 'civic.helped_elderly_move', 5)]);
    await c.ingest([deed('c-3', 'civic.shovelled_snow', 7)]);
    const v = await c.verifyAudit();
    expect(v).toMatchObject({ ok: true, records: 3 });
    await c.store.close();
  });

  it('breaks when a record is written behind the log\'s back, or a batch\'s record removed', async () => {
    const { c, file } = await sqliteCredence();
    await c.ingest([deed('c-1'), deed('c-2', 'civic.helped_elderly_move', 5)]);
    const raw = new Database(file);
    const row = raw.prepare(`SELECT * FROM records WHERE id = 'grid-office-morgenroete/c-1'`).get() as Record<string, unknown>;
    raw.prepare(`INSERT INTO records (seq, id, source, source_record_id, subject, type, occurred_at, recorded_at, payload, evidence, position)
      VALUES (1000, 'grid-office-morgenroete/forged', 'grid-office-morgenroete', 'forged', ?, 'civic.shovelled_snow', ?, ?, '{}', '[]', 3)`)
      .run(row.subject, row.occurred_at, row.recorded_at);
    let v = await c.verifyAudit();
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.code).toBe('AUDIT_COVERAGE_BROKEN');
    expect(v.reason).toContain('grid-office-morgenroete/forged');

    raw.prepare(`DELETE FROM records WHERE id IN ('grid-office-morgenroete/forged', 'grid-office-morgenroete/c-2')`).run();
    raw.close();
    v = await c.verifyAudit();
    expect(v).toMatchObject({ ok: false, code: 'AUDIT_COVERAGE_BROKEN' });
    if (v.ok) return;
    expect(v.reason).toMatch(/says 2, found 1/);
    await c.store.close();
  });
});
