// Due process over the store: disputes of records and decisions, a source's answer (confirm
// with evidence, withdraw), withdrawal of a record sent in error, a reviewer's decision, and
// the review of community records before they count. Every step is an annotation of the
// subject (Credence.annotate): the marks, the case, the recomputed states and the step's audit
// entry commit together, optimistically against concurrent writers of the subject.
//
// A case's stored status is what the last step left; two transitions happen by themselves and
// are derived when a case is read: an open dispute whose record was revoked (corrected by its
// source) is closed `corrected`, and one whose deadline passed unconfirmed is closed `lapsed`
// (the record stopped counting at the deadline, which scoring already applies).
import { randomBytes } from 'node:crypto';
import { addWorkingDays, DAY_MS, iso, isoDate } from '../domain/duration.ts';
import { disputeOpenedNotice, disputeOutcomeNotices, RECIPIENT_LOOKBACK_MS, restorationOutcomeNotice, reviewOutcomeNotice, type NoticeDraft } from '../domain/notices.ts';
import { activeAt, disputeWindowMs, restorationOpensAt } from '../domain/scoring.ts';
import type { StoredRecord, SubjectId } from '../domain/types.ts';
import { CASE_KINDS, type CaseQuery, type CaseRow } from '../ports/store.ts';
import { NotFoundError, type Credence } from './credence.ts';

/** An expected refusal of a due-process step: a code from docs/codes.md and a message. */
export class DueProcessError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export const DISPUTE_STATUSES = ['open', 'in-review', 'closed'] as const;
export { DISPUTE_OUTCOMES } from '../domain/types.ts';
export const REVIEW_OUTCOMES = ['approved', 'rejected'] as const;
export const RESTORATION_OUTCOMES = ['granted', 'refused'] as const;
/** The outcomes a reviewer may give a case of each kind. */
const DECISION_OUTCOMES: Record<CaseRow['kind'], readonly string[]> = { dispute: ['upheld', 'rejected'], review: REVIEW_OUTCOMES, restoration: RESTORATION_OUTCOMES };
/** Days a reviewer has to decide a dispute after its source confirmed the record (or of a decision). */
export const DISPUTE_REVIEW_DAYS = 10;
/** The stated reason of the simulated town's reviewer (server seed, demo). */
export const SIMULATED_REVIEW_REASON = 'simulated town: the simulated grid reviewer approves the simulated reports';
/** Statements, reasons and evidence references: bounded like record strings. */
const TEXT_MAX = 2000;
const EVIDENCE_MAX = 20;

export interface Step {
  at: number;
  step: string;
  by: string;
  reason?: string;
  evidence?: string[];
}

/** A case as people read it: stored fields plus the derived status and outcome at `at`. */
export interface CaseView {
  id: string;
  kind: CaseRow['kind'];
  subject: SubjectId;
  status: string;
  outcome: string | null;
  dueAt: number | null;
  overdue: boolean;
  assignee: string | null;
  createdAt: number;
  updatedAt: number;
  record: string | null;
  decision: number | null;
  /** The list a restoration asks to leave. */
  list: string | null;
  source: string | null;
  statement: string | null;
  /** Under four eyes: the first reviewer's outcome, waiting for a second reviewer's. */
  proposal: Proposal | null;
  history: Step[];
}

export interface Proposal {
  outcome: string;
  by: string;
  at: number;
  reason: string;
}

const newCaseId = (now: number, kind: 'dispute' | 'restoration' = 'dispute') => `${kind}:${now.toString(36).padStart(9, '0')}${randomBytes(4).toString('hex')}`;

function text(v: unknown, what: string, opts: { min?: number } = {}): string {
  if (typeof v !== 'string' || v.trim().length < (opts.min ?? 1)) throw new DueProcessError('DUE_PROCESS_INVALID', `${what} is required${opts.min ? ` (at least ${opts.min} characters)` : ''}`);
  if (v.length > TEXT_MAX) throw new DueProcessError('DUE_PROCESS_INVALID', `${what} is longer than ${TEXT_MAX} characters`);
  return v.trim();
}

function evidenceOf(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > EVIDENCE_MAX || v.some((x) => typeof x !== 'string' || x.length === 0 || x.length > 500)) {
    throw new DueProcessError('DUE_PROCESS_INVALID', `evidence is a list of at most ${EVIDENCE_MAX} references of 1-500 characters`);
  }
  return v as string[];
}

