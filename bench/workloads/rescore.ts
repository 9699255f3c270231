// Workload 5: rescore. 1,000,000 subjects with 20,000,000 records (--quick: 100k / 2M), full
// rebuild under a changed scheme: at most 60 s and 2 GiB peak RSS. The records are seeded by a
// fast raw insert (ingest would take hours), each run's rescore in its own child process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { median, type Row } from '../report.ts';
import { ROOT, type BenchOptions } from '../lib/common.ts';
import { removeDb } from '../lib/credence.ts';

const W = '5 rescore';
const GiB = 2 ** 30;

function child(args: string[], cpuProf?: string): Promise<Record<string, number>> {
  const node = [...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : []), '--import', 'tsx', path.join(ROOT, 'bench', 'workloads', 'rescore-child.ts'), ...args];
  const p = spawn(process.execPath, node, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let line = '';
    createInterface({ input: p.stdout! }).on('line', (l) => (line = l));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(line)) : reject(new Error(`rescore-child ${args[0]} exited with ${code}`))));
  });
}

export async function run(o: BenchOptions): Promise<Row[]> {
  const subjects = Math.round(1_000_000 * o.scale);
  // --quick keeps the seeded database on tmpfs (/dev/shm) when there is one: seeding 2M rows
  // on these machines' disks alone takes 30-60 s, more than the quick run's budget allows.
  const onShm = o.quick && existsSync('/dev/shm');
  const dir = onShm ? mkdtempSync('/dev/shm/credence-bench-') : o.tmpDir;
  const file = path.join(dir, 'rescore.db');
  const seeded = await child(['seed', file, String(subjects)]);
  const limitS = 60 * (seeded.records! / 20_000_000);
  const runs = o.slowRuns - 1;
  const secs: number[] = [];
  const rss: number[] = [];
  let n = 0;
  let done = 0;
  let took = 0;
  for (let i = 0; i < runs; i++) {
    const r = await child(['rescore', file, String(o.budgetS)]);
    secs.push(r.projectedSeconds!);
    done = r.done!;
    took = r.seconds!;
    rss.push(r.maxRssBytes!);
    n = r.subjects!;
  }
  const s = median(secs);
  const m = Math.max(...rss);
  const note = `${n.toLocaleString('en-GB')} subjects, ${seeded.records!.toLocaleString('en-GB')} records seeded by raw insert (a simulated town of ${Math.round(subjects / 10).toLocaleString('en-GB')} subjects over 2,630 days, replicated 10 times with distinct ids; ${seeded.seconds!.toFixed(0)} s); changed scheme: Rongcheng v2 (red light -10); Credence.rescore with dryRun false in a child process; database on ${onShm ? 'tmpfs (/dev/shm: no disk I/O, so this is the CPU cost)' : 'disk'}; the seeded database holds no v1 states, so rescore also recomputes each subject's current grade from its records; ${runs} run(s)${done < n ? `; time-bounded: stopped after ${took.toFixed(0)} s with ${done.toLocaleString('en-GB')} of ${n.toLocaleString('en-GB')} subjects rebuilt (pages of 2,000), time projected to all subjects at that rate` : ''}`;
  const rows: Row[] = [
    { workload: W, name: 'full rebuild time under a changed scheme', credence: s, baseline: limitS, baselineName: 'limit', unit: 's', ratio: limitS / s, target: `<= ${limitS.toFixed(0)} s${o.quick ? ' (60 s scaled to the record count)' : ''}`, met: s <= limitS, note },
    { workload: W, name: 'peak RSS of the rescore process', credence: m / 2 ** 20, baseline: 2048, baselineName: 'limit', unit: 'MiB', ratio: (2 * GiB) / m, target: '<= 2 GiB', met: m <= 2 * GiB },
  ];
  if (!rows[0]!.met) {
    const dir = path.join(o.tmpDir, 'rescore-prof');
    await child(['rescore', file, String(o.budgetS)], dir);
    const { summariseCpuProfileDir } = await import('../lib/cpuprof.ts');
    rows[0]!.profile = summariseCpuProfileDir(dir);
  }
  removeDb(file);
  if (onShm) rmSync(dir, { recursive: true, force: true });
  return rows;
}
