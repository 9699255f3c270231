// The audit log as a Merkle tree, probed from outside with the `credence` command on a real
// SQLite file: a signed head saved earlier catches what the hash chain alone cannot (an
// attacker with the database who recomputes the unkeyed chain hashes), and an inclusion proof
// saved from the server verifies against the saved head with the database gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { entryHash, GENESIS_HASH } from '../src/domain/audit-chain.ts';
import { BIN, runCli } from './helpers/cli.ts';
import { alice, bob, daysAgo } from './helpers/http.ts';
import { CATALOGUE_DIR } from './helpers/shipped.ts';

let dir: string;
let base: string;
let keyFile: string;
let savedHead: string;
/** Entries in the base log when the head was saved, and the last ingest entry among them. */
let entries: number;
let lastIngest: number;

const run = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { cwd: dir, env: { CREDENCE_DB: base, CREDENCE_LOG_KEY_FILE: keyFile, ...env } });

/** A copy of the base database to tamper with (the head was saved from the base). */
let copies = 0;
function copy(): { file: string; db: Database.Database } {
  const file = path.join(dir, `copy-${++copies}.db`);
  copyFileSync(base, file);
  return { file, db: new Database(file) };
}

interface Row { seq: number; at: number; actor: string; action: string; subject: string | null; detail: string; prev_hash: string; hash: string }
/** What an attacker with the database can do: recompute every chain hash from entry `from` on. */
function rechain(db: Database.Database, from: number): void {
  const rows = db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq').all(from - 1) as Row[];
  let prev = from === 1 ? GENESIS_HASH : rows.shift()!.hash;
  const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    const hash = entryHash({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject ?? undefined, detail: JSON.parse(r.detail), prevHash: prev });
    update.run(prev, hash, r.seq);
    prev = hash;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-audit-tree-'));
  base = path.join(dir, 'town.db');
  keyFile = path.join(dir, 'keys', 'log-key.pem');
  const now = () => Date.now();
  const store = await SqliteStore.open(base);
  const init = await initStore(store, CATALOGUE_DIR, 'default', now());
  if (init.problems.length > 0) throw new Error(JSON.stringify(init.problems[0]));
  const c = await Credence.open(store, { now });
  await c.ingest([
    { source: 'utilities-bureau', sourceRecordId: 'u-1', subject: alice, type: 'utilities.theft', occurredAt: daysAgo(10), payload: { utility: 'power' }, evidence: ['meter-photo-17'] },
    { source: 'rongcheng-court', sourceRecordId: 'c-1', subject: bob, type: 'courts.defaulter_listing', occurredAt: daysAgo(5), payload: { case_ref: '(2026) Lu 1082 Zhi 101', ground: 'able_to_pay_refuses', end_date: daysAgo(-700) } },
  ], 'test');
  lastIngest = (await store.auditHead())!.seq;
  // Reads and decisions about the two residents, as the HTTP API logs them.
  for (let i = 0; i < 30; i++) {
    await store.appendAudit([
      { at: now(), actor: 'key:key_railway', action: 'decision', subject: bob, detail: { measure: 'defaulter.no_g_train', purpose: 'boarding', outcome: 'deny', reasons: ['LISTED_DEFAULTER'] } },
      { at: now(), actor: 'key:key_operator', action: 'subject.read', subject: i % 2 ? alice : bob, detail: { route: '/v1/subjects/:id/records' } },
    ]);
  }
  entries = (await store.auditHead())!.seq;
  await store.close();
  savedHead = path.join(dir, 'head.json');
  const h = await run(['audit', 'head', '--out', savedHead]);
  expect(h.code, h.err).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verifyHead = (file: string, extra: string[] = []) => run(['audit', 'verify', '--head', savedHead, ...extra], { CREDENCE_DB: file });

describe('signed tree heads', () => {
  it('saves a signed head of every entry, with the key in a file of its own (mode 0600), not in the database', async () => {
    const head = JSON.parse(readFileSync(savedHead, 'utf8'));
    expect(head).toMatchObject({ treeSize: entries, seq: entries, rootHash: expect.stringMatching(/^[0-9a-f]{64}$/), signature: expect.any(String), keyId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(readFileSync(base).includes('PRIVATE KEY')).toBe(false);
    // Without a configured path, the key goes beside the database.
    const other = copy();
    other.db.close();
    const r = await run(['audit', 'head'], { CREDENCE_DB: other.file, CREDENCE_LOG_KEY_FILE: undefined });
    expect(r.code, r.err).toBe(0);
    expect(statSync(`${other.file}.log-key.pem`).mode & 0o777).toBe(0o600);
    expect(JSON.parse(r.out).keyId).not.toBe(head.keyId);
  });

  it('verifies an intact log against the saved head, and one that grew since', async () => {
    const same = await verifyHead(base);
    expect(same.code, same.out + same.err).toBe(0);
    expect(same.out).toContain(`the log contains the saved head's tree: its ${entries} entries hash to`);
    const grown = copy();
    const last = grown.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    const e = { seq: last.seq + 1, at: Date.now(), actor: 'key:key_operator', action: 'subject.read', subject: alice, detail: { route: '/v1/subjects/:id' }, prevHash: last.hash };
    grown.db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(e.seq, e.at, e.actor, e.action, e.subject, JSON.stringify(e.detail), e.prevHash, entryHash(e));
    grown.db.close();
    const r = await verifyHead(grown.file, ['--json']);
    expect(r.code, r.out + r.err).toBe(0);
    expect(JSON.parse(r.out).head).toMatchObject({ ok: true, savedSize: entries, size: entries + 1 });
  });

  it('detects the last entry deleted', async () => {
    const t = copy();
    t.db.prepare('DELETE FROM audit_log WHERE seq = ?').run(entries);
    t.db.close();
    const r = await verifyHead(t.file);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`AUDIT_HEAD_MISMATCH: the saved head covers ${entries} entries, but the log now holds only ${entries - 1} consecutive entries`);
  });

  it('detects the last 20 entries deleted, though the chain that remains is intact', async () => {
    const t = copy();
    t.db.prepare('DELETE FROM audit_log WHERE seq > ?').run(entries - 20);
    t.db.close();
    expect((await run(['audit', 'verify'], { CREDENCE_DB: t.file })).code).toBe(0);
    const r = await verifyHead(t.file);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`holds only ${entries - 20} consecutive entries`);
  });

  it('detects every entry deleted', async () => {
    const t = copy();
    t.db.prepare('DELETE FROM audit_log').run();
    t.db.close();
    const r = await verifyHead(t.file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('AUDIT_HEAD_MISMATCH: the saved head covers');
    expect(r.out).toContain('holds only 0 consecutive entries');
  });

  it('detects an edited entry whose chain hashes were all recomputed (the chain alone verifies)', async () => {
    const t = copy();
    const target = lastIngest + 5;
    const row = t.db.prepare('SELECT action, detail FROM audit_log WHERE seq = ?').get(target) as { action: string; detail: string };
    expect(row.action).toBe('decision');
    t.db.prepare('UPDATE audit_log SET detail = ? WHERE seq = ?').run(row.detail.replace('"deny"', '"allow"'), target);
    rechain(t.db, target);
    t.db.close();
    const chainOnly = await run(['audit', 'verify'], { CREDENCE_DB: t.file });
    expect(chainOnly.code, chainOnly.out).toBe(0);
    const r = await verifyHead(t.file);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`AUDIT_HEAD_MISMATCH: the log's first ${entries} entries no longer hash to the saved head's root`);
  });

  it('detects an entry deleted and the rest renumbered and rechained, even once the log has grown past the head', async () => {
    const t = copy();
    const gone = lastIngest + 3;
    t.db.prepare('DELETE FROM audit_log WHERE seq = ?').run(gone);
    for (let seq = gone + 1; seq <= entries; seq++) t.db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(seq - 1, seq);
    rechain(t.db, gone);
    t.db.close();
    expect((await run(['audit', 'verify'], { CREDENCE_DB: t.file })).code).toBe(0);
    const short = await verifyHead(t.file);
    expect(short.code).toBe(1);
    expect(short.out).toContain(`holds only ${entries - 1} consecutive entries`);
    // Two more entries bring the log back past the head's size: the root no longer matches.
    const db = new Database(t.file);
    for (let i = 0; i < 2; i++) {
      const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      const e = { seq: last.seq + 1, at: Date.now(), actor: 'system', action: 'key.create', detail: { key: `key_${i}` }, prevHash: last.hash };
      db.prepare('INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)').run(e.seq, e.at, e.actor, e.action, JSON.stringify(e.detail), e.prevHash, entryHash(e));
    }
    db.close();
    expect((await run(['audit', 'verify'], { CREDENCE_DB: t.file })).code).toBe(0);
    const r = await verifyHead(t.file, ['--json']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.out);
    expect(v.chain.ok).toBe(true);
    expect(v.head).toMatchObject({ ok: false, code: 'AUDIT_HEAD_MISMATCH', savedSize: entries, size: entries + 1 });
    expect(v.head.reason).toMatch(/no longer hash to the saved head's root/);
  });

  it('refuses a head that was changed after signing, or that another key signed', async () => {
    const forged = path.join(dir, 'forged-head.json');
    const head = JSON.parse(readFileSync(savedHead, 'utf8'));
    writeFileSync(forged, JSON.stringify({ ...head, treeSize: head.treeSize - 1 }));
    const r = await run(['audit', 'verify', '--head', forged]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('AUDIT_SIGNATURE_INVALID: the saved head\'s signature does not verify');
    const otherKey = path.join(dir, 'other.pub.pem');
    expect((await run(['audit', 'key', '--out', otherKey], { CREDENCE_LOG_KEY_FILE: path.join(dir, 'other-key.pem') })).code).toBe(0);
    const w = await run(['audit', 'verify', '--head', savedHead, '--key', otherKey]);
    expect(w.code).toBe(1);
    expect(w.out).toContain('AUDIT_SIGNATURE_INVALID');
  });

  it('says clearly what is wrong with a malformed head file or a missing key', async () => {
    const bad = path.join(dir, 'bad-head.json');
    writeFileSync(bad, JSON.stringify({ treeSize: 3, timestamp: 1, rootHash: 'abc', signature: 'x' }));
    const r = await run(['audit', 'verify', '--head', bad]);
    expect(r.code).toBe(3);
    expect(r.err).toContain(`${bad}: rootHash must be 64 lowercase hex digits`);
    const noKey = await run(['audit', 'verify', '--head', savedHead], { CREDENCE_LOG_KEY_FILE: path.join(dir, 'nowhere.pem') });
    expect(noKey.code).toBe(3);
    expect(noKey.err).toContain('AUDIT_KEY_UNAVAILABLE: there is no log key at');
    expect(existsSync(path.join(dir, 'nowhere.pem'))).toBe(false);
  });
});

describe('proofs on the command line', () => {
  it('proves an entry, checks the proof offline against the saved head, and refuses a changed entry', async () => {
    const seq = lastIngest + 4;
    const p = await run(['audit', 'prove', String(seq), '--size', String(entries), '--json']);
    expect(p.code, p.err).toBe(0);
    const proof = JSON.parse(p.out);
    expect(proof).toMatchObject({ seq, leafIndex: seq - 1, treeSize: entries, verified: true, entry: { seq, subject: expect.any(String) } });
    expect(proof.rootHash).toBe(JSON.parse(readFileSync(savedHead, 'utf8')).rootHash);
    const file = path.join(dir, 'proof.json');
    writeFileSync(file, p.out);
    const pub = path.join(dir, 'log.pub.pem');
    expect((await run(['audit', 'key', '--out', pub])).code).toBe(0);
    const ok = await run(['audit', 'check-proof', '--head', savedHead, '--proof', file, '--key', pub], { CREDENCE_DB: path.join(dir, 'none.db'), CREDENCE_LOG_KEY_FILE: path.join(dir, 'none.pem') });
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toContain(`entry ${seq} `);
    const changed = path.join(dir, 'proof-changed.json');
    writeFileSync(changed, JSON.stringify({ ...proof, leafHash: undefined, entry: { ...proof.entry, actor: 'system' } }));
    const bad = await run(['audit', 'check-proof', '--head', savedHead, '--proof', changed, '--key', pub]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`AUDIT_PROOF_INVALID: entry ${seq} is not shown in the head's tree`);
  });

  it('prints a consistency proof that verifies, and refuses sizes the log does not have', async () => {
    const c = await run(['audit', 'consistency', '7', String(entries)]);
    expect(c.code, c.err).toBe(0);
    expect(c.out).toContain('verifies (RFC 9162 §2.1.4.2)');
    const missing = await run(['audit', 'prove', String(entries + 5)]);
    expect(missing.code).toBe(4);
    expect(missing.err).toContain(`AUDIT_ENTRY_NOT_FOUND: there is no audit entry ${entries + 5}: the log holds ${entries} entries`);
    const beyond = await run(['audit', 'consistency', '3', String(entries + 1)]);
    expect(beyond.code).toBe(2);
    expect(beyond.err).toContain(`AUDIT_TREE_SIZE_INVALID: to ${entries + 1} is beyond the log, which holds ${entries} entries`);
    const small = await run(['audit', 'prove', '9', '--size', '5']);
    expect(small.code).toBe(2);
    expect(small.err).toContain('entry 9 is not in the tree of 5 entries');
    const word = await run(['audit', 'prove', 'nine']);
    expect(word.code).toBe(2);
    expect(word.err).toContain('SEQ must be a whole number of at least 1, got "nine"');
  });
});

describe('end to end: a proof from the server, checked without the database', () => {
  let server: ChildProcess | null = null;
  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
  });

  it('verifies an inclusion proof saved from the server against the published head after the database file is deleted', async () => {
    const db = path.join(dir, 'served.db');
    const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', CREDENCE_DB: db, PORT: '0', HOST: '127.0.0.1' };
    delete env.CREDENCE_LOG_KEY_FILE;
    const served = spawn(process.execPath, [BIN, 'serve', '--seed-subjects', '0', '--quiet'], { cwd: dir, env });
    server = served;
    let out = '';
    served.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const started = await new Promise<{ url: string; key: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 90_000);
      served.stdout!.on('data', () => {
        const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
        const key = /operator key[^:]*: (\S+)/.exec(out)?.[1];
        if (url && key) { clearTimeout(timer); resolve({ url, key }); }
      });
      served.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
    const api = async (method: string, route: string, key?: string, body?: unknown) => {
      const r = await fetch(`${started.url}${route}`, { method, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      return { status: r.status, text: await r.text() };
    };
    // Alice's own token reads her query log (a logged read about her), then fetches the proof of that entry.
    const token = JSON.parse((await api('POST', '/v1/keys', started.key, { role: 'subject', name: 'alice', binding: alice })).text).key as string;
    const queries = await api('GET', `/v1/subjects/${alice}/queries?limit=1`, token);
    expect(queries.status, queries.text).toBe(200);
    const mine = JSON.parse(queries.text).items[0].seq as number;
    const head = await api('GET', '/v1/audit/head');
    expect(head.status).toBe(200);
    const treeSize = JSON.parse(head.text).treeSize as number;
    expect(mine).toBeLessThanOrEqual(treeSize);
    const proof = await api('GET', `/v1/audit/entries/${mine}/proof?treeSize=${treeSize}`, token);
    expect(proof.status, proof.text).toBe(200);
    expect(JSON.parse(proof.text).entry.subject).toBe(alice);
    const key = await api('GET', '/v1/audit/key');
    const files = { head: path.join(dir, 'served-head.json'), proof: path.join(dir, 'served-proof.json'), key: path.join(dir, 'served-key.json') };
    writeFileSync(files.head, head.text);
    writeFileSync(files.proof, proof.text);
    writeFileSync(files.key, key.text);
    served.kill('SIGTERM');
    await new Promise((resolve) => (served.exitCode !== null ? resolve(null) : served.on('exit', resolve)));
    for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.log-key.pem`]) rmSync(f, { force: true });
    expect(existsSync(db)).toBe(false);

    const offline = { CREDENCE_DB: db, CREDENCE_LOG_KEY_FILE: undefined };
    const ok = await run(['audit', 'check-proof', '--head', files.head, '--proof', files.proof, '--key', files.key], offline);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toContain(`entry ${mine} (subject.read,`);
    expect(existsSync(db)).toBe(false);
    // The head altered (another root), or checked without a key: refused with the reason.
    const altered = path.join(dir, 'served-head-altered.json');
    writeFileSync(altered, JSON.stringify({ ...JSON.parse(head.text), rootHash: 'f'.repeat(64) }));
    const bad = await run(['audit', 'check-proof', '--head', altered, '--proof', files.proof, '--key', files.key], offline);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('AUDIT_SIGNATURE_INVALID');
    const nokey = await run(['audit', 'check-proof', '--head', files.head, '--proof', files.proof], offline);
    expect(nokey.code).toBe(3);
    expect(nokey.err).toContain('there is no log key at');
  }, 150_000);
});
