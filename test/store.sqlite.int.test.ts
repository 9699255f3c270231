// The store contract against SQLite (a fresh temp file per test), plus what only a file
// database can show: data survives close and reopen, and a writer killed with SIGKILL in
// the middle of its commits leaves every acknowledged batch whole and no batch in part.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { verifyChain } from '../src/domain/audit-chain.ts';
import { aCatalogue, aRecord, aScheme, aState, subjectId, writeOf } from './store.contract.ts';
import { storeContract } from './store.contract.ts';

const tempDirs: string[] = [];
const tempDb = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'credence-store-'));
  tempDirs.push(dir);
  return path.join(dir, 'credence.db');
};
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

storeContract('sqlite', async () => SqliteStore.open(tempDb()));

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('sqlite store: files', () => {
  it('creates the parent directory and reports pending migrations until migrated', async () => {
    const file = path.join(path.dirname(tempDb()), 'nested', 'deeper', 'credence.db');
    const store = await SqliteStore.open(file);
    try {
      expect(existsSync(file)).toBe(true);
      expect(await store.pendingMigrations()).toBeGreaterThan(0);
      await expect(store.countRecords()).rejects.toThrow(/migrate/);
      await store.migrate();
      expect(await store.pendingMigrations()).toBe(0);
      expect(await store.countRecords()).toBe(0);
    } finally {
      await store.close();
    }
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('keeps everything across close and reopen', async () => {
    const file = tempDb();
    const s = subjectId(1);
    let store = await SqliteStore.open(file);
    await store.migrate();
    await store.saveCatalogue(aCatalogue());
    await store.saveScheme(aScheme('town', 1), 42);
    await store.commit(writeOf([aRecord('tax', '1', s), aRecord('tax', '2', s)], { states: [aState(s, 'town@1')] }));
    await store.appendAudit([{ at: 1, actor: 'system', action: 'record.submit', subject: s, detail: { n: 2 } }]);
    await store.close();

    store = await SqliteStore.open(file);
    try {
      await store.migrate();
      expect(await store.loadCatalogue()).toEqual(aCatalogue());
      expect(await store.listSchemes()).toEqual([{ scheme: aScheme('town', 1), publishedAt: 42 }]);
      expect((await store.recordsOfSubjects([s])).get(s)!.map((r) => r.id)).toEqual(['tax/1', 'tax/2']);
      expect(await store.getStates(s)).toEqual([aState(s, 'town@1', { position: 2 })]);
      expect((await store.streamPositions([s])).get(s)).toBe(2);
      expect(verifyChain(await store.readAudit(0, 10))).toMatchObject({ ok: true, count: 1 });
      // seq numbering continues after the reopen
      await store.commit(writeOf([aRecord('tax', '3', s)], { expected: { [s]: 2 } }));
      expect((await store.getRecord('tax/3'))!.position).toBe(3);
      expect((await store.getRecord('tax/3'))!.seq).toBeGreaterThan((await store.getRecord('tax/2'))!.seq);
    } finally {
      await store.close();
    }
  });

  it('keeps every acknowledged batch whole, and no batch in part, when the writer is killed', async () => {
    const file = tempDb();
    const setup = await SqliteStore.open(file);
    await setup.migrate();
    await setup.close();

    // Several rounds on the same file, each killed at a random instant after a few
    // acknowledged batches, so that kills land before, inside and after commits.
    let expectedBatches = 0;
    for (let round = 0; round < KILL_ROUNDS; round++) {
      const reported = await writeBatchesUntilKilled(file, expectedBatches);
      expect(reported.length).toBeGreaterThanOrEqual(REPORTED_BEFORE_KILL);

      const raw = new Database(file);
      try {
        expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(raw.pragma('foreign_key_check')).toEqual([]);
      } finally {
        raw.close();
      }
      const store = await SqliteStore.open(file);
      try {
        expect(await store.pendingMigrations()).toBe(0);
        const present = await store.listSubjectIds(null, 10_000);
        const batches = present.map((id) => Number(id.slice(-8)));
        // Batches commit in order: what is present is 0..k, k >= the last one acknowledged
        // (the batch in flight at the kill may have committed without being reported).
        expect(batches).toEqual(Array.from({ length: batches.length }, (_, b) => b));
        expect(batches.length).toBeGreaterThanOrEqual(Math.max(...reported) + 1);
        const bySubject = await store.recordsOfSubjects(present);
        for (const id of present) {
          expect(bySubject.get(id)!.length, `records of batch ${id}`).toBe(BATCH_SIZE);
          expect(await store.getStates(id), `state of batch ${id}`).toHaveLength(1);
        }
        expect(await store.countRecords()).toBe(present.length * BATCH_SIZE);
        // The audit entry commits with its batch: one entry per batch present, none without
        // its batch, and every record linked to its batch's entry.
        const entries = await store.readAudit(0, 10_000);
        expect(verifyChain(entries)).toMatchObject({ ok: true, count: present.length });
        const coverage = await store.recordCoverage(null, 1_000_000);
        expect(coverage.rows).toHaveLength(present.length * BATCH_SIZE);
        const bySeq = new Map(entries.map((e) => [e.seq, e.detail.batch]));
        for (const r of coverage.rows) expect(bySeq.get(r.auditSeq ?? -1), `entry of ${r.id}`).toBe(Number(r.id.split('/')[1]!.split('-')[0]));
        expectedBatches = present.length;
      } finally {
        await store.close();
      }
    }

    // and the database takes writes again
    const store = await SqliteStore.open(file);
    try {
      await store.commit(writeOf([aRecord('tax', 'after-kill', subjectId(999_999))]));
      expect(await store.countRecords()).toBe(expectedBatches * BATCH_SIZE + 1);
    } finally {
      await store.close();
    }
  });
});

const BATCH_SIZE = 500;
const KILL_ROUNDS = 4;
const REPORTED_BEFORE_KILL = 5;

/**
 * Spawns a writer committing batch after batch (batch b: one subject, BATCH_SIZE records,
 * one state) from batch `first` on, printing b after each commit resolves; SIGKILLs it at a
 * random instant once REPORTED_BEFORE_KILL batches were acknowledged. Returns the acknowledged.
 */
async function writeBatchesUntilKilled(file: string, first: number): Promise<number[]> {
  const storeUrl = pathToFileURL(path.join(repoRoot, 'src/adapters/sqlite/sqlite-store.ts')).href;
  const child = `
    import { SqliteStore } from ${JSON.stringify(storeUrl)};
    const store = await SqliteStore.open(process.env.CREDENCE_TEST_DB);
    for (let b = ${first}; ; b++) {
      const subject = '3710821990' + String(b).padStart(8, '0');
      const records = [];
      for (let i = 0; i < ${BATCH_SIZE}; i++) {
        records.push({ id: 'kill/' + b + '-' + i, source: 'kill', sourceRecordId: b + '-' + i, subject,
          type: 'tax.arrears', occurredAt: b, recordedAt: b, payload: { b, i, pad: 'x'.repeat(200) }, evidence: [] });
      }
      const ledger = { subject, scheme: 'town@1', contributions: [], directGradings: [], recordListings: [], spans: [],
        warnings: [], lastOccurredAt: b, recordCount: ${BATCH_SIZE} };
      await store.commit({ records, revocations: [],
        subjects: [{ id: subject, kind: 'person', idScheme: 'cn-rid', createdAt: b }],
        states: [{ subject, scheme: 'town@1', ledger, score: 1000, grade: 'A', computedAt: b, validUntil: null }],
        expected: { [subject]: 0 },
        audit: { at: b, actor: 'kill-test', action: 'records.ingest', detail: { accepted: ${BATCH_SIZE}, batch: b } } });
      process.stdout.write(b + '\\n');
    }
  `;
  const proc = spawn(process.execPath, ['--import', 'tsx/esm', '--input-type=module', '-e', child], {
    cwd: repoRoot,
    env: { ...process.env, CREDENCE_TEST_DB: file },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reported: number[] = [];
  const reportedAtMs: number[] = [];
  let stderr = '';
  let buffered = '';
  let killScheduled = false;
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  proc.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      reported.push(Number(line));
      reportedAtMs.push(performance.now());
    }
    if (!killScheduled && reported.length >= REPORTED_BEFORE_KILL) {
      killScheduled = true;
      const intervalMs = (reportedAtMs[reportedAtMs.length - 1]! - reportedAtMs[0]!) / (reportedAtMs.length - 1);
      setTimeout(() => proc.kill('SIGKILL'), Math.random() * 2 * intervalMs);
    }
  });
  const signal = await exited;
  expect(signal, `writer ended on its own: ${stderr}`).toBe('SIGKILL');
  expect(reported.slice(0, REPORTED_BEFORE_KILL)).toEqual(
    Array.from({ length: REPORTED_BEFORE_KILL }, (_, k) => first + k),
  );
  return reported;
}
