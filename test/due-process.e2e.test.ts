// Due process end to end over the HTTP API: a subject disputes a record, its source confirms
// or lets the deadline pass, a reviewer decides, a source withdraws a record sent in error, a
// grid office's report counts only after a reviewer approves it, a decision is disputed.
// The clock is moved with the system time (Date only; timers run for real), forward only.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Role } from '../src/ports/access-store.ts';
import { newKey } from '../src/transport/http/keys.ts';
import { alice, bob, daysAgo, httpFixture, json } from './helpers/http.ts';

const DAY = 86_400_000;
let f: Awaited<ReturnType<typeof httpFixture>>;
const extra: Record<string, string> = {};

beforeAll(async () => {
  f = await httpFixture();
  const mint = async (name: string, role: Role, binding: string | null) => {
    const k = newKey(role);
    await f.access.createKey({ id: k.id, role, name, hash: k.hash, binding, createdAt: Date.now(), createdBy: 'test', expiresAt: Date.now() + 400 * DAY, revokedAt: null, replacedBy: null });
    extra[name] = k.secret;
  };
  await mint('utilities', 'source', 'utilities-bureau');
  await mint('grid', 'source', 'grid-office-morgenroete');
  // The fixture's keys expire after a day; these outlive the moved clock.
  await mint('op', 'operator', null);
  await mint('aud', 'auditor', null);
  await mint('alice', 'subject', alice);
  await mint('bob', 'subject', bob);
  await mint('tax', 'source', 'tax-bureau');
});
afterAll(async () => f.close());
afterAll(() => vi.useRealTimers());

// The clock only moves forward (from the file's start), as a real one does.
const START = Date.now();
const at = (days: number) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START + days * DAY);
};
const score = async (subject: string) => json(await f.call('GET', `/v1/subjects/${subject}/scores`, { key: extra.op! })).scores.find((s: { scheme: string }) => s.scheme.startsWith('rongcheng')).score as number;
const recordStatus = async (subject: string, id: string) => json(await f.call('GET', `/v1/subjects/${subject}/records`, { key: extra.op! })).items.find((r: { id: string }) => r.id === id).status as string;
const submit = async (key: string, record: Record<string, unknown>) => {
  const r = await f.call('POST', '/v1/records', { key, body: record });
  expect(r.statusCode, r.body).toBe(201);
};
const dispute = (key: string, subject: string, body: Record<string, unknown>) => f.call('POST', `/v1/subjects/${subject}/disputes`, { key, body });

describe('deadlines come from the legal basis', () => {
  it('gives 20 days under the credit-investigation regulation and 30 where no basis sets fewer', () => {
    expect(f.credence.catalogue.recordTypes.get('finance.card_arrears')!.disputeDays).toBe(20);
    expect(f.credence.catalogue.recordTypes.get('utilities.theft')!.disputeDays).toBe(30);
  });
});

describe('withdrawal and an upheld dispute', () => {
  it('restores the score when the source withdraws a record sent in error', async () => {
    const base = await score(alice);
    await submit(extra.utilities!, { source: 'utilities-bureau', sourceRecordId: 'dp-3', subject: alice, type: 'utilities.theft', occurredAt: daysAgo(1), payload: { utility: 'power' } });
    const lowered = await score(alice);
    expect(lowered).toBeLessThan(base);
    const wrong = await f.call('POST', '/v1/records/utilities-bureau/dp-3/withdrawal', { key: 'source', body: { reason: 'not ours to withdraw' } });
    expect(wrong.statusCode).toBe(403);
    const w = await f.call('POST', '/v1/records/utilities-bureau/dp-3/withdrawal', { key: extra.utilities!, body: { reason: 'entered against the wrong account number' } });
    expect(w.statusCode, w.body).toBe(200);
    expect(await score(alice)).toBe(base);
    expect(await recordStatus(alice, 'utilities-bureau/dp-3')).toBe('withdrawn');
    const again = await f.call('POST', '/v1/records/utilities-bureau/dp-3/withdrawal', { key: extra.utilities!, body: { reason: 'entered against the wrong account number' } });
    expect(json(again).code).toBe('RECORD_ALREADY_WITHDRAWN');
    expect(json(await dispute('alice', alice, { record: 'utilities-bureau/dp-3', statement: 'this was never mine at all' })).code).toBe('DISPUTE_RECORD_NOT_COUNTING');
  });

  it('withdraws the record when a reviewer upholds the dispute', async () => {
    await submit(extra.utilities!, { source: 'utilities-bureau', sourceRecordId: 'dp-4', subject: alice, type: 'utilities.theft', occurredAt: daysAgo(1), payload: { utility: 'power' } });
    const lowered = await score(alice);
    const c = json(await dispute('alice', alice, { record: 'utilities-bureau/dp-4', statement: 'the meter belongs to the flat upstairs' }));
    expect(json(await dispute('alice', alice, { record: 'utilities-bureau/dp-4', statement: 'the meter belongs to the flat upstairs' })).code).toBe('DISPUTE_ALREADY_OPEN');
    const d = await f.call('POST', `/v1/cases/${encodeURIComponent(c.id)}/decision`, { key: 'operator', body: { outcome: 'upheld', reason: 'the meter number is registered to flat 4B' } });
    expect(json(d)).toMatchObject({ status: 'closed', outcome: 'upheld' });
    expect(await score(alice)).toBeGreaterThan(lowered);
    expect(await recordStatus(alice, 'utilities-bureau/dp-4')).toBe('withdrawn');
  });
});

