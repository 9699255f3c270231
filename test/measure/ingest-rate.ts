// Measures the whole ingest use case (validate, score, commit, audit) on this machine, on
// SQLite and on PostgreSQL, with the simulated town's records (not part of `npm test`):
//   npx tsx test/measure/ingest-rate.ts [subjects=20000] [days=365] [batch=5000]
// Prints records/s per store, the full rescore rate (subject states rebuilt from records per
// second) and the bytes each record and each subject's state take on disk
// (SQLite: file size incl. WAL after a checkpoint; PostgreSQL: tables + indexes).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PostgresStore } from '../../src/adapters/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../../src/app/credence.ts';
import { initStore } from '../../src/app/init.ts';
import { simulateTown } from '../../src/app/simulate.ts';
import type { RecordInput } from '../../src/domain/types.ts';
import type { Store } from '../../src/ports/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

const [subjects, days, batch] = [Number(process.argv[2] ?? 20_000), Number(process.argv[3] ?? 365), Number(process.argv[4] ?? 5000)];
const catalogueDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'catalogue');
const NOW = Date.UTC(2025, 0, 15, 12);
const records: RecordInput[] = [];
for (const item of simulateTown({ subjects, days, seed: 1, start: '2024-01-01' })) if (item.kind === 'record') records.push(item.record);
const avgJson = records.reduce((n, r) => n + JSON.stringify(r).length, 0) / records.length;
console.log(`town: ${subjects} subjects, ${days} days: ${records.length} records (${avgJson.toFixed(0)} chars of JSON each on the wire), batches of ${batch}`);

async function run(label: string, store: Store): Promise<void> {
  await initStore(store, catalogueDir, 'default', NOW);
  const c = await Credence.open(store, { now: () => NOW });
  const t = performance.now();
  for (let i = 0; i < records.length; i += batch) await c.ingest(records.slice(i, i + batch));
  const s = (performance.now() - t) / 1000;
  console.log(`${label}: ${Math.round(records.length / s)} records/s through Credence.ingest (${s.toFixed(1)} s), ${await store.countSubjects()} subjects with records`);
  const t2 = performance.now();
  let n = 0;
  for (const scheme of c.schemes) n += (await c.rescore(scheme, { dryRun: false, at: NOW })).subjects;
  const s2 = (performance.now() - t2) / 1000;
  console.log(`${label}: rescore ${Math.round(n / s2)} subject states/s (${n} states from the records, written back)`);
}

const dir = mkdtempSync(path.join(tmpdir(), 'credence-measure-'));
const db = await createTestDatabase('credence_measure');
try {
  const file = path.join(dir, 'm.db');
  const sqlite = await SqliteStore.open(file);
  await run('sqlite', sqlite);
  const nRecords = await sqlite.countRecords();
  await sqlite.close();
  console.log(`sqlite: ${Math.round(statSync(file).size / nRecords)} bytes per record, everything included (records, states, audit, indexes) / records`);
  const postgres = await PostgresStore.open(db.url);
  await run('postgres', postgres);
  await postgres.close();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const r = (await client.query(`SELECT
      (pg_total_relation_size('records') + pg_total_relation_size('record_ids'))::float8 / (SELECT count(*) FROM records) AS rec,
      pg_total_relation_size('subject_states')::float8 / (SELECT count(*) FROM subject_states) AS st,
      (SELECT count(*) FROM subject_states)::float8 / (SELECT count(*) FROM subjects) AS states_per_subject,
      pg_database_size(current_database())::float8 / (SELECT count(*) FROM records) AS all_per_rec`)).rows[0];
  console.log(`postgres: ${Math.round(r.rec)} bytes per record (records + record_ids with indexes), ${Math.round(r.st)} bytes per subject state (${r.states_per_subject} states per subject), ${Math.round(r.all_per_rec)} bytes of database per record`);
  await client.end();
} finally {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
}
