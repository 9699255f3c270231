// Workload 3: ingest on PostgreSQL through Credence.ingest (batches of 5,000) on a fresh
// PostgresStore, against COPY (pg-copy-streams) of the same rows into the same table layout
// (the adapter's migrations), one transaction per 5,000, synchronous_commit on. Needs
// PostgreSQL at 127.0.0.1:5432 (trust auth); creates and drops its own databases.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { RecordInput } from '../../src/domain/types.ts';
import type { Store } from '../../src/ports/store.ts';
import { median, ratioRow, skipRow, type Row } from '../report.ts';
import { ingestTownInputs, now, profileTop, type BenchOptions } from '../lib/common.ts';
import { BENCH_NOW, initCredence, optionalImport } from '../lib/credence.ts';
import { BATCH } from './ingest-sqlite.ts';

const W = '3 ingest PostgreSQL';
const NAME = 'Credence.ingest on PostgresStore vs COPY of the same rows';
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbUrl = (db: string) => ADMIN_URL.replace(/\/[^/]*$/, `/${db}`);

type PgStoreClass = { open(url: string): Promise<Store> };

async function withAdmin<T>(fn: (q: (sql: string) => Promise<unknown>) => Promise<T>): Promise<T> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return await fn((sql) => c.query(sql));
  } finally {
    await c.end();
  }
}

async function freshDb(name: string): Promise<void> {
  await withAdmin(async (q) => {
    await q(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await q(`CREATE DATABASE ${name}`);
  });
}
const dropDb = (name: string) => withAdmin((q) => q(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);

async function credenceRun(PgStore: PgStoreClass, db: string, inputs: RecordInput[], budgetS: number): Promise<{ n: number; s: number }> {
  await freshDb(db);
  const store = await PgStore.open(dbUrl(db));
  const c = await initCredence(store);
  const t = now();
  let n = 0;
  let accepted = 0;
  for (let i = 0; i < inputs.length; i += BATCH) {
    const batch = inputs.slice(i, i + BATCH);
    accepted += (await c.ingest(batch, 'bench')).accepted;
    n += batch.length;
    if ((now() - t) / 1000 > budgetS) break;
  }
  const s = (now() - t) / 1000;
  await store.close();
  if (accepted < n * 0.95) throw new Error(`only ${accepted} of ${n} accepted`);
  return { n, s };
}

const esc = (v: string | number | null) => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));
const line = (xs: (string | number | null)[]) => `${xs.map(esc).join('\t')}\n`;

async function copyRun(PgStore: PgStoreClass, db: string, inputs: RecordInput[]): Promise<number> {
  await freshDb(db);
  const store = await PgStore.open(dbUrl(db));
  await store.migrate();
  await store.close();
  const pg = (await import('pg')).default;
  const { from: copyFrom } = (await import('pg-copy-streams')) as unknown as { from: (sql: string) => NodeJS.WritableStream };
  const c = new pg.Client({ connectionString: dbUrl(db), options: '-c synchronous_commit=on' });
  await c.connect();
  const seen = new Set<string>();
  let seq = 0;
  const t = now();
  for (let i = 0; i < inputs.length; i += BATCH) {
    const batch = inputs.slice(i, i + BATCH);
    const subjects: string[] = [];
    const records: string[] = [];
    const ids: string[] = [];
    for (const r of batch) {
      if (!seen.has(r.subject)) {
        seen.add(r.subject);
        subjects.push(line([r.subject, r.subjectKind ?? 'person', r.subjectKind === 'organisation' ? 'uscc' : 'resident-id', r.subjectName ?? null, BENCH_NOW]));
      }
      seq += 1;
      const id = `${r.source}/${r.sourceRecordId}`;
      records.push(line([r.subject, seq, id, r.source, r.sourceRecordId, r.type, Date.parse(r.occurredAt), BENCH_NOW, JSON.stringify(r.payload ?? {}), JSON.stringify(r.evidence ?? []), r.revokes ? `${r.source}/${r.revokes}` : null, null, null, null, null]));
      ids.push(line([id, r.subject, seq]));
    }
    await c.query('BEGIN');
    const copy = async (sql: string, rows: string[]) => { if (rows.length) await pipeline(Readable.from([rows.join('')]), c.query(copyFrom(sql) as never) as unknown as NodeJS.WritableStream); };
    await copy('COPY subjects (id, kind, id_scheme, display_name, created_at) FROM STDIN', subjects);
    await copy('COPY records (subject, seq, id, source, source_record_id, type, occurred_at, recorded_at, payload, evidence, revokes, revoked_at, revoked_by, disputed_at, confirmed_at) FROM STDIN', records);
    await copy('COPY record_ids (id, subject, seq) FROM STDIN', ids);
    await c.query('COMMIT');
  }
  const s = (now() - t) / 1000;
  await c.end();
  return s;
}

export async function run(o: BenchOptions): Promise<Row[]> {
  const { mod, reason } = await optionalImport<{ PostgresStore: PgStoreClass }>('src/adapters/postgres/postgres-store.ts');
  if (!mod?.PostgresStore) return [skipRow(W, NAME, 'records/s', '>= 0.5x', `not measured: PostgresStore not available in this checkout (${reason || 'no PostgresStore export'})`, 'COPY')];
  try {
    await withAdmin((q) => q('SELECT 1'));
  } catch (err) {
    return [skipRow(W, NAME, 'records/s', '>= 0.5x', `not measured: PostgreSQL at ${ADMIN_URL} is down (${(err as Error).message})`, 'COPY')];
  }
  const inputs = ingestTownInputs(Math.round(100_000 * o.scale));
  const dbC = `credence_bench_c_${process.pid}`;
  const dbR = `credence_bench_r_${process.pid}`;
  const tc: number[] = [];
  const tr: number[] = [];
  let done = inputs.length;
  try {
    for (let i = 0; i < o.slowRuns; i++) {
      const c = await credenceRun(mod.PostgresStore, dbC, inputs, o.budgetS);
      done = Math.min(done, c.n);
      tc.push(c.n / c.s);
      tr.push(c.n / (await copyRun(mod.PostgresStore, dbR, inputs.slice(0, c.n))));
    }
    const row = ratioRow({
      workload: W, name: NAME, credence: median(tc), baseline: median(tr), baselineName: 'COPY (pg-copy-streams)', unit: 'records/s', minRatio: 0.5,
      note: `COPY into subjects, records and record_ids (the adapter's layout and indexes), one transaction per 5,000, synchronous_commit on; ${done < inputs.length ? `time-bounded (${o.budgetS} s a run): ${done.toLocaleString('en-GB')} of ${inputs.length.toLocaleString('en-GB')} records, the COPY on the same prefix` : `${inputs.length.toLocaleString('en-GB')} records`}`,
    });
    if (row.met === false) row.profile = await profileTop(() => credenceRun(mod.PostgresStore, dbC, inputs, o.budgetS));
    return [row];
  } catch (err) {
    return [skipRow(W, NAME, 'records/s', '>= 0.5x', `not measured: ${(err as Error).message.split('\n')[0]}`, 'COPY')];
  } finally {
    await dropDb(dbC);
    await dropDb(dbR);
  }
}
