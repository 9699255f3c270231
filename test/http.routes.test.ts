// Every route through app.inject: what each role gets, with the wire shapes users see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { alice, bob, carol, daysAgo, httpFixture, json } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => { f = await httpFixture(); });
afterAll(async () => f.close());

describe('health and metrics', () => {
  it('answers /healthz, /readyz and /metrics without a key', async () => {
    expect(json(await f.call('GET', '/healthz')).status).toBe('ok');
    expect(json(await f.call('GET', '/readyz')).status).toBe('ready');
    const m = await f.call('GET', '/metrics');
    expect(m.headers['content-type']).toContain('text/plain');
    expect(m.body).toContain('# TYPE credence_decision_duration_seconds histogram');
    expect(m.body).toContain('credence_records_accepted_total');
    // The process's own metrics, for alerts on memory and a blocked event loop.
    expect(m.body).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(m.body).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(m.body).toMatch(/^credence_cases_waiting\{kind="dispute"\} \d+$/m);
    // Every sample line parses as name{labels} value, with label values quoted and escaped.
    const samples = m.body.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples.filter((l) => !/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/i.test(l))).toEqual([]);
  });
});

describe('public catalogue', () => {
  it('lists record types in pages, sources, lists, measures, schemes and purposes', async () => {
    const p1 = json(await f.call('GET', '/v1/catalogue/record-types?limit=5'));
    expect(p1.items).toHaveLength(5);
    const p2 = json(await f.call('GET', `/v1/catalogue/record-types?limit=5&after=${p1.next}`));
    expect(p2.items[0].code > p1.items[4].code).toBe(true);
    expect(json(await f.call('GET', '/v1/catalogue/sources')).items.some((s: { id: string }) => s.id === 'tax-bureau')).toBe(true);
    expect(json(await f.call('GET', '/v1/catalogue/lists')).items.find((l: { id: string }) => l.id === 'judgment-defaulters').public).toBe(true);
    const m = json(await f.call('GET', '/v1/catalogue/measures')).items.find((x: { id: string }) => x.id === 'defaulter.no_g_train');
    expect(m.crossContext).toBe(true);
    expect(m.legalBasis).toMatch(/Opinions/);
    const s = json(await f.call('GET', '/v1/catalogue/schemes')).items;
    expect(s.map((x: { key: string }) => x.key)).toContain('rongcheng@1');
    expect(s[0].bands.length).toBeGreaterThan(0);
    const purposes = json(await f.call('GET', '/v1/catalogue/purposes')).items as { id: string; kind: string; pastDates: boolean; legalBasis: string }[];
    expect(purposes.find((p) => p.id === 'boarding')).toMatchObject({ kind: 'subject-initiated', pastDates: false });
    expect(purposes.find((p) => p.id === 'credit-application')).toMatchObject({ kind: 'consent', legalBasis: expect.stringContaining('Art. 18') });
    expect(purposes.find((p) => p.id === 'judicial-review')).toMatchObject({ kind: 'statutory', pastDates: true });
  });

  it('serves the legal-basis registry, and every catalogue object names its citations', async () => {
    const bases = json(await f.call('GET', '/v1/catalogue/legal-bases')).items as Array<{ id: string; title: string; titleZh: string; url: string; authorises: { lists?: Array<{ list: string; maxPeriod?: string; sourceKinds?: string[] }> } }>;
    const court = bases.find((b) => b.authorises.lists?.some((l) => l.list === 'judgment-defaulters'))!;
    expect(court.authorises.lists!.find((l) => l.list === 'judgment-defaulters')).toMatchObject({ maxPeriod: expect.stringMatching(/^P\dY$/), sourceKinds: ['court'] });
    expect(court.titleZh).toMatch(/失信被执行人/);
    const m = json(await f.call('GET', '/v1/catalogue/measures')).items.find((x: { id: string }) => x.id === 'defaulter.no_g_train');
    expect(m.citations.length).toBeGreaterThan(0);
    for (const c of m.citations) expect(bases.map((b) => b.id)).toContain(c.ref);
    const rules = json(await f.call('GET', '/v1/catalogue/schemes')).items.find((x: { key: string }) => x.key === 'rongcheng@1');
    expect(rules.listRules[0].legalBasis).toContain(court.title);
    expect(rules.listRules[0].citations[0]).toMatchObject({ ref: court.id });
  });

  it('shows entries of public lists to anyone and of other lists only to operators', async () => {
    const masked = `${bob.slice(0, 6)}${'*'.repeat(bob.length - 10)}${bob.slice(-4)}`;
    const r = await f.call('GET', '/v1/lists/judgment-defaulters/entries');
    const pub = json(r);
    expect(pub).toMatchObject({ view: 'public', consentRequired: false, withheld: 0 });
    expect(pub.items.map((e: { subject: string }) => e.subject)).toContain(masked);
    // Never the full identifier, never a score or a grade, never the record behind the entry.
    expect(r.body).not.toContain(bob);
    expect(r.body).not.toMatch(/score|grade|Zhi 101|able_to_pay|"cause"/);
    expect(Object.keys(pub.items[0]).sort()).toEqual(['from', 'legalBasis', 'name', 'subject', 'until']);
    // Operators and auditors read every list in full.
    const op = json(await f.call('GET', '/v1/lists/judgment-defaulters/entries', { key: 'operator' }));
    expect(op.view).toBe('operator');
    expect(op.items.map((e: { subject: string }) => e.subject)).toContain(bob);
    expect(json(await f.call('GET', '/v1/lists/judgment-defaulters/entries', { key: 'auditor' })).view).toBe('operator');
    // Any other key reads the public view.
    expect(json(await f.call('GET', '/v1/lists/judgment-defaulters/entries', { key: 'railway' })).items.map((e: { subject: string }) => e.subject)).toContain(masked);
    expect((await f.call('GET', '/v1/lists/dishonest-persons/entries')).statusCode).toBe(401);
    expect((await f.call('GET', '/v1/lists/dishonest-persons/entries', { key: 'source' })).statusCode).toBe(403);
    expect((await f.call('GET', '/v1/lists/dishonest-persons/entries', { key: 'operator' })).statusCode).toBe(200);
    expect(json(await f.call('GET', '/v1/lists/nope/entries')).code).toBe('LIST_NOT_FOUND');
    expect(json(await f.call('GET', '/v1/lists/judgment-defaulters/entries?limit=0')).code).toBe('REQUEST_INVALID');
  });

  it('publishes a red list only for subjects who consented: nobody, until the consent store exists', async () => {
    const model = makeResidentId('371082', '19880808', '071');
    await f.credence.ingest([
      { source: 'civil-affairs', sourceRecordId: 'h-1', subject: model, subjectName: '欧阳娜娜', type: 'civic.heroic_act', occurredAt: daysAgo(3) },
      { source: 'civil-affairs', sourceRecordId: 'h-2', subject: model, type: 'civic.honour', occurredAt: daysAgo(3), payload: { level: 'national' } },
    ], 'test');
    const op = json(await f.call('GET', '/v1/lists/honesty-models/entries', { key: 'operator' }));
    expect(op.items.map((e: { subject: string }) => e.subject)).toContain(model);
    const r = await f.call('GET', '/v1/lists/honesty-models/entries');
    expect(json(r)).toMatchObject({ view: 'public', consentRequired: true, items: [] });
    expect(json(r).withheld).toBe(op.items.length);
    expect(r.body).not.toContain(model);
    expect(r.body).not.toContain('欧阳');
    const audit = json(await f.call('GET', '/v1/audit?limit=1000', { key: 'auditor' })).items.filter((e: { action: string }) => e.action === 'list.read');
    expect(audit[audit.length - 1].detail).toMatchObject({ list: 'honesty-models', view: 'public', published: 0, withheld: op.items.length });
  });
});

