// The store port: everything the use cases need from persistence. Asynchronous even where
// SQLite could answer synchronously, so that PostgreSQL fits the same port. Only adapters
// know SQL. Every adapter passes test/store.contract.ts.
import type {
  Catalogue,
  Scheme,
  SchemeKey,
  StoredRecord,
  Subject,
  SubjectId,
  SubjectLedger,
} from '../domain/types.ts';
import type { AuditEntry, AuditEntryInput } from '../domain/audit-chain.ts';
export type { AuditEntry, AuditEntryInput };

/**
 * Materialised per-subject state for one scheme: derived data, rebuildable from records, and
 * a cache. `position` is the subject's stream position the ledger reflects; a state behind its
 * subject's stream (a writer that did not know this scheme version appended since) is stale,
 * and the store does not return it: the use cases recompute from the records.
 */
export interface SubjectState {
  subject: SubjectId;
  scheme: SchemeKey;
  /** Stream position of the subject this ledger reflects (see Store.streamPositions). */
  position: number;
  ledger: SubjectLedger;
  /** Snapshot at `computedAt` (for stats and fast reads); refreshed when it passes `validUntil`. */
  score: number;
  grade: string;
  computedAt: number;
  /** Next instant the snapshot changes by time alone, or null. */
  validUntil: number | null;
}

/**
 * Annotations of a stored record (its facts never change): set (number) or clear (null),
 * an omitted mark stays as it is.
 */
export interface RecordMarks {
  disputedAt?: number | null;
  confirmedAt?: number | null;
  withdrawnAt?: number | null;
  approvedAt?: number | null;
  rejectedAt?: number | null;
  restoredAt?: number | null;
}

