// List entries. Reading (GET /lists/{list}/entries): a public list's entries for anyone, in
// the public view (masked identifiers, shortened names, consenting subjects only on a red
// list: src/domain/publication.ts); any list in full for an operator or auditor key.
//
// Operators add and remove list entries with a stated reason. A manual entry is not a side
// table: "add" submits a record of the list's listing type (the record type a scheme's list
// rule names, e.g. courts.defaulter_listing) in the name of a source allowed to submit it,
// and "remove" submits a record of the type that ends the listing (the rule's endedBy, e.g.
// courts.defaulter_delisting). So scores, decisions, expiry and the audit log treat manual
// entries exactly like delivered ones; the reason and the operator key are in the record's
// evidence and in a `list.add` / `list.remove` audit entry. Where the deployment asks for four
// eyes, either record waits for a second operator's approval (its review case is named in the
// answer) and changes nothing before it.
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Consents } from '../../../app/consent.ts';
import { needsConsent } from '../../../domain/publication.ts';
import type { ListRule } from '../../../domain/types.ts';
import { asOfParam, audit, iso, LIMITS, logReads, subjectParam, who, type HttpContext } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { problem } from '../problem.ts';
import { AsOf, Identifier, Limit, secured, SubjectIdString } from '../schemas/common.ts';
import { ListEntriesOut, ListEntryAddedOut, ListEntryRemovedOut, listDefinitionDto, operatorEntryDto, publicEntryDto } from '../schemas/lists.ts';

const Reason = Type.String({ minLength: 3, maxLength: 500, description: 'why (kept in the record evidence and the audit log)' });
const Payload = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { description: 'payload of the listing record type (catalogue JSON Schema), e.g. case_ref, ground, end_date' });

const AddIn = Type.Object({
  subject: SubjectIdString,
  source: Identifier('the source responsible for the listing (must be allowed to submit the listing type)'),
  reason: Reason,
  payload: Payload,
  occurredAt: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })),
}, { additionalProperties: false, examples: [{ subject: '371082198503120211', source: 'rongcheng-court', reason: 'court order (2026) Lu 1082 Zhi 7 received by post', payload: { case_ref: '(2026) Lu 1082 Zhi 7', ground: 'able_to_pay_refuses', end_date: '2028-06-30' } }] });

const RemoveIn = Type.Object({
  reason: Reason,
  payload: Type.Optional(Payload),
}, { additionalProperties: false, description: 'why; payload of the ending record type (default: the listing\'s case_ref)', examples: [{ reason: 'court delisting order (2026) Lu 1082 Zhi 7-1 received', payload: { case_ref: '(2026) Lu 1082 Zhi 7' } }] });

const NOT_FOUND_LIST = problemResponse('LIST_NOT_FOUND: no such list in the catalogue');
const NOT_MANUAL = problemResponse('LIST_NOT_MANUAL: the list is derived from grades (or names no record type that ends an entry); RECORD_REJECTED: the record failed ingest (recordCode and errors say why: a payload not matching the listing type\'s schema, a source not allowed to submit it, a subject kind the type does not cover...)');

