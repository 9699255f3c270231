// Row shapes and row-to-domain conversions shared by the SQL adapters (SQLite and
// PostgreSQL store the same columns; both return integers as numbers). Only adapters know SQL.
import type { AuditEntry } from '../domain/audit-chain.ts';
import type { Catalogue, StoredRecord, Subject, SubjectLedger } from '../domain/types.ts';
import type { ConsentRow } from '../ports/access-store.ts';
import type { CaseQuery, CaseRow, DeliveryRow, DeliveryStatus, NoticeRow, SubjectState, WebhookEndpoint } from '../ports/store.ts';

/**
 * putStates' rule, shared by the SQL adapters: a state is written only at its subject's
 * current stream position; the others are skipped (named). An unknown subject is a bug.
 */
export function currentStates(states: SubjectState[], positionOf: (subject: string) => number | undefined): { current: SubjectState[]; skipped: string[] } {
  const current: SubjectState[] = [];
  const skipped: string[] = [];
  for (const st of states) {
    const position = positionOf(st.subject);
    if (position === undefined) throw new Error(`putStates: state of unknown subject ${st.subject}`);
    if (position === st.position) current.push(st);
    else skipped.push(st.subject);
  }
  return { current, skipped };
}

export interface SubjectRow {
  id: string;
  kind: Subject['kind'];
  id_scheme: string;
  display_name: string | null;
  created_at: number;
}

export interface RecordRow {
  seq: number;
  position: number | null;
  id: string;
  source: string;
  source_record_id: string;
  subject: string;
  type: string;
  occurred_at: number;
  recorded_at: number;
  payload: string;
  evidence: string;
  revokes: string | null;
  revoked_at: number | null;
  revoked_by: string | null;
  disputed_at: number | null;
  confirmed_at: number | null;
  withdrawn_at?: number | null;
  approved_at?: number | null;
  rejected_at?: number | null;
  restored_at?: number | null;
  four_eyes?: number | null;
}

export interface CaseDbRow {
  id: string;
  kind: string;
  subject: string;
  status: string;
  due_at: number | string | null;
  assignee: string | null;
  record: string | null;
  created_at: number | string;
  updated_at: number | string;
  body: string | Record<string, unknown>;
}

const num = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);

export function caseFromRow(r: CaseDbRow): CaseRow {
  return {
    id: r.id,
    kind: r.kind as CaseRow['kind'],
    subject: r.subject,
    status: r.status,
    dueAt: r.due_at === null ? null : num(r.due_at),
    assignee: r.assignee,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    body: typeof r.body === 'string' ? (JSON.parse(r.body) as Record<string, unknown>) : r.body,
  };
}

/** The record a case is about (indexed), from its body. */

/**
 * The WHERE clause and parameters of a case query (`ph(n)` writes the n-th placeholder, from
 * 1: `?` for SQLite, `$n` for PostgreSQL); `after` pages by id.
 */
