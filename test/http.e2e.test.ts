// `npm start` end to end: spawn `credence serve` on a fresh database and a free port, read
// the printed URL and operator key, mint keys over HTTP, ingest a simulated batch as a
// source, ask decisions as a provider, read the query log as the subject, verify the audit
// chain as an auditor, then SIGTERM and expect a clean exit.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateTown } from '../src/app/simulate.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let dir: string;
let child: ChildProcess;
let url = '';
let operatorKey = '';
let stdout = '';
let stderr = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-http-'));
  child = spawn(process.execPath, [path.join(ROOT, 'bin', 'credence.js'), 'serve', '--quiet'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', CREDENCE_DB: path.join(dir, 'e2e.db'), CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => { stdout += String(d); });
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const deadline = Date.now() + 60_000;
  while (!/operator key[^\n]*crd_op_\S+/.test(stdout)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${stdout}\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  url = /listening on (http:\/\/\S+)/.exec(stdout)![1]!;
  operatorKey = /(crd_op_\S+)/.exec(stdout)![1]!;
});

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, p: string, key: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  let payload: string | undefined;
  if (typeof body === 'string') payload = body;
  else if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
  const r = await fetch(`${url}${p}`, { method, headers: h, body: payload });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

describe('credence serve over real HTTP', () => {
  it('names a model of honesty on the public red list only while the subject consents to it', async () => {
    const op = await api('GET', '/v1/lists/honesty-models/entries?limit=1000', operatorKey);
    const model = (op.body.items as Array<{ subject: string }>)[0]!.subject;
    const masked = `${model.slice(0, 6)}${'*'.repeat(model.length - 10)}${model.slice(-4)}`;
    const shown = async () => ((await api('GET', '/v1/lists/honesty-models/entries?limit=1000', null)).body.items as Array<{ subject: string }>).map((e) => e.subject);
    expect(await shown()).not.toContain(masked);

    // An operator records the consent for the subject, with the reason; giving it again changes nothing.
    const bare = await api('PUT', `/v1/subjects/${model}/publication/honesty-models`, operatorKey, {});
    expect(bare.status).toBe(400);
    expect(bare.body.detail).toContain('onBehalfReason');
    const given = await api('PUT', `/v1/subjects/${model}/publication/honesty-models`, operatorKey, { onBehalfReason: 'signed consent form at the counter' });
    expect(given.status, JSON.stringify(given.body)).toBe(201);
    expect(given.body).toMatchObject({ subject: model, list: 'honesty-models', inForce: true, withdrawnAt: null });
    expect((await api('PUT', `/v1/subjects/${model}/publication/honesty-models`, operatorKey, { onBehalfReason: 'again' })).status).toBe(200);
    expect(await shown()).toEqual([masked]);
    const listed = await api('GET', `/v1/subjects/${model}/publication`, operatorKey);
    expect(listed.body.items).toEqual([expect.objectContaining({ list: 'honesty-models', inForce: true })]);

    // A black list publishes by law: no consent to give there.
    const black = await api('PUT', `/v1/subjects/${model}/publication/judgment-defaulters`, operatorKey, { onBehalfReason: 'form' });
    expect(black.status).toBe(422);
    expect(black.body).toMatchObject({ code: 'PUBLICATION_CONSENT_NOT_APPLICABLE', detail: expect.stringContaining('honesty-models') });

    // Withdrawn, the name is off the list at once; withdrawing twice is 404.
    const off = await api('DELETE', `/v1/subjects/${model}/publication/honesty-models`, operatorKey, { onBehalfReason: 'letter withdrawing consent' });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ inForce: false, withdrawnAt: expect.any(String) });
    expect(await shown()).toEqual([]);
    expect((await api('DELETE', `/v1/subjects/${model}/publication/honesty-models`, operatorKey, { onBehalfReason: 'again' })).body).toMatchObject({ code: 'PUBLICATION_CONSENT_NOT_FOUND' });
  });

  it('publishes lists masked, a red list only with consent, and answers providers without scores or grades', async () => {
    // The seeded town has honesty models (AAA) and judgment defaulters.
    const op = await api('GET', '/v1/lists/honesty-models/entries?limit=1000', operatorKey);
    expect(op.status).toBe(200);
    expect(op.body.view).toBe('operator');
    expect(op.body.items.length).toBeGreaterThan(0);
    const red = await api('GET', '/v1/lists/honesty-models/entries?limit=1000', null);
    expect(red.body).toMatchObject({ view: 'public', consentRequired: true, items: [], withheld: op.body.items.length });

    const black = await api('GET', '/v1/lists/judgment-defaulters/entries?limit=1000', null);
    expect(black.status).toBe(200);
    const full = await api('GET', '/v1/lists/judgment-defaulters/entries?limit=1000', operatorKey);
    expect(black.body.items.length).toBe(full.body.items.length);
    const text = JSON.stringify(black.body);
    for (const e of full.body.items as Array<{ subject: string }>) expect(text).not.toContain(e.subject);
    for (const e of black.body.items as Array<{ subject: string; name: string | null }>) {
      expect(e.subject).toMatch(/^.{6}\*+.{4}$/);
      if (e.name !== null) expect(e.name).toMatch(/^(\p{Script=Han}{1,2}\*|\S+ \p{Lu}\.|\p{Lu}\.)$/u);
    }
    expect(text).not.toMatch(/score|grade|"cause"/);

    // A provider asking about a grade reward learns whether it applies, never the grade or the points.
    const measure = 'reward.library_card_deposit_free';
    expect((await api('PUT', '/v1/providers/library', operatorKey, { name: 'City library', measures: [measure], purposes: ['library-registration'] })).status).toBe(201);
    const lib = await api('POST', '/v1/keys', operatorKey, { role: 'provider', name: 'e2e library', binding: 'library' });
    const subjects = [...(op.body.items as Array<{ subject: string }>).slice(0, 20).map((e) => e.subject), ...(full.body.items as Array<{ subject: string }>).slice(0, 20).map((e) => e.subject)];
    const dec = await api('POST', '/v1/decisions/batch', lib.body.key, { subjects, measure, purpose: 'library-registration' });
    expect(dec.status).toBe(200);
    expect(dec.body.items.filter((d: { applies: boolean }) => d.applies).length).toBeGreaterThan(0);
    expect(JSON.stringify(dec.body)).not.toMatch(/"grade"|points|\bAAA\b|\bAA\b/);
  });

  it('serves the whole flow and stops cleanly on SIGTERM', async () => {
    expect((await api('GET', '/readyz', null)).status).toBe(200);
    expect(stderr).toMatch(/seeded a simulated town of 2000 subjects/);

    // A simulated batch from one source (another seed, so these are new records).
    const start = new Date(Date.now() - 200 * 86_400_000).toISOString().slice(0, 10);
    const bySource = new Map<string, Record<string, unknown>[]>();
    for (const item of simulateTown({ subjects: 400, days: 200, seed: 7, start })) {
      if (item.kind !== 'record') continue;
      const r = item.record as unknown as Record<string, unknown>;
      const list = bySource.get(r.source as string) ?? [];
      list.push({ ...r, sourceRecordId: `e2e-${r.sourceRecordId as string}` });
      bySource.set(r.source as string, list);
    }
    const [source, records] = [...bySource.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    const batch = records.filter((r) => !r.revokes).slice(0, 2000);

    const src = await api('POST', '/v1/keys', operatorKey, { role: 'source', name: 'e2e source', binding: source });
    expect(src.status).toBe(201);
    expect(src.body.key).toMatch(/^crd_src_/);
    const measure = 'defaulter.no_g_train';
    expect((await api('PUT', '/v1/providers/railway', operatorKey, { name: 'Railway', measures: [measure], purposes: ['boarding'] })).status).toBe(201);
    const prv = await api('POST', '/v1/keys', operatorKey, { role: 'provider', name: 'e2e railway', binding: 'railway' });
    const aud = await api('POST', '/v1/keys', operatorKey, { role: 'auditor', name: 'e2e auditor' });
    const subject = batch[0]!.subject as string;
    const sub = await api('POST', '/v1/keys', operatorKey, { role: 'subject', name: 'e2e subject', binding: subject });
    expect(sub.body.key).toMatch(/^crd_sub_/);

    const ndjson = batch.map((r) => JSON.stringify(r)).join('\n');
    const ing = await api('POST', '/v1/records/batch', src.body.key, ndjson, { 'content-type': 'application/x-ndjson', 'idempotency-key': 'e2e-batch-1' });
    expect(ing.status).toBe(200);
    expect(ing.body.accepted + ing.body.duplicates).toBe(batch.length);
    expect(ing.body.accepted).toBeGreaterThan(0);

    const subjects = [...new Set(batch.map((r) => r.subject as string))].slice(0, 500);
    const dec = await api('POST', '/v1/decisions/batch', prv.body.key, { subjects, measure, purpose: 'boarding' });
    expect(dec.status).toBe(200);
    expect(dec.body.items).toHaveLength(subjects.length);

    const q = await api('GET', `/v1/subjects/${subject}/queries`, sub.body.key);
    expect(q.status).toBe(200);
    expect(q.body.items.some((e: { action: string; purpose: string; actor: string }) => e.action === 'decision' && e.purpose === 'boarding' && e.actor === `key:${prv.body.id}`)).toBe(true);
    expect((await api('GET', `/v1/subjects/${subjects[1]}/queries`, sub.body.key)).status).toBe(403);

    const v = await api('GET', '/v1/audit/verify', aud.body.key);
    expect(v.body.ok).toBe(true);
    expect(v.body.count).toBeGreaterThan(5);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/credence_records_accepted_total \d+/);

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/SIGTERM: shutting down/);

    // The CLI works on the server's data: the keys minted over HTTP are there, and the chain verifies.
    const env = { ...process.env, CREDENCE_DB: path.join(dir, 'e2e.db'), CI: '1' };
    const keys = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'credence.js'), 'keys', 'list'], { cwd: dir, env, encoding: 'utf8' });
    expect(keys.status).toBe(0);
    expect(keys.stdout).toContain('e2e railway');
    expect(keys.stdout).not.toContain(prv.body.key);
    const verify = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'credence.js'), 'audit', 'verify'], { cwd: dir, env, encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
  });
});