describe('records', () => {
  const rec = (id: string, o: Record<string, unknown> = {}) => ({ source: 'tax-bureau', sourceRecordId: id, subject: carol, type: 'tax.arrears', occurredAt: daysAgo(3), payload: { amount: 5000, months: 2 }, ...o });

  it('accepts one record (201), answers a resubmission as duplicate (200), and rejects a bad one with its code (422)', async () => {
    const a = await f.call('POST', '/v1/records', { key: 'source', body: rec('r-1') });
    expect(a.statusCode).toBe(201);
    expect(json(a)).toEqual({ status: 'accepted', id: 'tax-bureau/r-1' });
    const d = await f.call('POST', '/v1/records', { key: 'source', body: rec('r-1') });
    expect(d.statusCode).toBe(200);
    expect(json(d).status).toBe('duplicate');
    const changed = await f.call('POST', '/v1/records', { key: 'source', body: rec('r-1', { payload: { amount: 9000, months: 2 } }) });
    expect(changed.statusCode).toBe(409);
    expect(json(changed)).toMatchObject({ code: 'RECORD_CONFLICT', heldFingerprint: expect.stringMatching(/^sha256:/), fingerprint: expect.stringMatching(/^sha256:/) });
    // The held record is unchanged: its own content is still a duplicate.
    expect(json(await f.call('POST', '/v1/records', { key: 'source', body: rec('r-1') })).status).toBe('duplicate');
    const bad = await f.call('POST', '/v1/records', { key: 'source', body: rec('r-2', { type: 'courts.defaulter_listing' }) });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(json(bad)).toMatchObject({ code: 'RECORD_REJECTED', recordCode: 'RECORD_SOURCE_NOT_ALLOWED', errors: [{ path: 'type', message: 'source "tax-bureau" may not submit records of type "courts.defaulter_listing"' }] });
  });

  it('refuses a record of another source (403) and unknown fields (400 naming the field)', async () => {
    const other = await f.call('POST', '/v1/records', { key: 'source', body: rec('r-3', { source: 'rongcheng-court' }) });
    expect(other.statusCode).toBe(403);
    expect(json(other).code).toBe('RECORD_SOURCE_NOT_YOURS');
    const unk = await f.call('POST', '/v1/records', { key: 'source', body: { ...rec('r-4'), colour: 'red' } });
    expect(unk.statusCode).toBe(400);
    expect(json(unk).detail).toContain('colour');
  });

  it('ingests a batch (JSON array and NDJSON) with a result per record', async () => {
    const items = [rec('b-1'), rec('b-2', { subject: '371082198503120212' }), rec('b-3', { source: 'rongcheng-court' }), rec('b-1')];
    const r = await f.call('POST', '/v1/records/batch', { key: 'source', body: items, headers: { 'idempotency-key': 'batch-1' } });
    expect(r.statusCode).toBe(200);
    const b = json(r);
    expect(b.results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'rejected', 'rejected', 'duplicate']);
    expect(b.results[1].code).toBe('RECORD_INVALID_SUBJECT');
    expect(b.results[2].code).toBe('RECORD_SOURCE_NOT_YOURS');
    const nd = [JSON.stringify(rec('n-1')), '{not json', JSON.stringify(rec('n-2'))].join('\n');
    const r2 = json(await f.call('POST', '/v1/records/batch', { key: 'source', raw: nd, contentType: 'application/x-ndjson', headers: { 'idempotency-key': 'batch-2' } }));
    expect(r2.results.map((x: { status: string; code?: string }) => x.code ?? x.status)).toEqual(['accepted', 'RECORD_MALFORMED_JSON', 'accepted']);
  });

  it('lets a source read the status of its own submissions only', async () => {
    const own = await f.call('GET', '/v1/records/tax-bureau/r-1', { key: 'source' });
    expect(own.statusCode).toBe(200);
    expect(json(own).status).toBe('active');
    expect((await f.call('GET', '/v1/records/rongcheng-court/c-1', { key: 'source' })).statusCode).toBe(403);
    expect((await f.call('GET', '/v1/records/tax-bureau/none', { key: 'source' })).statusCode).toBe(404);
  });
});

