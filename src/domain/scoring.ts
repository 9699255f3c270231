// The scoring function. From (records, compiled scheme) it derives a time-independent ledger:
// every contribution with the record and rule it comes from, when it starts and when it
// stops counting (expiry, revocation, unconfirmed dispute), direct gradings and record-
// triggered list entries. `evaluate(ledger, at)` then gives score, grade and lists at any
// instant. `applyRecord` is the incremental path; a property test shows it always equals
// the full computation. Pure: no clock, no I/O; warnings are values.
import { addDuration, DAY_MS, parseDuration, parseInstant, type Duration } from './duration.ts';
import type { CompiledRule, CompiledScheme } from './scheme-compile.ts';
import type {
  Catalogue,
  Contribution,
  DirectGrading,
  ListEntry,
  RecordSpan,
  RestorationRule,
  ScoreView,
  StoredRecord,
  SubjectId,
  SubjectLedger,
  Warning,
} from './types.ts';

/** Where no cited basis sets a period: a disputed record stops counting 30 days after the dispute unless confirmed. */
export const DISPUTE_CONFIRM_MS = 30 * DAY_MS;

/** How long the source of a record of this type has to confirm it once disputed (src/domain/legal-bases.ts disputeDaysOf). */
export function disputeWindowMs(catalogue: Catalogue, type: string): number {
  const days = catalogue.recordTypes.get(type)?.disputeDays;
  return days === undefined ? DISPUTE_CONFIRM_MS : days * DAY_MS;
}

/**
 * Whether a record counts only after a reviewer approves it: its source is a community
 * source, or the deployment's four eyes held it when it was stored.
 */
export function needsReview(catalogue: Catalogue, r: { source: string; fourEyes?: true }): boolean {
  if (r.fourEyes) return true;
  const s = catalogue.sources.get(r.source);
  return s !== undefined && (s.reviewRequired ?? s.kind === 'grid-office');
}

/**
 * Whether a record counts at all: a record of a community source only once a reviewer
 * approved it, never once rejected. A record that does not count derives nothing.
 */
export function counts(catalogue: Catalogue, r: StoredRecord): boolean {
  if (r.rejectedAt !== undefined) return false;
  return r.approvedAt !== undefined || !needsReview(catalogue, r);
}

/** When a record starts counting: when Credence learned of it, or when a reviewer approved it. */
const countsFrom = (r: StoredRecord): number => Math.max(r.occurredAt, r.recordedAt, r.approvedAt ?? Number.NEGATIVE_INFINITY);
export const DEFAULT_RETENTION = parseDuration('P5Y')!;

export const emptyLedger = (subject: SubjectId, scheme: string): SubjectLedger => ({
  subject,
  scheme,
  contributions: [],
  directGradings: [],
  recordListings: [],
  spans: [],
  warnings: [],
  lastOccurredAt: Number.MIN_SAFE_INTEGER,
  recordCount: 0,
});

const byOrder = (a: StoredRecord, b: StoredRecord) => a.occurredAt - b.occurredAt || a.seq - b.seq;

/** When a record stops counting for reasons other than its own expiry. */
function endOf(record: StoredRecord, expiry: number, catalogue: Catalogue): { until: number; endReason: Contribution['endReason'] } {
  let until = expiry;
  let endReason: Contribution['endReason'] = 'expiry';
  if (record.revokedAt !== undefined && record.revokedAt < until) {
    until = record.revokedAt;
    endReason = 'revoked';
  }
  if (record.withdrawnAt !== undefined && record.withdrawnAt < until) {
    until = record.withdrawnAt;
    endReason = 'withdrawn';
  }
  if (record.disputedAt !== undefined) {
    const deadline = record.disputedAt + disputeWindowMs(catalogue, record.type);
    const confirmedInTime = record.confirmedAt !== undefined && record.confirmedAt <= deadline;
    if (!confirmedInTime && deadline < until) {
      until = deadline;
      endReason = 'dispute_unconfirmed';
    }
  }
  return { until, endReason };
}

