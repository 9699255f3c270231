// Workload 6: growth. Ingest and decision throughput at 10k, 100k and 1M subjects (--quick:
// 1k, 10k, 100k): the same number of records (the first R of a simulated town of N subjects)
// ingested into a fresh SQLite store, then decideBatch over the store's subjects. Cost per
// record should stay flat as the population grows: each size is compared with the smallest.
import path from 'node:path';
import { ratioRow, type Row } from '../report.ts';
import { BENCH_NOW, INGEST_TOWN_DAYS, townInputs, type BenchOptions } from '../lib/common.ts';
import { townStart } from '../../src/app/simulate.ts';
import { removeDb } from '../lib/credence.ts';
import { credenceIngest } from './ingest-sqlite.ts';
import { inProcess } from './decisions.ts';

const W = '6 growth';
const RECORDS_PER_SUBJECT_DAY = 0.0076;

export async function run(o: BenchOptions): Promise<Row[]> {
  const sizes = [10_000, 100_000, 1_000_000].map((n) => Math.round(n * o.scale));
  const R = Math.round(100_000 * o.scale);
  const file = path.join(o.tmpDir, 'growth.db');
  const res: { n: number; ingest: number; decide: number; records: number; subjects: number }[] = [];
  for (const n of sizes) {
    // A year at most, up to the bench clock: ingest refuses records past their retention.
    const days = Math.min(INGEST_TOWN_DAYS, Math.ceil((1.3 * R) / (n * RECORDS_PER_SUBJECT_DAY)));
    const inputs = townInputs(n, days, 2017, townStart(BENCH_NOW - 86_400_000, days)).slice(0, R);
    const ing = await credenceIngest(file, inputs, o.budgetS / 2);
    const dec = await inProcess(file, o.quick ? 0.5 : 2);
    res.push({ n, ingest: ing.n / ing.s, decide: dec.batch, records: ing.n, subjects: dec.subjects.length });
    removeDb(file);
  }
  const base = res[0]!;
  const rows: Row[] = [];
  for (const r of res) {
    rows.push(ratioRow({ workload: W, name: `ingest at ${r.n.toLocaleString('en-GB')} subjects vs at ${base.n.toLocaleString('en-GB')}`, credence: r.ingest, baseline: base.ingest, baselineName: `${base.n.toLocaleString('en-GB')} subjects`, unit: 'records/s', minRatio: 0.7, target: '>= 0.7x (flat)', note: `first ${r.records.toLocaleString('en-GB')} records of a town of ${r.n.toLocaleString('en-GB')} subjects (time-bounded at ${o.budgetS / 2} s), fresh SQLite store` }));
  }
  for (const r of res) {
    rows.push(ratioRow({ workload: W, name: `decideBatch at ${r.n.toLocaleString('en-GB')} subjects vs at ${base.n.toLocaleString('en-GB')}`, credence: r.decide, baseline: base.decide, baselineName: `${base.n.toLocaleString('en-GB')} subjects`, unit: 'subject checks/s', minRatio: 0.7, target: '>= 0.7x (flat)', note: `over the ${r.subjects.toLocaleString('en-GB')} subjects the ingest created` }));
  }
  return rows;
}
