// Due process over HTTP: a subject disputes a record or a decision, or applies for credit
// restoration from a listing; the record's source answers (confirm with evidence, or
// withdraw) or withdraws a record sent in error; operators work the review queue (disputes,
// community records, restorations), assign and decide with a written reason; auditors read it. Every step is logged in the audit log by the use case.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DueProcess, type CaseView } from '../../../app/due-process.ts';
import { CASE_KINDS } from '../../../ports/store.ts';
import { actingFor, iso, LIMITS, subjectParam, who, type HttpContext } from '../context.ts';
import { problem } from '../problem.ts';
import { OnBehalfReason, Problem, secured, SubjectParams } from '../schemas/common.ts';

const Text = (description: string, minLength = 1) => Type.String({ minLength, maxLength: 2000, description });
const Evidence = Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 20, description: 'references to evidence (document ids, file hashes, URLs)' });

const Step = Type.Object({
  at: Type.String({ format: 'date-time' }),
  step: Type.String({ description: 'opened, confirmed, withdrawn, assigned, proposed (four eyes), upheld, rejected, approved, lapsed, corrected, granted, refused' }),
  by: Type.String({ description: 'who took the step (key:<id>, cli:<user>)' }),
  reason: Type.Optional(Type.String()),
  evidence: Type.Optional(Type.Array(Type.String())),
});

const CaseKind = Type.Union(CASE_KINDS.map((k) => Type.Literal(k)), { description: 'dispute (of a record or a decision), review (a community record awaiting approval), restoration (an application to leave a list early)' });

const CaseOut = Type.Object({
  id: Type.String(),
  kind: CaseKind,
  subject: Type.String(),
  status: Type.String({ description: 'open (a dispute awaiting its source; a review item awaiting a reviewer), in-review (awaiting a reviewer), closed' }),
  outcome: Type.Union([Type.String({ description: 'withdrawn, corrected, upheld, rejected, lapsed (a dispute); approved, rejected (a review item); granted, refused (a restoration)' }), Type.Null()]),
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when the next step is due: the source\'s answer, or the reviewer\'s decision' }),
  overdue: Type.Boolean(),
  assignee: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  record: Type.Union([Type.String(), Type.Null()]),
  decision: Type.Union([Type.Integer(), Type.Null()]),
  list: Type.Union([Type.String(), Type.Null()], { description: 'the list a restoration asks to leave' }),
  source: Type.Union([Type.String(), Type.Null()]),
  statement: Type.Union([Type.String(), Type.Null()], { description: 'the subject\'s statement' }),
  proposal: Type.Union([Type.Object({
    outcome: Type.String(), by: Type.String(), at: Type.String({ format: 'date-time' }), reason: Type.String(),
  }, { additionalProperties: false }), Type.Null()], { description: 'under four eyes: the first reviewer\'s outcome of a dispute or restoration, waiting for a second reviewer to give the same one' }),
  history: Type.Array(Step),
});

const CasePage = Type.Object({ items: Type.Array(CaseOut), next: Type.Union([Type.String(), Type.Null()]) });

const caseDto = (v: CaseView): Static<typeof CaseOut> => ({
  ...v,
  dueAt: iso(v.dueAt),
  createdAt: iso(v.createdAt)!,
  updatedAt: iso(v.updatedAt)!,
  proposal: v.proposal ? { ...v.proposal, at: iso(v.proposal.at)! } : null,
  history: v.history.map((h) => ({ ...h, at: iso(h.at)! })),
});

const DisputeIn = Type.Object({
  record: Type.Optional(Type.String({ minLength: 1, maxLength: 260, description: 'the disputed record\'s id (source/sourceRecordId)' })),
  decision: Type.Optional(Type.Integer({ minimum: 1, description: 'the disputed decision\'s id (decisionId)' })),
  statement: Text('what is wrong, in the subject\'s words (at least 10 characters)', 10),
  onBehalfReason: Type.Optional(OnBehalfReason),
}, { additionalProperties: false, examples: [{ record: 'tax-bureau/T-2024-0017', statement: 'The arrears were paid on 3 March; the receipt is attached to my letter.' }] });

const RestorationIn = Type.Object({
  record: Type.String({ minLength: 1, maxLength: 260, description: 'the record that caused the listing (source/sourceRecordId)' }),
  statement: Text('how the obligations were met (at least 10 characters)', 10),
  evidence: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 20, description: 'proof of remedy: references to a receipt, a payment certificate, a court\'s certificate' }),
  onBehalfReason: Type.Optional(OnBehalfReason),
}, { additionalProperties: false, examples: [{ record: 'samr/SAMR-2025-0042', statement: 'The fine was paid in full and the product recall completed on 2 May.', evidence: ['receipt 2026-05-02-7781', 'recall completion certificate SAMR-RC-118'] }] });

const ResponseIn = Type.Object({
  action: Type.Union([Type.Literal('confirm'), Type.Literal('withdraw')]),
  reason: Text('why (at least 10 characters)', 10),
  evidence: Type.Optional(Evidence),
}, { additionalProperties: false });