/** Who opened a case: the key that submitted a review item's record, the filer of an application. */
const openedBy = (c: CaseRow): string | undefined => (c.body.history as Step[] | undefined)?.[0]?.by;

/** The status and outcome of a case at `at`, with the automatic transitions applied. */
export function viewOf(c: CaseRow, record: StoredRecord | undefined, at: number): CaseView {
  const b = c.body as { record?: string; decision?: number; list?: string; source?: string; statement?: string; outcome?: string; proposal?: Proposal; history?: Step[] };
  let status = c.status;
  let outcome = b.outcome ?? null;
  let dueAt = c.dueAt;
  if (c.kind === 'dispute' && status === 'open' && record) {
    if (record.revokedAt !== undefined && record.revokedAt >= c.createdAt) {
      [status, outcome, dueAt] = ['closed', 'corrected', null];
    } else if (c.dueAt !== null && at >= c.dueAt) {
      [status, outcome, dueAt] = ['closed', 'lapsed', null];
    }
  }
  return {
    id: c.id,
    kind: c.kind,
    subject: c.subject,
    status,
    outcome,
    dueAt,
    overdue: dueAt !== null && at >= dueAt,
    assignee: c.assignee,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    record: b.record ?? null,
    decision: b.decision ?? null,
    list: b.list ?? null,
    source: b.source ?? record?.source ?? null,
    statement: b.statement ?? null,
    proposal: status === 'closed' ? null : (b.proposal ?? null),
    history: b.history ?? [],
  };
}

export class DueProcess {
  constructor(private readonly c: Credence) {}

  /**
   * The notices of a closed dispute: to the subject, and to each provider that received a
   * decision about the subject in the 12 months before while the record counted (for a
   * disputed decision: that decision's provider).
   */
  private async outcomeNotices(row: CaseRow, r: StoredRecord | undefined, outcome: string, reason: string | undefined, now: number, recordCounts: boolean): Promise<NoticeDraft[]> {
    const from = Math.max(now - RECIPIENT_LOOKBACK_MS, r ? r.recordedAt : Number.NEGATIVE_INFINITY);
    const decision = typeof row.body.decision === 'number' ? row.body.decision : null;
    const byProvider = new Map<string, number[]>();
    for (const e of await this.c.store.auditOfSubject(row.subject, 10_000)) {
      if (e.action !== 'decision' || (decision !== null ? e.seq !== decision : e.at < from || e.at > now)) continue;
      const provider = (e.detail as { provider?: unknown }).provider;
      if (typeof provider !== 'string') continue;
      byProvider.set(provider, [...(byProvider.get(provider) ?? []), e.seq]);
    }
    const providers = [...byProvider].sort(([a], [b]) => (a < b ? -1 : 1)).map(([provider, decisions]) => ({ provider, decisions: decisions.sort((a, b) => a - b) }));
    return disputeOutcomeNotices(row.subject, { id: row.id, record: r?.id ?? null, decision, outcome, ...(reason ? { reason } : {}) }, recordCounts, providers);
  }

  private async caseRow(id: string): Promise<CaseRow> {
    const row = await this.c.store.getCase(id);
    if (!row) throw new NotFoundError('CASE_NOT_FOUND', `no case ${id}`);
    return row;
  }

  /** One case at `at`, with its automatic transitions. */
  async case(id: string, at = this.c.now()): Promise<CaseView> {
    const row = await this.caseRow(id);
    const rec = typeof row.body.record === 'string' ? ((await this.c.store.getRecord(row.body.record)) ?? undefined) : undefined;
    return viewOf(row, rec, at);
  }

  /**
   * Cases matching the query, a page at a time, with their status at `at`. `overdue` keeps
   * those whose next step is due before `at`.
   */
  async cases(q: CaseQuery & { overdue?: boolean }, after: string | null, limit: number, at = this.c.now()): Promise<{ items: CaseView[]; next: string | null }> {
    const { overdue, ...query } = q;
    const rows = await this.c.store.listCases(overdue ? { ...query, dueBefore: at + 1 } : query, after, limit);
    const recs = await this.c.store.getRecords(rows.map((r) => r.body.record).filter((x): x is string => typeof x === 'string'));
    const items = rows.map((r) => viewOf(r, typeof r.body.record === 'string' ? recs.get(r.body.record) : undefined, at));
    return { items: overdue ? items.filter((v) => v.overdue) : items, next: rows.length === limit ? rows[rows.length - 1]!.id : null };
  }

