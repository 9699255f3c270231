// Wire shapes of due process: disputes, review items and restorations as cases (CaseRow read by
// DueProcess as a CaseView), the bodies that open and move them, and the withdrawal of a
// record. caseDto builds the wire object field by field: a field added to a case's stored body
// reaches no one unless it is added here too. Times are ISO-8601 strings on the wire.
import { Type, type Static } from '@sinclair/typebox';
import { DISPUTE_STATUSES, type CaseView, type Step } from '../../../app/due-process.ts';
import { CASE_KINDS } from '../../../ports/store.ts';
import { iso, LIMITS } from '../context.ts';
import { IsoTime, IsoTimeOrNull, Nullable, OnBehalfReason, StringEnum } from './common.ts';

const Text = (description: string, minLength = 1) => Type.String({ minLength, maxLength: 2000, description });
const Evidence = Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 20, description: 'references to evidence (document ids, file hashes, URLs)' });

export const CaseKind = StringEnum(CASE_KINDS, 'dispute (of a record or a decision), review (a community record or a four-eyes record awaiting approval), restoration (an application to leave a list early)');
export const CaseStatus = StringEnum(DISPUTE_STATUSES, 'open (a dispute awaiting its source; a review item awaiting a reviewer), in-review (awaiting a reviewer), closed');

export const CaseIdParams = Type.Object({ caseId: Type.String({ minLength: 1, maxLength: 300, description: 'the case id (e.g. dispute:<...>, restoration:<...>)' }) }, { additionalProperties: false });

const CaseStepOut = Type.Object({
  at: IsoTime('when the step was taken'),
  step: Type.String({ description: 'opened, confirmed, withdrawn, assigned, proposed (four eyes), upheld, rejected, approved, lapsed, corrected, granted, refused' }),
  by: Type.String({ description: 'who took the step (key:<id>, cli:<user>, system)' }),
  reason: Type.Optional(Type.String({ description: 'the written reason of the step (for assigned: the assignee; for proposed: "<outcome>: <reason>"; for a filing by an operator: on whose behalf and why)' })),
  evidence: Type.Optional(Type.Array(Type.String(), { description: 'evidence references given with the step' })),
}, { additionalProperties: false, description: 'one step of a case, in the order taken' });

const ProposalOut = Type.Object({
  outcome: Type.String({ description: 'the outcome proposed (upheld, rejected, granted, refused)' }),
  by: Type.String({ description: 'the first reviewer' }),
  at: IsoTime('when it was proposed'),
  reason: Type.String({ description: 'the first reviewer\'s written reason' }),
}, { additionalProperties: false });

export const CaseOut = Type.Object({
  id: Type.String({ description: 'the case id' }),
  kind: CaseKind,
  subject: Type.String({ description: 'the subject the case is about' }),
  status: CaseStatus,
  outcome: Nullable(Type.String({ description: 'withdrawn, corrected, upheld, rejected, lapsed (a dispute); approved, rejected (a review item); granted, refused (a restoration); null while not closed' })),
  dueAt: IsoTimeOrNull('when the next step is due: the source\'s answer, or the reviewer\'s decision; null once closed'),
  overdue: Type.Boolean({ description: 'whether dueAt has passed' }),
  assignee: Nullable(Type.String({ description: 'the reviewer the case is assigned to, or null' })),
  createdAt: IsoTime('when the case was opened'),
  updatedAt: IsoTime('when the case last moved'),
  record: Nullable(Type.String({ description: 'the record the case is about (source/sourceRecordId); null for a dispute of a decision' })),
  decision: Nullable(Type.Integer({ description: 'the disputed decision\'s id (decisionId); null unless a decision is disputed' })),
  list: Nullable(Type.String({ description: 'the list a restoration asks to leave; null for other kinds' })),
  source: Nullable(Type.String({ description: 'the source of the record, or null' })),
  statement: Nullable(Type.String({ description: 'the subject\'s statement (a dispute, a restoration), or null' })),
  proposal: Nullable({ ...ProposalOut, description: 'under four eyes: the first reviewer\'s outcome of a dispute or restoration, waiting for a second reviewer to give the same one; null otherwise and once closed' }),
  history: Type.Array(CaseStepOut, { description: 'every step, oldest first' }),
}, {
  additionalProperties: false,
  description: 'a due-process case: a dispute, a review item or an application for restoration, with its derived status and its history',
  examples: [{
    id: 'dispute:mm1x2k3b0a1b2c3d4', kind: 'dispute', subject: '371082198503120211', status: 'open', outcome: null,
    dueAt: '2026-04-01T09:30:00.000Z', overdue: false, assignee: null, createdAt: '2026-03-02T09:30:00.000Z', updatedAt: '2026-03-02T09:30:00.000Z',
    record: 'tax-bureau/T-2024-0017', decision: null, list: null, source: 'tax-bureau', statement: 'The arrears were paid on 3 March; the receipt is attached to my letter.', proposal: null,
    history: [{ at: '2026-03-02T09:30:00.000Z', step: 'opened', by: 'key:k_subject1' }],
  }],
});

export const CasePage = Type.Object({
  items: Type.Array(CaseOut),
  next: Nullable(Type.String({ description: 'pass as after= for the next page; null on the last page' })),
}, { additionalProperties: false, description: 'a page of cases, ordered by case id' });

