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

/** Materialised per-subject state for one scheme: derived data, rebuildable from records. */
export interface SubjectState {
  subject: SubjectId;
  scheme: SchemeKey;
  ledger: SubjectLedger;
  /** Snapshot at `computedAt` (for stats and fast reads); refreshed when it passes `validUntil`. */
  score: number;
  grade: string;
  computedAt: number;
  /** Next instant the snapshot changes by time alone, or null. */
  validUntil: number | null;
}

/** New records to append (ids assigned by the app), plus revocations and dispute marks. */
export interface RecordWrite {
  records: Omit<StoredRecord, 'seq'>[];
  /** Earlier records revoked by records in this write. */
  revocations: { recordId: string; revokedAt: number; revokedBy: string }[];
  subjects: Subject[];
  states: SubjectState[];
}

export interface CommitResult {
  /** Ids actually inserted (others were already present: a concurrent duplicate). */
  inserted: string[];
  /** Present before this write, so skipped. When non-empty the states were NOT written and the caller must recompute. */
  conflicts: string[];
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

  // Records
  /** Which of these record ids already exist. */
  existingRecordIds(ids: string[]): Promise<Set<string>>;
  getRecord(id: string): Promise<StoredRecord | null>;
  /** Every record of the subjects, in seq order; every requested id is a key (empty array if none). */
  recordsOfSubjects(ids: SubjectId[]): Promise<Map<SubjectId, StoredRecord[]>>;
  countRecords(): Promise<number>;
  /**
   * Atomically append records (the store assigns seq, increasing), apply revocations,
   * insert new subjects and replace states.
   * Durable before it resolves. If any record id already exists nothing is written and
   * `conflicts` lists them. Subjects already present are kept as they are (never updated).
   * Bugs are thrown and write nothing: an id twice in one write, a record whose subject is
   * neither stored nor in `subjects`, a revocation of a record that does not exist.
   */
  commit(write: RecordWrite): Promise<CommitResult>;
  /**
   * Set (number) or clear (null) the dispute marks of a record, leaving an omitted mark as it
   * is, and replace the states derived from it. Throws, writing nothing, if there is no such record.
   */
  markDispute(
    recordId: string,
    mark: { disputedAt?: number | null; confirmedAt?: number | null },
    states: SubjectState[],
  ): Promise<void>;

  // Materialised states
  /** Every state of the subject, ordered by scheme key. */
  getStates(subject: SubjectId): Promise<SubjectState[]>;
  getStatesFor(ids: SubjectId[], scheme: SchemeKey): Promise<Map<SubjectId, SubjectState>>;
  /** Upsert by (subject, scheme); a state of a subject that is not stored is a bug (thrown). */
  putStates(states: SubjectState[]): Promise<void>;
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
}