  /**
   * Cases waiting for a reviewer, and how many of them are past their deadline at `at` (for
   * the metrics): disputes a source confirmed (or of decisions), community and four-eyes
   * review items, restorations. A dispute still waiting for its source is not counted: past
   * its deadline it lapses by itself.
   */
  async reviewerQueue(at = this.c.now()): Promise<{ kind: CaseRow['kind']; waiting: number; overdue: number }[]> {
    const waitingStatus: Record<CaseRow['kind'], string> = { dispute: 'in-review', review: 'open', restoration: 'in-review' };
    return Promise.all(CASE_KINDS.map(async (kind) => {
      const q = { kind, status: [waitingStatus[kind]] };
      const [waiting, overdue] = await Promise.all([this.c.store.countCases(q), this.c.store.countCases({ ...q, dueBefore: at + 1 })]);
      return { kind, waiting, overdue };
    }));
  }

  /**
   * A subject disputes one of their records, or a decision taken about them. The record is
   * marked disputed at once (answers relying on it say DISPUTED_RECORD); its source has the
   * days its basis sets (30 by default, 20 under the PBoC rule) to confirm, correct or
   * withdraw it. A decision goes to a reviewer (a human review of an automated decision).
   */
  async openDispute(subject: SubjectId, target: { record?: string; decision?: number }, statementRaw: unknown, by: { actor: string; onBehalfReason?: string }): Promise<CaseView> {
    const statement = text(statementRaw, 'statement (what is wrong, in the subject\'s words)', { min: 10 });
    if ((target.record === undefined) === (target.decision === undefined)) throw new DueProcessError('DUE_PROCESS_INVALID', 'a dispute names either a record or a decision');
    let decisionEntry: { seq: number; at: number; detail: Record<string, unknown> } | undefined;
    if (target.decision !== undefined) {
      const e = Number.isSafeInteger(target.decision) && target.decision > 0 ? (await this.c.store.readAudit(target.decision - 1, 1))[0] : undefined;
      if (!e || e.seq !== target.decision || e.action !== 'decision' || e.subject !== subject) {
        throw new NotFoundError('DECISION_NOT_FOUND', `decision ${target.decision} is not a logged decision about ${subject}`);
      }
      decisionEntry = e;
    }
    const out = await this.c.annotate(subject, async (records, now) => {
      const history: Step[] = [{ at: now, step: 'opened', by: by.actor, ...(by.onBehalfReason ? { reason: `on behalf of the subject: ${by.onBehalfReason}` } : {}) }];
      if (decisionEntry) {
        const row: CaseRow = {
          id: newCaseId(now), kind: 'dispute', subject, status: 'in-review', dueAt: now + DISPUTE_REVIEW_DAYS * DAY_MS, assignee: null, createdAt: now, updatedAt: now,
          body: { decision: decisionEntry.seq, measure: decisionEntry.detail.measure, statement, history },
        };
        return { marks: [], cases: [row], audit: [{ at: now, actor: by.actor, action: 'dispute.open', subject, detail: { case: row.id, decision: decisionEntry.seq, ...(by.onBehalfReason ? { reason: by.onBehalfReason } : {}) } }], result: { row } };
      }
      const r = records.find((x) => x.id === target.record);
      if (!r) throw new NotFoundError('RECORD_NOT_FOUND', `no record ${target.record} about ${subject}`);
      if (r.revokedAt !== undefined || r.withdrawnAt !== undefined || r.rejectedAt !== undefined) {
        throw new DueProcessError('DISPUTE_RECORD_NOT_COUNTING', `record ${r.id} no longer counts (${r.revokedAt !== undefined ? 'revoked' : r.withdrawnAt !== undefined ? 'withdrawn' : 'rejected on review'}); there is nothing to dispute`);
      }
      const open = await this.c.store.listCases({ kind: 'dispute', record: r.id, status: ['open', 'in-review'] }, null, 10);
      const live = open.map((c0) => viewOf(c0, r, now)).find((v) => v.status !== 'closed');
      if (live) throw new DueProcessError('DISPUTE_ALREADY_OPEN', `record ${r.id} is already disputed (case ${live.id}, ${live.status})`);
      const deadline = now + disputeWindowMs(this.c.catalogue, r.type);
      const row: CaseRow = {
        id: newCaseId(now), kind: 'dispute', subject, status: 'open', dueAt: deadline, assignee: null, createdAt: now, updatedAt: now,
        body: { record: r.id, source: r.source, type: r.type, statement, history },
      };
      return {
        // A new dispute starts a new period: an earlier confirmation does not answer it.
        marks: [{ recordId: r.id, mark: { disputedAt: now, confirmedAt: null } }],
        cases: [row],
        audit: [{ at: now, actor: by.actor, action: 'dispute.open', subject, detail: { case: row.id, record: r.id, deadline: iso(deadline), ...(by.onBehalfReason ? { reason: by.onBehalfReason } : {}) } }],
        // The source is told at once, with the statement and its deadline.
        notices: [disputeOpenedNotice(subject, { id: row.id, record: r.id, source: r.source, statement, deadline }, this.c.catalogue.recordTypes.get(r.type)?.title ?? null, this.c.catalogue.recordTypes.get(r.type)?.legalBasis ?? null)],
        result: { row },
      };
    });
    return this.case(out.row.id);
  }

