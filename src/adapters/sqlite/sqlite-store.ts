// SQLite store adapter (the embedded default), on better-sqlite3 12.x. The port is async so
// PostgreSQL fits it; here every method body runs synchronously inside one async call, so
// calls from one process never interleave, and IMMEDIATE transactions plus busy_timeout
// serialise writers across processes.
//
// Durability: WAL with synchronous=FULL, so a transaction is fsynced when it commits and
// commit() resolves only after that; a write that was acknowledged survives a crash.
// Schema and the measured choice of the records layout: sqlite-migrations.ts.
import { auditFromRow, caseFromRow, catalogueBody, catalogueFromBody, caseWhere, currentStates, deliveryFromRow, MARK_COLUMNS, noticeFromRow, webhookFromRow, type CaseDbRow, type DeliveryDbRow, type NoticeDbRow, type WebhookDbRow, recordFromRow, stateFromRow, subjectFromRow, type AuditRow, type CatalogueBody, type RecordRow, type StateRow, type SubjectRow } from '../sql-rows.ts';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
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
  AuditEntry,
  AuditEntryInput,
  CaseQuery,
  CaseRow,
  CommitResult,
  DeliveryAttempt,
  DeliveryRow,
  DeliveryStatus,
  NoticeInput,
  NoticeQuery,
  NoticeRow,
  PutStatesResult,
  RetentionQuery,
  RecordCoverage,
  RecordWrite,
  SchemeRow,
  Store,
  SubjectState,
  WebhookEndpoint,
} from '../../ports/store.ts';
import { caseRecord } from '../../ports/store.ts';
import { migrate as applyMigrations, migrationStatus } from './sqlite-migrations.ts';

// ---------------------------------------------------------------------------------------
// The subset of better-sqlite3 this adapter uses (declared here, Kysely habit), so the
// adapter's dependence on the driver is visible and small.

export interface SqliteRunResult {
  changes: number;
}

export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface SqliteTransaction<A extends unknown[], R> {
  (...args: A): R;
  /** BEGIN IMMEDIATE: takes the write lock at the start, so read-then-write is safe. */
  immediate(...args: A): R;
}

export interface SqliteDb {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R>;
  close(): unknown;
}

type SqliteDbConstructor = new (filename: string) => SqliteDb;
const Database = BetterSqlite3 as unknown as SqliteDbConstructor;

// ---------------------------------------------------------------------------------------
// Limits

/** Longest IN list bound in one statement; longer id lists are read in chunks. */
const IN_LIST_LENGTH_MAX = 500;
/** IN-list statements are prepared for these lengths only (the list is padded with NULLs). */
const IN_LIST_LENGTHS = [1, 2, 4, 8, 16, 32, 64, 128, 256, IN_LIST_LENGTH_MAX];
const BUSY_TIMEOUT_MS = 5000;
/** Page cache in KiB (negative = KiB in SQLite's cache_size): 64 MiB. */
const CACHE_SIZE_KIB = 65536;

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
}

// ---------------------------------------------------------------------------------------
// Statements, prepared once (after the schema exists)

