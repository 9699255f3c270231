// Tamper evidence: entries edited, deleted or reordered directly in the SQLite database are
// each detected by the auditor's verify route, which names the first broken entry; history
// rewritten with recomputed chain hashes is exposed by a signed tree head kept from before.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryHash } from '../src/domain/audit-chain.ts';
import { verifyConsistency, verifyInclusion } from '../src/domain/merkle.ts';
import { bob, httpFixture, json } from './helpers/http.ts';

let f: Awaited<ReturnType<typeof httpFixture>>;
beforeEach(async () => {
  f = await httpFixture();
  // Some history: reads and decisions about bob.
  await f.call('GET', `/v1/subjects/${bob}/scores`, { key: 'operator' });
  await f.call('POST', '/v1/decisions', { key: 'railway', body: { subject: bob, measure: 'defaulter.no_g_train', purpose: 'boarding' } });
  await f.call('GET', `/v1/subjects/${bob}/queries`, { key: 'bob' });
});
afterEach(async () => f.close());

const sql = (s: string, ...p: unknown[]) => f.store.sharedConnection().prepare(s).run(...p);
const verify = async () => json(await f.call('GET', '/v1/audit/verify', { key: 'auditor' }));

describe('audit log tampering', () => {
  it('an intact chain verifies', async () => {
    const v = await verify();
    expect(v.ok).toBe(true);
    expect(v.count).toBeGreaterThanOrEqual(5);
  });

  it('detects an edited entry (the decision outcome changed from deny to allow)', async () => {
    const row = f.store.sharedConnection().prepare(`SELECT seq, detail FROM audit_log WHERE action = 'decision' ORDER BY seq DESC LIMIT 1`).get() as { seq: number; detail: string };
    sql(`UPDATE audit_log SET detail = ? WHERE seq = ?`, row.detail.replace('"deny"', '"allow"'), row.seq);
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.brokenAt).toBe(row.seq);
    expect(v.reason).toMatch(/altered/);
  });

  it('detects an edited actor even when the attacker recomputes nothing else', async () => {
    sql(`UPDATE audit_log SET actor = 'system' WHERE seq = 2`);
    expect((await verify()).brokenAt).toBe(2);
  });

  it('detects a deleted entry', async () => {
    sql(`DELETE FROM audit_log WHERE seq = 3`);
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.brokenAt).toBe(3);
    expect(v.reason).toMatch(/missing|out of order/);
  });

  it('detects reordered entries (two entries swap places)', async () => {
    sql(`UPDATE audit_log SET seq = -1 WHERE seq = 2`);
    sql(`UPDATE audit_log SET seq = 2 WHERE seq = 3`);
    sql(`UPDATE audit_log SET seq = 3 WHERE seq = -1`);
    const v = await verify();
    expect(v.ok).toBe(false);
    expect(v.brokenAt).toBe(2);
  });

  it('detects a dropped tail against the head an auditor kept', async () => {
    const head = json(await f.call('GET', '/v1/audit/head', { key: 'auditor' }));
    sql(`DELETE FROM audit_log WHERE seq = ?`, head.seq);
    const after = json(await f.call('GET', '/v1/audit/head', { key: 'auditor' }));
    // The chain that remains is consistent, but it no longer reaches the kept head.
    expect(after.hash).not.toBe(head.hash);
    const page = json(await f.call('GET', `/v1/audit?after=${head.seq - 1}`, { key: 'auditor' }));
    expect(page.items.find((e: { hash: string }) => e.hash === head.hash)).toBeUndefined();
  });

  it('exposes history rewritten with recomputed chain hashes to anyone who kept a signed head', async () => {
    const hx = (s: string) => Buffer.from(s, 'hex');
    const kept = json(await f.call('GET', '/v1/audit/head'));
    // The attacker changes a decision and recomputes every later chain hash: the chain verifies.
    const db = f.store.sharedConnection();
    const target = (db.prepare(`SELECT seq FROM audit_log WHERE action = 'decision' ORDER BY seq DESC LIMIT 1`).get() as { seq: number }).seq;
    const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(target - 1) as { seq: number; at: number; actor: string; action: string; subject: string | null; detail: string; hash: string }[];
    let prev = rows.shift()!.hash;
    for (const r of rows) {
      const detail = JSON.parse(r.seq === target ? r.detail.replace('"deny"', '"allow"') : r.detail);
      const hash = entryHash({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject ?? undefined, detail, prevHash: prev });
      sql('UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?', JSON.stringify(detail), prev, hash, r.seq);
      prev = hash;
    }
    expect((await verify()).ok).toBe(true);
    // The server's tree describes the stored log: same size, another root, and no proof links it to the kept head.
    const now = json(await f.call('GET', '/v1/audit/head'));
    expect(now.treeSize).toBe(kept.treeSize);
    expect(now.rootHash).not.toBe(kept.rootHash);
    const c = json(await f.call('GET', `/v1/audit/consistency?from=${kept.treeSize}`));
    expect(verifyConsistency(kept.treeSize, c.to, hx(kept.rootHash), hx(c.toRoot), c.consistencyPath.map(hx)).ok).toBe(false);
    const p = json(await f.call('GET', `/v1/audit/entries/${target}/proof?treeSize=${kept.treeSize}`, { key: 'auditor' }));
    expect(JSON.stringify(p.entry.detail)).toContain('"allow"');
    expect(verifyInclusion(p.leafIndex, kept.treeSize, hx(p.leafHash), p.inclusionPath.map(hx), hx(kept.rootHash)).ok).toBe(false);
  });
});