  /**
   * A listed subject applies for credit restoration: an early end of the listing a record
   * caused, on a list whose catalogue entry allows it (NDRC Order 58), once the minimum time
   * listed has passed, with proof of remedy (debt paid, fine settled). A reviewer decides
   * within the working days the list's basis sets; the application and the decision are
   * audit entries about the subject, and the decision is noticed to them.
   */
  async applyRestoration(subject: SubjectId, recordId: unknown, statementRaw: unknown, evidenceRaw: unknown, by: { actor: string; onBehalfReason?: string }): Promise<CaseView> {
    if (typeof recordId !== 'string' || recordId.length === 0) throw new DueProcessError('DUE_PROCESS_INVALID', 'record (the id of the record that caused the listing) is required');
    const statement = text(statementRaw, 'statement (how the obligations were met)', { min: 10 });
    const evidence = evidenceOf(evidenceRaw);
    if (!evidence || evidence.length === 0) throw new DueProcessError('DUE_PROCESS_INVALID', 'an application for restoration needs proof of remedy (at least one evidence reference: a receipt, a court certificate)');
    const now0 = this.c.now();
    const ledgers = await this.c.ledgers(subject, now0);
    const entries = [...ledgers.values()].flatMap(({ ledger }) => ledger.recordListings).filter((e) => e.cause === recordId);
    const live = entries.filter((e) => activeAt(e, now0));
    if (live.length === 0) {
      throw new DueProcessError('RESTORATION_NOT_APPLICABLE', entries.length === 0
        ? `record ${recordId} caused no listing of ${subject}; restoration ends a listing`
        : `the listing that record ${recordId} caused is not in force (it ended ${isoDate(Math.max(...entries.map((e) => e.until ?? 0)))})`);
    }
    const entry = live.find((e) => this.c.catalogue.lists.get(e.list)?.restoration) ?? live[0]!;
    const rule = this.c.catalogue.lists.get(entry.list)?.restoration;
    if (!rule) {
      throw new DueProcessError('RESTORATION_NOT_APPLICABLE', `the list ${entry.list} has no credit restoration under its basis: the listing ends at its statutory end or when the body that listed ends it (for a court's list, a delisting)`);
    }
    const earliest = restorationOpensAt(rule, entry);
    if (now0 < earliest) {
      throw new DueProcessError('RESTORATION_TOO_EARLY', `restoration from ${entry.list} may be applied for ${rule.after} after the listing began (${isoDate(entry.from)}), from ${isoDate(earliest)}; the basis: ${rule.legalBasis}`);
    }
    const out = await this.c.annotate(subject, async (records, now) => {
      const r = records.find((x) => x.id === recordId);
      if (!r) throw new NotFoundError('RECORD_NOT_FOUND', `no record ${recordId} about ${subject}`);
      if (r.restoredAt !== undefined) throw new DueProcessError('RESTORATION_NOT_APPLICABLE', `restoration from the listing of record ${recordId} was already granted on ${isoDate(r.restoredAt)}`);
      const open = await this.c.store.listCases({ kind: 'restoration', record: recordId, status: ['in-review'] }, null, 10);
      if (open.length > 0) throw new DueProcessError('RESTORATION_ALREADY_OPEN', `an application for restoration from this listing is already open (case ${open[0]!.id}, due ${open[0]!.dueAt === null ? 'now' : isoDate(open[0]!.dueAt)})`);
      const due = addWorkingDays(now, rule.decisionWorkingDays);
      const history: Step[] = [{ at: now, step: 'opened', by: by.actor, evidence, ...(by.onBehalfReason ? { reason: `on behalf of the subject: ${by.onBehalfReason}` } : {}) }];
      const row: CaseRow = {
        id: newCaseId(now, 'restoration'), kind: 'restoration', subject, status: 'in-review', dueAt: due, assignee: null, createdAt: now, updatedAt: now,
        body: { record: r.id, source: r.source, list: entry.list, listedFrom: entry.from, basis: rule.legalBasis, statement, evidence, history },
      };
      return {
        marks: [],
        cases: [row],
        audit: [{ at: now, actor: by.actor, action: 'restoration.apply', subject, detail: { case: row.id, record: r.id, list: entry.list, due: iso(due), evidence: evidence.length, ...(by.onBehalfReason ? { reason: by.onBehalfReason } : {}) } }],
        result: { row },
      };
    });
    return this.case(out.row.id);
  }

