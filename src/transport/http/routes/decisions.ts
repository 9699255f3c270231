// Providers ask "may subject X use service Y?" for the measures they are registered for,
// with a declared purpose; the answer is allow/deny/conditions + reason codes + how to
// contest, never the records, the score or the grade (the response schemas in
// schemas/decisions.ts are the serialisers: nothing else can leave). Every answer is
// appended to the audit log by the use case.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { classifyIdentifier } from '../../../domain/identifiers.ts';
import { asOfParam, LIMITS, subjectParam, who, type HttpContext } from '../context.ts';
import { problem } from '../problem.ts';
import { AsOf, Identifier, Purpose, SchemeChoice, schemeKeys, secured, SubjectIdString } from '../schemas/common.ts';
import { DecisionBatchOut, decisionDto, DecisionOut } from '../schemas/decisions.ts';

const DecisionIn = Type.Object({
  subject: SubjectIdString,
  measure: Identifier('measure id of the catalogue', 200),
  purpose: Purpose,
  asOf: Type.Optional(AsOf),
  scheme: Type.Optional(SchemeChoice),
}, { additionalProperties: false, examples: [{ subject: '371082198503120211', measure: 'defaulter.no_g_train', purpose: 'ticket-sale' }] });

const DecisionBatchIn = Type.Object({
  subjects: Type.Array(SubjectIdString, { minItems: 1, maxItems: LIMITS.decisionBatchMax, description: `at most ${LIMITS.decisionBatchMax} subjects` }),
  measure: Identifier('measure id of the catalogue', 200),
  purpose: Purpose,
  asOf: Type.Optional(AsOf),
  scheme: Type.Optional(SchemeChoice),
}, { additionalProperties: false, examples: [{ subjects: ['371082198503120211'], measure: 'defaulter.no_g_train', purpose: 'boarding' }] });

export async function decisionRoutes(app: FastifyInstance, ctx: HttpContext) {
  async function authorise(req: FastifyRequest, measure: string, purpose: string) {
    const p = who(req);
    const provider = p.key.binding ? await ctx.access.getProvider(p.key.binding) : null;
    if (!provider || !provider.measures.includes(measure)) throw problem('FORBIDDEN_MEASURE', `provider ${p.key.binding} is not registered for measure ${measure}`);
    if (!provider.purposes.includes(purpose)) throw problem('FORBIDDEN_PURPOSE', `provider ${p.key.binding} has not declared the purpose ${purpose}`);
    if (!ctx.state.credence.catalogue.measures.has(measure)) throw problem('MEASURE_NOT_FOUND', `no measure "${measure}" in the catalogue`);
    return p;
  }

  app.post('/decisions', {
    config: { auth: ['provider'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: { tags: ['decisions'], summary: 'one decision: allow, deny or allow_with_conditions, with reasons, conditions and recourse; never a score or a grade', security: secured, body: DecisionIn, response: { 200: DecisionOut } },
  }, async (req) => {
    const b = req.body as { subject: string; measure: string; purpose: string; asOf?: string; scheme?: string };
    const p = await authorise(req, b.measure, b.purpose);
    const subject = subjectParam(ctx, b.subject, 'body/subject');
    const t0 = performance.now();
    const d = await ctx.state.credence.decide(subject, b.measure, asOfParam(b.asOf, ctx.now()), { actor: p.actor, purpose: b.purpose }, schemeKeys(b.scheme));
    ctx.metrics.decisionLatency.observe((performance.now() - t0) / 1000);
    ctx.metrics.decisions.inc({ outcome: d.outcome });
    return decisionDto(d, b.purpose);
  });

  app.post('/decisions/batch', {
    config: { auth: ['provider'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: { tags: ['decisions'], summary: `decisions for up to ${LIMITS.decisionBatchMax} subjects (e.g. a whole train)`, security: secured, body: DecisionBatchIn, response: { 200: DecisionBatchOut } },
  }, async (req) => {
    const b = req.body as { subjects: string[]; measure: string; purpose: string; asOf?: string; scheme?: string };
    const p = await authorise(req, b.measure, b.purpose);
    const legacy = new Set(ctx.options.legacyCodes);
    const errors: { path: string; message: string }[] = [];
    const ids = b.subjects.map((raw, i) => {
      const c = classifyIdentifier(raw, { legacyCodes: legacy });
      if (!c.verdict.valid) errors.push({ path: `body/subjects/${i}`, message: c.verdict.reason ?? 'invalid identifier' });
      return c.canonical;
    });
    if (errors.length > 0) throw problem('SUBJECT_ID_INVALID', `${errors.length} subject identifiers are not valid; first: ${errors[0]!.path}: ${errors[0]!.message}`, { errors: errors.slice(0, 100) });
    const t0 = performance.now();
    const ds = await ctx.state.credence.decideBatch(ids, b.measure, asOfParam(b.asOf, ctx.now()), { actor: p.actor, purpose: b.purpose }, schemeKeys(b.scheme));
    ctx.metrics.decisionLatency.observe((performance.now() - t0) / 1000);
    const counts: Record<string, number> = {};
    for (const d of ds) {
      ctx.metrics.decisions.inc({ outcome: d.outcome });
      counts[d.outcome] = (counts[d.outcome] ?? 0) + 1;
    }
    return { measure: b.measure, purpose: b.purpose, counts, items: ds.map((d) => decisionDto(d, b.purpose)) };
  });
}
