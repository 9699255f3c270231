// Workload 4: decisions. Over HTTP: Credence's POST /v1/decisions under load (loopback,
// 50 connections) against a bare Fastify route returning a fixed JSON of the same size (the
// limit), in interleaved rounds with wrk (server on core 0, wrk on core 1 via taskset when
// available); then p99 at half Credence's measured rate (autocannon, which can hold a rate).
// In process: Credence.decideBatch (store read + evaluate + decide + audit append) and the pure
// evaluate + decide over materialised states, as subject checks per second.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { evaluate } from '../../src/domain/scoring.ts';
import { decide } from '../../src/domain/decide.ts';
import { emptyLedger } from '../../src/domain/scoring.ts';
import type { ScoreView } from '../../src/domain/types.ts';
import { median, ratioRow, skipRow, type Row } from '../report.ts';
import { ingestTownInputs, now, profileTop, ROOT, type BenchOptions } from '../lib/common.ts';
import { BENCH_NOW, openSqliteCredence } from '../lib/credence.ts';
import { credenceIngest } from './ingest-sqlite.ts';
import { HAS_TASKSET, httpAvailable, startServer } from './http-common.ts';

const W = '4 decisions';
const MEASURE = 'defaulter.no_g_train';
const PURPOSE = 'ticket-sale';
export const CHECKS_TARGET = 1_000_000;

const HAS_WRK = spawnSync('wrk', ['--version']).error === undefined;

/** The seeded database of workload 2, or a fresh one ingested here. */
export async function seededDb(o: BenchOptions, subjects = Math.round(100_000 * o.scale)): Promise<string> {
  const file = path.join(o.tmpDir, 'ingest-credence.db');
  if (!existsSync(file)) await credenceIngest(file, ingestTownInputs(subjects), o.budgetS);
  return file;
}

/** In-process decision throughput over the subjects of a store: decideBatch and pure decide. */
export async function inProcess(file: string, seconds: number): Promise<{ batch: number; pure: number; subjects: string[] }> {
  const c = await openSqliteCredence(file);
  const ids = await c.store.listSubjectIds(null, 100_000);
  const who = { actor: 'bench', purpose: PURPOSE };
  const chunk = (i: number) => { const a = (i * 5000) % Math.max(1, ids.length); return ids.slice(a, a + 5000); };
  await c.decideBatch(chunk(0), MEASURE, BENCH_NOW, who);
  let n = 0;
  let t = now();
  for (let i = 0; (now() - t) / 1000 < seconds; i++) n += (await c.decideBatch(chunk(i), MEASURE, BENCH_NOW, who)).length;
  const batch = n / ((now() - t) / 1000);
  // Pure: states already materialised in memory; evaluate + decide per subject.
  const measure = c.measure(MEASURE);
  const states = new Map<string, Map<string, import('../../src/ports/store.ts').SubjectState>>();
  for (const s of c.schemes) states.set(s.key, await c.store.getStatesFor(ids, s.key));
  const pureOnce = () => {
    let k = 0;
    for (const id of ids) {
      const views = new Map<string, ScoreView>();
      let spans: ReturnType<typeof emptyLedger>['spans'] = [];
      let known = false;
      for (const s of c.schemes) {
        const st = states.get(s.key)!.get(id);
        known ||= !!st;
        const ledger = st?.ledger ?? emptyLedger(id, s.key);
        views.set(s.scheme.id, evaluate(ledger, s, BENCH_NOW, { detail: false })); // as Credence.decisionFactsFor does
        if (spans.length === 0) spans = ledger.spans;
      }
      const disputed = new Set(spans.filter((s) => s.disputed).map((s) => s.recordId));
      if (decide({ subject: id, known, views, spans, disputed }, measure, BENCH_NOW).outcome) k++;
    }
    return k;
  };
  pureOnce();
  n = 0;
  t = now();
  while ((now() - t) / 1000 < seconds) n += pureOnce();
  const pure = n / ((now() - t) / 1000);
  await c.store.close();
  return { batch, pure, subjects: ids };
}

export async function profileInProcess(file: string): Promise<string[]> {
  return profileTop(() => inProcess(file, 1));
}

function wrkScript(file: string, key: string, subjects: string[]): void {
  const list = subjects.slice(0, 2000).map((s) => JSON.stringify(s)).join(',');
  writeFileSync(file, `wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer ${key}"
local subjects = { ${list} }
request = function()
  local s = subjects[math.random(#subjects)]
  return wrk.format(nil, "/v1/decisions", nil, '{"subject":"' .. s .. '","measure":"${MEASURE}","purpose":"${PURPOSE}"}')
end
`);
}

function runWrk(url: string, script: string, seconds: number): { rps: number; p99ms: number } {
  const args = ['-t1', '-c50', `-d${seconds}s`, '--latency', '-s', script, url];
  const cmd = HAS_TASKSET ? ['taskset', '-c', '1', 'wrk', ...args] : ['wrk', ...args];
  const out = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', timeout: (seconds + 20) * 1000 });
  const text = `${out.stdout}${out.stderr}`;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(text);
  const p99ms = p99 ? Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1) : NaN;
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  if (non2xx && Number(non2xx[1]) > 0) throw new Error(`wrk saw ${non2xx[1]} error responses: ${text.slice(0, 400)}`);
  if (!Number.isFinite(rps)) throw new Error(`wrk output not understood: ${text.slice(0, 400)}`);
  return { rps, p99ms };
}