  /**
   * The source answers a dispute of its record: `confirm` (with evidence; the record keeps
   * counting and a reviewer decides) or `withdraw` (sent in error; it stops counting now).
   * A correction is a new record that revokes the disputed one (the case then closes itself).
   */
  async respond(caseId: string, action: unknown, reasonRaw: unknown, evidenceRaw: unknown, by: { actor: string; source: string | null }): Promise<CaseView> {
    if (action !== 'confirm' && action !== 'withdraw') throw new DueProcessError('DUE_PROCESS_INVALID', `action must be confirm or withdraw, got ${JSON.stringify(action)}`);
    const reason = text(reasonRaw, 'reason', { min: 10 });
    const evidence = evidenceOf(evidenceRaw);
    if (action === 'confirm' && (!evidence || evidence.length === 0)) throw new DueProcessError('DUE_PROCESS_INVALID', 'a confirmation needs evidence (at least one reference)');
    const first = await this.caseRow(caseId);
    await this.c.annotate(first.subject, async (records, now) => {
      const row = await this.caseRow(caseId);
      const r = records.find((x) => x.id === row.body.record);
      if (row.kind !== 'dispute' || !r) throw new DueProcessError('CASE_STEP_NOT_ALLOWED', `case ${caseId} is not a dispute of a record`);
      if (by.source !== null && by.source !== r.source) throw new DueProcessError('FORBIDDEN_OBJECT', `case ${caseId} is about a record of another source`);
      const v = viewOf(row, r, now);
      if (v.status !== 'open') throw new DueProcessError('CASE_STEP_NOT_ALLOWED', `case ${caseId} is ${v.status}${v.outcome ? ` (${v.outcome})` : ''}: its source can no longer answer it`);
      const step: Step = { at: now, step: action === 'confirm' ? 'confirmed' : 'withdrawn', by: by.actor, reason, ...(evidence ? { evidence } : {}) };
      const history = [...(row.body.history as Step[]), step];
      const next: CaseRow = action === 'confirm'
        ? { ...row, status: 'in-review', dueAt: Math.max(row.dueAt ?? now, now + DISPUTE_REVIEW_DAYS * DAY_MS), updatedAt: now, body: { ...row.body, history } }
        : { ...row, status: 'closed', dueAt: null, updatedAt: now, body: { ...row.body, outcome: 'withdrawn', history } };
      return {
        marks: [{ recordId: r.id, mark: action === 'confirm' ? { confirmedAt: now } : { withdrawnAt: now } }],
        cases: [next],
        audit: [{ at: now, actor: by.actor, action: action === 'confirm' ? 'dispute.confirm' : 'record.withdraw', subject: row.subject, detail: { case: caseId, record: r.id, reason, ...(evidence ? { evidence: evidence.length } : {}) } }],
        notices: action === 'withdraw' ? await this.outcomeNotices(row, r, 'withdrawn', reason, now, false) : [],
        result: {},
      };
    });
    return this.case(caseId);
  }

