// The audit log's Merkle tree over HTTP: a public signed head and key, public consistency
// proofs, inclusion proofs for auditors, operators and a subject's own entries, each checked
// with the RFC 9162 verification algorithms and the published key only.
import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryBytes } from '../src/domain/audit-chain.ts';
import { leafHash, treeHeadBytes, verifyConsistency, verifyInclusion } from '../src/domain/merkle.ts';
import { alice, bob, httpFixture, json } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeAll(async () => {
  f = await httpFixture();
  await f.call('GET', `/v1/subjects/${bob}/scores`, { key: 'operator' });
  await f.call('GET', `/v1/subjects/${alice}/queries`, { key: 'alice' });
  await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_g_train', purpose: 'boarding' } });
});
afterAll(async () => f.close());

const hx = (s: string) => Buffer.from(s, 'hex');
const head = async () => json(await f.call('GET', '/v1/audit/head'));
const entriesAbout = async (subject: string) => (await f.store.readAudit(0, 1000)).filter((e) => e.subject === subject);

describe('signed tree heads (public)', () => {
  it('serves a head whose signature verifies with the published key alone, over the documented bytes', async () => {
    const h = await head();
    const k = json(await f.call('GET', '/v1/audit/key'));
    expect(k.algorithm).toBe('Ed25519');
    expect(Buffer.from(k.raw, 'base64')).toHaveLength(32);
    const bytes = Buffer.from(`{"rootHash":"${h.rootHash}","timestamp":${h.timestamp},"treeSize":${h.treeSize}}`);
    expect(treeHeadBytes(h as never).equals(bytes)).toBe(true);
    expect(verify(null, bytes, createPublicKey(k.pem), Buffer.from(h.signature, 'base64'))).toBe(true);
    expect(verify(null, Buffer.from(`{"rootHash":"${h.rootHash}","timestamp":${h.timestamp},"treeSize":${h.treeSize + 1}}`), createPublicKey(k.pem), Buffer.from(h.signature, 'base64'))).toBe(false);
    expect(h.keyId).toBe(k.keyId);
    // The chain head it covers: the last of its treeSize entries.
    const chain = await f.store.auditHead();
    expect(h).toMatchObject({ treeSize: chain!.seq, seq: chain!.seq, hash: chain!.hash });
  });

  it('signs once per tree size, and a new head once the log grows', async () => {
    const a = await head();
    expect(await head()).toEqual(a);
    await f.call('GET', `/v1/subjects/${bob}`, { key: 'operator' });
    const b = await head();
    expect(b.treeSize).toBe(a.treeSize + 1);
    expect(b.rootHash).not.toBe(a.rootHash);
  });
});

