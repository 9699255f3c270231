// Notices over HTTP: a subject's inbox (and an operator's or auditor's view of it, logged as a
// read), a provider's or a source's own inbox, a subject's e-mail contacts, and the webhook
// endpoints notices are delivered to, with their deliveries, the dead-letter list and replay.
// The secret of an endpoint is in the answer that registers it only. Delivery itself is the
// server's dispatcher (src/app/notices.ts); the wire shapes are in ../schemas/notices.ts.
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Notices } from '../../../app/notices.ts';
import { actingFor, audit, LIMITS, readSubject, subjectParam, who, type HttpContext } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { problem } from '../problem.ts';
import { secured, SubjectParams } from '../schemas/common.ts';
import {
  ContactIn, ContactListOut, ContactOut, ContactParams, contactDto, DeliveriesOut, DeliveriesQuery, deliveryDto,
  EndpointCreatedOut, EndpointIn, EndpointListOut, EndpointOut, EndpointParams, endpointDto, InboxQuery, NoticeOut, NoticeParams,
  noticeDto, OnBehalfIn, PartyInboxOut, PartyInboxQuery, PartyParams, ReplayIn, ReplayOut, SubjectInboxOut,
} from '../schemas/notices.ts';

const readForbidden = () => problemResponse('403 FORBIDDEN_OBJECT: a subject token reads its own subject only');
const actForbidden = () => problemResponse('403 FORBIDDEN_OBJECT: a subject token acts for its own subject only');
const endpointForbidden = () => problemResponse('403 FORBIDDEN_OBJECT: a provider\'s or source\'s key manages the endpoints of its own notices only');
const endpointNotFound = () => problemResponse('404 WEBHOOK_NOT_FOUND: no endpoint has this id');

