// `credence consents` end to end, spawned as an operator at a bank's counter would run it:
// the subject's signed form recorded with a stated reason, the token used by the bank over
// HTTP on the same database, the use shown in the list and the export, then a revocation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteAccessStore } from '../src/adapters/sqlite/sqlite-access-store.ts';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../src/app/credence.ts';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { buildApp } from '../src/transport/http/app.ts';
import { newKey } from '../src/transport/http/keys.ts';
import { runCli } from './helpers/cli.ts';

const alice = makeResidentId('371082', '19850312', '021');
const LOAN = ['--provider', 'city-bank', '--purpose', 'credit-application', '--measure', 'defaulter.restricted_loans_cards'];
let dir: string;
let db: string;
const run = (args: string[]) => runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: 'consents test session' } });

/** The bank's look-up over HTTP on the same database file, as the server would answer it. */
async function bankAsks(consent?: string) {
  const store = await SqliteStore.open(db);
  try {
    const access = new SqliteAccessStore(store.sharedConnection());
    const credence = await Credence.open(store, { now: Date.now });
    const app = await buildApp({ credence, store, access, bus: null, now: Date.now, options: { rateLimit: { burst: 1000, perSecond: 1000 } } });
    const k = newKey('provider');
    await access.createKey({ id: k.id, role: 'provider', name: 'bank counter', hash: k.hash, binding: 'city-bank', createdAt: Date.now(), createdBy: 'test', expiresAt: Date.now() + 86_400_000, revokedAt: null, replacedBy: null });
    const r = await app.inject({ method: 'POST', url: '/v1/decisions', headers: { authorization: `Bearer ${k.secret}`, 'content-type': 'application/json' }, payload: JSON.stringify({ subject: alice, measure: 'defaulter.restricted_loans_cards', purpose: 'credit-application', ...(consent ? { consent } : {}) }) });
    await app.close();
    return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-consents-'));
  db = path.join(dir, 'consents.db');
  expect((await run(['init'])).code).toBe(0);
  const file = path.join(dir, 'records.ndjson');
  writeFileSync(file, JSON.stringify({ source: 'utilities-bureau', sourceRecordId: 'u-1', subject: alice, type: 'utilities.theft', occurredAt: new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10), payload: { utility: 'power' } }) + '\n');
  expect((await run(['ingest', file])).code).toBe(0);
  // The bank is registered as an operator would (PUT /v1/providers/city-bank).
  const store = await SqliteStore.open(db);
  await new SqliteAccessStore(store.sharedConnection()).saveProvider({ id: 'city-bank', name: 'City commercial bank', measures: ['defaulter.restricted_loans_cards'], purposes: ['credit-application'], createdAt: Date.now() });
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credence consents', () => {
  it('records a consent only with a reason, lets the bank use it once, shows the use, and revokes it', async () => {
    const noReason = await run(['consents', 'issue', alice, ...LOAN]);
    expect(noReason.code).toBe(2);
    expect(noReason.err).toContain('--reason');
    const notNeeded = await run(['consents', 'issue', alice, '--provider', 'city-bank', '--purpose', 'ticket-sale', '--measure', 'defaulter.restricted_loans_cards', '--reason', 'signed form']);
    expect(notNeeded.code).toBe(3);
    expect(notNeeded.err).toContain('FORBIDDEN_PURPOSE');

    expect((await bankAsks()).body.code).toBe('CONSENT_REQUIRED');
    const issued = await run(['consents', 'issue', alice, ...LOAN, '--reason', 'signed authorisation form at the branch, 3 December', '--days', '7', '--json']);
    expect(issued.code, issued.err).toBe(0);
    const c = JSON.parse(issued.out) as { id: string; token: string; status: string; maxUses: number; createdBy: string };
    expect(c).toMatchObject({ status: 'active', maxUses: 1 });
    expect(c.createdBy).toMatch(/^cli:/);

    const used = await bankAsks(c.token);
    expect(used.status, JSON.stringify(used.body)).toBe(200);
    expect((await bankAsks(c.token)).body.code).toBe('CONSENT_INVALID');

    const list = await run(['consents', 'list', alice]);
    expect(list.code).toBe(0);
    expect(list.out).toContain(`${c.id}  used`);
    expect(list.out).toContain('City commercial bank');
    expect(list.out).toContain('1/1 uses');
    expect(list.out).not.toContain(c.token);

    const ex = await run(['export', alice]);
    expect(ex.code, ex.err).toBe(0);
    const exported = JSON.parse(ex.out) as { consents: { id: string; uses: number }[]; queries: { action: string; detail: { consent?: string; providerName?: string } }[] };
    expect(exported.consents).toEqual([expect.objectContaining({ id: c.id, uses: 1 })]);
    expect(exported.queries.find((q) => q.action === 'decision')?.detail).toMatchObject({ consent: c.id, providerName: 'City commercial bank' });
    expect(JSON.stringify(exported)).not.toContain(c.token);

    const revoked = await run(['consents', 'revoke', alice, c.id, '--reason', 'the subject withdrew consent by letter']);
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out).toContain('revoked');
    expect((await run(['consents', 'revoke', alice, 'cns_doesnotexist0000', '--reason', 'x'])).code).toBe(4);
    expect((await run(['audit', 'verify'])).code).toBe(0);
  });

  it('publishes a model of honesty on the red list only while a consent to it is recorded, and withdraws it', async () => {
    const zhou = makeResidentId('371082', '19780214', '068');
    const file = path.join(dir, 'honours.ndjson');
    const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(file, [1, 2].map((n) => JSON.stringify({ source: 'civil-affairs', sourceRecordId: `h-${n}`, subject: zhou, type: 'civic.honour', occurredAt: day(n + 1), payload: { level: 'national' }, subjectName: '周明' })).join('\n') + '\n');
    expect((await run(['ingest', file])).code).toBe(0);
    const publicList = async () => JSON.parse((await run(['lists', 'show', 'honesty-models', '--public', '--json'])).out) as { entries: { subject: string; name: string | null }[]; withheld: number };
    const before = await publicList();
    expect(before.entries).toEqual([]);
    expect(before.withheld).toBeGreaterThanOrEqual(1);

    const given = await run(['consents', 'publish', zhou, '--list', 'honesty-models', '--reason', 'signed publication form', '--json']);
    expect(given.code, given.err).toBe(0);
    expect(JSON.parse(given.out)).toMatchObject({ subject: zhou, list: 'honesty-models', withdrawnAt: null });
    const named = await publicList();
    expect(named.entries).toEqual([expect.objectContaining({ subject: `${zhou.slice(0, 6)}********${zhou.slice(-4)}`, name: '周*' })]);
    expect((await run(['consents', 'list', zhou])).out).toContain('publication on honesty-models: in force');

    const black = await run(['consents', 'publish', zhou, '--list', 'judgment-defaulters', '--reason', 'form']);
    expect(black.code).toBe(3);
    expect(black.err).toContain('PUBLICATION_CONSENT_NOT_APPLICABLE');

    expect((await run(['consents', 'unpublish', zhou, '--list', 'honesty-models', '--reason', 'letter withdrawing consent'])).code).toBe(0);
    expect((await publicList()).entries).toEqual([]);
    expect((await run(['consents', 'unpublish', zhou, '--list', 'honesty-models', '--reason', 'again'])).code).toBe(4);
    expect((await run(['audit', 'verify'])).code).toBe(0);
  });
});
