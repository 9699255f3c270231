// Schemes: operators upload drafts (YAML or JSON), preview their impact (the grade migration
// matrix of a dry-run rescore) and publish them (rescore, then the use cases switch to the new
// version). Every version stays queryable; published ones publicly.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Credence } from '../../../app/credence.ts';
import { compileSchemeText } from '../../../app/load-schemes.ts';
import { compileScheme } from '../../../domain/scheme-compile.ts';
import { audit, LIMITS, type HttpContext } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { problem } from '../problem.ts';
import { secured } from '../schemas/common.ts';
import { schemeDto } from '../schemas/catalogue.ts';
import { SchemeDraftIn, SchemeListOut, SchemeVersionOut, SchemePreviewOut, SchemePublishOut, VersionParams } from '../schemas/schemes.ts';
const versionOf = (params: unknown): { id: string; version: number } => {
  const p = params as { id: string; version: string };
  return { id: p.id, version: Number(p.version) };
};
const op = { auth: ['operator'] as const };

export async function schemeRoutes(app: FastifyInstance, ctx: HttpContext) {
  const isOperator = (req: FastifyRequest) => req.principal?.role === 'operator';
  async function row(id: string, version: number) {
    return (await ctx.store.listSchemes()).find((r) => r.scheme.id === id && r.scheme.version === version) ?? null;
  }
  function compiled(r: NonNullable<Awaited<ReturnType<typeof row>>>) {
    const { compiled: c, problems } = compileScheme(r.scheme, ctx.state.credence.catalogue);
    if (!c) throw problem('SCHEME_INVALID', `stored scheme ${r.scheme.id}@${r.scheme.version} no longer compiles`, { errors: problems.map((p) => ({ path: p.path, code: p.code, message: p.message })) });
    return c;
  }

  app.post('/schemes', {
    config: op, bodyLimit: LIMITS.schemeBodyBytesMax,
    schema: {
      operationId: 'createSchemeDraft',
      tags: ['operator'], summary: 'upload a scheme draft (application/yaml or application/json); every problem is listed with its path', security: secured,
      description: 'For operators. The body is a scheme file as in catalogue/schemes/*.yaml; it replaces an earlier draft of the same id@version. 201 with the draft; 400 REQUEST_INVALID without a body; 409 SCHEME_VERSION_PUBLISHED if that id@version is already published; 413 BODY_TOO_LARGE; 415 MEDIA_TYPE_UNSUPPORTED for another Content-Type; 422 SCHEME_INVALID lists every problem in errors[] (path, code, message).',
      body: SchemeDraftIn,
      response: {
        201: { ...SchemeVersionOut, description: 'the draft as stored (status draft)' },
        409: problemResponse('SCHEME_VERSION_PUBLISHED: this id@version is published and immutable; upload a new version'),
        422: problemResponse('SCHEME_INVALID: the document does not validate; errors[] lists every problem with its path'),
      },
    },
  }, async (req, reply) => {
    const text = req.rawBody ?? (typeof req.body === 'string' ? req.body : null);
    if (text === null) throw problem('REQUEST_INVALID', 'send the scheme as application/yaml or application/json');
    let out: ReturnType<typeof compileSchemeText>;
    try {
      out = compileSchemeText(text, 'upload', ctx.state.credence.catalogue);
    } catch (err) {
      // The compiler met a shape it does not expect: still the client's document at fault.
      req.log.warn({ err }, 'scheme compiler threw on an uploaded draft');
      out = { problems: [{ code: 'SCHEME_INVALID', file: 'upload', path: '', message: 'the document does not have the shape of a scheme (see catalogue/schemes/*.yaml)' }] };
    }
    const { compiled: c, problems } = out;
    if (!c || problems.length > 0) throw problem('SCHEME_INVALID', `${problems.length} problems; first: ${problems[0]?.path || '(document)'}: ${problems[0]?.message}`, { errors: problems.slice(0, 500).map((p) => ({ path: p.path, code: p.code, message: p.message })) });
    const existing = await row(c.scheme.id, c.scheme.version);
    if (existing?.publishedAt != null) throw problem('SCHEME_VERSION_PUBLISHED', `${c.key} is published; upload a new version`);
    const draft = { ...c.scheme, status: 'draft' as const };
    await ctx.store.saveScheme(draft, null);
    await audit(ctx, req, 'scheme.draft', { scheme: c.key });
    reply.status(201);
    return schemeDto(draft, null, ctx.state.credence.catalogue.legalBases);
  });

  app.get('/schemes', {
    config: { auth: 'public' },
    schema: {
      operationId: 'listSchemes',
      tags: ['catalogue'], summary: 'every scheme version (drafts only with an operator key)',
      description: 'Public: every published scheme version, earlier ones included; with an operator key, the drafts too.',
      response: { 200: { ...SchemeListOut, description: 'the scheme versions' } },
    },
  }, async (req) => ({ items: (await ctx.store.listSchemes()).filter((r) => r.publishedAt !== null || isOperator(req)).map((r) => schemeDto(r.scheme, r.publishedAt, ctx.state.credence.catalogue.legalBases)) }));

  app.get('/schemes/:id/versions/:version', {
    config: { auth: 'public' },
    schema: {
      operationId: 'getSchemeVersion',
      tags: ['catalogue'], summary: 'one scheme version, earlier ones included (drafts only with an operator key)',
      description: 'Public for published versions; a draft only with an operator key. 404 SCHEME_NOT_FOUND when there is no such version (or it is a draft and the caller is not an operator).',
      params: VersionParams,
      response: {
        200: { ...SchemeVersionOut, description: 'the scheme version' },
        404: problemResponse('SCHEME_NOT_FOUND: no such scheme version (or a draft, without an operator key)'),
      },
    },
  }, async (req) => {
    const { id, version } = versionOf(req.params);
    const r = await row(id, version);
    if (!r || (r.publishedAt === null && !isOperator(req))) throw problem('SCHEME_NOT_FOUND', `no scheme ${id}@${version}`);
    return schemeDto(r.scheme, r.publishedAt, ctx.state.credence.catalogue.legalBases);
  });

  app.post('/schemes/:id/versions/:version/preview', {
    config: op,
    schema: {
      operationId: 'previewSchemeVersion',
      tags: ['operator'], summary: 'impact preview: how many subjects move from each grade to each grade (nothing is written)', security: secured,
      description: 'For operators: a dry-run rescore of every subject under the version (a draft or a published one), compared with the version of the same scheme in force. 404 SCHEME_NOT_FOUND; 422 SCHEME_INVALID when the stored version no longer compiles against the catalogue.',
      params: VersionParams,
      response: {
        200: { ...SchemePreviewOut, description: 'the grade migration matrix' },
        404: problemResponse('SCHEME_NOT_FOUND: no such scheme version'),
        422: problemResponse('SCHEME_INVALID: the stored version no longer compiles'),
      },
    },
  }, async (req) => {
    const { id, version } = versionOf(req.params);
    const r = await row(id, version);
    if (!r) throw problem('SCHEME_NOT_FOUND', `no scheme ${id}@${version}`);
    const res = await ctx.state.credence.rescore(compiled(r), { dryRun: true, at: ctx.now() });
    return { scheme: res.scheme, comparedWith: res.from, subjects: res.subjects, matrix: res.matrix };
  });

  app.post('/schemes/:id/versions/:version/publish', {
    config: op,
    schema: {
      operationId: 'publishSchemeVersion',
      tags: ['operator'], summary: 'publish a draft: rescore every subject, then decide under the new version', security: secured,
      description: 'For operators. Every subject is rescored under the draft, the version is stored as published (immutable from then on) and decisions are taken under it; the publication is logged. 404 SCHEME_NOT_FOUND; 409 SCHEME_VERSION_PUBLISHED when it is already published; 422 SCHEME_INVALID when the stored draft no longer compiles.',
      params: VersionParams,
      response: {
        200: { ...SchemePublishOut, description: 'the version published, with the grade migration matrix' },
        404: problemResponse('SCHEME_NOT_FOUND: no such scheme version'),
        409: problemResponse('SCHEME_VERSION_PUBLISHED: this version is already published'),
        422: problemResponse('SCHEME_INVALID: the stored draft no longer compiles'),
      },
    },
  }, async (req) => {
    const { id, version } = versionOf(req.params);
    const r = await row(id, version);
    if (!r) throw problem('SCHEME_NOT_FOUND', `no scheme ${id}@${version}`);
    if (r.publishedAt !== null) throw problem('SCHEME_VERSION_PUBLISHED', `${id}@${version} is already published`);
    const c = compiled(r);
    const now = ctx.now();
    const res = await ctx.state.credence.rescore(c, { dryRun: false, at: now });
    await ctx.store.saveScheme({ ...r.scheme, status: 'published' }, now);
    const old = ctx.state.credence;
    ctx.state.credence = await Credence.open(ctx.store, { now: old.now, legacyCodes: ctx.options.legacyCodes });
    ctx.state.credence.onNotices = old.onNotices;
    await audit(ctx, req, 'scheme.publish', { scheme: `${id}@${version}`, subjects: res.subjects });
    return { scheme: `${id}@${version}`, publishedAt: new Date(now).toISOString(), subjects: res.subjects, matrix: res.matrix };
  });
}