function prepareStatements(db: SqliteDb) {
  return {
    saveCatalogue: db.prepare(
      `INSERT INTO catalogue (id, version, body) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body`,
    ),
    loadCatalogue: db.prepare(`SELECT body FROM catalogue WHERE id = 1`),
    saveScheme: db.prepare(
      `INSERT INTO schemes (id, version, status, published_at, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id, version) DO UPDATE SET
         status = excluded.status, published_at = excluded.published_at, body = excluded.body`,
    ),
    listSchemes: db.prepare(`SELECT published_at, body FROM schemes ORDER BY id, version`),
    getSubject: db.prepare(`SELECT * FROM subjects WHERE id = ?`),
    listSubjectIdsFirst: db.prepare(`SELECT id FROM subjects ORDER BY id LIMIT ?`),
    listSubjectIdsAfter: db.prepare(`SELECT id FROM subjects WHERE id > ? ORDER BY id LIMIT ?`),
    countSubjects: db.prepare(`SELECT count(*) AS n FROM subjects`),
    insertSubject: db.prepare(
      `INSERT OR IGNORE INTO subjects (id, kind, id_scheme, display_name, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    recordExists: db.prepare(`SELECT 1 AS one FROM records WHERE id = ?`),
    position: db.prepare(`SELECT position FROM subjects WHERE id = ?`),
    setPosition: db.prepare(`UPDATE subjects SET position = ? WHERE id = ?`),
    recordCoverage: db.prepare(`SELECT seq, id, audit_seq FROM records WHERE seq > ? ORDER BY seq LIMIT ?`),
    getRecord: db.prepare(`SELECT * FROM records WHERE id = ?`),
    countRecords: db.prepare(`SELECT count(*) AS n FROM records`),
    maxSeq: db.prepare(`SELECT coalesce(max(seq), 0) AS m FROM records`),
    insertRecord: db.prepare(
      `INSERT INTO records (seq, id, source, source_record_id, subject, type, occurred_at, recorded_at,
         payload, evidence, revokes, revoked_at, revoked_by, disputed_at, confirmed_at, position, audit_seq, four_eyes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    revoke: db.prepare(`UPDATE records SET revoked_at = ?, revoked_by = ? WHERE id = ?`),
    upsertCase: db.prepare(
      `INSERT INTO cases (id, kind, subject, status, due_at, assignee, record, created_at, updated_at, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET
         status = excluded.status, due_at = excluded.due_at, assignee = excluded.assignee,
         record = excluded.record, updated_at = excluded.updated_at, body = excluded.body`,
    ),
    getCase: db.prepare(`SELECT * FROM cases WHERE id = ?`),
    purgeRecord: db.prepare(`DELETE FROM records WHERE id = ? AND subject = ?`),
    purgeCase: db.prepare(`DELETE FROM cases WHERE id = ? AND subject = ?`),
    purgeNotice: db.prepare(`DELETE FROM notices WHERE id = ? AND subject = ? RETURNING seq`),
    purgeDeliveries: db.prepare(`DELETE FROM webhook_deliveries WHERE notice_seq = ?`),
    upsertState: db.prepare(
      `INSERT INTO subject_states (subject, scheme, score, grade, computed_at, valid_until, ledger, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (subject, scheme) DO UPDATE SET
         score = excluded.score, grade = excluded.grade, computed_at = excluded.computed_at,
         valid_until = excluded.valid_until, ledger = excluded.ledger, position = excluded.position`,
    ),
    // Only states at their subject's current stream position: the others are stale caches.
    getStates: db.prepare(
      `SELECT st.* FROM subject_states st JOIN subjects s ON s.id = st.subject AND s.position = st.position
       WHERE st.subject = ? ORDER BY st.scheme`,
    ),
    clearStates: db.prepare(`DELETE FROM subject_states WHERE scheme = ?`),
    gradeDistribution: db.prepare(
      `SELECT grade, count(*) AS n FROM subject_states WHERE scheme = ? GROUP BY grade`,
    ),
    staleStates: db.prepare(
      `SELECT subject FROM subject_states
       WHERE scheme = ? AND valid_until IS NOT NULL AND valid_until <= ?
       ORDER BY valid_until, subject LIMIT ?`,
    ),
    auditHead: db.prepare(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`),
    insertAudit: db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    readAudit: db.prepare(`SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`),
    auditOfSubject: db.prepare(
      `SELECT * FROM audit_log WHERE subject = ? ORDER BY seq DESC LIMIT ?`,
    ),
    // seq is left to AUTOINCREMENT: assigned inside the writer's transaction, so notices
    // take seqs in commit order, and a rolled-back write hands none out.
    insertNotice: db.prepare(
      `INSERT INTO notices (id, subject, recipient, kind, created_at, body) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    noticeExists: db.prepare(`SELECT 1 AS one FROM notices WHERE id = ?`),
    getNotice: db.prepare(`SELECT * FROM notices WHERE id = ?`),
    // seq is the rowid: max() reads the last row of the table b-tree, no scan.
    lastNoticeSeq: db.prepare(`SELECT coalesce(max(seq), 0) AS m FROM notices`),
    // coalesce keeps the first time; changes counts the matched row even when it was read.
    markNoticeRead: db.prepare(`UPDATE notices SET read_at = coalesce(read_at, ?) WHERE id = ?`),
    // DO NOTHING rather than a constraint error, so the refusal names the endpoint.
    insertWebhook: db.prepare(
      `INSERT INTO webhook_endpoints (id, url, secret, recipient, kinds, description, created_at, disabled_at, cursor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    ),
    listWebhooks: db.prepare(`SELECT * FROM webhook_endpoints ORDER BY id`),
    getWebhook: db.prepare(`SELECT * FROM webhook_endpoints WHERE id = ?`),
    disableWebhook: db.prepare(`UPDATE webhook_endpoints SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL`),
    killPendingDeliveries: db.prepare(
      `UPDATE webhook_deliveries SET status = 'dead', next_at = NULL, lease_until = NULL, last_error = 'endpoint disabled'
       WHERE endpoint = ? AND status = 'pending'`,
    ),
    webhookCursor: db.prepare(`SELECT cursor FROM webhook_endpoints WHERE id = ?`),
    moveCursor: db.prepare(`UPDATE webhook_endpoints SET cursor = ? WHERE id = ?`),
    // A delivery already there (the same notice fanned out again) is kept as it is.
    insertDelivery: db.prepare(
      `INSERT INTO webhook_deliveries (endpoint, notice_seq, notice_id, status, attempts, next_at, created_at)
       VALUES (?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (endpoint, notice_seq) DO NOTHING`,
    ),
    dueDeliveries: db.prepare(
      `SELECT * FROM webhook_deliveries
       WHERE status = 'pending' AND next_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
       ORDER BY notice_seq, endpoint LIMIT ?`,
    ),
    leaseDelivery: db.prepare(`UPDATE webhook_deliveries SET lease_until = ? WHERE endpoint = ? AND notice_seq = ?`),
    recordAttempt: db.prepare(
      `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_at = ?, last_status = ?, last_error = ?,
         delivered_at = ?, lease_until = NULL
       WHERE endpoint = ? AND notice_seq = ?`,
    ),
    // As the in-memory twin: the last outcome (status, error, deliveredAt) stays for the record.
    replayDeliveries: db.prepare(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_at = ?, lease_until = NULL
       WHERE endpoint = ? AND status = ? AND notice_seq >= ?`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** IN-list queries, one statement per padded length (see IN_LIST_LENGTHS). */
const IN_LIST_QUERIES = {
  subjects: (list: string) => `SELECT * FROM subjects WHERE id IN (${list})`,
  existingRecords: (list: string) => `SELECT id FROM records WHERE id IN (${list})`,
  auditSeqs: (list: string) => `SELECT id, audit_seq FROM records WHERE id IN (${list})`,
  records: (list: string) => `SELECT * FROM records WHERE id IN (${list})`,
  positions: (list: string) => `SELECT id, position FROM subjects WHERE id IN (${list})`,
  recordsOfSubjects: (list: string) =>
    `SELECT * FROM records WHERE subject IN (${list}) ORDER BY subject, seq`,
  statesFor: (list: string) =>
    `SELECT st.* FROM subject_states st JOIN subjects s ON s.id = st.subject AND s.position = st.position
     WHERE st.scheme = ? AND st.subject IN (${list})`,
} as const;
type InListQuery = keyof typeof IN_LIST_QUERIES;

function uniqueIds<T>(ids: T[]): T[] {
  return [...new Set(ids)];
}

// ---------------------------------------------------------------------------------------
// Notices and webhook rows

/** A filter of a query: its SQL and the values of its placeholders. */
type Filter = [sql: string, ...params: unknown[]];

/** A WHERE clause of the filters given; each shape of query is one cached statement. */
function whereOf(filters: Filter[]): { where: string; params: unknown[] } {
  return {
    where: filters.length > 0 ? `WHERE ${filters.map(([sql]) => sql).join(' AND ')}` : '',
    params: filters.flatMap(([, ...params]) => params),
  };
}

function noticeWhere(q: NoticeQuery, afterSeq: number | null): { where: string; params: unknown[] } {
  const filters: Filter[] = [];
  if (q.subject !== undefined) filters.push(['subject = ?', q.subject]);
  if (q.recipient !== undefined) filters.push(['recipient = ?', q.recipient]);
  if (q.unread) filters.push(['read_at IS NULL']);
  if (afterSeq !== null) filters.push(['seq > ?', afterSeq]);
  return whereOf(filters);
}

function deliveryWhere(q: { endpoint?: string; status?: DeliveryStatus; noticeSeq?: number }, afterSeq: number | null): { where: string; params: unknown[] } {
  const filters: Filter[] = [];
  if (q.endpoint !== undefined) filters.push(['endpoint = ?', q.endpoint]);
  if (q.status !== undefined) filters.push(['status = ?', q.status]);
  if (q.noticeSeq !== undefined) filters.push(['notice_seq = ?', q.noticeSeq]);
  if (afterSeq !== null) filters.push(['notice_seq > ?', afterSeq]);
  return whereOf(filters);
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private statements: Statements | null = null;
  private readonly inListStatements = new Map<string, SqliteStatement>();
  /** Statements of filtered reads (notices, deliveries), one per shape of query. */
  private readonly queryStatements = new Map<string, SqliteStatement>();
  private readonly commitTx: SqliteTransaction<[RecordWrite], CommitResult>;
  private readonly annotateTx: SqliteTransaction<[AnnotationWrite], { stale: boolean; audit: AuditEntry[] }>;
  private readonly putStatesTx: SqliteTransaction<[SubjectState[]], PutStatesResult>;
  private readonly appendAuditTx: SqliteTransaction<[AuditEntryInput[]], AuditEntry[]>;
  private readonly disableWebhookTx: SqliteTransaction<[string, number], boolean>;
  private readonly fanOutTx: SqliteTransaction<[string, number, number, { seq: number; id: string }[], number], boolean>;
  private readonly claimDeliveriesTx: SqliteTransaction<[number, number, number], DeliveryRow[]>;

  private constructor(private readonly db: SqliteDb) {
    this.commitTx = db.transaction((write: RecordWrite) => this.commitInTx(write));
    this.annotateTx = db.transaction((w: AnnotationWrite) => {
      const s = this.s();
      for (const { recordId } of w.marks) {
        const row = s.getRecord.get(recordId) as RecordRow | undefined;
        if (row === undefined) throw new Error(`annotate: no record ${recordId}`);
        if (row.subject !== w.subject) throw new Error(`annotate: record ${recordId} is about ${row.subject}, not ${w.subject}`);
      }
      const other = [...w.states, ...w.cases].find((x) => x.subject !== w.subject);
      if (other) throw new Error(`annotate: a state or case of ${other.subject} in a write of ${w.subject}`);
      const current = this.storedPosition(w.subject);
      if (current === undefined) throw new Error(`annotate: unknown subject ${w.subject}`);
      // Before the stale check, as the in-memory twin: a bad notice is a bug even in a stale write.
      this.checkNotices('annotate', w.notices ?? [], (id) => id === w.subject);
      if (current !== w.expected) return { stale: true, audit: [] };
      if (w.purge) {
        // Each delete names the subject: an id of another subject (or none) deletes nothing and throws, rolling back.
        for (const id of w.purge.records) if (s.purgeRecord.run(id, w.subject).changes === 0) throw new Error(`annotate: purge of record ${id}, which is not a record of ${w.subject}`);
        for (const id of w.purge.cases) if (s.purgeCase.run(id, w.subject).changes === 0) throw new Error(`annotate: purge of case ${id}, which is not a case of ${w.subject}`);
        for (const id of w.purge.notices) {
          const row = s.purgeNotice.get(id, w.subject) as { seq: number } | undefined;
          if (row === undefined) throw new Error(`annotate: purge of notice ${id}, which is not a notice about ${w.subject}`);
          s.purgeDeliveries.run(row.seq);
        }
      }
      for (const { recordId, mark } of w.marks) {
        const sets = Object.entries(mark).filter(([, v]) => v !== undefined);
        if (sets.length === 0) continue;
        const sql = `UPDATE records SET ${sets.map(([k]) => `${MARK_COLUMNS[k as keyof typeof MARK_COLUMNS]} = ?`).join(', ')} WHERE id = ?`;
        this.db.prepare(sql).run(...sets.map(([, v]) => v), recordId);
      }
      this.upsertCases(w.cases);
      s.setPosition.run(w.expected + 1, w.subject);
      this.upsertStates(w.states.map((st) => ({ ...st, position: w.expected + 1 })));
      const audit = this.appendAuditInTx(w.audit);
      this.insertNotices(w.notices ?? []);
      return { stale: false, audit };
    });
    this.putStatesTx = db.transaction((states: SubjectState[]) => {
      const { current, skipped } = currentStates(states, (id) => this.storedPosition(id));
      this.upsertStates(current);
      return { skipped };
    });
    this.appendAuditTx = db.transaction((inputs: AuditEntryInput[]) => this.appendAuditInTx(inputs));
    this.disableWebhookTx = db.transaction((id: string, at: number) => {
      const s = this.s();
      if (s.disableWebhook.run(at, id).changes === 0) return false;
      s.killPendingDeliveries.run(id);
      return true;
    });
    this.fanOutTx = db.transaction((endpoint: string, from: number, to: number, notices: { seq: number; id: string }[], at: number) => {
      const s = this.s();
      const row = s.webhookCursor.get(endpoint) as { cursor: number } | undefined;
      if (row === undefined) throw new Error(`fanOut: no endpoint ${endpoint}`);
      for (const n of notices) if (n.seq <= from || n.seq > to) throw new Error(`fanOut: notice ${n.seq} is outside (${from}, ${to}]`);
      // Read under the write lock (IMMEDIATE), so no dispatcher moves the cursor between the
      // compare and the set: a second one with the same `from` sees `to` and writes nothing.
      if (row.cursor !== from) return false;
      s.moveCursor.run(to, endpoint);
      for (const n of notices) s.insertDelivery.run(endpoint, n.seq, n.id, at, at);
      return true;
    });
    // Select and lease in one IMMEDIATE transaction: a second dispatcher waits for the lock
    // and then sees the leases, so no delivery is claimed twice.
    this.claimDeliveriesTx = db.transaction((at: number, leaseMs: number, limit: number) => {
      const s = this.s();
      const leaseUntil = at + leaseMs;
      const rows = (s.dueDeliveries.all(at, at, limit) as DeliveryDbRow[]).map(deliveryFromRow);
      for (const d of rows) {
        s.leaseDelivery.run(leaseUntil, d.endpoint, d.noticeSeq);
        d.leaseUntil = leaseUntil;
      }
      return rows;
    });
  }

  /**
   * The refusals of a write's notices (as the in-memory twin): an id stored already or twice
   * in the write, a notice about a subject the write may not tell of. Runs inside the write's
   * transaction before anything is written, so a throw leaves nothing behind.
   */
  private checkNotices(op: string, notices: NoticeInput[], known: (id: SubjectId) => boolean): void {
    const s = this.s();
    const ids = new Set<string>();
    for (const n of notices) {
      if (ids.has(n.id) || s.noticeExists.get(n.id) !== undefined) throw new Error(`${op}: notice id ${n.id} is not unique`);
      if (!known(n.subject)) throw new Error(`${op}: notice ${n.id} is about ${n.subject}, not a subject of this write`);
      ids.add(n.id);
    }
  }

  /** Appends notices (seq assigned here, in order); runs inside the write's transaction. */
  private insertNotices(notices: NoticeInput[]): void {
    const s = this.s();
    for (const n of notices) s.insertNotice.run(n.id, n.subject, n.recipient, n.kind, n.createdAt, JSON.stringify(n.body));
  }

  /** A filtered read's statement, prepared once per SQL text. */
  private query(sql: string): SqliteStatement {
    this.s();
    let stmt = this.queryStatements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.queryStatements.set(sql, stmt);
    }
    return stmt;
  }

  /** Chains and inserts audit entries; runs inside a write transaction. */
  private appendAuditInTx(inputs: AuditEntryInput[]): AuditEntry[] {
    const s = this.s();
    const head = (s.auditHead.get() as { seq: number; hash: string } | undefined) ?? null;
    const entries = chainEntries(head, inputs);
    for (const e of entries) {
      s.insertAudit.run(e.seq, e.at, e.actor, e.action, e.subject ?? null, JSON.stringify(e.detail), e.prevHash, e.hash);
    }
    return entries;
  }

  /** A stored subject's stream position, or undefined if the subject is not stored. */
  private storedPosition(id: SubjectId): number | undefined {
    return (this.s().position.get(id) as { position: number } | undefined)?.position;
  }

  private positionOf(id: SubjectId): number {
    return this.storedPosition(id) ?? 0;
  }

  /** Opens (creating the parent directory) a database file, or ':memory:'. Does not migrate. */
  static async open(file: string): Promise<SqliteStore> {
    if (file !== ':memory:' && file !== '' && !file.startsWith('file:')) {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    }
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma(`cache_size = -${CACHE_SIZE_KIB}`);
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db);
  }

  /** Statements, prepared on first use; a clear error if the schema was never migrated. */
  private s(): Statements {
    if (this.statements === null) {
      const pending = migrationStatus(this.db).pending.length;
      if (pending > 0) {
        throw new Error(`SQLite schema has ${pending} pending migration(s): run migrate() first`);
      }
      this.statements = prepareStatements(this.db);
    }
    return this.statements;
  }

  /** Runs `query` over `ids` in chunks of at most IN_LIST_LENGTH_MAX, padding each with NULLs. */
  private inList<R>(query: InListQuery, ids: string[], leading: unknown[] = []): R[] {
    this.s();
    const out: R[] = [];
    for (let i = 0; i < ids.length; i += IN_LIST_LENGTH_MAX) {
      const chunk = ids.slice(i, i + IN_LIST_LENGTH_MAX);
      const length = IN_LIST_LENGTHS.find((n) => n >= chunk.length) ?? IN_LIST_LENGTH_MAX;
      const key = `${query}:${length}`;
      let stmt = this.inListStatements.get(key);
      if (stmt === undefined) {
        stmt = this.db.prepare(IN_LIST_QUERIES[query](new Array(length).fill('?').join(', ')));
        this.inListStatements.set(key, stmt);
      }
      const params: unknown[] = [...leading, ...chunk];
      for (let k = chunk.length; k < length; k++) params.push(null);
      for (const row of stmt.all(...params)) out.push(row as R);
    }
    return out;
  }

  async migrate(): Promise<void> {
    applyMigrations(this.db);
    this.statements = null;
    this.inListStatements.clear();
    this.queryStatements.clear();
  }

  /** Migrations this code knows that the database has not applied yet. */
  /** The open connection, for adapters that share it (sqlite-access-store.ts). */
  sharedConnection(): SqliteDb {
    return this.db;
  }

  async pendingMigrations(): Promise<number> {
    return migrationStatus(this.db).pending.length;
  }

  async close(): Promise<void> {
    this.statements = null;
    this.inListStatements.clear();
    this.queryStatements.clear();
    this.db.close();
  }

  // -------------------------------------------------------------------------------------
  // Catalogue and schemes

  async saveCatalogue(catalogue: Catalogue): Promise<void> {
    const body = catalogueBody(catalogue);
    this.s().saveCatalogue.run(catalogue.version, JSON.stringify(body));
  }

  async loadCatalogue(): Promise<Catalogue | null> {
    const row = this.s().loadCatalogue.get() as { body: string } | undefined;
    if (row === undefined) return null;
    return catalogueFromBody(JSON.parse(row.body) as CatalogueBody);
  }

  async saveScheme(scheme: Scheme, publishedAt: number | null): Promise<void> {
    this.s().saveScheme.run(scheme.id, scheme.version, scheme.status, publishedAt, JSON.stringify(scheme));
  }

  async listSchemes(): Promise<SchemeRow[]> {
    const rows = this.s().listSchemes.all() as { published_at: number | null; body: string }[];
    return rows.map((r) => ({ scheme: JSON.parse(r.body) as Scheme, publishedAt: r.published_at }));
  }

  // -------------------------------------------------------------------------------------
  // Subjects

  async getSubject(id: SubjectId): Promise<Subject | null> {
    const row = this.s().getSubject.get(id) as SubjectRow | undefined;
    return row === undefined ? null : subjectFromRow(row);
  }

  async getSubjects(ids: SubjectId[]): Promise<Map<SubjectId, Subject>> {
    const rows = this.inList<SubjectRow>('subjects', uniqueIds(ids));
    return new Map(rows.map((r) => [r.id, subjectFromRow(r)]));
  }

  async listSubjectIds(after: SubjectId | null, limit: number): Promise<SubjectId[]> {
    checkLimit(limit);
    const s = this.s();
    const rows = (
      after === null ? s.listSubjectIdsFirst.all(limit) : s.listSubjectIdsAfter.all(after, limit)
    ) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async countSubjects(): Promise<number> {
    return (this.s().countSubjects.get() as { n: number }).n;
  }

  async streamPositions(ids: SubjectId[]): Promise<Map<SubjectId, number>> {
    const rows = this.inList<{ id: string; position: number }>('positions', uniqueIds(ids));
    return new Map(rows.map((r) => [r.id, r.position]));
  }

  // -------------------------------------------------------------------------------------
  // Records

  async existingRecordIds(ids: string[]): Promise<Set<string>> {
    const rows = this.inList<{ id: string }>('existingRecords', uniqueIds(ids));
    return new Set(rows.map((r) => r.id));
  }

  async getRecords(ids: string[]): Promise<Map<string, StoredRecord>> {
    const rows = this.inList<RecordRow>('records', uniqueIds(ids));
    return new Map(rows.map((r) => [r.id, recordFromRow(r)]));
  }

  async auditSeqsOf(ids: string[]): Promise<Map<string, number | null>> {
    const rows = this.inList<{ id: string; audit_seq: number | null }>('auditSeqs', uniqueIds(ids));
    return new Map(rows.map((r) => [r.id, r.audit_seq]));
  }

  async retentionCandidates(q: RetentionQuery, after: SubjectId | null, limit: number): Promise<SubjectId[]> {
    checkLimit(limit);
    const parts: string[] = [];
    const params: unknown[] = [];
    for (const g of q.records) {
      if (g.types.length === 0) continue;
      parts.push(`SELECT subject FROM records WHERE type IN (${g.types.map(() => '?').join(', ')}) AND occurred_at < ?`);
      params.push(...g.types, g.before);
    }
    parts.push(`SELECT subject FROM notices WHERE created_at < ?`, `SELECT subject FROM cases WHERE created_at < ?`);
    params.push(q.namelessBefore, q.namelessBefore);
    const sql = `SELECT subject FROM (${parts.join(' UNION ')}) WHERE subject > ? ORDER BY subject LIMIT ?`;
    return (this.query(sql).all(...params, after ?? '', limit) as { subject: string }[]).map((r) => r.subject);
  }

  async recordCoverage(after: string | null, limit: number): Promise<{ rows: RecordCoverage[]; next: string | null }> {
    checkLimit(limit);
    const rows = this.s().recordCoverage.all(after === null ? 0 : Number(after), limit) as { seq: number; id: string; audit_seq: number | null }[];
    const out = rows.map((r) => ({ seq: r.seq, id: r.id, auditSeq: r.audit_seq }));
    return { rows: out, next: out.length === limit && limit > 0 ? String(out[out.length - 1]!.seq) : null };
  }

  async getRecord(id: string): Promise<StoredRecord | null> {
    const row = this.s().getRecord.get(id) as RecordRow | undefined;
    return row === undefined ? null : recordFromRow(row);
  }

  async recordsOfSubjects(ids: SubjectId[]): Promise<Map<SubjectId, StoredRecord[]>> {
    const unique = uniqueIds(ids);
    const out = new Map<SubjectId, StoredRecord[]>(unique.map((id) => [id, []]));
    for (const row of this.inList<RecordRow>('recordsOfSubjects', unique)) {
      out.get(row.subject)!.push(recordFromRow(row));
    }
    return out;
  }

  async countRecords(): Promise<number> {
    return (this.s().countRecords.get() as { n: number }).n;
  }

  async commit(write: RecordWrite): Promise<CommitResult> {
    const seen = new Set<string>();
    for (const r of write.records) {
      if (seen.has(r.id)) throw new Error(`commit: record id ${r.id} appears twice in one write`);
      seen.add(r.id);
    }
    return this.commitTx.immediate(write);
  }

  /** The body of commit(), inside the IMMEDIATE transaction; a throw rolls everything back. */
  private commitInTx(write: RecordWrite): CommitResult {
    const s = this.s();
    const touched = new Set<SubjectId>();
    for (const r of write.records) touched.add(r.subject);
    for (const st of write.states) touched.add(st.subject);
    const positions = new Map<SubjectId, number>();
    const stale: SubjectId[] = [];
    for (const id of touched) {
      const expected = write.expected[id];
      if (expected === undefined) throw new Error(`commit: subject ${id} is touched but has no expected stream position`);
      const position = this.positionOf(id);
      if (position !== expected) stale.push(id);
      positions.set(id, position);
    }
    const conflicts: string[] = [];
    for (const r of write.records) {
      if (s.recordExists.get(r.id) !== undefined) conflicts.push(r.id);
    }
    if (conflicts.length > 0 || stale.length > 0) return { inserted: [], conflicts, stale };
    // A notice tells of a subject stored or created by this write (as the in-memory twin).
    const newSubjects = new Set(write.subjects.map((subj) => subj.id));
    this.checkNotices('commit', write.notices ?? [], (id) => newSubjects.has(id) || this.storedPosition(id) !== undefined);

    for (const subj of write.subjects) {
      s.insertSubject.run(
        subj.id,
        subj.kind,
        subj.idScheme,
        subj.displayName ?? null,
        subj.createdAt,
      );
    }
    const audit = write.audit === undefined ? undefined : this.appendAuditInTx([write.audit])[0]!;
    let seq = (s.maxSeq.get() as { m: number }).m;
    for (const r of write.records) {
      seq += 1;
      const position = positions.get(r.subject)! + 1;
      positions.set(r.subject, position);
      s.insertRecord.run(
        seq,
        r.id,
        r.source,
        r.sourceRecordId,
        r.subject,
        r.type,
        r.occurredAt,
        r.recordedAt,
        JSON.stringify(r.payload),
        JSON.stringify(r.evidence),
        r.revokes ?? null,
        r.revokedAt ?? null,
        r.revokedBy ?? null,
        r.disputedAt ?? null,
        r.confirmedAt ?? null,
        position,
        audit?.seq ?? null,
        r.fourEyes ? 1 : null,
      );
    }
    for (const id of new Set(write.records.map((r) => r.subject))) s.setPosition.run(positions.get(id)!, id);
    for (const rev of write.revocations) {
      const res = s.revoke.run(rev.revokedAt, rev.revokedBy, rev.recordId);
      if (res.changes === 0) throw new Error(`commit: revoked record ${rev.recordId} does not exist`);
    }
    this.upsertCases(write.cases ?? []);
    this.upsertStates(write.states.map((st) => ({ ...st, position: positions.get(st.subject)! })));
    this.insertNotices(write.notices ?? []);
    return { inserted: write.records.map((r) => r.id), conflicts: [], stale: [], ...(audit ? { audit } : {}) };
  }

  async annotate(write: AnnotationWrite): Promise<{ stale: boolean; audit: AuditEntry[] }> {
    return this.annotateTx.immediate(write);
  }

  private upsertCases(cases: CaseRow[]): void {
    const s = this.s();
    for (const c of cases) {
      s.upsertCase.run(c.id, c.kind, c.subject, c.status, c.dueAt, c.assignee, caseRecord(c), c.createdAt, c.updatedAt, JSON.stringify(c.body));
    }
  }

  async getCase(id: string): Promise<CaseRow | null> {
    const row = this.s().getCase.get(id) as CaseDbRow | undefined;
    return row === undefined ? null : caseFromRow(row);
  }

  async listCases(q: CaseQuery, after: string | null, limit: number): Promise<CaseRow[]> {
    checkLimit(limit);
    this.s();
    const { where, params } = caseWhere(q, after, () => '?');
    return (this.db.prepare(`SELECT * FROM cases ${where} ORDER BY id LIMIT ?`).all(...params, limit) as CaseDbRow[]).map(caseFromRow);
  }

  async countCases(q: CaseQuery): Promise<number> {
    this.s();
    const { where, params } = caseWhere(q, null, () => '?');
    return (this.db.prepare(`SELECT count(*) AS n FROM cases ${where}`).get(...params) as { n: number }).n;
  }

  // -------------------------------------------------------------------------------------
  // Notices and webhook deliveries

  async listNotices(q: NoticeQuery, afterSeq: number, limit: number): Promise<NoticeRow[]> {
    checkLimit(limit);
    const { where, params } = noticeWhere(q, afterSeq);
    return (this.query(`SELECT * FROM notices ${where} ORDER BY seq LIMIT ?`).all(...params, limit) as NoticeDbRow[]).map((r) => noticeFromRow(r, JSON.parse));
  }

  async countNotices(q: NoticeQuery): Promise<number> {
    const { where, params } = noticeWhere(q, null);
    return (this.query(`SELECT count(*) AS n FROM notices ${where}`).get(...params) as { n: number }).n;
  }

  async lastNoticeSeq(): Promise<number> {
    return (this.s().lastNoticeSeq.get() as { m: number }).m;
  }

  async getNotice(id: string): Promise<NoticeRow | null> {
    const row = this.s().getNotice.get(id) as NoticeDbRow | undefined;
    return row === undefined ? null : noticeFromRow(row, JSON.parse);
  }

  async markNoticeRead(id: string, at: number): Promise<boolean> {
    return this.s().markNoticeRead.run(at, id).changes > 0;
  }

  async addWebhook(e: WebhookEndpoint): Promise<void> {
    const kinds = e.kinds === null ? null : JSON.stringify(e.kinds);
    const res = this.s().insertWebhook.run(e.id, e.url, e.secret, e.recipient, kinds, e.description, e.createdAt, e.disabledAt, e.cursor);
    if (res.changes === 0) throw new Error(`addWebhook: endpoint ${e.id} exists`);
  }

  async listWebhooks(): Promise<WebhookEndpoint[]> {
    return (this.s().listWebhooks.all() as WebhookDbRow[]).map((r) => webhookFromRow(r, JSON.parse));
  }

  async getWebhook(id: string): Promise<WebhookEndpoint | null> {
    const row = this.s().getWebhook.get(id) as WebhookDbRow | undefined;
    return row === undefined ? null : webhookFromRow(row, JSON.parse);
  }

  async disableWebhook(id: string, at: number): Promise<boolean> {
    return this.disableWebhookTx.immediate(id, at);
  }

  async fanOut(endpoint: string, from: number, to: number, notices: { seq: number; id: string }[], at: number): Promise<boolean> {
    return this.fanOutTx.immediate(endpoint, from, to, notices, at);
  }

  async claimDeliveries(at: number, leaseMs: number, limit: number): Promise<DeliveryRow[]> {
    checkLimit(limit);
    if (limit === 0) return [];
    return this.claimDeliveriesTx.immediate(at, leaseMs, limit);
  }

  async recordAttempt(endpoint: string, noticeSeq: number, attempt: DeliveryAttempt): Promise<void> {
    const a = attempt;
    const res = this.s().recordAttempt.run(a.status, a.attempts, a.nextAt, a.lastStatus, a.lastError, a.deliveredAt, endpoint, noticeSeq);
    if (res.changes === 0) throw new Error(`recordAttempt: no delivery of notice ${noticeSeq} to ${endpoint}`);
  }

  async listDeliveries(q: { endpoint?: string; status?: DeliveryStatus; noticeSeq?: number }, afterSeq: number, limit: number): Promise<DeliveryRow[]> {
    checkLimit(limit);
    const { where, params } = deliveryWhere(q, afterSeq);
    const sql = `SELECT * FROM webhook_deliveries ${where} ORDER BY notice_seq, endpoint LIMIT ?`;
    return (this.query(sql).all(...params, limit) as DeliveryDbRow[]).map(deliveryFromRow);
  }

  async countDeliveries(q: { endpoint?: string; status?: DeliveryStatus }): Promise<number> {
    const { where, params } = deliveryWhere(q, null);
    return (this.query(`SELECT count(*) AS n FROM webhook_deliveries ${where}`).get(...params) as { n: number }).n;
  }

  async replayDeliveries(endpoint: string, q: { status: DeliveryStatus; fromSeq?: number }, at: number): Promise<number> {
    return this.s().replayDeliveries.run(at, endpoint, q.status, q.fromSeq ?? 0).changes;
  }

  // -------------------------------------------------------------------------------------
  // Materialised states

  private upsertStates(states: SubjectState[]): void {
    const s = this.s();
    for (const st of states) {
      s.upsertState.run(
        st.subject,
        st.scheme,
        st.score,
        st.grade,
        st.computedAt,
        st.validUntil,
        JSON.stringify(st.ledger),
        st.position,
      );
    }
  }

  async getStates(subject: SubjectId): Promise<SubjectState[]> {
    return (this.s().getStates.all(subject) as StateRow[]).map(stateFromRow);
  }

  async getStatesFor(ids: SubjectId[], scheme: SchemeKey): Promise<Map<SubjectId, SubjectState>> {
    const rows = this.inList<StateRow>('statesFor', uniqueIds(ids), [scheme]);
    return new Map(rows.map((r) => [r.subject, stateFromRow(r)]));
  }

  async putStates(states: SubjectState[]): Promise<PutStatesResult> {
    if (states.length === 0) return { skipped: [] };
    return this.putStatesTx.immediate(states);
  }

  async clearStates(scheme: SchemeKey): Promise<void> {
    this.s().clearStates.run(scheme);
  }

  async gradeDistribution(scheme: SchemeKey): Promise<Record<string, number>> {
    const rows = this.s().gradeDistribution.all(scheme) as { grade: string; n: number }[];
    const out: Record<string, number> = {};
    for (const r of rows) out[r.grade] = r.n;
    return out;
  }

  async staleStates(scheme: SchemeKey, at: number, limit: number): Promise<SubjectId[]> {
    checkLimit(limit);
    const rows = this.s().staleStates.all(scheme, at, limit) as { subject: string }[];
    return rows.map((r) => r.subject);
  }

  // -------------------------------------------------------------------------------------
  // Audit log

  async auditHead(): Promise<{ seq: number; hash: string } | null> {
    return (this.s().auditHead.get() as { seq: number; hash: string } | undefined) ?? null;
  }

  async appendAudit(entries: AuditEntryInput[]): Promise<AuditEntry[]> {
    if (entries.length === 0) return [];
    return this.appendAuditTx.immediate(entries);
  }

  async readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    checkLimit(limit);
    return (this.s().readAudit.all(afterSeq, limit) as AuditRow[]).map(auditFromRow);
  }

  async auditOfSubject(subject: SubjectId, limit: number): Promise<AuditEntry[]> {
    checkLimit(limit);
    return (this.s().auditOfSubject.all(subject, limit) as AuditRow[]).map(auditFromRow);
  }
}