export async function listRoutes(app: FastifyInstance, ctx: HttpContext) {
  app.get('/lists/:list/entries', {
    config: { auth: 'public' },
    schema: {
      tags: ['catalogue'], operationId: 'listListEntries',
      summary: 'entries of a list: public lists for anyone (masked identifiers, shortened names; a red list only subjects who consented), any list in full for an operator or auditor key',
      description: 'The entries of a list in force at asOf. Without a key (or with a key of another role) a public list answers its public view: masked identifiers, shortened names, and on a red list only subjects whose consent to publication is in force (`withheld` counts the others). An operator or auditor key gets any list in full (the operator view), and each subject shown gets the read in its query log. 404 LIST_NOT_FOUND for a list not in the catalogue; a list that is not public answers 401 AUTH_MISSING without a key and 403 FORBIDDEN_ROLE to a key of another role.',
      params: Type.Object({ list: Identifier('list id') }, { additionalProperties: false }),
      querystring: Type.Object({ asOf: Type.Optional(AsOf), limit: Type.Optional(Limit) }, { additionalProperties: false }),
      response: {
        200: ListEntriesOut,
        401: problemResponse('AUTH_MISSING: the list is not public, and no key was sent (AUTH_INVALID: the key sent is unknown, expired or revoked)'),
        403: problemResponse('FORBIDDEN_ROLE: the list is not public, and the key is neither an operator\'s nor an auditor\'s'),
        404: NOT_FOUND_LIST,
      },
    },
  }, async (req) => {
    const { list } = req.params as { list: string };
    const q = req.query as { asOf?: string; limit?: number };
    const def = ctx.state.credence.catalogue.lists.get(list);
    if (!def) throw problem('LIST_NOT_FOUND', `no list "${list}" in the catalogue`);
    const full = req.principal?.role === 'operator' || req.principal?.role === 'auditor';
    if (!def.public && !full) {
      if (!req.principal) throw problem('AUTH_MISSING', `list ${list} is not public: an operator or auditor key is needed`);
      throw problem('FORBIDDEN_ROLE', `list ${list} is not public`);
    }
    const at = asOfParam(q.asOf, ctx.now());
    const limit = q.limit ?? LIMITS.pageSizeDefault;
    const consentRequired = needsConsent(def);
    if (full) {
      const entries = await ctx.state.credence.listEntries(list, at, limit);
      // The full view shows who is listed: a read of each subject's data, in each one's query log.
      await logReads(ctx, req, entries.map((e) => e.subject), { list }, [{ at: ctx.now(), actor: req.principal!.actor, action: 'list.read', detail: { list, entries: entries.length, view: 'operator' } }]);
      return { list: listDefinitionDto(def), asOf: iso(at), view: 'operator', consentRequired, withheld: 0, items: entries.map((e) => operatorEntryDto(def, e)) };
    }
    const { held, published: view } = await ctx.state.credence.publicListEntries(list, at, limit, [], new Consents(ctx.state.credence, ctx.access).publicationConsent);
    const published = view!; // the list is public (checked above)
    await ctx.store.appendAudit([{ at: ctx.now(), actor: req.principal?.actor ?? 'anonymous', action: 'list.read', detail: { list, entries: held, view: 'public', published: published.items.length, withheld: published.withheld } }]);
    return { list: listDefinitionDto(def), asOf: iso(at), view: 'public', consentRequired, withheld: published.withheld, items: published.items.map(publicEntryDto) };
  });

  function listingRule(list: string): ListRule {
    if (!ctx.state.credence.catalogue.lists.has(list)) throw problem('LIST_NOT_FOUND', `no list "${list}" in the catalogue`);
    for (const s of ctx.state.credence.schemes) {
      const rule = s.scheme.listRules.find((r) => r.list === list && r.recordType);
      if (rule) return rule;
    }
    throw problem('LIST_NOT_MANUAL', `list ${list} is derived from grades; it has no entries to add or remove by hand`);
  }
  async function submit(req: FastifyRequest, record: Record<string, unknown>) {
    const p = who(req);
    const out = await ctx.state.credence.ingest([record], p.actor, { manual: true });
    const r = out.results[0]!;
    if (r.status === 'rejected') throw problem('RECORD_REJECTED', `${r.code} at ${r.path || '(record)'}: ${r.message}`, { recordCode: r.code, errors: [{ path: r.path, message: r.message }] });
    // The review case it waits in (four eyes), or null: it counts now.
    return { id: r.id, review: r.status === 'accepted' ? (r.review ?? null) : null };
  }

  app.post('/lists/:list/entries', {
    config: { auth: ['operator'] }, bodyLimit: LIMITS.bodyBytesMax,
    schema: { tags: ['operator'], operationId: 'addListEntry', summary: 'add a list entry by hand (a listing record in the name of the responsible source)', security: secured,
      description: 'Operator keys only. Submits a record of the list\'s listing type in the name of `source`, with the operator key and the reason in its evidence and a list.add audit entry; 201 names the record. Under four eyes (CREDENCE_FOUR_EYES at init) the entry waits for a second operator: `review` names its case (POST /v1/cases/{id}/decision, approved or rejected); else `review` is null and it counts now. 400 SUBJECT_ID_INVALID for a malformed subject; 404 LIST_NOT_FOUND; 422 LIST_NOT_MANUAL for a list derived from grades; 422 RECORD_REJECTED when the record fails ingest (recordCode says why).',
      params: Type.Object({ list: Identifier('list id') }, { additionalProperties: false }), body: AddIn,
      response: { 201: ListEntryAddedOut, 404: NOT_FOUND_LIST, 422: NOT_MANUAL } },
  }, async (req, reply) => {
    const { list } = req.params as { list: string };
    const b = req.body as { subject: string; source: string; reason: string; payload: Record<string, unknown>; occurredAt?: string };
    const rule = listingRule(list);
    const subject = subjectParam(ctx, b.subject, 'body/subject');
    const sourceRecordId = `operator-${randomBytes(9).toString('base64url')}`;
    const { id, review } = await submit(req, {
      source: b.source, sourceRecordId, subject, type: rule.recordType, occurredAt: b.occurredAt ?? new Date(ctx.now()).toISOString().slice(0, 10),
      payload: b.payload, evidence: [`operator:${who(req).key.id}`, `reason:${b.reason}`.slice(0, 500)],
    });
    await audit(ctx, req, 'list.add', { list, record: id, reason: b.reason, ...(review ? { review } : {}) }, subject);
    reply.status(201);
    return { list, subject, record: id, type: rule.recordType, legalBasis: rule.legalBasis, at: iso(ctx.now()), review };
  });

  app.delete('/lists/:list/entries/:source/:sourceRecordId', {
    config: { auth: ['operator'] }, bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      tags: ['operator'], operationId: 'removeListEntry', summary: 'remove a list entry: a record of the type that ends the listing (e.g. a delisting)', security: secured,
      description: 'Operator keys only. Submits a record of the type that ends the listing (the list rule\'s first endedBy type) in the name of the listing\'s source, with the operator key and the reason in its evidence and a list.remove audit entry. Under four eyes the removal waits for a second operator (`review` names its case); else it takes effect now. 404 LIST_NOT_FOUND; 404 RECORD_NOT_FOUND when no listing record of the list\'s type has this id; 422 LIST_NOT_MANUAL for a list derived from grades or naming no type that ends an entry; 422 RECORD_REJECTED when the ending record fails ingest.',
      params: Type.Object({ list: Identifier('list id'), source: Identifier('source id'), sourceRecordId: Type.String({ minLength: 1, maxLength: 128, description: 'the listing record\'s id at its source' }) }, { additionalProperties: false }),
      body: RemoveIn,
      response: { 200: ListEntryRemovedOut, 404: problemResponse('LIST_NOT_FOUND: no such list; RECORD_NOT_FOUND: no listing record of the list\'s type has this id'), 422: NOT_MANUAL },
    },
  }, async (req) => {
    const { list, source, sourceRecordId } = req.params as { list: string; source: string; sourceRecordId: string };
    const b = req.body as { reason: string; payload?: Record<string, unknown> };
    const rule = listingRule(list);
    const listing = await ctx.store.getRecord(`${source}/${sourceRecordId}`);
    if (!listing || listing.type !== rule.recordType) throw problem('RECORD_NOT_FOUND', `no ${rule.recordType} record ${source}/${sourceRecordId}`);
    const ender = rule.endedBy?.[0];
    if (!ender) throw problem('LIST_NOT_MANUAL', `list ${list} names no record type that ends an entry`);
    const payload = b.payload ?? (listing.payload.case_ref !== undefined ? { case_ref: listing.payload.case_ref } : {});
    const { id, review } = await submit(req, {
      source, sourceRecordId: `operator-${randomBytes(9).toString('base64url')}`, subject: listing.subject, type: ender,
      occurredAt: new Date(ctx.now()).toISOString().slice(0, 10), payload, evidence: [`operator:${who(req).key.id}`, `reason:${b.reason}`.slice(0, 500), `ends:${listing.id}`],
    });
    await audit(ctx, req, 'list.remove', { list, record: id, ends: listing.id, reason: b.reason, ...(review ? { review } : {}) }, listing.subject);
    return { list, subject: listing.subject, record: id, ends: listing.id, type: ender, at: iso(ctx.now()), review };
  });
}
