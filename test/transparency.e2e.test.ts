// The transparency report, as a bureau publishes it: a month of work (records from three
// sources, one sent late; a railway's answers and an operator's; disputes withdrawn by their
// source, rejected by a reviewer, and one of a decision; grid reports approved and rejected)
// gives the counts a reader expects, the same over the command line and the public route,
// recomputed here independently from the audit log; the HTML page has its charts and names
// nobody.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteAccessStore } from '../src/adapters/sqlite/sqlite-access-store.ts';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { DueProcess } from '../src/app/due-process.ts';
import type { AuditEntry } from '../src/domain/audit-chain.ts';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { buildApp } from '../src/transport/http/app.ts';
import { runCli } from './helpers/cli.ts';

const carol = makeResidentId('371082', '19920505', '047');
const dan = makeResidentId('371082', '19850312', '021');
const bob = makeResidentId('371082', '19700101', '033');
const DAY = 86_400_000;
const day = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const railway = { id: 'railway', name: 'China Railway 12306' };
let dir: string;
let db: string;
let entries: AuditEntry[];
const run = (args: string[]) => runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_CLOCK: undefined, NODE_ENV: undefined } });

interface Report {
  period: { from: string; to: string };
  generatedAt: string;
  grades: { scheme: string; subjects: number; counts: Record<string, number> }[];
  sanctions: { rules: { rule: string; deductions: number; points: number; ended: number }[]; measures: { measure: string; total: number; deny: number; conditions: number }[] };
  decisions: { provider: string | null; providerName: string | null; purpose: string; total: number; outcomes: Record<string, number> }[];
  disputes: { opened: number; ofRecords: number; ofDecisions: number; closed: Record<string, number> };
  reviews: { approved: number; rejected: number };
  restorations: { applied: number; granted: number; refused: number };
  sources: { source: string; name: string; records: number; late: number; disputed: number; overturned: number; lateShare: number | null; overturnedShare: number | null }[];
  entries: { count: number };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-transparency-'));
  db = path.join(dir, 'report.db');
  expect((await run(['init'])).code).toBe(0);
  const file = path.join(dir, 'records.ndjson');
  writeFileSync(file, [
    { source: 'utilities-bureau', sourceRecordId: 'u-9', subject: carol, type: 'utilities.theft', occurredAt: day(-2), payload: { utility: 'gas' } },
    // Sent two months after the conduct: late.
    { source: 'utilities-bureau', sourceRecordId: 'u-10', subject: dan, type: 'utilities.theft', occurredAt: day(-60), payload: { utility: 'power' } },
    { source: 'grid-office-morgenroete', sourceRecordId: 'g-1', subject: carol, type: 'civic.helped_elderly_move', occurredAt: day(-1), payload: {} },
    { source: 'grid-office-morgenroete', sourceRecordId: 'g-2', subject: dan, type: 'civic.shovelled_snow', occurredAt: day(-1), payload: {} },
    { source: 'rongcheng-court', sourceRecordId: 'c-20', subject: bob, type: 'courts.defaulter_listing', occurredAt: day(-3), payload: { case_ref: '(2026) Lu 1082 Zhi 20', ground: 'able_to_pay_refuses', end_date: day(400) } },
  ].map((x) => JSON.stringify(x)).join('\n') + '\n');
  expect((await run(['ingest', file])).code).toBe(0);