describe('the source of a disputed record', () => {
  it('is told at once, with the statement and its deadline, in its own inbox only', async () => {
    await submit(extra.utilities!, { source: 'utilities-bureau', sourceRecordId: 'dp-src', subject: bob, type: 'utilities.theft', occurredAt: daysAgo(1), payload: { utility: 'water' } });
    const c = json(await dispute('bob', bob, { record: 'utilities-bureau/dp-src', statement: 'the tap was sealed by the bureau itself in May' }));
    const inbox = json(await f.call('GET', '/v1/sources/utilities-bureau/notices', { key: extra.utilities! }));
    const n = (inbox.items as { kind: string; subject: string; body: { case: string; record: string; statement: string; deadlines: { at: string }[]; reasons: { code: string }[] } }[]).find((x) => x.body.case === c.id)!;
    expect(n).toMatchObject({ kind: 'dispute.opened', subject: bob, body: { record: 'utilities-bureau/dp-src', statement: 'the tap was sealed by the bureau itself in May' } });
    expect(n.body.reasons[0]!.code).toBe('DISPUTE_OPENED');
    expect(n.body.deadlines[0]!.at).toBe(c.dueAt);
    // Another source's key cannot read it; the subject's own inbox and a provider's do not hold it.
    expect((await f.call('GET', '/v1/sources/utilities-bureau/notices', { key: extra.tax! })).statusCode).toBe(403);
    const mine = json(await f.call('GET', `/v1/subjects/${bob}/notices`, { key: extra.bob! })).items as { kind: string }[];
    expect(mine.map((x) => x.kind)).not.toContain('dispute.opened');
    const railway = json(await f.call('GET', '/v1/providers/railway/notices', { key: 'railway' })).items as { kind: string }[];
    expect(railway.map((x) => x.kind)).not.toContain('dispute.opened');
    // The source may have them pushed to its own webhook, and only its own.
    const hook = await f.call('POST', '/v1/webhooks', { key: extra.utilities!, body: { url: 'https://utilities.example/hooks/credence', kinds: ['dispute.opened'] } });
    expect(hook.statusCode, hook.body).toBe(201);
    expect(json(hook).recipient).toBe('source:utilities-bureau');
    const foreign = await f.call('POST', '/v1/webhooks', { key: extra.utilities!, body: { url: 'https://utilities.example/hooks/other', recipient: 'provider:railway' } });
    expect(foreign.statusCode).toBe(403);
  });
});