function periodKey(t: number, period: 'day' | 'month' | 'year'): string {
  const d = new Date(t).toISOString();
  return period === 'year' ? d.slice(0, 4) : period === 'month' ? d.slice(0, 7) : d.slice(0, 10);
}

type RuleContext = ReturnType<typeof toRuleInput>;

const warn = (r: StoredRecord, cr: CompiledRule, code: string, message: string): Warning => ({ code, recordId: r.id, ruleId: cr.rule.id, message });

function toRuleInput(r: StoredRecord) {
  return {
    record: {
      type: r.type,
      source: r.source,
      occurredAt: new Date(r.occurredAt).toISOString(),
      payload: r.payload,
      evidence: r.evidence,
    },
  };
}

/** The most common outcome of a condition, shared so that the hot path allocates nothing. */
export const RULE_NOT_MATCHED: Warning = Object.freeze({ code: 'RULE_NOT_MATCHED', message: 'condition is false' });

/**
 * Points a rule asks for on a record, or a warning explaining why it gives none. `ctx`
 * caches the condition input across the rules of one record (it is built once, lazily).
 */
export function requestedPoints(cr: CompiledRule, r: StoredRecord, ctx: { input?: RuleContext } = {}): number | Warning {
  const rule = cr.rule;
  if (cr.condition) {
    let result: unknown;
    try {
      result = cr.condition((ctx.input ??= toRuleInput(r)));
    } catch (err) {
      return warn(r, cr, 'RULE_CONDITION_ERROR', `condition could not be evaluated: ${(err as Error).message.split('\n')[0]}`);
    }
    if (result !== true) {
      if (result === false) return RULE_NOT_MATCHED;
      return warn(r, cr, 'RULE_CONDITION_ERROR', 'condition did not return true or false');
    }
  }
  if (rule.requiresGround) {
    const ground = r.payload.ground;
    if (typeof ground !== 'string' || ground.trim().length < 10) {
      return warn(r, cr, 'RULE_GROUND_MISSING', 'discretionary points need a stated ground (payload.ground, at least 10 characters)');
    }
  }
  let points: number;
  if ('fixed' in rule.points) {
    points = rule.points.fixed;
  } else {
    const v = r.payload[rule.points.field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < rule.points.min || v > rule.points.max) {
      return warn(r, cr, 'RULE_POINTS_OUT_OF_BOUNDS', `payload.${rule.points.field} must be an integer from ${rule.points.min} to ${rule.points.max}`);
    }
    points = v;
  }
  if (rule.per) {
    const n = r.payload[rule.per];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 10_000) {
      return warn(r, cr, 'RULE_MULTIPLIER_INVALID', `payload.${rule.per} must be a whole number from 0 to 10000`);
    }
    points *= n;
  }
  return points;
}

/** A record type's retention (the catalogue's, else five years). */
export function retentionOf(catalogue: Catalogue, type: string): Duration {
  const rt = catalogue.recordTypes.get(type);
  return (rt && parseDuration(rt.retention)) || DEFAULT_RETENTION;
}

/** When a record's retention ends (it stops counting then, and is deleted when nothing else holds it): its type's retention after the conduct. */
export function retentionEnd(r: Pick<StoredRecord, 'type' | 'occurredAt'>, catalogue: Catalogue): number {
  return addDuration(r.occurredAt, retentionOf(catalogue, r.type));
}

/** A record's own lifetime: from when Credence learned of it to its expiry or revocation. */
export function spanOf(r: StoredRecord, catalogue: Catalogue): RecordSpan {
  const from = countsFrom(r);
  const end = endOf(r, retentionEnd(r, catalogue), catalogue);
  const disputed = r.disputedAt !== undefined && r.confirmedAt === undefined ? true : undefined;
  return { recordId: r.id, recordType: r.type, from, until: end.until, endReason: end.endReason, ...(disputed ? { disputed } : {}) };
}

const spanTypeCache = new WeakMap<Catalogue, Set<string>>();
/** Record types that trigger a measure directly (their spans feed decisions). */
function spanTypes(catalogue: Catalogue): Set<string> {
  let set = spanTypeCache.get(catalogue);
  if (!set) {
    set = new Set<string>();
    for (const m of catalogue.measures.values()) if ('recordType' in m.trigger) set.add(m.trigger.recordType);
    spanTypeCache.set(catalogue, set);
  }
  return set;
}