export async function noticeRoutes(app: FastifyInstance, ctx: HttpContext) {
  const notices = () => new Notices(ctx.store, ctx.now);

  app.get('/subjects/:id/notices', {
    config: { auth: ['subject', 'operator', 'auditor'] },
    schema: {
      operationId: 'listSubjectNotices', tags: ['due process'], summary: 'the subject\'s notices, oldest first: adverse changes, outcomes, with reasons, legal basis, rights and deadlines', security: secured,
      description: 'A subject reads its own (403 FORBIDDEN_OBJECT for another subject); an operator or auditor reads anyone\'s, and the read is in the subject\'s query log. unread=true keeps the unread ones; page with after= (the next of the page before). 400 SUBJECT_ID_INVALID for a malformed identifier.',
      params: SubjectParams, querystring: InboxQuery,
      response: { 200: SubjectInboxOut, 403: readForbidden() },
    },
  }, async (req) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    await readSubject(ctx, req, subject);
    const q = req.query as Static<typeof InboxQuery>;
    const box = await notices().inbox({ subject }, { unread: q.unread, afterSeq: q.after, limit: q.limit ?? LIMITS.pageSizeDefault });
    return { subject, unread: box.unread, items: box.items.map(noticeDto), next: box.next };
  });

  app.post('/subjects/:id/notices/:notice/read', {
    config: { auth: ['subject'] },
    schema: {
      operationId: 'markSubjectNoticeRead', tags: ['due process'], summary: 'mark one of one\'s notices read (the first time is kept)', security: secured,
      description: 'Subject tokens only, for their own notices (403 FORBIDDEN_OBJECT for another subject\'s). Answers the notice with its readAt; marking it again keeps the first time. 404 NOTICE_NOT_FOUND when the subject\'s inbox holds no such notice.',
      params: NoticeParams,
      response: { 200: NoticeOut, 403: problemResponse('403 FORBIDDEN_OBJECT: a subject token marks its own notices only'), 404: problemResponse('404 NOTICE_NOT_FOUND: no such notice in the subject\'s inbox') },
    },
  }, async (req) => {
    const { id, notice } = req.params as { id: string; notice: string };
    const subject = subjectParam(ctx, id);
    if (who(req).key.binding !== subject) throw problem('FORBIDDEN_OBJECT', 'a subject token marks only its own notices');
    return noticeDto(await notices().markRead(subject, notice));
  });

  app.post('/subjects/:id/contacts', {
    config: { auth: ['subject', 'operator'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      operationId: 'addSubjectContact', tags: ['notices'], summary: 'e-mail the subject\'s notices to an address, from now on', security: secured,
      description: 'The subject itself, or an operator stating onBehalfReason (400 REQUEST_INVALID without one). Every notice to the subject is e-mailed there too (its summary as the subject line; legal basis, dates, rights and reason codes in the text), retried like a webhook delivery. Answers 201 with the contact; registering an address twice answers the one held. 422 CONTACT_INVALID when the address is malformed. Logged as contact.add.',
      params: SubjectParams, body: ContactIn,
      response: { 201: ContactOut, 403: actForbidden(), 422: problemResponse('422 CONTACT_INVALID: the e-mail address is malformed') },
    },
  }, async (req, reply) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    const b = req.body as Static<typeof ContactIn>;
    const w = actingFor(req, subject, b.onBehalfReason);
    return reply.status(201).send(contactDto(await notices().addContact(subject, b.email, { actor: w.actor, reason: w.onBehalfReason })));
  });

  app.get('/subjects/:id/contacts', {
    config: { auth: ['subject', 'operator'] },
    schema: {
      operationId: 'listSubjectContacts', tags: ['notices'], summary: 'the addresses the subject\'s notices are e-mailed to, with delivery counts', security: secured,
      description: 'A subject reads its own (403 FORBIDDEN_OBJECT for another subject); an operator reads anyone\'s, and the read is in the subject\'s query log. Removed addresses are not listed.',
      params: SubjectParams,
      response: { 200: ContactListOut, 403: readForbidden() },
    },
  }, async (req) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    await readSubject(ctx, req, subject);
    return { subject, items: (await notices().contacts(subject)).map(contactDto) };
  });

  app.delete('/subjects/:id/contacts/:contact', {
    config: { auth: ['subject', 'operator'] },
    preValidation: async (req) => { if (req.body === undefined || req.body === null) req.body = {}; },
    schema: {
      operationId: 'removeSubjectContact', tags: ['notices'], summary: 'stop e-mailing an address; e-mails on their way to it are dropped', security: secured,
      description: 'The subject itself (no body needed), or an operator stating onBehalfReason in the body (400 REQUEST_INVALID without one). Answers the contact as it was removed. 404 CONTACT_NOT_FOUND when the subject has no such address in use. Logged as contact.remove.',
      params: ContactParams, body: OnBehalfIn,
      response: { 200: ContactOut, 403: actForbidden(), 404: problemResponse('404 CONTACT_NOT_FOUND: the subject has no e-mail contact in use with this id') },
    },
  }, async (req) => {
    const { id, contact } = req.params as { id: string; contact: string };
    const subject = subjectParam(ctx, id);
    const reason = (req.body as { onBehalfReason?: string }).onBehalfReason;
    const w = actingFor(req, subject, reason);
    return contactDto(await notices().removeContact(subject, contact, { actor: w.actor, reason: w.onBehalfReason }));
  });

  /** The inbox of a provider or a source: its own key, operators and auditors read it. */
  const partyInbox = (party: 'provider' | 'source', operationId: string, summary: string, what: string) => app.get(`/${party}s/:${party}/notices`, {
    config: { auth: [party, 'operator', 'auditor'] },
    schema: {
      operationId, tags: ['due process'], summary, security: secured,
      description: `${what} A ${party} key reads its own ${party}'s only (403 FORBIDDEN_OBJECT otherwise); operators and auditors read any. Oldest first; page with after= (the next of the page before).`,
      params: PartyParams(party), querystring: PartyInboxQuery,
      response: { 200: PartyInboxOut(party), 403: problemResponse(`403 FORBIDDEN_OBJECT: a ${party} key reads its own ${party}'s notices only`) },
    },
  }, async (req) => {
    const id = (req.params as Record<string, string>)[party]!;
    const p = who(req);
    if (p.role === party && p.key.binding !== id) throw problem('FORBIDDEN_OBJECT', `a ${party} key reads its own ${party}'s notices only`);
    const q = req.query as Static<typeof PartyInboxQuery>;
    const { items, next } = await notices().inbox({ recipient: `${party}:${id}` }, { afterSeq: q.after, limit: q.limit ?? LIMITS.pageSizeDefault });
    return { [party]: id, items: items.map(noticeDto), next };
  });
  partyInbox('provider', 'listProviderNotices', 'a provider\'s notices: data that decisions it received relied on was re-examined',
    'Notices of kind dispute.outcome: a dispute about a subject the provider received answers about in the 12 months before was closed, and the data those decisions relied on was re-examined.');
  partyInbox('source', 'listSourceNotices', 'a source\'s notices: disputes of its records, each with the statement and the deadline to answer',
    'Notices of kind dispute.opened: a subject disputes one of the source\'s records; the body carries the case, the record, the subject\'s statement and the deadline by which the source confirms it with evidence, corrects or withdraws it.');

  /** A provider's or a source's key manages endpoints for its own notices only; an operator any. */
  const scope = (req: FastifyRequest) => {
    const p = who(req);
    return p.role === 'provider' || p.role === 'source' ? `${p.role}:${p.key.binding}` : null;
  };
  const own = async (req: FastifyRequest, id: string) => {
    const e = await notices().endpoint(id);
    const s = scope(req);
    if (s !== null && e.recipient !== s) throw problem('FORBIDDEN_OBJECT', 'this endpoint takes another recipient\'s notices');
    return e;
  };

  app.post('/webhooks', {
    config: { auth: ['operator', 'provider', 'source'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      operationId: 'createWebhook', tags: ['notices'], summary: 'register a webhook endpoint; its signing secret (whsec_...) is shown once', security: secured,
      description: 'Operators register endpoints for any recipient; a provider\'s or source\'s key for its own notices only (the recipient defaults to it; 403 FORBIDDEN_OBJECT for another). Answers 201 with the endpoint and its secret, which is in this answer only. Deliveries are POSTs signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,base64 HMAC-SHA256 of "id.timestamp.body" under the secret). A 2xx answer delivers; anything else is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then the delivery is dead (the dead-letter list) until replayed. An endpoint takes notices written after it was registered. 422 WEBHOOK_INVALID when the URL is not http(s), carries credentials, or the recipient is malformed.',
      body: EndpointIn,
      response: {
        201: EndpointCreatedOut,
        403: problemResponse('403 FORBIDDEN_OBJECT: a provider\'s or source\'s key registers endpoints for its own notices only'),
        422: problemResponse('422 WEBHOOK_INVALID: the URL is not an http(s) URL without credentials, or the recipient is not "subject", "provider:<id>", "source:<id>" or "*"'),
      },
    },
  }, async (req, reply) => {
    const b = req.body as Static<typeof EndpointIn>;
    const s = scope(req);
    if (s !== null && b.recipient !== undefined && b.recipient !== s) throw problem('FORBIDDEN_OBJECT', `a provider or source key registers endpoints for its own notices (${s}) only`);
    const { endpoint, secret } = await notices().addEndpoint({ ...b, recipient: s ?? b.recipient });
    await audit(ctx, req, 'webhook.add', { endpoint: endpoint.id, url: endpoint.url, recipient: endpoint.recipient });
    return reply.status(201).send({ ...endpointDto(endpoint), secret });
  });

  app.get('/webhooks', {
    config: { auth: ['operator', 'auditor', 'provider', 'source'] },
    schema: {
      operationId: 'listWebhooks', tags: ['notices'], summary: 'webhook endpoints with their delivery counts (never the secret)', security: secured,
      description: 'Operators and auditors see every endpoint; a provider\'s or source\'s key those of its own notices. Disabled endpoints are listed too (disabledAt); subjects\' e-mail contacts are not (GET /v1/subjects/{id}/contacts).',
      response: { 200: EndpointListOut },
    },
  }, async (req) => {
    const s = scope(req);
    return { items: (await notices().endpoints(s === null ? {} : { recipient: s })).map(endpointDto) };
  });

  app.get('/webhooks/:id', {
    config: { auth: ['operator', 'auditor', 'provider', 'source'] },
    schema: {
      operationId: 'getWebhook', tags: ['notices'], summary: 'one webhook endpoint', security: secured,
      description: 'The endpoint with its delivery counts, never its secret. Operators and auditors read any; a provider\'s or source\'s key its own (403 FORBIDDEN_OBJECT otherwise). 404 WEBHOOK_NOT_FOUND when there is no such endpoint.',
      params: EndpointParams,
      response: { 200: EndpointOut, 403: endpointForbidden(), 404: endpointNotFound() },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await own(req, id);
    return endpointDto(await notices().view(id));
  });

  app.delete('/webhooks/:id', {
    config: { auth: ['operator', 'provider', 'source'] },
    schema: {
      operationId: 'disableWebhook', tags: ['notices'], summary: 'disable an endpoint: nothing more is sent to it; its pending deliveries become dead', security: secured,
      description: 'Operators disable any endpoint; a provider\'s or source\'s key its own (403 FORBIDDEN_OBJECT otherwise). Answers the endpoint with its disabledAt; disabling twice keeps the first time. A disabled endpoint cannot be enabled again: register a new one. 404 WEBHOOK_NOT_FOUND when there is no such endpoint. Logged as webhook.disable.',
      params: EndpointParams,
      response: { 200: EndpointOut, 403: endpointForbidden(), 404: endpointNotFound() },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await own(req, id);
    const out = await notices().disable(id);
    await audit(ctx, req, 'webhook.disable', { endpoint: id });
    return endpointDto(out);
  });

  app.get('/webhooks/:id/deliveries', {
    config: { auth: ['operator', 'auditor', 'provider', 'source'] },
    schema: {
      operationId: 'listWebhookDeliveries', tags: ['notices'], summary: 'an endpoint\'s deliveries by notice: attempts, next attempt, last answer; status=dead is the dead-letter list', security: secured,
      description: 'By notice seq; page with after= (the next of the page before), filter with status=. Operators and auditors read any endpoint\'s; a provider\'s or source\'s key its own (403 FORBIDDEN_OBJECT otherwise). 404 WEBHOOK_NOT_FOUND when there is no such endpoint.',
      params: EndpointParams, querystring: DeliveriesQuery,
      response: { 200: DeliveriesOut, 403: endpointForbidden(), 404: endpointNotFound() },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await own(req, id);
    const q = req.query as Static<typeof DeliveriesQuery>;
    const { items, next } = await notices().deliveries({ endpoint: id, ...(q.status ? { status: q.status } : {}) }, q.after ?? 0, q.limit ?? LIMITS.pageSizeDefault);
    return { items: items.map(deliveryDto), next };
  });

  app.post('/webhooks/:id/replay', {
    config: { auth: ['operator', 'provider', 'source'] },
    preValidation: async (req) => { if (req.body === undefined || req.body === null) req.body = {}; },
    schema: {
      operationId: 'replayWebhookDeliveries', tags: ['notices'], summary: 'send an endpoint\'s dead deliveries again (or its delivered ones: status=delivered), from a notice seq on', security: secured,
      description: 'The deliveries are put back to pending, due now, with their attempts reset, and the dispatcher is woken; answers how many. Operators replay any endpoint\'s; a provider\'s or source\'s key its own (403 FORBIDDEN_OBJECT otherwise). 404 WEBHOOK_NOT_FOUND when there is no such endpoint; 409 WEBHOOK_DISABLED when it is disabled. Logged as webhook.replay.',
      params: EndpointParams, body: ReplayIn,
      response: { 200: ReplayOut, 403: endpointForbidden(), 404: endpointNotFound(), 409: problemResponse('409 WEBHOOK_DISABLED: the endpoint is disabled; register a new one') },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await own(req, id);
    const b = req.body as Static<typeof ReplayIn>;
    const out = await notices().replay(id, b);
    await audit(ctx, req, 'webhook.replay', { endpoint: id, replayed: out.replayed, status: b.status ?? 'dead', ...(b.fromSeq !== undefined ? { fromSeq: b.fromSeq } : {}) });
    ctx.kickDispatcher?.();
    return { endpoint: out.endpoint, replayed: out.replayed };
  });
}
