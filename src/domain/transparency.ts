// The transparency report's sections that come from the audit log: folded from the entries of
// one period, so anyone holding the log (or a verified copy of it) computes the same numbers.
// Counts only: no subject, record or statement appears in a report.
//
//   decisions     per provider and purpose, by outcome (`decision` entries)
//   measures      per measure: answers, refusals (deny), answers with conditions
//   disputes      opened (of records, of decisions) and closed, by outcome
//   reviews       community reports approved or rejected by a reviewer
//   restorations  applications and their results (`restoration.*` entries)
//   sources       per source: records received, how many were reported late, disputed, and
//                 overturned on dispute (withdrawn, corrected, upheld, lapsed), with shares
//   retention     records deleted past retention, by type (`records.purge` entries)
import type { AuditEntry } from './audit-chain.ts';
import { DAY_MS } from './duration.ts';
import { OVERTURNING_OUTCOMES, type DisputeOutcome } from './types.ts';

/**
 * A record is reported late when its source sent it more than this many days after the conduct:
 * the period a source has to answer a dispute (30 days, the dispute window), used as the bar of
 * timely reporting. Counted at ingest, in the `records.ingest` entry, so the log holds it.
 */
export const REPORTED_LATE_DAYS = 30;

export { OVERTURNING_OUTCOMES };

export interface SourceFigures {
  source: string;
  records: number;
  late: number;
  disputed: number;
  overturned: number;
  /** late / records, null without records. */
  lateShare: number | null;
  /** overturned / records, null without records. */
  overturnedShare: number | null;
}

export interface LogSections {
  entries: { count: number; firstSeq: number | null; lastSeq: number | null };
  decisions: { provider: string | null; providerName: string | null; purpose: string; total: number; outcomes: Record<string, number> }[];
  measures: { measure: string; total: number; deny: number; conditions: number }[];
  disputes: { opened: number; ofRecords: number; ofDecisions: number; closed: Record<DisputeOutcome, number> };
  reviews: { approved: number; rejected: number };
  restorations: { applied: number; granted: number; refused: number };
  sources: SourceFigures[];
  retention: { records: number; byType: Record<string, number> };
}

const sourceOf = (recordId: unknown): string | null => (typeof recordId === 'string' && recordId.includes('/') ? recordId.slice(0, recordId.indexOf('/')) : null);
const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) ? x : 0);
const bump = (m: Record<string, number>, k: string, n = 1) => {
  m[k] = (m[k] ?? 0) + n;
};
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Folds the entries of [from, to) into the log's sections. Entries outside the period are skipped. */
export class LogFold {
  private count = 0;
  private firstSeq: number | null = null;
  private lastSeq: number | null = null;
  private readonly decisions = new Map<string, LogSections['decisions'][number]>();
  private readonly measures = new Map<string, LogSections['measures'][number]>();
  private readonly disputes: LogSections['disputes'] = { opened: 0, ofRecords: 0, ofDecisions: 0, closed: { withdrawn: 0, corrected: 0, upheld: 0, lapsed: 0, rejected: 0 } };
  private readonly reviews = { approved: 0, rejected: 0 };
  private readonly restorations = { applied: 0, granted: 0, refused: 0 };
  private readonly sources = new Map<string, { records: number; late: number; disputed: number; overturned: number }>();
  private readonly retention = { records: 0, byType: {} as Record<string, number> };

  constructor(private readonly from: number, private readonly to: number) {}

  private source(id: string) {
    let s = this.sources.get(id);
    if (!s) this.sources.set(id, (s = { records: 0, late: 0, disputed: 0, overturned: 0 }));
    return s;
  }

  private closed(outcome: DisputeOutcome, recordId: unknown): void {
    this.disputes.closed[outcome]++;
    const src = sourceOf(recordId);
    if (src !== null && (OVERTURNING_OUTCOMES as readonly string[]).includes(outcome)) this.source(src).overturned++;
  }