/** Cap usage of a rule in a period, from the contributions already in the ledger. */
function capUsed(ledger: SubjectLedger, ruleId: string, key: string, period: 'day' | 'month' | 'year'): number {
  let used = 0;
  for (const c of ledger.contributions) {
    if (c.ruleId === ruleId && c.endReason !== 'revoked' && c.endReason !== 'withdrawn' && periodKey(c.occurredAt, period) === key) used += Math.abs(c.delta);
  }
  return used;
}

/** Appends what one record derives to the ledger. Records must come in (occurredAt, seq) order. */
function appendRecord(ledger: SubjectLedger, r: StoredRecord, scheme: CompiledScheme, catalogue: Catalogue): void {
  ledger.recordCount += 1;
  if (r.occurredAt > ledger.lastOccurredAt) ledger.lastOccurredAt = r.occurredAt;
  // A community report waiting for review (or rejected) derives nothing; its approval is an
  // annotation, after which the subject is recomputed from its records.
  if (!counts(catalogue, r)) return;
  const from = countsFrom(r);
  const expiry = retentionEnd(r, catalogue);
  // Spans are kept only where a decision reads them: records of a type some measure is
  // triggered by, and disputed records. Any record's span is recomputable (spanOf), and
  // keeping every span made the materialised state several times larger.
  if (r.disputedAt !== undefined || spanTypes(catalogue).has(r.type)) ledger.spans.push(spanOf(r, catalogue));

  const ctx: { input?: RuleContext } = {};
  for (const cr of scheme.rulesByType.get(r.type) ?? []) {
    const requested = requestedPoints(cr, r, ctx);
    if (typeof requested !== 'number') {
      if (requested !== RULE_NOT_MATCHED) ledger.warnings.push(requested);
      continue;
    }
    const rule = cr.rule;
    let delta = requested;
    if (rule.cap && r.revokedAt === undefined && r.withdrawnAt === undefined) {
      const key = periodKey(r.occurredAt, rule.cap.period);
      const remaining = Math.max(0, rule.cap.points - capUsed(ledger, rule.id, key, rule.cap.period));
      if (Math.abs(delta) > remaining) {
        delta = Math.sign(delta) * remaining;
        ledger.warnings.push({ code: 'CAP_REACHED', recordId: r.id, ruleId: rule.id, message: `cap of ${rule.cap.points} points per ${rule.cap.period} reached: ${requested} requested, ${delta} counted` });
      }
    }
    const ruleExpiry = cr.lifetime ? addDuration(r.occurredAt, cr.lifetime) : expiry;
    const end = endOf(r, ruleExpiry, catalogue);
    // A record that stopped counting before Credence learned of it never counts: its span
    // says so, and the ledger stays small (old records in a first load are common).
    if (end.until <= from) continue;
    ledger.contributions.push({
      recordId: r.id,
      recordType: r.type,
      ruleId: rule.id,
      delta: delta === 0 ? 0 : delta,
      ...(requested !== delta ? { requested } : {}),
      occurredAt: r.occurredAt,
      from,
      until: end.until,
      endReason: end.endReason,
    });
    if (rule.directGrade) {
      ledger.directGradings.push({ recordId: r.id, ruleId: rule.id, grade: rule.directGrade.grade, ground: rule.directGrade.ground, from, until: end.until });
    }
  }

  for (const clr of scheme.listRulesByType.get(r.type) ?? []) {
    const lr = clr.rule;
    let statutoryEnd: number | null = null;
    if (lr.endField) {
      const raw = r.payload[lr.endField];
      statutoryEnd = typeof raw === 'string' ? parseInstant(raw) : null;
    }
    // A court's end date beyond the longest listing its basis allows is cut to that maximum.
    if (statutoryEnd !== null && clr.maxPeriod) {
      const longest = addDuration(r.occurredAt, clr.maxPeriod);
      if (statutoryEnd > longest) {
        ledger.warnings.push({ code: 'LIST_END_CAPPED', recordId: r.id, message: `the ${lr.list} listing's end date (payload.${lr.endField}) is beyond the ${clr.maxPeriodText} that ${lr.legalBasis} allows; it ends ${new Date(longest).toISOString().slice(0, 10)}` });
        statutoryEnd = longest;
      }
    }
    if (statutoryEnd === null && clr.duration) statutoryEnd = addDuration(r.occurredAt, clr.duration);
    if (statutoryEnd === null) {
      ledger.warnings.push({ code: 'LIST_END_MISSING', recordId: r.id, message: `no statutory end for the ${lr.list} listing (payload.${lr.endField})` });
      continue;
    }
    const end = endOf(r, statutoryEnd, catalogue);
    const caseRef = typeof r.payload.case_ref === 'string' ? r.payload.case_ref : undefined;
    // A granted restoration ends the listing then (never before it began), on a list that
    // allows restoration; the record's other effects stand.
    const restored = r.restoredAt !== undefined && catalogue.lists.get(lr.list)?.restoration !== undefined && r.restoredAt < end.until;
    ledger.recordListings.push({
      list: lr.list, subject: ledger.subject, cause: r.id, from, until: restored ? Math.max(from, r.restoredAt!) : end.until, legalBasis: lr.legalBasis, caseRef,
      ...(restored ? { endReason: 'RESTORED' as const } : {}),
    });
  }

  if (scheme.listEnders.has(r.type)) {
    const ref = r.payload.case_ref;
    for (const entry of ledger.recordListings) {
      const rule = scheme.scheme.listRules.find((x) => x.list === entry.list && x.endedBy?.includes(r.type));
      if (!rule || entry.until === null || entry.until <= from || entry.from > from) continue;
      if (ref !== undefined && entry.caseRef !== undefined && entry.caseRef !== ref) continue;
      if (r.revokedAt !== undefined || r.withdrawnAt !== undefined) continue; // a revoked or withdrawn delisting ends nothing
      entry.until = from;
      entry.endedBy = r.id;
    }
  }
}

