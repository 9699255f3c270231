// PostgreSQL store adapter (production), on node `pg` with a connection Pool. Same semantics
// as SqliteStore; both pass test/store.contract.ts.
//
// Writes: commit() is one transaction of a few statements, each a named prepared multi-row
// INSERT/UPDATE fed by UNNEST over arrays (one round trip per table, not per row), chunked
// at ROWS_PER_STATEMENT_MAX rows; the records rows themselves (the bulk) go in by COPY FROM
// STDIN by default, which needs no conflict handling since record_ids has settled conflicts
// first. Measured here (test/measure/pg-commit-rate.ts, numbers in docs/scaling.md): a 10k-record
// commit spends most of its time inserting records rows, and COPY takes that part 1.2-1.7x
// faster than UNNEST (whole commit: 1.2-1.3x).
//
// Record ids are unique through record_ids (PRIMARY KEY id), inserted first with
// ON CONFLICT DO NOTHING RETURNING id: an id that comes back missing already existed (or a
// concurrent transaction took it; PostgreSQL waits for that one to finish first), and the
// whole transaction rolls back, so a conflict writes nothing, as the contract asks.
//
// seq comes from the sequence records_seq: unique and increasing in allocation order across
// processes. Per-subject order (what scoring reads) holds because a commit moves the stream
// positions of the subjects it touches (one UPDATE that checks each against the position the
// writer read, optimistic concurrency, and locks the row) before it takes seqs: a second
// writer of the same subject waits, then finds the position moved and retries.
//
// The audit chain is appended under pg_advisory_xact_lock, so head-read + chain + insert is
// serial across every process and the chain never forks. A commit appends its own audit entry
// in its transaction (records are linked to it), so commits with records serialise on that
// lock from the entry to COMMIT; docs/scaling.md's sharded chain is what lifts it.
//
// Notices (the outbox) are inserted last in the transaction of the write they tell of, under
// pg_advisory_xact_lock(LOCK_KEY.notices) held to COMMIT: notice seqs (identity) are taken in
// commit order, so a dispatcher that has seen seq n will never later see a seq below n commit
// (its cursor skips nothing). Taken after every other lock (the audit lock included), never
// the other way round. Deliveries are claimed with FOR UPDATE SKIP LOCKED under a lease.
//
// Durability: synchronous_commit=on is set on every connection, so COMMIT returns only after
// the WAL is flushed; commit() resolves after COMMIT. bigint columns (epoch ms, counts) are
// parsed to numbers: every value we store is below 2^53.
import { inTransaction } from './pg-transaction.ts';
import { auditFromRow, caseFromRow, catalogueBody, catalogueFromBody, caseWhere, currentStates, deliveryFromRow, MARK_COLUMNS, noticeFromRow, webhookFromRow, recordFromRow, type DeliveryDbRow, type NoticeDbRow, type WebhookDbRow, type CaseDbRow, stateFromRow, subjectFromRow, type AuditRow, type CatalogueBody, type RecordRow, type StateRow, type SubjectRow } from '../sql-rows.ts';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chainEntries } from '../../domain/audit-chain.ts';
import type {
  Catalogue,
  Scheme,
  SchemeKey,
  StoredRecord,
  Subject,
  SubjectId,
  SubjectLedger,
} from '../../domain/types.ts';
import type {
  AnnotationWrite,
  PurgeSet,
  RetentionQuery,
  CaseQuery,
  CaseRow,
  AuditEntry,
  AuditEntryInput,
  CommitResult,
  DeliveryAttempt,
  DeliveryRow,
  DeliveryStatus,
  NoticeInput,
  NoticeQuery,
  NoticeRow,
  PutStatesResult,
  RecordCoverage,
  RecordWrite,
  SchemeRow,
  Store,
  SubjectState,
  WebhookEndpoint,
} from '../../ports/store.ts';
import { caseRecord } from '../../ports/store.ts';
import { LOCK_KEY, migrate as applyMigrations, migrationStatus } from './postgres-migrations.ts';

// ---------------------------------------------------------------------------------------
// Limits

/** Rows bound into one UNNEST statement; a longer write uses several, in one transaction. */
const ROWS_PER_STATEMENT_MAX = 10_000;
/** Ids bound into one `= ANY($1)` read. */
const IDS_PER_READ_MAX = 10_000;
const POOL_SIZE_MAX = 10;
const CONNECT_TIMEOUT_MS = 10_000;
/** No statement runs longer than this (a stuck lock fails instead of hanging a worker). */
const STATEMENT_TIMEOUT_MS = 120_000;
const IDLE_TIMEOUT_MS = 30_000;

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
}

const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function uniqueIds<T>(ids: T[]): T[] {
  return [...new Set(ids)];
}

// ---------------------------------------------------------------------------------------
// Statements. Named (prepared once per connection, then only bound and executed).

const RECORD_COLUMNS = `subject, seq, id, source, source_record_id, type, occurred_at, recorded_at,
  payload, evidence, revokes, revoked_at, revoked_by, disputed_at, confirmed_at, position, audit_seq, four_eyes`;