describe('subjects', () => {
  it('shows the subject their profile, scores, records, history, explanation, improvement, lists and measures', async () => {
    for (const path of ['', '/scores', '/records', '/history', '/explanation', '/improvement', '/lists', '/measures', '/queries']) {
      const r = await f.call('GET', `/v1/subjects/${bob}${path}`, { key: 'bob' });
      expect(r.statusCode, path).toBe(200);
    }
    expect(json(await f.call('GET', `/v1/subjects/${bob}/lists`, { key: 'bob' })).items[0].list).toBe('judgment-defaulters');
    const measures = json(await f.call('GET', `/v1/subjects/${bob}/measures`, { key: 'bob' })).items.map((m: { measure: string }) => m.measure);
    expect(measures).toContain('defaulter.no_g_train');
    const recs = json(await f.call('GET', `/v1/subjects/${alice}/records`, { key: 'alice' })).items;
    expect(recs[0]).toMatchObject({ source: 'utilities-bureau', status: 'active' });
    expect(recs[0].expiresAt).toMatch(/^\d{4}-/);
  });

  it('evaluates under a named scheme version, refusing an unknown one (404) and a malformed one (400)', async () => {
    const named = json(await f.call('GET', `/v1/subjects/${alice}/scores?scheme=rongcheng@1`, { key: 'alice' }));
    expect(named.scores.map((s: { scheme: string }) => s.scheme)).toContain('rongcheng@1');
    const unknown = await f.call('GET', `/v1/subjects/${alice}/scores?scheme=rongcheng@7`, { key: 'alice' });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown)).toMatchObject({ code: 'SCHEME_NOT_FOUND' });
    expect(json(unknown).detail).toContain('rongcheng@1');
    const malformed = await f.call('GET', `/v1/subjects/${alice}/scores?scheme=rongcheng`, { key: 'alice' });
    expect(malformed.statusCode).toBe(400);
    const history = json(await f.call('GET', `/v1/subjects/${alice}/history`, { key: 'alice' }));
    for (const h of history.schemes) for (const p of h.points) expect(p).toMatchObject({ scheme: h.scheme, cause: 'records' });
  });

  it('time-travels with asOf', async () => {
    const past = json(await f.call('GET', `/v1/subjects/${bob}/lists?asOf=${daysAgo(30)}`, { key: 'bob' }));
    expect(past.items).toEqual([]);
  });

  it('answers 404 for a profile nobody holds records about, and 400 for an invalid identifier', async () => {
    expect(json(await f.call('GET', `/v1/subjects/${carol.slice(0, 14)}0000`, { key: 'operator' })).code).toMatch(/SUBJECT_ID_INVALID|SUBJECT_NOT_FOUND/);
    expect(json(await f.call('GET', '/v1/subjects/12345', { key: 'operator' })).code).toBe('SUBJECT_ID_INVALID');
  });

  it('logs every read in the query log the subject sees', async () => {
    await f.call('GET', `/v1/subjects/${alice}/scores?purpose=tenancy`, { key: 'operator' });
    const q = json(await f.call('GET', `/v1/subjects/${alice}/queries`, { key: 'alice' })).items;
    expect(q.some((e: { action: string; purpose: string | null; actor: string }) => e.action === 'subject.read' && e.purpose === 'tenancy' && e.actor === `key:${f.ids.operator}`)).toBe(true);
  });
});

