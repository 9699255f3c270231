// Operators manage API keys (create, list, revoke, rotate with overlap) and providers (the
// measures each may ask about and the purposes it declares). The secret is in the create and
// rotate responses only; the store keeps its SHA-256.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ROLES, type ApiKeyRow, type Role } from '../../../ports/access-store.ts';
import { audit, iso, LIMITS, subjectParam, who, type HttpContext } from '../context.ts';
import { newKey } from '../keys.ts';
import { problem } from '../problem.ts';
import { Identifier, Limit, Purpose, secured } from '../schemas/common.ts';

const keyDto = (k: ApiKeyRow, now: number) => ({
  id: k.id, role: k.role, name: k.name, binding: k.binding, createdAt: iso(k.createdAt), createdBy: k.createdBy,
  expiresAt: iso(k.expiresAt), revokedAt: iso(k.revokedAt), replacedBy: k.replacedBy,
  active: k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now),
});

const KeyIn = Type.Object({
  role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  name: Type.String({ minLength: 1, maxLength: 200, description: 'who holds the key' }),
  binding: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'source id (source), provider id (provider), subject id (subject); absent for operator and auditor' })),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.keyLifetimeDaysMax, description: `default ${LIMITS.keyLifetimeDaysDefault}` })),
}, { additionalProperties: false, examples: [{ role: 'source', name: 'tax bureau uploader', binding: 'tax-bureau', expiresInDays: 90 }] });

const ProviderIn = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  measures: Type.Array(Identifier('measure id', 200), { maxItems: 200, uniqueItems: true }),
  purposes: Type.Array(Purpose, { maxItems: 100, uniqueItems: true, description: 'purposes of the catalogue (GET /v1/catalogue/purposes); each must be one that a registered measure declares' }),
}, { additionalProperties: false, examples: [{ name: 'Railway bureau ticketing', measures: ['defaulter.no_g_train', 'defaulter.no_soft_sleeper'], purposes: ['ticket-sale', 'boarding'] }] });

const KeyParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40, pattern: '^key_[A-Za-z0-9_-]+$' }) }, { additionalProperties: false });
const op = { auth: ['operator'] as const };