  add(e: AuditEntry): void {
    if (e.at < this.from || e.at >= this.to) return;
    this.count++;
    this.firstSeq ??= e.seq;
    this.lastSeq = e.seq;
    const d = e.detail;
    switch (e.action) {
      case 'decision': {
        const provider = typeof d.provider === 'string' ? d.provider : null;
        const purpose = typeof d.purpose === 'string' ? d.purpose : '';
        const key = `${provider ?? ''}\u0000${purpose}`;
        let row = this.decisions.get(key);
        if (!row) this.decisions.set(key, (row = { provider, providerName: typeof d.providerName === 'string' ? d.providerName : null, purpose, total: 0, outcomes: {} }));
        row.total++;
        const outcome = typeof d.outcome === 'string' ? d.outcome : 'unknown';
        bump(row.outcomes, outcome);
        const measure = typeof d.measure === 'string' ? d.measure : 'unknown';
        let m = this.measures.get(measure);
        if (!m) this.measures.set(measure, (m = { measure, total: 0, deny: 0, conditions: 0 }));
        m.total++;
        if (outcome === 'deny') m.deny++;
        if (outcome === 'allow_with_conditions') m.conditions++;
        return;
      }
      case 'records.ingest': {
        if (d.bySource && typeof d.bySource === 'object') {
          for (const [src, v] of Object.entries(d.bySource as Record<string, { records?: unknown; late?: unknown }>)) {
            const s = this.source(src);
            s.records += num(v?.records);
            s.late += num(v?.late);
          }
        }
        return;
      }
      case 'dispute.open': {
        this.disputes.opened++;
        if (typeof d.record === 'string') {
          this.disputes.ofRecords++;
          const src = sourceOf(d.record);
          if (src !== null) this.source(src).disputed++;
        } else this.disputes.ofDecisions++;
        return;
      }
      case 'dispute.upheld':
      case 'dispute.rejected':
      case 'dispute.lapsed':
      case 'dispute.corrected':
        this.closed(e.action.slice('dispute.'.length) as DisputeOutcome, d.record);
        return;
      case 'record.withdraw': {
        // A source's answer to a dispute (`case`), or a withdrawal that closed the record's open disputes (`cases`).
        const cases = typeof d.case === 'string' ? [d.case] : Array.isArray(d.cases) ? d.cases : [];
        for (const c of cases) if (typeof c === 'string' && c.startsWith('dispute:')) this.closed('withdrawn', d.record);
        return;
      }
      case 'review.approved':
      case 'review.rejected':
        this.reviews[e.action.slice('review.'.length) as 'approved' | 'rejected']++;
        return;
      case 'restoration.apply':
        this.restorations.applied++;
        return;
      case 'restoration.granted':
      case 'restoration.refused':
        this.restorations[e.action.slice('restoration.'.length) as 'granted' | 'refused']++;
        return;
      case 'records.purge': {
        this.retention.records += num(d.records);
        if (d.byType && typeof d.byType === 'object') for (const [t, n] of Object.entries(d.byType as Record<string, unknown>)) bump(this.retention.byType, t, num(n));
        return;
      }
      default:
    }
  }

  result(): LogSections {
    const share = (n: number, of: number) => (of === 0 ? null : Math.round((n / of) * 10_000) / 10_000);
    return {
      entries: { count: this.count, firstSeq: this.firstSeq, lastSeq: this.lastSeq },
      decisions: [...this.decisions.values()].sort((a, b) => byKey(a.provider ?? '', b.provider ?? '') || byKey(a.purpose, b.purpose)),
      measures: [...this.measures.values()].sort((a, b) => byKey(a.measure, b.measure)),
      disputes: this.disputes,
      reviews: this.reviews,
      restorations: this.restorations,
      sources: [...this.sources.entries()].sort(([a], [b]) => byKey(a, b)).map(([source, s]) => ({ source, ...s, lateShare: share(s.late, s.records), overturnedShare: share(s.overturned, s.records) })),
      retention: { records: this.retention.records, byType: Object.fromEntries(Object.entries(this.retention.byType).sort(([a], [b]) => byKey(a, b))) },
    };
  }
}

/** Per source, how many of `records` there are and how many were sent late (for a `records.ingest` entry). */
export function ingestBySource(records: readonly { source: string; occurredAt: number; recordedAt: number }[]): Record<string, { records: number; late: number }> {
  const out: Record<string, { records: number; late: number }> = {};
  const bar = REPORTED_LATE_DAYS * DAY_MS;
  for (const r of records) {
    const s = (out[r.source] ??= { records: 0, late: 0 });
    s.records++;
    if (r.recordedAt - r.occurredAt > bar) s.late++;
  }
  return out;
}