describe('decisions', () => {
  it('answers a registered provider with outcome, reasons and recourse, never the record', async () => {
    const r = await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_g_train', purpose: 'ticket-sale' } });
    expect(r.statusCode).toBe(200);
    const d = json(r);
    expect(d.outcome).toBe('deny');
    // An auditor takes it again from its id: the same answer.
    const replay = await f.call('POST', `/v1/audit/decisions/${d.decisionId}/replay`, { key: 'auditor' });
    expect(replay.statusCode).toBe(200);
    expect(json(replay)).toMatchObject({ decisionId: d.decisionId, subject: bob, same: true, logged: { outcome: 'deny' }, replayed: { outcome: 'deny' } });
    expect(json(await f.call('POST', '/v1/audit/decisions/1/replay', { key: 'auditor' })).code).toBe('DECISION_NOT_FOUND');
    expect(d.reasons[0].code).toBe('LIST_ENTRY');
    expect(d.contest).toMatch(/apply in writing to the enforcing court for correction or deletion under SPC Fa Shi \(2017\) 7/);
    expect(r.body).not.toContain('c-1');
    expect(r.body).not.toContain('Zhi 101');
    expect(Object.keys(d).sort()).toEqual(['applies', 'at', 'conditions', 'contest', 'crossContext', 'decisionId', 'effect', 'legalBasis', 'measure', 'outcome', 'purpose', 'reasons', 'subject']);
    expect(d.reasons[0]).toEqual({ code: 'LIST_ENTRY', list: 'judgment-defaulters', until: expect.any(String), message: expect.stringMatching(/^the list condition of measure defaulter\.no_g_train is met/) });
    // The replay, for operators and auditors alike, says what the answer was: outcome and reason codes.
    const op = json(await f.call('POST', `/v1/audit/decisions/${d.decisionId}/replay`, { key: 'operator' }));
    expect(op.replayed).toEqual({ outcome: 'deny', reasons: ['LIST_ENTRY'] });
    expect(JSON.stringify(op)).not.toMatch(/score|grade|points/i);
  });

  it('never tells a provider a score or a grade, and keeps the conditions of a granted measure', async () => {
    const model = makeResidentId('371082', '19760606', '089');
    await f.credence.ingest([
      { source: 'civil-affairs', sourceRecordId: 'g-1', subject: model, type: 'civic.heroic_act', occurredAt: daysAgo(3) },
      { source: 'civil-affairs', sourceRecordId: 'g-2', subject: model, type: 'civic.honour', occurredAt: daysAgo(3), payload: { level: 'national' } },
    ], 'test');
    const measures = ['reward.library_card_deposit_free', 'reward.lower_loan_rates', 'reward.honesty_model_publicity'];
    expect((await f.call('PUT', '/v1/providers/city-services', { key: 'operator', body: { name: 'City services', measures, purposes: ['library-registration', 'credit-application', 'public-commendation'] } })).statusCode).toBe(201);
    const key = json(await f.call('POST', '/v1/keys', { key: 'operator', body: { role: 'provider', name: 'city services', binding: 'city-services' } })).key as string;
    const view = json(await f.call('GET', `/v1/subjects/${model}/scores`, { key: 'operator' })).scores.find((s: { scheme: string }) => s.scheme === 'rongcheng@1');
    expect(view).toMatchObject({ scheme: 'rongcheng@1', grade: 'AAA' });
    // The loan and the publicity are consent purposes: the subject consents (here through an operator).
    const consent = async (measure: string, purpose: string) => json(await f.call('POST', `/v1/subjects/${model}/consents`, { key: 'operator', body: { provider: 'city-services', purpose, measure, uses: 5, onBehalfReason: 'signed authorisation form received at the counter' } })).token as string;
    const tokens: Record<string, string> = { 'credit-application': await consent(measures[1]!, 'credit-application'), 'public-commendation': await consent(measures[2]!, 'public-commendation') };
    const ask = (measure: string, purpose: string) => f.call('POST', '/v1/decisions', { key, body: { subject: model, measure, purpose, ...(tokens[purpose] ? { consent: tokens[purpose] } : {}) } });
    for (const [measure, purpose] of [[measures[0]!, 'library-registration'], [measures[1]!, 'credit-application'], [measures[2]!, 'public-commendation']] as const) {
      const r = await ask(measure, purpose);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.body).not.toMatch(/"grade"|points|\bAAA\b|\bAA\b/);
      expect(r.body).not.toContain(String(view.score));
      expect(json(r).applies).toBe(true);
    }
    const lib = json(await ask(measures[0]!, 'library-registration'));
    expect(lib).toMatchObject({ outcome: 'allow', effect: 'waive_deposit', conditions: [] });
    expect(lib.reasons[0]).toEqual({ code: 'GRADE_BAND', message: 'the grade condition of measure reward.library_card_deposit_free is met under scheme rongcheng@1', until: null });
    const pub = json(await ask(measures[2]!, 'public-commendation'));
    expect(pub).toMatchObject({ outcome: 'allow_with_conditions', conditions: ["named publicly only with the subject's written consent"] });
    // Someone who does not qualify gets the standard terms, no more.
    const other = json(await f.call('POST', '/v1/decisions', { key, body: { subject: alice, measure: measures[0], purpose: 'library-registration' } }));
    expect(other).toMatchObject({ outcome: 'allow_with_conditions', applies: false, conditions: ['deposit of 100 CNY'] });
    expect(other.reasons.map((x: { code: string }) => x.code)).toEqual(['NOT_QUALIFIED']);
    // The batch answers the same shape.
    const batch = json(await f.call('POST', '/v1/decisions/batch', { key, body: { subjects: [model, alice], measure: measures[0], purpose: 'library-registration' } }));
    expect(batch.items.map((x: { applies: boolean }) => x.applies)).toEqual([true, false]);
    expect(JSON.stringify(batch)).not.toMatch(/"grade"|points/);
  });

  it('refuses unregistered measures and undeclared purposes', async () => {
    expect(json(await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_flights', purpose: 'ticket-sale' } })).code).toBe('FORBIDDEN_MEASURE');
    const notRegistered = json(await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_g_train', purpose: 'judicial-review' } }));
    expect(notRegistered.code).toBe('FORBIDDEN_PURPOSE');
    expect(notRegistered.detail).toContain('it is registered for: ticket-sale, boarding');
    const unknown = json(await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_g_train', purpose: 'gossip' } }));
    expect(unknown).toMatchObject({ status: 400, code: 'PURPOSE_UNKNOWN' });
    expect(unknown.detail).toContain('ticket-sale, boarding');
    expect(json(await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_g_train', purpose: 'Not A Purpose!' } })).code).toBe('REQUEST_INVALID');
  });

  it('answers a whole train in one batch, each decision in the audit log and the subject\'s query log', async () => {
    const subjects = [alice, bob, carol];
    const r = json(await f.call('POST', '/v1/decisions/batch', { key: 'railway', body: { subjects, measure: 'defaulter.no_g_train', purpose: 'boarding' } }));
    expect(r.items.map((d: { outcome: string }) => d.outcome)).toEqual(['allow', 'deny', 'allow']);
    const q = json(await f.call('GET', `/v1/subjects/${bob}/queries`, { key: 'bob' })).items;
    expect(q.find((e: { action: string; purpose: string }) => e.action === 'decision' && e.purpose === 'boarding')).toMatchObject({ outcome: 'deny', measure: 'defaulter.no_g_train', actor: `key:${f.ids.railway}` });
    // One malformed identity number in a train: that item answers with its error, the rest are decided.
    const wrongCheck = bob.slice(0, 17) + (bob[17] === '0' ? '1' : '0');
    const bad = await f.call('POST', '/v1/decisions/batch', { key: 'railway', body: { subjects: [alice, '123', bob, wrongCheck], measure: 'defaulter.no_g_train', purpose: 'boarding' } });
    expect(bad.statusCode).toBe(200);
    const mixed = json(bad);
    expect(mixed.items.map((x: { index: number; subject: string; outcome: string }) => [x.index, x.subject, x.outcome])).toEqual([[0, alice, 'allow'], [2, bob, 'deny']]);
    expect(mixed.errors.map((x: { index: number; subject: string; code: string }) => [x.index, x.subject, x.code])).toEqual([[1, '123', 'SUBJECT_ID_INVALID'], [3, wrongCheck, 'SUBJECT_ID_INVALID']]);
    expect(mixed.errors[1].message).toMatch(/^body\/subjects\/3: .*check/);
    expect(mixed.counts).toEqual({ allow: 1, deny: 1, error: 2 });
    const tooMany = await f.call('POST', '/v1/decisions/batch', { key: 'railway', body: { subjects: Array(5001).fill(alice), measure: 'defaulter.no_g_train', purpose: 'boarding' } });
    expect(tooMany.statusCode).toBe(400);
  });
});

describe('keys and providers (operator)', () => {
  it('creates a key shown once with a typed prefix, lists without secrets, revokes at once', async () => {
    const c = await f.call('POST', '/v1/keys', { key: 'operator', body: { role: 'auditor', name: 'second auditor' } });
    expect(c.statusCode).toBe(201);
    const k = json(c);
    expect(k.key).toMatch(/^crd_aud_[A-Za-z0-9_-]{43}$/);
    const list = await f.call('GET', '/v1/keys', { key: 'operator' });
    expect(list.body).not.toContain(k.key);
    expect((await f.call('GET', '/v1/audit/head', { key: k.key })).statusCode).toBe(200);
    expect((await f.call('DELETE', `/v1/keys/${k.id}`, { key: 'operator' })).statusCode).toBe(200);
    expect(json(await f.call('GET', '/v1/audit/head', { key: k.key })).code).toBe('AUTH_INVALID');
  });

  it('rotates with an overlap: both keys work until the overlap ends', async () => {
    const k = json(await f.call('POST', '/v1/keys', { key: 'operator', body: { role: 'auditor', name: 'rotating' } }));
    const r = json(await f.call('POST', `/v1/keys/${k.id}/rotate`, { key: 'operator', body: { overlapSeconds: 3600 } }));
    expect(r.key).not.toBe(k.key);
    expect((await f.call('GET', '/v1/audit/head', { key: k.key })).statusCode).toBe(200);
    expect((await f.call('GET', '/v1/audit/head', { key: r.key })).statusCode).toBe(200);
    const k2 = json(await f.call('POST', '/v1/keys', { key: 'operator', body: { role: 'auditor', name: 'rotating now' } }));
    await f.call('POST', `/v1/keys/${k2.id}/rotate`, { key: 'operator', body: { overlapSeconds: 0 } });
    expect((await f.call('GET', '/v1/audit/head', { key: k2.key })).statusCode).toBe(401);
  });

  it('checks bindings: a source key needs a catalogue source, a subject token a valid id', async () => {
    expect(json(await f.call('POST', '/v1/keys', { key: 'operator', body: { role: 'source', name: 'x', binding: 'nobody' } })).code).toBe('BINDING_INVALID');
    expect(json(await f.call('POST', '/v1/keys', { key: 'operator', body: { role: 'subject', name: 'x', binding: '123' } })).code).toBe('SUBJECT_ID_INVALID');
    const t = json(await f.call('POST', '/v1/keys', { key: 'operator', body: { role: 'subject', name: 'carol', binding: carol } }));
    expect(t.key).toMatch(/^crd_sub_/);
    expect((await f.call('GET', `/v1/subjects/${carol}/scores`, { key: t.key })).statusCode).toBe(200);
    expect((await f.call('GET', `/v1/subjects/${alice}/scores`, { key: t.key })).statusCode).toBe(403);
  });

  it('registers providers with catalogue measures only: 201 when registered, 200 when updated', async () => {
    const body = { name: 'City library', measures: ['reward.library_card_deposit_free'], purposes: ['library-registration'] };
    const ok = await f.call('PUT', '/v1/providers/library', { key: 'operator', body });
    expect(ok.statusCode).toBe(201);
    expect(json(ok)).toMatchObject({ id: 'library', name: 'City library' });
    const renamed = await f.call('PUT', '/v1/providers/library', { key: 'operator', body: { ...body, name: 'City library (main branch)' } });
    expect(renamed.statusCode).toBe(200);
    expect(json(renamed)).toMatchObject({ id: 'library', name: 'City library (main branch)', createdAt: json(ok).createdAt });
    expect(json(await f.call('GET', '/v1/providers', { key: 'operator' })).items.map((p: { id: string }) => p.id)).toContain('library');
    expect(json(await f.call('PUT', '/v1/providers/x', { key: 'operator', body: { name: 'X', measures: ['nope'], purposes: [] } })).code).toBe('MEASURE_UNKNOWN');
  });
});

describe('lists (operator)', () => {
  it('adds an entry with a stated reason, which decisions then see, and removes it by a delisting', async () => {
    const add = await f.call('POST', '/v1/lists/judgment-defaulters/entries', { key: 'operator', body: { subject: carol, source: 'rongcheng-court', reason: 'court order received by post', payload: { case_ref: '(2026) Lu 1082 Zhi 7', ground: 'able_to_pay_refuses', end_date: daysAgo(-365) } } });
    expect(add.statusCode, add.body).toBe(201);
    const recId = json(add).record as string;
    const ask = () => f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: carol, measure: 'defaulter.no_g_train', purpose: 'boarding' } });
    expect(json(await ask()).outcome).toBe('deny');
    const q = json(await f.call('GET', `/v1/subjects/${carol}/queries`, { key: 'operator' })).items;
    expect(q.some((e: { action: string }) => e.action === 'list.add')).toBe(true);
    const [src, sid] = recId.split('/');
    const rm = await f.call('DELETE', `/v1/lists/judgment-defaulters/entries/${src}/${sid}`, { key: 'operator', body: { reason: 'debt paid, court delisted' } });
    expect(rm.statusCode, rm.body).toBe(200);
    expect(json(await ask()).outcome).toBe('allow');
    expect(json(await f.call('POST', '/v1/lists/dishonest-persons/entries', { key: 'operator', body: { subject: carol, source: 'rongcheng-court', reason: 'no such thing', payload: {} } })).code).toBe('LIST_NOT_MANUAL');
    expect(json(await f.call('POST', '/v1/lists/judgment-defaulters/entries', { key: 'operator', body: { subject: carol, source: 'rongcheng-court', reason: 'missing fields', payload: {} } })).code).toBe('RECORD_REJECTED');
  });
});

describe('schemes', () => {
  const draft = (version: number, extra = '') => `id: rongcheng\nversion: ${version}\ntitle: Rongcheng revised\nstatus: draft\nsource: test\nbase: 1000\ndefaultGrade: A\nbands:\n  - { grade: A, label: ok, min: 900, max: null }\n  - { grade: B, label: low, min: null, max: 899 }\nrules: []\nlistRules: []\n${extra}`;

  it('lists every problem of an invalid draft with its path (422)', async () => {
    const r = await f.call('POST', '/v1/schemes', { key: 'operator', raw: 'id: x\nversion: -1\ncolour: red\nbands: []\n', contentType: 'application/yaml' });
    expect(r.statusCode).toBe(422);
    expect(json(r).code).toBe('SCHEME_INVALID');
    expect(json(r).errors.length).toBeGreaterThan(1);
  });

  it('uploads a draft, previews its impact, publishes it, keeps the earlier version queryable', async () => {
    const up = await f.call('POST', '/v1/schemes', { key: 'operator', raw: draft(2), contentType: 'application/yaml' });
    expect(up.statusCode, up.body).toBe(201);
    expect((await f.call('GET', '/v1/schemes/rongcheng/versions/2')).statusCode).toBe(404); // drafts: operator only
    expect((await f.call('GET', '/v1/schemes/rongcheng/versions/2', { key: 'operator' })).statusCode).toBe(200);
    const pre = json(await f.call('POST', '/v1/schemes/rongcheng/versions/2/preview', { key: 'operator' }));
    // The draft has no rules: every subject, whatever its grade under version 1, ends at A.
    expect(pre).toMatchObject({ scheme: 'rongcheng@2', comparedWith: 'rongcheng@1' });
    const rows = Object.entries(pre.matrix as Record<string, Record<string, number>>);
    expect(rows.map(([, to]) => Object.keys(to))).toEqual(rows.map(() => ['A']));
    expect(rows.reduce((n, [, to]) => n + to.A!, 0)).toBe(pre.subjects);
    expect(rows.map(([from]) => from)).toEqual(expect.arrayContaining(['A', 'B']));
    const pub = await f.call('POST', '/v1/schemes/rongcheng/versions/2/publish', { key: 'operator' });
    expect(pub.statusCode, pub.body).toBe(200);
    expect(json(await f.call('GET', '/v1/catalogue/schemes')).items.map((s: { key: string }) => s.key)).toContain('rongcheng@2');
    expect(json(await f.call('GET', '/v1/schemes/rongcheng/versions/1')).version).toBe(1);
    expect(json(await f.call('POST', '/v1/schemes/rongcheng/versions/2/publish', { key: 'operator' })).code).toBe('SCHEME_VERSION_PUBLISHED');
    expect(json(await f.call('POST', '/v1/schemes', { key: 'operator', raw: draft(2), contentType: 'application/yaml' })).code).toBe('SCHEME_VERSION_PUBLISHED');
    const scores = json(await f.call('GET', `/v1/subjects/${alice}/scores`, { key: 'alice' })).scores.map((s: { scheme: string }) => s.scheme);
    expect(scores).toContain('rongcheng@2');
  });
});

describe('audit (auditor)', () => {
  it('pages through the log and verifies it', async () => {
    const p = json(await f.call('GET', '/v1/audit?limit=2', { key: 'auditor' }));
    expect(p.items).toHaveLength(2);
    expect(p.items[1].prevHash).toBe(p.items[0].hash);
    const v = json(await f.call('GET', '/v1/audit/verify', { key: 'auditor' }));
    expect(v.ok).toBe(true);
    expect(json(await f.call('GET', '/v1/audit/head', { key: 'auditor' })).hash).toBe(v.head);
  });
});

describe('limits and errors', () => {
  it('answers 429 with Retry-After when a key exhausts its bucket', async () => {
    const g = await httpFixture({ rateLimit: { burst: 3, perSecond: 0.5 } });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await g.call('GET', '/v1/audit/head', { key: 'auditor' })).statusCode);
      expect(codes.slice(0, 3)).toEqual([200, 200, 200]);
      const r = await g.call('GET', '/v1/audit/head', { key: 'auditor' });
      expect(r.statusCode).toBe(429);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(json(r).code).toBe('RATE_LIMITED');
    } finally {
      await g.close();
    }
  });

  it('answers problem+json for unknown routes, bad JSON, wrong media types and oversized bodies', async () => {
    expect(json(await f.call('GET', '/v1/nothing')).code).toBe('ROUTE_NOT_FOUND');
    expect(json(await f.call('POST', '/v1/records', { key: 'source', raw: '{"a":' })).code).toBe('BODY_MALFORMED');
    expect(json(await f.call('POST', '/v1/records', { key: 'source', raw: 'x', contentType: 'application/xml' })).code).toBe('MEDIA_TYPE_UNSUPPORTED');
    const big = await f.call('POST', '/v1/records', { key: 'source', raw: JSON.stringify({ source: 'x'.repeat(70_000) }) });
    expect(big.statusCode).toBe(413);
    expect(json(big).code).toBe('BODY_TOO_LARGE');
  });
});
