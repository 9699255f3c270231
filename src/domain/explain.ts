// Explanations a scored person is owed: the ranked reasons behind the current grade (at most
// four, largest effect first, as FCRA §609(f) limits key factors), what changes when
// (expiries on a timeline), and what it takes to reach the next grade.
import { changePoints, evaluate } from './scoring.ts';
import type { CompiledScheme } from './scheme-compile.ts';
import type { Catalogue, ScoreView, SubjectLedger } from './types.ts';

export const MAX_REASONS = 4;

export interface Reason {
  code: 'DIRECT_GRADE' | 'LIST_ENTRY' | 'RULE_POINTS';
  /** Effect in points (0 for direct grading and list entries). */
  points: number;
  ruleId?: string;
  title: string;
  recordIds: string[];
  /** Latest instant at which this reason stops counting (null = open-ended). */
  until: number | null;
}

/** Reasons behind the grade at `view.at`, ranked: direct grading first, then points by size. */
export function reasons(view: ScoreView): Reason[] {
  const out: Reason[] = [];
  if (view.directGrading) {
    const d = view.directGrading;
    out.push({ code: 'DIRECT_GRADE', points: 0, ruleId: d.ruleId, title: `direct grading to ${d.grade}: ${d.ground}`, recordIds: [d.recordId], until: d.until });
  }
  const byRule = new Map<string, Reason>();
  for (const c of view.active) {
    if (c.delta === 0) continue;
    const r = byRule.get(c.ruleId) ?? { code: 'RULE_POINTS' as const, points: 0, ruleId: c.ruleId, title: c.ruleTitle, recordIds: [], until: c.until };
    r.points += c.delta;
    r.recordIds.push(c.recordId);
    r.until = Math.max(r.until ?? 0, c.until);
    byRule.set(c.ruleId, r);
  }
  const ranked = [...byRule.values()].sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || (a.ruleId ?? '').localeCompare(b.ruleId ?? ''));
  out.push(...ranked);
  return out.slice(0, MAX_REASONS);
}

export interface TimelineStep {
  at: number;
  /** Points that start (+) or stop (-) counting at this instant. */
  change: number;
  events: { kind: 'starts' | 'expires' | 'revoked' | 'withdrawn' | 'dispute_unconfirmed' | 'listing_ends' | 'direct_grade_ends'; recordId: string; ruleId?: string; points?: number; list?: string }[];
  scoreAfter: number;
  gradeAfter: string;
}

/** What changes when, after `at`, by time alone (no new records), up to `limit` steps. */
export function timeline(ledger: SubjectLedger, scheme: CompiledScheme, at: number, limit = 50): TimelineStep[] {
  const steps: TimelineStep[] = [];
  let prev = evaluate(ledger, scheme, at);
  for (const t of changePoints(ledger)) {
    if (t <= at) continue;
    if (steps.length >= limit) break;
    const view = evaluate(ledger, scheme, t);
    const events: TimelineStep['events'] = [];
    for (const c of ledger.contributions) {
      if (c.until === t && c.from < t) events.push({ kind: c.endReason === 'expiry' ? 'expires' : c.endReason, recordId: c.recordId, ruleId: c.ruleId, points: c.delta });
      if (c.from === t) events.push({ kind: 'starts', recordId: c.recordId, ruleId: c.ruleId, points: c.delta });
    }
    for (const d of ledger.directGradings) if (d.until === t) events.push({ kind: 'direct_grade_ends', recordId: d.recordId, ruleId: d.ruleId });
    for (const e of ledger.recordListings) if (e.until === t) events.push({ kind: 'listing_ends', recordId: e.cause, list: e.list });
    steps.push({ at: t, change: view.score - prev.score, events, scoreAfter: view.score, gradeAfter: view.grade });
    prev = view;
  }
  return steps;
}

export interface NextGradePath {
  current: string;
  target: string | null;
  /** Points needed from the current score to the target band's minimum. */
  pointsNeeded: number;
  /** A direct grading caps the grade until this instant, whatever the points. */
  blockedUntil: number | null;
  /** When the target is reached by expiries alone, if ever (within the timeline). */
  byExpiryAt: number | null;
  /** Favourable record types this scheme rewards, most points first. */
  favourable: { recordType: string; title: string; ruleId: string; points: number; cap?: { period: string; points: number }; countNeeded: number }[];
}

export function nextGrade(ledger: SubjectLedger, scheme: CompiledScheme, catalogue: Catalogue, at: number): NextGradePath {
  const view = evaluate(ledger, scheme, at);
  const bands = scheme.scheme.bands;
  const rank = scheme.gradeRank.get(view.grade) ?? 0;
  const targetBand = rank > 0 ? bands[rank - 1] : undefined;
  if (!targetBand) {
    return { current: view.grade, target: null, pointsNeeded: 0, blockedUntil: null, byExpiryAt: null, favourable: [] };
  }
  const pointsNeeded = Math.max(0, (targetBand.min ?? view.score) - view.score);
  const blockedUntil = view.directGrading ? view.directGrading.until : null;
  const targetRank = rank - 1;
  const step = timeline(ledger, scheme, at, 500).find((s) => (scheme.gradeRank.get(s.gradeAfter) ?? 99) <= targetRank);
  const favourable: NextGradePath['favourable'] = [];
  for (const rules of scheme.rulesByType.values()) {
    for (const cr of rules) {
      const r = cr.rule;
      const pts = 'fixed' in r.points ? r.points.fixed : r.points.max;
      if (pts <= 0 || r.per) continue;
      const title = r.title;
      favourable.push({ recordType: r.recordType, title, ruleId: r.id, points: pts, cap: r.cap, countNeeded: pointsNeeded > 0 ? Math.ceil(pointsNeeded / pts) : 0 });
    }
  }
  favourable.sort((a, b) => b.points - a.points || a.ruleId.localeCompare(b.ruleId));
  return { current: view.grade, target: targetBand.grade, pointsNeeded, blockedUntil, byExpiryAt: step?.at ?? null, favourable };
}
