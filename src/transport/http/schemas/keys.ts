// Wire shapes of API keys and providers (operator routes). A key's secret is in the answer
// that creates it (or rotates to it) only; the store keeps its SHA-256. The DTOs below build
// exactly the wire objects, so a column added to a row never reaches the wire by itself.
import { Type, type Static } from '@sinclair/typebox';
import { ROLES, type ApiKeyRow, type ProviderRow } from '../../../ports/access-store.ts';
import { iso, LIMITS } from '../context.ts';
import { Identifier, IsoTime, IsoTimeOrNull, Nullable, Purpose, StringEnum } from './common.ts';

const EXAMPLE_KEY = {
  id: 'key_3hF8kQ2mZx7pL9aB', role: 'source', name: 'tax bureau uploader', binding: 'tax-bureau',
  createdAt: '2026-03-01T09:30:00.000Z', createdBy: 'key:key_0perat0rKey00001', expiresAt: '2026-05-30T09:30:00.000Z',
  revokedAt: null, replacedBy: null, active: true,
};

export const KeyIn = Type.Object({
  role: StringEnum(ROLES, `the key's role: ${ROLES.join(', ')} (subject: a subject access token)`),
  name: Type.String({ minLength: 1, maxLength: 200, description: 'who holds the key' }),
  binding: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'source id (source), provider id (provider), subject id (subject); absent for operator and auditor' })),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.keyLifetimeDaysMax, description: `default ${LIMITS.keyLifetimeDaysDefault}` })),
}, { additionalProperties: false, examples: [{ role: 'source', name: 'tax bureau uploader', binding: 'tax-bureau', expiresInDays: 90 }] });

export const KeyParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40, pattern: '^key_[A-Za-z0-9_-]+$', description: 'the key id (key_...)' }) }, { additionalProperties: false });

export const RotateIn = Type.Optional(Type.Object({
  overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.rotationOverlapSecondsMax, description: `how long the old key keeps working; default ${LIMITS.rotationOverlapSecondsDefault}` })),
}, { additionalProperties: false, description: 'optional: without a body the default overlap applies', examples: [{ overlapSeconds: 3600 }] }));

export const KeyOut = Type.Object({
  id: Type.String({ description: 'public key id (key_...); audit actors name it as key:<id>' }),
  role: StringEnum(ROLES, `one of ${ROLES.join(', ')}`),
  name: Type.String({ description: 'who holds the key' }),
  binding: Nullable(Type.String({ description: 'source id (source key), provider id (provider key) or subject id (subject token); null for operator and auditor keys' })),
  createdAt: IsoTime(),
  createdBy: Type.String({ description: 'who created it (key:<id>, cli:<user>)' }),
  expiresAt: IsoTimeOrNull('when the key stops working (a rotated key: the end of the overlap); null: no expiry'),
  revokedAt: IsoTimeOrNull('when it was revoked; null while not revoked'),
  replacedBy: Nullable(Type.String({ description: 'id of the key that replaced it by rotation; null when not rotated' })),
  active: Type.Boolean({ description: 'not revoked and not expired, now' }),
}, { additionalProperties: false, description: 'an API key, never its secret', examples: [EXAMPLE_KEY] });

export const KeyCreatedOut = Type.Object({
  ...KeyOut.properties,
  key: Type.String({ description: 'the secret to send as "Authorization: Bearer <key>"; shown once, never again' }),
}, { additionalProperties: false, description: 'the key created, with its secret (shown once)' });

export const KeyRotatedOut = Type.Object({
  ...KeyOut.properties,
  key: Type.String({ description: 'the new key\'s secret; shown once, never again' }),
  previous: Type.Object(KeyOut.properties, { additionalProperties: false, description: 'the rotated key: replacedBy names the new one, expiresAt the end of the overlap' }),
}, { additionalProperties: false, description: 'the new key (same role and binding), its secret (shown once), and the old key' });

export const KeyListOut = Type.Object({ items: Type.Array(KeyOut, { description: 'newest first' }) }, { additionalProperties: false, description: 'keys, newest first (never the secrets)' });

export const keyDto = (k: ApiKeyRow, now: number): Static<typeof KeyOut> => ({
  id: k.id, role: k.role, name: k.name, binding: k.binding, createdAt: iso(k.createdAt)!, createdBy: k.createdBy,
  expiresAt: iso(k.expiresAt), revokedAt: iso(k.revokedAt), replacedBy: k.replacedBy,
  active: k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now),
});

export const ProviderParams = Type.Object({ id: Identifier('provider id') }, { additionalProperties: false });

export const ProviderIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'the provider\'s name, as subjects see it in their consents and query log' }),
  measures: Type.Array(Identifier('measure id', 200), { maxItems: 200, uniqueItems: true, description: 'measures of the catalogue (GET /v1/catalogue/measures) the provider may ask decisions for' }),
  purposes: Type.Array(Purpose, { maxItems: 100, uniqueItems: true, description: 'purposes of the catalogue (GET /v1/catalogue/purposes); each must be one that a registered measure declares' }),
}, { additionalProperties: false, examples: [{ name: 'Railway bureau ticketing', measures: ['defaulter.no_g_train', 'defaulter.no_soft_sleeper'], purposes: ['ticket-sale', 'boarding'] }] });

export const ProviderOut = Type.Object({
  id: Type.String({ description: 'provider id; a provider key is bound to it' }),
  name: Type.String(),
  measures: Type.Array(Type.String(), { description: 'measures it may ask decisions for' }),
  purposes: Type.Array(Type.String(), { description: 'purposes it may state' }),
  createdAt: IsoTime('when it was first registered (kept by later updates)'),
}, { additionalProperties: false, description: 'a registered provider', examples: [{ id: 'railway', name: 'Railway bureau ticketing', measures: ['defaulter.no_g_train'], purposes: ['ticket-sale'], createdAt: '2026-03-01T09:30:00.000Z' }] });

export const ProviderListOut = Type.Object({ items: Type.Array(ProviderOut) }, { additionalProperties: false, description: 'registered providers' });

export const providerDto = (p: ProviderRow): Static<typeof ProviderOut> => ({ id: p.id, name: p.name, measures: [...p.measures], purposes: [...p.purposes], createdAt: iso(p.createdAt)! });
