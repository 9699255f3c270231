// Maintenance end to end, as a bureau's cron runs it (`credence maintain`) with the clock
// moved (CREDENCE_CLOCK): a dispute left unconfirmed stops counting on day 31 and both
// notices go out, to the subject and to the railway that had asked about her; a listing about
// to end is told to its subject once; running it again, or twice at once, changes nothing more.
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

const carol = makeResidentId('371082', '19920505', '047');
const bob = makeResidentId('371082', '19700101', '033');
const DAY = 86_400_000;
const day = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
let dir: string;
let db: string;
const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: 'maintenance test', CREDENCE_CLOCK: undefined, NODE_ENV: undefined, ...env } });
const maintainAt = async (clock?: string) => {
  const r = await run(['maintain', '--json'], clock ? { CREDENCE_CLOCK: clock } : {});
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as { disputes: { lapsed: number; corrected: number }; listingsEnding: number };
};
const noticesOf = async (subject: string, clock?: string) => {
  const r = await run(['notices', 'list', subject, '--json'], clock ? { CREDENCE_CLOCK: clock } : {});
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as { kind: string; body: Record<string, unknown> }[];
};
let decisionId: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-maintain-'));
  db = path.join(dir, 'maintain.db');
  expect((await run(['init'])).code).toBe(0);
  const file = path.join(dir, 'records.ndjson');
  writeFileSync(file, [
    { source: 'utilities-bureau', sourceRecordId: 'u-9', subject: carol, type: 'utilities.theft', occurredAt: day(-2), payload: { utility: 'gas' } },
    { source: 'rongcheng-court', sourceRecordId: 'c-20', subject: bob, type: 'courts.defaulter_listing', occurredAt: day(-700), payload: { case_ref: '(2024) Lu 1082 Zhi 20', ground: 'able_to_pay_refuses', end_date: day(20) } },
  ].map((x) => JSON.stringify(x)).join('\n') + '\n');
  const ing = await run(['ingest', file]);
  expect(ing.code, ing.err).toBe(0);
  // The railway asks about carol over HTTP on the same database, as the server would answer it.
  const store = await SqliteStore.open(db);
  try {
    const access = new SqliteAccessStore(store.sharedConnection());
    await access.saveProvider({ id: 'railway', name: 'Railway', measures: ['defaulter.no_g_train'], purposes: ['ticket-sale'], createdAt: Date.now() });
    const credence = await Credence.open(store, { now: Date.now });
    const app = await buildApp({ credence, store, access, bus: null, now: Date.now, dispatch: false, options: { rateLimit: { burst: 1000, perSecond: 1000 } } });
    const k = newKey('provider');
    await access.createKey({ id: k.id, role: 'provider', name: 'railway', hash: k.hash, binding: 'railway', createdAt: Date.now(), createdBy: 'test', expiresAt: Date.now() + DAY, revokedAt: null, replacedBy: null });
    const r = await app.inject({ method: 'POST', url: '/v1/decisions', headers: { authorization: `Bearer ${k.secret}`, 'content-type': 'application/json' }, payload: JSON.stringify({ subject: carol, measure: 'defaulter.no_g_train', purpose: 'ticket-sale' }) });
    expect(r.statusCode, r.body).toBe(200);
    decisionId = (JSON.parse(r.body) as { decisionId: number }).decisionId;
    await app.close();
  } finally {
    await store.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credence maintain', () => {
  it('tells a subject once that her listing ends within 30 days', async () => {
    expect((await maintainAt()).listingsEnding).toBe(1);
    const ending = (await noticesOf(bob)).filter((n) => n.kind === 'listing.ending');
    expect(ending).toHaveLength(1);
    expect(ending[0]!.body).toMatchObject({ list: 'judgment-defaulters', cause: 'rongcheng-court/c-20' });
    expect(ending[0]!.body.measuresEnding).toContain('defaulter.no_g_train');
    expect((await maintainAt()).listingsEnding).toBe(0);
    expect((await noticesOf(bob)).filter((n) => n.kind === 'listing.ending')).toHaveLength(1);
  });

  it('closes a dispute left unconfirmed on day 31 and tells the subject and the railway that asked about her', async () => {
    const d = await run(['cases', 'dispute', carol, '--record', 'utilities-bureau/u-9', '--statement', 'the gas meter was replaced before that date', '--reason', 'letter received', '--json']);
    expect(d.code, d.err).toBe(0);
    const caseId = (JSON.parse(d.out) as { id: string }).id;
    expect((await maintainAt('+P29D')).disputes).toEqual({ lapsed: 0, corrected: 0 });
    expect((await noticesOf(carol, '+P29D')).some((n) => n.kind === 'dispute.outcome')).toBe(false);

    // Two maintainers at once (two cron hosts): the case is closed once.
    const [a, b] = await Promise.all([maintainAt('+P31D'), maintainAt('+P31D')]);
    expect(a.disputes.lapsed + b.disputes.lapsed).toBe(1);
    const outcome = (await noticesOf(carol, '+P31D')).find((n) => n.kind === 'dispute.outcome');
    expect(outcome?.body).toMatchObject({ case: caseId, outcome: 'lapsed', counts: false, record: 'utilities-bureau/u-9' });
    const shown = await run(['cases', 'show', caseId, '--json'], { CREDENCE_CLOCK: '+P31D' });
    expect(JSON.parse(shown.out)).toMatchObject({ status: 'closed', outcome: 'lapsed' });
    const store = await SqliteStore.open(db);
    try {
      const told = await store.listNotices({ recipient: 'provider:railway' }, 0, 10);
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toMatchObject({ outcome: 'lapsed', decisions: [decisionId] });
      expect(JSON.stringify(told[0]!.body)).not.toContain('gas meter');
      const entries = await store.auditOfSubject(carol, 50);
      expect(entries.some((e) => e.action === 'dispute.lapsed' && e.actor === 'system:maintain')).toBe(true);
    } finally {
      await store.close();
    }
    // Again: nothing more is closed or told.
    expect((await maintainAt('+P32D')).disputes.lapsed).toBe(0);
    expect((await noticesOf(carol, '+P32D')).filter((n) => n.kind === 'dispute.outcome')).toHaveLength(1);
  });

  it('closes a dispute as corrected once the source revokes the record with a corrected one, and says so', async () => {
    const file = path.join(dir, 'first.ndjson');
    writeFileSync(file, JSON.stringify({ source: 'utilities-bureau', sourceRecordId: 'u-10', subject: carol, type: 'utilities.theft', occurredAt: day(-3), payload: { utility: 'power' } }) + '\n');
    expect((await run(['ingest', file])).code).toBe(0);
    const d = await run(['cases', 'dispute', carol, '--record', 'utilities-bureau/u-10', '--statement', 'it was the neighbour\'s meter, not mine', '--reason', 'letter received', '--json']);
    expect(d.code, d.err).toBe(0);
    const fix = path.join(dir, 'fix.ndjson');
    writeFileSync(fix, JSON.stringify({ source: 'utilities-bureau', sourceRecordId: 'u-10-fix', revokes: 'u-10', subject: carol, type: 'utilities.theft', occurredAt: day(-3), payload: { utility: 'water' } }) + '\n');
    expect((await run(['ingest', fix])).code).toBe(0);
    expect((await maintainAt()).disputes).toEqual({ lapsed: 0, corrected: 1 });
    const told = (await noticesOf(carol)).filter((n) => n.kind === 'dispute.outcome' && n.body.outcome === 'corrected');
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatchObject({ record: 'utilities-bureau/u-10', counts: false });
  });
});
