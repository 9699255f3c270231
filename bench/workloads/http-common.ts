// HTTP helpers: start a server script in a child process (pinned to core 0 with taskset when
// available, so the load generator can have core 1), and the HTTP batch ingest measurement.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RecordInput } from '../../src/domain/types.ts';
import { median, ratioRow, type Row } from '../report.ts';
import { now, ROOT, type BenchOptions } from '../lib/common.ts';
import { removeDb } from '../lib/credence.ts';

export const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
export const HTTP_APP = 'src/transport/http/app.ts';
export const httpAvailable = () => existsSync(path.join(ROOT, HTTP_APP)) && existsSync(path.join(ROOT, 'src/transport/http/routes/decisions.ts'));

export interface Server<T> {
  info: T & { url: string };
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServer<T>(script: string, args: string[], cpu: string | null = '0'): Promise<Server<T>> {
  const node = [process.execPath, '--import', 'tsx', path.join(ROOT, 'bench', 'servers', script), ...args];
  const cmd = HAS_TASKSET && cpu !== null ? ['taskset', '-c', cpu, ...node] : node;
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it listened`)));
  });
  const info = JSON.parse(line) as T & { url: string };
  return {
    info,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Posts the records to /v1/records/batch: each window of 5,000 split by source (a source key submits only its own records). */
async function postAll(url: string, keys: Record<string, string>, inputs: RecordInput[], budgetS: number): Promise<{ accepted: number; n: number }> {
  let accepted = 0;
  let n = 0;
  let sent = 0;
  const t = now();
  for (let i = 0; i < inputs.length; i += 5000) {
    if ((now() - t) / 1000 > budgetS) break;
    sent += Math.min(5000, inputs.length - i);
    const bySource = new Map<string, RecordInput[]>();
    for (const r of inputs.slice(i, i + 5000)) {
      const l = bySource.get(r.source) ?? [];
      l.push(r);
      bySource.set(r.source, l);
    }
    for (const [source, recs] of bySource) {
      const res = await fetch(`${url}/v1/records/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[source]}`, 'idempotency-key': `bench-${i}-${source}-${n++}` },
        body: JSON.stringify(recs),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`POST /v1/records/batch answered ${res.status}: ${text.slice(0, 300)}`);
      const body = JSON.parse(text) as { accepted?: number; summary?: { accepted: number } };
      accepted += body.accepted ?? body.summary?.accepted ?? 0;
    }
  }
  return { accepted, n: sent };
}

export async function httpIngest(o: BenchOptions, inputs: RecordInput[], rawRate: number): Promise<Row | null> {
  if (!httpAvailable()) return null;
  const file = path.join(o.tmpDir, 'ingest-http.db');
  const rates: number[] = [];
  let accepted = 0;
  let sent = 0;
  for (let i = 0; i < o.slowRuns - 1; i++) {
    const srv = await startServer<{ sourceKeys: Record<string, string> }>('credence-http.ts', [file, 'fresh'], null);
    try {
      const t = now();
      ({ accepted, n: sent } = await postAll(srv.info.url, srv.info.sourceKeys, inputs, o.budgetS));
      rates.push(sent / ((now() - t) / 1000));
    } finally {
      await srv.stop();
    }
  }
  removeDb(file);
  const n = inputs.length;
  const row = ratioRow({
    workload: '2 ingest SQLite',
    name: 'HTTP batch route (POST /v1/records/batch) vs raw better-sqlite3 insert',
    credence: median(rates),
    baseline: rawRate,
    baselineName: 'raw insert',
    unit: 'records/s',
    minRatio: 0.3,
    note: `server in a child process on loopback, one client posting sequentially; each window of 5,000 records is split by source (a source key may submit only its own source's records), with an Idempotency-Key per request; rate limit raised out of the way; time-bounded like the CLI row (${o.budgetS} s a run): ${accepted.toLocaleString('en-GB')} accepted of ${sent.toLocaleString('en-GB')} sent in the last run, of ${n.toLocaleString('en-GB')}; the limit is the raw insert rate of the CLI row`,
  });
  if (accepted < sent * 0.95) { row.met = false; row.note += ' (too few accepted: check failed)'; }
  return row;
}
