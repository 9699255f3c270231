// `credence notices` and `credence webhooks` end to end, spawned as an operator would run
// them: an ingest from a file writes the subject's notices, the operator reads them only with
// a stated reason (which reaches the query log), registers an endpoint, runs a delivery round
// from the command line (as cron would where no server runs) and sees the delivery.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResidentId } from '../src/domain/identifiers.ts';
import { runCli } from './helpers/cli.ts';

const carol = makeResidentId('371082', '19920505', '047');
let dir: string;
let db: string;
const run = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { cwd: dir, env: { CREDENCE_DB: db, CREDENCE_READ_REASON: undefined, ...env } });
const got: { headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    got.push({ headers: req.headers, body });
    res.statusCode = 204;
    res.end();
  });
});
let url: string;

const ingest = async (id: string) => {
  const file = path.join(dir, `${id}.ndjson`);
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(file, JSON.stringify({ source: 'rongcheng-court', sourceRecordId: id, subject: carol, type: 'courts.defaulter_listing', occurredAt: day(-1), payload: { case_ref: `(2026) Lu 1082 Zhi ${id}`, ground: 'able_to_pay_refuses', end_date: day(700) } }) + '\n');
  const r = await run(['ingest', file]);
  expect(r.code, r.err).toBe(0);
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'credence-notices-'));
  db = path.join(dir, 'notices.db');
  expect((await run(['init'])).code).toBe(0);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/credence`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('credence notices', () => {
  it('lists the notices an ingest wrote, only with a stated reason, and logs the read', async () => {
    await ingest('cli-1');
    const refused = await run(['notices', 'list', carol]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--reason');
    const r = await run(['notices', 'list', carol, '--reason', 'citizen at the counter asked for her notices']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('record.adverse');
    expect(r.out).toContain('list.entered');
    expect(r.out).toContain('measure.in-force');
    const j = await run(['notices', 'list', carol, '--unread', '--json', '--reason', 'same visit']);
    const items = JSON.parse(j.out) as { kind: string; body: { rights: unknown[] } }[];
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.every((n) => n.body.rights.length > 0)).toBe(true);
    const exported = await run(['export', carol, '--reason', 'checking the query log']);
    expect(exported.out).toContain('citizen at the counter asked for her notices');
    // The export (the right of access) holds the notices too.
    const held = JSON.parse(exported.out) as { notices: { kind: string }[] };
    expect(held.notices.map((n) => n.kind)).toEqual(items.map((n) => n.kind));
  });
});

describe('credence webhooks', () => {
  it('registers an endpoint, delivers a round from the command line, signed, and shows the delivery', async () => {
    const added = await run(['webhooks', 'add', url, '--kinds', 'record.adverse', '--description', 'counter screen', '--json']);
    expect(added.code, added.err).toBe(0);
    const { id, secret } = JSON.parse(added.out) as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    // Only notices written after it was registered.
    expect((await run(['webhooks', 'deliver'])).out).toContain('0 attempted');
    await ingest('cli-2');
    const round = await run(['webhooks', 'deliver']);
    expect(round.code, round.err).toBe(0);
    expect(round.out).toContain('1 delivered');
    expect(got).toHaveLength(1);
    const h = got[0]!.headers;
    const event = new Webhook(secret).verify(got[0]!.body, { 'webhook-id': h['webhook-id'] as string, 'webhook-timestamp': h['webhook-timestamp'] as string, 'webhook-signature': h['webhook-signature'] as string }) as { type: string; data: { body: { record: string } } };
    expect(event).toMatchObject({ type: 'notice.record.adverse', data: { body: { record: 'rongcheng-court/cli-2' } } });
    const ds = await run(['webhooks', 'deliveries', id]);
    expect(ds.out).toMatch(/delivered\s+1 attempt/);
    const list = await run(['webhooks', 'list']);
    expect(list.out).toContain('delivered 1');
    expect(list.out).not.toContain(secret);
  });

  it('refuses what it cannot do, saying why', async () => {
    const bad = await run(['webhooks', 'add', 'ftp://example.org/x']);
    expect(bad.code).toBe(3);
    expect(bad.err).toContain('WEBHOOK_INVALID');
    const none = await run(['webhooks', 'deliveries', 'wh_nope']);
    expect(none.code).toBe(4);
    expect(none.err).toContain('WEBHOOK_NOT_FOUND');
    expect((await run(['webhooks', 'replay', 'wh_nope', '--status', 'soon'])).code).toBe(2);
  });
});
