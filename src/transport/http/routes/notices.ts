// Notices over HTTP: a subject's inbox (and an operator's or auditor's view of it, logged as a
// read), a provider's own inbox, and the webhook endpoints notices are delivered to, with
// their deliveries, the dead-letter list and replay. The secret of an endpoint is in the
// answer that registers it only. Delivery itself is the server's dispatcher (src/app/notices.ts).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { contactJson, Notices } from '../../../app/notices.ts';
import { NOTICE_KINDS } from '../../../domain/notices.ts';
import { DELIVERY_STATUSES } from '../../../ports/store.ts';
import { actingFor, audit, LIMITS, readSubject, subjectParam, who, type HttpContext } from '../context.ts';
import { problem } from '../problem.ts';
import { Limit, OnBehalfReason, Problem, secured, SubjectIdString } from '../schemas/common.ts';

const Iso = Type.String({ format: 'date-time' });
const NullableIso = Type.Union([Iso, Type.Null()]);
const Kind = Type.Union(NOTICE_KINDS.map((k) => Type.Literal(k)), { description: `one of ${NOTICE_KINDS.join(', ')}` });
const Status = Type.Union(DELIVERY_STATUSES.map((k) => Type.Literal(k)), { description: `one of ${DELIVERY_STATUSES.join(', ')}` });

const NoticeOut = Type.Object({
  id: Type.String({ description: 'the notice id (ntc_...); also the webhook-id of its deliveries' }),
  seq: Type.Integer({ description: 'position in the outbox; page with after=' }),
  subject: Type.String({ description: 'whom the notice is about' }),
  recipient: Type.String({ description: '"subject" (the subject\'s own inbox), "provider:<id>" or "source:<id>"' }),
  kind: Type.String({ description: `one of ${NOTICE_KINDS.join(', ')}` }),
  createdAt: Iso,
  readAt: NullableIso,
  body: Type.Object({
    summary: Type.String({ description: 'English summary; reasons and parameters are for localised text' }),
    reasons: Type.Array(Type.Object({ code: Type.String() }, { additionalProperties: true })),
    legalBasis: Type.Union([Type.String(), Type.Null()]),
    rights: Type.Array(Type.Object({ right: Type.String(), how: Type.String(), answerDays: Type.Optional(Type.Integer()) })),
    deadlines: Type.Array(Type.Object({ what: Type.String(), at: Iso })),
  }, { additionalProperties: true, description: 'what happened, why, under which basis, the rights and deadlines; kind-specific fields besides' }),
});
const Inbox = Type.Object({ subject: Type.String(), unread: Type.Integer({ description: 'unread notices in the inbox' }), items: Type.Array(NoticeOut), next: Type.Union([Type.Integer(), Type.Null()], { description: 'pass as after= for the next page; null at the end' }) });
const InboxQuery = Type.Object({ unread: Type.Optional(Type.Boolean()), after: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Limit) }, { additionalProperties: false });

const EndpointOut = Type.Object({
  id: Type.String(), url: Type.String(),
  recipient: Type.String({ description: '"subject" (notices to subjects), "provider:<id>", "source:<id>" or "*"' }),
  kinds: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'the notice kinds it takes; null for all' }),
  description: Type.String(), createdAt: Iso, disabledAt: NullableIso,
  cursor: Type.Integer({ description: 'notices up to this seq have been considered for it' }),
  pending: Type.Integer(), delivered: Type.Integer(), dead: Type.Integer({ description: 'the dead-letter list: deliveries that ran out of retries' }),
});
const EndpointIn = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL the signed POSTs go to' }),
  recipient: Type.Optional(Type.String({ maxLength: 120, description: '"subject" (default), "provider:<id>", "source:<id>" or "*"; a provider\'s or source\'s key registers its own notices only' })),
  kinds: Type.Optional(Type.Array(Kind, { minItems: 1, maxItems: NOTICE_KINDS.length })),
  description: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false, examples: [{ url: 'https://bureau.example/hooks/credence', recipient: 'subject', kinds: ['record.adverse', 'list.entered'], description: 'citizen app relay' }] });
const DeliveryOut = Type.Object({
  endpoint: Type.String(), notice: Type.String(), noticeSeq: Type.Integer(), status: Status, attempts: Type.Integer(),
  nextAt: NullableIso, lastStatus: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the last attempt' }),
  lastError: Type.Union([Type.String(), Type.Null()]), createdAt: Iso, deliveredAt: NullableIso,
});
const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 60, pattern: '^wh_[A-Za-z0-9_-]+$' }) }, { additionalProperties: false });

