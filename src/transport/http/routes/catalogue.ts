// Public catalogue (no key): record types, sources, lists, measures, schemes in force and
// the purposes providers may declare. The entries of public lists: routes/lists.ts.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LIMITS, type HttpContext } from '../context.ts';
import { Identifier, Limit } from '../schemas/common.ts';
import { legalBasisDto, listDto, measureDto, purposeDto, recordTypeDto, schemeDto, sourceDto } from '../schemas/catalogue.ts';

const pub = { auth: 'public' as const };

export async function catalogueRoutes(app: FastifyInstance, ctx: HttpContext) {
  const cat = () => ctx.state.credence.catalogue;
  app.get('/catalogue/record-types', {
    config: pub,
    schema: {
      tags: ['catalogue'], summary: 'record types (paged by code)',
      querystring: Type.Object({ after: Type.Optional(Identifier('last code of the previous page', 200)), limit: Type.Optional(Limit) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const q = req.query as { after?: string; limit?: number };
    const limit = q.limit ?? LIMITS.pageSizeDefault;
    const all = [...cat().recordTypes.values()].sort((a, b) => (a.code < b.code ? -1 : 1)).filter((t) => q.after === undefined || t.code > q.after);
    const items = all.slice(0, limit).map(recordTypeDto);
    return { items, next: all.length > limit ? items[items.length - 1]!.code : null };
  });
  app.get('/catalogue/sources', { config: pub, schema: { tags: ['catalogue'], summary: 'registered sources and the record types each may submit' } }, async () => ({ items: [...cat().sources.values()].map(sourceDto) }));
  app.get('/catalogue/lists', { config: pub, schema: { tags: ['catalogue'], summary: 'list definitions (legal basis, public flag)' } }, async () => ({ items: [...cat().lists.values()].map(listDto) }));
  app.get('/catalogue/measures', { config: pub, schema: { tags: ['catalogue'], summary: 'measures with legal basis and cross-context flag' } }, async () => ({ items: [...cat().measures.values()].map(measureDto) }));
  app.get('/catalogue/schemes', { config: pub, schema: { tags: ['catalogue'], summary: 'schemes in force, with rules and grade bands' } }, async () => {
    const rows = await ctx.store.listSchemes();
    return {
      items: ctx.state.credence.schemes.map((s) => schemeDto(s.scheme, rows.find((r) => r.scheme.id === s.scheme.id && r.scheme.version === s.scheme.version)?.publishedAt ?? null, cat().legalBases)),
    };
  });
  app.get('/catalogue/legal-bases', { config: pub, schema: { tags: ['catalogue'], summary: 'the legal-basis registry: every statute, regulation or document the catalogue and the schemes cite, and what each authorises' } }, async () => ({ items: [...cat().legalBases.values()].map(legalBasisDto) }));
  app.get('/catalogue/purposes', {
    config: pub,
    schema: {
      tags: ['catalogue'], summary: 'why a provider may look a subject up: each purpose with its kind (subject-initiated, consent, statutory), whether it may ask about a past date, and its legal basis',
      description: 'A look-up for a purpose of kind consent needs a consent token the subject issued (CONSENT_REQUIRED without one). A purpose without pastDates asks about the present only (AS_OF_NOT_ALLOWED). Each measure lists the purposes it may be asked for (GET /v1/catalogue/measures).',
    },
  }, async () => ({ items: [...cat().purposes.values()].map(purposeDto) }));

  // GET /lists/{list}/entries (public list entries, masked) is in routes/lists.ts, with the
  // other list routes.
}
