// Workload 7: cold start of the `credence` command, against bare `node -e 0` in the same run:
// `credence --help` and `credence id check X` each under 2x of it (the compiled dist/, commands
// loaded only when they run). Wall time of whole processes, median of several runs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { median, type Row } from '../report.ts';
import { ROOT, type BenchOptions } from '../lib/common.ts';

const W = '7 cold start';
const BIN = path.join(ROOT, 'bin', 'credence.js');

function wall(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return (performance.now() - t) / 1000;
}

export async function run(o: BenchOptions): Promise<Row[]> {
  if (!existsSync(path.join(ROOT, 'dist', 'main', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm ci does) before the benchmark');
  const runs = Math.max(5, o.runs * 3);
  const measure = (args: string[]) => {
    wall(args); // warm the file cache
    return median(Array.from({ length: runs }, () => wall(args)));
  };
  const bare = measure(['-e', '0']);
  const rows: Row[] = [];
  for (const [name, args] of [['credence --help', ['--help']], ['credence id check 11010519491231002X', ['id', 'check', '11010519491231002X']]] as const) {
    const s = measure([BIN, ...args]);
    // A cost row: baseline is the limit (twice bare node), ratio = limit / credence (>= 1 met).
    rows.push({ workload: W, name: `${name} vs 2x bare node -e 0`, credence: s * 1000, baseline: 2 * bare * 1000, baselineName: '2 x node -e 0', unit: 'ms', ratio: (2 * bare) / s, target: '<= 2x bare node', met: s <= 2 * bare, note: `median of ${runs} process runs; bare node -e 0 took ${(bare * 1000).toFixed(0)} ms, credence ${(s / bare).toFixed(2)}x of it` });
  }
  return rows;
}