export const WithdrawalOut = Type.Object({
  record: Type.String({ description: 'the withdrawn record (source/sourceRecordId)' }),
  withdrawnAt: IsoTime('when it stopped counting'),
  closed: Type.Array(Type.String(), { description: 'ids of the cases closed by the withdrawal' }),
}, { additionalProperties: false, examples: [{ record: 'tax-bureau/T-2024-0017', withdrawnAt: '2026-03-05T08:00:00.000Z', closed: ['dispute:mm1x2k3b0a1b2c3d4'] }] });

const stepDto = (h: Step): Static<typeof CaseStepOut> => ({
  at: iso(h.at)!, step: h.step, by: h.by,
  ...(h.reason !== undefined ? { reason: h.reason } : {}),
  ...(h.evidence !== undefined ? { evidence: [...h.evidence] } : {}),
});

/** A case on the wire: exactly the fields of CaseOut. */
export const caseDto = (v: CaseView): Static<typeof CaseOut> => ({
  id: v.id, kind: v.kind, subject: v.subject, status: v.status as Static<typeof CaseStatus>, outcome: v.outcome,
  dueAt: iso(v.dueAt), overdue: v.overdue, assignee: v.assignee, createdAt: iso(v.createdAt)!, updatedAt: iso(v.updatedAt)!,
  record: v.record, decision: v.decision, list: v.list, source: v.source, statement: v.statement,
  proposal: v.proposal ? { outcome: v.proposal.outcome, by: v.proposal.by, at: iso(v.proposal.at)!, reason: v.proposal.reason } : null,
  history: v.history.map(stepDto),
});

export const withdrawalDto = (out: { record: string; withdrawnAt: number; closed: string[] }): Static<typeof WithdrawalOut> =>
  ({ record: out.record, withdrawnAt: iso(out.withdrawnAt)!, closed: [...out.closed] });

// ---------------------------------------------------------------------------------------
// Requests

export const DisputeIn = Type.Object({
  record: Type.Optional(Type.String({ minLength: 1, maxLength: 260, description: 'the disputed record\'s id (source/sourceRecordId)' })),
  decision: Type.Optional(Type.Integer({ minimum: 1, description: 'the disputed decision\'s id (decisionId)' })),
  statement: Text('what is wrong, in the subject\'s words (at least 10 characters)', 10),
  onBehalfReason: Type.Optional(OnBehalfReason),
}, { additionalProperties: false, description: 'names either a record or a decision', examples: [{ record: 'tax-bureau/T-2024-0017', statement: 'The arrears were paid on 3 March; the receipt is attached to my letter.' }] });

export const RestorationIn = Type.Object({
  record: Type.String({ minLength: 1, maxLength: 260, description: 'the record that caused the listing (source/sourceRecordId)' }),
  statement: Text('how the obligations were met (at least 10 characters)', 10),
  evidence: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 20, description: 'proof of remedy: references to a receipt, a payment certificate, a court\'s certificate' }),
  onBehalfReason: Type.Optional(OnBehalfReason),
}, { additionalProperties: false, examples: [{ record: 'samr/SAMR-2025-0042', statement: 'The fine was paid in full and the product recall completed on 2 May.', evidence: ['receipt 2026-05-02-7781', 'recall completion certificate SAMR-RC-118'] }] });

export const ResponseIn = Type.Object({
  action: StringEnum(['confirm', 'withdraw'] as const, 'confirm: the record stands and a reviewer decides (evidence required); withdraw: it stops counting now'),
  reason: Text('why (at least 10 characters)', 10),
  evidence: Type.Optional(Evidence),
}, { additionalProperties: false, examples: [{ action: 'confirm', reason: 'The arrears were outstanding on the record date; see the ledger extract.', evidence: ['ledger extract TB-2024-0017-L'] }] });

export const DecisionIn = Type.Object({
  outcome: StringEnum(['upheld', 'rejected', 'approved', 'granted', 'refused'] as const, 'a dispute: upheld or rejected; a review item: approved or rejected; a restoration: granted or refused'),
  reason: Text('the written ground of the decision (at least 10 characters)', 10),
}, { additionalProperties: false, examples: [{ outcome: 'upheld', reason: 'The receipt shows the arrears were paid before the record date.' }] });

export const AssignIn = Type.Object({
  assignee: Type.String({ minLength: 1, maxLength: 200, description: 'the reviewer (e.g. an operator\'s name or key id)' }),
}, { additionalProperties: false, examples: [{ assignee: 'reviewer-wang' }] });

export const WithdrawalParams = Type.Object({
  source: Type.String({ minLength: 1, maxLength: 100, description: 'your source id' }),
  sourceRecordId: Type.String({ minLength: 1, maxLength: 128, description: 'your id for the record' }),
}, { additionalProperties: false });

export const WithdrawalIn = Type.Object({
  reason: Text('why it was sent in error (at least 10 characters)', 10),
}, { additionalProperties: false, examples: [{ reason: 'Sent for the wrong taxpayer: a transcription error in the batch of 2 March.' }] });

export const CaseQueryIn = Type.Object({
  kind: Type.Optional(CaseKind),
  status: Type.Optional(CaseStatus),
  subject: Type.Optional(Type.String({ maxLength: 100, description: 'only the cases of this subject' })),
  assignee: Type.Optional(Type.String({ maxLength: 200, description: 'only the cases assigned to this reviewer' })),
  overdue: Type.Optional(Type.Boolean({ description: 'true: only the cases whose next step is past due' })),
  after: Type.Optional(Type.String({ maxLength: 200, description: 'the `next` of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax, description: `page size, at most ${LIMITS.pageSizeMax} (default ${LIMITS.pageSizeDefault})` })),
}, { additionalProperties: false });