export async function keyRoutes(app: FastifyInstance, ctx: HttpContext) {
  async function checkBinding(role: Role, binding: string | undefined): Promise<string | null> {
    if (role === 'operator' || role === 'auditor') {
      if (binding !== undefined) throw problem('BINDING_INVALID', `a ${role} key has no binding`, { errors: [{ path: 'body/binding', message: 'must be absent' }] });
      return null;
    }
    if (binding === undefined) throw problem('BINDING_INVALID', `a ${role} key needs a binding`, { errors: [{ path: 'body/binding', message: 'required' }] });
    if (role === 'source' && !ctx.state.credence.catalogue.sources.has(binding)) throw problem('BINDING_INVALID', `no source "${binding}" in the catalogue`, { errors: [{ path: 'body/binding', message: 'unknown source' }] });
    if (role === 'provider' && !(await ctx.access.getProvider(binding))) throw problem('BINDING_INVALID', `no provider "${binding}" is registered (PUT /v1/providers/{id} first)`, { errors: [{ path: 'body/binding', message: 'unknown provider' }] });
    if (role === 'subject') return subjectParam(ctx, binding, 'body/binding');
    return binding;
  }

  app.post('/keys', {
    config: op, bodyLimit: LIMITS.bodyBytesMax,
    schema: { tags: ['operator'], summary: 'create an API key or a subject access token (the secret is shown once)', security: secured, body: KeyIn },
  }, async (req, reply) => {
    const p = who(req);
    const b = req.body as { role: Role; name: string; binding?: string; expiresInDays?: number };
    const binding = await checkBinding(b.role, b.binding);
    const now = ctx.now();
    const k = newKey(b.role);
    const row: ApiKeyRow = { id: k.id, role: b.role, name: b.name, hash: k.hash, binding, createdAt: now, createdBy: p.actor, expiresAt: now + (b.expiresInDays ?? LIMITS.keyLifetimeDaysDefault) * 86_400_000, revokedAt: null, replacedBy: null };
    await ctx.access.createKey(row);
    await audit(ctx, req, 'key.create', { key: k.id, role: b.role, binding }, b.role === 'subject' ? binding! : undefined);
    reply.status(201);
    return { ...keyDto(row, now), key: k.secret };
  });

  app.get('/keys', {
    config: op,
    schema: { tags: ['operator'], summary: 'list keys (never the secrets), newest first', security: secured, querystring: Type.Object({ limit: Type.Optional(Limit) }, { additionalProperties: false }) },
  }, async (req) => {
    const limit = (req.query as { limit?: number }).limit ?? LIMITS.pageSizeDefault;
    const now = ctx.now();
    return { items: (await ctx.access.listKeys(limit)).map((k) => keyDto(k, now)) };
  });

  app.delete('/keys/:id', {
    config: op,
    schema: { tags: ['operator'], summary: 'revoke a key at once', security: secured, params: KeyParams },
  }, async (req) => {
    const { id } = req.params as { id: string };
    if (!(await ctx.access.revokeKey(id, ctx.now()))) throw problem('KEY_NOT_FOUND', `no key ${id}`);
    await audit(ctx, req, 'key.revoke', { key: id });
    return keyDto((await ctx.access.getKey(id))!, ctx.now());
  });

  app.post('/keys/:id/rotate', {
    config: op, bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      tags: ['operator'], summary: 'rotate: a new key with the same role and binding; the old one keeps working until the overlap ends', security: secured, params: KeyParams,
      body: Type.Optional(Type.Object({ overlapSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.rotationOverlapSecondsMax, description: `default ${LIMITS.rotationOverlapSecondsDefault}` })) }, { additionalProperties: false })),
    },
  }, async (req, reply) => {
    const p = who(req);
    const { id } = req.params as { id: string };
    const overlap = ((req.body as { overlapSeconds?: number } | undefined)?.overlapSeconds ?? LIMITS.rotationOverlapSecondsDefault) * 1000;
    const old = await ctx.access.getKey(id);
    const now = ctx.now();
    if (!old || old.revokedAt !== null || (old.expiresAt !== null && old.expiresAt <= now)) throw problem('KEY_NOT_FOUND', `no active key ${id}`);
    const k = newKey(old.role);
    const lifetime = old.expiresAt === null ? LIMITS.keyLifetimeDaysDefault * 86_400_000 : Math.max(old.expiresAt - old.createdAt, 86_400_000);
    const row: ApiKeyRow = { ...old, id: k.id, hash: k.hash, createdAt: now, createdBy: p.actor, expiresAt: now + lifetime, revokedAt: null, replacedBy: null };
    await ctx.access.rotateKey(id, row, now + overlap);
    await audit(ctx, req, 'key.rotate', { key: id, next: k.id, overlapUntil: now + overlap });
    reply.status(201);
    return { ...keyDto(row, now), key: k.secret, previous: keyDto((await ctx.access.getKey(id))!, now) };
  });

  app.put('/providers/:id', {
    config: op, bodyLimit: LIMITS.bodyBytesMax,
    schema: { tags: ['operator'], summary: 'register or update a provider: the measures it may ask about and its purposes', security: secured, params: Type.Object({ id: Identifier('provider id') }, { additionalProperties: false }), body: ProviderIn },
  }, async (req) => {
    const { id } = req.params as { id: string };
    const b = req.body as { name: string; measures: string[]; purposes: string[] };
    const unknown = b.measures.filter((m) => !ctx.state.credence.catalogue.measures.has(m));
    if (unknown.length > 0) throw problem('MEASURE_UNKNOWN', `not in the catalogue: ${unknown.join(', ')}`, { errors: unknown.map((m) => ({ path: `body/measures/${b.measures.indexOf(m)}`, message: `no measure ${m}` })) });
    // A purpose must be one of the catalogue's and one that a registered measure declares:
    // a registration cannot name a purpose under which none of its measures may be asked.
    const cat = ctx.state.credence.catalogue;
    const declared = new Set(b.measures.flatMap((m) => cat.measures.get(m)!.purposes));
    const bad = b.purposes.flatMap((pu, i) => {
      if (!cat.purposes.has(pu)) return [{ path: `body/purposes/${i}`, message: `"${pu}" is not a purpose of the catalogue (${[...cat.purposes.keys()].join(', ')})` }];
      if (!declared.has(pu)) return [{ path: `body/purposes/${i}`, message: `no registered measure declares "${pu}"; they declare: ${[...declared].join(', ') || '(no measures)'}` }];
      return [];
    });
    if (bad.length > 0) throw problem('PROVIDER_PURPOSE_INVALID', `${bad[0]!.path}: ${bad[0]!.message}`, { errors: bad });
    const existing = await ctx.access.getProvider(id);
    const row = { id, name: b.name, measures: b.measures, purposes: b.purposes, createdAt: existing?.createdAt ?? ctx.now() };
    await ctx.access.saveProvider(row);
    await audit(ctx, req, 'provider.save', { provider: id, measures: b.measures, purposes: b.purposes });
    return { id, name: row.name, measures: row.measures, purposes: row.purposes, createdAt: iso(row.createdAt) };
  });

  app.get('/providers', {
    config: { auth: ['operator', 'auditor'] },
    schema: { tags: ['operator'], summary: 'registered providers', security: secured },
  }, async () => ({ items: (await ctx.access.listProviders()).map((p) => ({ id: p.id, name: p.name, measures: p.measures, purposes: p.purposes, createdAt: iso(p.createdAt) })) }));
}
