// Due process over HTTP: a subject disputes a record or a decision, or applies for credit
// restoration from a listing; the record's source answers (confirm with evidence, or
// withdraw) or withdraws a record sent in error; operators work the review queue (disputes,
// community records, restorations), assign and decide with a written reason; auditors read it. Every step is logged in the audit log by the use case.
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DueProcess, type CaseView } from '../../../app/due-process.ts';
import { actingFor, LIMITS, subjectParam, who, type HttpContext } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { problem } from '../problem.ts';
import { secured, SubjectParams } from '../schemas/common.ts';
import {
  AssignIn, CaseIdParams, caseDto, CaseOut, CasePage, CaseQueryIn, DecisionIn, DisputeIn, ResponseIn, RestorationIn, withdrawalDto, WithdrawalIn, WithdrawalOut, WithdrawalParams,
} from '../schemas/disputes.ts';

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
      operationId: 'createSubjectDispute',
      tags: ['due process'], summary: 'dispute a record or a decision', security: secured,
      description: 'For the subject\'s own token, or an operator filing for the subject (who states onBehalfReason; 400 REQUEST_INVALID without it). The record is marked disputed at once: answers that rely on it carry DISPUTED_RECORD (a provider sees that a dispute is open, never its text). Its source has the days its legal basis sets (30 by default, 20 under the PBoC credit-reporting regulation) to confirm it with evidence, correct or withdraw it; unconfirmed by then it stops counting. A decision goes to a reviewer. 201 with the case; 400 SUBJECT_ID_INVALID; 403 FORBIDDEN_OBJECT for another subject\'s token; 404 RECORD_NOT_FOUND or DECISION_NOT_FOUND when the record or decision is not one about this subject; 409 DISPUTE_ALREADY_OPEN or DISPUTE_RECORD_NOT_COUNTING; 422 DUE_PROCESS_INVALID when the body names both or neither of record and decision.',
      params: SubjectParams, body: DisputeIn,
      response: {
        201: { ...CaseOut, description: 'the dispute opened' },
        404: problemResponse('RECORD_NOT_FOUND or DECISION_NOT_FOUND: no such record or logged decision about this subject'),
        409: problemResponse('DISPUTE_ALREADY_OPEN: the record is already disputed; DISPUTE_RECORD_NOT_COUNTING: it was revoked, withdrawn or rejected on review'),
        422: problemResponse('DUE_PROCESS_INVALID: the body names both or neither of record and decision'),
      },
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
      operationId: 'createSubjectRestoration',
      tags: ['due process'], summary: 'apply for credit restoration: an early end of a listing', security: secured,
      description: 'For the subject\'s own token, or an operator filing for the subject (who states onBehalfReason and cannot decide the application). On a list whose catalogue entry allows restoration (GET /v1/catalogue/lists: restoration), once the minimum time listed has passed and with proof of remedy. A reviewer decides (POST /v1/cases/{caseId}/decision, granted or refused) within the working days the basis sets; a grant ends the listing with the reason RESTORED. 201 with the case; 403 FORBIDDEN_OBJECT for another subject\'s token; 404 RECORD_NOT_FOUND; 409 RESTORATION_ALREADY_OPEN; 422 RESTORATION_NOT_APPLICABLE (no listing in force that restoration can end, or restoration already granted) or RESTORATION_TOO_EARLY.',
      params: SubjectParams, body: RestorationIn,
      response: {
        201: { ...CaseOut, description: 'the application opened (kind restoration, in-review)' },
        409: problemResponse('RESTORATION_ALREADY_OPEN: an application for restoration from this listing is already open'),
        422: problemResponse('RESTORATION_NOT_APPLICABLE: no listing in force that restoration can end; RESTORATION_TOO_EARLY: the minimum time on the list has not passed; DUE_PROCESS_INVALID'),
      },
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
      operationId: 'listSubjectCases',
      tags: ['due process'], summary: 'the subject\'s cases (disputes, review items, restorations), with status and deadlines', security: secured,
      description: `For the subject's own token, operators and auditors: the subject's cases of every kind, ordered by case id (within a kind, the order of opening; at most ${LIMITS.pageSizeMax}). 400 SUBJECT_ID_INVALID; 403 FORBIDDEN_OBJECT for another subject's token.`,
      params: SubjectParams,
      response: {
        200: { ...CasePage, description: 'the subject\'s cases' },
        403: problemResponse('FORBIDDEN_OBJECT: a subject token reads only its own cases'),
      },
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
      operationId: 'listCases',
      tags: ['due process'], summary: 'the review queue: disputes, community records and restorations, filtered', security: secured,
      description: 'For operators and auditors. Ordered by case id (within a kind, the order of opening); filter by kind, status, subject, assignee; overdue=true keeps the cases whose next step is past due. Page with after=<next>. 400 REQUEST_INVALID for an unknown filter value, SUBJECT_ID_INVALID for a malformed subject.',
      querystring: CaseQueryIn,
      response: { 200: { ...CasePage, description: 'a page of the queue' } },
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
      operationId: 'getCase',
      tags: ['due process'], summary: 'one case with its history', security: secured,
      description: 'Operators and auditors read any case; a subject token only its own subject\'s, a source key only those about its own records (403 FORBIDDEN_OBJECT otherwise). 404 CASE_NOT_FOUND.',
      params: CaseIdParams,
      response: {
        200: { ...CaseOut, description: 'the case, with its status as of now' },
        403: problemResponse('FORBIDDEN_OBJECT: the case is about another subject, or a record of another source'),
        404: problemResponse('CASE_NOT_FOUND: no such case'),
      },
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
      operationId: 'answerCase',
      tags: ['due process'], summary: 'the source answers a dispute of its record: confirm (with evidence) or withdraw', security: secured,
      description: 'For the source key of the disputed record. confirm: the record keeps counting and a reviewer decides; withdraw: it stops counting now. A correction is a new record with revokes (the dispute then closes as corrected). 403 FORBIDDEN_OBJECT for a record of another source; 404 CASE_NOT_FOUND; 409 CASE_STEP_NOT_ALLOWED when the case is not a dispute of a record or is no longer open (answered, lapsed, corrected); 422 DUE_PROCESS_INVALID when a confirmation has no evidence.',
      params: CaseIdParams, body: ResponseIn,
      response: {
        200: { ...CaseOut, description: 'the case after the answer (in-review after confirm, closed withdrawn after withdraw)' },
        403: problemResponse('FORBIDDEN_OBJECT: the case is about a record of another source'),
        409: problemResponse('CASE_STEP_NOT_ALLOWED: not a dispute of a record, or no longer open'),
        422: problemResponse('DUE_PROCESS_INVALID: a confirmation needs at least one evidence reference'),
      },
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
      operationId: 'assignCase',
      tags: ['due process'], summary: 'assign a case to a reviewer', security: secured,
      description: 'For operators; the assignment is a step of the case\'s history and an audit entry. 404 CASE_NOT_FOUND; 409 CASE_STEP_NOT_ALLOWED when the case is closed.',
      params: CaseIdParams, body: AssignIn,
      response: {
        200: { ...CaseOut, description: 'the case with its new assignee' },
        404: problemResponse('CASE_NOT_FOUND: no such case'),
        409: problemResponse('CASE_STEP_NOT_ALLOWED: the case is closed'),
      },
    },
  }, async (req) => {
    const p = who(req);
    return caseDto(await dp().assign((req.params as { caseId: string }).caseId, (req.body as Static<typeof AssignIn>).assignee, { actor: p.actor }));
  });

  app.post('/cases/:caseId/decision', {
    config: { auth: ['operator'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      operationId: 'decideCase',
      tags: ['due process'], summary: 'a reviewer decides a case with a written reason', security: secured,
      description: 'For operators. A dispute: upheld (the record is withdrawn now) or rejected (it stands). A review item (a community record): approved (it counts from now) or rejected (it never counts); the key that submitted the record cannot review it. A restoration: granted (the listing ends now, RESTORED) or refused; the operator who filed it cannot decide it. Under four eyes (the deployment\'s setting) a dispute\'s or restoration\'s first decision is a proposal (`proposal`), and a second reviewer giving the same outcome decides. Scores are recomputed in the same transaction. 404 CASE_NOT_FOUND; 409 CASE_STEP_NOT_ALLOWED when the case is closed, or the reviewer may not decide it (four eyes); 422 DUE_PROCESS_INVALID for an outcome not of the case\'s kind.',
      params: CaseIdParams, body: DecisionIn,
      response: {
        200: { ...CaseOut, description: 'the case, closed with its outcome (or, under four eyes, carrying the proposal)' },
        404: problemResponse('CASE_NOT_FOUND: no such case'),
        409: problemResponse('CASE_STEP_NOT_ALLOWED: the case is closed, or this reviewer may not decide it (four eyes)'),
        422: problemResponse('DUE_PROCESS_INVALID: the outcome is not one of the case\'s kind'),
      },
    },
  }, async (req) => {
    const p = who(req);
    const b = req.body as Static<typeof DecisionIn>;
    return caseDto(await dp().decide((req.params as { caseId: string }).caseId, b.outcome, b.reason, { actor: p.actor }));
  });

  app.post('/records/:source/:sourceRecordId/withdrawal', {
    config: { auth: ['source'] },
    schema: {
      operationId: 'withdrawRecord',
      tags: ['due process'], summary: 'withdraw a record sent in error (a neutral withdrawal with a reason)', security: secured,
      description: 'For the record\'s own source key (403 FORBIDDEN_OBJECT otherwise). The record stops counting now; no new record is added and nothing is held against the subject for it. Open disputes and review items of it close. 404 RECORD_NOT_FOUND; 409 RECORD_ALREADY_WITHDRAWN or RECORD_ALREADY_REVOKED.',
      params: WithdrawalParams, body: WithdrawalIn,
      response: {
        200: { ...WithdrawalOut, description: 'the record withdrawn, and the cases that closed with it' },
        403: problemResponse('FORBIDDEN_OBJECT: a source key withdraws only its own records'),
        404: problemResponse('RECORD_NOT_FOUND: no such record'),
        409: problemResponse('RECORD_ALREADY_WITHDRAWN or RECORD_ALREADY_REVOKED'),
      },
    },
  }, async (req) => {
    const p = who(req);
    const { source, sourceRecordId } = req.params as Static<typeof WithdrawalParams>;
    if (p.key.binding !== source) throw problem('FORBIDDEN_OBJECT', 'a source key withdraws only its own records');
    return withdrawalDto(await dp().withdraw(`${source}/${sourceRecordId}`, (req.body as Static<typeof WithdrawalIn>).reason, { actor: p.actor, source: p.key.binding }));
  });
}
