// Consent over HTTP: a subject (or an operator for it, with a stated reason) issues a consent
// token to one provider for one purpose and measure, sees its consents with their uses, and
// revokes one at once. The token is in the issue response only; the store keeps its SHA-256.
// A provider presents it in POST /v1/decisions (field consent). Logged by the use case.
//
// Consent to publication: PUT /subjects/{id}/publication/{list} lets a public red list name
// the subject, DELETE withdraws it at once, GET lists them.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CONSENT_LIMITS, Consents } from '../../../app/consent.ts';
import { actingFor, LIMITS, readSubject, subjectParam, type HttpContext } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { secured, SubjectIdString } from '../schemas/common.ts';
import {
  ConsentIn, ConsentIssuedOut, ConsentListOut, ConsentOut, ConsentParams, consentDto, OnBehalfIn,
  PublicationListOut, PublicationOut, PublicationParams, publicationDto,
} from '../schemas/consents.ts';

const forbidden = () => problemResponse('403 FORBIDDEN_OBJECT: a subject token acts for its own subject only');

export async function consentRoutes(app: FastifyInstance, ctx: HttpContext) {
  const consents = () => new Consents(ctx.state.credence, ctx.access);
  app.post('/subjects/:id/consents', {
    config: { auth: ['subject', 'operator'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      operationId: 'issueSubjectConsent', tags: ['due process'], summary: 'consent to one provider\'s look-ups for one purpose and measure (the token is shown once)', security: secured,
      description: `The subject itself, or an operator stating onBehalfReason (400 REQUEST_INVALID without one), issues it; answers 201 with the consent and its token, shown in this answer only. Only a purpose of kind consent takes one (422 CONSENT_NOT_NEEDED otherwise; 400 PURPOSE_UNKNOWN for a purpose not in the catalogue); the provider must be registered (404 PROVIDER_NOT_FOUND) for the measure (404 MEASURE_NOT_FOUND when not in the catalogue, 403 FORBIDDEN_MEASURE) and the purpose (403 FORBIDDEN_PURPOSE), and the measure must declare the purpose (403 PURPOSE_NOT_DECLARED). Lasts expiresInDays (default ${CONSENT_LIMITS.daysDefault}, at most ${CONSENT_LIMITS.daysMax}) and allows uses look-ups (default ${CONSENT_LIMITS.usesDefault}, at most ${CONSENT_LIMITS.usesMax}); every use appears in the subject's query log with the consent's id.`,
      params: Type.Object({ id: SubjectIdString }, { additionalProperties: false }), body: ConsentIn,
      response: {
        201: ConsentIssuedOut,
        403: problemResponse('403 FORBIDDEN_OBJECT: another subject\'s token; FORBIDDEN_MEASURE, FORBIDDEN_PURPOSE: the provider is not registered for the measure or the purpose; PURPOSE_NOT_DECLARED: the measure does not declare the purpose'),
        404: problemResponse('404 PROVIDER_NOT_FOUND: no such provider is registered; MEASURE_NOT_FOUND: no such measure in the catalogue'),
        422: problemResponse('422 CONSENT_NOT_NEEDED: the purpose is not of kind consent'),
      },
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
      operationId: 'listSubjectConsents', tags: ['due process'], summary: 'the subject\'s consents, newest first, with uses and status (never the token)', security: secured,
      description: 'A subject reads its own (403 FORBIDDEN_OBJECT for another subject); an operator or auditor reads anyone\'s, and the read is in the subject\'s query log. 400 SUBJECT_ID_INVALID for a malformed identifier.',
      params: Type.Object({ id: SubjectIdString }, { additionalProperties: false }),
      response: { 200: ConsentListOut, 403: problemResponse('403 FORBIDDEN_OBJECT: a subject token reads its own subject only') },
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
      operationId: 'revokeSubjectConsent', tags: ['due process'], summary: 'revoke a consent at once: later look-ups with its token are refused (CONSENT_INVALID)', security: secured,
      description: 'The subject itself (no body needed), or an operator stating onBehalfReason in the body (400 REQUEST_INVALID without one). Answers the consent, now revoked; revoking twice keeps the first time. 404 CONSENT_NOT_FOUND when the subject has no such consent (another subject\'s included).',
      params: ConsentParams, body: OnBehalfIn,
      response: { 200: ConsentOut, 403: forbidden(), 404: problemResponse('404 CONSENT_NOT_FOUND: the subject has no consent with this id') },
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
      operationId: 'giveSubjectPublicationConsent', tags: ['due process'], summary: 'consent to being named on a public red list (201 when given now, 200 when already in force)', security: secured,
      description: 'A public red list (honesty-models) publishes only the names of subjects who consented; the public view still masks the identifier and shortens the name. The subject itself, or an operator stating onBehalfReason in the body (400 REQUEST_INVALID without one). Answers 201 when given now (again, after a withdrawal), 200 with the one held when already in force. 404 LIST_NOT_FOUND for a list not in the catalogue; 422 PUBLICATION_CONSENT_NOT_APPLICABLE for a list that is not a public red list.',
      params: PublicationParams, body: OnBehalfIn,
      response: {
        200: { ...PublicationOut, description: 'already in force: the consent held' },
        201: { ...PublicationOut, description: 'given now' },
        403: forbidden(),
        404: problemResponse('404 LIST_NOT_FOUND: no such list in the catalogue'),
        422: problemResponse('422 PUBLICATION_CONSENT_NOT_APPLICABLE: the list is not a public red list'),
      },
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
      operationId: 'withdrawSubjectPublicationConsent', tags: ['due process'], summary: 'withdraw consent to being named on a red list: the name is no longer published', security: secured,
      description: 'The subject itself, or an operator stating onBehalfReason in the body (400 REQUEST_INVALID without one). Answers the consent, now withdrawn. 404 LIST_NOT_FOUND for a list not in the catalogue, PUBLICATION_CONSENT_NOT_FOUND when no consent is in force; 422 PUBLICATION_CONSENT_NOT_APPLICABLE for a list that is not a public red list.',
      params: PublicationParams, body: OnBehalfIn,
      response: {
        200: PublicationOut,
        403: forbidden(),
        404: problemResponse('404 LIST_NOT_FOUND: no such list; PUBLICATION_CONSENT_NOT_FOUND: no consent to be named on it is in force'),
        422: problemResponse('422 PUBLICATION_CONSENT_NOT_APPLICABLE: the list is not a public red list'),
      },
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
      operationId: 'listSubjectPublicationConsents', tags: ['due process'], summary: 'the subject\'s consents to publication on red lists, in force and withdrawn', security: secured,
      description: 'A subject reads its own (403 FORBIDDEN_OBJECT for another subject); an operator or auditor reads anyone\'s, and the read is in the subject\'s query log. 400 SUBJECT_ID_INVALID for a malformed identifier.',
      params: Type.Object({ id: SubjectIdString }, { additionalProperties: false }),
      response: { 200: PublicationListOut, 403: problemResponse('403 FORBIDDEN_OBJECT: a subject token reads its own subject only') },
    },
  }, async (req) => {
    const subject = subjectParam(ctx, (req.params as { id: string }).id);
    await readSubject(ctx, req, subject);
    return { subject, items: (await consents().publications(subject)).map(publicationDto) };
  });
}
