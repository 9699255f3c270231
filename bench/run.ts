// `npm run bench [-- --quick] [-- --only NAME[,NAME]]`: every comparison in one go, written
// to bench/results/latest.{md,json} (a full run also to full-<date>.{md,json}). Workloads run
// in sequence; one that throws becomes a row saying so, and the rest still run.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { machine, writeReport, type Row } from './report.ts';
import { ROOT, type BenchOptions } from './lib/common.ts';

const WORKLOADS: { name: string; load: () => Promise<{ run(o: BenchOptions): Promise<Row[]> }> }[] = [
  { name: 'rules', load: () => import('./workloads/rules.ts') },
  { name: 'ingest-sqlite', load: () => import('./workloads/ingest-sqlite.ts') },
  { name: 'ingest-postgres', load: () => import('./workloads/ingest-postgres.ts') },
  { name: 'decisions', load: () => import('./workloads/decisions.ts') },
  { name: 'rescore', load: () => import('./workloads/rescore.ts') },
  { name: 'growth', load: () => import('./workloads/growth.ts') },
  { name: 'cli', load: () => import('./workloads/cli.ts') },
  { name: 'screen', load: () => import('./workloads/screen.ts') },
  { name: 'notices', load: () => import('./workloads/notices.ts') },
];

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, runs: { type: 'string' } }, allowPositionals: false });
const only = values.only ? new Set(values.only.split(',')) : null;
for (const n of only ?? []) if (!WORKLOADS.some((w) => w.name === n)) throw new Error(`unknown workload ${n}; one of ${WORKLOADS.map((w) => w.name).join(', ')}`);
const quick = values.quick === true;
const tmpDir = path.join(process.env.BENCH_TMP ?? tmpdir(), `credence-bench-${process.pid}`);
mkdirSync(tmpDir, { recursive: true });
const o: BenchOptions = { quick, scale: quick ? 0.1 : 1, runs: values.runs ? Number(values.runs) : quick ? 3 : 5, tmpDir, slowRuns: quick ? 2 : 3, budgetS: quick ? 5 : 30 };

const startedAt = new Date();
const t0 = performance.now();
const rows: Row[] = [];
for (const w of WORKLOADS) {
  if (only && !only.has(w.name)) continue;
  const t = performance.now();
  process.stderr.write(`bench: ${w.name}...\n`);
  try {
    rows.push(...(await (await w.load()).run(o)));
  } catch (err) {
    rows.push({ workload: w.name, name: `${w.name} (failed)`, credence: null, baseline: null, baselineName: '', unit: '', ratio: null, target: '', met: null, note: `the workload threw: ${(err as Error).stack?.split('\n').slice(0, 3).join(' ')}` });
  }
  process.stderr.write(`bench: ${w.name} done in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
}
rmSync(tmpDir, { recursive: true, force: true });
const meta = { mode: quick ? 'quick (a tenth of the size)' : 'full', startedAt: startedAt.toISOString(), seconds: Math.round((performance.now() - t0) / 1000), runs: o.runs, machine: machine(), only: only ? [...only] : null };
const date = startedAt.toISOString().slice(0, 10);
writeReport(path.join(ROOT, 'bench', 'results'), rows, meta, quick || only ? undefined : `full-${date}`);
process.stderr.write(`bench: wrote bench/results/latest.md (${meta.seconds} s)\n`);
