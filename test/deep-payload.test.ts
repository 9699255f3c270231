// A payload nested 5,000 deep (10 KB) is one record's rejection, never a crash: over HTTP the
// single route answers 422 and a batch answers that record's error while its neighbours are
// taken; the CLI writes a reject line, keeps the good line and exits 3 (a refusal), not 70.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depthOver } from '../src/app/validate-record.ts';
import { runCli } from './helpers/cli.ts';
import { bob, daysAgo, httpFixture, json } from './helpers/http.ts';

const DEEP = `${'{"a":'.repeat(5000)}{}${'}'.repeat(5000)}`;
const recordText = (id: string, payload: string) =>
  `{"source":"tax-bureau","sourceRecordId":"${id}","subject":"${bob}","type":"tax.arrears","occurredAt":"${daysAgo(2)}","payload":${payload}}`;
const good = (id: string) => recordText(id, '{"amount":1200,"months":3}');

let f: Awaited<ReturnType<typeof httpFixture>>;
let dir: string;
beforeAll(async () => {
  f = await httpFixture();
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-deep-'));
});
afterAll(async () => {
  await f.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a payload nested 5,000 deep', () => {
  it('is measured without recursion', () => {
    expect(depthOver(JSON.parse(DEEP), 32)).toBe(true);
    expect(depthOver({ a: [{ b: { c: 1 } }] }, 4)).toBe(false);
    expect(depthOver({ a: [{ b: { c: 1 } }] }, 3)).toBe(true);
  });

  it('is refused as one record over HTTP, single and in a batch with its neighbours taken', async () => {
    const one = await f.call('POST', '/v1/records', { key: 'source', raw: recordText('deep-1', DEEP) });
    expect(one.statusCode, one.body).toBe(422);
    expect(JSON.stringify(json(one))).toContain('nested deeper than 32 levels');

    const batch = await f.call('POST', '/v1/records/batch', { key: 'source', raw: `[${good('ok-1')},${recordText('deep-2', DEEP)},${good('ok-2')}]`, headers: { 'idempotency-key': 'deep-batch-1' } });
    expect(batch.statusCode, batch.body).toBe(200);
    const body = json(batch) as { accepted: number; rejected: number; results: { index: number; status: string; message?: string }[] };
    expect([body.accepted, body.rejected]).toEqual([2, 1]);
    expect(body.results.map((x) => x.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(body.results[1]!.message).toBe('payload is nested deeper than 32 levels');
  });

  it('is a reject line in the command line, the good line kept, exit 3', async () => {
    const db = path.join(dir, 'deep.db');
    const env = { CREDENCE_DB: db };
    expect((await runCli(['init'], { cwd: dir, env })).code).toBe(0);
    const file = path.join(dir, 'deep.ndjson');
    writeFileSync(file, `${good('cli-ok')}\n${recordText('cli-deep', DEEP)}\n`);
    const r = await runCli(['ingest', file], { cwd: dir, env });
    expect(r.code, r.err).toBe(3);
    expect(r.err).toContain('deep.ndjson:2: RECORD_FIELD_TOO_LONG at payload: payload is nested deeper than 32 levels');
    expect(r.out + r.err).toContain('accepted 1');
  });
});
