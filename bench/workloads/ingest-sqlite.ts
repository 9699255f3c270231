// Workload 2: ingest end to end on SQLite (validate, store, score, grade, update lists,
// audit) through Credence.ingest in batches of 5,000 on a fresh SqliteStore (what the CLI's
// ingestFile calls per batch), and through the HTTP batch route when it exists, against a
// raw better-sqlite3 insert of the same rows with the same indexes and durability (the limit).
import path from 'node:path';
import type { RecordInput } from '../../src/domain/types.ts';
import { median, ratioRow, skipRow, type Row } from '../report.ts';
import { ingestTownInputs, now, profileTop, type BenchOptions } from '../lib/common.ts';
import { BENCH_NOW, freshSqliteCredence, removeDb } from '../lib/credence.ts';
import { openRaw } from '../lib/sqlite-raw.ts';
import { httpIngest } from './http-common.ts';

const W = '2 ingest SQLite';
export const BATCH = 5000;

/**
 * Ingests through Credence.ingest in batches until the records or the time budget run out
 * (at least one batch). Returns the records ingested and the seconds taken.
 */
export async function credenceIngest(file: string, inputs: RecordInput[], budgetS = Infinity): Promise<{ n: number; s: number }> {
  const c = await freshSqliteCredence(file);
  const t = now();
  let accepted = 0;
  let n = 0;
  for (let i = 0; i < inputs.length; i += BATCH) {
    const batch = inputs.slice(i, i + BATCH);
    accepted += (await c.ingest(batch, 'bench')).accepted;
    n += batch.length;
    if ((now() - t) / 1000 > budgetS) break;
  }
  const s = (now() - t) / 1000;
  await c.store.close();
  if (accepted < n * 0.95) throw new Error(`only ${accepted} of ${n} records accepted`);
  return { n, s };
}

export function rawIngest(file: string, inputs: RecordInput[]): number {
  removeDb(file);
  const raw = openRaw(file, 'durable');
  const t = now();
  for (let i = 0; i < inputs.length; i += BATCH) raw.insertBatch(inputs.slice(i, i + BATCH), BENCH_NOW);
  const s = (now() - t) / 1000;
  raw.close();
  return s;
}

export async function run(o: BenchOptions): Promise<Row[]> {
  const inputs = ingestTownInputs(Math.round(100_000 * o.scale));
  const n = inputs.length;
  const cFile = path.join(o.tmpDir, 'ingest-credence.db');
  const rFile = path.join(o.tmpDir, 'ingest-raw.db');
  const tc: number[] = [];
  const tr: number[] = [];
  let done = n;
  for (let i = 0; i < o.slowRuns; i++) {
    const c = await credenceIngest(cFile, inputs, o.budgetS);
    done = Math.min(done, c.n);
    tc.push(c.n / c.s);
    tr.push(c.n / rawIngest(rFile, inputs.slice(0, c.n)));
  }
  removeDb(rFile);
  const rows: Row[] = [];
  const bounded = done < n ? ` Time-bounded: each run ingests batches until ${o.budgetS} s have passed, here ${done.toLocaleString('en-GB')} of the ${n.toLocaleString('en-GB')} records (the first days of the town); the raw insert takes the same prefix.` : '';
  const row = ratioRow({
    workload: W,
    name: 'CLI path (Credence.ingest, batches of 5,000) vs raw better-sqlite3 insert',
    credence: median(tc),
    baseline: median(tr),
    baselineName: 'raw insert',
    unit: 'records/s',
    minRatio: 0.6,
    note: `${n.toLocaleString('en-GB')} simulated records on a fresh database each run; Credence.ingest is what ingestFile calls per batch (NDJSON parsing not included); the limit inserts subjects and records (same schema and indexes, WAL, synchronous=FULL, foreign keys, 64 MiB cache, one IMMEDIATE transaction per 5,000).${bounded}`,
  });
  if (row.met === false) {
    row.profile = await profileTop(() => credenceIngest(cFile, inputs, o.budgetS));
  }
  rows.push(row);
  // The last Credence database stays for the decision workload.
  // The last Credence database (ingest-credence.db) stays behind for the decision workload.
  const http = await httpIngest(o, inputs, median(tr));
  rows.push(http ?? skipRow(W, 'HTTP batch route vs raw better-sqlite3 insert', 'records/s', '>= 0.3x', 'not measured: HTTP API (src/transport/http) not available in this checkout', 'raw insert', median(tr)));
  return rows;
}