export const CASE_KINDS = ['dispute', 'review', 'restoration'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/**
 * A due-process case of one subject (a dispute; a review item: a community record awaiting
 * approval): a document (`body`, the app's) with the columns the queue filters on. Written
 * only with its subject's stream (commit, annotate), so two writers cannot lose a step.
 */
export interface CaseRow {
  id: string;
  kind: CaseKind;
  subject: SubjectId;
  status: string;
  /** When the next step is due (a source's answer, a reviewer's decision); null once closed. */
  dueAt: number | null;
  assignee: string | null;
  createdAt: number;
  updatedAt: number;
  body: Record<string, unknown>;
}

/** The record a case is about (a dispute of a record, a review item), or null (a dispute of a decision). */
export const caseRecord = (c: CaseRow): string | null => (typeof c.body.record === 'string' ? c.body.record : null);

export interface CaseQuery {
  kind?: CaseKind;
  /** Any of these statuses. */
  status?: readonly string[];
  subject?: SubjectId;
  assignee?: string;
  /** Only cases due before this instant (dueAt < dueBefore). */
  dueBefore?: number;
  /** Cases about this record (body.record). */
  record?: string;
}

/**
 * A change of a subject that appends no record: record annotations (dispute, confirmation,
 * withdrawal, review), cases, the states derived after them and their audit entries, in one
 * transaction that moves the subject's stream on by one.
 */
export interface AnnotationWrite {
  subject: SubjectId;
  /** The subject's stream position read before; if it moved, nothing is written (`stale`). */
  expected: number;
  marks: { recordId: string; mark: RecordMarks }[];
  /** Inserted or replaced by id. */
  cases: CaseRow[];
  states: Omit<SubjectState, 'position'>[];
  audit: AuditEntryInput[];
  /** Notices of this change (the outbox), written in the same transaction. */
  notices?: NoticeInput[];
  /**
   * Retention: this subject's records, cases and notices deleted for good, in the same
   * transaction (a deleted notice's webhook deliveries with it). Deleting an id that does not
   * exist or is of another subject is a bug (thrown, nothing written).
   */
  purge?: PurgeSet;
}

export interface PurgeSet {
  records: string[];
  cases: string[];
  notices: string[];
}

/**
 * Where to look for data past retention: records of these types that occurred before `before`
 * (one group per retention period), and notices and cases created before `namelessBefore`.
 */
export interface RetentionQuery {
  records: { types: string[]; before: number }[];
  namelessBefore: number;
}

/** New records to append (ids assigned by the app), plus revocations and dispute marks. */
export interface RecordWrite {
  records: Omit<StoredRecord, 'seq' | 'position'>[];
  /** Earlier records revoked by records in this write. */
  revocations: { recordId: string; revokedAt: number; revokedBy: string }[];
  subjects: Subject[];
  /**
   * States derived from the positions in `expected` plus this write's records. The store sets
   * each one's `position` to its subject's new stream position (what was given is ignored).
   */
  states: Omit<SubjectState, 'position'>[];
  /**
   * The stream position read for every subject this write touches (its records' and states'
   * subjects; 0 for a subject not yet stored). Optimistic concurrency: if any subject's
   * position has moved since, nothing is written and `stale` names the subjects.
   * A touched subject missing here is a bug (thrown).
   */
  expected: Record<SubjectId, number>;
  /**
   * The audit entry of this write, chained and appended in the same transaction, so a write
   * is never stored without its entry; every record of the write is linked to it.
   */
  audit?: AuditEntryInput;
  /** Cases opened or moved by this write (a community record's review item), inserted or replaced by id. */
  cases?: CaseRow[];
  /** Notices of this write (the outbox), written in the same transaction. */
  notices?: NoticeInput[];
}

export interface CommitResult {
  /** Ids actually inserted (none when anything conflicted: the write is all or nothing). */
  inserted: string[];
  /** Record ids present before this write. When non-empty nothing was written. */
  conflicts: string[];
  /** Subjects whose stream moved past `expected`. When non-empty nothing was written. */
  stale: SubjectId[];
  /** The write's audit entry as chained, when it had one and was written. */
  audit?: AuditEntry;
}

/** What putStates did not write: states behind their subject's stream (a writer appended since). */
export interface PutStatesResult {
  skipped: SubjectId[];
}

/** A record's link to the audit entry of the write that stored it (audit verify's coverage check). */
export interface RecordCoverage {
  seq: number;
  id: string;
  /** seq of the audit entry of the write that stored the record; null if none covers it. */
  auditSeq: number | null;
}

/**
 * A notice to a subject or to a provider (src/app/notices.ts): written in the same
 * transaction as the change it tells of, so a change is never stored without its notice and
 * a notice never tells of a change that was not stored (the transactional outbox). `seq` is
 * assigned by the store, increasing: the outbox order that deliveries follow.
 */
export interface NoticeInput {
  /** Unique, assigned by the app. */
  id: string;
  /** The subject the notice is about. */
  subject: SubjectId;
  /** `subject` (the subject's own inbox) or `provider:<id>` (a provider that received answers). */
  recipient: string;
  kind: string;
  createdAt: number;
  body: Record<string, unknown>;
}

export interface NoticeRow extends NoticeInput {
  seq: number;
  /** When the recipient first marked it read; null while unread. */
  readAt: number | null;
}

export interface NoticeQuery {
  subject?: SubjectId;
  recipient?: string;
  /** Only unread notices. */
  unread?: boolean;
}

/**
 * Where notices are delivered by webhook: a receiver URL, the secret its signatures are made
 * with (kept, not hashed: every delivery is signed with it), which recipient's notices it
 * takes, and how far the outbox has been fanned out to it (`cursor`, a notice seq).
 */
export interface WebhookEndpoint {
  id: string;
  url: string;
  secret: string;
  /** `subject` (every notice to subjects), `provider:<id>` (that provider's), or `*` (all). */
  recipient: string;
  /** Notice kinds it takes; null for every kind. */
  kinds: string[] | null;
  description: string;
  createdAt: number;
  disabledAt: number | null;
  /** Every notice with seq <= cursor has been considered for this endpoint. */
  cursor: number;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One notice on its way to one endpoint: its attempts, the next one due, and the last outcome. */
export interface DeliveryRow {
  endpoint: string;
  noticeSeq: number;
  noticeId: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due (pending); null once delivered or dead. */
  nextAt: number | null;
  /** A dispatcher holds the delivery until then (claimDeliveries); null when none does. */
  leaseUntil: number | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
}

/** The outcome of one attempt (recordAttempt): the delivery's new status and when to try again. */
export interface DeliveryAttempt {
  status: DeliveryStatus;
  attempts: number;
  nextAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

export interface SchemeRow {
  scheme: Scheme;
  publishedAt: number | null;
}

export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  /** Create or upgrade the schema. Idempotent. */
  migrate(): Promise<void>;
  /** Schema migrations the code knows and the store has not applied (0 = up to date). */
  pendingMigrations(): Promise<number>;
  close(): Promise<void>;

  // Catalogue and schemes (reference data)
  saveCatalogue(catalogue: Catalogue): Promise<void>;
  loadCatalogue(): Promise<Catalogue | null>;
  saveScheme(scheme: Scheme, publishedAt: number | null): Promise<void>;
  /** All versions of all schemes, ordered by id then version. */
  listSchemes(): Promise<SchemeRow[]>;

  // Subjects
  getSubject(id: SubjectId): Promise<Subject | null>;
  getSubjects(ids: SubjectId[]): Promise<Map<SubjectId, Subject>>;
  /** Page through subject ids in ascending (binary) order, after `after`. */
  listSubjectIds(after: SubjectId | null, limit: number): Promise<SubjectId[]>;
  countSubjects(): Promise<number>;

  /**
   * Each subject's stream position: how many changes (appended records, dispute marks) its
   * stream holds. A subject not stored is absent from the map (position 0).
   */
  streamPositions(ids: SubjectId[]): Promise<Map<SubjectId, number>>;

  // Records
  /** Which of these record ids already exist. */
  existingRecordIds(ids: string[]): Promise<Set<string>>;
  /** The stored records with these ids (absent ids are not keys). */
  getRecords(ids: string[]): Promise<Map<string, StoredRecord>>;
  getRecord(id: string): Promise<StoredRecord | null>;
  /**
   * Every record with the audit entry that covers it, a page at a time in the store's own
   * order: `after` is null for the first page, then the `next` of the page before (null at the end).
   */
  recordCoverage(after: string | null, limit: number): Promise<{ rows: RecordCoverage[]; next: string | null }>;
  /** The audit entry covering each record (absent ids are not keys; null: written before coverage was kept). */
  auditSeqsOf(ids: string[]): Promise<Map<string, number | null>>;
  /**
   * Subjects that may hold data past retention (see RetentionQuery), in ascending (binary)
   * order after `after`: a superset the caller filters exactly.
   */
  retentionCandidates(q: RetentionQuery, after: SubjectId | null, limit: number): Promise<SubjectId[]>;
  /** Every record of the subjects, in seq order; every requested id is a key (empty array if none). */
  recordsOfSubjects(ids: SubjectId[]): Promise<Map<SubjectId, StoredRecord[]>>;
  countRecords(): Promise<number>;
  /**
   * Atomically append records (the store assigns seq, increasing, and each record's position
   * in its subject's stream), apply revocations, insert new subjects, replace states and
   * append the write's audit entry. Durable before it resolves. Nothing is written when any
   * record id already exists (`conflicts`) or any subject's stream moved past `expected`
   * (`stale`): the caller re-reads and retries. Subjects already present are kept as they are.
   * Bugs are thrown and write nothing: an id twice in one write, a record whose subject is
   * neither stored nor in `subjects`, a revocation of a record that does not exist, a touched
   * subject missing from `expected`.
   */
  commit(write: RecordWrite): Promise<CommitResult>;
  /**
   * Applies an annotation write atomically: marks, cases, states (their position set to the
   * new one), audit entries (chained). If the subject's stream moved past `expected`, nothing
   * is written and `stale` is true. Throws, writing nothing, if a marked record does not exist
   * or is of another subject, or a case or state is of another subject.
   */
  annotate(write: AnnotationWrite): Promise<{ stale: boolean; audit: AuditEntry[] }>;

  // Cases (disputes, review items)
  getCase(id: string): Promise<CaseRow | null>;
  /** Cases matching the query, by id (ids sort by creation), after `after`, at most `limit`. */
  listCases(q: CaseQuery, after: string | null, limit: number): Promise<CaseRow[]>;
  countCases(q: CaseQuery): Promise<number>;

  // Materialised states (only states at their subject's current stream position are returned)
  /** Every current state of the subject, ordered by scheme key. */
  getStates(subject: SubjectId): Promise<SubjectState[]>;
  getStatesFor(ids: SubjectId[], scheme: SchemeKey): Promise<Map<SubjectId, SubjectState>>;
  /**
   * Upsert by (subject, scheme), each only if its `position` is its subject's current stream
   * position; the others are skipped and named (a writer appended since they were computed).
   * A state of a subject that is not stored is a bug (thrown).
   */
  putStates(states: SubjectState[]): Promise<PutStatesResult>;
  /** Drop every state of a scheme (before a full rebuild). */
  clearStates(scheme: SchemeKey): Promise<void>;
  /** Number of subjects per grade for a scheme (snapshot grades). */
  gradeDistribution(scheme: SchemeKey): Promise<Record<string, number>>;
  /** Subjects whose snapshot of this scheme is stale at `at` (validUntil <= at), stalest first. */
  staleStates(scheme: SchemeKey, at: number, limit: number): Promise<SubjectId[]>;

  // Audit log (hash-chained; the adapter computes nothing, the app chains)
  auditHead(): Promise<{ seq: number; hash: string } | null>;
  /** Chain (domain/audit-chain.ts chainEntries) and append inside one transaction. */
  appendAudit(entries: AuditEntryInput[]): Promise<AuditEntry[]>;
  /** Entries with seq > afterSeq, ascending. */
  readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** The subject's latest `limit` entries, newest first. */
  auditOfSubject(subject: SubjectId, limit: number): Promise<AuditEntry[]>;

  // Notices (the outbox) and their delivery by webhook
  /** Notices matching the query with seq > afterSeq, ascending by seq, at most `limit`. */
  listNotices(q: NoticeQuery, afterSeq: number, limit: number): Promise<NoticeRow[]>;
  countNotices(q: NoticeQuery): Promise<number>;
  /** The highest notice seq stored (0 when none): where a new endpoint's cursor starts. */
  lastNoticeSeq(): Promise<number>;
  getNotice(id: string): Promise<NoticeRow | null>;
  /** Marks a notice read at `at` (the first time only). False when there is no such notice. */
  markNoticeRead(id: string, at: number): Promise<boolean>;
  /** Inserts an endpoint; an id already present is a bug (thrown). */
  addWebhook(endpoint: WebhookEndpoint): Promise<void>;
  /** Every endpoint, disabled ones included, by id. */
  listWebhooks(): Promise<WebhookEndpoint[]>;
  getWebhook(id: string): Promise<WebhookEndpoint | null>;
  /** Disables an endpoint at `at` and stops its pending deliveries (dead, "endpoint disabled"). False when absent or already disabled. */
  disableWebhook(id: string, at: number): Promise<boolean>;
  /**
   * Moves an endpoint's cursor from `from` to `to` and creates a pending delivery (due at
   * `at`) for each notice seq in `notices` (each in (from, to]), atomically, only if the
   * cursor is still `from`: false, writing nothing, when another dispatcher moved it.
   */
  fanOut(endpoint: string, from: number, to: number, notices: { seq: number; id: string }[], at: number): Promise<boolean>;
  /**
   * Pending deliveries due at `at` (nextAt <= at) that no dispatcher holds (leaseUntil null or
   * <= at), oldest notice first, at most `limit`; each is held until `at + leaseMs`, in one
   * transaction, so two dispatchers never claim the same delivery at once.
   */
  claimDeliveries(at: number, leaseMs: number, limit: number): Promise<DeliveryRow[]>;
  /** Stores the outcome of an attempt and releases the hold. */
  recordAttempt(endpoint: string, noticeSeq: number, attempt: DeliveryAttempt): Promise<void>;
  /** Deliveries of an endpoint (every endpoint when omitted), by notice seq after `afterSeq`. */
  listDeliveries(q: { endpoint?: string; status?: DeliveryStatus; noticeSeq?: number }, afterSeq: number, limit: number): Promise<DeliveryRow[]>;
  /** Counts deliveries by status (for the metrics): every endpoint when omitted. */
  countDeliveries(q: { endpoint?: string; status?: DeliveryStatus }): Promise<number>;
  /**
   * Puts an endpoint's deliveries of `status` (dead or delivered; the app never replays
   * pending ones, which a dispatcher may hold) with notice seq >= `fromSeq` back to pending,
   * due at `at`, attempts reset (the last answer is kept until the next attempt). Returns how many.
   */
  replayDeliveries(endpoint: string, q: { status: DeliveryStatus; fromSeq?: number }, at: number): Promise<number>;
}
