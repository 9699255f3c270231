// Property: thousands of generated malformed requests to every write route never get a 5xx,
// always get problem+json, and change no stored data (records, audit log, keys, providers,
// schemes). Malformed means: not JSON, the wrong JSON type, an unknown field, a field of the
// wrong type, a missing field, an invalid identifier, a wrong content type, an oversized body.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bob, daysAgo, httpFixture } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => { f = await httpFixture(); });
afterAll(async () => f.close());

async function snapshot() {
  const db = f.store.sharedConnection();
  const digest = (sql: string) => createHash('sha256').update(JSON.stringify(db.prepare(sql).all())).digest('hex');
  return {
    records: await f.store.countRecords(),
    recordsHash: digest('SELECT * FROM records ORDER BY seq'),
    audit: await f.store.auditHead(),
    keys: digest('SELECT id, revoked_at, expires_at FROM api_keys ORDER BY id'),
    providers: digest('SELECT * FROM providers ORDER BY id'),
    schemes: digest('SELECT * FROM schemes ORDER BY id, version'),
    states: digest('SELECT subject, scheme, score, grade FROM subject_states ORDER BY subject, scheme'),
  };
}

const validRecord = () => ({ source: 'tax-bureau', sourceRecordId: 'fz-1', subject: bob, type: 'tax.arrears', occurredAt: daysAgo(1), payload: { amount: 1, months: 1 } });
interface Target { method: string; url: string; key: Parameters<typeof f.call>[2] extends infer O ? (O extends { key?: infer K } ? K : never) : never; base: () => Record<string, unknown>; required: string[]; wrap?: (b: unknown) => unknown; headers?: Record<string, string> }
const TARGETS: Target[] = [
  { method: 'POST', url: '/v1/records', key: 'source', base: validRecord, required: ['source', 'sourceRecordId', 'subject', 'type', 'occurredAt'] },
  { method: 'POST', url: '/v1/records/batch', key: 'source', base: validRecord, required: ['source', 'sourceRecordId', 'subject', 'type', 'occurredAt'], wrap: (b) => [b, b], headers: { 'idempotency-key': 'fuzz' } },
  { method: 'POST', url: '/v1/decisions', key: 'railway', base: () => ({ subject: bob, measure: 'defaulter.no_g_train', purpose: 'boarding' }), required: ['subject', 'measure', 'purpose'] },
  { method: 'POST', url: '/v1/decisions/batch', key: 'railway', base: () => ({ subjects: [bob], measure: 'defaulter.no_g_train', purpose: 'boarding' }), required: ['subjects', 'measure', 'purpose'] },
  { method: 'POST', url: '/v1/keys', key: 'operator', base: () => ({ role: 'auditor', name: 'fuzz' }), required: ['role', 'name'] },
  { method: 'POST', url: '/v1/keys/key_fuzz/rotate', key: 'operator', base: () => ({ overlapSeconds: 10 }), required: ['overlapSeconds'] },
  { method: 'PUT', url: '/v1/providers/fuzz', key: 'operator', base: () => ({ name: 'F', measures: [], purposes: [] }), required: ['name', 'measures', 'purposes'] },
  { method: 'POST', url: '/v1/lists/judgment-defaulters/entries', key: 'operator', base: () => ({ subject: bob, source: 'rongcheng-court', reason: 'fuzz', payload: { case_ref: 'x' } }), required: ['subject', 'source', 'reason', 'payload'] },
  { method: 'DELETE', url: '/v1/lists/judgment-defaulters/entries/rongcheng-court/c-1', key: 'operator', base: () => ({ reason: 'fuzz' }), required: ['reason'] },
  { method: 'POST', url: '/v1/schemes', key: 'operator', base: () => ({ id: 'fuzz', version: 1 }), required: ['id', 'version'] },
  { method: 'POST', url: '/v1/schemes/rongcheng/versions/1/publish', key: 'operator', base: () => ({}), required: [] },
];

