// Retention: when personal data held about a subject is deleted for good.
//
// A record is kept for its type's retention (five years by default, PBoC 2013 Art. 16; shorter
// where the catalogue says so), counted from when the conduct happened. Once that period is over
// it is deleted, with what names it: its closed dispute and review cases, and the notices that
// tell of it. Deleting must never change an answer given today, so a record past retention is
// deleted only when the subject's standing at `now` under every scheme in force (score, grade,
// direct grading, what counts, list entries, spans that measures read) is the same without it;
// otherwise it waits (`deferred`) until that holds (a cap shared with a younger record, a listing
// longer than the retention). A record with an open dispute waits for the dispute to close.
//
// A notice or a closed case that names no record (a grade drop, a review of a decision) goes once
// it is older than the longest retention of any record type: nothing it could speak of is left.
import { DAY_MS, type Duration } from './duration.ts';
import type { CompiledScheme } from './scheme-compile.ts';
import { computeLedger, DEFAULT_RETENTION, evaluate, retentionEnd, retentionOf } from './scoring.ts';
import type { Catalogue, StoredRecord, SubjectId } from './types.ts';

export { retentionEnd };

/** Whether a record, stored or offered, is past its retention at `now`. */
export const pastRetention = (r: Pick<StoredRecord, 'type' | 'occurredAt'>, catalogue: Catalogue, now: number): boolean => retentionEnd(r, catalogue) <= now;

// A duration read short (365-day years, 28-day months) or long (366, 31): bounds of its length.
const lowerMs = (d: Duration) => (d.years * 365 + d.months * 28 + d.days) * DAY_MS + d.ms;
const upperMs = (d: Duration) => (d.years * 366 + d.months * 31 + d.days) * DAY_MS + d.ms;

/**
 * What a store searches by at `now`: per retention period, the record types that have it and an
 * instant before which their records may be past it (the period read short: a superset,
 * filtered exactly by `pastRetention`); and the instant before which a notice or case naming no
 * record is past the longest retention (read long).
 */
export function retentionSearch(catalogue: Catalogue, now: number): { records: { types: string[]; before: number }[]; namelessBefore: number } {
  const groups = new Map<string, { d: Duration; types: string[] }>();
  for (const t of catalogue.recordTypes.values()) {
    const d = retentionOf(catalogue, t.code);
    const key = `${d.years}|${d.months}|${d.days}|${d.ms}`;
    const g = groups.get(key);
    if (g) g.types.push(t.code);
    else groups.set(key, { d, types: [t.code] });
  }
  const longest = Math.max(upperMs(DEFAULT_RETENTION), ...[...groups.values()].map((g) => upperMs(g.d)));
  return {
    records: [...groups.values()].map((g) => ({ types: g.types, before: now - lowerMs(g.d) })),
    namelessBefore: now - longest,
  };
}

/** What a subject's standing at one instant is made of, for comparing two ledgers. */
function standingKey(subject: SubjectId, records: StoredRecord[], schemes: readonly CompiledScheme[], catalogue: Catalogue, now: number): string {
  const parts: unknown[] = [];
  for (const s of schemes) {
    const ledger = computeLedger(subject, records, s, catalogue);
    const v = evaluate(ledger, s, now);
    parts.push([
      s.key,
      v.score,
      v.grade,
      v.directGrading ?? null,
      v.active.map((c) => [c.recordId, c.ruleId, c.delta]),
      v.lists.map((e) => [e.list, e.cause, e.from, e.until]),
      ledger.spans.filter((sp) => sp.from <= now && now < sp.until).map((sp) => [sp.recordId, sp.until, sp.disputed ?? false]),
    ]);
  }
  return JSON.stringify(parts);
}

export interface RetentionPlan {
  /** Records to delete now. */
  purge: StoredRecord[];
  /** Records past retention that must wait: deleting them would change today's standing, or a dispute of them is open. */
  deferred: number;
}

/**
 * The subject's records to delete at `now`: those past retention and not in `openDisputes`, if
 * the standing at `now` is unchanged without them (else none, all deferred).
 */
export function retentionPlan(
  subject: SubjectId,
  records: StoredRecord[],
  schemes: readonly CompiledScheme[],
  catalogue: Catalogue,
  now: number,
  openDisputes: ReadonlySet<string>,
): RetentionPlan {
  const past = records.filter((r) => pastRetention(r, catalogue, now));
  if (past.length === 0) return { purge: [], deferred: 0 };
  const candidates = past.filter((r) => !openDisputes.has(r.id));
  let deferred = past.length - candidates.length;
  if (candidates.length === 0) return { purge: [], deferred };
  const gone = new Set(candidates.map((r) => r.id));
  const kept = records.filter((r) => !gone.has(r.id));
  if (standingKey(subject, records, schemes, catalogue, now) !== standingKey(subject, kept, schemes, catalogue, now)) {
    deferred += candidates.length;
    return { purge: [], deferred };
  }
  return { purge: candidates, deferred };
}

/** Record ids a notice body names: the record it tells of, a listing's cause, its reasons'. */
export function recordsNamed(body: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const take = (x: unknown) => {
    if (typeof x === 'string' && x.includes('/') && !x.startsWith('grade:')) out.add(x);
  };
  take(body.record);
  take(body.cause);
  if (Array.isArray(body.reasons)) {
    for (const r of body.reasons) {
      if (r && typeof r === 'object') {
        take((r as Record<string, unknown>).record);
        take((r as Record<string, unknown>).cause);
      }
    }
  }
  return [...out];
}

/**
 * Whether a notice or closed case goes with a purge: every record it names is gone (deleted
 * now or before), or it names none and was created before `namelessBefore`.
 */
export function goesWith(named: readonly string[], createdAt: number, exists: (recordId: string) => boolean, namelessBefore: number): boolean {
  if (named.length === 0) return createdAt < namelessBefore;
  return named.every((id) => !exists(id));
}
