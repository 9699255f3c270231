// Graceful shutdown: close() stops accepting, lets an in-flight request finish, then closes
// the store. Readiness: /readyz answers 503 NOT_READY while migrations are pending.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.ts';
import { contextOf } from '../src/transport/http/app.ts';
import { startServer } from '../src/transport/http/server.ts';
import { httpFixture, json } from './helpers/http.ts';

describe('graceful shutdown', () => {
  it('finishes an in-flight request, then refuses new connections', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'credence-shutdown-'));
    try {
      const s = await startServer({ config: loadConfig({ CREDENCE_DB: path.join(dir, 'db.sqlite') }), host: '127.0.0.1', port: 0, seedSubjects: 0, seedDays: 1, log: () => {}, logger: false, now: () => Date.now() });
      const ctx = contextOf(s.app);
      const orig = ctx.store.auditHead.bind(ctx.store);
      ctx.store.auditHead = async () => { await new Promise((r) => setTimeout(r, 500)); return orig(); };
      const aud = await fetch(`${s.url}/v1/keys`, { method: 'POST', headers: { authorization: `Bearer ${s.operatorKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ role: 'auditor', name: 'a' }) });
      const key = ((await aud.json()) as { key: string }).key;
      const slow = fetch(`${s.url}/v1/audit/head`, { headers: { authorization: `Bearer ${key}` } });
      await new Promise((r) => setTimeout(r, 100));
      const closing = s.close();
      const res = await slow;
      expect(res.status).toBe(200);
      await closing;
      await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('readiness', () => {
  it('answers 503 NOT_READY while migrations are pending', async () => {
    const f = await httpFixture();
    try {
      f.store.pendingMigrations = async () => 1;
      const r = await f.call('GET', '/readyz');
      expect(r.statusCode).toBe(503);
      expect(json(r).code).toBe('NOT_READY');
      expect((await f.call('GET', '/healthz')).statusCode).toBe(200);
    } finally {
      await f.close();
    }
  });
});
