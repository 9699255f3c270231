// decide(subject, measure, at): may this subject use this service? Pure and fast: it reads
// the subject's evaluated views, never the records themselves, and answers allow, deny or
// allow with conditions, with reason codes in the precedence documented in docs/codes.md,
// the legal basis, and how to contest.
import type { Measure, RecordSpan, ScoreView } from './types.ts';

export type Outcome = 'allow' | 'deny' | 'allow_with_conditions';

/** Reason codes, in precedence order: the first that applies leads. */
export const REASON_PRECEDENCE = [
  'LIST_ENTRY',
  'DIRECT_GRADE',
  'GRADE_BAND',
  'RECORD_PRESENT',
  'TRIGGER_DISPUTED',
  'NOT_TRIGGERED',
  'NOT_QUALIFIED',
  'NO_RECORDS',
] as const;
export type ReasonCode = (typeof REASON_PRECEDENCE)[number];

export interface DecisionReason {
  code: ReasonCode;
  message: string;
  list?: string;
  grade?: string;
  recordId?: string;
  /** When this reason stops applying (statutory end, expiry), if known. */
  until?: number | null;
}

export interface Decision {
  subject: string;
  measure: string;
  at: number;
  outcome: Outcome;
  effect: Measure['effect'];
  reasons: DecisionReason[];
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
  const matched: DecisionReason[] = [];
  const t = measure.trigger;
  if ('list' in t) {
    for (const e of listEntries(facts, t.list)) {
      matched.push({ code: 'LIST_ENTRY', list: t.list, recordId: e.cause.startsWith('grade:') ? undefined : e.cause, until: e.until, message: `on the ${t.list} list since ${new Date(e.from).toISOString().slice(0, 10)}${e.until ? ` until ${new Date(e.until).toISOString().slice(0, 10)}` : ''}` });
    }
  } else if ('grades' in t) {
    const view = facts.views.get(t.scheme);
    if (view && t.grades.includes(view.grade)) {
      if (view.directGrading && view.directGrading.grade === view.grade && view.bandGrade !== view.grade) {
        matched.push({ code: 'DIRECT_GRADE', grade: view.grade, recordId: view.directGrading.recordId, until: view.directGrading.until, message: `grade ${view.grade} set directly: ${view.directGrading.ground}` });
      } else {
        matched.push({ code: 'GRADE_BAND', grade: view.grade, message: `grade ${view.grade} (${view.score} points) under ${view.scheme}` });
      }
    }
  } else {
    for (const s of facts.spans) {
      if (s.recordType === t.recordType && s.from <= at && at < s.until) {
        matched.push({ code: 'RECORD_PRESENT', recordId: s.recordId, until: s.until, message: `record ${s.recordId} of type ${s.recordType} in force` });
      }
    }
  }
  for (const m of [...matched]) {
    if (m.recordId && facts.disputed.has(m.recordId)) {
      matched.push({ code: 'TRIGGER_DISPUTED', recordId: m.recordId, message: `record ${m.recordId} is disputed; it counts until the dispute is decided or 30 days pass unconfirmed` });
    }
  }
  const reward = measure.effect === 'waive_deposit' || measure.effect === 'priority';
  let outcome: Outcome;
  let conditions: string[] = [];
  const reasons = [...matched];
  if (matched.length > 0) {
    if (measure.effect === 'deny') outcome = 'deny';
    else if (measure.effect === 'allow_with_conditions') {
      outcome = 'allow_with_conditions';
      conditions = measure.conditions ?? [];
    } else outcome = 'allow';
  } else {
    if (reward) {
      reasons.push({ code: 'NOT_QUALIFIED', message: `the trigger of ${measure.id} does not apply, so the standard terms hold` });
      outcome = measure.effect === 'waive_deposit' ? 'allow_with_conditions' : 'allow';
      conditions = measure.effect === 'waive_deposit' ? (measure.conditions ?? []) : [];
    } else {
      reasons.push({ code: 'NOT_TRIGGERED', message: `the trigger of ${measure.id} does not apply` });
      outcome = 'allow';
    }
    if (!facts.known) reasons.push({ code: 'NO_RECORDS', message: 'no records are held about this subject' });
  }
  reasons.sort((a, b) => rank(a.code) - rank(b.code));
  return {
    subject: facts.subject,
    measure: measure.id,
    at,
    outcome,
    effect: measure.effect,
    reasons,
    conditions,
    legalBasis: measure.legalBasis,
    contest: measure.contest,
    crossContext: measure.crossContext,
  };
}
