// Providers ask "may subject X use service Y?" for the measures they are registered for,
// with a purpose of the catalogue that the measure declares (a consent purpose with the
// subject's consent token: app/consent.ts); the answer is allow/deny/conditions + reason codes + how to
// contest, never the records, the score or the grade (the response schemas in
// schemas/decisions.ts are the serialisers: nothing else can leave). Every answer is
// appended to the audit log by the use case.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { classifyIdentifier } from '../../../domain/identifiers.ts';
import { Consents, type Lookup } from '../../../app/consent.ts';
import { asOfParam, LIMITS, subjectParam, who, type HttpContext, type Principal } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { AsOf, Identifier, Purpose, SchemeChoice, schemeKeys, secured, SubjectIdString } from '../schemas/common.ts';
import { DecisionBatchOut, decisionDto, DecisionOut } from '../schemas/decisions.ts';

const Consent = Type.String({ minLength: 1, maxLength: 80, description: 'the consent token the subject issued to this provider for this purpose and measure (crd_cns_...); required when the purpose is of kind consent' });

const DecisionIn = Type.Object({
  subject: SubjectIdString,
  measure: Identifier('measure id of the catalogue', 200),
  purpose: Purpose,
  consent: Type.Optional(Consent),
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
  const consents = () => new Consents(ctx.state.credence, ctx.access);
  async function lookup(req: FastifyRequest, measure: string, purpose: string, asOf: number | undefined): Promise<{ p: Principal; l: Lookup }> {
    const p = who(req);
    const provider = p.key.binding ? await ctx.access.getProvider(p.key.binding) : null;
    return { p, l: { provider, providerId: p.key.binding, measure, purpose, ...(asOf !== undefined ? { asOf } : {}) } };
  }
  const asker = (p: Principal, l: Lookup, purpose: string, consent: string | null = null) => ({ actor: p.actor, purpose, provider: { id: l.provider!.id, name: l.provider!.name }, consent });

  app.post('/decisions', {
    config: { auth: ['provider'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      operationId: 'createDecision',
      tags: ['decisions'], summary: 'one decision: allow, deny or allow_with_conditions, with reasons, conditions and recourse; never a score or a grade', security: secured,
      description: 'For provider keys, for a measure the provider is registered for and a purpose of the catalogue that the measure declares; a consent purpose needs the subject\'s consent token. The answer and who asked are logged (decisionId); the subject can dispute it. 400 SUBJECT_ID_INVALID, PURPOSE_UNKNOWN, REQUEST_INVALID (a malformed asOf); 403 FORBIDDEN_MEASURE or FORBIDDEN_PURPOSE (the provider is not registered for it), PURPOSE_NOT_DECLARED, AS_OF_NOT_ALLOWED (a past asOf for a present-only purpose), CONSENT_REQUIRED, CONSENT_INVALID; 404 MEASURE_NOT_FOUND, SCHEME_NOT_FOUND (a scheme version that is not published).',
      body: DecisionIn,
      response: {
        200: DecisionOut,
        403: problemResponse('FORBIDDEN_MEASURE, FORBIDDEN_PURPOSE, PURPOSE_NOT_DECLARED, AS_OF_NOT_ALLOWED, CONSENT_REQUIRED or CONSENT_INVALID: this provider may not ask this (see the code)'),
        404: problemResponse('MEASURE_NOT_FOUND or SCHEME_NOT_FOUND'),
      },
    },
  }, async (req) => {
    const b = req.body as { subject: string; measure: string; purpose: string; consent?: string; asOf?: string; scheme?: string };
    const at = asOfParam(b.asOf, ctx.now());
    const { p, l } = await lookup(req, b.measure, b.purpose, b.asOf === undefined ? undefined : at);
    const subject = subjectParam(ctx, b.subject, 'body/subject');
    const { consent } = await consents().admit(subject, l, b.consent);
    const t0 = performance.now();
    const d = await ctx.state.credence.decide(subject, b.measure, at, asker(p, l, b.purpose, consent), schemeKeys(b.scheme));
    ctx.metrics.decisionLatency.observe((performance.now() - t0) / 1000);
    ctx.metrics.decisions.inc({ outcome: d.outcome });
    return decisionDto(d, b.purpose);
  });

  app.post('/decisions/batch', {
    config: { auth: ['provider'] },
    bodyLimit: LIMITS.bodyBytesMax,
    schema: {
      operationId: 'createDecisionBatch',
      tags: ['decisions'], summary: `decisions for up to ${LIMITS.decisionBatchMax} subjects (e.g. a whole train)`, security: secured,
      description: 'For provider keys, as POST /v1/decisions. Each valid subject is decided and logged as if asked alone; a malformed identifier does not fail the batch: it is answered in `errors` with its index and what is wrong. Not for consent purposes (403 CONSENT_REQUIRED): each subject consents for itself. 400 PURPOSE_UNKNOWN, REQUEST_INVALID; 403 FORBIDDEN_MEASURE, FORBIDDEN_PURPOSE, PURPOSE_NOT_DECLARED, AS_OF_NOT_ALLOWED; 404 MEASURE_NOT_FOUND, SCHEME_NOT_FOUND.',
      body: DecisionBatchIn,
      response: {
        200: DecisionBatchOut,
        403: problemResponse('CONSENT_REQUIRED (a consent purpose: ask one subject at a time), FORBIDDEN_MEASURE, FORBIDDEN_PURPOSE, PURPOSE_NOT_DECLARED or AS_OF_NOT_ALLOWED'),
        404: problemResponse('MEASURE_NOT_FOUND or SCHEME_NOT_FOUND'),
      },
    },
  }, async (req) => {
    const b = req.body as { subjects: string[]; measure: string; purpose: string; asOf?: string; scheme?: string };
    const at = asOfParam(b.asOf, ctx.now());
    const { p, l } = await lookup(req, b.measure, b.purpose, b.asOf === undefined ? undefined : at);
    consents().authoriseBatch(l);
    // A malformed identifier is answered in `errors` with its index; the others are decided.
    const legacy = new Set(ctx.options.legacyCodes);
    const errors: { index: number; subject: string; code: 'SUBJECT_ID_INVALID'; message: string }[] = [];
    const valid: { index: number; id: string }[] = [];
    b.subjects.forEach((raw, index) => {
      const c = classifyIdentifier(raw, { legacyCodes: legacy });
      if (c.verdict.valid) valid.push({ index, id: c.canonical });
      else errors.push({ index, subject: raw, code: 'SUBJECT_ID_INVALID', message: `body/subjects/${index}: ${c.verdict.reason ?? 'invalid identifier'}` });
    });
    const t0 = performance.now();
    const ds = valid.length === 0 ? [] : await ctx.state.credence.decideBatch(valid.map((v) => v.id), b.measure, at, asker(p, l, b.purpose), schemeKeys(b.scheme));
    ctx.metrics.decisionLatency.observe((performance.now() - t0) / 1000);
    const counts: Record<string, number> = {};
    for (const d of ds) {
      ctx.metrics.decisions.inc({ outcome: d.outcome });
      counts[d.outcome] = (counts[d.outcome] ?? 0) + 1;
    }
    if (errors.length > 0) counts.error = errors.length;
    return { measure: b.measure, purpose: b.purpose, counts, items: ds.map((d, i) => ({ index: valid[i]!.index, ...decisionDto(d, b.purpose) })), errors };
  });
}
