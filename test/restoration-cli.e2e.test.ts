// Credit restoration at the command line, spawned as an operator runs it: an application
// filed for a listed firm (with proof and a stated reason) is refused before the minimum time
// listed, taken after it (CREDENCE_CLOCK), cannot be decided by the operator who filed it,
// and a grant decided at the command line ends the listing; every step is in the audit log,
// which still verifies.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { DueProcess } from '../src/app/due-process.ts';
import { addDuration, parseDuration } from '../src/domain/duration.ts';
import { makeUscc } from '../src/domain/identifiers.ts';
import type { Scheme } from '../src/domain/types.ts';
import { runCli } from './helpers/cli.ts';

const firm = makeUscc('91', '371082', 'MA0C1L2H');
const other = makeUscc('91', '371082', 'MA0C1L3K');
const LATER = '+P13M';
let dir: string;
let db: string;
const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: 'restoration test session', ...env } });
const listed = async () => {
  const r = await run(['lists', 'show', 'serious-dishonesty-market', '--json'], { CREDENCE_CLOCK: LATER });
  expect(r.code, r.err).toBe(0);
  return (JSON.parse(r.out) as { entries: { subject: string }[] }).entries.map((e) => e.subject).sort();
};
const restore = (subject: string, record: string, extra: string[] = [], env: Record<string, string> = { CREDENCE_CLOCK: LATER }) =>
  run(['cases', 'restore', subject, '--record', record, '--statement', 'The fine was paid in full and the recall is complete.', ...extra, '--json'], env);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-restore-'));
  db = path.join(dir, 'restore.db');
  expect((await run(['init'])).code).toBe(0);
  const store = await SqliteStore.open(db);
  const scheme: Scheme = {
    id: 'market-supervision', version: 1, title: 'Market-regulation listings', status: 'published', source: 'SAMR Order 44', base: 1000, defaultGrade: 'A',
    bands: [{ grade: 'A', label: 'not graded', min: null, max: null }], rules: [],
    listRules: [{ list: 'serious-dishonesty-market', recordType: 'commerce.serious_illegal_dishonest_listed', duration: 'P3Y', legalBasis: 'samr-order-44 (whole text)' }],
  };
  await store.saveScheme(scheme, Date.now());
  const c = await Credence.open(store, { now: Date.now });
  const today = new Date().toISOString().slice(0, 10);
  const out = await c.ingest([
    { source: 'samr', sourceRecordId: 'S-1', subject: firm, type: 'commerce.serious_illegal_dishonest_listed', occurredAt: today, payload: { decision_ref: 'Lu Shi Jian (2026) 1' } },
    { source: 'samr', sourceRecordId: 'S-2', subject: other, type: 'commerce.serious_illegal_dishonest_listed', occurredAt: today, payload: { decision_ref: 'Lu Shi Jian (2026) 2' } },
  ], 'key:key_samrsource000001');
  expect(out.accepted).toBe(2);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credence cases restore', () => {
  it('needs proof and a reason, refuses before the minimum time listed, and files after it', async () => {
    const noProof = await restore(firm, 'samr/S-1', ['--reason', 'letter of 3 December']);
    expect(noProof.code).toBe(2);
    expect(noProof.err).toContain('--evidence');
    const noReason = await restore(firm, 'samr/S-1', ['--evidence', 'receipt 7781']);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('--reason');
    const early = await restore(firm, 'samr/S-1', ['--evidence', 'receipt 7781', '--reason', 'letter of 3 December'], {});
    expect(early.code).toBe(3);
    expect(early.err).toContain('RESTORATION_TOO_EARLY');

    const filed = await restore(firm, 'samr/S-1', ['--evidence', 'receipt 7781', '--evidence', 'recall certificate RC-118', '--reason', 'letter of 3 December']);
    expect(filed.code, filed.err).toBe(0);
    const c = JSON.parse(filed.out) as { id: string; kind: string; status: string; list: string; history: { by: string; evidence?: string[]; reason?: string }[] };
    expect(c).toMatchObject({ kind: 'restoration', status: 'in-review', list: 'serious-dishonesty-market' });
    expect(c.history[0]!.evidence).toEqual(['receipt 7781', 'recall certificate RC-118']);
    expect(c.history[0]!.reason).toContain('letter of 3 December');

    // The operator who filed it cannot decide it.
    const self = await run(['cases', 'decide', c.id, '--outcome', 'granted', '--reason', 'the receipt is genuine'], { CREDENCE_CLOCK: LATER });
    expect(self.code).toBe(3);
    expect(self.err).toContain('CASE_STEP_NOT_ALLOWED');
    const queue = await run(['cases', 'list', '--kind', 'restoration'], { CREDENCE_CLOCK: LATER });
    expect(queue.code, queue.err).toBe(0);
    expect(queue.out).toContain(c.id);
    expect(queue.out).toContain('list serious-dishonesty-market');
  });

  it('decides an application the subject filed: a grant ends the listing, and the log verifies', async () => {
    expect(await listed()).toEqual([firm, other].sort());
    // The firm's own application (its subject key, through the API in practice).
    const store = await SqliteStore.open(db);
    const c = await Credence.open(store, { now: () => addDuration(Date.now(), parseDuration('P13M')!) });
    const app = await new DueProcess(c).applyRestoration(other, 'samr/S-2', 'The fine was paid in full on 2 May.', ['receipt 9917'], { actor: 'key:key_firmsubject00001' });
    await store.close();
    const granted = await run(['cases', 'decide', app.id, '--outcome', 'granted', '--reason', 'the receipt matches the fine decision', '--json'], { CREDENCE_CLOCK: LATER });
    expect(granted.code, granted.err).toBe(0);
    expect(JSON.parse(granted.out)).toMatchObject({ status: 'closed', outcome: 'granted' });
    expect(await listed()).toEqual([firm]);
    const log = await run(['audit', 'verify']);
    expect(log.code, log.err + log.out).toBe(0);
  });
});
