// decide(subject, measure, at): may this subject use this service? Pure and fast: it reads
// the subject's evaluated views, never the records themselves, and answers allow, deny or
// allow with conditions, with reason codes in the precedence documented in docs/codes.md,
// the legal basis, and how to contest.
//
// The answer is minimal by construction (charter, "Due process": providers get allow/deny,
// reason codes, legal basis and recourse; never the record, the score or the grade). A
// Decision has no field for a score, a grade, a record id or a record's content, and its
// messages are neutral: they say which condition of the measure is met ("the grade
// condition of measure X is met under scheme rongcheng@1"), never the points, the grade
// name, the ground of a direct grading or the record behind a listing. What the measure
// itself publishes (its trigger, legal basis, conditions, contest, cross-context flag) is
// in the public catalogue anyway, and stays in the answer.
import type { Measure, RecordSpan, ScoreView } from './types.ts';

export type Outcome = 'allow' | 'deny' | 'allow_with_conditions';

/** Reason codes, in precedence order: the first that applies leads. */
export const REASON_PRECEDENCE = [
  'LIST_ENTRY',
  'DIRECT_GRADE',
  'GRADE_BAND',
  'RECORD_PRESENT',
  'DISPUTED_RECORD',
  'NOT_TRIGGERED',
  'NOT_QUALIFIED',
  'NO_RECORDS',
] as const;
export type ReasonCode = (typeof REASON_PRECEDENCE)[number];

export interface DecisionReason {
  code: ReasonCode;
  /** Neutral text: which condition of the measure is met, never points, grade or record contents. */
  message: string;
  /** The triggering list (LIST_ENTRY), as the measure's public trigger names it. */
  list?: string;
  /** When this reason stops applying (statutory end, expiry, end of a direct grading), if known. */
  until?: number | null;
}

export interface Decision {
  subject: string;
  measure: string;
  at: number;
  outcome: Outcome;
  /** The measure's effect (deny, allow_with_conditions, waive_deposit, priority), as the catalogue publishes it. */
  effect: Measure['effect'];
  /** Whether the measure's trigger applies to the subject, i.e. whether its effect is what the outcome carries. */
  applies: boolean;
  reasons: DecisionReason[];
  /** Conditions of the answer: the terms of a granted measure, or the standard terms of a reward not granted. */
  conditions: string[];
  legalBasis: string;
  contest: string;
  crossContext: boolean;
}

/** What decide needs to know of a subject: views per scheme and its record spans. */
export interface DecisionFacts {
  subject: string;
  known: boolean;
  /** Evaluated view per scheme id (the trigger names a scheme id, e.g. `rongcheng`). */
  views: Map<string, ScoreView>;
  /** Record spans (from any ledger) for record-type triggers. */
  spans: RecordSpan[];
  /** Record ids currently disputed. */
  disputed: Set<string>;
}

const rank = (code: ReasonCode) => REASON_PRECEDENCE.indexOf(code);

/** Lists the subject is on at the view's instant, across all schemes, de-duplicated by cause. */
function listEntries(facts: DecisionFacts, list: string) {
  const seen = new Map<string, ScoreView['lists'][number]>();
  for (const v of facts.views.values()) for (const e of v.lists) if (e.list === list && !seen.has(e.cause)) seen.set(e.cause, e);
  return [...seen.values()];
}

export function decide(facts: DecisionFacts, measure: Measure, at: number): Decision {
  // Each matched reason remembers the record behind it (if any) only here, to flag a
  // disputed trigger; the record id never leaves this function.
  const matched: { reason: DecisionReason; recordId?: string }[] = [];
  const t = measure.trigger;
  if ('list' in t) {
    for (const e of listEntries(facts, t.list)) {
      matched.push({
        reason: { code: 'LIST_ENTRY', list: t.list, until: e.until, message: `the list condition of measure ${measure.id} is met: an entry on the ${t.list} list is in force` },
        recordId: e.cause.startsWith('grade:') ? undefined : e.cause,
      });
    }
  } else if ('grades' in t) {
    const view = facts.views.get(t.scheme);
    if (view && t.grades.includes(view.grade)) {
      if (view.directGrading && view.directGrading.grade === view.grade && view.bandGrade !== view.grade) {
        matched.push({
          reason: { code: 'DIRECT_GRADE', until: view.directGrading.until, message: `the grade condition of measure ${measure.id} is met under scheme ${view.scheme} by a direct grading on a stated legal ground` },
          recordId: view.directGrading.recordId,
        });
      } else {
        matched.push({ reason: { code: 'GRADE_BAND', message: `the grade condition of measure ${measure.id} is met under scheme ${view.scheme}` } });
      }
    }
  } else {
    for (const s of facts.spans) {
      if (s.recordType === t.recordType && s.from <= at && at < s.until) {
        matched.push({ reason: { code: 'RECORD_PRESENT', until: s.until, message: `the record condition of measure ${measure.id} is met: a record of type ${s.recordType} is in force` }, recordId: s.recordId });
      }
    }
  }
  for (const m of [...matched]) {
    if (m.recordId && facts.disputed.has(m.recordId)) {
      matched.push({ reason: { code: 'DISPUTED_RECORD', message: 'a record behind this answer is disputed; it counts until its source confirms it or the dispute is decided, and stops counting if its source does not confirm it by the deadline its legal basis sets (30 days unless the basis sets fewer)' } });
    }
  }
  // Conditions, by effect (docs/codes.md, "Decision answers"): allow_with_conditions and
  // priority list the terms under which the measure is granted, kept in the answer when it
  // applies (e.g. "named publicly only with the subject's written consent"); waive_deposit
  // lists the standard terms (the deposit) that hold when the reward does not apply. An
  // answer with conditions is allow_with_conditions.
  const applies = matched.length > 0;
  let outcome: Outcome;
  let conditions: string[] = [];
  const reasons = matched.map((m) => m.reason);
  if (applies) {
    if (measure.effect === 'deny') outcome = 'deny';
    else {
      conditions = measure.effect === 'waive_deposit' ? [] : [...(measure.conditions ?? [])];
      outcome = conditions.length > 0 ? 'allow_with_conditions' : 'allow';
    }
  } else {
    if (measure.effect === 'waive_deposit' || measure.effect === 'priority') {
      reasons.push({ code: 'NOT_QUALIFIED', message: `the trigger of measure ${measure.id} does not apply, so the standard terms hold` });
      conditions = measure.effect === 'waive_deposit' ? [...(measure.conditions ?? [])] : [];
    } else {
      reasons.push({ code: 'NOT_TRIGGERED', message: `the trigger of measure ${measure.id} does not apply` });
    }
    outcome = conditions.length > 0 ? 'allow_with_conditions' : 'allow';
    if (!facts.known) reasons.push({ code: 'NO_RECORDS', message: 'no records are held about this subject' });
  }
  reasons.sort((a, b) => rank(a.code) - rank(b.code));
  return {
    subject: facts.subject,
    measure: measure.id,
    at,
    outcome,
    effect: measure.effect,
    applies,
    reasons,
    conditions,
    legalBasis: measure.legalBasis,
    contest: measure.contest,
    crossContext: measure.crossContext,
  };
}
