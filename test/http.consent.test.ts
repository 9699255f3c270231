// Purposes and consent over HTTP, as a bank, a railway, a court and a subject meet them: a
// look-up for a consent purpose without the subject's token is refused; with it, it is
// answered once per use and shown in the subject's query log under the provider's name; a
// token holds only for its subject, provider, purpose and measure, and not once revoked,
// expired or used up; present-only purposes cannot look back; registrations are checked.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alice, bob, daysAgo, httpFixture, json } from './helpers/http.ts';

const DAY = 86_400_000;
const LOAN = { measure: 'defaulter.restricted_loans_cards', purpose: 'credit-application' } as const;

let clock: number;
let f: Awaited<ReturnType<typeof httpFixture>>;
beforeEach(async () => {
  clock = Date.now();
  f = await httpFixture({}, { now: () => clock });
});
afterEach(async () => f.close());

const consent = (subject: string, key: string, body: Record<string, unknown>) => f.call('POST', `/v1/subjects/${subject}/consents`, { key, body });
const ask = (key: string, body: Record<string, unknown>) => f.call('POST', '/v1/decisions', { key, body });
const queries = async (subject: string, key: string) => json(await f.call('GET', `/v1/subjects/${subject}/queries`, { key })).items as Record<string, unknown>[];

describe('a look-up for a consent purpose', () => {
  it('is refused without the subject\'s token, answered with it, and logged with the provider\'s name and the consent', async () => {
    const refused = await ask('bank', { subject: alice, ...LOAN });
    expect(refused.statusCode).toBe(403);
    expect(json(refused)).toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect(json(refused).detail).toContain('provider bank');

    const issued = await consent(alice, 'alice', { provider: 'bank', ...LOAN, uses: 2, expiresInDays: 14 });
    expect(issued.statusCode, issued.body).toBe(201);
    const c = json(issued);
    expect(c).toMatchObject({ subject: alice, provider: { id: 'bank', name: 'Bank' }, ...LOAN, maxUses: 2, uses: 0, status: 'active', createdBy: `key:${f.ids.alice}` });
    expect(c.token).toMatch(/^crd_cns_[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(c.expiresAt) - clock).toBe(14 * DAY);

    const ok = await ask('bank', { subject: alice, ...LOAN, consent: c.token });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({ subject: alice, measure: LOAN.measure, outcome: 'allow' });

    const logged = (await queries(alice, 'alice')).find((q) => q.action === 'decision');
    expect(logged).toMatchObject({ provider: { id: 'bank', name: 'Bank' }, purpose: 'credit-application', measure: LOAN.measure, outcome: 'allow', consent: c.id });
    const issueEntry = (await queries(alice, 'alice')).find((q) => q.action === 'consent.issue');
    expect(issueEntry).toBeDefined();

    // The second use is the last; the third is refused and says why.
    expect((await ask('bank', { subject: alice, ...LOAN, consent: c.token })).statusCode).toBe(200);
    const third = json(await ask('bank', { subject: alice, ...LOAN, consent: c.token }));
    expect(third).toMatchObject({ status: 403, code: 'CONSENT_INVALID' });
    expect(third.detail).toContain('used up (2 of 2 uses)');
    const listed = json(await f.call('GET', `/v1/subjects/${alice}/consents`, { key: 'alice' })).items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: c.id, uses: 2, status: 'used' });
    expect(listed[0].token).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain(c.token);
  });

  it('holds only for the subject, provider, purpose and measure it was issued for', async () => {
    const token = json(await consent(alice, 'alice', { provider: 'bank', ...LOAN })).token as string;
    // Another subject's look-up with alice's token.
    const other = json(await ask('bank', { subject: bob, ...LOAN, consent: token }));
    expect(other).toMatchObject({ code: 'CONSENT_INVALID' });
    expect(other.detail).toContain('not issued by this subject');
    // Another provider registered for the same measure and purpose.
    expect((await f.call('PUT', '/v1/providers/second-bank', { key: 'operator', body: { name: 'Second bank', measures: [LOAN.measure], purposes: [LOAN.purpose] } })).statusCode).toBe(201);
    const k2 = json(await f.call('POST', '/v1/keys', { key: 'operator', body: { role: 'provider', name: 'second bank', binding: 'second-bank' } })).key as string;
    const foreign = json(await ask(k2, { subject: alice, ...LOAN, consent: token }));
    expect(foreign).toMatchObject({ code: 'CONSENT_INVALID' });
    expect(foreign.detail).toContain('issued for provider bank');
    // Not a token at all.
    expect(json(await ask('bank', { subject: alice, ...LOAN, consent: 'crd_cns_nope' })).code).toBe('CONSENT_INVALID');
    // None of these used it up: the bank's own look-up still succeeds.
    expect((await ask('bank', { subject: alice, ...LOAN, consent: token })).statusCode).toBe(200);
  });

  it('is refused once the subject revokes the consent, and once it expires', async () => {
    const c = json(await consent(alice, 'alice', { provider: 'bank', ...LOAN, uses: 5 }));
    const revoked = await f.call('DELETE', `/v1/subjects/${alice}/consents/${c.id}`, { key: 'alice' });
    expect(revoked.statusCode).toBe(200);
    expect(json(revoked)).toMatchObject({ status: 'revoked', revokedAt: new Date(clock).toISOString() });
    const after = json(await ask('bank', { subject: alice, ...LOAN, consent: c.token }));
    expect(after).toMatchObject({ code: 'CONSENT_INVALID' });
    expect(after.detail).toContain('revoked');

    clock += 1_000;
    const d = json(await consent(alice, 'alice', { provider: 'bank', ...LOAN, expiresInDays: 1 }));
    clock += DAY + 1;
    const expired = json(await ask('bank', { subject: alice, ...LOAN, consent: d.token }));
    expect(expired).toMatchObject({ code: 'CONSENT_INVALID' });
    expect(expired.detail).toContain('expired');
    const statuses = json(await f.call('GET', `/v1/subjects/${alice}/consents`, { key: 'alice' })).items.map((x: { status: string }) => x.status);
    expect(statuses).toEqual(['expired', 'revoked']);
  });

  it('cannot be asked in a batch: each subject consents for itself', async () => {
    const r = await f.call('POST', '/v1/decisions/batch', { key: 'bank', body: { subjects: [alice, bob], ...LOAN } });
    expect(r.statusCode).toBe(403);
    expect(json(r)).toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect((await queries(alice, 'alice')).filter((q) => q.action === 'decision')).toEqual([]);
  });
});

