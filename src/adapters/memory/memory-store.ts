// In-memory twin of the store port, for tests and in-process simulation. Passes the same
// contract suite as the SQLite adapter (test/store.contract.ts), including its refusals:
// what SQLite rejects through a constraint (unknown subject, unknown revoked record) is
// rejected here too, before anything is changed. Everything going in or out is deep-copied
// (structuredClone), so callers can never mutate stored state through a reference.
import { chainEntries } from '../../domain/audit-chain.ts';
import type { Catalogue, Scheme, SchemeKey, StoredRecord, Subject, SubjectId } from '../../domain/types.ts';
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
  PurgeSet,
  PutStatesResult,
  RecordCoverage,
  RetentionQuery,
  RecordWrite,
  SchemeRow,
  Store,
  SubjectState,
  WebhookEndpoint,
} from '../../ports/store.ts';

const clone = <T>(value: T): T => structuredClone(value);

/** Drops keys whose value is undefined, as a round trip through SQL NULL does. */
function defined<T extends object>(value: T): T {
  const out = { ...value };
  for (const key of Object.keys(out) as (keyof T)[]) {
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  }
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function caseMatches(c: CaseRow, q: CaseQuery): boolean {
  return (
    (q.kind === undefined || c.kind === q.kind) &&
    (q.status === undefined || q.status.includes(c.status)) &&
    (q.subject === undefined || c.subject === q.subject) &&
    (q.assignee === undefined || c.assignee === q.assignee) &&
    (q.dueBefore === undefined || (c.dueAt !== null && c.dueAt < q.dueBefore)) &&
    (q.record === undefined || c.body.record === q.record)
  );
}

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private catalogue: Catalogue | null = null;
  /** Keyed by `${id}\u0000${version}`. */
  private readonly schemes = new Map<string, SchemeRow>();
  private readonly subjects = new Map<SubjectId, Subject>();
  /** Subject ids in ascending order, rebuilt on the first page read after a new subject. */
  private sortedSubjectIds: SubjectId[] | null = null;
  private readonly records = new Map<string, StoredRecord>();
  /** Records of each subject in seq order (appends only, so always sorted). */
  private readonly recordsBySubject = new Map<SubjectId, StoredRecord[]>();
  private lastSeq = 0;
  /** Stream position per subject (absent = 0). */
  private readonly positions = new Map<SubjectId, number>();
  /** Audit entry seq covering each record, by record id. */
  private readonly coverage = new Map<string, number>();
  private readonly states = new Map<SubjectId, Map<SchemeKey, SubjectState>>();
  private readonly audit: AuditEntry[] = [];
  private readonly cases = new Map<string, CaseRow>();
  private readonly notices: NoticeRow[] = [];
  private noticeSeq = 0;
  private readonly noticeIds = new Map<string, NoticeRow>();
  private readonly webhooks = new Map<string, WebhookEndpoint>();
  /** Keyed by `${endpoint}\u0000${noticeSeq}`. */
  private readonly deliveries = new Map<string, DeliveryRow>();

  async migrate(): Promise<void> {}

  async pendingMigrations(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}

  // -------------------------------------------------------------------------------------
  // Catalogue and schemes

  async saveCatalogue(catalogue: Catalogue): Promise<void> {
    this.catalogue = clone(catalogue);
  }

  async loadCatalogue(): Promise<Catalogue | null> {
    return this.catalogue === null ? null : clone(this.catalogue);
  }

  async saveScheme(scheme: Scheme, publishedAt: number | null): Promise<void> {
    this.schemes.set(`${scheme.id}\u0000${scheme.version}`, { scheme: clone(scheme), publishedAt });
  }

  async listSchemes(): Promise<SchemeRow[]> {
    return [...this.schemes.values()]
      .sort((a, b) => byString(a.scheme.id, b.scheme.id) || a.scheme.version - b.scheme.version)
      .map(clone);
  }

  // -------------------------------------------------------------------------------------
  // Subjects

  async getSubject(id: SubjectId): Promise<Subject | null> {
    const s = this.subjects.get(id);
    return s === undefined ? null : clone(s);
  }

  async getSubjects(ids: SubjectId[]): Promise<Map<SubjectId, Subject>> {
    const out = new Map<SubjectId, Subject>();
    for (const id of ids) {
      const s = this.subjects.get(id);
      if (s !== undefined) out.set(id, clone(s));
    }
    return out;
  }

  async listSubjectIds(after: SubjectId | null, limit: number): Promise<SubjectId[]> {
    checkLimit(limit);
    const sorted = (this.sortedSubjectIds ??= [...this.subjects.keys()].sort(byString));
    // First index whose id is > after (binary search).
    let lo = 0;
    let hi = sorted.length;
    while (after !== null && lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= after) lo = mid + 1;
      else hi = mid;
    }
    return sorted.slice(lo, lo + limit);
  }

  async countSubjects(): Promise<number> {
    return this.subjects.size;
  }

  async streamPositions(ids: SubjectId[]): Promise<Map<SubjectId, number>> {
    const out = new Map<SubjectId, number>();
    for (const id of ids) if (this.subjects.has(id)) out.set(id, this.positions.get(id) ?? 0);
    return out;
  }

  private positionOf(id: SubjectId): number {
    return this.positions.get(id) ?? 0;
  }

  // -------------------------------------------------------------------------------------
  // Records

  async existingRecordIds(ids: string[]): Promise<Set<string>> {
    return new Set(ids.filter((id) => this.records.has(id)));
  }

  async getRecords(ids: string[]): Promise<Map<string, StoredRecord>> {
    const out = new Map<string, StoredRecord>();
    for (const id of ids) {
      const r = this.records.get(id);
      if (r !== undefined) out.set(id, clone(r));
    }
    return out;
  }

  async recordCoverage(after: string | null, limit: number): Promise<{ rows: RecordCoverage[]; next: string | null }> {
    checkLimit(limit);
    const afterSeq = after === null ? 0 : Number(after);
    const out: RecordCoverage[] = [];
    // Records are appended in seq order, so the map's insertion order is seq order.
    for (const r of this.records.values()) {
      if (r.seq <= afterSeq) continue;
      out.push({ seq: r.seq, id: r.id, auditSeq: this.coverage.get(r.id) ?? null });
      if (out.length >= limit) break;
    }
    return { rows: out, next: out.length === limit && limit > 0 ? String(out[out.length - 1]!.seq) : null };
  }

  async auditSeqsOf(ids: string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    for (const id of ids) if (this.records.has(id)) out.set(id, this.coverage.get(id) ?? null);
    return out;
  }

  async retentionCandidates(q: RetentionQuery, after: SubjectId | null, limit: number): Promise<SubjectId[]> {
    checkLimit(limit);
    const before = new Map<string, number>();
    for (const g of q.records) for (const t of g.types) before.set(t, g.before);
    const found = new Set<SubjectId>();
    for (const r of this.records.values()) {
      const b = before.get(r.type);
      if (b !== undefined && r.occurredAt < b) found.add(r.subject);
    }
    for (const n of this.notices) if (n.createdAt < q.namelessBefore) found.add(n.subject);
    for (const c of this.cases.values()) if (c.createdAt < q.namelessBefore) found.add(c.subject);
    return [...found].filter((id) => after === null || id > after).sort(byString).slice(0, limit);
  }

  async getRecord(id: string): Promise<StoredRecord | null> {
    const r = this.records.get(id);
    return r === undefined ? null : clone(r);
  }

  async recordsOfSubjects(ids: SubjectId[]): Promise<Map<SubjectId, StoredRecord[]>> {
    const out = new Map<SubjectId, StoredRecord[]>();
    for (const id of ids) out.set(id, clone(this.recordsBySubject.get(id) ?? []));
    return out;
  }

  async countRecords(): Promise<number> {
    return this.records.size;
  }

  async commit(input: RecordWrite): Promise<CommitResult> {
    const write = clone(input);
    const ids = new Set<string>();
    for (const r of write.records) {
      if (ids.has(r.id)) throw new Error(`commit: record id ${r.id} appears twice in one write`);
      ids.add(r.id);
    }
    // Refusals first, so that a refused write changes nothing (as the SQL transaction does).
    const touched = new Set([...write.records.map((r) => r.subject), ...write.states.map((st) => st.subject)]);
    for (const id of touched) {
      if (write.expected[id] === undefined) throw new Error(`commit: subject ${id} is touched but has no expected stream position`);
    }
    const conflicts = write.records.filter((r) => this.records.has(r.id)).map((r) => r.id);
    const stale = [...touched].filter((id) => this.positionOf(id) !== write.expected[id]);
    if (conflicts.length > 0 || stale.length > 0) return { inserted: [], conflicts, stale };

    const newSubjects = new Set(write.subjects.map((s) => s.id));
    const known = (id: SubjectId) => this.subjects.has(id) || newSubjects.has(id);
    for (const r of write.records) {
      if (!known(r.subject)) throw new Error(`commit: record ${r.id} names unknown subject ${r.subject}`);
    }
    for (const rev of write.revocations) {
      if (!this.records.has(rev.recordId) && !ids.has(rev.recordId)) {
        throw new Error(`commit: revoked record ${rev.recordId} does not exist`);
      }
    }
    for (const st of write.states) {
      if (!known(st.subject)) throw new Error(`commit: state of unknown subject ${st.subject}`);
    }
    this.checkNotices('commit', write.notices ?? [], known);

    for (const s of write.subjects) {
      if (!this.subjects.has(s.id)) {
        this.subjects.set(s.id, defined(s));
        this.sortedSubjectIds = null;
      }
    }
    const audit = write.audit === undefined ? undefined : defined(chainEntries(this.head(), [write.audit])[0]!);
    if (audit !== undefined) this.audit.push(audit);
    for (const r of write.records) {
      this.lastSeq += 1;
      const position = this.positionOf(r.subject) + 1;
      this.positions.set(r.subject, position);
      const stored: StoredRecord = defined({ ...r, seq: this.lastSeq, position });
      if (audit !== undefined) this.coverage.set(stored.id, audit.seq);
      this.records.set(stored.id, stored);
      const list = this.recordsBySubject.get(stored.subject);
      if (list === undefined) this.recordsBySubject.set(stored.subject, [stored]);
      else list.push(stored);
    }
    for (const rev of write.revocations) {
      const r = this.records.get(rev.recordId)!;
      r.revokedAt = rev.revokedAt;
      r.revokedBy = rev.revokedBy;
    }
    for (const c of write.cases ?? []) this.cases.set(c.id, c);
    this.upsertStates(write.states.map((st) => ({ ...st, position: this.positionOf(st.subject) })));
    this.appendNotices(write.notices ?? []);
    return { inserted: write.records.map((r) => r.id), conflicts: [], stale: [], ...(audit ? { audit: clone(audit) } : {}) };
  }

  async annotate(input: AnnotationWrite): Promise<{ stale: boolean; audit: AuditEntry[] }> {
    const w = clone(input);
    for (const { recordId } of w.marks) {
      const r = this.records.get(recordId);
      if (r === undefined) throw new Error(`annotate: no record ${recordId}`);
      if (r.subject !== w.subject) throw new Error(`annotate: record ${recordId} is about ${r.subject}, not ${w.subject}`);
    }
    const other = [...w.states, ...w.cases].find((x) => x.subject !== w.subject);
    if (other) throw new Error(`annotate: a state or case of ${other.subject} in a write of ${w.subject}`);
    if (!this.subjects.has(w.subject)) throw new Error(`annotate: unknown subject ${w.subject}`);
    this.checkNotices('annotate', w.notices ?? [], (id) => id === w.subject);
    if (w.purge) this.checkPurge(w.subject, w.purge);
    if (this.positionOf(w.subject) !== w.expected) return { stale: true, audit: [] };
    const position = w.expected + 1;
    if (w.purge) this.applyPurge(w.subject, w.purge);
    this.positions.set(w.subject, position);
    for (const { recordId, mark } of w.marks) {
      const r = this.records.get(recordId)! as unknown as Record<string, unknown>;
      for (const [k, v] of Object.entries(mark)) {
        if (v === null) delete r[k];
        else if (v !== undefined) r[k] = v;
      }
    }
    for (const c of w.cases) this.cases.set(c.id, c);
    this.upsertStates(w.states.map((st) => ({ ...st, position })));
    const chained = chainEntries(this.head(), w.audit).map(defined);
    this.audit.push(...chained);
    this.appendNotices(w.notices ?? []);
    return { stale: false, audit: clone(chained) };
  }

  private checkPurge(subject: SubjectId, p: PurgeSet): void {
    for (const id of p.records) if (this.records.get(id)?.subject !== subject) throw new Error(`annotate: purge of record ${id}, which is not a record of ${subject}`);
    for (const id of p.cases) if (this.cases.get(id)?.subject !== subject) throw new Error(`annotate: purge of case ${id}, which is not a case of ${subject}`);
    for (const id of p.notices) if (this.noticeIds.get(id)?.subject !== subject) throw new Error(`annotate: purge of notice ${id}, which is not a notice about ${subject}`);
  }

  private applyPurge(subject: SubjectId, p: PurgeSet): void {
    const records = new Set(p.records);
    for (const id of records) {
      this.records.delete(id);
      this.coverage.delete(id);
    }
    this.recordsBySubject.set(subject, (this.recordsBySubject.get(subject) ?? []).filter((r) => !records.has(r.id)));
    for (const id of p.cases) this.cases.delete(id);
    const notices = new Set(p.notices);
    const seqs = new Set<number>();
    for (let i = this.notices.length - 1; i >= 0; i--) {
      const n = this.notices[i]!;
      if (!notices.has(n.id)) continue;
      seqs.add(n.seq);
      this.noticeIds.delete(n.id);
      this.notices.splice(i, 1);
    }
    for (const [key, d] of this.deliveries) if (seqs.has(d.noticeSeq)) this.deliveries.delete(key);
  }

  private checkNotices(op: string, notices: NoticeInput[], known: (id: SubjectId) => boolean): void {
    const ids = new Set<string>();
    for (const n of notices) {
      if (this.noticeIds.has(n.id) || ids.has(n.id)) throw new Error(`${op}: notice id ${n.id} is not unique`);
      if (!known(n.subject)) throw new Error(`${op}: notice ${n.id} is about ${n.subject}, not a subject of this write`);
      ids.add(n.id);
    }
  }

  private appendNotices(notices: NoticeInput[]): void {
    for (const n of notices) {
      const row: NoticeRow = { ...n, seq: ++this.noticeSeq, readAt: null };
      this.notices.push(row);
      this.noticeIds.set(row.id, row);
    }
  }

  // -------------------------------------------------------------------------------------
  // Notices and webhook deliveries

  private noticesMatching(q: NoticeQuery): NoticeRow[] {
    return this.notices.filter(
      (n) => (q.subject === undefined || n.subject === q.subject) && (q.recipient === undefined || n.recipient === q.recipient) && (!q.unread || n.readAt === null),
    );
  }

  async listNotices(q: NoticeQuery, afterSeq: number, limit: number): Promise<NoticeRow[]> {
    checkLimit(limit);
    return this.noticesMatching(q).filter((n) => n.seq > afterSeq).slice(0, limit).map(clone);
  }

  async countNotices(q: NoticeQuery): Promise<number> {
    return this.noticesMatching(q).length;
  }

  async lastNoticeSeq(): Promise<number> {
    return this.noticeSeq;
  }

  async getNotice(id: string): Promise<NoticeRow | null> {
    const n = this.noticeIds.get(id);
    return n === undefined ? null : clone(n);
  }

  async markNoticeRead(id: string, at: number): Promise<boolean> {
    const n = this.noticeIds.get(id);
    if (n === undefined) return false;
    if (n.readAt === null) n.readAt = at;
    return true;
  }

  async addWebhook(endpoint: WebhookEndpoint): Promise<void> {
    if (this.webhooks.has(endpoint.id)) throw new Error(`addWebhook: endpoint ${endpoint.id} exists`);
    this.webhooks.set(endpoint.id, clone(endpoint));
  }

  async listWebhooks(): Promise<WebhookEndpoint[]> {
    return [...this.webhooks.values()].sort((a, b) => byString(a.id, b.id)).map(clone);
  }

  async getWebhook(id: string): Promise<WebhookEndpoint | null> {
    const e = this.webhooks.get(id);
    return e === undefined ? null : clone(e);
  }

  async disableWebhook(id: string, at: number): Promise<boolean> {
    const e = this.webhooks.get(id);
    if (e === undefined || e.disabledAt !== null) return false;
    e.disabledAt = at;
    for (const d of this.deliveries.values()) {
      if (d.endpoint === id && d.status === 'pending') Object.assign(d, { status: 'dead', nextAt: null, leaseUntil: null, lastError: 'endpoint disabled' });
    }
    return true;
  }

  async fanOut(endpoint: string, from: number, to: number, notices: { seq: number; id: string }[], at: number): Promise<boolean> {
    const e = this.webhooks.get(endpoint);
    if (e === undefined) throw new Error(`fanOut: no endpoint ${endpoint}`);
    for (const n of notices) if (n.seq <= from || n.seq > to) throw new Error(`fanOut: notice ${n.seq} is outside (${from}, ${to}]`);
    if (e.cursor !== from) return false;
    e.cursor = to;
    for (const n of notices) {
      const key = `${endpoint}\u0000${n.seq}`;
      if (this.deliveries.has(key)) continue;
      this.deliveries.set(key, { endpoint, noticeSeq: n.seq, noticeId: n.id, status: 'pending', attempts: 0, nextAt: at, leaseUntil: null, lastStatus: null, lastError: null, createdAt: at, deliveredAt: null });
    }
    return true;
  }

  private sortedDeliveries(): DeliveryRow[] {
    return [...this.deliveries.values()].sort((a, b) => a.noticeSeq - b.noticeSeq || byString(a.endpoint, b.endpoint));
  }

  async claimDeliveries(at: number, leaseMs: number, limit: number): Promise<DeliveryRow[]> {
    checkLimit(limit);
    const due = this.sortedDeliveries()
      .filter((d) => d.status === 'pending' && d.nextAt !== null && d.nextAt <= at && (d.leaseUntil === null || d.leaseUntil <= at))
      .slice(0, limit);
    for (const d of due) d.leaseUntil = at + leaseMs;
    return due.map(clone);
  }

  async recordAttempt(endpoint: string, noticeSeq: number, attempt: DeliveryAttempt): Promise<void> {
    const d = this.deliveries.get(`${endpoint}\u0000${noticeSeq}`);
    if (d === undefined) throw new Error(`recordAttempt: no delivery of notice ${noticeSeq} to ${endpoint}`);
    Object.assign(d, clone(attempt), { leaseUntil: null });
  }

  private deliveriesMatching(q: { endpoint?: string; status?: DeliveryStatus; noticeSeq?: number }): DeliveryRow[] {
    return this.sortedDeliveries().filter(
      (d) => (q.endpoint === undefined || d.endpoint === q.endpoint) && (q.status === undefined || d.status === q.status) && (q.noticeSeq === undefined || d.noticeSeq === q.noticeSeq),
    );
  }

  async listDeliveries(q: { endpoint?: string; status?: DeliveryStatus; noticeSeq?: number }, afterSeq: number, limit: number): Promise<DeliveryRow[]> {
    checkLimit(limit);
    return this.deliveriesMatching(q).filter((d) => d.noticeSeq > afterSeq).slice(0, limit).map(clone);
  }

  async countDeliveries(q: { endpoint?: string; status?: DeliveryStatus }): Promise<number> {
    return this.deliveriesMatching(q).length;
  }

  async replayDeliveries(endpoint: string, q: { status: DeliveryStatus; fromSeq?: number }, at: number): Promise<number> {
    let n = 0;
    for (const d of this.deliveries.values()) {
      if (d.endpoint !== endpoint || d.status !== q.status || d.noticeSeq < (q.fromSeq ?? 0)) continue;
      Object.assign(d, { status: 'pending', attempts: 0, nextAt: at, leaseUntil: null });
      n++;
    }
    return n;
  }

  // -------------------------------------------------------------------------------------
  // Cases

  async getCase(id: string): Promise<CaseRow | null> {
    const c = this.cases.get(id);
    return c === undefined ? null : clone(c);
  }

  private matching(q: CaseQuery): CaseRow[] {
    return [...this.cases.values()]
      .filter((c) => caseMatches(c, q))
      .sort((a, b) => byString(a.id, b.id));
  }

  async listCases(q: CaseQuery, after: string | null, limit: number): Promise<CaseRow[]> {
    checkLimit(limit);
    return this.matching(q).filter((c) => after === null || c.id > after).slice(0, limit).map(clone);
  }

  async countCases(q: CaseQuery): Promise<number> {
    return this.matching(q).length;
  }

  // -------------------------------------------------------------------------------------
  // Materialised states

  private checkStateSubjects(states: Omit<SubjectState, 'position'>[]): void {
    for (const st of states) {
      if (!this.subjects.has(st.subject)) throw new Error(`state of unknown subject ${st.subject}`);
    }
  }

  /** Stores the given (already copied) states. */
  private upsertStates(states: SubjectState[]): void {
    for (const st of states) {
      let bySchemeKey = this.states.get(st.subject);
      if (bySchemeKey === undefined) {
        bySchemeKey = new Map();
        this.states.set(st.subject, bySchemeKey);
      }
      bySchemeKey.set(st.scheme, st);
    }
  }

  private current(st: SubjectState): boolean {
    return st.position === this.positionOf(st.subject);
  }

  async getStates(subject: SubjectId): Promise<SubjectState[]> {
    const bySchemeKey = this.states.get(subject);
    if (bySchemeKey === undefined) return [];
    return [...bySchemeKey.values()].filter((st) => this.current(st)).sort((a, b) => byString(a.scheme, b.scheme)).map(clone);
  }

  async getStatesFor(ids: SubjectId[], scheme: SchemeKey): Promise<Map<SubjectId, SubjectState>> {
    const out = new Map<SubjectId, SubjectState>();
    for (const id of ids) {
      const st = this.states.get(id)?.get(scheme);
      if (st !== undefined && this.current(st)) out.set(id, clone(st));
    }
    return out;
  }

  async putStates(states: SubjectState[]): Promise<PutStatesResult> {
    this.checkStateSubjects(states);
    const skipped = states.filter((st) => !this.current(st)).map((st) => st.subject);
    this.upsertStates(clone(states.filter((st) => this.current(st))));
    return { skipped };
  }

  async clearStates(scheme: SchemeKey): Promise<void> {
    for (const bySchemeKey of this.states.values()) bySchemeKey.delete(scheme);
  }

  private statesOf(scheme: SchemeKey): SubjectState[] {
    const out: SubjectState[] = [];
    for (const bySchemeKey of this.states.values()) {
      const st = bySchemeKey.get(scheme);
      if (st !== undefined) out.push(st);
    }
    return out;
  }

  async gradeDistribution(scheme: SchemeKey): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const st of this.statesOf(scheme)) out[st.grade] = (out[st.grade] ?? 0) + 1;
    return out;
  }

  async staleStates(scheme: SchemeKey, at: number, limit: number): Promise<SubjectId[]> {
    checkLimit(limit);
    return this.statesOf(scheme)
      .filter((st) => st.validUntil !== null && st.validUntil <= at)
      .sort((a, b) => a.validUntil! - b.validUntil! || byString(a.subject, b.subject))
      .slice(0, limit)
      .map((st) => st.subject);
  }

  // -------------------------------------------------------------------------------------
  // Audit log

  private head(): { seq: number; hash: string } | null {
    const last = this.audit[this.audit.length - 1];
    return last === undefined ? null : { seq: last.seq, hash: last.hash };
  }

  async auditHead(): Promise<{ seq: number; hash: string } | null> {
    return this.head();
  }

  async appendAudit(entries: AuditEntryInput[]): Promise<AuditEntry[]> {
    // No await between reading the head and appending: concurrent calls cannot fork the chain.
    const chained = chainEntries(this.head(), clone(entries)).map(defined);
    this.audit.push(...chained);
    return clone(chained);
  }

  async readAudit(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    checkLimit(limit);
    // seq n sits at index n - 1.
    const start = Math.max(0, Math.floor(afterSeq));
    return clone(this.audit.slice(start, start + limit));
  }

  async auditOfSubject(subject: SubjectId, limit: number): Promise<AuditEntry[]> {
    checkLimit(limit);
    const out: AuditEntry[] = [];
    for (let i = this.audit.length - 1; i >= 0 && out.length < limit; i--) {
      if (this.audit[i]!.subject === subject) out.push(clone(this.audit[i]!));
    }
    return out;
  }
}
