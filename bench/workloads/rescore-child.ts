// Child process of workload 5, so peak RSS is the rescore's own.
//   seed FILE SUBJECTS   raw-insert a simulated town of SUBJECTS x ~20 records into a fresh
//                        Credence SQLite database (init'ed), printing {records, seconds}
//   rescore FILE [BUDGET_S]  rescore every subject under a changed Rongcheng scheme (v2: red
//                        light -10 instead of -5), printing {subjects, seconds, maxRssBytes}
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { compileScheme } from '../../src/domain/scheme-compile.ts';
import type { RecordInput } from '../../src/domain/types.ts';
import { townInputs } from '../lib/common.ts';
import { BENCH_NOW, initCredence, openSqliteCredence, removeDb } from '../lib/credence.ts';
import { openRaw } from '../lib/sqlite-raw.ts';

/** Replicas of a base town; 10 copies with distinct subject and record ids. */
export const REPLICAS = 10;
const DAYS_FOR_20_RECORDS = 2630;

const [mode, file, arg] = process.argv.slice(2);
if (mode === 'seed') {
  const subjects = Number(arg);
  removeDb(file!);
  const c = await initCredence(await SqliteStore.open(file!));
  await c.store.close();
  const t = performance.now();
  const base = townInputs(Math.max(1, Math.round(subjects / REPLICAS)), DAYS_FOR_20_RECORDS);
  const raw = openRaw(file!, 'seed');
  raw.db.pragma('journal_mode = OFF');
  raw.db.exec('DROP INDEX records_subject_seq');
  // Replica by replica (memory stays bounded by the base town), each in record-id order so the
  // UNIQUE id index takes mostly sequential inserts (a seeding shortcut only).
  let n = 0;
  for (let k = 0; k < REPLICAS; k++) {
    const copy = base.map((r) => {
      const rec: RecordInput = { ...r, subject: `${r.subject}-${k}`, sourceRecordId: `${r.sourceRecordId}-${k}`, ...(r.revokes ? { revokes: `${r.revokes}-${k}` } : {}) };
      return { id: `${rec.source}/${rec.sourceRecordId}`, rec };
    });
    copy.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    for (let i = 0; i < copy.length; i += 100_000) raw.insertBatch(copy.slice(i, i + 100_000).map((x) => x.rec), BENCH_NOW);
    n += copy.length;
  }
  raw.db.exec('CREATE INDEX records_subject_seq ON records (subject, seq)');
  raw.db.pragma('journal_mode = WAL');
  raw.close();
  process.stdout.write(`${JSON.stringify({ records: n, seconds: (performance.now() - t) / 1000 })}\n`);
} else if (mode === 'rescore') {
  const c = await openSqliteCredence(file!);
  const current = c.scheme('rongcheng')!;
  const changed = { ...current.scheme, version: current.scheme.version + 1, rules: current.scheme.rules.map((r) => (r.id === 'red-light' ? { ...r, points: { fixed: -10 } } : r)) };
  const { compiled, problems } = compileScheme(changed, c.catalogue);
  if (!compiled) throw new Error(`changed scheme does not compile: ${problems[0]?.message}`);
  // A time budget: rescore reports progress after each page of 2,000 subjects; past the
  // budget the run is stopped there and the rate over the pages done is reported.
  const budgetS = Number(arg ?? Infinity);
  const total = await c.store.countSubjects();
  const t = performance.now();
  let done = 0;
  const stop = new Error('budget');
  try {
    const res = await c.rescore(compiled, { dryRun: false, at: BENCH_NOW, onProgress: (n) => { done = n; if ((performance.now() - t) / 1000 > budgetS) throw stop; } });
    done = res.subjects;
  } catch (err) {
    if (err !== stop) throw err;
  }
  const seconds = (performance.now() - t) / 1000;
  await c.store.close();
  process.stdout.write(`${JSON.stringify({ subjects: total, done, seconds, projectedSeconds: (seconds * total) / Math.max(1, done), maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
} else {
  throw new Error('usage: rescore-child.ts seed FILE SUBJECTS | rescore FILE');
}