const SQL = {
  saveCatalogue: `INSERT INTO catalogue (id, version, body) VALUES (1, $1, $2)
    ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body`,
  loadCatalogue: `SELECT body FROM catalogue WHERE id = 1`,
  saveScheme: `INSERT INTO schemes (id, version, status, published_at, body) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (id, version) DO UPDATE SET
      status = excluded.status, published_at = excluded.published_at, body = excluded.body`,
  listSchemes: `SELECT published_at, body FROM schemes ORDER BY id, version`,
  getSubject: `SELECT * FROM subjects WHERE id = $1`,
  getSubjects: `SELECT * FROM subjects WHERE id = ANY($1::text[])`,
  listSubjectIdsFirst: `SELECT id FROM subjects ORDER BY id LIMIT $1`,
  listSubjectIdsAfter: `SELECT id FROM subjects WHERE id > $1 ORDER BY id LIMIT $2`,
  countSubjects: `SELECT count(*) AS n FROM subjects`,
  insertSubjects: `INSERT INTO subjects (id, kind, id_scheme, display_name, created_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
    ON CONFLICT (id) DO NOTHING`,
  positions: `SELECT id, position FROM subjects WHERE id = ANY($1::text[])`,
  shareSubjects: `SELECT id, position FROM subjects WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE`,
  // Check and move in one statement: a row whose position is not the expected one is left
  // alone and not returned (after waiting for a concurrent writer of it, PostgreSQL re-reads
  // the row, so a moved position shows). The row stays locked to COMMIT either way.
  moveSubjects: `UPDATE subjects s SET position = v.next
    FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS v(id, expected, next)
    WHERE s.id = v.id AND s.position = v.expected
    RETURNING s.id`,
  existingRecordIds: `SELECT id FROM record_ids WHERE id = ANY($1::text[])`,
  getRecords: `SELECT r.* FROM record_ids k JOIN records r ON r.subject = k.subject AND r.seq = k.seq WHERE k.id = ANY($1::text[])`,
  recordCoverage: `SELECT subject, seq, id, audit_seq FROM records WHERE (subject, seq) > ($1, $2)
    ORDER BY subject, seq LIMIT $3`,
  recordSubject: `SELECT subject FROM record_ids WHERE id = $1`,
  auditSeqsOf: `SELECT r.id, r.audit_seq FROM record_ids k JOIN records r ON r.subject = k.subject AND r.seq = k.seq WHERE k.id = ANY($1::text[])`,
  purgeRecords: `WITH k AS (DELETE FROM record_ids WHERE id = ANY($1::text[]) AND subject = $2 RETURNING subject, seq)
    DELETE FROM records r USING k WHERE r.subject = k.subject AND r.seq = k.seq RETURNING r.id`,
  purgeCases: `DELETE FROM cases WHERE id = ANY($1::text[]) AND subject = $2 RETURNING id`,
  purgeNotices: `DELETE FROM notices WHERE id = ANY($1::text[]) AND subject = $2 RETURNING id, seq`,
  purgeDeliveries: `DELETE FROM webhook_deliveries WHERE notice_seq = ANY($1::bigint[])`,
  getRecord: `SELECT r.* FROM record_ids k JOIN records r ON r.subject = k.subject AND r.seq = k.seq WHERE k.id = $1`,
  recordsOfSubjects: `SELECT * FROM records WHERE subject = ANY($1::text[]) ORDER BY subject, seq`,
  countRecords: `SELECT count(*) AS n FROM record_ids`,
  nextSeqs: `SELECT nextval('records_seq') AS seq FROM generate_series(1, $1::integer)`,
  insertRecordIds: `INSERT INTO record_ids (id, subject, seq)
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
    ON CONFLICT (id) DO NOTHING RETURNING id`,
  insertRecords: `INSERT INTO records (${RECORD_COLUMNS})
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
      $7::bigint[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::text[],
      $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::smallint[])`,
  revoke: `UPDATE records r SET revoked_at = v.at, revoked_by = v.by
    FROM unnest($1::text[], $2::bigint[], $3::text[]) AS v(id, at, by)
    JOIN record_ids k ON k.id = v.id
    WHERE r.subject = k.subject AND r.seq = k.seq
    RETURNING r.id`,
  upsertCases: `INSERT INTO cases (id, kind, subject, status, due_at, assignee, record, created_at, updated_at, body)
    SELECT id, kind, subject, status, due_at, assignee, record, created_at, updated_at, body::jsonb
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[])
      AS v(id, kind, subject, status, due_at, assignee, record, created_at, updated_at, body)
    ON CONFLICT (id) DO UPDATE SET
      status = excluded.status, due_at = excluded.due_at, assignee = excluded.assignee,
      record = excluded.record, updated_at = excluded.updated_at, body = excluded.body`,
  getCase: `SELECT * FROM cases WHERE id = $1`,
  upsertStates: `INSERT INTO subject_states (subject, scheme, score, grade, computed_at, valid_until, ledger, position)
    SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::bigint[])
    ON CONFLICT (subject, scheme) DO UPDATE SET
      score = excluded.score, grade = excluded.grade, computed_at = excluded.computed_at,
      valid_until = excluded.valid_until, ledger = excluded.ledger, position = excluded.position`,
  // Only states at their subject's current stream position: the others are stale caches.
  getStates: `SELECT st.* FROM subject_states st JOIN subjects s ON s.id = st.subject AND s.position = st.position
    WHERE st.subject = $1 ORDER BY st.scheme`,
  // Ordered like SQLite's answer (ascending subject): callers iterate the returned Map, and
  // list entries came out in a different order on the two stores without it (parity test).
  getStatesFor: `SELECT st.* FROM subject_states st JOIN subjects s ON s.id = st.subject AND s.position = st.position
    WHERE st.scheme = $1 AND st.subject = ANY($2::text[]) ORDER BY st.subject`,
  clearStates: `DELETE FROM subject_states WHERE scheme = $1`,
  gradeDistribution: `SELECT grade, count(*) AS n FROM subject_states WHERE scheme = $1 GROUP BY grade`,
  staleStates: `SELECT subject FROM subject_states
    WHERE scheme = $1 AND valid_until IS NOT NULL AND valid_until <= $2
    ORDER BY valid_until, subject LIMIT $3`,
  auditHead: `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
  insertAudit: `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
    SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
  readAudit: `SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2`,
  auditOfSubject: `SELECT * FROM audit_log WHERE subject = $1 ORDER BY seq DESC LIMIT $2`,
  // seq (identity) is taken in array order; an id already stored is not returned.
  insertNotices: `INSERT INTO notices (id, subject, recipient, kind, created_at, body)
    SELECT id, subject, recipient, kind, created_at, body::jsonb
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
      WITH ORDINALITY AS v(id, subject, recipient, kind, created_at, body, ord)
    ORDER BY ord
    ON CONFLICT (id) DO NOTHING RETURNING id`,
  existingNoticeIds: `SELECT id FROM notices WHERE id = ANY($1::text[])`,
  lastNoticeSeq: `SELECT coalesce(max(seq), 0) AS seq FROM notices`,
  getNotice: `SELECT * FROM notices WHERE id = $1`,
  markNoticeRead: `UPDATE notices SET read_at = COALESCE(read_at, $2) WHERE id = $1 RETURNING seq`,
  addWebhook: `INSERT INTO webhook_endpoints (id, url, secret, recipient, kinds, description, created_at, disabled_at, cursor)
    VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9)
    ON CONFLICT (id) DO NOTHING RETURNING id`,
  listWebhooks: `SELECT * FROM webhook_endpoints ORDER BY id`,
  getWebhook: `SELECT * FROM webhook_endpoints WHERE id = $1`,
  disableWebhook: `UPDATE webhook_endpoints SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL RETURNING id`,
  stopDeliveries: `UPDATE webhook_deliveries SET status = 'dead', next_at = NULL, lease_until = NULL, last_error = 'endpoint disabled'
    WHERE endpoint = $1 AND status = 'pending'`,
  // Check and move in one statement: a concurrent fan-out of the same endpoint waits for this
  // one, then re-reads the row and finds the cursor moved (not returned).
  moveCursor: `UPDATE webhook_endpoints SET cursor = $3 WHERE id = $1 AND cursor = $2 RETURNING id`,
  webhookExists: `SELECT id FROM webhook_endpoints WHERE id = $1`,
  insertDeliveries: `INSERT INTO webhook_deliveries (endpoint, notice_seq, notice_id, status, attempts, next_at, created_at)
    SELECT $1, seq, id, 'pending', 0, $2, $2 FROM unnest($3::bigint[], $4::text[]) AS v(seq, id)
    ON CONFLICT (endpoint, notice_seq) DO NOTHING`,
  // One statement: rows another dispatcher is claiming are skipped, not waited for; a row it
  // claimed and committed meanwhile is re-checked (lease) and left out.
  claimDeliveries: `UPDATE webhook_deliveries SET lease_until = $2
    WHERE (endpoint, notice_seq) IN (
      SELECT endpoint, notice_seq FROM webhook_deliveries
      WHERE status = 'pending' AND next_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
      ORDER BY notice_seq, endpoint LIMIT $3
      FOR UPDATE SKIP LOCKED)
    RETURNING *`,
  recordAttempt: `UPDATE webhook_deliveries SET status = $3, attempts = $4, next_at = $5, last_status = $6, last_error = $7,
      delivered_at = $8, lease_until = NULL
    WHERE endpoint = $1 AND notice_seq = $2 RETURNING notice_seq`,
  replayDeliveries: `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_at = $4, lease_until = NULL
    WHERE endpoint = $1 AND status = $2 AND notice_seq >= $3`,
} as const;
type StatementName = keyof typeof SQL;