describe('issuing a consent', () => {
  it('is for the subject itself, or an operator stating why; only for consent purposes a provider may use', async () => {
    expect(json(await consent(bob, 'alice', { provider: 'bank', ...LOAN })).code).toBe('FORBIDDEN_OBJECT');
    const noReason = await consent(alice, 'operator', { provider: 'bank', ...LOAN });
    expect(noReason.statusCode).toBe(400);
    expect(json(noReason).errors[0].path).toBe('body/onBehalfReason');
    const byOperator = await consent(alice, 'operator', { provider: 'bank', ...LOAN, onBehalfReason: 'signed authorisation form at the branch' });
    expect(byOperator.statusCode).toBe(201);
    expect(json(byOperator).createdBy).toBe(`key:${f.ids.operator}`);

    const notNeeded = json(await consent(bob, 'bob', { provider: 'railway', measure: 'defaulter.no_g_train', purpose: 'ticket-sale' }));
    expect(notNeeded).toMatchObject({ status: 422, code: 'CONSENT_NOT_NEEDED' });
    expect(json(await consent(alice, 'alice', { provider: 'nobody', ...LOAN })).code).toBe('PROVIDER_NOT_FOUND');
    expect(json(await consent(alice, 'alice', { provider: 'railway', ...LOAN })).code).toBe('FORBIDDEN_MEASURE');
    const tooLong = await consent(alice, 'alice', { provider: 'bank', ...LOAN, expiresInDays: 366 });
    expect(tooLong.statusCode).toBe(400);
    // Nothing was issued by the refused requests.
    expect(json(await f.call('GET', `/v1/subjects/${alice}/consents`, { key: 'operator' })).items).toHaveLength(1);
    expect(json(await f.call('GET', `/v1/subjects/${bob}/consents`, { key: 'bob' })).items).toEqual([]);
  });

  it('revoking is for the subject or an operator stating why, and another subject\'s consent is not found', async () => {
    const c = json(await consent(alice, 'alice', { provider: 'bank', ...LOAN }));
    expect((await f.call('DELETE', `/v1/subjects/${bob}/consents/${c.id}`, { key: 'bob' })).statusCode).toBe(404);
    expect((await f.call('DELETE', `/v1/subjects/${alice}/consents/${c.id}`, { key: 'operator' })).statusCode).toBe(400);
    const r = await f.call('DELETE', `/v1/subjects/${alice}/consents/${c.id}`, { key: 'operator', body: { onBehalfReason: 'the subject withdrew consent by letter' } });
    expect(json(r)).toMatchObject({ status: 'revoked' });
    expect((await queries(alice, 'alice')).some((q) => q.action === 'consent.revoke')).toBe(true);
  });
});