  /**
   * A source withdraws a record it sent in error (a neutral withdrawal: no new record, no
   * mark against the subject); it stops counting now, and an open dispute of it closes as
   * `withdrawn`.
   */
  async withdraw(recordId: string, reasonRaw: unknown, by: { actor: string; source: string | null }): Promise<{ record: string; withdrawnAt: number; closed: string[] }> {
    const reason = text(reasonRaw, 'reason', { min: 10 });
    const rec = await this.c.store.getRecord(recordId);
    if (!rec) throw new NotFoundError('RECORD_NOT_FOUND', `no record ${recordId}`);
    if (by.source !== null && by.source !== rec.source) throw new DueProcessError('FORBIDDEN_OBJECT', `record ${recordId} is another source's`);
    const out = await this.c.annotate(rec.subject, async (records, now) => {
      const r = records.find((x) => x.id === recordId)!;
      if (r.withdrawnAt !== undefined) throw new DueProcessError('RECORD_ALREADY_WITHDRAWN', `record ${recordId} was already withdrawn on ${iso(r.withdrawnAt)}`);
      if (r.revokedAt !== undefined) throw new DueProcessError('RECORD_ALREADY_REVOKED', `record ${recordId} was already revoked by ${r.revokedBy}`);
      const open = (await this.c.store.listCases({ record: recordId, status: ['open', 'in-review'] }, null, 100)).filter((c0) => viewOf(c0, r, now).status !== 'closed');
      const closed = open.map((c0): CaseRow => ({
        ...c0, status: 'closed', dueAt: null, updatedAt: now,
        body: { ...c0.body, outcome: c0.kind === 'review' ? 'rejected' : 'withdrawn', history: [...(c0.body.history as Step[]), { at: now, step: 'withdrawn', by: by.actor, reason }] },
      }));
      return {
        marks: [{ recordId, mark: { withdrawnAt: now } }],
        cases: closed,
        audit: [{ at: now, actor: by.actor, action: 'record.withdraw', subject: r.subject, detail: { record: recordId, reason, cases: closed.map((c0) => c0.id) } }],
        notices: (await Promise.all(closed.filter((c0) => c0.kind === 'dispute').map((c0) => this.outcomeNotices(c0, r, 'withdrawn', reason, now, false)))).flat(),
        result: { record: recordId, withdrawnAt: now, closed: closed.map((c0) => c0.id) },
      };
    });
    return { record: out.record, withdrawnAt: out.withdrawnAt, closed: out.closed };
  }

