// Auditors read the hash-chained audit log in pages and verify it end to end. The log is also
// an RFC 9162 Merkle tree: anyone may read its signed head, its public key and consistency
// proofs (hashes only); inclusion proofs carry an entry, so they are for auditors and
// operators, and for a subject token only of entries about its own subject.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AuditLogError } from '../../../app/audit-log.ts';
import { audit, iso, LIMITS, who, type HttpContext } from '../context.ts';
import { problem } from '../problem.ts';
import { consistencyDto, ConsistencyProofOut, headDto, inclusionDto, InclusionProofOut, keyDto, LogKeyOut, SignedTreeHeadOut } from '../schemas/audit.ts';
import { Limit, Problem, secured } from '../schemas/common.ts';

const Seq = (description: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

/** The log's refusals as problems (a size it does not have: 400; an entry it does not hold: 404). */
async function proving<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AuditLogError) throw problem(err.code, err.message);
    throw err;
  }
}

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
  app.get('/audit/head', {
    config: { auth: 'public' },
    schema: {
      tags: ['audit'], summary: 'the latest signed tree head {treeSize, timestamp, rootHash, signature} (Ed25519, key at /v1/audit/key), and the chain head it covers (seq, hash; not signed)', security: [],
      response: { 200: SignedTreeHeadOut },
    },
  }, async () => {
    const { head, chain } = await ctx.auditLog.head();
    return headDto(head, chain);
  });
  app.get('/audit/key', {
    config: { auth: 'public' },
    schema: { tags: ['audit'], summary: 'the public key that signs tree heads (Ed25519: SPKI PEM, raw base64, key id)', security: [], response: { 200: LogKeyOut } },
  }, async () => keyDto(ctx.auditLog.publicKey!));
  app.get('/audit/entries/:seq/proof', {
    config: { auth: ['operator', 'auditor', 'subject'] },
    schema: {
      tags: ['audit'], summary: 'inclusion proof (RFC 9162 §2.1.3) of an entry in the tree of treeSize entries (default: the latest head), with the entry and its leaf hash; a subject token only for entries about its own subject', security: secured,
      params: Type.Object({ seq: Seq('the entry\'s sequence number (leaf seq - 1)') }, { additionalProperties: false }),
      querystring: Type.Object({ treeSize: Type.Optional(Seq('the tree size of a head the caller holds; at least seq')) }, { additionalProperties: false }),
      response: { 200: InclusionProofOut, 400: Problem, 403: Problem, 404: Problem },
    },
  }, async (req) => {
    const p = who(req);
    const seq = (req.params as { seq: number }).seq;
    const proof = await proving(() => ctx.auditLog.inclusion(seq, (req.query as { treeSize?: number }).treeSize));
    const subject = proof.entry.subject;
    if (p.role === 'subject' && subject !== p.key.binding) throw problem('FORBIDDEN_OBJECT', 'a subject token reads proofs only of entries about its own subject');
    // The entry tells what was done about its subject: a read of the subject's data (auditors
    // read the log itself, unlogged, as GET /audit).
    if (subject !== undefined && p.role !== 'auditor') await audit(ctx, req, 'subject.read', { route: req.routeOptions.url ?? req.url, entry: seq }, subject);
    return inclusionDto(proof);
  });
  app.get('/audit/consistency', {
    config: { auth: 'public' },
    schema: {
      tags: ['audit'], summary: 'consistency proof (RFC 9162 §2.1.4) between the trees of `from` and `to` entries (default to: the latest head); hashes only', security: [],
      querystring: Type.Object({ from: Seq('the tree size of the older head'), to: Type.Optional(Seq('the tree size of the newer head (default: the latest)')) }, { additionalProperties: false }),
      response: { 200: ConsistencyProofOut, 400: Problem },
    },
  }, async (req) => {
    const q = req.query as { from: number; to?: number };
    return consistencyDto(await proving(() => ctx.auditLog.consistency(q.from, q.to)));
  });
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
