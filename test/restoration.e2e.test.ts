// Credit restoration end to end over the HTTP API: market regulation lists a firm on the list
// of seriously illegal and dishonest entities (a published scheme's list rule), the firm
// applies too early and is told from when it may; after the minimum time listed it applies
// with proof of remedy; a reviewer grants it and the listing ends (RESTORED) everywhere: the
// subject's lists, the public list, the measures in force, the notice, the audit log and the
// transparency report. A refusal keeps the listing and says why. The clock is the fixture's
// own, moved forward only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpired } from '../src/app/retention.ts';
import { addWorkingDays } from '../src/domain/duration.ts';
import { contextOf } from '../src/transport/http/app.ts';
import { makeUscc } from '../src/domain/identifiers.ts';
import type { Role } from '../src/ports/access-store.ts';
import { newKey } from '../src/transport/http/keys.ts';
import { bob, httpFixture, json } from './helpers/http.ts';

const DAY = 86_400_000;
// The first Monday 09:00 UTC after now: the fixture's records (dated from the real clock) are older.
const START = (() => {
  const d = new Date(Date.now() + DAY);
  d.setUTCHours(9, 0, 0, 0);
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d.getTime();
})();
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
let clock = START;
const firm = makeUscc('91', '371082', 'MA0R5T0R');
const other = makeUscc('91', '371082', 'MA0R5T1X');
let f: Awaited<ReturnType<typeof httpFixture>>;
const keys: Record<string, string> = {};

const SCHEME = `id: market-supervision
version: 1
title: Market-regulation listings
status: draft
source: SAMR Order 44 list of seriously illegal and dishonest entities
base: 1000
defaultGrade: A
bands:
  - { grade: A, label: not graded, min: null, max: null }
rules: []
listRules:
  - list: serious-dishonesty-market
    recordType: commerce.serious_illegal_dishonest_listed
    duration: P3Y
    legalBasis: samr-order-44 (whole text)
`;

beforeAll(async () => {
  f = await httpFixture({}, { now: () => clock });
  const mint = async (name: string, role: Role, binding: string | null) => {
    const k = newKey(role);
    await f.access.createKey({ id: k.id, role, name, hash: k.hash, binding, createdAt: clock, createdBy: 'test', expiresAt: clock + 3000 * DAY, revokedAt: null, replacedBy: null });
    keys[name] = k.secret;
  };
  await mint('samr', 'source', 'samr');
  await mint('op', 'operator', null);
  await mint('op2', 'operator', null);
  await mint('firm', 'subject', firm);
  await mint('other', 'subject', other);
  const up = await f.call('POST', '/v1/schemes', { key: keys.op!, raw: SCHEME, contentType: 'application/yaml' });
  expect(up.statusCode, up.body).toBe(201);
  const pub = await f.call('POST', '/v1/schemes/market-supervision/versions/1/publish', { key: keys.op! });
  expect(pub.statusCode, pub.body).toBe(200);
  for (const [subject, id] of [[firm, 'SAMR-2026-0042'], [other, 'SAMR-2026-0043']] as const) {
    const r = await f.call('POST', '/v1/records', {
      key: keys.samr!,
      body: { source: 'samr', sourceRecordId: id, subject, type: 'commerce.serious_illegal_dishonest_listed', occurredAt: day(START), payload: { decision_ref: `Lu Shi Jian Fa (2026) ${id.slice(-2)}`, ground: 'serious food safety violation' } },
    });
    expect(r.statusCode, r.body).toBe(201);
  }
});
afterAll(async () => f.close());

const lists = async (subject: string) => json(await f.call('GET', `/v1/subjects/${subject}/lists`, { key: keys.op! })).items as { list: string; until: string }[];
const apply = (key: string, subject: string, body: Record<string, unknown>) => f.call('POST', `/v1/subjects/${subject}/restorations`, { key, body });
const decide = (key: string, id: string, outcome: string, reason: string) => f.call('POST', `/v1/cases/${encodeURIComponent(id)}/decision`, { key, body: { outcome, reason } });
const publicEntries = async () => json(await f.call('GET', '/v1/lists/serious-dishonesty-market/entries')).items as { subject: string }[];
const proof = { statement: 'The fine was paid in full on 2 May and the recall is complete.', evidence: ['receipt 2026-05-02-7781', 'recall certificate SAMR-RC-118'] };