/** The first instant an application for restoration from a listing is taken: the rule's `after` from the listing's start. */
export function restorationOpensAt(rule: RestorationRule, entry: Pick<ListEntry, 'from'>): number {
  return addDuration(entry.from, parseDuration(rule.after)!);
}

/** Full computation: the reference the incremental path must always equal. */
export function computeLedger(
  subject: SubjectId,
  records: StoredRecord[],
  scheme: CompiledScheme,
  catalogue: Catalogue,
): SubjectLedger {
  const ledger = emptyLedger(subject, scheme.key);
  for (const r of [...records].sort(byOrder)) {
    appendRecord(ledger, r, scheme, catalogue);
  }
  return ledger;
}

/**
 * Incremental path: the ledger after `record` arrives, given the subject's records before it.
 * In-order arrivals append; anything that can change the past (an earlier occurredAt, a
 * revocation, a delisting, a dispute mark) recomputes the subject from its records.
 */
export function canAppend(ledger: SubjectLedger | null, record: StoredRecord, scheme: CompiledScheme): boolean {
  return (
    ledger !== null &&
    record.occurredAt >= ledger.lastOccurredAt &&
    record.revokes === undefined &&
    !scheme.listEnders.has(record.type)
  );
}

/**
 * `previous` is only called when the record cannot be appended: the caller loads the
 * subject's records lazily, so the common in-order path reads no records at all.
 */
export function applyRecord(
  ledger: SubjectLedger | null,
  record: StoredRecord,
  previous: () => StoredRecord[],
  scheme: CompiledScheme,
  catalogue: Catalogue,
  opts: { inPlace?: boolean } = {},
): SubjectLedger {
  if (!ledger || !canAppend(ledger, record, scheme)) {
    return computeLedger(record.subject, [...previous(), record], scheme, catalogue);
  }
  // In place when the caller owns the ledger (ingest reads it for one batch); else a copy.
  const next = opts.inPlace ? ledger : structuredClone(ledger);
  appendRecord(next, record, scheme, catalogue);
  return next;
}

