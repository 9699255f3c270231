// The operator key a server prints: minted once, at the first start of a database; a restart
// mints none (they used to pile up, one 24-hour key per start), and the command line makes more.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { startServer } from '../src/transport/http/server.ts';
import { runCli } from './helpers/cli.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'credence-serve-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the start-up operator key', () => {
  it('is minted at the first start only, and works; a restart prints none and the first stays the only one', async () => {
    const db = path.join(dir, 'db.sqlite');
    const start = () => startServer({ config: loadConfig({ CREDENCE_DB: db }), host: '127.0.0.1', port: 0, seedSubjects: 0, seedDays: 1, log: () => {}, logger: false, now: () => Date.now() });
    const first = await start();
    const key = first.operatorKey;
    expect(key).toMatch(/^crd_op_/);
    const made = await fetch(`${first.url}/v1/keys`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ role: 'auditor', name: 'auditor of the bureau' }) });
    expect(made.status).toBe(201);
    await first.close();

    for (let i = 0; i < 2; i++) {
      const again = await start();
      expect(again.operatorKey).toBeNull();
      // The first key still works after the restart.
      expect((await fetch(`${again.url}/v1/keys`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
      await again.close();
    }
    const listed = await runCli(['keys', 'list', '--json', '--db', db], { cwd: dir });
    expect(listed.code).toBe(0);
    const keys = JSON.parse(listed.out) as { role: string; createdBy: string }[];
    expect(keys.filter((k) => k.role === 'operator')).toHaveLength(1);
    expect(keys.filter((k) => k.createdBy === 'system:serve')).toHaveLength(1);
    // More operator keys come from the command line.
    const more = await runCli(['keys', 'create', '--role', 'operator', '--name', 'second operator', '--db', db], { cwd: dir });
    expect(more.code, more.err).toBe(0);
    expect(more.out).toMatch(/crd_op_/);
  }, 60_000);
});
