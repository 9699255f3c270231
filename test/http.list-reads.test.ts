// A list read in full (an operator's or auditor's key) shows who is listed: it is in the
// query log of every subject it shows. The public view (masked identifiers) is logged as a
// list read only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bob, httpFixture, json } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => {
  f = await httpFixture();
});
afterAll(async () => f.close());

const readsOfBob = async () => (await f.store.auditOfSubject(bob, 1000)).filter((e) => e.action === 'subject.read' && e.detail.list === 'judgment-defaulters');

describe('list reads', () => {
  it('puts a full read of a list in the query log of each listed subject, naming who read it', async () => {
    expect(await readsOfBob()).toEqual([]);
    const pub = await f.call('GET', '/v1/lists/judgment-defaulters/entries');
    expect(pub.statusCode).toBe(200);
    expect(await readsOfBob()).toEqual([]);
    const full = await f.call('GET', '/v1/lists/judgment-defaulters/entries', { key: 'auditor' });
    expect(full.statusCode, full.body).toBe(200);
    expect(json(full).items.map((e: { subject: string }) => e.subject)).toContain(bob);
    const reads = await readsOfBob();
    expect(reads).toHaveLength(1);
    expect(reads[0]!.actor).toBe(`key:${f.ids.auditor}`);
    const log = json(await f.call('GET', `/v1/subjects/${bob}/queries`, { key: 'bob' }));
    expect(JSON.stringify(log)).toContain('/v1/lists/:list/entries');
  });
});
