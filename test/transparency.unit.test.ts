// The log fold of the transparency report: only the period's entries count; a source's
// withdrawal counts once per dispute it closed (not per review item); shares are of the
// records received; a late record is one sent more than 30 days after the conduct.
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../src/domain/audit-chain.ts';
import { ingestBySource, LogFold, REPORTED_LATE_DAYS } from '../src/domain/transparency.ts';

const T0 = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
let seq = 0;
const entry = (at: number, action: string, detail: Record<string, unknown>): AuditEntry => ({ seq: ++seq, at, actor: 'key:x', action, detail, prevHash: '', hash: '' });

describe('LogFold', () => {
  it('counts the period only, and attributes overturned disputes to the record\'s source', () => {
    const fold = new LogFold(T0, T0 + 30 * DAY);
    const log = [
      entry(T0 - 1, 'decision', { provider: 'railway', purpose: 'ticket-sale', outcome: 'deny', measure: 'm' }),
      entry(T0, 'records.ingest', { accepted: 4, bySource: { 'utilities-bureau': { records: 3, late: 1 }, 'rongcheng-court': { records: 1, late: 0 } } }),
      entry(T0 + DAY, 'decision', { provider: 'railway', providerName: 'Railway', purpose: 'ticket-sale', outcome: 'deny', measure: 'm' }),
      entry(T0 + DAY, 'decision', { purpose: 'court-review', outcome: 'allow_with_conditions', measure: 'm' }),
      entry(T0 + 2 * DAY, 'dispute.open', { case: 'dispute:1', record: 'utilities-bureau/u-1' }),
      entry(T0 + 2 * DAY, 'dispute.open', { case: 'dispute:2', decision: 3 }),
      entry(T0 + 3 * DAY, 'record.withdraw', { record: 'utilities-bureau/u-1', reason: 'error', cases: ['dispute:1', 'review:utilities-bureau/u-1'] }),
      entry(T0 + 4 * DAY, 'dispute.lapsed', { case: 'dispute:3', record: 'rongcheng-court/c-1' }),
      entry(T0 + 4 * DAY, 'restoration.apply', {}),
      entry(T0 + 5 * DAY, 'records.purge', { records: 2, byType: { 'utilities.theft': 2 } }),
      entry(T0 + 30 * DAY, 'dispute.open', { case: 'dispute:9', record: 'utilities-bureau/u-9' }),
    ];
    for (const e of log) fold.add(e);
    const r = fold.result();
    expect(r.entries).toEqual({ count: 9, firstSeq: log[1]!.seq, lastSeq: log[9]!.seq });
    expect(r.decisions).toEqual([
      { provider: null, providerName: null, purpose: 'court-review', total: 1, outcomes: { allow_with_conditions: 1 } },
      { provider: 'railway', providerName: 'Railway', purpose: 'ticket-sale', total: 1, outcomes: { deny: 1 } },
    ]);
    expect(r.measures).toEqual([{ measure: 'm', total: 2, deny: 1, conditions: 1 }]);
    expect(r.disputes).toEqual({ opened: 2, ofRecords: 1, ofDecisions: 1, closed: { withdrawn: 1, corrected: 0, upheld: 0, lapsed: 1, rejected: 0 } });
    expect(r.restorations).toEqual({ applied: 1, granted: 0, refused: 0 });
    expect(r.sources).toEqual([
      { source: 'rongcheng-court', records: 1, late: 0, disputed: 0, overturned: 1, lateShare: 0, overturnedShare: 1 },
      { source: 'utilities-bureau', records: 3, late: 1, disputed: 1, overturned: 1, lateShare: 0.3333, overturnedShare: 0.3333 },
    ]);
    expect(r.retention).toEqual({ records: 2, byType: { 'utilities.theft': 2 } });
  });
});

describe('ingestBySource', () => {
  it('counts a record late when it arrives more than the bar after the conduct', () => {
    const bar = REPORTED_LATE_DAYS * DAY;
    expect(ingestBySource([
      { source: 'a', occurredAt: T0, recordedAt: T0 + bar },
      { source: 'a', occurredAt: T0, recordedAt: T0 + bar + 1 },
      { source: 'b', occurredAt: T0, recordedAt: T0 },
    ])).toEqual({ a: { records: 2, late: 1 }, b: { records: 1, late: 0 } });
  });
});