/** The subset of pg's query surface this adapter uses: a pool or a client in a transaction. */
interface Queryable {
  query<R extends QueryResultRow>(config: { name: string; text: string; values: unknown[] }): Promise<pg.QueryResult<R>>;
}

/**
 * A PostgreSQL array literal ('{"a","b\\"c",NULL,1.5}') for the UNNEST parameters. node-pg
 * serialises arrays itself, but about 10x slower than this on large text (measured: 330 ms vs
 * ~30 ms for 8,000 ledgers of 900 characters), which made state upserts the ingest bottleneck.
 */
function arrayLiteral(values: readonly unknown[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'number') parts[i] = String(v);
    else if (typeof v === 'boolean') parts[i] = v ? 't' : 'f';
    else if (typeof v === 'string') parts[i] = `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else throw new TypeError(`arrayLiteral: unsupported element ${typeof v}`);
  }
  return `{${parts.join(',')}}`;
}

async function run<R extends QueryResultRow>(q: Queryable, name: StatementName, values: unknown[] = []) {
  return q.query<R>({ name, text: SQL[name], values: values.map((v) => (Array.isArray(v) ? arrayLiteral(v) : v)) });
}

/** Keeps the last state per (subject, scheme): one INSERT .. ON CONFLICT may touch a row once. */
function lastStatePerKey(states: SubjectState[]): SubjectState[] {
  const byKey = new Map<string, SubjectState>();
  for (const st of states) byKey.set(`${st.subject}\u0000${st.scheme}`, st);
  return [...byKey.values()];
}

/** Deletes a subject's records, cases and notices (with their deliveries); an id not of the subject throws. */
async function purge(q: Queryable, subject: SubjectId, p: PurgeSet): Promise<void> {
  const missing = (what: string, asked: string[], got: string[]) => {
    const found = new Set(got);
    const id = asked.find((x) => !found.has(x));
    if (id !== undefined) throw new Error(`annotate: purge of ${what} ${id}, which is not a${what === 'record' ? ' record of' : what === 'case' ? ' case of' : ' notice about'} ${subject}`);
  };
  for (const chunk of chunks(uniqueIds(p.records), IDS_PER_READ_MAX)) missing('record', chunk, (await run<{ id: string }>(q, 'purgeRecords', [chunk, subject])).rows.map((r) => r.id));
  for (const chunk of chunks(uniqueIds(p.cases), IDS_PER_READ_MAX)) missing('case', chunk, (await run<{ id: string }>(q, 'purgeCases', [chunk, subject])).rows.map((r) => r.id));
  for (const chunk of chunks(uniqueIds(p.notices), IDS_PER_READ_MAX)) {
    const rows = (await run<{ id: string; seq: string | number }>(q, 'purgeNotices', [chunk, subject])).rows;
    missing('notice', chunk, rows.map((r) => r.id));
    if (rows.length > 0) await run(q, 'purgeDeliveries', [rows.map((r) => Number(r.seq))]);
  }
}

async function upsertCases(q: Queryable, cases: CaseRow[]): Promise<void> {
  const byId = new Map(cases.map((c) => [c.id, c] as const)); // one row per id per statement
  for (const chunk of chunks([...byId.values()], ROWS_PER_STATEMENT_MAX)) {
    await run(q, 'upsertCases', [
      chunk.map((c) => c.id),
      chunk.map((c) => c.kind),
      chunk.map((c) => c.subject),
      chunk.map((c) => c.status),
      chunk.map((c) => c.dueAt),
      chunk.map((c) => c.assignee),
      chunk.map((c) => caseRecord(c)),
      chunk.map((c) => c.createdAt),
      chunk.map((c) => c.updatedAt),
      chunk.map((c) => JSON.stringify(c.body)),
    ]);
  }
}

async function upsertStates(q: Queryable, states: SubjectState[]): Promise<void> {
  for (const chunk of chunks(lastStatePerKey(states), ROWS_PER_STATEMENT_MAX)) {
    const positions = chunk.map((s) => s.position);
    await run(q, 'upsertStates', [
      chunk.map((s) => s.subject),
      chunk.map((s) => s.scheme),
      chunk.map((s) => s.score),
      chunk.map((s) => s.grade),
      chunk.map((s) => s.computedAt),
      chunk.map((s) => s.validUntil),
      chunk.map((s) => JSON.stringify(s.ledger)),
      positions,
    ]);
  }
}

/** Share-locks the subjects' rows (in id order) and returns their stream positions. */
async function sharePositions(q: Queryable, ids: SubjectId[]): Promise<Map<SubjectId, number>> {
  const out = new Map<SubjectId, number>();
  for (const chunk of chunks([...ids].sort(), IDS_PER_READ_MAX)) {
    for (const r of (await run<{ id: string; position: number }>(q, 'shareSubjects', [chunk])).rows) out.set(r.id, r.position);
  }
  return out;
}

/** PostgreSQL's deadlock and serialization failures: the write is retried like any conflict. */
function isRetryable(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '40P01' || code === '40001';
}

const COPY_RECORDS = `COPY records (${RECORD_COLUMNS}) FROM STDIN`;

/** One value in COPY text format: \N for null; backslash, tab, newline and CR escaped. */
function copyValue(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Binary order of ids (COLLATE "C"), as ORDER BY gives. */
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** WHERE clause and parameters of a notice query, with seq > afterSeq. */
function noticeWhere(q: NoticeQuery, afterSeq: number | null): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (q.subject !== undefined) parts.push(`subject = $${params.push(q.subject)}`);
  if (q.recipient !== undefined) parts.push(`recipient = $${params.push(q.recipient)}`);
  if (q.unread) parts.push('read_at IS NULL');
  if (afterSeq !== null) parts.push(`seq > $${params.push(afterSeq)}`);
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** WHERE clause and parameters of a delivery query, with notice_seq > afterSeq. */
function deliveryWhere(q: { endpoint?: string; status?: DeliveryStatus; noticeSeq?: number }, afterSeq: number | null): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (q.endpoint !== undefined) parts.push(`endpoint = $${params.push(q.endpoint)}`);
  if (q.status !== undefined) parts.push(`status = $${params.push(q.status)}`);
  if (q.noticeSeq !== undefined) parts.push(`notice_seq = $${params.push(q.noticeSeq)}`);
  if (afterSeq !== null) parts.push(`notice_seq > $${params.push(afterSeq)}`);
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** A notice id twice in one write, or one about a subject the write may not speak of: thrown. */
function checkNotices(op: string, notices: NoticeInput[], known: (id: SubjectId) => boolean): void {
  const ids = new Set<string>();
  for (const n of notices) {
    if (ids.has(n.id)) throw new Error(`${op}: notice id ${n.id} is not unique`);
    if (!known(n.subject)) throw new Error(`${op}: notice ${n.id} is about ${n.subject}, not a subject of this write`);
    ids.add(n.id);
  }
}

/**
 * Inserts a write's notices in its transaction, in order, last (under the notices lock, held
 * to COMMIT: seqs commit in order). An id already stored is thrown: the write rolls back.
 */
async function insertNotices(client: PoolClient, op: string, notices: NoticeInput[]): Promise<void> {
  if (notices.length === 0) return;
  await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY.notices]);
  for (const part of chunks(notices, ROWS_PER_STATEMENT_MAX)) {
    const res = await run<{ id: string }>(client, 'insertNotices', [
      part.map((n) => n.id),
      part.map((n) => n.subject),
      part.map((n) => n.recipient),
      part.map((n) => n.kind),
      part.map((n) => n.createdAt),
      part.map((n) => JSON.stringify(n.body)),
    ]);
    const inserted = new Set(res.rows.map((r) => r.id));
    const taken = part.find((n) => !inserted.has(n.id));
    if (taken !== undefined) throw new Error(`${op}: notice id ${taken.id} is not unique`);
  }
}

export interface PostgresStoreOptions {
  /** How commit() writes records rows: COPY (default, fastest) or a multi-row UNNEST INSERT. */
  recordsWrite?: 'copy' | 'unnest';
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: Required<PostgresStoreOptions>,
  ) {}

  /** Connects (lazily, through the pool) to `url`. Does not migrate. */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: POOL_SIZE_MAX,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      idleTimeoutMillis: IDLE_TIMEOUT_MS,
      options: `-c synchronous_commit=on -c statement_timeout=${STATEMENT_TIMEOUT_MS}`,
      types,
    });
    // An idle client losing its connection must not crash the process; the next query fails.
    pool.on('error', () => undefined);
    const store = new PostgresStore(pool, { recordsWrite: options.recordsWrite ?? 'copy' });
    try {
      await pool.query('SELECT 1'); // fail fast on a wrong URL
    } catch (err) {
      await pool.end();
      throw err;
    }
    return store;
  }

  /** The pool, for adapters that share this store's database (PostgresAccessStore). */
  sharedPool(): pg.Pool {
    return this.pool;
  }

  /** Runs fn in a transaction on one pooled client; rolls back on a throw. */
  private tx<T>(fn: (client: PoolClient) => Promise<T | { rollback: T }>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await applyMigrations(client);
    } finally {
      client.release();
    }
  }

  async pendingMigrations(): Promise<number> {
    const client = await this.pool.connect();
    try {
      return (await migrationStatus(client)).pending.length;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  // -------------------------------------------------------------------------------------
  // Catalogue and schemes

  async saveCatalogue(catalogue: Catalogue): Promise<void> {
    const body = catalogueBody(catalogue);
    await run(this.pool, 'saveCatalogue', [catalogue.version, JSON.stringify(body)]);
  }

  async loadCatalogue(): Promise<Catalogue | null> {
    const res = await run<{ body: string }>(this.pool, 'loadCatalogue');
    const row = res.rows[0];
    if (row === undefined) return null;
    return catalogueFromBody(JSON.parse(row.body) as CatalogueBody);
  }

  async saveScheme(scheme: Scheme, publishedAt: number | null): Promise<void> {
    await run(this.pool, 'saveScheme', [scheme.id, scheme.version, scheme.status, publishedAt, JSON.stringify(scheme)]);
  }

  async listSchemes(): Promise<SchemeRow[]> {
    const res = await run<{ published_at: number | null; body: string }>(this.pool, 'listSchemes');
    return res.rows.map((r) => ({ scheme: JSON.parse(r.body) as Scheme, publishedAt: r.published_at }));
  }

  // -------------------------------------------------------------------------------------
  // Subjects

  async getSubject(id: SubjectId): Promise<Subject | null> {
    const row = (await run<SubjectRow>(this.pool, 'getSubject', [id])).rows[0];
    return row === undefined ? null : subjectFromRow(row);
  }

  async getSubjects(ids: SubjectId[]): Promise<Map<SubjectId, Subject>> {
    const out = new Map<SubjectId, Subject>();
    for (const chunk of chunks(uniqueIds(ids), IDS_PER_READ_MAX)) {
      for (const r of (await run<SubjectRow>(this.pool, 'getSubjects', [chunk])).rows) out.set(r.id, subjectFromRow(r));
    }
    return out;
  }

  async listSubjectIds(after: SubjectId | null, limit: number): Promise<SubjectId[]> {
    checkLimit(limit);
    const res =
      after === null
        ? await run<{ id: string }>(this.pool, 'listSubjectIdsFirst', [limit])
        : await run<{ id: string }>(this.pool, 'listSubjectIdsAfter', [after, limit]);
    return res.rows.map((r) => r.id);
  }

  async countSubjects(): Promise<number> {
    return (await run<{ n: number }>(this.pool, 'countSubjects')).rows[0]!.n;
  }

  async streamPositions(ids: SubjectId[]): Promise<Map<SubjectId, number>> {
    const out = new Map<SubjectId, number>();
    for (const chunk of chunks(uniqueIds(ids), IDS_PER_READ_MAX)) {
      for (const r of (await run<{ id: string; position: number }>(this.pool, 'positions', [chunk])).rows) out.set(r.id, r.position);
    }
    return out;
  }

  // -------------------------------------------------------------------------------------
  // Records

  async existingRecordIds(ids: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const chunk of chunks(uniqueIds(ids), IDS_PER_READ_MAX)) {
      for (const r of (await run<{ id: string }>(this.pool, 'existingRecordIds', [chunk])).rows) out.add(r.id);
    }
    return out;
  }

  async getRecords(ids: string[]): Promise<Map<string, StoredRecord>> {
    const out = new Map<string, StoredRecord>();
    for (const chunk of chunks(uniqueIds(ids), IDS_PER_READ_MAX)) {
      for (const row of (await run<RecordRow>(this.pool, 'getRecords', [chunk])).rows) out.set(row.id, recordFromRow(row));
    }
    return out;
  }

  async recordCoverage(after: string | null, limit: number): Promise<{ rows: RecordCoverage[]; next: string | null }> {
    checkLimit(limit);
    const [subject, seq] = after === null ? ['', -1] : (JSON.parse(after) as [string, number]);
    const res = await run<{ subject: string; seq: number; id: string; audit_seq: number | null }>(this.pool, 'recordCoverage', [subject, seq, limit]);
    const rows = res.rows.map((r) => ({ seq: r.seq, id: r.id, auditSeq: r.audit_seq }));
    const last = res.rows[res.rows.length - 1];
    return { rows, next: last !== undefined && res.rows.length === limit ? JSON.stringify([last.subject, last.seq]) : null };
  }

  async auditSeqsOf(ids: string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    for (const chunk of chunks(uniqueIds(ids), IDS_PER_READ_MAX)) {
      for (const r of (await run<{ id: string; audit_seq: string | number | null }>(this.pool, 'auditSeqsOf', [chunk])).rows) out.set(r.id, r.audit_seq === null ? null : Number(r.audit_seq));
    }
    return out;
  }

  async retentionCandidates(q: RetentionQuery, after: SubjectId | null, limit: number): Promise<SubjectId[]> {
    checkLimit(limit);
    const parts: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown, cast: string) => {
      params.push(v);
      return `$${params.length}::${cast}`;
    };
    for (const g of q.records) {
      if (g.types.length === 0) continue;
      parts.push(`SELECT subject FROM records WHERE type = ANY(${p(g.types, 'text[]')}) AND occurred_at < ${p(g.before, 'bigint')}`);
    }
    parts.push(`SELECT subject FROM notices WHERE created_at < ${p(q.namelessBefore, 'bigint')}`, `SELECT subject FROM cases WHERE created_at < ${p(q.namelessBefore, 'bigint')}`);
    const sql = `SELECT subject FROM (${parts.join(' UNION ')}) AS c WHERE subject COLLATE "C" > ${p(after ?? '', 'text')} ORDER BY subject COLLATE "C" LIMIT ${p(limit, 'int')}`;
    return (await this.pool.query<{ subject: string }>(sql, params)).rows.map((r) => r.subject);
  }

  async getRecord(id: string): Promise<StoredRecord | null> {
    const row = (await run<RecordRow>(this.pool, 'getRecord', [id])).rows[0];
    return row === undefined ? null : recordFromRow(row);
  }

  async recordsOfSubjects(ids: SubjectId[]): Promise<Map<SubjectId, StoredRecord[]>> {
    const unique = uniqueIds(ids);
    const out = new Map<SubjectId, StoredRecord[]>(unique.map((id) => [id, []]));
    for (const chunk of chunks(unique, IDS_PER_READ_MAX)) {
      for (const row of (await run<RecordRow>(this.pool, 'recordsOfSubjects', [chunk])).rows) {
        out.get(row.subject)!.push(recordFromRow(row));
      }
    }
    return out;
  }

  async countRecords(): Promise<number> {
    return (await run<{ n: number }>(this.pool, 'countRecords')).rows[0]!.n;
  }

  async commit(write: RecordWrite): Promise<CommitResult> {
    const seen = new Set<string>();
    for (const r of write.records) {
      if (seen.has(r.id)) throw new Error(`commit: record id ${r.id} appears twice in one write`);
      seen.add(r.id);
    }
    const touched = new Set<SubjectId>();
    for (const r of write.records) touched.add(r.subject);
    for (const st of write.states) touched.add(st.subject);
    for (const id of touched) {
      if (write.expected[id] === undefined) throw new Error(`commit: subject ${id} is touched but has no expected stream position`);
    }
    try {
      return await this.tx<CommitResult>((client) => this.commitInTx(client, write, touched));
    } catch (err) {
      if (isRetryable(err)) return { inserted: [], conflicts: [], stale: [...touched] };
      throw err;
    }
  }

  private async commitInTx(client: PoolClient, write: RecordWrite, touched: Set<SubjectId>): Promise<CommitResult | { rollback: CommitResult }> {
    const records = write.records;
    // New subjects first (in id order), then every touched subject's row checked against the
    // expected position and moved on in one UPDATE, which locks it to COMMIT: a concurrent
    // writer of the same subject waits there and then finds the position moved. A lock cycle
    // between two writers is a deadlock PostgreSQL breaks; that write is retried (isRetryable).
    for (const part of chunks([...write.subjects].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), ROWS_PER_STATEMENT_MAX)) {
      await run(client, 'insertSubjects', [
        part.map((s) => s.id),
        part.map((s) => s.kind),
        part.map((s) => s.idScheme),
        part.map((s) => s.displayName ?? null),
        part.map((s) => s.createdAt),
      ]);
    }
    const added = new Map<SubjectId, number>();
    for (const r of records) added.set(r.subject, (added.get(r.subject) ?? 0) + 1);
    const ids = [...touched].sort();
    const movedOk = new Set<SubjectId>();
    for (const part of chunks(ids, ROWS_PER_STATEMENT_MAX)) {
      const res = await run<{ id: string }>(client, 'moveSubjects', [part, part.map((id) => write.expected[id]!), part.map((id) => write.expected[id]! + (added.get(id) ?? 0))]);
      for (const row of res.rows) movedOk.add(row.id);
    }
    const stale = ids.filter((id) => !movedOk.has(id));
    if (stale.length > 0) {
      // Not moved: either the position moved (a conflict) or the subject is not stored (a bug).
      const stored = await sharePositions(client, stale);
      const unknown = stale.find((id) => !stored.has(id));
      if (unknown !== undefined) throw new Error(`commit: subject ${unknown} is neither stored nor in the write`);
      return { rollback: { inserted: [], conflicts: [], stale } };
    }
    const positions = new Map<SubjectId, number>(ids.map((id) => [id, write.expected[id]!]));

    let seqs: number[] = [];
    if (records.length > 0) {
      seqs = (await run<{ seq: number }>(client, 'nextSeqs', [records.length])).rows.map((r) => r.seq);
      // Claim the ids first: any id that does not come back was already held.
      const inserted = new Set<string>();
      for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT_MAX) {
        const part = records.slice(i, i + ROWS_PER_STATEMENT_MAX);
        const res = await run<{ id: string }>(client, 'insertRecordIds', [
          part.map((r) => r.id),
          part.map((r) => r.subject),
          seqs.slice(i, i + part.length),
        ]);
        for (const row of res.rows) inserted.add(row.id);
      }
      if (inserted.size < records.length) {
        return { rollback: { inserted: [], conflicts: records.filter((r) => !inserted.has(r.id)).map((r) => r.id), stale: [] } };
      }
    }
    // A notice is about a subject stored or created by this write (checked before the audit
    // lock is taken: a refused write does not hold the chain up).
    const notices = write.notices ?? [];
    if (notices.length > 0) {
      const created = new Set(write.subjects.map((s) => s.id));
      const others = uniqueIds(notices.map((n) => n.subject).filter((id) => !created.has(id)));
      const stored = new Set<SubjectId>();
      for (const chunk of chunks(others, IDS_PER_READ_MAX)) {
        for (const r of (await run<{ id: string }>(client, 'positions', [chunk])).rows) stored.add(r.id);
      }
      checkNotices('commit', notices, (id) => created.has(id) || stored.has(id));
    }
    // The write's audit entry, in this transaction: taken last among the locks (after every
    // subject lock, never waiting for one while held), so commits serialise on the chain here.
    const audit = write.audit === undefined ? undefined : (await this.appendAuditInTx(client, [write.audit]))[0]!;
    const recordPositions: number[] = [];
    for (const r of records) {
      const p = (positions.get(r.subject) ?? 0) + 1;
      positions.set(r.subject, p);
      recordPositions.push(p);
    }
    const auditSeq = audit?.seq ?? null;
    if (this.options.recordsWrite === 'copy' && records.length > 0) {
      // A subject neither stored nor in the write fails the foreign key: thrown, rolled back.
      const lines = records.map((r, i) =>
        [
          r.subject, seqs[i]!, r.id, r.source, r.sourceRecordId, r.type, r.occurredAt, r.recordedAt,
          JSON.stringify(r.payload), JSON.stringify(r.evidence), r.revokes, r.revokedAt, r.revokedBy, r.disputedAt, r.confirmedAt,
          recordPositions[i]!, auditSeq, r.fourEyes ? 1 : null,
        ].map(copyValue).join('\t') + '\n',
      );
      await pipeline(Readable.from(chunks(lines, 1000).map((c) => c.join(''))), client.query(copyFrom(COPY_RECORDS)));
    }
    for (let i = 0; this.options.recordsWrite === 'unnest' && i < records.length; i += ROWS_PER_STATEMENT_MAX) {
      const part = records.slice(i, i + ROWS_PER_STATEMENT_MAX);
      // A subject neither stored nor in the write fails the foreign key: thrown, rolled back.
      await run(client, 'insertRecords', [
        part.map((r) => r.subject),
        seqs.slice(i, i + part.length),
        part.map((r) => r.id),
        part.map((r) => r.source),
        part.map((r) => r.sourceRecordId),
        part.map((r) => r.type),
        part.map((r) => r.occurredAt),
        part.map((r) => r.recordedAt),
        part.map((r) => JSON.stringify(r.payload)),
        part.map((r) => JSON.stringify(r.evidence)),
        part.map((r) => r.revokes ?? null),
        part.map((r) => r.revokedAt ?? null),
        part.map((r) => r.revokedBy ?? null),
        part.map((r) => r.disputedAt ?? null),
        part.map((r) => r.confirmedAt ?? null),
        recordPositions.slice(i, i + part.length),
        part.map(() => auditSeq),
        part.map((r) => (r.fourEyes ? 1 : null)),
      ]);
    }
    for (const part of chunks(write.revocations, ROWS_PER_STATEMENT_MAX)) {
      const res = await run<{ id: string }>(client, 'revoke', [
        part.map((v) => v.recordId),
        part.map((v) => v.revokedAt),
        part.map((v) => v.revokedBy),
      ]);
      const updated = new Set(res.rows.map((r) => r.id));
      const missing = part.find((v) => !updated.has(v.recordId));
      if (missing) throw new Error(`commit: revoked record ${missing.recordId} does not exist`);
    }
    await upsertCases(client, write.cases ?? []);
    await upsertStates(client, write.states.map((st) => ({ ...st, position: positions.get(st.subject) ?? 0 })));
    await insertNotices(client, 'commit', notices);
    return { inserted: records.map((r) => r.id), conflicts: [], stale: [], ...(audit ? { audit } : {}) };
  }

  async annotate(w: AnnotationWrite): Promise<{ stale: boolean; audit: AuditEntry[] }> {
    return this.tx<{ stale: boolean; audit: AuditEntry[] }>(async (client) => {
      for (const { recordId } of w.marks) {
        const subject = (await run<{ subject: string }>(client, 'recordSubject', [recordId])).rows[0]?.subject;
        if (subject === undefined) throw new Error(`annotate: no record ${recordId}`);
        if (subject !== w.subject) throw new Error(`annotate: record ${recordId} is about ${subject}, not ${w.subject}`);
      }
      const other = [...w.states, ...w.cases].find((x) => x.subject !== w.subject);
      if (other) throw new Error(`annotate: a state or case of ${other.subject} in a write of ${w.subject}`);
      // Notices are about the annotated subject, with ids not yet stored (refused even when stale).
      const notices = w.notices ?? [];
      checkNotices('annotate', notices, (id) => id === w.subject);
      for (const chunk of chunks(notices.map((n) => n.id), IDS_PER_READ_MAX)) {
        const taken = (await run<{ id: string }>(client, 'existingNoticeIds', [chunk])).rows[0];
        if (taken !== undefined) throw new Error(`annotate: notice id ${taken.id} is not unique`);
      }
      // The same check-and-move as a commit's: not returned means the stream moved.
      const moved = await run<{ id: string }>(client, 'moveSubjects', [[w.subject], [w.expected], [w.expected + 1]]);
      if (moved.rows.length === 0) return { rollback: { stale: true, audit: [] } };
      if (w.purge) await purge(client, w.subject, w.purge);
      for (const { recordId, mark } of w.marks) {
        const sets = Object.entries(mark).filter(([, v]) => v !== undefined);
        if (sets.length === 0) continue;
        const assignments = sets.map(([k], i) => `${MARK_COLUMNS[k as keyof typeof MARK_COLUMNS]} = $${i + 2}::bigint`).join(', ');
        await client.query(
          `UPDATE records r SET ${assignments} FROM record_ids k WHERE k.id = $1 AND r.subject = k.subject AND r.seq = k.seq`,
          [recordId, ...sets.map(([, v]) => v)],
        );
      }
      await upsertCases(client, w.cases);
      await upsertStates(client, w.states.map((st) => ({ ...st, position: w.expected + 1 })));
      const audit = w.audit.length > 0 ? await this.appendAuditInTx(client, w.audit) : [];
      await insertNotices(client, 'annotate', notices);
      return { stale: false, audit };
    });
  }

  // -------------------------------------------------------------------------------------
  // Notices and webhook deliveries

  async listNotices(q: NoticeQuery, afterSeq: number, limit: number): Promise<NoticeRow[]> {
    checkLimit(limit);
    const { where, params } = noticeWhere(q, afterSeq);
    const res = await this.pool.query<NoticeDbRow<Record<string, unknown>>>(`SELECT * FROM notices ${where} ORDER BY seq LIMIT $${params.length + 1}`, [...params, limit]);
    return res.rows.map((r) => noticeFromRow(r, (v) => v));
  }

  async countNotices(q: NoticeQuery): Promise<number> {
    const { where, params } = noticeWhere(q, null);
    const res = await this.pool.query<{ n: number }>(`SELECT count(*) AS n FROM notices ${where}`, params);
    return res.rows[0]!.n;
  }

  async lastNoticeSeq(): Promise<number> {
    return (await run<{ seq: number }>(this.pool, 'lastNoticeSeq')).rows[0]!.seq;
  }

  async getNotice(id: string): Promise<NoticeRow | null> {
    const row = (await run<NoticeDbRow<Record<string, unknown>>>(this.pool, 'getNotice', [id])).rows[0];
    return row === undefined ? null : noticeFromRow(row, (v) => v);
  }

  async markNoticeRead(id: string, at: number): Promise<boolean> {
    return (await run(this.pool, 'markNoticeRead', [id, at])).rows.length > 0;
  }

  async addWebhook(e: WebhookEndpoint): Promise<void> {
    const res = await run(this.pool, 'addWebhook', [
      e.id, e.url, e.secret, e.recipient, e.kinds === null ? null : JSON.stringify(e.kinds), e.description, e.createdAt, e.disabledAt, e.cursor,
    ]);
    if (res.rows.length === 0) throw new Error(`addWebhook: endpoint ${e.id} exists`);
  }

  async listWebhooks(): Promise<WebhookEndpoint[]> {
    return (await run<WebhookDbRow<string[]>>(this.pool, 'listWebhooks')).rows.map((r) => webhookFromRow(r, (v) => v));
  }

  async getWebhook(id: string): Promise<WebhookEndpoint | null> {
    const row = (await run<WebhookDbRow<string[]>>(this.pool, 'getWebhook', [id])).rows[0];
    return row === undefined ? null : webhookFromRow(row, (v) => v);
  }

  async disableWebhook(id: string, at: number): Promise<boolean> {
    return this.tx(async (client) => {
      if ((await run(client, 'disableWebhook', [id, at])).rows.length === 0) return false;
      await run(client, 'stopDeliveries', [id]);
      return true;
    });
  }

  async fanOut(endpoint: string, from: number, to: number, notices: { seq: number; id: string }[], at: number): Promise<boolean> {
    return this.tx<boolean>(async (client) => {
      // The cursor checked and moved in one statement, which locks the row to COMMIT.
      const moved = (await run(client, 'moveCursor', [endpoint, from, to])).rows.length > 0;
      if (!moved && (await run(client, 'webhookExists', [endpoint])).rows.length === 0) throw new Error(`fanOut: no endpoint ${endpoint}`);
      for (const n of notices) if (n.seq <= from || n.seq > to) throw new Error(`fanOut: notice ${n.seq} is outside (${from}, ${to}]`);
      if (!moved) return { rollback: false };
      for (const part of chunks(notices, ROWS_PER_STATEMENT_MAX)) {
        await run(client, 'insertDeliveries', [endpoint, at, part.map((n) => n.seq), part.map((n) => n.id)]);
      }
      return true;
    });
  }

  async claimDeliveries(at: number, leaseMs: number, limit: number): Promise<DeliveryRow[]> {
    checkLimit(limit);
    const rows = (await run<DeliveryDbRow>(this.pool, 'claimDeliveries', [at, at + leaseMs, limit])).rows.map(deliveryFromRow);
    return rows.sort((a, b) => a.noticeSeq - b.noticeSeq || byString(a.endpoint, b.endpoint));
  }

  async recordAttempt(endpoint: string, noticeSeq: number, a: DeliveryAttempt): Promise<void> {
    const res = await run(this.pool, 'recordAttempt', [endpoint, noticeSeq, a.status, a.attempts, a.nextAt, a.lastStatus, a.lastError, a.deliveredAt]);
    if (res.rows.length === 0) throw new Error(`recordAttempt: no delivery of notice ${noticeSeq} to ${endpoint}`);
  }

  async listDeliveries(q: { endpoint?: string; status?: DeliveryStatus; noticeSeq?: number }, afterSeq: number, limit: number): Promise<DeliveryRow[]> {
    checkLimit(limit);
    const { where, params } = deliveryWhere(q, afterSeq);
    const res = await this.pool.query<DeliveryDbRow>(
      `SELECT * FROM webhook_deliveries ${where} ORDER BY notice_seq, endpoint LIMIT $${params.length + 1}`,
      [...params, limit],
    );
    return res.rows.map(deliveryFromRow);
  }

  async countDeliveries(q: { endpoint?: string; status?: DeliveryStatus }): Promise<number> {
    const { where, params } = deliveryWhere(q, null);
    const res = await this.pool.query<{ n: number }>(`SELECT count(*) AS n FROM webhook_deliveries ${where}`, params);
    return res.rows[0]!.n;
  }

  async replayDeliveries(endpoint: string, q: { status: DeliveryStatus; fromSeq?: number }, at: number): Promise<number> {
    return (await run(this.pool, 'replayDeliveries', [endpoint, q.status, q.fromSeq ?? 0, at])).rowCount ?? 0;
  }

  // -------------------------------------------------------------------------------------
  // Cases

  async getCase(id: string): Promise<CaseRow | null> {
    const row = (await run<CaseDbRow>(this.pool, 'getCase', [id])).rows[0];
    return row === undefined ? null : caseFromRow(row);
  }

  async listCases(q: CaseQuery, after: string | null, limit: number): Promise<CaseRow[]> {
    checkLimit(limit);
    const { where, params } = caseWhere(q, after, (n) => `$${n}`);
    const res = await this.pool.query<CaseDbRow>(`SELECT * FROM cases ${where} ORDER BY id LIMIT $${params.length + 1}`, [...params, limit]);
    return res.rows.map(caseFromRow);
  }

  async countCases(q: CaseQuery): Promise<number> {
    const { where, params } = caseWhere(q, null, (n) => `$${n}`);
    const res = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM cases ${where}`, params);
    return Number(res.rows[0]!.n);
  }

  // -------------------------------------------------------------------------------------
  // Materialised states

  async getStates(subject: SubjectId): Promise<SubjectState[]> {
    return (await run<StateRow>(this.pool, 'getStates', [subject])).rows.map(stateFromRow);
  }

  async getStatesFor(ids: SubjectId[], scheme: SchemeKey): Promise<Map<SubjectId, SubjectState>> {
    const out = new Map<SubjectId, SubjectState>();
    for (const chunk of chunks(uniqueIds(ids), IDS_PER_READ_MAX)) {
      for (const r of (await run<StateRow>(this.pool, 'getStatesFor', [scheme, chunk])).rows) out.set(r.subject, stateFromRow(r));
    }
    return out;
  }

  async putStates(states: SubjectState[]): Promise<PutStatesResult> {
    if (states.length === 0) return { skipped: [] };
    return this.tx(async (client) => {
      // FOR SHARE: a commit moving one of these subjects waits until this write is done.
      const positions = await sharePositions(client, uniqueIds(states.map((st) => st.subject)));
      const { current, skipped } = currentStates(states, (id) => positions.get(id));
      await upsertStates(client, current);
      return { skipped };
    });
  }

  async clearStates(scheme: SchemeKey): Promise<void> {
    await run(this.pool, 'clearStates', [scheme]);
  }

  async gradeDistribution(scheme: SchemeKey): Promise<Record<string, number>> {
    const rows = (await run<{ grade: string; n: number }>(this.pool, 'gradeDistribution', [scheme])).rows;
    const out: Record<string, number> = {};
    for (const r of rows) out[r.grade] = r.n;
    return out;
  }

  async staleStates(scheme: SchemeKey, at: number, limit: number): Promise<SubjectId[]> {
    checkLimit(limit);
    const rows = (await run<{ subject: string }>(this.pool, 'staleStates', [scheme, at, limit])).rows;
    return rows.map((r) => r.subject);
  }

  // -------------------------------------------------------------------------------------
  // Audit log

  async auditHead(): Promise<{ seq: number; hash: string } | null> {
    return (await run<{ seq: number; hash: string }>(this.pool, 'auditHead')).rows[0] ?? null;
  }

  async appendAudit(inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    if (inputs.length === 0) return [];
    return this.tx((client) => this.appendAuditInTx(client, inputs));
  }

  /** Chains and inserts audit entries inside the caller's transaction. */
  private async appendAuditInTx(client: PoolClient, inputs: AuditEntryInput[]): Promise<AuditEntry[]> {
    // Serialises every appender, in every process, for this transaction's lifetime.
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY.audit]);
    const head = (await run<{ seq: number; hash: string }>(client, 'auditHead')).rows[0] ?? null;
    const entries = chainEntries(head, inputs);
    for (const part of chunks(entries, ROWS_PER_STATEMENT_MAX)) {
      await run(client, 'insertAudit', [
        part.map((e) => e.seq),
        part.map((e) => e.at),
        part.map((e) => e.actor),
        part.map((e) => e.action),
        part.map((e) => e.subject ?? null),
        part.map((e) => JSON.stringify(e.detail)),
        part.map((e) => e.prevHash),
        part.map((e) => e.hash),
      ]);
    }
    return entries;
  }

  async readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    checkLimit(limit);
    return (await run<AuditRow>(this.pool, 'readAudit', [afterSeq, limit])).rows.map(auditFromRow);
  }

  async auditOfSubject(subject: SubjectId, limit: number): Promise<AuditEntry[]> {
    checkLimit(limit);
    return (await run<AuditRow>(this.pool, 'auditOfSubject', [subject, limit])).rows.map(auditFromRow);
  }
}
