// The Idempotency-Key contract (IETF draft): replay, mismatch, concurrent duplicate, missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carol, daysAgo, httpFixture, json } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => { f = await httpFixture(); });
afterAll(async () => f.close());

const rec = (id: string) => ({ source: 'tax-bureau', sourceRecordId: id, subject: carol, type: 'tax.arrears', occurredAt: daysAgo(3), payload: { amount: 100, months: 1 } });
const batch = (key: string, items: unknown[], who: 'source' | 'court' = 'source') => f.call('POST', '/v1/records/batch', { key: who, body: items, headers: { 'idempotency-key': key } });
const auditCount = async () => (await f.store.auditHead())?.seq ?? 0;

describe('Idempotency-Key', () => {
  it('same key and body: the stored response, and one write', async () => {
    const first = await batch('k-same', [rec('i-1'), rec('i-2')]);
    expect(first.statusCode).toBe(200);
    const records = await f.store.countRecords();
    const audit = await auditCount();
    const again = await batch('k-same', [rec('i-1'), rec('i-2')]);
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body); // "accepted" both times, not "duplicate"
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await f.store.countRecords()).toBe(records);
    expect(await auditCount()).toBe(audit);
  });

  it('same key, another body: 422 and nothing written', async () => {
    await batch('k-other', [rec('i-3')]);
    const n = await f.store.countRecords();
    const r = await batch('k-other', [rec('i-4')]);
    expect(r.statusCode).toBe(422);
    expect(json(r).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await f.store.countRecords()).toBe(n);
  });

  it('a concurrent duplicate while the first still runs: 409', async () => {
    const items = Array.from({ length: 20 }, (_, i) => rec(`c-${i}`));
    // A slow commit (a busy disk) keeps the first request running while the second arrives.
    const orig = f.store.commit.bind(f.store);
    f.store.commit = async (w) => { await new Promise((r) => setTimeout(r, 300)); return orig(w); };
    let a, b;
    try {
      [a, b] = await Promise.all([batch('k-conc', items), new Promise((r) => setTimeout(r, 50)).then(() => batch('k-conc', items))]);
    } finally {
      f.store.commit = orig;
    }
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(json(a.statusCode === 409 ? a : b).code).toBe('IDEMPOTENCY_IN_PROGRESS');
    const later = await batch('k-conc', items);
    expect(later.statusCode).toBe(200);
    expect(later.headers['idempotent-replayed']).toBe('true');
  });

  it('missing key on the batch route: 400; malformed key: 400', async () => {
    const r = await f.call('POST', '/v1/records/batch', { key: 'source', body: [rec('i-9')] });
    expect(r.statusCode).toBe(400);
    expect(json(r).code).toBe('IDEMPOTENCY_KEY_MISSING');
    const long = await batch('x'.repeat(256), [rec('i-9')]);
    expect(long.statusCode).toBe(400);
  });

  it('keys are scoped per API key: another key with the same Idempotency-Key runs its own request', async () => {
    const court = { ...rec('s-1'), source: 'rongcheng-court', type: 'courts.defaulter_listing', payload: { case_ref: '(2026) Lu 1 Zhi 1', ground: 'able_to_pay_refuses' } };
    await batch('k-scope', [rec('s-1')]);
    const other = await batch('k-scope', [court], 'court');
    expect(other.statusCode).toBe(200);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
  });

  it('works on the single-record route too when a key is sent', async () => {
    const a = await f.call('POST', '/v1/records', { key: 'source', body: rec('one-1'), headers: { 'idempotency-key': 'single-1' } });
    const b = await f.call('POST', '/v1/records', { key: 'source', body: rec('one-1'), headers: { 'idempotency-key': 'single-1' } });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.body).toBe(a.body);
  });

  it('a batch is never half-written: a failing commit writes nothing and the key can be retried', async () => {
    const before = await f.store.countRecords();
    const orig = f.store.commit.bind(f.store);
    f.store.commit = async () => { throw new Error('disk full'); };
    try {
      const r = await batch('k-fail', [rec('f-1'), rec('f-2')]);
      expect(r.statusCode).toBe(500);
      expect(r.body).not.toContain('disk full');
      expect(json(r).code).toBe('INTERNAL');
    } finally {
      f.store.commit = orig;
    }
    expect(await f.store.countRecords()).toBe(before);
    const retry = await batch('k-fail', [rec('f-1'), rec('f-2')]);
    expect(json(retry).accepted).toBe(2);
  });
});