export function caseWhere(q: CaseQuery, after: string | null, ph: (n: number) => string): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown) => {
    params.push(v);
    parts.push(sql(ph(params.length)));
  };
  if (q.kind !== undefined) add((p) => `kind = ${p}`, q.kind);
  if (q.subject !== undefined) add((p) => `subject = ${p}`, q.subject);
  if (q.assignee !== undefined) add((p) => `assignee = ${p}`, q.assignee);
  if (q.dueBefore !== undefined) add((p) => `due_at IS NOT NULL AND due_at < ${p}`, q.dueBefore);
  if (q.record !== undefined) add((p) => `record = ${p}`, q.record);
  if (q.status !== undefined) {
    if (q.status.length === 0) parts.push('1 = 0');
    else {
      const ps = q.status.map((st) => {
        params.push(st);
        return ph(params.length);
      });
      parts.push(`status IN (${ps.join(', ')})`);
    }
  }
  if (after !== null) add((p) => `id > ${p}`, after);
  return { where: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Column names of the record marks (RecordMarks keys). */
export const MARK_COLUMNS = {
  disputedAt: 'disputed_at',
  confirmedAt: 'confirmed_at',
  withdrawnAt: 'withdrawn_at',
  approvedAt: 'approved_at',
  rejectedAt: 'rejected_at',
  restoredAt: 'restored_at',
} as const;

export interface StateRow {
  subject: string;
  scheme: string;
  position: number;
  score: number;
  grade: string;
  computed_at: number;
  valid_until: number | null;
  ledger: string;
}

export interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface CatalogueBody {
  version: string;
  recordTypes: [string, unknown][];
  sources: [string, unknown][];
  lists: [string, unknown][];
  measures: [string, unknown][];
  /** Absent in a catalogue stored before the legal-basis registry. */
  legalBases?: [string, unknown][];
  /** Absent in a catalogue stored before purposes were declared. */
  purposes?: [string, unknown][];
  /** Absent: four eyes off (and in a catalogue stored before the setting existed). */
  fourEyes?: boolean;
}

/** The stored JSON of a catalogue (both SQL adapters). */
export function catalogueBody(catalogue: Catalogue): CatalogueBody {
  return {
    version: catalogue.version,
    recordTypes: [...catalogue.recordTypes],
    sources: [...catalogue.sources],
    lists: [...catalogue.lists],
    measures: [...catalogue.measures],
    purposes: [...catalogue.purposes],
    legalBases: [...catalogue.legalBases],
    ...(catalogue.fourEyes ? { fourEyes: true } : {}),
  };
}

export function catalogueFromBody(body: CatalogueBody): Catalogue {
  return {
    version: body.version,
    recordTypes: new Map(body.recordTypes) as Catalogue['recordTypes'],
    sources: new Map(body.sources) as Catalogue['sources'],
    lists: new Map(body.lists) as Catalogue['lists'],
    measures: new Map(body.measures) as Catalogue['measures'],
    // A catalogue stored before the registry has none: Credence.open asks for `init`.
    legalBases: new Map(body.legalBases ?? []) as Catalogue['legalBases'],
    // A catalogue stored before purposes were declared has none: Credence.open asks for `init`.
    purposes: new Map(body.purposes ?? []) as Catalogue['purposes'],
    ...(body.fourEyes ? { fourEyes: true } : {}),
  };
}

/** A consents row (both SQL adapters; bigint columns may come back as strings from pg). */
export interface ConsentDbRow {
  id: string;
  hash: string;
  subject: string;
  provider: string;
  purpose: string;
  measure: string;
  created_at: number | string;
  created_by: string;
  expires_at: number | string;
  max_uses: number;
  uses: number;
  last_used_at: number | string | null;
  revoked_at: number | string | null;
}

export function consentFromRow(r: ConsentDbRow): ConsentRow {
  return {
    id: r.id, hash: r.hash, subject: r.subject, provider: r.provider, purpose: r.purpose, measure: r.measure,
    createdAt: Number(r.created_at), createdBy: r.created_by, expiresAt: Number(r.expires_at),
    maxUses: Number(r.max_uses), uses: Number(r.uses),
    lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  };
}

export function subjectFromRow(r: SubjectRow): Subject {
  const s: Subject = { id: r.id, kind: r.kind, idScheme: r.id_scheme, createdAt: r.created_at };
  if (r.display_name !== null) s.displayName = r.display_name;
  return s;
}

export function recordFromRow(r: RecordRow): StoredRecord {
  const rec: StoredRecord = {
    id: r.id,
    seq: r.seq,
    source: r.source,
    sourceRecordId: r.source_record_id,
    subject: r.subject,
    type: r.type,
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
    evidence: JSON.parse(r.evidence) as string[],
  };
  if (r.position !== null) rec.position = r.position;
  if (r.revokes !== null) rec.revokes = r.revokes;
  if (r.revoked_at !== null) rec.revokedAt = r.revoked_at;
  if (r.revoked_by !== null) rec.revokedBy = r.revoked_by;
  if (r.disputed_at !== null) rec.disputedAt = r.disputed_at;
  if (r.confirmed_at !== null) rec.confirmedAt = r.confirmed_at;
  if (r.withdrawn_at != null) rec.withdrawnAt = Number(r.withdrawn_at);
  if (r.approved_at != null) rec.approvedAt = Number(r.approved_at);
  if (r.rejected_at != null) rec.rejectedAt = Number(r.rejected_at);
  if (r.restored_at != null) rec.restoredAt = Number(r.restored_at);
  if (r.four_eyes != null && Number(r.four_eyes) === 1) rec.fourEyes = true;
  return rec;
}

export function stateFromRow(r: StateRow): SubjectState {
  return {
    subject: r.subject,
    scheme: r.scheme,
    position: r.position,
    ledger: JSON.parse(r.ledger) as SubjectLedger,
    score: r.score,
    grade: r.grade,
    computedAt: r.computed_at,
    validUntil: r.valid_until,
  };
}

export function auditFromRow(r: AuditRow): AuditEntry {
  const e: AuditEntry = {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
  if (r.subject !== null) e.subject = r.subject;
  return e;
}

/** A notice row; `body` is JSON text on SQLite and jsonb (parsed) on PostgreSQL. */
export interface NoticeDbRow<Json = string> {
  seq: number;
  id: string;
  subject: string;
  recipient: string;
  kind: string;
  created_at: number;
  body: Json;
  read_at: number | null;
}

export function noticeFromRow<Json>(r: NoticeDbRow<Json>, parse: (v: Json) => unknown): NoticeRow {
  return { seq: r.seq, id: r.id, subject: r.subject, recipient: r.recipient, kind: r.kind, createdAt: r.created_at, body: parse(r.body) as Record<string, unknown>, readAt: r.read_at };
}

/** A webhook endpoint row; `kinds` is JSON text (SQLite) or jsonb (PostgreSQL), NULL for every kind. */
export interface WebhookDbRow<Json = string> {
  id: string;
  url: string;
  secret: string;
  recipient: string;
  kinds: Json | null;
  description: string;
  created_at: number;
  disabled_at: number | null;
  cursor: number;
}

export function webhookFromRow<Json>(r: WebhookDbRow<Json>, parse: (v: Json) => unknown): WebhookEndpoint {
  return {
    id: r.id, url: r.url, secret: r.secret, recipient: r.recipient, kinds: r.kinds === null ? null : (parse(r.kinds) as string[]),
    description: r.description, createdAt: r.created_at, disabledAt: r.disabled_at, cursor: r.cursor,
  };
}

export interface DeliveryDbRow {
  endpoint: string;
  notice_seq: number;
  notice_id: string;
  status: string;
  attempts: number;
  next_at: number | null;
  lease_until: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export function deliveryFromRow(r: DeliveryDbRow): DeliveryRow {
  return {
    endpoint: r.endpoint, noticeSeq: r.notice_seq, noticeId: r.notice_id, status: r.status as DeliveryStatus, attempts: r.attempts,
    nextAt: r.next_at, leaseUntil: r.lease_until, lastStatus: r.last_status, lastError: r.last_error,
    createdAt: r.created_at, deliveredAt: r.delivered_at,
  };
}
