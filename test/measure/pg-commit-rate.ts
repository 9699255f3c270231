// Measures PostgreSQL write rates on this machine (not part of `npm test`):
//   npx tsx test/measure/pg-commit-rate.ts [batches=10] [batchSize=10000]
// 1. PostgresStore.commit: batches of `batchSize` records over batchSize/10 subjects, with one
//    state per subject (what ingest writes), each batch one durable transaction.
// 2. The records table alone: named UNNEST multi-row INSERT vs COPY FROM STDIN (text format),
//    same rows, same table, each batch its own transaction.
// 3. Row sizes: pg_total_relation_size / rows for records (+ record_ids) and subject_states.
// Creates and drops its own database.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PostgresStore } from '../../src/adapters/postgres/postgres-store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

// Builders like test/store.contract.ts's (which imports vitest, so cannot be loaded here).
const T0 = Date.UTC(2024, 0, 1);
const subjectId = (n: number) => `3710821990${String(n).padStart(8, '0')}`;
const aSubject = (id: string) => ({ id, kind: 'person' as const, idScheme: 'cn-rid', displayName: `Resident ${id.slice(-4)}`, createdAt: T0 });
const aRecord = (source: string, sourceRecordId: string, subject: string) => ({
  id: `${source}/${sourceRecordId}`, source, sourceRecordId, subject, type: 'tax.arrears', occurredAt: T0, recordedAt: T0 + 86_400_000,
  payload: { amount: 1200, months: 3, note: '欠税 三个月' } as Record<string, unknown>, evidence: [`doc:${sourceRecordId}`],
});
const aState = (subject: string, scheme: string) => ({
  subject, scheme, score: 985, grade: 'A', computedAt: T0, validUntil: T0 + 365 * 86_400_000,
  ledger: { subject, scheme, contributions: [{ recordId: 'tax/1', recordType: 'tax.arrears', ruleId: 'arrears', ruleTitle: 'Tax arrears', delta: -15, requested: -15, occurredAt: T0, from: T0, until: T0 + 365 * 86_400_000, endReason: 'expiry' as const }],
    directGradings: [], recordListings: [], spans: [], warnings: [], lastOccurredAt: T0, recordCount: 1 },
});

const batches = Number(process.argv[2] ?? 10);
const batchSize = Number(process.argv[3] ?? 10_000);
const db = await createTestDatabase('credence_measure');
try {
  const store = await PostgresStore.open(db.url);
  await store.migrate();
  // Both ways of writing records rows, batches interleaved so both see the same table sizes.
  const stores = { copy: store, unnest: await PostgresStore.open(db.url, { recordsWrite: 'unnest' }) };
  let n = 0;
  const times: Record<string, number[]> = { copy: [], unnest: [] };
  for (let b = 0; b < 2 * batches; b++) {
    const mode = b % 2 === 0 ? 'copy' : 'unnest';
    const records = Array.from({ length: batchSize }, (_, i) => aRecord('m', `${b}-${i}`, subjectId(b * batchSize + (i % (batchSize / 10)))));
    const subjectIds = [...new Set(records.map((r) => r.subject))];
    const t = performance.now();
    await stores[mode].commit({ records, revocations: [], subjects: subjectIds.map((id) => aSubject(id)), states: subjectIds.map((id) => aState(id, 'town@1')), expected: Object.fromEntries(subjectIds.map((id) => [id, 0])) });
    times[mode]!.push(performance.now() - t);
    n += batchSize;
  }
  for (const [mode, ts] of Object.entries(times)) {
    const total = ts.reduce((a, b) => a + b, 0);
    console.log(`store.commit (${mode}): ${batches} batches of ${batchSize} records (+${batchSize / 10} subjects and states each): ${Math.round((batches * batchSize) / (total / 1000))} records/s, median batch ${[...ts].sort((a, b) => a - b)[ts.length >> 1]!.toFixed(0)} ms`);
  }
  await stores.unnest.close();
  n = batches * batchSize;

  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const sizes = await c.query(`SELECT
      (pg_total_relation_size('records') + pg_total_relation_size('record_ids'))::float8 / (SELECT count(*) FROM records) AS record_bytes,
      pg_total_relation_size('subject_states')::float8 / (SELECT count(*) FROM subject_states) AS state_bytes,
      (SELECT avg(length(payload) + length(evidence)) FROM records)::float8 AS payload_chars`);
  console.log(`sizes: ${Math.round(sizes.rows[0].record_bytes)} bytes per record (records + record_ids, indexes included; payload+evidence JSON ${Math.round(sizes.rows[0].payload_chars)} chars), ${Math.round(sizes.rows[0].state_bytes)} bytes per subject state (ledger JSON of 1 contribution)`);

  await c.query(`CREATE TABLE r_unnest (LIKE records INCLUDING ALL); CREATE TABLE r_copy (LIKE records INCLUDING ALL)`);
  const cols = ['subject', 'seq', 'id', 'source', 'source_record_id', 'type', 'occurred_at', 'recorded_at', 'payload', 'evidence'];
  let seq = 0;
  const rowsOf = (b: number) => Array.from({ length: batchSize }, (_, i) => {
    const r = aRecord('x', `${b}-${i}`, subjectId(i % 1000));
    return [r.subject, ++seq, r.id, r.source, r.sourceRecordId, r.type, r.occurredAt, r.recordedAt, JSON.stringify(r.payload), JSON.stringify(r.evidence)];
  });
  const unnestSql = `INSERT INTO r_unnest (${cols.join(', ')}) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::text[], $10::text[])`;
  const esc = (v: unknown) => String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  let unnestMs = 0;
  let copyMs = 0;
  for (let b = 0; b < batches; b++) {
    const rows = rowsOf(b);
    // interleaved, so both see the same machine state
    let t = performance.now();
    await c.query('BEGIN');
    await c.query({ name: 'unnest', text: unnestSql, values: cols.map((_, k) => rows.map((r) => r[k])) });
    await c.query('COMMIT');
    unnestMs += performance.now() - t;
    t = performance.now();
    await c.query('BEGIN');
    const text = rows.map((r) => r.map(esc).join('\t')).join('\n') + '\n';
    await pipeline(Readable.from([text]), c.query(copyFrom(`COPY r_copy (${cols.join(', ')}) FROM STDIN`)));
    await c.query('COMMIT');
    copyMs += performance.now() - t;
  }
  console.log(`records table only, ${batches} x ${batchSize}: UNNEST ${Math.round(n / (unnestMs / 1000))} rows/s, COPY ${Math.round(n / (copyMs / 1000))} rows/s (COPY/UNNEST = ${(unnestMs / copyMs).toFixed(2)}x)`);
  await c.end();
  await store.close();
} finally {
  await db.drop();
}
