// Notices: what a subject (or a provider that received answers about them) is told of an
// adverse change. Pure: the app gives it what a subject stood at before and after a change
// (Standing), the records the change added, and the instant; it answers the notices to write
// with the change (the outbox, src/app/notices.ts). A notice carries codes and parameters a
// front end can put in any language, and an English summary; it names the reasons, the legal
// basis, the subject's rights and the deadlines that run.
//
// What counts as adverse (charter, "Due process"; FCRA §615 adverse-action notices; GDPR
// Arts. 13-14): a new adverse record, a grade that drops under a scheme in force, a new list
// entry, a measure whose restriction newly applies, and the outcome of a dispute or a review.
// Favourable changes send nothing (a subject can always look).
import { DAY_MS, iso } from './duration.ts';
import type { CompiledScheme } from './scheme-compile.ts';
import { evaluate, restorationOpensAt } from './scoring.ts';
import type { Catalogue, ListEntry, StoredRecord, SubjectId, SubjectLedger } from './types.ts';

export const NOTICE_KINDS = ['record.adverse', 'grade.dropped', 'list.entered', 'measure.in-force', 'dispute.outcome', 'review.outcome', 'listing.ending', 'restoration.outcome', 'dispute.opened'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Effects that restrict the subject: a measure newly applying with one of these is noticed. */
const RESTRICTING = new Set(['deny', 'allow_with_conditions']);

export interface NoticeRight {
  /** `dispute` (GDPR Art. 16, the credit-investigation regulation's objection), `access` (Art. 15), `review` (Art. 22(3)). */
  right: 'dispute' | 'access' | 'review' | 'contest' | 'restoration';
  /** What the subject can do, in plain words. */
  how: string;
  /** Days the other side has to answer once the right is used. */
  answerDays?: number;
}

export interface NoticeBody {
  /** English summary; the codes and parameters below are what a front end localises. */
  summary: string;
  reasons: { code: string; [k: string]: unknown }[];
  legalBasis: string | null;
  rights: NoticeRight[];
  /** Instants that matter (ISO-8601): when it stops counting, a list's statutory end. */
  deadlines: { what: string; at: string }[];
  [k: string]: unknown;
}

export interface NoticeDraft {
  subject: SubjectId;
  /** `subject` or `provider:<id>`. */
  recipient: string;
  kind: NoticeKind;
  body: NoticeBody;
}

/** What a subject stood at, at one instant, under the schemes in force. */
export interface Standing {
  /** By scheme id: the grade, its rank (higher is worse), label and score, and the version. */
  grades: Map<string, { scheme: string; grade: string; rank: number; label: string; score: number }>;
  /** Entries by `${list}|${cause}`. */
  lists: Map<string, ListEntry>;
  /** Measures whose restricting effect applies. */
  measures: Set<string>;
}

/**
 * The subject's standing at `at` from its ledgers under the schemes in force. Reads each
 * ledger once and copies what it keeps, so a ledger updated in place afterwards does not
 * change a standing taken before. Whether a measure's trigger applies is read from the
 * standing as decide() reads it from the same facts (a list entry in force, the grade under
 * the trigger's scheme, a record of the type counting): test/notices.unit.test.ts holds the two equal.
 */
export function standingOf(_subject: SubjectId, ledgers: { scheme: CompiledScheme; ledger: SubjectLedger }[], catalogue: Catalogue, at: number): Standing {
  const grades: Standing['grades'] = new Map();
  const lists: Standing['lists'] = new Map();
  const listIds = new Set<string>();
  let spans: SubjectLedger['spans'] = [];
  for (const { scheme, ledger } of ledgers) {
    const v = evaluate(ledger, scheme, at, { detail: false });
    grades.set(scheme.scheme.id, { scheme: scheme.key, grade: v.grade, rank: scheme.gradeRank.get(v.grade) ?? 0, label: scheme.gradeLabels.get(v.grade) ?? v.grade, score: v.score });
    for (const e of v.lists) {
      listIds.add(e.list);
      if (!lists.has(`${e.list}|${e.cause}`)) lists.set(`${e.list}|${e.cause}`, { ...e });
    }
    if (spans.length === 0) spans = ledger.spans;
  }
  const types = new Set<string>();
  for (const x of spans) if (x.from <= at && at < x.until) types.add(x.recordType);
  const measures = new Set<string>();
  for (const m of catalogue.measures.values()) {
    if (!RESTRICTING.has(m.effect)) continue;
    const t = m.trigger;
    const applies = 'list' in t ? listIds.has(t.list) : 'grades' in t ? t.grades.includes(grades.get(t.scheme)?.grade ?? '') : types.has(t.recordType);
    if (applies) measures.add(m.id);
  }
  return { grades, lists, measures };
}

const disputeRight = (days: number): NoticeRight => ({
  right: 'dispute',
  how: `You may dispute this record. It is marked disputed at once; its source then has ${days} days to confirm it with evidence, correct or withdraw it, and it stops counting if it is not confirmed in time.`,
  answerDays: days,
});
const ACCESS: NoticeRight = { right: 'access', how: 'You may see every record held about you, what each counts for and when it stops counting, and who asked about you.' };
const REVIEW: NoticeRight = { right: 'review', how: 'You may ask for a human review of a decision taken about you.' };

/** Days a source has to answer a dispute of a record of this type (the type's disputeDays, else 30). */
export function answerDaysOf(catalogue: Catalogue, type: string): number {
  return catalogue.recordTypes.get(type)?.disputeDays ?? 30;
}

/**
 * The notices of one change of one subject: `before` and `after` are its standing at `at`
 * without and with the change; `added` are the records the change added (their adverse ones
 * are noticed one by one; `pending` holds those that wait for a reviewer and do not count yet).
 */
export function changeNotices(
  subject: SubjectId,
  before: Standing,
  after: Standing,
  added: { record: StoredRecord; pending: boolean; expiresAt: number | null }[],
  catalogue: Catalogue,
): NoticeDraft[] {
  const out: NoticeDraft[] = [];
  const push = (kind: NoticeKind, body: NoticeBody) => out.push({ subject, recipient: 'subject', kind, body });
  for (const { record: r, pending, expiresAt } of added) {
    const type = catalogue.recordTypes.get(r.type);
    if (type?.polarity !== 'adverse') continue;
    const source = catalogue.sources.get(r.source);
    const days = answerDaysOf(catalogue, r.type);
    push('record.adverse', {
      summary: pending
        ? `${source?.name ?? r.source} reported "${type.title}" about you. It waits for a reviewer and counts only if approved; you may respond before the decision.`
        : `${source?.name ?? r.source} reported "${type.title}" about you (${iso(r.occurredAt).slice(0, 10)}).`,
      reasons: [{ code: pending ? 'ADVERSE_RECORD_PENDING_REVIEW' : 'ADVERSE_RECORD', record: r.id, recordType: r.type, source: r.source }],
      legalBasis: type.legalBasis,
      rights: [disputeRight(days), ACCESS],
      deadlines: expiresAt === null || pending ? [] : [{ what: 'stops counting', at: iso(expiresAt) }],
      record: r.id,
      recordType: r.type,
      recordTitle: type.title,
      source: r.source,
      sourceName: source?.name ?? r.source,
      occurredAt: iso(r.occurredAt),
      pendingReview: pending,
    });
  }
  for (const [schemeId, now] of after.grades) {
    const was = before.grades.get(schemeId);
    if (!was || now.rank <= was.rank) continue;
    push('grade.dropped', {
      summary: `Your grade under ${schemeId} fell from ${was.grade} (${was.label}) to ${now.grade} (${now.label}).`,
      reasons: [{ code: 'GRADE_DROPPED', scheme: now.scheme, from: was.grade, to: now.grade }],
      legalBasis: null,
      rights: [ACCESS, { right: 'dispute', how: 'You may dispute any record the grade relies on; a record not confirmed by its source in time stops counting.' }],
      deadlines: [],
      scheme: now.scheme,
      from: { grade: was.grade, label: was.label, score: was.score },
      to: { grade: now.grade, label: now.label, score: now.score },
    });
  }
  for (const [key, e] of after.lists) {
    if (before.lists.has(key)) continue;
    const list = catalogue.lists.get(e.list);
    // Where the list allows credit restoration, the entry says from when it may be applied for.
    const restoreFrom = list?.restoration && !e.cause.startsWith('grade:') ? restorationOpensAt(list.restoration, e) : null;
    const restore = restoreFrom !== null && (e.until === null || restoreFrom < e.until) ? restoreFrom : null;
    push('list.entered', {
      summary: `You were entered on the list "${list?.title ?? e.list}"${e.until !== null ? ` until ${iso(e.until).slice(0, 10)}` : ''}.`,
      reasons: [{ code: 'LIST_ENTRY', list: e.list, cause: e.cause }],
      legalBasis: e.legalBasis,
      rights: [
        ACCESS, { right: 'dispute', how: 'You may dispute the record the entry relies on.' },
        ...(restore !== null ? [{ right: 'restoration' as const, how: `Once the obligations are met you may apply for credit restoration (an early end of the entry) from ${iso(restore).slice(0, 10)}, with proof; a reviewer decides within ${list!.restoration!.decisionWorkingDays} working days.` }] : []),
      ],
      deadlines: [
        ...(e.until === null ? [] : [{ what: 'statutory end of the listing', at: iso(e.until) }]),
        ...(restore !== null ? [{ what: 'earliest application for credit restoration', at: iso(restore) }] : []),
      ],
      list: e.list,
      listTitle: list?.title ?? e.list,
      cause: e.cause,
      from: iso(e.from),
      until: e.until === null ? null : iso(e.until),
    });
  }
  for (const id of after.measures) {
    if (before.measures.has(id)) continue;
    const m = catalogue.measures.get(id)!;
    push('measure.in-force', {
      summary: `The measure "${m.title}" now applies to you (${m.effect === 'deny' ? 'refused' : 'allowed with conditions'}).`,
      reasons: [{ code: 'MEASURE_IN_FORCE', measure: id, effect: m.effect }],
      legalBasis: m.legalBasis,
      rights: [{ right: 'contest', how: m.contest }, REVIEW],
      deadlines: [],
      measure: id,
      measureTitle: m.title,
      effect: m.effect,
      crossContext: m.crossContext,
    });
  }
  return out;
}

export const RECIPIENT_LOOKBACK_MS = 365 * DAY_MS;

/**
 * A dispute of a source's record, told to the source (its inbox and webhooks): the case, the
 * record, the subject's statement (the source must examine it) and the deadline by which it
 * confirms the record with evidence, corrects or withdraws it; unanswered, the record stops
 * counting then.
 */
export function disputeOpenedNotice(subject: SubjectId, c: { id: string; record: string; source: string; statement: string; deadline: number }, recordTitle: string | null, basis: string | null): NoticeDraft {
  return {
    subject,
    recipient: `source:${c.source}`,
    kind: 'dispute.opened',
    body: {
      summary: `${subject} disputes your record ${c.record}${recordTitle ? ` ("${recordTitle}")` : ''}: confirm it with evidence, correct or withdraw it by ${iso(c.deadline).slice(0, 10)}; unanswered, it stops counting then.`,
      reasons: [{ code: 'DISPUTE_OPENED', case: c.id, record: c.record }],
      legalBasis: basis,
      rights: [],
      deadlines: [{ what: 'the source answers the dispute (POST /v1/cases/{id}/response)', at: iso(c.deadline) }],
      case: c.id,
      record: c.record,
      statement: c.statement,
    },
  };
}

/**
 * The notices of a closed dispute: to the subject (the outcome and what it means), and to each
 * provider that received an answer about the subject while the record counted, in the 12
 * months before (FCRA §611(d) notifies recent recipients). A provider learns that a decision it
 * received relied on data since re-examined, and the outcome, never the dispute's text or the record.
 */
export function disputeOutcomeNotices(
  subject: SubjectId,
  c: { id: string; record: string | null; decision: number | null; outcome: string; reason?: string },
  recordCounts: boolean,
  providers: { provider: string; decisions: number[] }[],
): NoticeDraft[] {
  const effect = c.outcome === 'lapsed'
    ? 'its source did not confirm it by the deadline, so the record no longer counts'
    : recordCounts ? 'the record keeps counting' : 'the record no longer counts';
  const target = c.record !== null ? `record ${c.record}` : `decision ${c.decision}`;
  const out: NoticeDraft[] = [
    {
      subject,
      recipient: 'subject',
      kind: 'dispute.outcome',
      body: {
        summary: c.record !== null ? `Your dispute of ${target} was closed: ${c.outcome}; ${effect}.` : `Your request for review of ${target} was closed: ${c.outcome}.`,
        reasons: [{ code: 'DISPUTE_CLOSED', case: c.id, outcome: c.outcome }],
        legalBasis: null,
        rights: [ACCESS, REVIEW],
        deadlines: [],
        case: c.id,
        record: c.record,
        decision: c.decision,
        outcome: c.outcome,
        counts: c.record !== null ? recordCounts : null,
        ...(c.reason ? { reason: c.reason } : {}),
      },
    },
  ];
  for (const p of providers) {
    out.push({
      subject,
      recipient: `provider:${p.provider}`,
      kind: 'dispute.outcome',
      body: {
        summary: `Data that ${p.decisions.length === 1 ? 'a decision' : `${p.decisions.length} decisions`} you received about ${subject} relied on was re-examined (${c.outcome}). Ask again for a current answer.`,
        reasons: [{ code: 'RELIED_ON_DATA_REEXAMINED', outcome: c.outcome }],
        legalBasis: null,
        rights: [],
        deadlines: [],
        decisions: p.decisions,
        outcome: c.outcome,
      },
    });
  }
  return out;
}

/** The notice of a reviewer's decision on a community record (a grid report): it counts from now, or never. */
export function reviewOutcomeNotice(subject: SubjectId, c: { id: string; record: string | null; outcome: string; reason?: string }, recordTitle: string | null): NoticeDraft {
  const approved = c.outcome === 'approved';
  return {
    subject,
    recipient: 'subject',
    kind: 'review.outcome',
    body: {
      summary: approved
        ? `A reviewer approved the report${recordTitle ? ` "${recordTitle}"` : ''} about you: it counts from now.`
        : `A reviewer rejected the report${recordTitle ? ` "${recordTitle}"` : ''} about you: it never counts.`,
      reasons: [{ code: approved ? 'REPORT_APPROVED' : 'REPORT_REJECTED', case: c.id, record: c.record }],
      legalBasis: null,
      rights: approved ? [{ right: 'dispute', how: 'You may dispute the record now that it counts.' }, ACCESS] : [ACCESS],
      deadlines: [],
      case: c.id,
      record: c.record,
      outcome: c.outcome,
      ...(c.reason ? { reason: c.reason } : {}),
    },
  };
}

/**
 * A reviewer decided an application for credit restoration: granted (the listing ends now,
 * reason RESTORED, and the measures it triggered with it) or refused (with the ground, and
 * the right to apply again with further proof).
 */
export function restorationOutcomeNotice(subject: SubjectId, c: { id: string; record: string; list: string; outcome: string; reason: string; basis: string }, catalogue: Catalogue): NoticeDraft {
  const granted = c.outcome === 'granted';
  const title = catalogue.lists.get(c.list)?.title ?? c.list;
  return {
    subject,
    recipient: 'subject',
    kind: 'restoration.outcome',
    body: {
      summary: granted
        ? `Your application for credit restoration was granted: your entry on the list "${title}" has ended, and the measures it triggered with it.`
        : `Your application for credit restoration was refused: your entry on the list "${title}" stays until its end date.`,
      reasons: [{ code: granted ? 'RESTORATION_GRANTED' : 'RESTORATION_REFUSED', case: c.id, record: c.record, list: c.list }],
      legalBasis: c.basis,
      rights: granted ? [ACCESS] : [{ right: 'restoration', how: 'You may apply again with further proof that the obligations are met.' }, ACCESS],
      deadlines: [],
      case: c.id,
      record: c.record,
      list: c.list,
      listTitle: title,
      outcome: c.outcome,
      reason: c.reason,
    },
  };
}

/** Days before a listing's statutory end that the subject is told it is about to end. */
export const LISTING_ENDING_NOTICE_DAYS = 30;

/** A listing is about to end: when, and what ends with it. */
export function listingEndingNotice(subject: SubjectId, e: ListEntry, catalogue: Catalogue): NoticeDraft {
  const list = catalogue.lists.get(e.list);
  const ending = [...catalogue.measures.values()].filter((m) => RESTRICTING.has(m.effect) && 'list' in m.trigger && m.trigger.list === e.list).map((m) => m.id);
  return {
    subject,
    recipient: 'subject',
    kind: 'listing.ending',
    body: {
      summary: `Your entry on the list "${list?.title ?? e.list}" ends on ${iso(e.until!).slice(0, 10)}, and the measures it triggers end with it.`,
      reasons: [{ code: 'LISTING_ENDING', list: e.list, cause: e.cause }],
      legalBasis: e.legalBasis,
      rights: [ACCESS],
      deadlines: [{ what: 'statutory end of the listing', at: iso(e.until!) }],
      list: e.list,
      listTitle: list?.title ?? e.list,
      cause: e.cause,
      until: iso(e.until!),
      measuresEnding: ending,
    },
  };
}
