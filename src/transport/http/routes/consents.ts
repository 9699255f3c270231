// Consent over HTTP: a subject (or an operator for it, with a stated reason) issues a consent
// token to one provider for one purpose and measure, sees its consents with their uses, and
// revokes one at once. The token is in the issue response only; the store keeps its SHA-256.
// A provider presents it in POST /v1/decisions (field consent). Logged by the use case.
//
// Consent to publication: PUT /subjects/{id}/publication/{list} lets a public red list name
// the subject, DELETE withdraws it at once, GET lists them.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CONSENT_LIMITS, consentJson, Consents, publicationJson, type ConsentView } from '../../../app/consent.ts';
import type { PublicationConsentRow } from '../../../ports/access-store.ts';
import { actingFor, LIMITS, readSubject, subjectParam, type HttpContext } from '../context.ts';
import { Identifier, OnBehalfReason, Problem, Purpose, secured, SubjectIdString } from '../schemas/common.ts';

const ConsentOut = Type.Object({
  id: Type.String({ description: 'the consent\'s public id (cns_...): what the query log names' }),
  subject: Type.String(),
  provider: Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()], { description: 'the provider\'s registered name' }) }),
  purpose: Type.String(),
  measure: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String({ description: 'who issued it: the subject\'s key, or an operator (key:<id>, cli:<user>)' }),
  expiresAt: Type.String({ format: 'date-time' }),
  maxUses: Type.Integer(),
  uses: Type.Integer(),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('used'), Type.Literal('revoked')]),
});
const IssuedOut = Type.Composite([ConsentOut, Type.Object({ token: Type.String({ description: 'the token to hand to the provider; shown once, never again' }) })]);

const ConsentIn = Type.Object({
  provider: Identifier('the registered provider\'s id'),
  purpose: Purpose,
  measure: Identifier('measure id of the catalogue', 200),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: CONSENT_LIMITS.daysMax, description: `default ${CONSENT_LIMITS.daysDefault}` })),
  uses: Type.Optional(Type.Integer({ minimum: 1, maximum: CONSENT_LIMITS.usesMax, description: `how many look-ups it allows; default ${CONSENT_LIMITS.usesDefault}` })),
  onBehalfReason: Type.Optional(OnBehalfReason),
}, { additionalProperties: false, examples: [{ provider: 'city-bank', purpose: 'credit-application', measure: 'defaulter.restricted_loans_cards', expiresInDays: 14, uses: 1 }] });

const RevokeIn = Type.Object({ onBehalfReason: Type.Optional(OnBehalfReason) }, { additionalProperties: false, description: 'optional: a subject sends no body' });

const consentDto = (v: ConsentView): Static<typeof ConsentOut> => consentJson(v);

const PublicationOut = Type.Object({
  subject: Type.String(),
  list: Type.String({ description: 'a public red list of the catalogue' }),
  givenAt: Type.String({ format: 'date-time' }),
  givenBy: Type.String({ description: 'who recorded it: the subject\'s key, or an operator' }),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'null while in force' }),
  inForce: Type.Boolean(),
});
const publicationDto = (c: PublicationConsentRow): Static<typeof PublicationOut> => publicationJson(c);
const PublicationParams = Type.Object({ id: SubjectIdString, list: Identifier('a public red list, e.g. honesty-models') }, { additionalProperties: false });

const Params = Type.Object({ id: SubjectIdString, consent: Type.String({ minLength: 1, maxLength: 40, pattern: '^cns_[A-Za-z0-9_-]+$' }) }, { additionalProperties: false });

