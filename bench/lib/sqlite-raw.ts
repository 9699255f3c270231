// The SQLite limit: raw better-sqlite3 inserts of the same rows into the same schema (the
// adapter's migrations: same tables, same indexes), with the same durability settings as
// SqliteStore (WAL, synchronous=FULL, foreign keys, 64 MiB cache), one IMMEDIATE
// transaction per batch. Also a fast seeding mode for the rescore workload.
import BetterSqlite3 from 'better-sqlite3';
import { migrate } from '../../src/adapters/sqlite/sqlite-migrations.ts';
import type { SqliteDb } from '../../src/adapters/sqlite/sqlite-store.ts';
import type { RecordInput } from '../../src/domain/types.ts';

export interface RawDb {
  db: BetterSqlite3.Database;
  insertBatch(records: RecordInput[], recordedAt: number): void;
  close(): void;
}

export function openRaw(file: string, mode: 'durable' | 'seed'): RawDb {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma(mode === 'durable' ? 'synchronous = FULL' : 'synchronous = OFF');
  db.pragma(mode === 'durable' ? 'foreign_keys = ON' : 'foreign_keys = OFF');
  db.pragma(mode === 'durable' ? 'cache_size = -65536' : 'cache_size = -1048576');
  migrate(db as unknown as SqliteDb);
  const insSubject = db.prepare(`INSERT OR IGNORE INTO subjects (id, kind, id_scheme, display_name, created_at) VALUES (?, ?, ?, ?, ?)`);
  const insRecord = db.prepare(
    `INSERT INTO records (id, source, source_record_id, subject, type, occurred_at, recorded_at, payload, evidence, revokes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // Each subject is inserted once, when first seen (as Credence's commit inserts only new subjects).
  const seen = new Set<string>();
  const tx = db.transaction((records: RecordInput[], recordedAt: number) => {
    for (const r of records) {
      if (!seen.has(r.subject) && seen.add(r.subject)) insSubject.run(r.subject, r.subjectKind ?? 'person', r.subjectKind === 'organisation' ? 'uscc' : 'resident-id', r.subjectName ?? null, recordedAt);
      insRecord.run(`${r.source}/${r.sourceRecordId}`, r.source, r.sourceRecordId, r.subject, r.type, Date.parse(r.occurredAt), recordedAt, JSON.stringify(r.payload ?? {}), JSON.stringify(r.evidence ?? []), r.revokes ? `${r.source}/${r.revokes}` : null);
    }
  });
  return {
    db,
    insertBatch: (records, recordedAt) => tx.immediate(records, recordedAt),
    close: () => db.close(),
  };
}
