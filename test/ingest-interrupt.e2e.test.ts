// Ctrl-C during `credence ingest`: the batch in hand is committed, the command says up to which
// line everything is stored and exits 130; the same command again resumes, storing the rest,
// with what was held counted as duplicates, so the two runs together store every record once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from './helpers/cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'credence-interrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = path.join(dir, 'town.db');
const env = { CREDENCE_DB: db };

const storedRecords = (): number => {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (conn.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
    } finally {
      conn.close();
    }
  } catch {
    return 0; // not created yet, or mid-migration
  }
};

describe('credence ingest, interrupted', () => {
  it('commits what it read, says so, and resumes on the next run without storing anything twice', async () => {
    const town = path.join(dir, 'town.ndjson');
    expect((await runCli(['init'], { cwd: dir, env })).code).toBe(0);
    const sim = await runCli(['simulate', '--subjects', '8000', '--days', '365', '--seed', '5', '--out', town], { cwd: dir, env });
    expect(sim.code, sim.err).toBe(0);
    const total = Number(/(\d+) records/.exec(sim.err + sim.out)![1]);
    expect(total).toBeGreaterThan(15_000);

    const child = spawn(process.execPath, [BIN, 'ingest', town, '--batch', '500', '--json'], { cwd: dir, env: { ...process.env, ...env, CI: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the first batches are stored, well before the file's end.
    const deadline = Date.now() + 30_000;
    while (storedRecords() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await exited;
    expect(code, err).toBe(130);
    const first = JSON.parse(out) as { accepted: number; duplicates: number; rejected: number; interruptedAtLine: number };
    expect(first.interruptedAtLine).toBeLessThan(total);
    expect(err).toMatch(new RegExp(`stopped after line ${first.interruptedAtLine}: every record up to it is stored .*run the same command again to resume`));
    expect(storedRecords()).toBe(first.accepted);

    const again = await runCli(['ingest', town, '--json'], { cwd: dir, env, timeoutMs: 120_000 });
    expect([0, 3], again.err).toContain(again.code);
    const second = JSON.parse(again.out) as { accepted: number; duplicates: number; rejected: number; interruptedAtLine?: number };
    expect(second.interruptedAtLine).toBeUndefined();
    // What the first run stored is a duplicate now; the rest is new; no record is stored twice.
    expect(second.duplicates).toBe(first.accepted);
    expect(storedRecords()).toBe(first.accepted + second.accepted);
    expect(second.accepted + second.duplicates + second.rejected).toBe(total);
  }, 180_000);
});