  /**
   * A reviewer decides a case with a written reason. A dispute: `upheld` (the subject is
   * right: the record is withdrawn now; for a decision, the review says it was wrong) or
   * `rejected` (the record stands, confirmed by the reviewer). A review item: `approved` (the
   * community record counts from now) or `rejected` (it never counts).
   */
  async decide(caseId: string, outcome: unknown, reasonRaw: unknown, by: { actor: string }): Promise<CaseView> {
    const reason = text(reasonRaw, 'reason (the written ground of the decision)', { min: 10 });
    const first = await this.caseRow(caseId);
    const allowed = DECISION_OUTCOMES[first.kind];
    if (typeof outcome !== 'string' || !allowed.includes(outcome)) {
      throw new DueProcessError('DUE_PROCESS_INVALID', `outcome of a ${first.kind} must be one of ${allowed.join(', ')}, got ${JSON.stringify(outcome)}`);
    }
    await this.c.annotate(first.subject, async (records, now) => {
      const row = await this.caseRow(caseId);
      const r = typeof row.body.record === 'string' ? records.find((x) => x.id === row.body.record) : undefined;
      const v = viewOf(row, r, now);
      if (v.status === 'closed') throw new DueProcessError('CASE_STEP_NOT_ALLOWED', `case ${caseId} is closed (${v.outcome})`);
      if (row.kind !== 'dispute' && openedBy(row) === by.actor) {
        throw new DueProcessError('CASE_STEP_NOT_ALLOWED', row.kind === 'review'
          ? `case ${caseId}: the key that submitted the record cannot review it (four eyes)`
          : `case ${caseId}: the operator who filed the application cannot decide it (four eyes)`);
      }
      // Four eyes: a dispute's or a restoration's outcome takes two reviewers. The first one's
      // is a proposal; a second reviewer giving the same outcome decides; another outcome
      // replaces the proposal (and needs a second reviewer in turn).
      if (this.c.catalogue.fourEyes && (row.kind === 'dispute' || row.kind === 'restoration')) {
        const proposal = row.body.proposal as Proposal | undefined;
        if (proposal?.outcome === outcome && proposal.by === by.actor) {
          throw new DueProcessError('CASE_STEP_NOT_ALLOWED', `case ${caseId}: ${by.actor} proposed ${outcome as string}; a second reviewer decides it (four eyes)`);
        }
        if (proposal?.outcome !== outcome) {
          const proposed: Proposal = { outcome: outcome as string, by: by.actor, at: now, reason };
          return {
            marks: [],
            cases: [{ ...row, updatedAt: now, body: { ...row.body, proposal: proposed, history: [...(row.body.history as Step[]), { at: now, step: 'proposed', by: by.actor, reason: `${outcome as string}: ${reason}` }] } }],
            audit: [{ at: now, actor: by.actor, action: 'case.propose', subject: row.subject, detail: { case: caseId, outcome, ...(r ? { record: r.id } : {}), reason, ...(proposal ? { replaces: proposal.outcome } : {}) } }],
            result: {},
          };
        }
      }
      const history = [...(row.body.history as Step[]), { at: now, step: outcome as string, by: by.actor, reason }];
      const next: CaseRow = { ...row, status: 'closed', dueAt: null, updatedAt: now, body: { ...row.body, outcome, history } };
      const marks = !r
        ? []
        : row.kind === 'restoration'
          ? (outcome === 'granted' ? [{ recordId: r.id, mark: { restoredAt: now } }] : [])
          : row.kind === 'review'
          ? [{ recordId: r.id, mark: outcome === 'approved' ? { approvedAt: now } : { rejectedAt: now } }]
          : outcome === 'upheld'
            ? [{ recordId: r.id, mark: { withdrawnAt: now } }]
            : [{ recordId: r.id, mark: { confirmedAt: r.confirmedAt ?? now } }];
      const action = `${row.kind}.${outcome as string}`;
      return {
        marks,
        cases: [next],
        audit: [{ at: now, actor: by.actor, action, subject: row.subject, detail: { case: caseId, ...(r ? { record: r.id } : {}), ...(row.body.decision !== undefined ? { decision: row.body.decision } : {}), ...(row.body.list !== undefined ? { list: row.body.list } : {}), reason } }],
        notices: row.kind === 'restoration'
          ? [restorationOutcomeNotice(row.subject, { id: caseId, record: row.body.record as string, list: row.body.list as string, outcome: outcome as string, reason, basis: row.body.basis as string }, this.c.catalogue)]
          : row.kind === 'review'
          ? [reviewOutcomeNotice(row.subject, { id: caseId, record: r?.id ?? null, outcome: outcome as string, reason }, r ? (this.c.catalogue.recordTypes.get(r.type)?.title ?? null) : null)]
          : await this.outcomeNotices(row, r, outcome as string, reason, now, outcome === 'rejected'),
        result: {},
      };
    });
    return this.case(caseId);
  }

