// The settable clock (CREDENCE_CLOCK), as a bureau's test team uses it: a dispute left
// unanswered is shown open on day 29 and lapsed on day 31, and the record stops counting,
// all without waiting a month; a moved clock is announced on every run and refused in
// production unless explicitly allowed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { runCli } from './helpers/cli.ts';

const carol = makeResidentId('371082', '19920505', '047');
let dir: string;
let db: string;
const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: 'clock test', CREDENCE_CLOCK: undefined, NODE_ENV: undefined, CREDENCE_ALLOW_CLOCK: undefined, ...env } });
const rongcheng = async (env: Record<string, string> = {}) => {
  const r = await run(['subject', 'show', carol, '--json'], env);
  expect(r.code, r.err).toBe(0);
  const v = JSON.parse(r.out) as { scores: { scheme: string; score: number }[]; records: { id: string; status: string }[] };
  return { score: v.scores.find((s) => s.scheme.startsWith('rongcheng'))!.score, records: v.records };
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-clock-'));
  db = path.join(dir, 'clock.db');
  expect((await run(['init'])).code).toBe(0);
  const file = path.join(dir, 'records.ndjson');
  writeFileSync(file, JSON.stringify({ source: 'utilities-bureau', sourceRecordId: 'u-9', subject: carol, type: 'utilities.theft', occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10), payload: { utility: 'gas' } }) + '\n');
  expect((await run(['ingest', file])).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CREDENCE_CLOCK', () => {
  it('lets a dispute lapse on day 31 without waiting: open on day 29, lapsed and not counting on day 31', async () => {
    const before = await rongcheng();
    expect(before.score).toBeLessThan(1000);
    const d = await run(['cases', 'dispute', carol, '--record', 'utilities-bureau/u-9', '--statement', 'the gas meter was replaced before that date', '--reason', 'letter received', '--json']);
    expect(d.code, d.err).toBe(0);
    const opened = JSON.parse(d.out) as { id: string; dueAt: number | string };

    const day29 = await run(['cases', 'show', opened.id, '--json'], { CREDENCE_CLOCK: '+P29D' });
    expect(day29.code, day29.err).toBe(0);
    expect(day29.err).toMatch(/^clock: CREDENCE_CLOCK=\+P29D, now is \d{4}-/);
    expect(JSON.parse(day29.out)).toMatchObject({ status: 'open', overdue: false });
    expect((await rongcheng({ CREDENCE_CLOCK: '+P29D' })).score).toBe(before.score);

    const day31 = await run(['cases', 'show', opened.id, '--json'], { CREDENCE_CLOCK: '+P31D' });
    expect(JSON.parse(day31.out)).toMatchObject({ status: 'closed', outcome: 'lapsed' });
    const after = await rongcheng({ CREDENCE_CLOCK: '+P31D' });
    expect(after.score).toBe(1000);
    // The real clock still sees the dispute open and the record counting.
    expect((await rongcheng()).score).toBe(before.score);
  });

  it('says what is wrong with a malformed setting, and is refused in production unless allowed', async () => {
    const bad = await run(['id', 'check', '11010519491231002X'], { CREDENCE_CLOCK: 'next month' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('CREDENCE_CLOCK "next month"');
    const prod = await run(['id', 'check', '11010519491231002X'], { CREDENCE_CLOCK: '+P10Y', NODE_ENV: 'production' });
    expect(prod.code).toBe(2);
    expect(prod.err).toContain('CREDENCE_ALLOW_CLOCK=1');
    const allowed = await run(['id', 'check', '11010519491231002X'], { CREDENCE_CLOCK: '2036-12-03T00:00:00Z', NODE_ENV: 'production', CREDENCE_ALLOW_CLOCK: '1' });
    expect(allowed.code, allowed.err).toBe(0);
    expect(allowed.err).toMatch(/now is 2036-12-03T00:00:0/);
  });
});
