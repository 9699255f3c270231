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
import { problem } from '../problem.ts';
import { listDto } from '../schemas/catalogue.ts';
import { AsOf, Identifier, Limit, secured, SubjectIdString } from '../schemas/common.ts';
import { ListEntriesOut, operatorEntryDto, publicEntryDto } from '../schemas/lists.ts';

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
}, { additionalProperties: false });

export async function listRoutes(app: FastifyInstance, ctx: HttpContext) {
  app.get('/lists/:list/entries', {
    config: { auth: 'public' },
    schema: {
      tags: ['catalogue'], summary: 'entries of a list: public lists for anyone (masked identifiers, shortened names; a red list only subjects who consented), any list in full for an operator or auditor key',
      params: Type.Object({ list: Identifier('list id') }, { additionalProperties: false }),
      querystring: Type.Object({ asOf: Type.Optional(AsOf), limit: Type.Optional(Limit) }, { additionalProperties: false }),
      response: { 200: ListEntriesOut },
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
      return { list: listDto(def), asOf: iso(at), view: 'operator', consentRequired, withheld: 0, items: entries.map((e) => operatorEntryDto(def, e)) };
    }
    const { held, published: view } = await ctx.state.credence.publicListEntries(list, at, limit, [], new Consents(ctx.state.credence, ctx.access).publicationConsent);
    const published = view!; // the list is public (checked above)
    await ctx.store.appendAudit([{ at: ctx.now(), actor: req.principal?.actor ?? 'anonymous', action: 'list.read', detail: { list, entries: held, view: 'public', published: published.items.length, withheld: published.withheld } }]);
    return { list: listDto(def), asOf: iso(at), view: 'public', consentRequired, withheld: published.withheld, items: published.items.map(publicEntryDto) };
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
    schema: { tags: ['operator'], summary: 'add a list entry by hand (a listing record in the name of the responsible source)', security: secured,
      description: 'Under four eyes (CREDENCE_FOUR_EYES at init) the entry waits for a second operator: `review` names its case (POST /v1/cases/{id}/decision, approved or rejected); else `review` is null and it counts now.', params: Type.Object({ list: Identifier('list id') }, { additionalProperties: false }), body: AddIn },
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
      tags: ['operator'], summary: 'remove a list entry: a record of the type that ends the listing (e.g. a delisting)', security: secured,
      description: 'Under four eyes the removal waits for a second operator (`review` names its case); else it takes effect now.',
      params: Type.Object({ list: Identifier('list id'), source: Identifier('source id'), sourceRecordId: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
      body: RemoveIn,
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