describe('proofs', () => {
  it('proves every entry in the latest tree and in an older one; the leaf is computed from the entry', async () => {
    const older = await head();
    await f.call('GET', `/v1/subjects/${bob}/records`, { key: 'operator' });
    const h = await head();
    for (const [size, root] of [[h.treeSize, h.rootHash], [older.treeSize, older.rootHash]] as [number, string][]) {
      for (let seq = 1; seq <= size; seq++) {
        const r = await f.call('GET', `/v1/audit/entries/${seq}/proof?treeSize=${size}`, { key: 'auditor' });
        expect(r.statusCode, r.body).toBe(200);
        const p = json(r);
        const leaf = leafHash(entryBytes(p.entry));
        expect(leaf.toString('hex')).toBe(p.leafHash);
        expect(p.rootHash).toBe(root);
        expect(verifyInclusion(p.leafIndex, size, leaf, p.inclusionPath.map(hx), hx(root)), `entry ${seq} of ${size}`).toEqual({ ok: true });
      }
    }
    const latest = json(await f.call('GET', '/v1/audit/entries/2/proof', { key: 'auditor' }));
    expect(latest.treeSize).toBeGreaterThanOrEqual(h.treeSize);
  });

  it('serves public consistency proofs between two heads that verify by RFC 9162 §2.1.4.2', async () => {
    const a = await head();
    await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_g_train', purpose: 'boarding' } });
    const b = await head();
    const r = await f.call('GET', `/v1/audit/consistency?from=${a.treeSize}&to=${b.treeSize}`);
    expect(r.statusCode, r.body).toBe(200);
    const c = json(r);
    expect(c).toMatchObject({ from: a.treeSize, to: b.treeSize, fromRoot: a.rootHash, toRoot: b.rootHash });
    expect(verifyConsistency(a.treeSize, b.treeSize, hx(a.rootHash), hx(b.rootHash), c.consistencyPath.map(hx))).toEqual({ ok: true });
    for (let from = 1; from <= b.treeSize; from++) {
      const p = json(await f.call('GET', `/v1/audit/consistency?from=${from}`));
      expect(verifyConsistency(from, p.to, hx(p.fromRoot), hx(p.toRoot), p.consistencyPath.map(hx)).ok, `from ${from}`).toBe(true);
    }
  });

  it('gives a subject token proofs of its own entries only, and logs an operator\'s read of one', async () => {
    const mine = (await entriesAbout(alice))[0]!;
    const bobs = (await entriesAbout(bob))[0]!;
    const own = await f.call('GET', `/v1/audit/entries/${mine.seq}/proof`, { key: 'alice' });
    expect(own.statusCode, own.body).toBe(200);
    expect(json(own).entry.subject).toBe(alice);
    const other = await f.call('GET', `/v1/audit/entries/${bobs.seq}/proof`, { key: 'alice' });
    expect(other.statusCode).toBe(403);
    expect(json(other).code).toBe('FORBIDDEN_OBJECT');
    expect(other.body).not.toContain(bob);
    const noSubject = await f.call('GET', '/v1/audit/entries/1/proof', { key: 'alice' });
    expect(json(noSubject).code).toBe('FORBIDDEN_OBJECT');
    const before = (await entriesAbout(bob)).length;
    expect((await f.call('GET', `/v1/audit/entries/${bobs.seq}/proof`, { key: 'operator' })).statusCode).toBe(200);
    const after = await entriesAbout(bob);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ action: 'subject.read', detail: { route: '/v1/audit/entries/:seq/proof', entry: bobs.seq } });
  });

  it('answers sizes and entries the log does not have with a problem that says why', async () => {
    const h = await head();
    const cases: [string, number, string, RegExp][] = [
      [`/v1/audit/entries/${h.treeSize + 50}/proof`, 404, 'AUDIT_ENTRY_NOT_FOUND', new RegExp(`no audit entry ${h.treeSize + 50}: the log holds`)],
      ['/v1/audit/entries/5/proof?treeSize=3', 400, 'AUDIT_TREE_SIZE_INVALID', /entry 5 is not in the tree of 3 entries: ask for a treeSize of at least 5/],
      [`/v1/audit/entries/1/proof?treeSize=${h.treeSize + 1000}`, 400, 'AUDIT_TREE_SIZE_INVALID', /treeSize \d+ is beyond the log/],
      ['/v1/audit/entries/0/proof', 400, 'REQUEST_INVALID', /params\/seq/],
      ['/v1/audit/entries/1/proof?size=3', 400, 'REQUEST_INVALID', /unknown field "size"/],
      [`/v1/audit/consistency?from=${h.treeSize}&to=2`, 400, 'AUDIT_TREE_SIZE_INVALID', new RegExp(`from \\(${h.treeSize}\\) is larger than to \\(2\\)`)],
      ['/v1/audit/consistency?from=0', 400, 'REQUEST_INVALID', /querystring\/from/],
      ['/v1/audit/consistency', 400, 'REQUEST_INVALID', /from/],
    ];
    for (const [url, status, code, detail] of cases) {
      const r = await f.call('GET', url, { key: 'auditor' });
      expect(r.statusCode, url).toBe(status);
      expect(r.headers['content-type'], url).toContain('application/problem+json');
      expect(json(r).code, url).toBe(code);
      expect(json(r).detail, url).toMatch(detail);
    }
  });
});
