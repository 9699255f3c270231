// Four eyes per deployment, end to end over the HTTP API: with the setting on, a direct
// grading (drunk driving under Rongcheng; the court listing the Honest Shanghai answer grades
// directly) and a manual list entry wait for a second person's approval and change nothing
// before it; the operator who entered a listing by hand cannot approve it; a dispute's
// decision takes two reviewers (the first outcome is a proposal). With the setting off (the
// default, every other test file) each of these takes effect at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/identifiers.ts';
import type { Role } from '../src/ports/access-store.ts';
import { newKey } from '../src/transport/http/keys.ts';
import { alice, bob, daysAgo, httpFixture, json } from './helpers/http.ts';

const carol = makeResidentId('371082', '19791104', '027');
let f: Awaited<ReturnType<typeof httpFixture>>;
const keys: Record<string, string> = {};

beforeAll(async () => {
  f = await httpFixture({}, { fourEyes: true });
  const mint = async (name: string, role: Role, binding: string | null) => {
    const k = newKey(role);
    await f.access.createKey({ id: k.id, role, name, hash: k.hash, binding, createdAt: Date.now(), createdBy: 'test', expiresAt: Date.now() + 86_400_000, revokedAt: null, replacedBy: null });
    keys[name] = k.secret;
  };
  await mint('police', 'source', 'traffic-police');
  await mint('op2', 'operator', null);
});
afterAll(async () => f.close());

const grade = async (subject: string, scheme: string) => (json(await f.call('GET', `/v1/subjects/${subject}/scores`, { key: 'operator' })).scores as { scheme: string; grade: string }[]).find((s) => s.scheme.startsWith(scheme))!.grade;
const lists = async (subject: string) => (json(await f.call('GET', `/v1/subjects/${subject}/lists`, { key: 'operator' })).items as { list: string }[]).map((e) => e.list);
const status = async (subject: string, id: string) => (json(await f.call('GET', `/v1/subjects/${subject}/records`, { key: 'operator' })).items as { id: string; status: string }[]).find((r) => r.id === id)!.status;
const decide = (key: string, id: string, outcome: string, reason: string) => f.call('POST', `/v1/cases/${encodeURIComponent(id)}/decision`, { key, body: { outcome, reason } });

describe('four eyes on direct gradings', () => {
  it('holds a court listing (graded directly by the Honest Shanghai answer) until a reviewer approves it', async () => {
    expect(await lists(bob)).toEqual([]);
    expect(await status(bob, 'rongcheng-court/c-1')).toBe('pending-review');
    expect(await grade(bob, 'honest-shanghai')).toBe('good');
    const item = json(await f.call('GET', `/v1/cases/${encodeURIComponent('review:rongcheng-court/c-1')}`, { key: 'operator' }));
    expect(item).toMatchObject({ kind: 'review', status: 'open' });
    expect(item.history[0].reason).toContain('four eyes');
    const ok = await decide('operator', 'review:rongcheng-court/c-1', 'approved', 'the court order matches the listing');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await lists(bob)).toContain('judgment-defaulters');
    expect(await grade(bob, 'honest-shanghai')).toBe('bad');
  });

  it('holds a drunk-driving grading until a second person approves it, and a rejected one never grades', async () => {
    const before = await grade(carol, 'rongcheng');
    for (const id of ['dd-1', 'dd-2']) {
      const r = await f.call('POST', '/v1/records', { key: keys.police!, body: { source: 'traffic-police', sourceRecordId: id, subject: carol, type: 'traffic.drunk_driving', occurredAt: daysAgo(2), payload: { case_ref: `JT-2026-${id}` } } });
      expect(r.statusCode, r.body).toBe(201);
    }
    expect(await grade(carol, 'rongcheng')).toBe(before);
    expect(await status(carol, 'traffic-police/dd-1')).toBe('pending-review');
    await decide('operator', 'review:traffic-police/dd-2', 'rejected', 'the breath test was not calibrated');
    expect(await grade(carol, 'rongcheng')).toBe(before);
    await decide('operator', 'review:traffic-police/dd-1', 'approved', 'the blood test confirms the reading');
    expect(await grade(carol, 'rongcheng')).toBe('C');
  });

  it('does not hold a record no scheme grades directly', async () => {
    const r = await f.call('POST', '/v1/records', { key: 'source', body: { source: 'tax-bureau', sourceRecordId: 'fe-1', subject: alice, type: 'tax.arrears', occurredAt: daysAgo(3), payload: { amount: 1200 } } });
    expect(r.statusCode, r.body).toBe(201);
    expect(await status(alice, 'tax-bureau/fe-1')).toBe('active');
  });
});

describe('four eyes on manual list entries', () => {
  it('holds an entry made by hand until another operator approves it', async () => {
    const add = await f.call('POST', '/v1/lists/judgment-defaulters/entries', {
      key: 'operator',
      body: { subject: carol, source: 'rongcheng-court', reason: 'court order received by post', payload: { case_ref: '(2026) Lu 1082 Zhi 9', ground: 'able_to_pay_refuses', end_date: daysAgo(-500) } },
    });
    expect(add.statusCode, add.body).toBe(201);
    const review = json(add).review as string;
    expect(review).toBe(`review:${json(add).record as string}`);
    expect(await lists(carol)).not.toContain('judgment-defaulters');
    const self = await decide('operator', review, 'approved', 'I entered it and approve it');
    expect(self.statusCode).toBe(409);
    expect(json(self).code).toBe('CASE_STEP_NOT_ALLOWED');
    const second = await decide(keys.op2!, review, 'approved', 'the court order is genuine and legible');
    expect(second.statusCode, second.body).toBe(200);
    expect(await lists(carol)).toContain('judgment-defaulters');
  });
});

describe('four eyes on a dispute\'s decision', () => {
  it('takes the first reviewer\'s outcome as a proposal, and decides when a second reviewer gives the same', async () => {
    const d = await f.call('POST', `/v1/subjects/${alice}/disputes`, { key: 'alice', body: { record: 'utilities-bureau/u-1', statement: 'the meter belongs to the flat upstairs' } });
    expect(d.statusCode, d.body).toBe(201);
    const id = json(d).id as string;
    const first = json(await decide('operator', id, 'upheld', 'the meter number belongs to flat 4B'));
    expect(first).toMatchObject({ status: 'open', outcome: null, proposal: { outcome: 'upheld', reason: 'the meter number belongs to flat 4B' } });
    expect(await status(alice, 'utilities-bureau/u-1')).toBe('disputed');
    const again = await decide('operator', id, 'upheld', 'still of the same opinion');
    expect(json(again).code).toBe('CASE_STEP_NOT_ALLOWED');
    // A second reviewer who disagrees makes a new proposal, which the first may then confirm.
    const other = json(await decide(keys.op2!, id, 'rejected', 'the meter register shows flat 3B, hers'));
    expect(other).toMatchObject({ status: 'open', proposal: { outcome: 'rejected' } });
    const done = json(await decide('operator', id, 'rejected', 'on a second look at the register, agreed'));
    expect(done).toMatchObject({ status: 'closed', outcome: 'rejected', proposal: null });
    expect(done.history.map((h: { step: string }) => h.step)).toEqual(['opened', 'proposed', 'proposed', 'rejected']);
    const audit = (json(await f.call('GET', '/v1/audit?limit=1000', { key: 'auditor' })).items as { action: string; detail: { case?: string } }[]).filter((e) => e.detail.case === id).map((e) => e.action);
    expect(audit).toEqual(['dispute.open', 'case.propose', 'case.propose', 'dispute.rejected']);
  });
});