describe('a grid office report', () => {
  it('counts only after a reviewer approves it, and a rejected one never counts', async () => {
    const base = await score(bob);
    await submit(extra.grid!, { source: 'grid-office-morgenroete', sourceRecordId: 'g-1', subject: bob, type: 'civic.dog_fouled_lawn', occurredAt: daysAgo(1), evidence: ['photo-1'] });
    await submit(extra.grid!, { source: 'grid-office-morgenroete', sourceRecordId: 'g-2', subject: bob, type: 'civic.dog_fouled_lawn', occurredAt: daysAgo(1), evidence: ['photo-2'] });
    expect(await score(bob)).toBe(base);
    expect(await recordStatus(bob, 'grid-office-morgenroete/g-1')).toBe('pending-review');
    const queue = json(await f.call('GET', `/v1/cases?kind=review&subject=${bob}`, { key: 'operator' }));
    expect(queue.items.map((x: { record: string }) => x.record)).toEqual(['grid-office-morgenroete/g-1', 'grid-office-morgenroete/g-2']);
    expect(queue.items[0].dueAt).not.toBeNull();
    const wrongOutcome = await f.call('POST', `/v1/cases/${encodeURIComponent('review:grid-office-morgenroete/g-1')}/decision`, { key: 'operator', body: { outcome: 'upheld', reason: 'photo shows the dog' } });
    expect(json(wrongOutcome).code).toBe('DUE_PROCESS_INVALID');
    const ok = await f.call('POST', `/v1/cases/${encodeURIComponent('review:grid-office-morgenroete/g-1')}/decision`, { key: 'operator', body: { outcome: 'approved', reason: 'the photo shows the dog and the lawn' } });
    expect(ok.statusCode, ok.body).toBe(200);
    const approved = await score(bob);
    expect(approved).toBeLessThan(base);
    await f.call('POST', `/v1/cases/${encodeURIComponent('review:grid-office-morgenroete/g-2')}/decision`, { key: 'operator', body: { outcome: 'rejected', reason: 'the photo does not show whose dog it is' } });
    expect(await score(bob)).toBe(approved);
    expect(await recordStatus(bob, 'grid-office-morgenroete/g-2')).toBe('rejected');
  });
});

