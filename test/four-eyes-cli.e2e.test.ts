// Four eyes at the command line, spawned as an operator runs it: `credence init` with
// CREDENCE_FOUR_EYES=1 turns it on for the database (a later init without the variable keeps
// it; =0 turns it off; each change is an audit entry); a drunk-driving record ingested from
// a file then waits for review, and the operator who ingested it cannot approve it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/adapters/sqlite/sqlite-store.ts';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { runCli } from './helpers/cli.ts';

const dave = makeResidentId('371082', '19880214', '035');
let dir: string;
let db: string;
const run = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: 'four eyes test session', CREDENCE_FOUR_EYES: undefined, ...env } });

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-four-eyes-'));
  db = path.join(dir, 'four-eyes.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('four eyes set by credence init', () => {
  it('is stored with the catalogue, kept by a later init, and refuses a malformed value', async () => {
    const on = await run(['init'], { CREDENCE_FOUR_EYES: '1' });
    expect(on.code, on.err).toBe(0);
    expect(on.out).toContain('four eyes on');
    const kept = await run(['init']);
    expect(kept.out).toContain('four eyes on');
    const bad = await run(['init'], { CREDENCE_FOUR_EYES: 'maybe' });
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('CREDENCE_FOUR_EYES must be 1 (on) or 0 (off), got "maybe"');
  });

  it('holds a direct grading for review, which its own ingester cannot approve', async () => {
    const file = path.join(dir, 'dd.ndjson');
    writeFileSync(file, JSON.stringify({ source: 'traffic-police', sourceRecordId: 'dd-9', subject: dave, type: 'traffic.drunk_driving', occurredAt: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10), payload: { case_ref: 'JT-2026-99' } }) + '\n');
    const ing = await run(['ingest', file]);
    expect(ing.code, ing.err).toBe(0);
    const show = await run(['subject', 'show', dave, '--json']);
    const grades = (JSON.parse(show.out) as { scores: { scheme: string; grade: string }[] }).scores;
    expect(grades.find((s) => s.scheme.startsWith('rongcheng'))!.grade).toBe('A');
    const queue = await run(['cases', 'list', '--kind', 'review']);
    expect(queue.out).toContain('review:traffic-police/dd-9');
    const self = await run(['cases', 'decide', 'review:traffic-police/dd-9', '--outcome', 'approved', '--reason', 'I ingested it and approve it']);
    expect(self.code).toBe(3);
    expect(self.err).toContain('CASE_STEP_NOT_ALLOWED');
  });

  it('is turned off by CREDENCE_FOUR_EYES=0, and both changes are in the audit log', async () => {
    const off = await run(['init'], { CREDENCE_FOUR_EYES: '0' });
    expect(off.out).toContain('four eyes off');
    const store = await SqliteStore.open(db);
    const entries = await store.readAudit(0, 10_000);
    await store.close();
    expect(entries.filter((e) => e.action === 'deployment.four-eyes').map((e) => (e.detail as { fourEyes: boolean }).fourEyes)).toEqual([true, false]);
    const verify = await run(['audit', 'verify']);
    expect(verify.code, verify.err + verify.out).toBe(0);
  });
});

describe('a server started on a database holding the setting', () => {
  it('refuses to start when its CREDENCE_FOUR_EYES differs from what the database holds', async () => {
    const { loadConfig } = await import('../src/config/config.ts');
    const { startServer } = await import('../src/transport/http/server.ts');
    const serverDb = path.join(dir, 'server.db');
    const s = await startServer({ config: loadConfig({ CREDENCE_DB: serverDb, CREDENCE_FOUR_EYES: '1' }), host: '127.0.0.1', port: 0, seedSubjects: 0, seedDays: 1, log: () => {}, logger: false, now: () => Date.now() });
    await s.close();
    await expect(startServer({ config: loadConfig({ CREDENCE_DB: serverDb, CREDENCE_FOUR_EYES: '0' }), host: '127.0.0.1', port: 0, seedSubjects: 0, seedDays: 1, log: () => {}, logger: false, now: () => Date.now() }))
      .rejects.toThrow(/CREDENCE_FOUR_EYES=0 differs from what .* holds: run `credence init` with it/);
    const again = await startServer({ config: loadConfig({ CREDENCE_DB: serverDb }), host: '127.0.0.1', port: 0, seedSubjects: 0, seedDays: 1, log: () => {}, logger: false, now: () => Date.now() });
    await again.close();
  });
});