describe('purposes', () => {
  it('asks about the present only, unless the purpose allows a past date; the asOf is in the query log', async () => {
    const past = daysAgo(30);
    const refused = json(await ask('railway', { subject: bob, measure: 'defaulter.no_g_train', purpose: 'ticket-sale', asOf: past }));
    expect(refused).toMatchObject({ status: 403, code: 'AS_OF_NOT_ALLOWED' });
    expect(refused.detail).toContain('judicial-review');
    // Today's date (the end of today) is the present.
    expect((await ask('railway', { subject: bob, measure: 'defaulter.no_g_train', purpose: 'ticket-sale', asOf: daysAgo(0) })).statusCode).toBe(200);

    expect((await f.call('PUT', '/v1/providers/appeal-court', { key: 'operator', body: { name: 'Intermediate people\'s court', measures: ['defaulter.no_g_train'], purposes: ['judicial-review'] } })).statusCode).toBe(201);
    const court = json(await f.call('POST', '/v1/keys', { key: 'operator', body: { role: 'provider', name: 'court', binding: 'appeal-court' } })).key as string;
    const r = await ask(court, { subject: bob, measure: 'defaulter.no_g_train', purpose: 'judicial-review', asOf: past });
    expect(r.statusCode, r.body).toBe(200);
    // Thirty days ago bob was not yet listed (the listing is five days old).
    expect(json(r).outcome).toBe('allow');
    const logged = (await queries(bob, 'bob')).find((q) => q.purpose === 'judicial-review');
    expect(logged).toMatchObject({ provider: { id: 'appeal-court', name: 'Intermediate people\'s court' }, asOf: new Date(Date.parse(past) + DAY - 1).toISOString() });
  });

  it('must be the catalogue\'s, declared by the measure, and registered for the provider', async () => {
    const reg = (purposes: string[], measures = [LOAN.measure]) => f.call('PUT', '/v1/providers/landlord', { key: 'operator', body: { name: 'Landlord', measures, purposes } });
    const undeclared = json(await reg(['ticket-sale']));
    expect(undeclared).toMatchObject({ status: 422, code: 'PROVIDER_PURPOSE_INVALID' });
    expect(undeclared.errors[0]).toMatchObject({ path: 'body/purposes/0' });
    expect(undeclared.errors[0].message).toContain('credit-application');
    expect(json(await reg(['gossip'])).code).toBe('PROVIDER_PURPOSE_INVALID');
    expect((await reg(['credit-application'])).statusCode).toBe(201); // registered now
    expect((await reg(['credit-application'])).statusCode).toBe(200); // the same again: an update
    // A stored registration that names a purpose the measure does not declare is refused at the look-up.
    await f.access.saveProvider({ id: 'railway', name: 'Railway', measures: ['defaulter.no_g_train'], purposes: ['ticket-sale', 'credit-application'], createdAt: clock });
    const r = json(await ask('railway', { subject: bob, measure: 'defaulter.no_g_train', purpose: 'credit-application' }));
    expect(r).toMatchObject({ code: 'PURPOSE_NOT_DECLARED' });
    expect(r.detail).toContain('ticket-sale, boarding, judicial-review');
  });
});
