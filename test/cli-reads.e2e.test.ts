// Operator reads through the command line are in the subject's query log, with the operator
// and the stated reason, before anything is shown; a read without a reason shows nothing and
// logs nothing. Spawned as an operator would run the commands.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { runCli } from './helpers/cli.ts';

const bob = makeResidentId('371082', '19700101', '033');
const user = os.userInfo().username;
let dir: string;
let db: string;
// No session reason from the environment unless a test gives one.
const run = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: undefined, ...env } });

async function entriesAbout(subject: string) {
  const store = await SqliteStore.open(db);
  try {
    return await store.auditOfSubject(subject, 1000);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-reads-'));
  db = path.join(dir, 'reads.db');
  expect((await run(['init'])).code).toBe(0);
  const file = path.join(dir, 'records.ndjson');
  writeFileSync(file, JSON.stringify({ source: 'utilities-bureau', sourceRecordId: 'u-1', subject: bob, type: 'utilities.theft', occurredAt: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10), payload: { utility: 'water' } }) + '\n');
  expect((await run(['ingest', file])).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reads through the command line', () => {
  it('refuses a read without a reason, showing and logging nothing', async () => {
    const before = (await entriesAbout(bob)).length;
    for (const args of [['subject', 'show', bob], ['subject', 'explain', bob], ['subject', 'history', bob], ['decide', bob, 'defaulter.no_g_train'], ['export', bob], ['consents', 'list', bob], ['notices', 'list', bob], ['lists', 'show', 'judgment-defaulters'], ['cases', 'list'], ['cases', 'show', 'dispute:nope']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('--reason');
      expect(r.out).toBe('');
    }
    expect((await entriesAbout(bob)).length).toBe(before);
  });

  it('logs each read with the operator, the command and the reason, before it shows anything', async () => {
    const show = await run(['subject', 'show', bob, '--reason', 'hotline call 2026-118']);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toContain(bob);
    const decide = await run(['decide', bob, 'defaulter.no_g_train', '--reason', 'checking a passenger complaint']);
    expect(decide.code, decide.err).toBe(0);
    const exp = await run(['export', bob], { CREDENCE_READ_REASON: 'access request of 1 December' });
    expect(exp.code, exp.err).toBe(0);

    const log = await entriesAbout(bob);
    expect(log.find((e) => e.action === 'subject.read' && e.detail.command === 'subject show')).toMatchObject({ actor: `cli:${user}`, detail: { reason: 'hotline call 2026-118' } });
    expect(log.find((e) => e.action === 'decision')).toMatchObject({ actor: `cli:${user}`, detail: { reason: 'checking a passenger complaint', measure: 'defaulter.no_g_train' } });
    expect(log.find((e) => e.action === 'subject.export')).toMatchObject({ actor: `cli:${user}`, detail: { reason: 'access request of 1 December' } });
    // The export printed the log as it stood: the export's own entry came first.
    const exported = JSON.parse(exp.out) as { queries: { action: string; detail: { reason?: string } }[] };
    expect(exported.queries.some((q) => q.action === 'subject.export' && q.detail.reason === 'access request of 1 December')).toBe(true);
  });

  it('logs a list or a queue read in the query log of every subject it shows', async () => {
    const listed = makeResidentId('371082', '19661212', '018');
    const file = path.join(dir, 'court.ndjson');
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    writeFileSync(file, JSON.stringify({ source: 'rongcheng-court', sourceRecordId: 'c-7', subject: listed, type: 'courts.defaulter_listing', occurredAt: day(-2), payload: { case_ref: '(2026) Lu 1082 Zhi 7', ground: 'able_to_pay_refuses', end_date: day(600) } }) + '\n');
    expect((await run(['ingest', file])).code).toBe(0);
    const lists = await run(['lists', 'show', 'judgment-defaulters', '--reason', 'court asked which defaulters we hold']);
    expect(lists.code, lists.err).toBe(0);
    expect(lists.out).toContain(listed);
    expect((await entriesAbout(listed)).find((e) => e.detail.command === 'lists show')).toMatchObject({ actor: `cli:${user}`, detail: { reason: 'court asked which defaulters we hold', list: 'judgment-defaulters' } });
    // The public view shows masked identifiers only and needs no reason.
    expect((await run(['lists', 'show', 'judgment-defaulters', '--public'])).code).toBe(0);
    const d = await run(['cases', 'dispute', bob, '--record', 'utilities-bureau/u-1', '--statement', 'the water meter was shared with the flat above', '--reason', 'letter received', '--json']);
    expect(d.code, d.err).toBe(0);
    const caseId = (JSON.parse(d.out) as { id: string }).id;
    expect((await run(['cases', 'list', '--reason', 'morning queue review'])).code).toBe(0);
    expect((await run(['cases', 'show', caseId, '--reason', 'reviewing the statement'])).code).toBe(0);
    const log = await entriesAbout(bob);
    expect(log.find((e) => e.detail.command === 'cases list')).toMatchObject({ detail: { reason: 'morning queue review' } });
    expect(log.find((e) => e.detail.command === 'cases show')).toMatchObject({ detail: { reason: 'reviewing the statement', case: caseId } });
  });
});