const notString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }));
const badId = fc.oneof(fc.string({ maxLength: 30 }).filter((s) => !s.includes(':')), // 'scheme:value' could be a valid external id
   fc.constant('371082198503120212'), fc.constant('x'.repeat(200)), fc.constant('\u0000'));

type Mutation = { kind: 'unknown'; field: string; value: unknown } | { kind: 'retype'; pick: number; value: unknown } | { kind: 'drop'; pick: number } | { kind: 'badSubject'; value: string } | { kind: 'raw'; text: string } | { kind: 'json'; value: unknown } | { kind: 'mediaType'; type: string } | { kind: 'huge' };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('unknown' as const), field: fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), value: notString }),
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('badSubject' as const), value: badId }),
  fc.record({ kind: fc.constant('raw' as const), text: fc.string({ maxLength: 200 }) }),
  fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('mediaType' as const), type: fc.constantFrom('text/html', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream') }),
  fc.constant({ kind: 'huge' as const }),
);

function build(t: Target, m: Mutation): { raw: string; contentType: string } | null {
  const b = t.base();
  switch (m.kind) {
    case 'unknown':
      if (m.field in b) return null;
      b[m.field] = m.value;
      break;
    case 'retype':
      if (t.required.length === 0) return null;
      {
        const field = t.required[m.pick % t.required.length]!;
        const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
        if (kind(b[field]) === kind(m.value)) return null; // same JSON type: not a retype
        b[field] = m.value;
      }
      break;
    case 'drop':
      if (t.required.length === 0) return null;
      delete b[t.required[m.pick % t.required.length]!];
      break;
    case 'badSubject':
      if ('subject' in b) b.subject = m.value;
      else if ('subjects' in b) b.subjects = [m.value];
      else return null;
      break;
    case 'raw':
      return { raw: m.text, contentType: 'application/json' };
    case 'json':
      return { raw: JSON.stringify(m.value) ?? 'null', contentType: 'application/json' };
    case 'mediaType':
      return { raw: JSON.stringify(t.wrap ? t.wrap(b) : b), contentType: m.type };
    case 'huge':
      b.sourceRecordId = 'x'.repeat(9 * 1024 * 1024);
      return { raw: JSON.stringify(t.wrap ? t.wrap(b) : b), contentType: 'application/json' };
  }
  return { raw: JSON.stringify(t.wrap ? t.wrap(b) : b), contentType: 'application/json' };
}

describe('malformed requests to every write route', () => {
  it('never answer 5xx and never change stored data', async () => {
    const before = await snapshot();
    let sent = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TARGETS), mutation, fc.string({ minLength: 1, maxLength: 40 }).filter((s) => /^[\x21-\x7E]+$/.test(s)), async (t, m, idem) => {
        const req = build(t, m);
        if (!req) return;
        if (m.kind === 'huge' && sent % 20 !== 0) return; // a few 9 MiB bodies are enough
        sent++;
        const r = await f.call(t.method, t.url, { key: t.key, raw: req.raw, contentType: req.contentType, headers: t.headers ? { 'idempotency-key': `${idem}` } : undefined });
        statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
        expect(r.statusCode, `${t.method} ${t.url} ${req.raw.slice(0, 200)} -> ${r.body.slice(0, 300)}`).toBeLessThan(500);
        // The batch routes answer 200 with every item refused (each record rejected, each
        // subject in `errors`); everything else is a 4xx problem.
        if (r.statusCode >= 400) expect(r.headers['content-type']).toContain('application/problem+json');
        else if (t.url === '/v1/decisions/batch') {
          const out = JSON.parse(r.body) as { items: unknown[]; errors: unknown[] };
          expect(out.items).toEqual([]);
          expect(out.errors.length).toBeGreaterThan(0);
        } else {
          expect(t.url).toBe('/v1/records/batch');
          expect(JSON.parse(r.body).accepted).toBe(0);
        }
      }),
      { numRuns: 2000, seed: 20261126 },
    );
    expect(sent).toBeGreaterThan(1000);
    expect(await snapshot()).toEqual(before);
  });
});
