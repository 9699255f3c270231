// Retention end to end, as a bureau's cron runs it (`credence maintain`) with the clock moved
// (CREDENCE_CLOCK): three years on, the grid report (two-year retention) is gone with its review
// item while the theft (five years) still counts; ten years on nothing obsolete resurfaces in any
// view, past date, export, decision, list, case list, notice inbox or grade count, the audit log
// still verifies and keeps the counts, a source resending the old records is told they are past
// retention, and running maintenance again deletes nothing more.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { runCli } from './helpers/cli.ts';

const carol = makeResidentId('371082', '19920505', '047');
const bob = makeResidentId('371082', '19700101', '033');
const DAY = 86_400_000;
const day = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const THREE_YEARS = '+P3Y';
const TEN_YEARS = '+P10Y';
let dir: string;
let db: string;
let file: string;
const run = (args: string[], clock?: string) =>
  runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: 'retention test', CREDENCE_CLOCK: clock, NODE_ENV: undefined } });
const ok = async (args: string[], clock?: string) => {
  const r = await run(args, clock);
  expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
  return r;
};
const json = async <T,>(args: string[], clock?: string): Promise<T> => JSON.parse((await ok([...args, '--json'], clock)).out) as T;
interface Shown { scores: { scheme: string; score: number; grade: string }[]; records: { id: string; status: string }[] }
interface Maintained { purged: { subjects: number; records: number; byType: Record<string, number>; cases: number; notices: number; deferred: number }; statesRefreshed: number }

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-retention-'));
  db = path.join(dir, 'retention.db');
  await ok(['init']);
  file = path.join(dir, 'records.ndjson');
  writeFileSync(file, [
    { source: 'utilities-bureau', sourceRecordId: 'u-9', subject: carol, type: 'utilities.theft', occurredAt: day(-2), payload: { utility: 'gas' } },
    { source: 'grid-office-morgenroete', sourceRecordId: 'g-1', subject: carol, type: 'civic.helped_elderly_move', occurredAt: day(-1), payload: { note: 'carried boxes' } },
    { source: 'rongcheng-court', sourceRecordId: 'c-20', subject: bob, type: 'courts.defaulter_listing', occurredAt: day(-30), payload: { case_ref: '(2026) Lu 1082 Zhi 20', ground: 'able_to_pay_refuses', end_date: day(400) } },
  ].map((x) => JSON.stringify(x)).join('\n') + '\n');
  await ok(['ingest', file]);
  // A decision, a dispute that lapses on day 31 (closed with its notices), and the notices of the records.
  // Listed, bob is refused a train ticket (exit 1: deny).
  expect((await run(['decide', bob, 'defaulter.no_g_train', '--reason', 'passenger complaint'])).code).toBe(1);
  await ok(['cases', 'dispute', carol, '--record', 'utilities-bureau/u-9', '--statement', 'the gas meter was replaced before that date', '--reason', 'letter received']);
  const m = await json<Maintained & { disputes: { lapsed: number } }>(['maintain'], '+P31D');
  expect(m.disputes.lapsed).toBe(1);
  expect(m.purged.records).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('retention with the clock moved', () => {
  it('holds everything before the periods end: the subject sees her records and notices', async () => {
    const shown = await json<Shown>(['subject', 'show', carol]);
    expect(shown.records.map((r) => r.id).sort()).toEqual(['grid-office-morgenroete/g-1', 'utilities-bureau/u-9']);
    expect((await json<unknown[]>(['notices', 'list', carol])).length).toBeGreaterThan(0);
    expect((await json<unknown[]>(['cases', 'list', '--reason', 'retention test'])).length).toBeGreaterThan(0);
  });

  it('three years on deletes the two-year grid report with its review item and keeps the five-year theft', async () => {
    const before = await json<Shown>(['subject', 'show', carol], THREE_YEARS);
    const m = await json<Maintained>(['maintain'], THREE_YEARS);
    expect(m.purged).toMatchObject({ records: 1, byType: { 'civic.helped_elderly_move': 1 }, subjects: 1 });
    expect(m.purged.cases).toBeGreaterThanOrEqual(1);
    const after = await json<Shown>(['subject', 'show', carol], THREE_YEARS);
    expect(after.records.map((r) => r.id)).toEqual(['utilities-bureau/u-9']);
    // Deleting changed no answer given today.
    expect(after.scores).toEqual(before.scores);
    const cases = await json<{ kind: string; record: string | null }[]>(['cases', 'list', '--reason', 'retention test'], THREE_YEARS);
    expect(cases.filter((k) => k.record === 'grid-office-morgenroete/g-1')).toEqual([]);
    expect(cases.filter((k) => k.record === 'utilities-bureau/u-9')).toHaveLength(1);
  });

  it('ten years on leaves nothing obsolete in any view, past date, export, decision, list, inbox or count', async () => {
    const m = await json<Maintained>(['maintain'], TEN_YEARS);
    expect(m.purged).toMatchObject({ records: 2, byType: { 'utilities.theft': 1, 'courts.defaulter_listing': 1 }, subjects: 2, deferred: 0 });
    expect(m.purged.notices).toBeGreaterThan(0);

    for (const asOf of [undefined, day(-1), day(10), day(500)]) {
      const at = `as of ${asOf ?? 'now'}`;
      const [c, b] = await Promise.all([carol, bob].map((id) => json<Shown>(['subject', 'show', id, ...(asOf ? ['--as-of', asOf] : [])], TEN_YEARS)));
      expect(c!.records, `carol ${at}`).toEqual([]);
      expect(b!.records, `bob ${at}`).toEqual([]);
      // Both stand where a person with no record stands, under every scheme.
      expect(c!.scores.find((s) => s.scheme.startsWith('rongcheng')), `carol ${at}`).toMatchObject({ score: 1000, grade: 'A' });
      expect(b!.scores.map((s) => [s.scheme, s.score, s.grade]), `bob ${at}`).toEqual(c!.scores.map((s) => [s.scheme, s.score, s.grade]));
    }
    for (const id of [carol, bob]) {
      const exported = JSON.parse((await ok(['export', id], TEN_YEARS)).out) as { records: unknown[]; notices: unknown[]; ledgers: { contributions: unknown[] }[] };
      expect(exported.records).toEqual([]);
      expect(exported.notices).toEqual([]);
      for (const l of exported.ledgers) expect(l.contributions).toEqual([]);
      expect(await json<unknown[]>(['notices', 'list', id], TEN_YEARS)).toEqual([]);
      const history = await json<{ steps?: unknown[] }[] | { steps?: unknown[] }>(['subject', 'history', id], TEN_YEARS);
      expect(JSON.stringify(history)).not.toMatch(/utilities-bureau\/u-9|rongcheng-court\/c-20|grid-office/);
    }
    // Bob was on the defaulter list in year one: neither today's list nor one as of then shows him.
    for (const asOf of [undefined, day(10)]) {
      const list = await json<{ entries: unknown[] } | unknown[]>(['lists', 'show', 'judgment-defaulters', ...(asOf ? ['--as-of', asOf] : [])], TEN_YEARS);
      expect(JSON.stringify(list)).not.toContain(bob);
    }
    const decision = await json<{ outcome: string }>(['decide', bob, 'defaulter.no_g_train'], TEN_YEARS);
    expect(decision.outcome).toBe('allow');
    expect(await json<unknown[]>(['cases', 'list', '--reason', 'retention test'], TEN_YEARS)).toEqual([]);
    const stats = await json<{ records: number; grades: Record<string, Record<string, number>> }>(['stats'], TEN_YEARS);
    expect(stats.records).toBe(0);
    const rongcheng = Object.entries(stats.grades).find(([k]) => k.startsWith('rongcheng'))![1];
    expect(Object.entries(rongcheng).filter(([g, n]) => g !== 'A' && n > 0)).toEqual([]);
  });

  it('keeps the counts in a verifiable audit log, refuses the old records if sent again, and deletes nothing more on a second run', async () => {
    const verify = await run(['audit', 'verify', '--json'], TEN_YEARS);
    expect(verify.code, verify.out + verify.err).toBe(0);
    expect(JSON.parse(verify.out)).toMatchObject({ ok: true });
    // The purge entries hold counts, never what the records said.
    const store = await SqliteStore.open(db);
    try {
      const purged = (await store.readAudit(0, 10_000)).filter((e) => e.action === 'records.purge');
      expect(purged.reduce((n, e) => n + (e.detail.records as number), 0)).toBe(3);
      expect(purged.map((e) => e.actor)).toEqual(purged.map(() => 'system:retention'));
      expect(JSON.stringify(purged)).not.toMatch(/gas meter|carried boxes|Lu 1082|case_ref/);
    } finally {
      await store.close();
    }
    const again = await run(['ingest', file, '--json'], TEN_YEARS);
    expect(again.code).not.toBe(0);
    expect(again.out + again.err).toContain('RECORD_PAST_RETENTION');
    expect((await json<{ records: number }>(['stats'], TEN_YEARS)).records).toBe(0);
    const m = await json<Maintained>(['maintain'], TEN_YEARS);
    expect(m.purged).toMatchObject({ records: 0, cases: 0, notices: 0, subjects: 0 });
  });
});