  /**
   * Approves every open review item, one annotation per subject (for a simulated town, whose
   * simulated grid reviewer approves the simulated reports; a real queue is decided item by item).
   */
  async approveAllOpen(reasonRaw: string, by: { actor: string }): Promise<number> {
    const reason = text(reasonRaw, 'reason', { min: 10 });
    const bySubject = new Map<SubjectId, string[]>();
    for (let after: string | null = null; ; ) {
      const rows = await this.c.store.listCases({ kind: 'review', status: ['open'] }, after, 1000);
      for (const r of rows) bySubject.set(r.subject, [...(bySubject.get(r.subject) ?? []), r.id]);
      if (rows.length < 1000) break;
      after = rows[rows.length - 1]!.id;
    }
    let n = 0;
    for (const [subject, ids] of bySubject) {
      await this.c.annotate(subject, async (records, now) => {
        const cases = (await Promise.all(ids.map((id) => this.caseRow(id)))).filter((row) => row.status === 'open' && openedBy(row) !== by.actor);
        const known = new Set(records.map((r) => r.id));
        const live = cases.filter((row) => typeof row.body.record === 'string' && known.has(row.body.record));
        n += live.length;
        return {
          marks: live.map((row) => ({ recordId: row.body.record as string, mark: { approvedAt: now } })),
          cases: live.map((row) => ({ ...row, status: 'closed', dueAt: null, updatedAt: now, body: { ...row.body, outcome: 'approved', history: [...(row.body.history as Step[]), { at: now, step: 'approved', by: by.actor, reason }] } })),
          audit: live.map((row) => ({ at: now, actor: by.actor, action: 'review.approved', subject, detail: { case: row.id, record: row.body.record, reason } })),
          notices: live.map((row) => {
            const r = records.find((x) => x.id === row.body.record);
            return reviewOutcomeNotice(subject, { id: row.id, record: row.body.record as string, outcome: 'approved', reason }, r ? (this.c.catalogue.recordTypes.get(r.type)?.title ?? null) : null);
          }),
          result: {},
        };
      });
    }
    return n;
  }

  /**
   * Writes down a dispute's close by itself (maintenance): the deadline passed unconfirmed
   * (`lapsed`; the record stopped counting at the deadline) or the source corrected the record
   * (`corrected`). The outcome's notices go to the subject and to recent recipients. Returns
   * the outcome, or null when the case is not closed by itself (still running, or closed by a step).
   */
  async closeByDeadline(caseId: string, actor: string): Promise<'lapsed' | 'corrected' | null> {
    const first = await this.caseRow(caseId);
    let outcome: 'lapsed' | 'corrected' | null = null;
    await this.c.annotate(first.subject, async (records, now) => {
      const row = await this.caseRow(caseId);
      const r = typeof row.body.record === 'string' ? records.find((x) => x.id === row.body.record) : undefined;
      const v = viewOf(row, r, now);
      outcome = row.status === 'open' && v.status === 'closed' && (v.outcome === 'lapsed' || v.outcome === 'corrected') ? v.outcome : null;
      if (outcome === null) return { marks: [], cases: [], audit: [], result: {} };
      const at = outcome === 'lapsed' ? row.dueAt! : r!.revokedAt!;
      const history = [...(row.body.history as Step[]), { at, step: outcome, by: actor, reason: outcome === 'lapsed' ? 'its source did not confirm the record by the deadline' : `its source corrected the record (revoked by ${r!.revokedBy})` }];
      return {
        marks: [],
        cases: [{ ...row, status: 'closed', dueAt: null, updatedAt: now, body: { ...row.body, outcome, history } }],
        audit: [{ at: now, actor, action: `dispute.${outcome}`, subject: row.subject, detail: { case: caseId, record: r!.id, at: iso(at) } }],
        notices: await this.outcomeNotices(row, r, outcome, undefined, now, false),
        result: {},
      };
    });
    return outcome;
  }

  /** Assigns a case to a reviewer (an operator key id or name); logged. */
  async assign(caseId: string, assigneeRaw: unknown, by: { actor: string }): Promise<CaseView> {
    const assignee = text(assigneeRaw, 'assignee');
    const first = await this.caseRow(caseId);
    await this.c.annotate(first.subject, async (records, now) => {
      const row = await this.caseRow(caseId);
      const r = typeof row.body.record === 'string' ? records.find((x) => x.id === row.body.record) : undefined;
      if (viewOf(row, r, now).status === 'closed') throw new DueProcessError('CASE_STEP_NOT_ALLOWED', `case ${caseId} is closed`);
      const history = [...(row.body.history as Step[]), { at: now, step: 'assigned', by: by.actor, reason: assignee }];
      return {
        marks: [],
        cases: [{ ...row, assignee, updatedAt: now, body: { ...row.body, history } }],
        audit: [{ at: now, actor: by.actor, action: 'case.assign', subject: row.subject, detail: { case: caseId, assignee } }],
        result: {},
      };
    });
    return this.case(caseId);
  }
}