const DecisionIn = Type.Object({
  outcome: Type.Union([Type.Literal('upheld'), Type.Literal('rejected'), Type.Literal('approved'), Type.Literal('granted'), Type.Literal('refused')], { description: 'a dispute: upheld or rejected; a review item: approved or rejected; a restoration: granted or refused' }),
  reason: Text('the written ground of the decision (at least 10 characters)', 10),
}, { additionalProperties: false });

const CaseQueryIn = Type.Object({
  kind: Type.Optional(CaseKind),
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('in-review'), Type.Literal('closed')])),
  subject: Type.Optional(Type.String({ maxLength: 100 })),
  assignee: Type.Optional(Type.String({ maxLength: 200 })),
  overdue: Type.Optional(Type.Boolean()),
  after: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax })),
}, { additionalProperties: false });

export async function disputeRoutes(app: FastifyInstance, ctx: HttpContext) {
  const dp = () => new DueProcess(ctx.state.credence);

  /** Who may see a case: operators and auditors all; a subject its own; a source those about its records. */
  const mayRead = (req: FastifyRequest, v: CaseView) => {
    const p = who(req);
    if (p.role === 'subject' && p.key.binding !== v.subject) throw problem('FORBIDDEN_OBJECT', 'a subject token reads only its own cases');
    if (p.role === 'source' && p.key.binding !== v.source) throw problem('FORBIDDEN_OBJECT', 'a source key reads only cases about its own records');
  };

  app.post('/subjects/:id/disputes', {
    config: { auth: ['subject', 'operator'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      tags: ['due process'], summary: 'dispute a record or a decision', security: secured,
      description: 'The record is marked disputed at once: answers that rely on it carry DISPUTED_RECORD (a provider sees that a dispute is open, never its text). Its source has the days its legal basis sets (30 by default, 20 under the PBoC credit-reporting regulation) to confirm it with evidence, correct or withdraw it; unconfirmed by then it stops counting. A decision goes to a reviewer. An operator filing for the subject states onBehalfReason. 201 with the case; 409 DISPUTE_ALREADY_OPEN or DISPUTE_RECORD_NOT_COUNTING.',
      params: SubjectParams, body: DisputeIn,
      response: { 201: CaseOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    const b = req.body as Static<typeof DisputeIn>;
    const v = await dp().openDispute(subject, { record: b.record, decision: b.decision }, b.statement, actingFor(req, subject, b.onBehalfReason));
    return reply.status(201).send(caseDto(v));
  });

  app.post('/subjects/:id/restorations', {
    config: { auth: ['subject', 'operator'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      tags: ['due process'], summary: 'apply for credit restoration: an early end of a listing', security: secured,
      description: 'On a list whose catalogue entry allows restoration (GET /v1/catalogue/lists: restoration), once the minimum time listed has passed and with proof of remedy. A reviewer decides (POST /v1/cases/{id}/decision, granted or refused) within the working days the basis sets; a grant ends the listing with the reason RESTORED. An operator filing for the subject states onBehalfReason and cannot decide the application. 201 with the case; 422 RESTORATION_NOT_APPLICABLE or RESTORATION_TOO_EARLY; 409 RESTORATION_ALREADY_OPEN.',
      params: SubjectParams, body: RestorationIn,
      response: { 201: CaseOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    const b = req.body as Static<typeof RestorationIn>;
    const v = await dp().applyRestoration(subject, b.record, b.statement, b.evidence, actingFor(req, subject, b.onBehalfReason));
    return reply.status(201).send(caseDto(v));
  });

  app.get('/subjects/:id/disputes', {
    config: { auth: ['subject', 'operator', 'auditor'] },
    schema: {
      tags: ['due process'], summary: 'the subject\'s cases (disputes, review items, restorations), with status and deadlines', security: secured,
      params: SubjectParams, response: { 200: CasePage, 403: Problem },
    },
  }, async (req) => {
    const p = who(req);
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    if (p.role === 'subject' && p.key.binding !== subject) throw problem('FORBIDDEN_OBJECT', 'a subject token reads only its own cases');
    const page = await dp().cases({ subject }, null, LIMITS.pageSizeMax);
    return { items: page.items.map(caseDto), next: page.next };
  });

  app.get('/cases', {
    config: { auth: ['operator', 'auditor'] },
    schema: {
      tags: ['due process'], summary: 'the review queue: disputes, community records and restorations, filtered', security: secured,
      description: 'Ordered by opening. overdue=true keeps the cases whose next step is past due. Page with after=<next>.',
      querystring: CaseQueryIn, response: { 200: CasePage },
    },
  }, async (req) => {
    const q = req.query as Static<typeof CaseQueryIn>;
    const subject = q.subject === undefined ? undefined : subjectParam(ctx, q.subject, 'querystring/subject');
    const status = q.status === undefined ? undefined : q.status === 'closed' ? ['closed', 'open', 'in-review'] : [q.status];
    const page = await dp().cases({ kind: q.kind, status, subject, assignee: q.assignee, overdue: q.overdue }, q.after ?? null, q.limit ?? LIMITS.pageSizeDefault);
    // A stored status may be out of date by time alone (a lapsed dispute): filter on the derived one.
    const items = q.status === undefined ? page.items : page.items.filter((v) => v.status === q.status);
    return { items: items.map(caseDto), next: page.next };
  });

  app.get('/cases/:caseId', {
    config: { auth: ['operator', 'auditor', 'subject', 'source'] },
    schema: {
      tags: ['due process'], summary: 'one case with its history', security: secured,
      params: Type.Object({ caseId: Type.String({ minLength: 1, maxLength: 300 }) }), response: { 200: CaseOut, 403: Problem, 404: Problem },
    },
  }, async (req) => {
    const v = await dp().case((req.params as { caseId: string }).caseId);
    mayRead(req, v);
    return caseDto(v);
  });

  app.post('/cases/:caseId/response', {
    config: { auth: ['source'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      tags: ['due process'], summary: 'the source answers a dispute of its record: confirm (with evidence) or withdraw', security: secured,
      description: 'confirm: the record keeps counting and a reviewer decides; withdraw: it stops counting now. A correction is a new record with revokes (the dispute then closes as corrected). 409 CASE_STEP_NOT_ALLOWED when the dispute is no longer open (answered, lapsed, corrected).',
      params: Type.Object({ caseId: Type.String({ minLength: 1, maxLength: 300 }) }), body: ResponseIn,
      response: { 200: CaseOut, 403: Problem, 404: Problem, 409: Problem, 422: Problem },
    },
  }, async (req) => {
    const p = who(req);
    const b = req.body as Static<typeof ResponseIn>;
    const v = await dp().respond((req.params as { caseId: string }).caseId, b.action, b.reason, b.evidence, { actor: p.actor, source: p.key.binding });
    return caseDto(v);
  });

  app.post('/cases/:caseId/assign', {
    config: { auth: ['operator'] },
    schema: {
      tags: ['due process'], summary: 'assign a case to a reviewer', security: secured,
      params: Type.Object({ caseId: Type.String({ minLength: 1, maxLength: 300 }) }),
      body: Type.Object({ assignee: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: CaseOut, 404: Problem, 409: Problem },
    },
  }, async (req) => {
    const p = who(req);
    return caseDto(await dp().assign((req.params as { caseId: string }).caseId, (req.body as { assignee: string }).assignee, { actor: p.actor }));
  });

  app.post('/cases/:caseId/decision', {
    config: { auth: ['operator'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      tags: ['due process'], summary: 'a reviewer decides a case with a written reason', security: secured,
      description: 'A dispute: upheld (the record is withdrawn now) or rejected (it stands). A review item (a community record): approved (it counts from now) or rejected (it never counts); the key that submitted the record cannot review it. A restoration: granted (the listing ends now, RESTORED) or refused; the operator who filed it cannot decide it. Under four eyes (the deployment\'s setting) a dispute\'s or restoration\'s first decision is a proposal (`proposal`), and a second reviewer giving the same outcome decides. Scores are recomputed in the same transaction.',
      params: Type.Object({ caseId: Type.String({ minLength: 1, maxLength: 300 }) }), body: DecisionIn,
      response: { 200: CaseOut, 404: Problem, 409: Problem, 422: Problem },
    },
  }, async (req) => {
    const p = who(req);
    const b = req.body as Static<typeof DecisionIn>;
    return caseDto(await dp().decide((req.params as { caseId: string }).caseId, b.outcome, b.reason, { actor: p.actor }));
  });

  app.post('/records/:source/:sourceRecordId/withdrawal', {
    config: { auth: ['source'] },
    schema: {
      tags: ['due process'], summary: 'withdraw a record sent in error (a neutral withdrawal with a reason)', security: secured,
      description: 'The record stops counting now; no new record is added and nothing is held against the subject for it. Open disputes and review items of it close. 409 RECORD_ALREADY_WITHDRAWN or RECORD_ALREADY_REVOKED.',
      params: Type.Object({ source: Type.String({ minLength: 1, maxLength: 100 }), sourceRecordId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
      body: Type.Object({ reason: Text('why it was sent in error (at least 10 characters)', 10) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ record: Type.String(), withdrawnAt: Type.String({ format: 'date-time' }), closed: Type.Array(Type.String(), { description: 'cases closed by the withdrawal' }) }),
        403: Problem, 404: Problem, 409: Problem,
      },
    },
  }, async (req) => {
    const p = who(req);
    const { source, sourceRecordId } = req.params as { source: string; sourceRecordId: string };
    if (p.key.binding !== source) throw problem('FORBIDDEN_OBJECT', 'a source key withdraws only its own records');
    const out = await dp().withdraw(`${source}/${sourceRecordId}`, (req.body as { reason: string }).reason, { actor: p.actor, source: p.key.binding });
    return { record: out.record, withdrawnAt: iso(out.withdrawnAt)!, closed: out.closed };
  });
}
