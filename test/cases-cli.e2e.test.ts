// `credence cases` end to end, spawned as an operator would run it: a dispute filed for a
// subject with a stated reason, the queue, a community record approved, a withdrawal, and the
// steps in the audit log (which still verifies).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { runCli } from './helpers/cli.ts';

const alice = makeResidentId('371082', '19850312', '021');
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
let dir: string;
let db: string;
const run = (args: string[]) => runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: 'cases test session' } });
const score = async () => {
  const r = await run(['subject', 'show', alice, '--json']);
  return (JSON.parse(r.out) as { scores: { scheme: string; score: number }[] }).scores.find((s) => s.scheme.startsWith('rongcheng'))!.score;
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-cases-'));
  db = path.join(dir, 'cases.db');
  expect((await run(['init'])).code).toBe(0);
  const file = path.join(dir, 'records.ndjson');
  writeFileSync(file, [
    { source: 'utilities-bureau', sourceRecordId: 'u-1', subject: alice, type: 'utilities.theft', occurredAt: daysAgo(4), payload: { utility: 'power' } },
  ].map((o) => JSON.stringify(o)).join('\n') + '\n');
  const ing = await run(['ingest', file]);
  expect(ing.code, ing.err).toBe(0);
  // The grid office's report arrives as it does in practice, through its own key (POST
  // /v1/records): the operator reviewing it at the command line is not the one who submitted it.
  const store = await SqliteStore.open(db);
  const c = await Credence.open(store, { now: Date.now });
  const grid = await c.ingest([{ source: 'grid-office-morgenroete', sourceRecordId: 'g-1', subject: alice, type: 'civic.dog_fouled_lawn', occurredAt: daysAgo(2), evidence: ['photo-7'] }], 'key:key_gridoffice00001');
  expect(grid.accepted).toBe(1);
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credence cases', () => {
  it('files a dispute for a subject only with a reason, approves a grid report, withdraws a record, and logs each step', async () => {
    const afterTheft = await score();
    const noReason = await run(['cases', 'dispute', alice, '--record', 'utilities-bureau/u-1', '--statement', 'the subject says the meter is not hers']);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('--reason');

    const d = await run(['cases', 'dispute', alice, '--record', 'utilities-bureau/u-1', '--statement', 'the subject says the meter is not hers', '--reason', 'letter of 2 December', '--json']);
    expect(d.code, d.err).toBe(0);
    const opened = JSON.parse(d.out) as { id: string; status: string; history: { reason?: string }[] };
    expect(opened.status).toBe('open');
    expect(opened.history[0]!.reason).toContain('letter of 2 December');
    const again = await run(['cases', 'dispute', alice, '--record', 'utilities-bureau/u-1', '--statement', 'the subject says the meter is not hers', '--reason', 'second letter']);
    expect(again.code).toBe(3);
    expect(again.err).toContain('DISPUTE_ALREADY_OPEN');

    // The grid report waits in the queue and counts once approved.
    const queue = await run(['cases', 'list', '--kind', 'review']);
    expect(queue.out).toContain('review:grid-office-morgenroete/g-1');
    expect(await score()).toBe(afterTheft);
    const ok = await run(['cases', 'decide', 'review:grid-office-morgenroete/g-1', '--outcome', 'approved', '--reason', 'the photo shows the dog on the lawn']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('closed (approved)');
    const approved = await score();
    expect(approved).toBeLessThan(afterTheft);
    const bad = await run(['cases', 'decide', 'review:grid-office-morgenroete/g-1', '--outcome', 'approved', '--reason', 'the photo shows the dog on the lawn']);
    expect(bad.code).toBe(3);
    expect(bad.err).toContain('CASE_STEP_NOT_ALLOWED');
    expect((await run(['cases', 'show', 'nope'])).code).toBe(4);

    const w = await run(['cases', 'withdraw', 'utilities-bureau/u-1', '--reason', 'the bureau confirmed a wrong meter number']);
    expect(w.code, w.err).toBe(0);
    expect(w.out).toContain(`closed ${opened.id}`);
    expect(await score()).toBeGreaterThan(approved);
    const shown = await run(['cases', 'show', opened.id, '--json']);
    expect(JSON.parse(shown.out)).toMatchObject({ status: 'closed', outcome: 'withdrawn' });

    const v = await run(['audit', 'verify', '--json']);
    expect(v.code, v.out).toBe(0);
  });
});