  const store = await SqliteStore.open(db);
  try {
    const c = await Credence.open(store, { now: Date.now });
    const dp = new DueProcess(c);
    const ask = { actor: 'key:railway', purpose: 'ticket-sale', provider: railway };
    expect((await c.decide(bob, 'defaulter.no_g_train', Date.now(), ask)).outcome).toBe('deny');
    expect((await c.decide(carol, 'defaulter.no_g_train', Date.now(), ask)).outcome).toBe('allow');
    const carolAgain = await c.decide(carol, 'defaulter.no_g_train', Date.now(), ask);
    await c.decide(dan, 'defaulter.no_g_train', Date.now(), { actor: 'cli:clerk', purpose: 'court-review', reason: 'a court asked' });

    const d1 = await dp.openDispute(carol, { record: 'utilities-bureau/u-9' }, 'the gas meter was replaced before that date', { actor: `subject:${carol}` });
    await dp.respond(d1.id, 'withdraw', 'meter serial mismatch: sent in error', undefined, { actor: 'key:utilities', source: 'utilities-bureau' });
    const d2 = await dp.openDispute(dan, { record: 'utilities-bureau/u-10' }, 'I was abroad on that day, see passport', { actor: `subject:${dan}` });
    await dp.decide(d2.id, 'rejected', 'the meter photograph shows the bypass', { actor: 'key:reviewer' });
    await dp.openDispute(carol, { decision: carolAgain.decisionId }, 'I was refused a ticket at the counter', { actor: `subject:${carol}` });

    const reviews = (await dp.cases({ kind: 'review', status: ['open'] }, null, 10)).items;
    expect(reviews).toHaveLength(2);
    await dp.decide(reviews.find((r) => r.record === 'grid-office-morgenroete/g-1')!.id, 'approved', 'two neighbours confirmed it', { actor: 'key:reviewer' });
    await dp.decide(reviews.find((r) => r.record === 'grid-office-morgenroete/g-2')!.id, 'rejected', 'no snow fell that week', { actor: 'key:reviewer' });
    entries = await store.readAudit(0, 10_000);
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cliReport = async (): Promise<Report> => {
  const r = await run(['report', 'transparency', '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Report;
};

describe('the transparency report', () => {
  it('counts decisions per provider and purpose, refusals per measure, disputes, reviews and sources', async () => {
    const r = await cliReport();
    expect(r.decisions).toEqual([
      { provider: null, providerName: null, purpose: 'court-review', total: 1, outcomes: { allow: 1 } },
      { provider: 'railway', providerName: 'China Railway 12306', purpose: 'ticket-sale', total: 3, outcomes: { deny: 1, allow: 2 } },
    ]);
    expect(r.sanctions.measures).toEqual([expect.objectContaining({ measure: 'defaulter.no_g_train', total: 4, deny: 1, conditions: 0 })]);
    expect(r.disputes).toEqual({ opened: 3, ofRecords: 2, ofDecisions: 1, closed: { withdrawn: 1, corrected: 0, upheld: 0, lapsed: 0, rejected: 1 } });
    expect(r.reviews).toEqual({ approved: 1, rejected: 1 });
    expect(r.restorations).toEqual({ applied: 0, granted: 0, refused: 0 });
    const src = Object.fromEntries(r.sources.map((s) => [s.source, s]));
    expect(src['utilities-bureau']).toMatchObject({ records: 2, late: 1, lateShare: 0.5, disputed: 2, overturned: 1, overturnedShare: 0.5 });
    expect(src['grid-office-morgenroete']).toMatchObject({ records: 2, late: 0, lateShare: 0, disputed: 0, overturned: 0 });
    expect(src['rongcheng-court']).toMatchObject({ records: 1, late: 0, overturned: 0 });
    // Every subject is counted once per scheme, in some grade.
    for (const g of r.grades) expect(Object.values(g.counts).reduce((a, b) => a + b, 0)).toBe(g.subjects);
    expect(r.grades.every((g) => g.subjects === 3)).toBe(true);
    const theft = r.sanctions.rules.filter((x) => x.rule.includes('theft'));
    expect(theft.length).toBeGreaterThan(0);
    // Both thefts deducted; the one its source withdrew ended early.
    for (const t of theft) expect([t.deductions, t.ended]).toEqual([2, 1]);
  });

  it('is recomputed from the audit log alone', async () => {
    const r = await cliReport();
    const from = Date.parse(r.period.from);
    const to = Date.parse(r.period.to);
    const inPeriod = entries.filter((e) => e.at >= from && e.at < to);
    // Decisions: one entry each, named by provider and purpose.
    const decisions = new Map<string, Record<string, number>>();
    for (const e of inPeriod.filter((x) => x.action === 'decision')) {
      const key = `${String(e.detail.provider ?? null)}|${String(e.detail.purpose)}`;
      const m = decisions.get(key) ?? {};
      m[String(e.detail.outcome)] = (m[String(e.detail.outcome)] ?? 0) + 1;
      decisions.set(key, m);
    }
    expect(Object.fromEntries(r.decisions.map((d) => [`${String(d.provider)}|${d.purpose}`, d.outcomes]))).toEqual(Object.fromEntries(decisions));
    // Records per source and the late ones, from the ingest entries.
    const received: Record<string, { records: number; late: number }> = {};
    for (const e of inPeriod.filter((x) => x.action === 'records.ingest')) {
      for (const [s, v] of Object.entries(e.detail.bySource as Record<string, { records: number; late: number }>)) {
        received[s] = { records: (received[s]?.records ?? 0) + v.records, late: (received[s]?.late ?? 0) + v.late };
      }
    }
    expect(Object.fromEntries(r.sources.map((s) => [s.source, { records: s.records, late: s.late }]))).toEqual(received);
    // Disputes and their outcomes.
    expect(r.disputes.opened).toBe(inPeriod.filter((e) => e.action === 'dispute.open').length);
    expect(r.disputes.closed.rejected).toBe(inPeriod.filter((e) => e.action === 'dispute.rejected').length);
    expect(r.disputes.closed.withdrawn).toBe(inPeriod.filter((e) => e.action === 'record.withdraw' && typeof e.detail.case === 'string').length);
    expect(r.reviews.approved).toBe(inPeriod.filter((e) => e.action === 'review.approved').length);
    expect(r.entries.count).toBe(inPeriod.length);
  });

  it('is public over HTTP, the same as the command line, and says what is wrong with a bad period', async () => {
    const store = await SqliteStore.open(db);
    try {
      const access = new SqliteAccessStore(store.sharedConnection());
      const credence = await Credence.open(store, { now: Date.now });
      const app = await buildApp({ credence, store, access, bus: null, now: Date.now, dispatch: false, options: { rateLimit: { burst: 1000, perSecond: 1000 } } });
      try {
        const cli = await cliReport();
        const q = `from=${cli.period.from}&to=${cli.period.to}`;
        const res = await app.inject({ method: 'GET', url: `/v1/reports/transparency?${q.replace(/\+/g, '%2B')}` });
        expect(res.statusCode, res.body).toBe(200);
        const http = JSON.parse(res.body) as Report;
        expect({ ...http, generatedAt: null }).toEqual({ ...cli, generatedAt: null });

        const html = await app.inject({ method: 'GET', url: '/v1/reports/transparency?format=html' });
        expect(html.statusCode).toBe(200);
        expect(html.headers['content-type']).toMatch(/^text\/html/);
        expect(html.body).toContain('<svg');
        expect(html.body).toContain('China Railway 12306');
        expect(html.body).toContain('Share of records overturned on dispute');
        for (const id of [carol, dan, bob]) expect(html.body).not.toContain(id);
        expect(html.body).not.toMatch(/gas meter|passport|counter/);

        const bad = await app.inject({ method: 'GET', url: '/v1/reports/transparency?from=2026-12-31&to=2026-01-01' });
        expect(bad.statusCode).toBe(400);
        expect(JSON.parse(bad.body)).toMatchObject({ code: 'REQUEST_INVALID', detail: expect.stringContaining('from (2026-12-31') });
      } finally {
        await app.close();
      }
    } finally {
      await store.close();
    }
  });

  it('writes the HTML page to a file from the command line, and refuses a period that ends before it starts', async () => {
    const out = path.join(dir, 'report.html');
    const r = await run(['report', 'transparency', '--from', day(-30), '--to', day(0), '--html', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const { readFileSync } = await import('node:fs');
    const page = readFileSync(out, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('Subjects per grade');
    const bad = await run(['report', 'transparency', '--from', day(0), '--to', day(-30)]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--from (');
  });
});
