// Operators manage API keys (create, list, revoke, rotate with overlap) and providers (the
// measures each may ask about and the purposes it declares). The secret is in the create and
// rotate responses only; the store keeps its SHA-256.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiKeyRow, Role } from '../../../ports/access-store.ts';
import { audit, LIMITS, subjectParam, who, type HttpContext } from '../context.ts';
import { newKey } from '../keys.ts';
import { problemResponse } from '../openapi.ts';
import { problem } from '../problem.ts';
import { Limit, secured } from '../schemas/common.ts';
import { KeyCreatedOut, KeyIn, KeyListOut, KeyOut, KeyParams, KeyRotatedOut, keyDto, ProviderIn, ProviderListOut, ProviderOut, ProviderParams, providerDto, RotateIn } from '../schemas/keys.ts';

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
    schema: {
      operationId: 'createKey', tags: ['operator'], summary: 'create an API key or a subject access token (the secret is shown once)', security: secured,
      description: 'Operators only. Answers 201 with the key and its secret (key), which is shown in this answer only: the store keeps its SHA-256. The binding names what the key acts for and must exist: a catalogue source for a source key, a registered provider for a provider key, a valid subject identifier for a subject token, none for operator and auditor keys (422 BINDING_INVALID otherwise; 400 SUBJECT_ID_INVALID for a malformed subject identifier). Logged as key.create.',
      body: KeyIn,
      response: { 201: KeyCreatedOut, 422: problemResponse('422 BINDING_INVALID: the binding is missing, present where none is allowed, or names no catalogue source or registered provider') },
    },
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
    schema: {
      operationId: 'listKeys', tags: ['operator'], summary: 'list keys (never the secrets), newest first', security: secured,
      description: 'Operators only. Every key, revoked and expired ones included (active says which work now), newest first, at most limit of them; never a secret.',
      querystring: Type.Object({ limit: Type.Optional(Limit) }, { additionalProperties: false }),
      response: { 200: KeyListOut },
    },
  }, async (req) => {
    const limit = (req.query as { limit?: number }).limit ?? LIMITS.pageSizeDefault;
    const now = ctx.now();
    return { items: (await ctx.access.listKeys(limit)).map((k) => keyDto(k, now)) };
  });

  app.delete('/keys/:id', {
    config: op,
    schema: {
      operationId: 'revokeKey', tags: ['operator'], summary: 'revoke a key at once', security: secured,
      description: 'Operators only. The key is refused from now on (AUTH_INVALID); revoking twice keeps the first time. Answers the key as it now is. 404 KEY_NOT_FOUND when there is no such key. Logged as key.revoke.',
      params: KeyParams,
      response: { 200: KeyOut, 404: problemResponse('404 KEY_NOT_FOUND: no key has this id') },
    },
  }, async (req) => {
    const { id } = req.params as { id: string };
    if (!(await ctx.access.revokeKey(id, ctx.now()))) throw problem('KEY_NOT_FOUND', `no key ${id}`);
    await audit(ctx, req, 'key.revoke', { key: id });
    return keyDto((await ctx.access.getKey(id))!, ctx.now());
  });

  app.post('/keys/:id/rotate', {
    config: op, bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      operationId: 'rotateKey', tags: ['operator'], summary: 'rotate: a new key with the same role and binding; the old one keeps working until the overlap ends', security: secured,
      description: `Operators only. Answers 201 with the new key, its secret (shown once) and the old key, whose replacedBy names the new one and whose expiresAt is the end of the overlap (overlapSeconds, default ${LIMITS.rotationOverlapSecondsDefault}; 0 ends it now). The new key lasts as long as the old one was meant to. 404 KEY_NOT_FOUND when the key does not exist or is revoked or expired. Logged as key.rotate.`,
      params: KeyParams, body: RotateIn,
      response: { 201: KeyRotatedOut, 404: problemResponse('404 KEY_NOT_FOUND: no active key has this id (unknown, revoked or expired)') },
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
    schema: {
      operationId: 'saveProvider', tags: ['operator'], summary: 'register or update a provider: the measures it may ask about and its purposes', security: secured,
      description: 'Operators only. Registers the provider or replaces its name, measures and purposes (createdAt is kept), and answers it: 201 when this request registered it, 200 when it updated one. 422 MEASURE_UNKNOWN when a measure is not in the catalogue; 422 PROVIDER_PURPOSE_INVALID when a purpose is not the catalogue\'s or no registered measure declares it (errors[] name each). Logged as provider.save.',
      params: ProviderParams, body: ProviderIn,
      response: {
        200: { ...ProviderOut, description: 'updated: the provider as now registered' },
        201: { ...ProviderOut, description: 'registered by this request' },
        422: problemResponse('422 MEASURE_UNKNOWN: a measure is not in the catalogue; 422 PROVIDER_PURPOSE_INVALID: a purpose is not the catalogue\'s, or none of the registered measures declares it'),
      },
    },
  }, async (req, reply) => {
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
    await audit(ctx, req, 'provider.save', { provider: id, measures: b.measures, purposes: b.purposes, created: existing === null });
    if (existing === null) reply.status(201);
    return providerDto(row);
  });

  app.get('/providers', {
    config: { auth: ['operator', 'auditor'] },
    schema: {
      operationId: 'listProviders', tags: ['operator'], summary: 'registered providers', security: secured,
      description: 'Operators and auditors. Every registered provider with the measures it may ask decisions for and the purposes it may state.',
      response: { 200: ProviderListOut },
    },
  }, async () => ({ items: (await ctx.access.listProviders()).map(providerDto) }));
}
