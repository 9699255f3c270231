// The `credence` command end to end, spawned as a user would run it, on a fresh database.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { makeResidentId, makeUscc } from '../src/domain/identifiers.ts';
import { BIN, runCli } from './helpers/cli.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
let dir: string;
let db: string;

const run = (args: string[], opts: { env?: Record<string, string> } = {}) => runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: 'cli test session', ...opts.env } });

const alice = makeResidentId('371082', '19850312', '021');
const bob = makeResidentId('371082', '19700101', '033');
const firm = makeUscc('91', '371082', 'MA0A1B2C');

const line = (o: Record<string, unknown>) => JSON.stringify(o);
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-cli-'));
  db = path.join(dir, 'town.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('credence command line', () => {
  it('answers a read or write on a database that does not exist with "run credence init", and creates no file', async () => {
    const missing = path.join(dir, 'typo', 'nothere.db');
    const file = path.join(dir, 'one.ndjson');
    writeFileSync(file, '{}\n');
    for (const args of [['stats'], ['subject', 'show', alice], ['audit', 'verify'], ['ingest', file]]) {
      const r = await run(args, { env: { CREDENCE_DB: missing } });
      expect(r.code, args.join(' ')).toBe(3);
      expect(r.err, args.join(' ')).toContain(`STORE_NOT_INITIALISED: there is no database at ${missing}`);
      expect(existsSync(missing), args.join(' ')).toBe(false);
      expect(existsSync(path.dirname(missing)), args.join(' ')).toBe(false);
    }
  });

  it('prints help for every command, and exits 2 on an unknown one', async () => {
    const top = (await run(['--help']));
    expect(top.code).toBe(0);
    for (const cmd of ['init', 'ingest', 'subject', 'decide', 'lists', 'rescore', 'simulate', 'export', 'stats', 'demo', 'id', 'audit']) {
      expect(top.out).toContain(`  ${cmd}`);
      const h = (await run([cmd, '--help']));
      expect(h.code, cmd).toBe(0);
      expect(h.out, cmd).toMatch(/^usage: credence /);
      expect(h.out, cmd).toMatch(/exit codes/i);
    }
    const bad = (await run(['frobnicate']));
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown command "frobnicate"');
  });

  it('checks identifiers: one line per value, exit 0 only if all are valid', async () => {
    const ok = (await run(['id', 'check', alice, firm]));
    expect(ok.code).toBe(0);
    expect(ok.out.split('\n').filter(Boolean).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([`${alice} valid`, `${firm} valid`]);
    const broken = alice.slice(0, 17) + (alice[17] === '0' ? '1' : '0');
    const bad = (await run(['id', 'check', alice, broken, '--json']));
    expect(bad.code).toBe(1);
    const doc = JSON.parse(bad.out);
    expect(doc.allValid).toBe(false);
    expect(doc.results[1]).toMatchObject({ valid: false, part: 'check' });
  });

  it('says in one line, without a stack, when the database cannot be reached', async () => {
    const r = await run(['stats'], { env: { CREDENCE_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/credence' } });
    expect(r.code).toBe(70);
    expect(r.err.trim()).toMatch(/^STORE_UNAVAILABLE: cannot open PostgreSQL 127\.0\.0\.1:1\/credence: /);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('refuses to work on a database that was never initialised', async () => {
    const r = (await run(['stats']));
    expect(r.code).toBe(3);
    expect(r.err).toContain('credence init');
  });

  it('initialises the database with the shipped catalogue and schemes', async () => {
    const r = (await run(['init']));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/\d+ record types, schemes .*rongcheng@1/);
    expect((await run(['init'])).code).toBe(0); // idempotent
  });

  it('ingests NDJSON: bad lines named by line number and kept aside, good lines stored, re-runs add nothing', async () => {
    const file = path.join(dir, 'records.ndjson');
    writeFileSync(
      file,
      [
        line({ source: 'utilities-bureau', sourceRecordId: 'u-1', subject: alice, type: 'utilities.theft', occurredAt: daysAgo(10), payload: { utility: 'power' }, evidence: ['meter-photo-17'] }),
        line({ source: 'rongcheng-banks', sourceRecordId: 'b-1', subject: alice, type: 'finance.card_arrears', occurredAt: daysAgo(9), payload: { months: 2 } }),
        '{"source": "utilities-bureau", broken json',
        line({ source: 'utilities-bureau', sourceRecordId: 'u-2', subject: '371082198503120212', type: 'utilities.theft', occurredAt: daysAgo(8), payload: { utility: 'gas' } }),
        line({ source: 'utilities-bureau', sourceRecordId: 'u-3', subject: bob, type: 'utilities.theft', occurredAt: daysAgo(8), payload: { utility: 'petrol' } }),
        line({ source: 'traffic-police', sourceRecordId: 't-1', subject: bob, type: 'utilities.theft', occurredAt: daysAgo(8), payload: { utility: 'gas' } }),
        line({ source: 'rongcheng-court', sourceRecordId: 'c-1', subject: bob, type: 'courts.defaulter_listing', occurredAt: daysAgo(5), payload: { case_ref: '(2026) Lu 1082 Zhi 101', ground: 'able_to_pay_refuses', end_date: daysAgo(-700) } }),
        line({ source: 'civil-affairs', sourceRecordId: 'h-1', subject: bob, type: 'civic.heroic_act', occurredAt: daysAgo(3), payload: {} }),
        '',
        line({ source: 'tax-bureau', sourceRecordId: 'x-1', subject: firm, type: 'tax.arrears', occurredAt: daysAgo(2), payload: { amount: 120000, months: 4 } }),
      ].join('\n'),
    );
    const first = (await run(['ingest', file]));
    expect(first.code).toBe(3);
    expect(first.out.trim().split('\n').pop()).toMatch(/^accepted 5, duplicates 0, rejected 4, \d+ records\/s/);
    expect(first.err).toContain('records.ndjson:3: RECORD_MALFORMED_JSON');
    expect(first.err).toMatch(/records\.ndjson:4: RECORD_INVALID_SUBJECT at subject: .*check/);
    expect(first.err).toMatch(/records\.ndjson:5: RECORD_PAYLOAD_INVALID at payload\.utility/);
    expect(first.err).toMatch(/records\.ndjson:6: RECORD_SOURCE_NOT_ALLOWED/);
    const rejects = readFileSync(`${file}.rejects.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejects.map((r) => r.line)).toEqual([3, 4, 5, 6]);
    const again = (await run(['ingest', file]));
    expect(again.out.trim().split('\n').pop()).toMatch(/^accepted 0, duplicates 5, rejected 4/);
    const stats = JSON.parse((await run(['stats', '--json'])).out);
    expect(stats).toMatchObject({ subjects: 3, records: 5 });
    expect(Object.keys(stats.grades)).toEqual(expect.arrayContaining(['rongcheng@1', 'weihai-seashell@1']));
    expect(stats.grades['rongcheng@1']).toMatchObject({ AA: 1, A: 1, B: 1 }); // bob: heroic act, 1030
  });

  it('ingests CSV with payload columns', async () => {
    const file = path.join(dir, 'deeds.csv');
    writeFileSync(file, [
      'source,sourceRecordId,subject,type,occurredAt,payload.course,evidence',
      `grid-office-morgenroete,g-1,${bob},civic.taught_course,${daysAgo(1)},calligraphy,photo-1|photo-2`,
      `grid-office-morgenroete,g-2,${bob},civic.taught_course,not-a-date,calligraphy,`,
    ].join('\n'));
    const r = (await run(['ingest', file]));
    expect(r.out).toMatch(/accepted 1, duplicates 0, rejected 1/);
    expect(r.err).toMatch(/deeds\.csv:3: RECORD_INVALID_DATE at occurredAt/);
  });

  it('shows, explains and traces a subject', async () => {
    const show = (await run(['subject', 'show', alice]));
    expect(show.code).toBe(0);
    expect(show.out).toContain('rongcheng@1: 920 points, grade B');
    expect(show.out).toMatch(/utilities\.theft\s+active/);
    const ex = (await run(['subject', 'explain', alice, '--json']));
    const doc = JSON.parse(ex.out);
    const rc = doc.explanations.find((e: { scheme: string }) => e.scheme === 'rongcheng@1');
    expect(rc.reasons.map((r: { ruleId: string }) => r.ruleId)).toEqual(['utility-theft', 'card-arrears']);
    expect(rc.nextGrade).toMatchObject({ target: 'A', pointsNeeded: 40 });
    const text = (await run(['subject', 'explain', alice])).out;
    expect(text).toContain('1. -60 Stealing water, gas or power');
    expect(text).toContain('to reach A: 40 more points');
    const hist = JSON.parse((await run(['subject', 'history', alice, '--json'])).out);
    expect(hist.history.find((h: { scheme: string }) => h.scheme === 'rongcheng@1').points.map((p: { score: number }) => p.score)).toEqual([920]);
    const before = (await run(['subject', 'show', alice, '--as-of', daysAgo(30), '--json']));
    expect(JSON.parse(before.out).scores.find((s: { scheme: string }) => s.scheme === 'rongcheng@1')).toMatchObject({ score: 1000, grade: 'A' });
    expect((await run(['subject', 'show', makeResidentId('371082', '19991231', '999')])).code).toBe(4);
  });

  it('decides with reasons, legal basis and recourse; deny exits 1', async () => {
    const flights = (await run(['decide', bob, 'defaulter.no_flights', '--json']));
    expect(flights.code).toBe(1);
    const d = JSON.parse(flights.out);
    expect(d).toMatchObject({ outcome: 'deny', measure: 'defaulter.no_flights', crossContext: true });
    expect(d.reasons[0].code).toBe('LIST_ENTRY');
    expect(d.legalBasis).toMatch(/Supreme People's Court on Restricting High Consumption/);
    expect(d.contest).toMatch(/apply in writing to the enforcing court for correction or deletion/);
    // The answer a provider gets: no score, no grade, no record.
    expect(Object.keys(d).sort()).toEqual(['applies', 'at', 'conditions', 'contest', 'crossContext', 'decisionId', 'effect', 'legalBasis', 'measure', 'outcome', 'purpose', 'reasons', 'subject']);
    expect(flights.out).not.toMatch(/Zhi 101|able_to_pay|rongcheng-court\/c-1/);
    const ok = (await run(['decide', alice, 'defaulter.no_flights']));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^ALLOW /);
    expect((await run(['decide', alice, 'no.such_measure'])).code).toBe(4);
  });

  it('decides a grade reward without naming the grade or the points', async () => {
    // bob holds AA, which the library reward asks for.
    const score = JSON.parse((await run(['subject', 'show', bob, '--json'])).out).scores.find((x: { scheme: string }) => x.scheme === 'rongcheng@1');
    expect(score.grade).toBe('AA');
    const text = (await run(['decide', bob, 'reward.library_card_deposit_free']));
    expect(text.code).toBe(0);
    expect(text.out).toContain('GRADE_BAND: the grade condition of measure reward.library_card_deposit_free is met under scheme rongcheng@1');
    expect(text.out).not.toMatch(/\bAA\b|points/);
    expect(text.out).not.toContain(String(score.score));
    const d = JSON.parse((await run(['decide', bob, 'reward.library_card_deposit_free', '--json'])).out);
    expect(d).toMatchObject({ outcome: 'allow', applies: true, effect: 'waive_deposit', conditions: [] });
    expect(JSON.stringify(d)).not.toMatch(/"grade"|\bAA\b/);
    expect(JSON.stringify(d)).not.toContain(String(score.score));
    const replay = (await run(['decide', '--replay', String(d.decisionId), '--json']));
    expect(replay.code).toBe(0);
    expect(replay.out).not.toMatch(/"grade"|\bAA\b/);
  });

  it('shows list entries with legal basis and statutory end', async () => {
    const r = (await run(['lists', 'show', 'judgment-defaulters']));
    expect(r.code).toBe(0);
    expect(r.out).toContain(bob);
    expect(r.out).toMatch(/until \d{4}-\d{2}-\d{2}/);
    expect((await run(['lists', 'show', 'no-such-list'])).code).toBe(4);
  });

  it('shows with --public what the public list route publishes: masked, and a red list only with consent', async () => {
    const masked = `${bob.slice(0, 6)}********${bob.slice(-4)}`;
    const pub = (await run(['lists', 'show', 'judgment-defaulters', '--public']));
    expect(pub.code).toBe(0);
    expect(pub.out).toContain(masked);
    expect(pub.out).not.toContain(bob);
    const doc = JSON.parse((await run(['lists', 'show', 'judgment-defaulters', '--public', '--json'])).out);
    expect(doc).toMatchObject({ view: 'public', published: true, consentRequired: false, withheld: 0 });
    expect(doc.entries.map((e: { subject: string }) => e.subject)).toEqual([masked]);
    expect(Object.keys(doc.entries[0]).sort()).toEqual(['from', 'legalBasis', 'name', 'subject', 'until']);
    const red = JSON.parse((await run(['lists', 'show', 'honesty-models', '--public', '--json'])).out);
    expect(red).toMatchObject({ consentRequired: true, entries: [] });
    const hidden = (await run(['lists', 'show', 'dishonest-persons', '--public']));
    expect(hidden.code).toBe(0);
    expect(hidden.out).toMatch(/is not public: nothing of it is published/);
  });

  it('initialises under CREDENCE_PROFILE=eu with the shipped eu variant: no cross-context measure', async () => {
    const euDb = path.join(dir, 'eu.db');
    const init = (await run(['init'], { env: { CREDENCE_PROFILE: 'eu', CREDENCE_DB: euDb } }));
    expect(init.err).toBe('');
    expect(init.code).toBe(0);
    expect(init.out).toMatch(/profile eu/);
    const flights = (await run(['decide', bob, 'defaulter.no_flights'], { env: { CREDENCE_PROFILE: 'eu', CREDENCE_DB: euDb } }));
    expect(flights.code).toBe(4);
    expect(flights.err).toContain('MEASURE_NOT_FOUND');
    const proc = (await run(['decide', bob, 'procurement.excluded_supplier', '--json'], { env: { CREDENCE_PROFILE: 'eu', CREDENCE_DB: euDb } }));
    expect(proc.code).toBe(0);
    expect(JSON.parse(proc.out)).toMatchObject({ outcome: 'allow', crossContext: false });
  });

  it('exports everything held about a subject, including who asked about them', async () => {
    const r = (await run(['export', bob]));
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.subject.id).toBe(bob);
    expect(doc.records.map((x: { type: string }) => x.type)).toEqual(expect.arrayContaining(['courts.defaulter_listing', 'civic.heroic_act', 'civic.taught_course']));
    expect(doc.records[0]).toHaveProperty('legalBasis');
    expect(doc.queries.some((q: { action: string }) => q.action === 'decision')).toBe(true);
  });

  it('previews a draft scheme with a grade migration matrix, changing nothing', async () => {
    const draft = readFileSync(path.join(ROOT, 'catalogue', 'schemes', 'rongcheng-2017.yaml'), 'utf8')
      .replace('version: 1', 'version: 2')
      .replace('status: published', 'status: draft')
      // A stricter warning band: C now reaches up to 920 (points stay what Attachment 1 allows).
      .replace('{ grade: B, label: fairly honest, min: 850, max: 959 }', '{ grade: B, label: fairly honest, min: 921, max: 959 }')
      .replace('{ grade: C, label: warning (诚信警示), min: 600, max: 849 }', '{ grade: C, label: warning (诚信警示), min: 600, max: 920 }');
    const file = path.join(dir, 'draft.yaml');
    writeFileSync(file, draft);
    const before = (await run(['stats', '--json'])).out;
    const r = (await run(['rescore', '--file', file, '--json']));
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out).results[0];
    expect(res).toMatchObject({ scheme: 'rongcheng@2', from: 'rongcheng@1', dryRun: true });
    expect(res.matrix.B.C).toBe(1); // alice: 920, B -> C
    expect((await run(['stats', '--json'])).out).toBe(before);
    const bad = (await run(['rescore', '--file', path.join(dir, 'records.ndjson')]));
    expect(bad.code).toBe(3);
  });

  it('rebuilds scores from the records, and the audit chain verifies', async () => {
    const before = JSON.parse((await run(['stats', '--json'])).out);
    expect((await run(['rescore'])).code).toBe(0);
    expect(JSON.parse((await run(['stats', '--json'])).out).grades).toEqual(before.grades);
    const v = (await run(['audit', 'verify']));
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/audit chain intact: \d+ entries/);
    const conn = new Database(db);
    conn.prepare("UPDATE audit_log SET detail = '{\"measure\":\"forged\"}' WHERE seq = 3").run();
    conn.close();
    const broken = (await run(['audit', 'verify']));
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('AUDIT_CHAIN_BROKEN at entry 3');
  });

  it('simulates the same town for the same seed, and ingests it', async () => {
    const a = path.join(dir, 'a.ndjson');
    const b = path.join(dir, 'b.ndjson');
    expect((await run(['simulate', '--subjects', '300', '--days', '200', '--seed', '7', '--out', a])).code).toBe(0);
    expect((await run(['simulate', '--subjects', '300', '--days', '200', '--seed', '7', '--out', b])).code).toBe(0);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    const r = (await run(['ingest', a]));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/rejected 0/);
  });

  it('a process killed mid-ingest leaves a database that opens and holds every acknowledged batch', async () => {
    const big = path.join(dir, 'big.ndjson');
    const killDb = path.join(dir, 'kill.db');
    expect((await run(['init'], { env: { CREDENCE_DB: killDb } })).code).toBe(0);
    expect((await run(['simulate', '--subjects', '20000', '--days', '365', '--seed', '3', '--out', big])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'ingest', big, '--batch', '500'], { cwd: dir, env: { ...process.env, CREDENCE_DB: killDb, CI: '1' } });
    // Kill it at a random moment once it has committed something (polled, so load does not matter).
    const count = () => {
      try {
        const c = new Database(killDb, { readonly: true, fileMustExist: true });
        try {
          return (c.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
        } finally {
          c.close();
        }
      } catch {
        return 0;
      }
    };
    for (let waited = 0; count() === 0 && waited < 90_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, Math.random() * 1500));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const conn = new Database(killDb, { readonly: true });
    expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = (conn.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
    conn.close();
    expect(n).toBeGreaterThan(0);
    expect(n % 500).toBe(0); // whole batches only: a batch is committed entirely or not at all
    // Resuming the same file completes it without duplicates.
    const resume = (await run(['ingest', big], { env: { CREDENCE_DB: killDb } }));
    expect(resume.code).toBe(0);
    const total = readFileSync(big, 'utf8').trim().split('\n').length;
    expect(resume.out).toMatch(new RegExp(`accepted ${total - n}, duplicates ${n}, rejected 0`));
    expect(existsSync(killDb)).toBe(true);
  });

  it('runs the demo on a fresh database', async () => {
    const r = (await run(['demo', '--subjects', '2000'], { env: { CREDENCE_DB: path.join(dir, 'demo.db') } }));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/rongcheng@1:\n\s+AAA/);
    expect(r.out).toContain('why ');
  });
});
void today;