export const activeAt = (x: { from: number; until: number | null }, at: number) => x.from <= at && (x.until === null || at < x.until);

/** Score, grade and list entries at `at`. */
/**
 * `detail: false` (the decision path) skips what decisions do not read: the list of active
 * contributions with their titles and the next change; score, grade, direct grading and
 * lists are the same either way.
 */
export function evaluate(ledger: SubjectLedger, scheme: CompiledScheme, at: number, opts: { detail?: boolean } = {}): ScoreView {
  const detail = opts.detail !== false;
  const s = scheme.scheme;
  const active: ScoreView['active'] = [];
  let score = s.base;
  for (const c of ledger.contributions) {
    if (!activeAt(c, at)) continue;
    score += c.delta;
    if (detail) active.push({ ...c, ruleTitle: scheme.ruleTitles.get(c.ruleId) ?? c.ruleId });
  }
  if (s.range) score = Math.min(s.range.max, Math.max(s.range.min, score));
  const band = scheme.bandOf(score);
  let grade = band.grade;
  let directGrading: DirectGrading | undefined;
  for (const d of ledger.directGradings) {
    if (!activeAt(d, at)) continue;
    const rank = scheme.gradeRank.get(d.grade) ?? 0;
    if (rank > (scheme.gradeRank.get(grade) ?? 0)) {
      grade = d.grade;
      directGrading = d;
    }
  }
  const lists: ListEntry[] = [];
  for (const e of ledger.recordListings) if (activeAt(e, at)) lists.push(detail ? { ...e } : e);
  for (const lr of scheme.gradeListRules) {
    if (lr.grades?.includes(grade)) {
      lists.push({ list: lr.list, subject: ledger.subject, cause: `grade:${grade}`, from: gradeSince(ledger, scheme, at, grade), until: null, legalBasis: lr.legalBasis });
    }
  }
  let next: number | null = null;
  if (detail) {
    const consider = (t: number | null) => {
      if (t !== null && t > at && (next === null || t < next)) next = t;
    };
    for (const c of ledger.contributions) { consider(c.from); consider(c.until); }
    for (const d of ledger.directGradings) { consider(d.from); consider(d.until); }
    for (const e of ledger.recordListings) { consider(e.from); consider(e.until); }
  }
  const label = scheme.gradeLabels.get(grade) ?? grade;
  return { subject: ledger.subject, scheme: scheme.key, at, score, grade, gradeLabel: label, bandGrade: band.grade, directGrading, active, lists, nextChangeAt: next };
}

/** Change points of a ledger: instants at which the view can change. */
export function changePoints(ledger: SubjectLedger): number[] {
  const set = new Set<number>();
  for (const c of ledger.contributions) { set.add(c.from); set.add(c.until); }
  for (const d of ledger.directGradings) { set.add(d.from); set.add(d.until); }
  for (const e of ledger.recordListings) { set.add(e.from); if (e.until !== null) set.add(e.until); }
  return [...set].filter(Number.isFinite).sort((a, b) => a - b);
}

/** Grade only (no lists), used to find since when a grade has held. */
function gradeAt(ledger: SubjectLedger, scheme: CompiledScheme, at: number): string {
  let score = scheme.scheme.base;
  for (const c of ledger.contributions) if (activeAt(c, at)) score += c.delta;
  const r = scheme.scheme.range;
  if (r) score = Math.min(r.max, Math.max(r.min, score));
  let grade = scheme.bandOf(score).grade;
  for (const d of ledger.directGradings) {
    if (activeAt(d, at) && (scheme.gradeRank.get(d.grade) ?? 0) > (scheme.gradeRank.get(grade) ?? 0)) grade = d.grade;
  }
  return grade;
}

function gradeSince(ledger: SubjectLedger, scheme: CompiledScheme, at: number, grade: string): number {
  const points = changePoints(ledger).filter((t) => t <= at);
  let since = points[0] ?? at;
  for (let i = points.length - 1; i >= 0; i--) {
    const t = points[i]!;
    if (gradeAt(ledger, scheme, t) !== grade) break;
    since = t;
  }
  return since;
}

export { gradeAt };
export type { RecordSpan };
