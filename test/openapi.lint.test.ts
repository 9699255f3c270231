// The OpenAPI document the server serves is lint-clean under redocly.yaml (recommended-strict
// and more: every operation has an operationId, a description, tags, a schema for each answer
// and problem+json for its refusals), and every operation keeps to the conventions a client
// generator relies on.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFixture, json } from './helpers/http.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

let f: Awaited<ReturnType<typeof httpFixture>>;
let doc: { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>;
let dir: string;
interface Operation { operationId?: string; description?: string; security?: unknown[]; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }

beforeAll(async () => {
  f = await httpFixture();
  const r = await f.call('GET', '/v1/openapi.json');
  expect(r.statusCode).toBe(200);
  doc = json(r) as typeof doc;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'credence-openapi-'));
});
afterAll(async () => {
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const operations = () => Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ where: `${m.toUpperCase()} ${p}`, op })));

describe('the OpenAPI document', () => {
  it('is served at a stable address, the same document as the UI\'s', async () => {
    expect(json(await f.call('GET', '/docs/json'))).toEqual(doc);
    expect(doc.openapi).toBe('3.0.3');
  });

  it('passes redocly lint with no error and no warning', async () => {
    const file = path.join(dir, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(doc, null, 1));
    const cli = path.join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
    const out = await run(process.execPath, [cli, 'lint', file, '--config', path.join(ROOT, 'redocly.yaml'), '--format', 'json', '--max-problems', '10000'], { env, cwd: dir, maxBuffer: 64 << 20 }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }));
    let report: { problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[] };
    try {
      report = JSON.parse(out.stdout);
    } catch {
      throw new Error(`redocly lint printed no report: ${out.stderr.slice(0, 2000)}`);
    }
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
    expect(problems).toEqual([]);
  }, 60_000);

  it('gives every operation a unique operationId, a description, a success body schema and problem+json refusals', () => {
    const ids = new Map<string, string>();
    const faults: string[] = [];
    for (const { where, op } of operations()) {
      if (!op.operationId) faults.push(`${where}: no operationId`);
      else if (ids.has(op.operationId)) faults.push(`${where}: operationId ${op.operationId} is also ${ids.get(op.operationId)}`);
      else ids.set(op.operationId, where);
      if (!op.description || op.description.length < 20) faults.push(`${where}: no description`);
      if (!Array.isArray(op.security)) faults.push(`${where}: no security requirement`);
      const success = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
      if (success.length === 0) faults.push(`${where}: no 2xx response`);
      for (const [status, r] of success) for (const [type, media] of Object.entries(r.content ?? {})) if (!media.schema) faults.push(`${where}: ${status} ${type} has no schema`);
      for (const status of ['4XX', '5XX']) if (!op.responses[status]?.content?.['application/problem+json']) faults.push(`${where}: ${status} is not problem+json`);
    }
    expect(faults).toEqual([]);
    expect(ids.size).toBeGreaterThan(70);
  });

  it('marks exactly the public routes as needing no key', async () => {
    const open = operations().filter(({ op }) => op.security?.length === 0).map(({ where }) => where);
    expect(open).toEqual(expect.arrayContaining(['GET /healthz', 'GET /v1/openapi.json', 'GET /v1/catalogue/measures', 'GET /v1/lists/{list}/entries', 'GET /v1/reports/transparency']));
    expect(open).not.toContain('POST /v1/decisions');
    // What the document says is what the server does: a public route answers without a key.
    for (const where of open) {
      const [method, p] = where.split(' ') as [string, string];
      if (method !== 'GET' || p.includes('{')) continue;
      const r = await f.call('GET', p);
      expect(r.statusCode, where).not.toBe(401);
    }
  });
});