function autocannonAtRate(url: string, key: string, subject: string, rate: number, seconds: number): { p99ms: number; rps: number } {
  const body = JSON.stringify({ subject, measure: MEASURE, purpose: PURPOSE });
  const ac = path.join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');
  const args = [ac, '-c', '50', '-d', String(seconds), '-R', String(Math.max(1, Math.round(rate))), '-m', 'POST', '-H', 'content-type=application/json', '-H', `authorization=Bearer ${key}`, '-b', body, '-j', `${url}/v1/decisions`];
  const cmd = HAS_TASKSET ? ['taskset', '-c', '1', process.execPath, ...args] : [process.execPath, ...args];
  const out = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', timeout: (seconds + 20) * 1000 });
  const j = JSON.parse(out.stdout) as { latency: { p99: number }; requests: { average: number }; non2xx: number };
  if (j.non2xx > 0) throw new Error(`autocannon saw ${j.non2xx} error responses`);
  return { p99ms: j.latency.p99, rps: j.requests.average };
}

export async function run(o: BenchOptions): Promise<Row[]> {
  const rows: Row[] = [];
  const file = await seededDb(o);
  const ip = await inProcess(file, o.quick ? 1 : 3);
  const note = `${ip.subjects.length.toLocaleString('en-GB')} subjects of the workload-2 database, measure ${MEASURE}`;
  const batchRow = ratioRow({ workload: W, name: 'in process: Credence.decideBatch (store read, evaluate, decide, audit append)', credence: ip.batch, baseline: CHECKS_TARGET, baselineName: 'target', unit: 'subject checks/s', minRatio: 1, target: '>= 1,000,000/s', note: `${note}; batches of 5,000; includes reading the states from SQLite and the durable audit append of every decision` });
  const pureRow = ratioRow({ workload: W, name: 'in process: pure evaluate + decide over materialised states', credence: ip.pure, baseline: CHECKS_TARGET, baselineName: 'target', unit: 'subject checks/s', minRatio: 1, target: '>= 1,000,000/s', note: `${note}; states loaded into memory first, no I/O, no audit` });
  if (batchRow.met === false || pureRow.met === false) {
    const prof = await profileInProcess(file);
    if (batchRow.met === false) batchRow.profile = prof;
    if (pureRow.met === false) pureRow.profile = prof;
  }
  rows.push(batchRow, pureRow);

  if (!httpAvailable()) {
    rows.push(skipRow(W, 'HTTP POST /v1/decisions vs bare Fastify route', 'requests/s', '>= 0.7x', 'not measured: HTTP API (src/transport/http) not available in this checkout'));
    rows.push(skipRow(W, 'HTTP p99 at half load', 'ms', '<= 5 ms', 'not measured: HTTP API (src/transport/http) not available in this checkout'));
    return rows;
  }
  const seconds = o.quick ? 3 : 10;
  const rounds = o.quick ? 2 : 3;
  const cred = await startServer<{ providerKey: string }>('credence-http.ts', [file, 'existing']);
  let bare: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    const probe = await fetch(`${cred.info.url}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${cred.info.providerKey}` }, body: JSON.stringify({ subject: ip.subjects[0], measure: MEASURE, purpose: PURPOSE }) });
    const probeBody = await probe.text();
    if (probe.status !== 200) throw new Error(`POST /v1/decisions answered ${probe.status}: ${probeBody.slice(0, 300)}`);
    bare = await startServer('bare-http.ts', [String(Buffer.byteLength(probeBody))]);
    let tool = '';
    const cr: number[] = [];
    const br: number[] = [];
    if (HAS_WRK) {
      tool = `wrk -t1 -c50, ${seconds} s a round, ${rounds} interleaved rounds${HAS_TASKSET ? ', server on core 0 and wrk on core 1 (taskset)' : ', no taskset: not pinned'}`;
      const script = path.join(o.tmpDir, 'decisions.lua');
      wrkScript(script, cred.info.providerKey, ip.subjects);
      for (let r = 0; r < rounds; r++) {
        cr.push(runWrk(cred.info.url, script, seconds).rps);
        br.push(runWrk(bare.info.url, script, seconds).rps);
      }
    } else {
      tool = 'autocannon (wrk not installed: autocannon may measure itself on the bare route)';
      throw new Error('wrk not installed');
    }
    rows.push(ratioRow({ workload: W, name: 'HTTP POST /v1/decisions vs bare Fastify route', credence: median(cr), baseline: median(br), baselineName: 'bare Fastify, same body size', unit: 'requests/s', minRatio: 0.7, note: `${tool}; random subject of ${Math.min(2000, ip.subjects.length)} per request; response ${Buffer.byteLength(probeBody)} bytes; each Credence decision appends to the audit log (durable commit)` }));
    const half = median(cr) / 2;
    const lat = autocannonAtRate(cred.info.url, cred.info.providerKey, ip.subjects[0]!, half, seconds);
    rows.push({ workload: W, name: 'HTTP p99 latency at half that load', credence: lat.p99ms, baseline: 5, baselineName: 'target', unit: 'ms', ratio: lat.p99ms > 0 ? 5 / lat.p99ms : null, target: '<= 5 ms', met: lat.p99ms <= 5, note: `autocannon -c 50 -R ${Math.round(half)} (half the measured rate; it holds a rate, wrk does not) for ${seconds} s${HAS_TASKSET ? ', pinned to core 1' : ''}; achieved ${Math.round(lat.rps)} requests/s; one subject` });
  } catch (err) {
    rows.push(skipRow(W, 'HTTP POST /v1/decisions vs bare Fastify route', 'requests/s', '>= 0.7x', `not measured: ${(err as Error).message.split('\n')[0]}`));
  } finally {
    await cred.stop();
    await bare?.stop();
  }
  return rows;
}