export async function consentRoutes(app: FastifyInstance, ctx: HttpContext) {
  const consents = () => new Consents(ctx.state.credence, ctx.access);
  app.post('/subjects/:id/consents', {
    config: { auth: ['subject', 'operator'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      tags: ['due process'], summary: 'consent to one provider\'s look-ups for one purpose and measure (the token is shown once)', security: secured,
      description: `Only a purpose of kind consent takes one (CONSENT_NOT_NEEDED otherwise); the provider must be registered for the measure and the purpose, and the measure must declare the purpose. Lasts expiresInDays (default ${CONSENT_LIMITS.daysDefault}, at most ${CONSENT_LIMITS.daysMax}) and allows uses look-ups (default ${CONSENT_LIMITS.usesDefault}, at most ${CONSENT_LIMITS.usesMax}). Every use appears in the subject's query log with the consent's id.`,
      params: Type.Object({ id: SubjectIdString }, { additionalProperties: false }), body: ConsentIn,
      response: { 201: IssuedOut, 403: Problem, 404: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    const b = req.body as Static<typeof ConsentIn>;
    const w = actingFor(req, subject, b.onBehalfReason);
    const { consent, token } = await consents().issue(subject, b, w);
    return reply.status(201).send({ ...consentDto(consent), token });
  });

  app.get('/subjects/:id/consents', {
    config: { auth: ['subject', 'operator', 'auditor'] },
    schema: {
      tags: ['due process'], summary: 'the subject\'s consents, newest first, with uses and status (never the token)', security: secured,
      params: Type.Object({ id: SubjectIdString }, { additionalProperties: false }),
      response: { 200: Type.Object({ subject: Type.String(), items: Type.Array(ConsentOut) }), 403: Problem },
    },
  }, async (req) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    await readSubject(ctx, req, subject);
    return { subject, items: (await consents().list(subject)).map(consentDto) };
  });

  app.delete('/subjects/:id/consents/:consent', {
    config: { auth: ['subject', 'operator'] },
    // A subject revokes with no body at all; the schema then checks an empty one.
    preValidation: async (req) => { if (req.body === undefined || req.body === null) req.body = {}; },
    schema: {
      tags: ['due process'], summary: 'revoke a consent at once: later look-ups with its token are refused (CONSENT_INVALID)', security: secured,
      description: 'An operator revoking for the subject states onBehalfReason in the body. Revoking twice keeps the first time.',
      params: Params, body: RevokeIn,
      response: { 200: ConsentOut, 403: Problem, 404: Problem },
    },
  }, async (req) => {
    const { id, consent } = req.params as { id: string; consent: string };
    const subject = subjectParam(ctx, id);
    const w = actingFor(req, subject, (req.body as { onBehalfReason?: string } | undefined)?.onBehalfReason);
    return consentDto(await consents().revoke(subject, consent, w));
  });

  app.put('/subjects/:id/publication/:list', {
    config: { auth: ['subject', 'operator'] },
    preValidation: async (req) => { if (req.body === undefined || req.body === null) req.body = {}; },
    schema: {
      tags: ['due process'], summary: 'consent to being named on a public red list (201 when given now, 200 when already in force)', security: secured,
      description: 'A red list (honesty-models) publishes only the names of subjects who consented; the public view still masks the identifier and shortens the name. PUBLICATION_CONSENT_NOT_APPLICABLE for any other list. An operator states onBehalfReason in the body.',
      params: PublicationParams, body: RevokeIn,
      response: { 200: PublicationOut, 201: PublicationOut, 403: Problem, 404: Problem, 422: Problem },
    },
  }, async (req, reply) => {
    const { id, list } = req.params as { id: string; list: string };
    const subject = subjectParam(ctx, id);
    const w = actingFor(req, subject, (req.body as { onBehalfReason?: string }).onBehalfReason);
    const { consent, created } = await consents().publish(subject, list, w);
    return reply.status(created ? 201 : 200).send(publicationDto(consent));
  });

  app.delete('/subjects/:id/publication/:list', {
    config: { auth: ['subject', 'operator'] },
    preValidation: async (req) => { if (req.body === undefined || req.body === null) req.body = {}; },
    schema: {
      tags: ['due process'], summary: 'withdraw consent to being named on a red list: the name is no longer published', security: secured,
      params: PublicationParams, body: RevokeIn,
      response: { 200: PublicationOut, 403: Problem, 404: Problem, 422: Problem },
    },
  }, async (req) => {
    const { id, list } = req.params as { id: string; list: string };
    const subject = subjectParam(ctx, id);
    const w = actingFor(req, subject, (req.body as { onBehalfReason?: string }).onBehalfReason);
    return publicationDto(await consents().unpublish(subject, list, w));
  });

  app.get('/subjects/:id/publication', {
    config: { auth: ['subject', 'operator', 'auditor'] },
    schema: {
      tags: ['due process'], summary: 'the subject\'s consents to publication on red lists, in force and withdrawn', security: secured,
      params: Type.Object({ id: SubjectIdString }, { additionalProperties: false }),
      response: { 200: Type.Object({ subject: Type.String(), items: Type.Array(PublicationOut) }), 403: Problem },
    },
  }, async (req) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    await readSubject(ctx, req, subject);
    return { subject, items: (await consents().publications(subject)).map(publicationDto) };
  });
}
