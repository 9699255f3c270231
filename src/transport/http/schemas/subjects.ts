// Wire shapes of a subject's data. Times are ISO-8601 strings on the wire. (A provider's
// decision answer is in decisions.ts.)
import type { ListEntry, ScoreView, Subject } from '../../../domain/types.ts';
import { iso } from '../context.ts';

const TIME_KEYS = new Set(['at', 'from', 'until', 'occurredAt', 'recordedAt', 'revokedAt', 'disputedAt', 'confirmedAt', 'blockedUntil', 'byExpiryAt', 'expiresAt', 'createdAt']);

/** Copies plain data, turning epoch-ms fields named in TIME_KEYS into ISO strings. */
export function wireTimes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(wireTimes);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = TIME_KEYS.has(k) && (typeof x === 'number' || x === null) ? iso(x as number | null) : wireTimes(x);
    return out;
  }
  return v;
}

export const subjectDto = (s: Subject) => ({ id: s.id, kind: s.kind, idScheme: s.idScheme, displayName: s.displayName ?? null, createdAt: iso(s.createdAt) });
export const listEntryDto = (e: ListEntry) => ({ list: e.list, cause: e.cause.startsWith('grade:') ? e.cause : 'record', from: iso(e.from), until: iso(e.until), legalBasis: e.legalBasis, endedBy: e.endedBy ?? null, endReason: e.endReason ?? null });
export const scoreDto = (v: ScoreView) => ({
  scheme: v.scheme, score: v.score, grade: v.grade, gradeLabel: v.gradeLabel, bandGrade: v.bandGrade,
  directGrading: v.directGrading ? { grade: v.directGrading.grade, ground: v.directGrading.ground, from: iso(v.directGrading.from), until: iso(v.directGrading.until) } : null,
  nextChangeAt: iso(v.nextChangeAt),
});
