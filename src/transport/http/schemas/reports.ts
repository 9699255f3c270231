// The transparency report on the wire (GET /v1/reports/transparency): counts only.
import { Type } from '@sinclair/typebox';

const Count = Type.Integer({ minimum: 0 });
const Share = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'a fraction of the records received in the period (4 decimals); null without records' });
const Counts = Type.Record(Type.String(), Count);

export const TransparencyOut = Type.Object({
  period: Type.Object({ from: Type.String({ description: 'inclusive' }), to: Type.String({ description: 'exclusive' }) }),
  generatedAt: Type.String(),
  entries: Type.Object({ count: Count, firstSeq: Type.Union([Type.Integer(), Type.Null()]), lastSeq: Type.Union([Type.Integer(), Type.Null()]) }, { description: 'the audit log entries of the period (a verifier recomputes the log sections from them)' }),
  grades: Type.Array(Type.Object({ scheme: Type.String(), at: Type.String(), subjects: Count, counts: Counts }), { description: 'subjects per grade at the end of the period, as the records held today score them' }),
  sanctions: Type.Object({
    rules: Type.Array(Type.Object({ scheme: Type.String(), rule: Type.String(), title: Type.String(), deductions: Count, points: Type.Number(), ended: Type.Integer({ minimum: 0, description: 'of them, stopped before their expiry: revoked, withdrawn, or a dispute left unconfirmed' }) }), { description: 'deductions that started counting in the period, per scheme rule (from the records held today)' }),
    measures: Type.Array(Type.Object({ measure: Type.String(), title: Type.String(), total: Count, deny: Count, conditions: Count }), { description: 'answers per measure: refused (deny) and with conditions (from the log)' }),
  }),
  decisions: Type.Array(Type.Object({ provider: Type.Union([Type.String(), Type.Null()], { description: 'null: an operator or auditor asked' }), providerName: Type.Union([Type.String(), Type.Null()]), purpose: Type.String(), total: Count, outcomes: Counts })),
  disputes: Type.Object({ opened: Count, ofRecords: Count, ofDecisions: Count, closed: Counts }),
  reviews: Type.Object({ approved: Count, rejected: Count }),
  restorations: Type.Object({ applied: Count, granted: Count, refused: Count }),
  sources: Type.Array(Type.Object({ source: Type.String(), name: Type.String(), records: Count, late: Count, disputed: Count, overturned: Count, lateShare: Share, overturnedShare: Share })),
  retention: Type.Object({ records: Count, byType: Counts }, { description: 'records deleted past their retention in the period' }),
  method: Type.Object({ fromLog: Type.Array(Type.String()), fromRecords: Type.Array(Type.String()), reportedLateDays: Count, overturningOutcomes: Type.Array(Type.String()) }),
}, { additionalProperties: false });
