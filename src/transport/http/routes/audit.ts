// Auditors read the hash-chained audit log in pages and verify it end to end.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { iso, LIMITS, type HttpContext } from '../context.ts';
import { Limit, secured } from '../schemas/common.ts';

export async function auditRoutes(app: FastifyInstance, ctx: HttpContext) {
  app.get('/audit', {
    config: { auth: ['auditor'] },
    schema: {
      tags: ['audit'], summary: 'audit entries after a sequence number, ascending (page with next)', security: secured,
      querystring: Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })), limit: Type.Optional(Limit) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const q = req.query as { after?: number; limit?: number };
    const limit = q.limit ?? LIMITS.pageSizeDefault;
    const page = await ctx.store.readAudit(q.after ?? 0, limit);
    return {
      items: page.map((e) => ({ seq: e.seq, at: iso(e.at), atMs: e.at, actor: e.actor, action: e.action, subject: e.subject ?? null, detail: e.detail, prevHash: e.prevHash, hash: e.hash })),
      next: page.length === limit ? page[page.length - 1]!.seq : null,
    };
  });
  app.get('/audit/head', { config: { auth: ['auditor'] }, schema: { tags: ['audit'], summary: 'the head of the chain (sequence and hash)', security: secured } }, async () => (await ctx.store.auditHead()) ?? { seq: 0, hash: null });
  app.post('/audit/decisions/:seq/replay', {
    config: { auth: ['auditor', 'operator'] },
    schema: {
      tags: ['audit'], summary: 'take a logged decision again under what its entry names (subject, measure, asOf, scheme versions); same: whether the answer is unchanged', security: secured,
      params: Type.Object({ seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'the decision id (its audit entry)' }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const r = await ctx.state.credence.replayDecision((req.params as { seq: number }).seq, { actor: req.principal?.actor ?? 'anonymous' });
    return {
      decisionId: r.decisionId, subject: r.subject, measure: r.measure, purpose: r.purpose, decidedAt: iso(r.decidedAt), asOf: iso(r.asOf), schemes: r.schemes, assumed: r.assumed,
      catalogue: r.catalogue, logged: r.logged, replayed: { outcome: r.replayed.outcome, reasons: r.replayed.reasons.map((x) => x.code) }, same: r.same,
    };
  });
  app.get('/audit/verify', {
    config: { auth: ['auditor'] },
    schema: { tags: ['audit'], summary: 'recompute every hash and link; the first broken entry and why', security: secured },
  }, async () => ctx.state.credence.verifyAudit());
}