export async function noticeRoutes(app: FastifyInstance, ctx: HttpContext) {
  const notices = () => new Notices(ctx.store, ctx.now);

  app.get('/subjects/:id/notices', {
    config: { auth: ['subject', 'operator', 'auditor'] },
    schema: {
      tags: ['due process'], summary: 'the subject\'s notices, oldest first: adverse changes, outcomes, with reasons, legal basis, rights and deadlines', security: secured,
      description: 'A subject reads its own; an operator or auditor reads anyone\'s, and the read is in the subject\'s query log. unread=true keeps the unread ones.',
      params: Type.Object({ id: SubjectIdString }, { additionalProperties: false }), querystring: InboxQuery,
      response: { 200: Inbox, 403: Problem },
    },
  }, async (req) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    await readSubject(ctx, req, subject);
    const q = req.query as Static<typeof InboxQuery>;
    return { subject, ...(await notices().inbox({ subject }, { unread: q.unread, afterSeq: q.after, limit: q.limit ?? LIMITS.pageSizeDefault })) };
  });

  app.post('/subjects/:id/notices/:notice/read', {
    config: { auth: ['subject'] },
    schema: {
      tags: ['due process'], summary: 'mark one of one\'s notices read (the first time is kept)', security: secured,
      params: Type.Object({ id: SubjectIdString, notice: Type.String({ minLength: 1, maxLength: 60, pattern: '^ntc_[A-Za-z0-9_-]+$' }) }, { additionalProperties: false }),
      response: { 200: NoticeOut, 403: Problem, 404: Problem },
    },
  }, async (req) => {
    const { id, notice } = req.params as { id: string; notice: string };
    const subject = subjectParam(ctx, id);
    if (who(req).key.binding !== subject) throw problem('FORBIDDEN_OBJECT', 'a subject token marks only its own notices');
    return notices().markRead(subject, notice);
  });

  const ContactOut = Type.Object({ id: Type.String(), email: Type.String(), createdAt: Iso, pending: Type.Integer(), delivered: Type.Integer(), dead: Type.Integer({ description: 'e-mails that ran out of retries' }) });
  const ContactIn = Type.Object({
    email: Type.String({ minLength: 3, maxLength: 254, description: 'where the subject\'s notices are e-mailed from now on' }),
    onBehalfReason: Type.Optional(OnBehalfReason),
  }, { additionalProperties: false, examples: [{ email: 'li.na@example.org' }] });
  app.post('/subjects/:id/contacts', {
    config: { auth: ['subject', 'operator'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      tags: ['notices'], summary: 'e-mail the subject\'s notices to an address, from now on', security: secured,
      description: 'Every notice to the subject is e-mailed there too (its summary as the subject line; legal basis, dates, rights and reason codes in the text), retried like a webhook delivery. Registering an address twice answers the one held.',
      params: Type.Object({ id: SubjectIdString }, { additionalProperties: false }), body: ContactIn,
      response: { 201: ContactOut, 403: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    const b = req.body as Static<typeof ContactIn>;
    const w = actingFor(req, subject, b.onBehalfReason);
    return reply.status(201).send(contactJson(await notices().addContact(subject, b.email, { actor: w.actor, reason: w.onBehalfReason })));
  });

  app.get('/subjects/:id/contacts', {
    config: { auth: ['subject', 'operator'] },
    schema: {
      tags: ['notices'], summary: 'the addresses the subject\'s notices are e-mailed to, with delivery counts', security: secured,
      params: Type.Object({ id: SubjectIdString }, { additionalProperties: false }),
      response: { 200: Type.Object({ subject: Type.String(), items: Type.Array(ContactOut) }), 403: Problem },
    },
  }, async (req) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    await readSubject(ctx, req, subject);
    return { subject, items: (await notices().contacts(subject)).map(contactJson) };
  });

  app.delete('/subjects/:id/contacts/:contact', {
    config: { auth: ['subject', 'operator'] },
    preValidation: async (req) => { if (req.body === undefined || req.body === null) req.body = {}; },
    schema: {
      tags: ['notices'], summary: 'stop e-mailing an address; e-mails on their way to it are dropped', security: secured,
      params: Type.Object({ id: SubjectIdString, contact: Type.String({ minLength: 1, maxLength: 60, pattern: '^wh_[A-Za-z0-9_-]+$' }) }, { additionalProperties: false }),
      body: Type.Object({ onBehalfReason: Type.Optional(OnBehalfReason) }, { additionalProperties: false }),
      response: { 200: ContactOut, 403: Problem, 404: Problem },
    },
  }, async (req) => {
    const { id, contact } = req.params as { id: string; contact: string };
    const subject = subjectParam(ctx, id);
    const reason = (req.body as { onBehalfReason?: string }).onBehalfReason;
    const w = actingFor(req, subject, reason);
    return contactJson(await notices().removeContact(subject, contact, { actor: w.actor, reason: w.onBehalfReason }));
  });

  /** The inbox of a provider or a source: its own key, operators and auditors read it. */
  const partyInbox = (party: 'provider' | 'source', summary: string) => app.get(`/${party}s/:${party}/notices`, {
    config: { auth: [party, 'operator', 'auditor'] },
    schema: {
      tags: ['due process'], summary, security: secured,
      description: `A ${party} key reads its own ${party}'s only. Oldest first; page with after=.`,
      params: Type.Object({ [party]: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }) }, { additionalProperties: false }),
      querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Limit) }, { additionalProperties: false }),
      response: { 200: Type.Object({ [party]: Type.String(), items: Type.Array(NoticeOut), next: Type.Union([Type.Integer(), Type.Null()]) }), 403: Problem },
    },
  }, async (req) => {
    const id = (req.params as Record<string, string>)[party]!;
    const p = who(req);
    if (p.role === party && p.key.binding !== id) throw problem('FORBIDDEN_OBJECT', `a ${party} key reads its own ${party}'s notices only`);
    const q = req.query as { after?: number; limit?: number };
    const { items, next } = await notices().inbox({ recipient: `${party}:${id}` }, { afterSeq: q.after, limit: q.limit ?? LIMITS.pageSizeDefault });
    return { [party]: id, items, next };
  });
  partyInbox('provider', 'a provider\'s notices: data that decisions it received relied on was re-examined');
  partyInbox('source', 'a source\'s notices: disputes of its records, each with the statement and the deadline to answer');

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
      tags: ['notices'], summary: 'register a webhook endpoint; its signing secret (whsec_...) is shown once', security: secured,
      description: 'Deliveries are POSTs signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,base64 HMAC-SHA256 of "id.timestamp.body" under the secret). A 2xx answer delivers; anything else is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then the delivery is dead (the dead-letter list) until replayed. An endpoint takes notices written after it was registered.',
      body: EndpointIn,
      response: { 201: Type.Composite([EndpointOut, Type.Object({ secret: Type.String({ description: 'shown once; verify signatures with it' }) })]), 403: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    const b = req.body as Static<typeof EndpointIn>;
    const s = scope(req);
    if (s !== null && b.recipient !== undefined && b.recipient !== s) throw problem('FORBIDDEN_OBJECT', `a provider or source key registers endpoints for its own notices (${s}) only`);
    const { endpoint, secret } = await notices().addEndpoint({ ...b, recipient: s ?? b.recipient });
    await audit(ctx, req, 'webhook.add', { endpoint: endpoint.id, url: endpoint.url, recipient: endpoint.recipient });
    return reply.status(201).send({ ...endpoint, secret });
  });

  app.get('/webhooks', {
    config: { auth: ['operator', 'auditor', 'provider', 'source'] },
    schema: { tags: ['notices'], summary: 'webhook endpoints with their delivery counts (never the secret)', security: secured, response: { 200: Type.Object({ items: Type.Array(EndpointOut) }) } },
  }, async (req) => {
    const s = scope(req);
    return { items: await notices().endpoints(s === null ? {} : { recipient: s }) };
  });

  app.get('/webhooks/:id', {
    config: { auth: ['operator', 'auditor', 'provider', 'source'] },
    schema: { tags: ['notices'], summary: 'one webhook endpoint', security: secured, params: Id, response: { 200: EndpointOut, 403: Problem, 404: Problem } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await own(req, id);
    return notices().view(id);
  });

  app.delete('/webhooks/:id', {
    config: { auth: ['operator', 'provider', 'source'] },
    schema: { tags: ['notices'], summary: 'disable an endpoint: nothing more is sent to it; its pending deliveries become dead', security: secured, params: Id, response: { 200: EndpointOut, 403: Problem, 404: Problem } },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await own(req, id);
    const out = await notices().disable(id);
    await audit(ctx, req, 'webhook.disable', { endpoint: id });
    return out;
  });

  app.get('/webhooks/:id/deliveries', {
    config: { auth: ['operator', 'auditor', 'provider', 'source'] },
    schema: {
      tags: ['notices'], summary: 'an endpoint\'s deliveries by notice: attempts, next attempt, last answer; status=dead is the dead-letter list', security: secured,
      params: Id, querystring: Type.Object({ status: Type.Optional(Status), after: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Limit) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(DeliveryOut), next: Type.Union([Type.Integer(), Type.Null()]) }), 403: Problem, 404: Problem },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await own(req, id);
    const q = req.query as { status?: 'pending' | 'delivered' | 'dead'; after?: number; limit?: number };
    return notices().deliveries({ endpoint: id, ...(q.status ? { status: q.status } : {}) }, q.after ?? 0, q.limit ?? LIMITS.pageSizeDefault);
  });

  app.post('/webhooks/:id/replay', {
    config: { auth: ['operator', 'provider', 'source'] },
    preValidation: async (req) => { if (req.body === undefined || req.body === null) req.body = {}; },
    schema: {
      tags: ['notices'], summary: 'send an endpoint\'s dead deliveries again (or its delivered ones: status=delivered), from a notice seq on', security: secured,
      params: Id,
      body: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('dead'), Type.Literal('delivered')])), fromSeq: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ endpoint: Type.String(), replayed: Type.Integer() }), 403: Problem, 404: Problem, 409: Problem },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    await own(req, id);
    const b = req.body as { status?: 'dead' | 'delivered'; fromSeq?: number };
    const out = await notices().replay(id, b);
    await audit(ctx, req, 'webhook.replay', { endpoint: id, replayed: out.replayed, status: b.status ?? 'dead', ...(b.fromSeq !== undefined ? { fromSeq: b.fromSeq } : {}) });
    ctx.kickDispatcher?.();
    return out;
  });
}
