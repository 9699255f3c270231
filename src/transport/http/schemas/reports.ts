// The transparency report on the wire (GET /v1/reports/transparency): counts only. The handler
// answers the report of src/app/transparency.ts as it is; this schema serialises it, so a
// section the report gains reaches the wire only once it is named here.
import { Type } from '@sinclair/typebox';
import { DISPUTE_OUTCOMES } from '../../../domain/types.ts';
import { IsoTime, Nullable } from './common.ts';

const Count = Type.Integer({ minimum: 0 });
const Share = Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'a fraction of the records received in the period (4 decimals); null without records' }));
const Counts = (description: string) => Type.Record(Type.String(), Count, { description });
const SeqOrNull = (description: string) => Nullable(Type.Integer({ minimum: 1, description }));

export const TransparencyOut = Type.Object({
  period: Type.Object({ from: IsoTime('start of the period (inclusive)'), to: IsoTime('end of the period (exclusive)') }, { additionalProperties: false }),
  generatedAt: IsoTime('when the report was computed (it is kept for a minute)'),
  entries: Type.Object({
    count: Count,
    firstSeq: SeqOrNull('the first audit entry of the period, or null without entries'),
    lastSeq: SeqOrNull('the last audit entry of the period, or null without entries'),
  }, { additionalProperties: false, description: 'the audit log entries of the period (a verifier recomputes the log sections from them)' }),
  grades: Type.Array(Type.Object({
    scheme: Type.String({ description: 'ID@VERSION in force at the end of the period' }),
    at: IsoTime('the instant graded: the end of the period, or now if earlier'),
    subjects: Count,
    counts: Counts('subjects per grade, every grade of the scheme named'),
  }, { additionalProperties: false }), { description: 'subjects per grade at the end of the period, as the records held today score them' }),
  sanctions: Type.Object({
    rules: Type.Array(Type.Object({
      scheme: Type.String(), rule: Type.String(), title: Type.String(),
      deductions: Count,
      points: Type.Number({ description: 'the sum of their points (negative)' }),
      ended: Type.Integer({ minimum: 0, description: 'of them, stopped before their expiry: revoked, withdrawn, or a dispute left unconfirmed' }),
    }, { additionalProperties: false }), { description: 'deductions that started counting in the period, per scheme rule (from the records held today)' }),
    measures: Type.Array(Type.Object({
      measure: Type.String(), title: Type.String(),
      total: Count, deny: Count, conditions: Count,
    }, { additionalProperties: false }), { description: 'answers per measure: refused (deny) and with conditions (from the log)' }),
  }, { additionalProperties: false }),
  decisions: Type.Array(Type.Object({
    provider: Nullable(Type.String({ description: 'the provider that asked; null: an operator or auditor asked' })),
    providerName: Nullable(Type.String({ description: 'its registered name, or null' })),
    purpose: Type.String(),
    total: Count,
    outcomes: Counts('decisions per outcome (allow, deny, allow_with_conditions)'),
  }, { additionalProperties: false }), { description: 'decisions per provider and purpose (from the log)' }),
  disputes: Type.Object({
    opened: Count,
    ofRecords: Count,
    ofDecisions: Count,
    closed: Type.Object(Object.fromEntries(DISPUTE_OUTCOMES.map((o) => [o, Count])), { additionalProperties: false, description: 'disputes closed in the period, per outcome' }),
  }, { additionalProperties: false }),
  reviews: Type.Object({ approved: Count, rejected: Count }, { additionalProperties: false, description: 'review cases (community records, four eyes) decided in the period' }),
  restorations: Type.Object({ applied: Count, granted: Count, refused: Count }, { additionalProperties: false, description: 'applications for credit restoration' }),
  sources: Type.Array(Type.Object({
    source: Type.String(), name: Type.String(),
    records: Count,
    late: Type.Integer({ minimum: 0, description: 'records delivered more than method.reportedLateDays after they occurred' }),
    disputed: Count,
    overturned: Type.Integer({ minimum: 0, description: 'disputed records whose dispute ended in an overturning outcome (method.overturningOutcomes)' }),
    lateShare: Share,
    overturnedShare: Share,
  }, { additionalProperties: false }), { description: 'per source: records received, late, disputed and overturned' }),
  retention: Type.Object({ records: Count, byType: Counts('per record type') }, { additionalProperties: false, description: 'records deleted past their retention in the period' }),
  method: Type.Object({
    fromLog: Type.Array(Type.String(), { description: 'sections folded from the audit log' }),
    fromRecords: Type.Array(Type.String(), { description: 'sections computed from the records held today' }),
    reportedLateDays: Count,
    overturningOutcomes: Type.Array(Type.String(), { description: 'dispute outcomes that count as overturning the source\'s record' }),
  }, { additionalProperties: false, description: 'how each figure is made, so a reader can check it' }),
}, {
  additionalProperties: false,
  description: 'the transparency report of a period (counts only)',
  examples: [{
    period: { from: '2025-03-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' }, generatedAt: '2026-03-01T09:30:00.000Z',
    entries: { count: 3, firstSeq: 1, lastSeq: 3 },
    grades: [{ scheme: 'rongcheng@1', at: '2026-03-01T00:00:00.000Z', subjects: 2, counts: { AAA: 0, AA: 0, A: 1, B: 1, C: 0, D: 0 } }],
    sanctions: { rules: [{ scheme: 'rongcheng@1', rule: 'red-light', title: 'Ran a red light', deductions: 1, points: -5, ended: 0 }], measures: [{ measure: 'defaulter.no_g_train', title: 'No G-series high-speed train seats', total: 2, deny: 1, conditions: 0 }] },
    decisions: [{ provider: 'railway', providerName: 'Railway ticketing', purpose: 'ticket-sale', total: 2, outcomes: { allow: 1, deny: 1 } }],
    disputes: { opened: 0, ofRecords: 0, ofDecisions: 0, closed: { withdrawn: 0, corrected: 0, upheld: 0, lapsed: 0, rejected: 0 } },
    reviews: { approved: 0, rejected: 0 }, restorations: { applied: 0, granted: 0, refused: 0 },
    sources: [{ source: 'traffic-police', name: 'Rongcheng traffic police brigade', records: 1, late: 0, disputed: 0, overturned: 0, lateShare: 0, overturnedShare: 0 }],
    retention: { records: 0, byType: {} },
    method: { fromLog: ['decisions', 'sanctions.measures', 'disputes', 'reviews', 'restorations', 'sources', 'retention', 'entries'], fromRecords: ['grades', 'sanctions.rules'], reportedLateDays: 30, overturningOutcomes: ['withdrawn', 'corrected', 'upheld', 'lapsed'] },
  }],
});

