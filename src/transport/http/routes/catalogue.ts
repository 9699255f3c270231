// Public catalogue (no key): record types, sources, lists, measures, schemes in force and
// the purposes providers may declare. The entries of public lists: routes/lists.ts. Each
// answer is built by the DTOs of schemas/catalogue.ts and serialised by its response schema.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { LIMITS, type HttpContext } from '../context.ts';
import { Identifier, Limit } from '../schemas/common.ts';
import {
  legalBasisDto, listDto, measureDto, purposeDto, recordTypeDto, schemeDto, sourceDto,
  LegalBasesOut, ListsOut, MeasuresOut, PurposesOut, RecordTypesOut, SchemesOut, SourcesOut,
} from '../schemas/catalogue.ts';

const pub = { auth: 'public' as const };
/** Said of every catalogue route. */
const OPEN = 'Public: no key is needed (a key sent must be valid: 401 AUTH_INVALID otherwise).';

export async function catalogueRoutes(app: FastifyInstance, ctx: HttpContext) {
  const cat = () => ctx.state.credence.catalogue;
  app.get('/catalogue/record-types', {
    config: pub,
    schema: {
      tags: ['catalogue'], operationId: 'listCatalogueRecordTypes', summary: 'record types (paged by code)',
      description: `The record types sources may submit, by code, a page at a time: each with its category, polarity, retention, legal basis and the JSON Schema of its payload. Pass the page's \`next\` as \`after\` for the next page. ${OPEN}`,
      querystring: Type.Object({ after: Type.Optional(Identifier('last code of the previous page', 200)), limit: Type.Optional(Limit) }, { additionalProperties: false }),
      response: { 200: RecordTypesOut },
    },
  }, async (req) => {
    const q = req.query as { after?: string; limit?: number };
    const limit = q.limit ?? LIMITS.pageSizeDefault;
    const all = [...cat().recordTypes.values()].sort((a, b) => (a.code < b.code ? -1 : 1)).filter((t) => q.after === undefined || t.code > q.after);
    const items = all.slice(0, limit).map(recordTypeDto);
    return { items, next: all.length > limit ? items[items.length - 1]!.code : null };
  });
  app.get('/catalogue/sources', {
    config: pub,
    schema: {
      tags: ['catalogue'], operationId: 'listCatalogueSources', summary: 'registered sources and the record types each may submit',
      description: `Every registered source: its kind, domain, legal basis and the exact record types it may submit. ${OPEN}`,
      response: { 200: SourcesOut },
    },
  }, async () => ({ items: [...cat().sources.values()].map(sourceDto) }));
  app.get('/catalogue/lists', {
    config: pub,
    schema: {
      tags: ['catalogue'], operationId: 'listCatalogueLists', summary: 'list definitions (legal basis, public flag)',
      description: `Every list definition: black or red, its legal basis, whether its entries are public (GET /v1/lists/{list}/entries) and how a listed subject may apply for credit restoration. ${OPEN}`,
      response: { 200: ListsOut },
    },
  }, async () => ({ items: [...cat().lists.values()].map(listDto) }));
  app.get('/catalogue/measures', {
    config: pub,
    schema: {
      tags: ['catalogue'], operationId: 'listCatalogueMeasures', summary: 'measures with legal basis and cross-context flag',
      description: `Every measure providers may ask about (POST /v1/decisions): its trigger, effect, conditions, legal basis, whether it is cross-context, how to contest it and the purposes it may be asked for. ${OPEN}`,
      response: { 200: MeasuresOut },
    },
  }, async () => ({ items: [...cat().measures.values()].map(measureDto) }));
  app.get('/catalogue/schemes', {
    config: pub,
    schema: {
      tags: ['catalogue'], operationId: 'listCatalogueSchemes', summary: 'schemes in force, with rules and grade bands',
      description: `The scheme versions in force now, one per scheme, with their grade bands, rules and list rules (every version, drafts too for an operator: GET /v1/schemes). ${OPEN}`,
      response: { 200: SchemesOut },
    },
  }, async () => {
    const rows = await ctx.store.listSchemes();
    return {
      items: ctx.state.credence.schemes.map((s) => schemeDto(s.scheme, rows.find((r) => r.scheme.id === s.scheme.id && r.scheme.version === s.scheme.version)?.publishedAt ?? null, cat().legalBases)),
    };
  });
  app.get('/catalogue/legal-bases', {
    config: pub,
    schema: {
      tags: ['catalogue'], operationId: 'listCatalogueLegalBases', summary: 'the legal-basis registry: every statute, regulation or document the catalogue and the schemes cite, and what each authorises',
      description: `The legal-basis registry: every statute, regulation or document the catalogue and the schemes cite (the \`ref\` of their citations), with what it and each of its articles authorise. ${OPEN}`,
      response: { 200: LegalBasesOut },
    },
  }, async () => ({ items: [...cat().legalBases.values()].map(legalBasisDto) }));
  app.get('/catalogue/purposes', {
    config: pub,
    schema: {
      tags: ['catalogue'], operationId: 'listCataloguePurposes',
      summary: 'why a provider may look a subject up: each purpose with its kind (subject-initiated, consent, statutory), whether it may ask about a past date, and its legal basis',
      description: `A look-up for a purpose of kind consent needs a consent token the subject issued (CONSENT_REQUIRED without one). A purpose without pastDates asks about the present only (AS_OF_NOT_ALLOWED). Each measure lists the purposes it may be asked for (GET /v1/catalogue/measures). ${OPEN}`,
      response: { 200: PurposesOut },
    },
  }, async () => ({ items: [...cat().purposes.values()].map(purposeDto) }));

  // GET /lists/{list}/entries (public list entries, masked) is in routes/lists.ts, with the
  // other list routes.
}
