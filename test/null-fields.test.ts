// One rule for every way a record comes in: an optional field is left out, never null. The
// single route's schema refused `"evidence": null` while the batch route (JSON and NDJSON) took
// the same record; now each way refuses it, naming the field, and the other records of a batch
// are taken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bob, daysAgo, httpFixture, json } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => {
  f = await httpFixture();
});
afterAll(async () => f.close());

const rec = (id: string, extra: Record<string, unknown> = {}) => ({ source: 'tax-bureau', sourceRecordId: id, subject: bob, type: 'tax.arrears', occurredAt: daysAgo(2), payload: { amount: 1, months: 1 }, ...extra });

describe('null in an optional field', () => {
  it('is refused by the single route', async () => {
    const r = await f.call('POST', '/v1/records', { key: 'source', body: rec('n-1', { evidence: null }) });
    expect(r.statusCode).toBe(400);
    expect(json(r).errors).toEqual([expect.objectContaining({ path: 'body/evidence' })]);
  });

  it('is refused per record by the batch route, JSON and NDJSON, naming the field, the others taken', async () => {
    for (const [i, contentType] of ['application/json', 'application/x-ndjson'].entries()) {
      const items = [rec(`b${i}-1`), rec(`b${i}-2`, { revokes: null }), rec(`b${i}-3`, { subjectName: null })];
      const raw = contentType === 'application/json' ? JSON.stringify(items) : items.map((x) => JSON.stringify(x)).join('\n') + '\n';
      const r = await f.call('POST', '/v1/records/batch', { key: 'source', raw, contentType, headers: { 'idempotency-key': `nulls-${i}` } });
      expect(r.statusCode, r.body).toBe(200);
      const body = json(r) as { accepted: number; results: { status: string; code?: string; path?: string; message?: string }[] };
      expect(body.accepted).toBe(1);
      expect(body.results.map((x) => [x.status, x.code ?? null, x.path ?? null])).toEqual([
        ['accepted', null, null],
        ['rejected', 'RECORD_MALFORMED', 'revokes'],
        ['rejected', 'RECORD_MALFORMED', 'subjectName'],
      ]);
      expect(body.results[1]!.message).toBe('revokes is null: leave an optional field out instead');
    }
  });
});
