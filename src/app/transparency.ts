// The transparency report of one period (`credence report transparency`, GET /v1/reports/
// transparency): what the bureau did and how its sources fared, in counts only.
//
// Most of it is folded from the audit log (src/domain/transparency.ts), so anyone with the
// log recomputes it: decisions per provider and purpose, refusals per measure, disputes and
// their outcomes, reviews, restorations, per source the records received, the share reported
// late and the share overturned on dispute, and deletions past retention. Two sections read the
// records held today, because the log holds no scores: subjects per grade at the end of the
// period, and deductions per rule that started counting in it (under the scheme versions in
// force then); records deleted past retention no longer appear in them.
import { evaluate } from '../domain/scoring.ts';
import { DAY_MS, iso, parseInstant } from '../domain/duration.ts';
import { LogFold, OVERTURNING_OUTCOMES, REPORTED_LATE_DAYS, type LogSections } from '../domain/transparency.ts';
import type { Credence } from './credence.ts';

export interface TransparencyReport extends Omit<LogSections, 'measures' | 'sources'> {
  period: { from: string; to: string };
  generatedAt: string;
  grades: { scheme: string; at: string; subjects: number; counts: Record<string, number> }[];
  sanctions: {
    /** Deductions that started counting in the period; `ended` of them stopped early (revoked, withdrawn, or a dispute left unconfirmed). */
    rules: { scheme: string; rule: string; title: string; deductions: number; points: number; ended: number }[];
    measures: (LogSections['measures'][number] & { title: string })[];
  };
  sources: (LogSections['sources'][number] & { name: string })[];
  /** How each figure is made, so a reader can check it. */
  method: {
    fromLog: string[];
    fromRecords: string[];
    reportedLateDays: number;
    overturningOutcomes: readonly string[];
  };
}

const PAGE = 5000;

/**
 * The period a report covers: `from` a date (that day's start) or a date-time; `to` likewise,
 * a date taking in that whole day (the bound is exclusive); by default the 365 days up to now.
 * An error names the field first ("from ...", "to ...").
 */
export function reportPeriod(fromRaw: string | undefined, toRaw: string | undefined, now: number): { from: number; to: number } | { error: string; field: 'from' | 'to' } {
  const instant = (v: string, endOfDay: boolean) => {
    const t = parseInstant(v);
    return t === null ? null : endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(v) ? t + DAY_MS : t;
  };
  const to = toRaw === undefined ? now : instant(toRaw, true);
  if (to === null) return { field: 'to', error: `to "${toRaw}" is not a date (YYYY-MM-DD) or a date-time with zone (2026-06-30T12:00:00Z)` };
  const from = fromRaw === undefined ? to - 365 * DAY_MS : instant(fromRaw, false);
  if (from === null) return { field: 'from', error: `from "${fromRaw}" is not a date (YYYY-MM-DD) or a date-time with zone (2026-01-01T00:00:00Z)` };
  if (from >= to) return { field: 'from', error: `from (${iso(from)}) must be before to (${iso(to)})` };
  return { from, to };
}

/** Folds the audit log's entries of [from, to), reading the whole log (writers' clocks need not agree on order). */
export async function logSections(c: Credence, from: number, to: number): Promise<LogSections> {
  const fold = new LogFold(from, to);
  for (let after = 0; ;) {
    const page = await c.store.readAudit(after, PAGE);
    for (const e of page) fold.add(e);
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  return fold.result();
}

export async function transparencyReport(c: Credence, from: number, to: number): Promise<TransparencyReport> {
  const now = c.now();
  const log = await logSections(c, from, to);
  const at = Math.min(to, now);
  const schemes = c.schemesAt(at);
  const grades = new Map(schemes.map((s) => [s.key, { scheme: s.key, at: iso(at), subjects: 0, counts: Object.fromEntries(s.scheme.bands.map((b) => [b.grade, 0])) as Record<string, number> }]));
  const rules = new Map<string, TransparencyReport['sanctions']['rules'][number]>();
  for await (const page of c.allLedgers(schemes)) {
    for (const { scheme, ledger } of page) {
      const g = grades.get(scheme.key)!;
      const grade = evaluate(ledger, scheme, at, { detail: false }).grade;
      g.subjects++;
      g.counts[grade] = (g.counts[grade] ?? 0) + 1;
      for (const k of ledger.contributions) {
        if (k.delta >= 0 || k.from < from || k.from >= to) continue;
        const key = `${scheme.key}\u0000${k.ruleId}`;
        let r = rules.get(key);
        if (!r) rules.set(key, (r = { scheme: scheme.key, rule: k.ruleId, title: scheme.scheme.rules.find((x) => x.id === k.ruleId)?.title ?? k.ruleId, deductions: 0, points: 0, ended: 0 }));
        r.deductions++;
        r.points += k.delta;
        if (k.endReason !== 'expiry') r.ended++;
      }
    }
  }
  const { measures, sources, ...rest } = log;
  return {
    period: { from: iso(from), to: iso(to) },
    generatedAt: iso(now),
    grades: [...grades.values()],
    sanctions: {
      rules: [...rules.values()].sort((a, b) => a.points - b.points || (a.rule < b.rule ? -1 : 1)),
      measures: measures.map((m) => ({ ...m, title: c.catalogue.measures.get(m.measure)?.title ?? m.measure })),
    },
    ...rest,
    sources: sources.map((s) => ({ ...s, name: c.catalogue.sources.get(s.source)?.name ?? s.source })),
    method: {
      fromLog: ['decisions', 'sanctions.measures', 'disputes', 'reviews', 'restorations', 'sources', 'retention', 'entries'],
      fromRecords: ['grades', 'sanctions.rules'],
      reportedLateDays: REPORTED_LATE_DAYS,
      overturningOutcomes: OVERTURNING_OUTCOMES,
    },
  };
}
