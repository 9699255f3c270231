// Wire shape of a decision: what a provider gets. The response schemas below are also the
// serialisers of the decision routes (Fastify drops any property a schema does not name),
// so a field the domain might one day add (a score, a grade, a record) cannot reach a
// provider unless it is added here too, on purpose.
import { Type, type Static } from '@sinclair/typebox';
import { REASON_PRECEDENCE, type Decision } from '../../../domain/decide.ts';
import { iso } from '../context.ts';
import { IsoTimeOrNull, StringEnum } from './common.ts';

// Plain `enum` and `nullable` (OpenAPI 3.0) rather than unions of literals: the serialiser
// then needs no schema matching per field (a batch answers up to 5,000 decisions).

export const DecisionReasonOut = Type.Object({
  code: StringEnum(REASON_PRECEDENCE, 'reason code, in the precedence of docs/codes.md'),
  message: Type.String({ description: 'neutral text: which condition of the measure is met; never points, a grade or a record' }),
  list: Type.Optional(Type.String({ description: 'LIST_ENTRY: the triggering list (as the measure\'s public trigger names it)' })),
  until: IsoTimeOrNull('LIST_ENTRY and the like: until when the condition holds (ISO-8601), or null when not known'),
}, { additionalProperties: false });

export const DecisionOut = Type.Object({
  decisionId: Type.Optional(Type.Integer({ description: 'the audit entry of this decision; POST /v1/audit/decisions/{decisionId}/replay takes it again' })),
  subject: Type.String(),
  measure: Type.String(),
  purpose: Type.String(),
  at: Type.String({ description: 'the instant decided for (asOf), ISO-8601' }),
  outcome: StringEnum(['allow', 'deny', 'allow_with_conditions'] as const),
  effect: StringEnum(['deny', 'allow_with_conditions', 'waive_deposit', 'priority'] as const, 'the measure\'s effect, as the catalogue publishes it'),
  applies: Type.Boolean({ description: 'whether the measure\'s trigger applies to the subject (its effect is what the outcome carries)' }),
  reasons: Type.Array(DecisionReasonOut),
  conditions: Type.Array(Type.String(), { description: 'terms of a granted measure (e.g. "named publicly only with the subject\'s written consent"), or the standard terms of a reward not granted' }),
  legalBasis: Type.String(),
  contest: Type.String({ description: 'how to contest: the body to apply to and the deadline' }),
  crossContext: Type.Boolean({ description: 'the trigger comes from another context of the domain taxonomy' }),
}, {
  additionalProperties: false,
  description: 'a decision: never a score, a grade, a record id or a record\'s content',
  examples: [{
    decisionId: 12, subject: '371082198503120211', measure: 'defaulter.no_g_train', purpose: 'ticket-sale', at: '2026-03-01T09:30:00.000Z', outcome: 'deny', effect: 'deny', applies: true,
    reasons: [{ code: 'LIST_ENTRY', message: 'the list condition of measure defaulter.no_g_train is met', list: 'judgment-defaulters', until: '2027-03-01T00:00:00.000Z' }],
    conditions: [], legalBasis: 'Opinions on restricting high consumption of judgment defaulters, Art. 1', contest: 'apply to the listing court within 10 days', crossContext: false,
  }],
});

export const DecisionBatchItemOut = Type.Composite([
  Type.Object({ index: Type.Integer({ minimum: 0, description: 'the subject\'s position in the request\'s subjects' }) }),
  DecisionOut,
], { additionalProperties: false });

export const DecisionBatchErrorOut = Type.Object({
  index: Type.Integer({ minimum: 0, description: 'the position in the request\'s subjects' }),
  subject: Type.String({ description: 'the identifier as sent' }),
  code: StringEnum(['SUBJECT_ID_INVALID'] as const, 'why this subject was not decided (docs/codes.md)'),
  message: Type.String({ description: 'what is wrong with the identifier (length, characters, birth date, check character...)' }),
}, { additionalProperties: false });

export const DecisionBatchOut = Type.Object({
  measure: Type.String(),
  purpose: Type.String(),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'decisions per outcome, and `error`: subjects not decided' }),
  items: Type.Array(DecisionBatchItemOut, { description: 'one decision per valid subject, in request order' }),
  errors: Type.Array(DecisionBatchErrorOut, { description: 'one entry per subject that could not be decided (a malformed identifier), in request order; the others are decided all the same' }),
}, { additionalProperties: false, description: 'one decision per valid subject, and the subjects that could not be decided' });

/** What a provider gets: outcome, effect, reason codes, conditions, legal basis and recourse; never the records, the score or the grade. */
export const decisionDto = (d: Decision & { decisionId?: number }, purpose: string): Static<typeof DecisionOut> => ({
  ...(d.decisionId !== undefined ? { decisionId: d.decisionId } : {}),
  subject: d.subject, measure: d.measure, purpose, at: iso(d.at)!, outcome: d.outcome, effect: d.effect, applies: d.applies,
  reasons: d.reasons.map((r) => ({ code: r.code, message: r.message, ...(r.list ? { list: r.list } : {}), until: iso(r.until ?? null) })),
  conditions: [...d.conditions], legalBasis: d.legalBasis, contest: d.contest, crossContext: d.crossContext,
});