describe('the catalogue says which lists allow restoration', () => {
  it('publishes the minimum time listed, the working days to decide and the basis; a court list has none', async () => {
    const items = json(await f.call('GET', '/v1/catalogue/lists')).items as { id: string; restoration: unknown }[];
    expect(items.find((l) => l.id === 'serious-dishonesty-market')!.restoration).toEqual({ after: 'P1Y', decisionWorkingDays: 10, legalBasis: expect.stringContaining('Credit Information Restoration') as unknown });
    expect(items.find((l) => l.id === 'judgment-defaulters')!.restoration).toBeNull();
  });
});

describe('an application for credit restoration', () => {
  it('is announced with the listing: the notice names the right and the first day it may be used', async () => {
    const notices = json(await f.call('GET', `/v1/subjects/${firm}/notices`, { key: keys.firm! })).items as { kind: string; body: { rights: { right: string }[]; deadlines: { what: string; at: string }[] } }[];
    const entered = notices.find((n) => n.kind === 'list.entered')!;
    expect(entered.body.rights.map((r) => r.right)).toContain('restoration');
    const oneYear = new Date(START);
    oneYear.setUTCFullYear(oneYear.getUTCFullYear() + 1);
    expect(entered.body.deadlines).toContainEqual({ what: 'earliest application for credit restoration', at: oneYear.toISOString() });
  });

  it('is refused before the minimum time listed, naming the first day it is taken', async () => {
    expect((await lists(firm)).map((e) => e.list)).toEqual(['serious-dishonesty-market']);
    clock = START + 200 * DAY;
    const early = await apply(keys.firm!, firm, { record: 'samr/SAMR-2026-0042', ...proof });
    expect(early.statusCode, early.body).toBe(422);
    expect(json(early).code).toBe('RESTORATION_TOO_EARLY');
    const oneYear = new Date(START);
    oneYear.setUTCFullYear(oneYear.getUTCFullYear() + 1);
    expect(json(early).detail).toContain(`from ${day(oneYear.getTime())}`);
  });

  it('is refused for a listing restoration cannot end, without proof, or for another subject', async () => {
    const court = await apply(keys.op!, bob, { record: 'rongcheng-court/c-1', onBehalfReason: 'letter received at the counter', ...proof });
    expect(json(court).code, court.body).toBe('RESTORATION_NOT_APPLICABLE');
    expect(json(court).detail).toContain('delisting');
    const noProof = await apply(keys.firm!, firm, { record: 'samr/SAMR-2026-0042', statement: proof.statement, evidence: [] });
    expect(noProof.statusCode).toBe(400);
    const foreign = await apply(keys.other!, firm, { record: 'samr/SAMR-2026-0042', ...proof });
    expect(foreign.statusCode).toBe(403);
    const notListing = await apply(keys.firm!, firm, { record: 'samr/NO-SUCH', ...proof });
    expect(json(notListing).code).toBe('RESTORATION_NOT_APPLICABLE');
  });

  it('once the minimum has passed, goes to a reviewer with a deadline in working days; a grant ends the listing with RESTORED', async () => {
    clock = START + 366 * DAY + 3 * 3_600_000;
    const a = await apply(keys.firm!, firm, { record: 'samr/SAMR-2026-0042', ...proof });
    expect(a.statusCode, a.body).toBe(201);
    const c = json(a);
    expect(c).toMatchObject({ kind: 'restoration', status: 'in-review', list: 'serious-dishonesty-market', record: 'samr/SAMR-2026-0042', statement: proof.statement });
    expect(c.id).toMatch(/^restoration:/);
    expect(Date.parse(c.dueAt)).toBe(addWorkingDays(clock, 10));
    expect(Date.parse(c.dueAt) - clock).toBe(14 * DAY); // ten working days span two weekends
    expect(c.history[0].evidence).toEqual(proof.evidence);
    const twice = await apply(keys.firm!, firm, { record: 'samr/SAMR-2026-0042', ...proof });
    expect(twice.statusCode).toBe(409);
    expect(json(twice).code).toBe('RESTORATION_ALREADY_OPEN');
    const queue = json(await f.call('GET', '/v1/cases?kind=restoration', { key: keys.op! })).items as { id: string }[];
    expect(queue.map((x) => x.id)).toEqual([c.id]);
    expect((await publicEntries()).length).toBe(2); // still listed while the application waits

    const wrong = await decide(keys.op!, c.id, 'approved', 'the fine is paid and the recall complete');
    expect(json(wrong).code).toBe('DUE_PROCESS_INVALID');
    const granted = await decide(keys.op!, c.id, 'granted', 'the fine is paid and the recall certificate is genuine');
    expect(granted.statusCode, granted.body).toBe(200);
    expect(json(granted)).toMatchObject({ status: 'closed', outcome: 'granted' });

    expect(await lists(firm)).toEqual([]);
    expect(await lists(other)).toHaveLength(1);
    expect((await publicEntries()).length).toBe(1);
    const records = json(await f.call('GET', `/v1/subjects/${firm}/records`, { key: keys.firm! })).items as { id: string; restoredAt: string | null }[];
    expect(records.find((r) => r.id === 'samr/SAMR-2026-0042')!.restoredAt).toBe(new Date(clock).toISOString());
    // The listing as it stood before the grant is still what it was (valid time).
    const then = json(await f.call('GET', `/v1/subjects/${firm}/lists?asOf=${new Date(clock - DAY).toISOString()}`, { key: keys.op! })).items as { list: string }[];
    expect(then.map((e) => e.list)).toEqual(['serious-dishonesty-market']);

    const notices = json(await f.call('GET', `/v1/subjects/${firm}/notices`, { key: keys.firm! })).items as { kind: string; body: { reasons: { code: string }[]; list: string } }[];
    const n = notices.find((x) => x.kind === 'restoration.outcome')!;
    expect(n.body.reasons[0]!.code).toBe('RESTORATION_GRANTED');
    expect(n.body.list).toBe('serious-dishonesty-market');
    const audit = json(await f.call('GET', '/v1/audit?limit=1000', { key: 'auditor' })).items as { action: string; detail: { case?: string } }[];
    expect(audit.filter((e) => e.detail.case === c.id).map((e) => e.action)).toEqual(['restoration.apply', 'restoration.granted']);
    const report = json(await f.call('GET', '/v1/reports/transparency'));
    expect(report.restorations).toEqual({ applied: 1, granted: 1, refused: 0 });
    const again = await apply(keys.firm!, firm, { record: 'samr/SAMR-2026-0042', ...proof });
    expect(json(again).code).toBe('RESTORATION_NOT_APPLICABLE');
  });

  it('filed by an operator for the subject, is decided by another operator; a refusal keeps the listing and says why', async () => {
    const a = await apply(keys.op!, other, { record: 'samr/SAMR-2026-0043', onBehalfReason: 'application form received by post', ...proof });
    expect(a.statusCode, a.body).toBe(201);
    const id = json(a).id as string;
    const self = await decide(keys.op!, id, 'granted', 'I filed it and would like to grant it');
    expect(json(self).code).toBe('CASE_STEP_NOT_ALLOWED');
    const refused = await decide(keys.op2!, id, 'refused', 'the recall certificate is for another product line');
    expect(json(refused)).toMatchObject({ status: 'closed', outcome: 'refused' });
    expect(await lists(other)).toHaveLength(1);
    const n = (json(await f.call('GET', `/v1/subjects/${other}/notices`, { key: keys.other! })).items as { kind: string; body: { reasons: { code: string }[]; reason: string; rights: { right: string }[] } }[]).find((x) => x.kind === 'restoration.outcome')!;
    expect(n.body.reasons[0]!.code).toBe('RESTORATION_REFUSED');
    expect(n.body.reason).toContain('another product line');
    expect(n.body.rights.map((r) => r.right)).toContain('restoration');
    // Refused, the subject may apply again with further proof.
    expect((await apply(keys.other!, other, { record: 'samr/SAMR-2026-0043', ...proof, evidence: ['recall certificate SAMR-RC-119'] })).statusCode).toBe(201);
    // The queue's gauges: one application waiting; past its ten working days, overdue.
    const gauge = async (name: string) => Number(/credence_cases_\w+\{kind="restoration"\} (\d+)/.exec((await f.call('GET', '/metrics')).body.split('\n').filter((l) => l.startsWith(name)).join('\n'))?.[1]);
    expect([await gauge('credence_cases_waiting'), await gauge('credence_cases_overdue')]).toEqual([1, 0]);
    clock += 15 * DAY;
    expect([await gauge('credence_cases_waiting'), await gauge('credence_cases_overdue')]).toEqual([1, 1]);
    const overdue = json(await f.call('GET', '/v1/cases?kind=restoration&overdue=true', { key: keys.op! })).items as { subject: string; overdue: boolean }[];
    expect(overdue.map((c) => [c.subject, c.overdue])).toEqual([[other, true]]);
  });

  it('goes with its record once the record is past retention (an open application is moot then)', async () => {
    clock += 4 * 365 * DAY; // past the listing's three years and the record type's retention
    const report = await purgeExpired(contextOf(f.app).state.credence);
    expect(report.records).toBeGreaterThanOrEqual(2);
    const left = json(await f.call('GET', '/v1/cases?kind=restoration', { key: keys.op! })).items as { record: string }[];
    expect(left).toEqual([]);
  });
});