describe('what providers and other subjects see', () => {
  it('tells a provider that a dispute is open (DISPUTED_RECORD), never its text', async () => {
    const d0 = await dispute('bob', bob, { record: 'rongcheng-court/c-1', statement: 'I paid the judgment debt in full on 1 March; secret-detail-42' });
    expect(d0.statusCode, d0.body).toBe(201);
    const r = await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_g_train', purpose: 'ticket-sale' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(json(r).reasons.map((x: { code: string }) => x.code)).toContain('DISPUTED_RECORD');
    expect(r.body).not.toContain('secret-detail-42');
  });

  it('takes a dispute of a decision to a reviewer, and refuses another subject\'s case', async () => {
    const dec = json(await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_soft_sleeper', purpose: 'ticket-sale' } }));
    const c = await dispute('bob', bob, { decision: dec.decisionId, statement: 'I need a human to review this refusal' });
    expect(c.statusCode, c.body).toBe(201);
    expect(json(c)).toMatchObject({ status: 'in-review', decision: dec.decisionId, record: null });
    expect((await f.call('GET', `/v1/cases/${encodeURIComponent(json(c).id)}`, { key: 'alice' })).statusCode).toBe(403);
    expect((await dispute('alice', bob, { decision: dec.decisionId, statement: 'not my decision at all' })).statusCode).toBe(403);
    expect(json(await dispute('alice', alice, { decision: dec.decisionId, statement: 'not my decision at all' })).code).toBe('DECISION_NOT_FOUND');
    const mine = json(await f.call('GET', `/v1/subjects/${bob}/disputes`, { key: 'bob' }));
    expect(mine.items.map((x: { id: string }) => x.id)).toContain(json(c).id);
  });

  it('needs an operator filing for a subject to say why', async () => {
    const r = await dispute('operator', alice, { record: 'utilities-bureau/u-1', statement: 'the subject called the hotline about this' });
    expect(r.statusCode).toBe(400);
    const ok = await dispute('operator', alice, { record: 'utilities-bureau/u-1', statement: 'the subject called the hotline about this', onBehalfReason: 'hotline call 2026-118' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json(ok).history[0].reason).toContain('hotline call 2026-118');
  });
});

// These move the clock, so they come last.
describe('a dispute its source leaves unconfirmed', () => {
  it('marks the record at once, keeps it counting to day 30 and stops it on day 31', async () => {
    await submit(extra.utilities!, { source: 'utilities-bureau', sourceRecordId: 'dp-1', subject: alice, type: 'utilities.theft', occurredAt: daysAgo(3), payload: { utility: 'water' } });
    const before = await score(alice);
    const r = await dispute('alice', alice, { record: 'utilities-bureau/dp-1', statement: 'I was abroad when the meter was read; my passport shows it.' });
    expect(r.statusCode, r.body).toBe(201);
    const c = json(r);
    expect(c).toMatchObject({ kind: 'dispute', status: 'open', record: 'utilities-bureau/dp-1', outcome: null });
    expect(Date.parse(c.dueAt) - Date.parse(c.createdAt)).toBe(30 * DAY);
    expect(await recordStatus(alice, 'utilities-bureau/dp-1')).toBe('disputed');
    expect(await score(alice)).toBe(before);

    at(29.9);
    expect(await score(alice)).toBe(before);
    at(31);
    expect(json(await f.call('GET', `/v1/cases/${encodeURIComponent(c.id)}`, { key: extra.alice! }))).toMatchObject({ status: 'closed', outcome: 'lapsed' });
    expect(await score(alice)).toBeGreaterThan(before);
    // Too late for the source now.
    const late = await f.call('POST', `/v1/cases/${encodeURIComponent(c.id)}/response`, { key: extra.utilities!, body: { action: 'confirm', reason: 'the meter log shows it', evidence: ['log-9'] } });
    expect(late.statusCode).toBe(409);
    expect(json(late).code).toBe('CASE_STEP_NOT_ALLOWED');
  });
});

describe('a dispute its source confirms', () => {
  it('keeps the record counting past the deadline, and a reviewer who rejects the dispute keeps it', async () => {
    await submit(extra.utilities!, { source: 'utilities-bureau', sourceRecordId: 'dp-2', subject: bob, type: 'utilities.theft', occurredAt: daysAgo(2), payload: { utility: 'gas' } });
    const counted = await score(bob);
    const c = json(await dispute(extra.bob!, bob, { record: 'utilities-bureau/dp-2', statement: 'The gas connection is my neighbour\'s, not mine.' }));
    const id = encodeURIComponent(c.id);
    // Only the record's own source may answer, and only with evidence.
    expect((await f.call('POST', `/v1/cases/${id}/response`, { key: extra.tax!, body: { action: 'confirm', reason: 'we have the evidence', evidence: ['x'] } })).statusCode).toBe(403);
    const noEvidence = await f.call('POST', `/v1/cases/${id}/response`, { key: extra.utilities!, body: { action: 'confirm', reason: 'the inspection report shows it' } });
    expect(json(noEvidence).code).toBe('DUE_PROCESS_INVALID');
    const ok = await f.call('POST', `/v1/cases/${id}/response`, { key: extra.utilities!, body: { action: 'confirm', reason: 'the inspection report shows the bypass', evidence: ['inspection-2026-118'] } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok).status).toBe('in-review');

    at(31 + 40); // past the 30 days from the dispute
    expect(await score(bob)).toBe(counted);
    const queue = json(await f.call('GET', '/v1/cases?kind=dispute&status=in-review', { key: extra.op! }));
    expect(queue.items.map((x: { id: string }) => x.id)).toContain(c.id);
    const d = await f.call('POST', `/v1/cases/${id}/decision`, { key: extra.op!, body: { outcome: 'rejected', reason: 'the inspection report names this connection' } });
    expect(d.statusCode, d.body).toBe(200);
    expect(json(d)).toMatchObject({ status: 'closed', outcome: 'rejected' });
    expect(json(d).history.map((h: { step: string }) => h.step)).toEqual(['opened', 'confirmed', 'rejected']);
    expect(await score(bob)).toBe(counted);
    expect(await recordStatus(bob, 'utilities-bureau/dp-2')).toBe('active');
    // Every step is in the audit log.
    const log = json(await f.call('GET', '/v1/audit?limit=1000', { key: extra.aud! }));
    const actions = (log.items ?? log.entries ?? []).filter((e: { detail: { case?: string } }) => e.detail?.case === c.id).map((e: { action: string }) => e.action);
    expect(actions).toEqual(['dispute.open', 'dispute.confirm', 'dispute.rejected']);
  });
});

