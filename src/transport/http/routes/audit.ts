// Auditors read the hash-chained audit log in pages and verify it end to end. The log is also
// an RFC 9162 Merkle tree: anyone may read its signed head, its public key and consistency
// proofs (hashes only); inclusion proofs carry an entry, so they are for auditors and
// operators, and for a subject token only of entries about its own subject.
import type { FastifyInstance } from 'fastify';
import { AuditLogError } from '../../../app/audit-log.ts';
import { audit, LIMITS, who, type HttpContext } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { problem } from '../problem.ts';
import {
  auditEntryDto, AuditPageOut, AuditPageQuery, auditVerifyDto, AuditVerifyOut, consistencyDto, ConsistencyProofOut, ConsistencyQuery, decisionReplayDto, DecisionReplayOut, DecisionSeqParams,
  EntrySeqParams, headDto, inclusionDto, InclusionProofOut, InclusionQuery, keyDto, LogKeyOut, SignedTreeHeadOut,
} from '../schemas/audit.ts';
import { secured } from '../schemas/common.ts';

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
      operationId: 'listAuditEntries',
      tags: ['audit'], summary: 'audit entries after a sequence number, ascending (page with next)', security: secured,
      description: 'For auditors: the hash-chained log itself, every entry with its chain hashes, a page at a time (after=<next>). Reading it is not itself logged.',
      querystring: AuditPageQuery,
      response: { 200: { ...AuditPageOut, description: 'a page of entries' } },
    },
  }, async (req) => {
    const q = req.query as { after?: number; limit?: number };
    const limit = q.limit ?? LIMITS.pageSizeDefault;
    const page = await ctx.store.readAudit(q.after ?? 0, limit);
    return { items: page.map(auditEntryDto), next: page.length === limit ? page[page.length - 1]!.seq : null };
  });
  app.get('/audit/head', {
    config: { auth: 'public' },
    schema: {
      operationId: 'getAuditTreeHead',
      tags: ['audit'], summary: 'the latest signed tree head {treeSize, timestamp, rootHash, signature} (Ed25519, key at /v1/audit/key), and the chain head it covers (seq, hash; not signed)', security: [],
      description: 'Public, no key needed. Keep the heads you read: a later head is consistent with an earlier one only if GET /v1/audit/consistency proves it, so history rewritten behind the log\'s back shows.',
      response: { 200: { ...SignedTreeHeadOut, description: 'the latest signed tree head' } },
    },
  }, async () => {
    const { head, chain } = await ctx.auditLog.head();
    return headDto(head, chain);
  });
  app.get('/audit/key', {
    config: { auth: 'public' },
    schema: {
      operationId: 'getAuditLogKey',
      tags: ['audit'], summary: 'the public key that signs tree heads (Ed25519: SPKI PEM, raw base64, key id)', security: [],
      description: 'Public, no key needed: verify the signature of a tree head with it.',
      response: { 200: { ...LogKeyOut, description: 'the log\'s public key' } },
    },
  }, async () => keyDto(ctx.auditLog.publicKey!));
  app.get('/audit/entries/:seq/proof', {
    config: { auth: ['operator', 'auditor', 'subject'] },
    schema: {
      operationId: 'getAuditInclusionProof',
      tags: ['audit'], summary: 'inclusion proof (RFC 9162 §2.1.3) of an entry in the tree of treeSize entries (default: the latest head), with the entry and its leaf hash; a subject token only for entries about its own subject', security: secured,
      description: 'For operators, auditors, and a subject token for entries about its own subject (403 FORBIDDEN_OBJECT otherwise). A read by an operator or a subject of an entry about a subject is itself logged as a read of that subject. 400 AUDIT_TREE_SIZE_INVALID when treeSize is beyond the log or smaller than seq; 404 AUDIT_ENTRY_NOT_FOUND when the log holds no entry seq.',
      params: EntrySeqParams, querystring: InclusionQuery,
      response: {
        200: { ...InclusionProofOut, description: 'the proof, with the entry' },
        400: problemResponse('AUDIT_TREE_SIZE_INVALID: the log has no tree of this size, or seq is not in it'),
        403: problemResponse('FORBIDDEN_OBJECT: a subject token reads proofs only of entries about its own subject'),
        404: problemResponse('AUDIT_ENTRY_NOT_FOUND: no audit entry has this number'),
      },
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
      operationId: 'getAuditConsistencyProof',
      tags: ['audit'], summary: 'consistency proof (RFC 9162 §2.1.4) between the trees of `from` and `to` entries (default to: the latest head); hashes only', security: [],
      description: 'Public, no key needed: proves that the tree of `to` entries extends the tree of `from` entries (a head kept earlier). 400 AUDIT_TREE_SIZE_INVALID when a size is beyond the log or from is larger than to.',
      querystring: ConsistencyQuery,
      response: {
        200: { ...ConsistencyProofOut, description: 'the proof' },
        400: problemResponse('AUDIT_TREE_SIZE_INVALID: a size is beyond the log, or from is larger than to'),
      },
    },
  }, async (req) => {
    const q = req.query as { from: number; to?: number };
    return consistencyDto(await proving(() => ctx.auditLog.consistency(q.from, q.to)));
  });
  app.post('/audit/decisions/:seq/replay', {
    config: { auth: ['auditor', 'operator'] },
    schema: {
      operationId: 'replayAuditDecision',
      tags: ['audit'], summary: 'take a logged decision again under what its entry names (subject, measure, asOf, scheme versions); same: whether the answer is unchanged', security: secured,
      description: 'For auditors and operators. The decision is taken again from the records held now, for the instant and the scheme versions its entry names; the replay is logged as a read of the subject. 404 DECISION_NOT_FOUND when the entry is not a logged decision.',
      params: DecisionSeqParams,
      response: {
        200: { ...DecisionReplayOut, description: 'the logged and the replayed answer' },
        404: problemResponse('DECISION_NOT_FOUND: the audit entry is not a logged decision'),
      },
    },
  }, async (req) => decisionReplayDto(await ctx.state.credence.replayDecision((req.params as { seq: number }).seq, { actor: req.principal?.actor ?? 'anonymous' })));
  app.get('/audit/verify', {
    config: { auth: ['auditor'] },
    schema: {
      operationId: 'verifyAuditLog',
      tags: ['audit'], summary: 'recompute every hash and link; the first broken entry and why', security: secured,
      description: 'For auditors. Recomputes every entry\'s hash and link, and checks that every stored record is covered by the ingest entry of the write that stored it. A broken log is still a 200: ok false, with AUDIT_CHAIN_BROKEN (brokenAt, reason) or AUDIT_COVERAGE_BROKEN (uncovered, miscounted, reason).',
      response: { 200: { ...AuditVerifyOut, description: 'the verification\'s result' } },
    },
  }, async () => auditVerifyDto(await ctx.state.credence.verifyAudit()));
}
