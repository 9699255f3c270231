// Workload 9: notices. Records posted one at a time over HTTP to Credence's server (SQLite
// file, the server's group commit of audit appends, its own webhook dispatcher), each an
// adverse record about a new subject, so each writes notices in its commit (the outbox); a
// local webhook receiver (loopback, another process) verifies every signature and reports when
// each notice arrived. Latency: from the POST being sent (so it includes the ingest commit) to
// the signed delivery received, p50 and p99, against the limit of 1 s.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SqliteAccessStore } from '../../src/adapters/sqlite/sqlite-access-store.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { groupAuditAppends } from '../../src/app/audit-batcher.ts';
import { Credence } from '../../src/app/credence.ts';
import { makeResidentId } from '../../src/domain/identifiers.ts';
import { buildApp } from '../../src/transport/http/app.ts';
import { newKey } from '../../src/transport/http/keys.ts';
import type { Row } from '../report.ts';
import type { BenchOptions } from '../lib/common.ts';
import { initCredence, removeDb } from '../lib/credence.ts';

const W = '9 notices';
const LIMIT_MS = 1000;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};

/**
 * The receiver, in its own process: prints its port, reads the endpoint's secret from stdin
 * (known only once the endpoint is registered), then one JSON line per delivery {record, at}.
 */
const RECEIVER = `
const { createServer } = require('node:http');
const { Webhook } = require(process.argv[1]);
let wh = null;
process.stdin.setEncoding('utf8').on('data', (d) => { wh = new Webhook(d.trim()); });
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const at = Date.now();
    try {
      const e = wh.verify(body, { 'webhook-id': req.headers['webhook-id'], 'webhook-timestamp': req.headers['webhook-timestamp'], 'webhook-signature': req.headers['webhook-signature'] });
      process.stdout.write(JSON.stringify({ record: e.data.body.record, at }) + '\\n');
      res.statusCode = 204;
    } catch { res.statusCode = 400; process.stdout.write(JSON.stringify({ bad: true }) + '\\n'); }
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
`;

export async function run(o: BenchOptions): Promise<Row[]> {
  const n = o.quick ? 60 : 300;
  const file = path.join(o.tmpDir, 'notices.db');
  removeDb(file);
  // Initialised at the bench's fixed instant, then run on the real clock: the receiver checks
  // webhook-timestamp against its own clock (Standard Webhooks' tolerance of 5 minutes).
  const store = (await initCredence(await SqliteStore.open(file))).store as SqliteStore;
  const credence = await Credence.open(store, { now: Date.now });
  groupAuditAppends(store);
  const access = new SqliteAccessStore(store.sharedConnection());
  const t = Date.now();
  const k = newKey('source');
  await access.createKey({ id: k.id, role: 'source', name: 'bench utilities', hash: k.hash, binding: 'utilities-bureau', createdAt: t, createdBy: 'bench', expiresAt: t + 86_400_000, revokedAt: null, replacedBy: null });
  const app = await buildApp({ credence, store, access, now: Date.now, options: { logger: false, rateLimit: { burst: 1e9, perSecond: 1e9 } } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  // Register the endpoint through the API, as an operator would, to learn its secret.
  const op = newKey('operator');
  await access.createKey({ id: op.id, role: 'operator', name: 'bench operator', hash: op.hash, binding: null, createdAt: t, createdBy: 'bench', expiresAt: t + 86_400_000, revokedAt: null, replacedBy: null });
  const arrived = new Map<string, number>();
  let bad = 0;
  let resolvePort!: (p: number) => void;
  const portP = new Promise<number>((r) => (resolvePort = r));
  const child = spawn(process.execPath, ['-e', RECEIVER, createRequire(import.meta.url).resolve('standardwebhooks')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const m = JSON.parse(buf.slice(0, i)) as { port?: number; record?: string; at?: number; bad?: boolean };
      buf = buf.slice(i + 1);
      if (m.port !== undefined) resolvePort(m.port);
      else if (m.bad) bad++;
      else arrived.set(m.record!, m.at!);
    }
  });
  try {
    const port = await portP;
    const made = await fetch(`${base}/v1/webhooks`, { method: 'POST', headers: { authorization: `Bearer ${op.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ url: `http://127.0.0.1:${port}/hook`, kinds: ['record.adverse'] }) });
    if (made.status !== 201) throw new Error(`registering the endpoint: HTTP ${made.status} ${await made.text()}`);
    child.stdin.write(`${((await made.json()) as { secret: string }).secret}\n`);
    const sent = new Map<string, number>();
    const day = new Date(t - 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < n; i++) {
      const id = `nb-${i}`;
      const subject = makeResidentId('371082', '19800101', String(i % 1000).padStart(3, '0'));
      sent.set(`utilities-bureau/${id}`, Date.now());
      const r = await fetch(`${base}/v1/records`, { method: 'POST', headers: { authorization: `Bearer ${k.secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ source: 'utilities-bureau', sourceRecordId: id, subject, type: 'utilities.theft', occurredAt: day, payload: { utility: 'water' } }) });
      if (r.status !== 201) throw new Error(`record ${id}: HTTP ${r.status} ${await r.text()}`);
      // A steady trickle, as records arrive from an agency, not a burst.
      await new Promise((res) => setTimeout(res, 20));
    }
    const deadline = Date.now() + 30_000;
    while (arrived.size < n && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    const lat = [...sent].filter(([id]) => arrived.has(id)).map(([id, at]) => arrived.get(id)! - at);
    const lost = n - lat.length;
    if (lat.length === 0) throw new Error('no notice was delivered');
    const [p50, p99] = [quantile(lat, 0.5), quantile(lat, 0.99)];
    const note = `${n} adverse records posted one at a time (20 ms apart) to the server (SQLite file, group-committed audit, its own dispatcher); a receiver in another process verified every Standard Webhooks signature${bad ? ` (${bad} failed verification)` : ''}${lost ? `; ${lost} not delivered within 30 s` : ''}. Latency from the POST sent to the delivery received.`;
    return [
      { workload: W, name: 'record accepted -> webhook delivered, p50', credence: p50, baseline: LIMIT_MS, baselineName: 'limit', unit: 'ms', ratio: LIMIT_MS / p50, target: '<= 1000 ms', met: p50 <= LIMIT_MS && lost === 0 && bad === 0, note },
      { workload: W, name: 'record accepted -> webhook delivered, p99', credence: p99, baseline: LIMIT_MS, baselineName: 'limit', unit: 'ms', ratio: LIMIT_MS / p99, target: '<= 1000 ms', met: p99 <= LIMIT_MS && lost === 0 && bad === 0, note },
    ];
  } finally {
    child.kill();
    await app.close();
    await store.close();
  }
}
