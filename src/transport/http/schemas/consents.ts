// Wire shapes of consents: the consent tokens a subject issues to a provider (the token is in
// the issue answer only; the store keeps its SHA-256), and consents to publication on a public
// red list. The DTOs build exactly the wire objects, so a field added to a view or a row never
// reaches the wire by itself.
import { Type, type Static } from '@sinclair/typebox';
import { CONSENT_LIMITS, type ConsentStatus, type ConsentView } from '../../../app/consent.ts';
import type { PublicationConsentRow } from '../../../ports/access-store.ts';
import { iso } from '../context.ts';
import { Identifier, IsoTime, IsoTimeOrNull, Nullable, OnBehalfReason, Purpose, StringEnum, SubjectIdString } from './common.ts';

export const CONSENT_STATUSES = ['active', 'expired', 'used', 'revoked'] as const satisfies readonly ConsentStatus[];

const EXAMPLE_CONSENT = {
  id: 'cns_7Gq2LmX9pA4zR8tY', subject: '371082198503120211', provider: { id: 'city-bank', name: 'City Bank' },
  purpose: 'credit-application', measure: 'defaulter.restricted_loans_cards',
  createdAt: '2026-03-01T09:30:00.000Z', createdBy: 'key:key_3hF8kQ2mZx7pL9aB', expiresAt: '2026-03-15T09:30:00.000Z',
  maxUses: 1, uses: 0, lastUsedAt: null, revokedAt: null, status: 'active',
};

const consentProperties = {
  id: Type.String({ description: 'the consent\'s public id (cns_...): what the query log names' }),
  subject: Type.String({ description: 'the subject who consented' }),
  provider: Type.Object({
    id: Type.String({ description: 'the provider it was issued to' }),
    name: Nullable(Type.String({ description: 'the provider\'s registered name; null when it is no longer registered' })),
  }, { additionalProperties: false }),
  purpose: Type.String({ description: 'the purpose (of kind consent) it allows look-ups for' }),
  measure: Type.String({ description: 'the measure it allows look-ups of' }),
  createdAt: IsoTime(),
  createdBy: Type.String({ description: 'who issued it: the subject\'s key, or an operator (key:<id>, cli:<user>)' }),
  expiresAt: IsoTime('when it stops allowing look-ups'),
  maxUses: Type.Integer({ description: 'how many look-ups it allows' }),
  uses: Type.Integer({ description: 'look-ups made with it so far' }),
  lastUsedAt: IsoTimeOrNull('the last look-up made with it; null: never used'),
  revokedAt: IsoTimeOrNull('when it was revoked; null while not revoked'),
  status: StringEnum(CONSENT_STATUSES, 'active (allows look-ups), expired, used (no use left) or revoked'),
};

export const ConsentOut = Type.Object(consentProperties, { additionalProperties: false, description: 'a consent of the subject, never its token', examples: [EXAMPLE_CONSENT] });

export const ConsentIssuedOut = Type.Object({
  ...consentProperties,
  token: Type.String({ description: 'the token to hand to the provider (crd_cns_...), which sends it as consent in POST /v1/decisions; shown once, never again' }),
}, { additionalProperties: false, description: 'the consent issued, with its token (shown once)' });

export const ConsentListOut = Type.Object({
  subject: Type.String(),
  items: Type.Array(ConsentOut, { description: 'newest first' }),
}, { additionalProperties: false, description: 'the subject\'s consents, newest first, with their uses and status (never the token)' });

export const ConsentIn = Type.Object({
  provider: Identifier('the registered provider\'s id'),
  purpose: Purpose,
  measure: Identifier('measure id of the catalogue', 200),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: CONSENT_LIMITS.daysMax, description: `default ${CONSENT_LIMITS.daysDefault}` })),
  uses: Type.Optional(Type.Integer({ minimum: 1, maximum: CONSENT_LIMITS.usesMax, description: `how many look-ups it allows; default ${CONSENT_LIMITS.usesDefault}` })),
  onBehalfReason: Type.Optional(OnBehalfReason),
}, { additionalProperties: false, examples: [{ provider: 'city-bank', purpose: 'credit-application', measure: 'defaulter.restricted_loans_cards', expiresInDays: 14, uses: 1 }] });

/** The optional body of a revocation, a publication consent and its withdrawal. */
export const OnBehalfIn = Type.Object({ onBehalfReason: Type.Optional(OnBehalfReason) }, { additionalProperties: false, description: 'optional: a subject sends no body; an operator states onBehalfReason' });

export const ConsentParams = Type.Object({ id: SubjectIdString, consent: Type.String({ minLength: 1, maxLength: 40, pattern: '^cns_[A-Za-z0-9_-]+$', description: 'the consent id (cns_...)' }) }, { additionalProperties: false });

export const consentDto = (v: ConsentView): Static<typeof ConsentOut> => ({
  id: v.id, subject: v.subject, provider: { id: v.provider.id, name: v.provider.name }, purpose: v.purpose, measure: v.measure,
  createdAt: iso(v.createdAt)!, createdBy: v.createdBy, expiresAt: iso(v.expiresAt)!, maxUses: v.maxUses, uses: v.uses,
  lastUsedAt: iso(v.lastUsedAt), revokedAt: iso(v.revokedAt), status: v.status,
});

export const PublicationOut = Type.Object({
  subject: Type.String(),
  list: Type.String({ description: 'a public red list of the catalogue' }),
  givenAt: IsoTime('when it was given (again, after a withdrawal: the new time)'),
  givenBy: Type.String({ description: 'who recorded it: the subject\'s key, or an operator' }),
  withdrawnAt: IsoTimeOrNull('when it was withdrawn; null while in force'),
  inForce: Type.Boolean({ description: 'whether the list may name the subject now' }),
}, {
  additionalProperties: false,
  description: 'a consent to being named on a public red list',
  examples: [{ subject: '371082198503120211', list: 'honesty-models', givenAt: '2026-03-01T09:30:00.000Z', givenBy: 'key:key_3hF8kQ2mZx7pL9aB', withdrawnAt: null, inForce: true }],
});

export const PublicationListOut = Type.Object({
  subject: Type.String(),
  items: Type.Array(PublicationOut),
}, { additionalProperties: false, description: 'the subject\'s consents to publication, in force and withdrawn' });

export const PublicationParams = Type.Object({ id: SubjectIdString, list: Identifier('a public red list, e.g. honesty-models') }, { additionalProperties: false });

export const publicationDto = (c: PublicationConsentRow): Static<typeof PublicationOut> => ({
  subject: c.subject, list: c.list, givenAt: iso(c.givenAt)!, givenBy: c.givenBy, withdrawnAt: iso(c.withdrawnAt), inForce: c.withdrawnAt === null,
});
