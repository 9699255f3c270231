// Wire shapes of the audit log: its pages and its verification, the replay of a logged
// decision, and the log as a Merkle tree: signed tree heads, the log's public key, inclusion
// and consistency proofs (RFC 9162). Hashes are 64 lowercase hex digits; the signature and the
// raw key are base64. An entry in a proof is given exactly as its leaf hashes it.
import { Type, type Static } from '@sinclair/typebox';
import type { ConsistencyProof, InclusionProof } from '../../../app/audit-log.ts';
import type { Credence } from '../../../app/credence.ts';
import type { LogVerifier, SignedTreeHead } from '../../../app/log-key.ts';
import type { AuditEntry } from '../../../domain/audit-chain.ts';
import { iso, LIMITS } from '../context.ts';
import { IsoTime, Limit, Nullable, StringEnum } from './common.ts';

const Hash = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', description });
const Size = (description: string) => Type.Integer({ minimum: 0, description });
const Seq = (description: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });
const Detail = Type.Object({}, { additionalProperties: true, description: 'what the entry records (a JSON object, as logged; its keys depend on the action)' });

export const SignedTreeHeadOut = Type.Object({
  treeSize: Size('number of entries the tree covers (entries 1..treeSize)'),
  timestamp: Type.Integer({ description: 'when the head was signed, milliseconds since 1970-01-01T00:00:00Z' }),
  rootHash: Hash('RFC 9162 Merkle tree hash of the first treeSize entries'),
  signature: Type.String({ description: 'Ed25519 signature (base64) of the UTF-8 bytes {"rootHash":"<hex>","timestamp":<ms>,"treeSize":<n>} (keys sorted, no spaces)' }),
  keyId: Hash('SHA-256 of the raw public key that signed (GET /v1/audit/key); not signed'),
  seq: Size('not signed: the hash chain\'s head at treeSize (its last entry\'s sequence number, = treeSize)'),
  hash: Type.Unsafe<string | null>({ type: 'string', nullable: true, pattern: '^[0-9a-f]{64}$', description: 'not signed: the chain hash of entry seq; null for an empty log' }),
}, { additionalProperties: false });

export const LogKeyOut = Type.Object({
  algorithm: Type.Literal('Ed25519'),
  pem: Type.String({ description: 'the public key, SPKI PEM' }),
  raw: Type.String({ description: 'the 32-byte public key (RFC 8032), base64' }),
  keyId: Hash('SHA-256 of the raw key; a signed head names it'),
}, { additionalProperties: false });

export const AuditEntryLeafOut = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  at: Type.Integer({ description: 'milliseconds since 1970 (as hashed)' }),
  actor: Type.String(),
  action: Type.String(),
  subject: Type.Unsafe<string | null>({ type: 'string', nullable: true }),
  detail: Type.Unknown({ description: 'a JSON object, as logged' }),
  prevHash: Hash('chain hash of the previous entry (zeros for entry 1)'),
  hash: Hash('chain hash: SHA-256 of the leaf bytes'),
}, { additionalProperties: false, description: 'the leaf bytes are the UTF-8 canonical JSON (keys sorted at every level, no spaces) of {seq, at, actor, action, subject, detail, prevHash}' });

export const InclusionProofOut = Type.Object({
  seq: Type.Integer({ minimum: 1 }),
  leafIndex: Type.Integer({ minimum: 0, description: 'seq - 1' }),
  treeSize: Type.Integer({ minimum: 1 }),
  leafHash: Hash('SHA-256(0x00 || leaf bytes)'),
  rootHash: Hash('root of the tree of treeSize entries'),
  inclusionPath: Type.Array(Hash('a node hash'), { description: 'RFC 9162 §2.1.3.1 PATH(leafIndex, D[treeSize]), verify by §2.1.3.2' }),
  entry: AuditEntryLeafOut,
}, { additionalProperties: false });

export const ConsistencyProofOut = Type.Object({
  from: Type.Integer({ minimum: 1 }),
  to: Type.Integer({ minimum: 1 }),
  fromRoot: Hash('root of the tree of `from` entries'),
  toRoot: Hash('root of the tree of `to` entries'),
  consistencyPath: Type.Array(Hash('a node hash'), { description: 'RFC 9162 §2.1.4.1 PROOF(from, D[to]), verify by §2.1.4.2' }),
}, { additionalProperties: false });

export const headDto = (h: SignedTreeHead, chain: { seq: number; hash: string } | null) => ({
  treeSize: h.treeSize, timestamp: h.timestamp, rootHash: h.rootHash, signature: h.signature, keyId: h.keyId, seq: chain?.seq ?? 0, hash: chain?.hash ?? null,
});
export const keyDto = (k: LogVerifier) => ({ algorithm: 'Ed25519' as const, pem: k.pem, raw: k.raw, keyId: k.keyId });
export const inclusionDto = (p: InclusionProof) => ({
  seq: p.seq, leafIndex: p.leafIndex, treeSize: p.treeSize, leafHash: p.leafHash, rootHash: p.rootHash, inclusionPath: p.inclusionPath,
  entry: { seq: p.entry.seq, at: p.entry.at, actor: p.entry.actor, action: p.entry.action, subject: p.entry.subject ?? null, detail: p.entry.detail, prevHash: p.entry.prevHash, hash: p.entry.hash },
});
export const consistencyDto = (p: ConsistencyProof) => ({ from: p.from, to: p.to, fromRoot: p.fromRoot, toRoot: p.toRoot, consistencyPath: p.consistencyPath });

// ---------------------------------------------------------------------------------------
// Requests

export const AuditPageQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'the `next` of the previous page: entries after this sequence number (default 0)' })),
  limit: Type.Optional(Limit),
}, { additionalProperties: false });
export const EntrySeqParams = Type.Object({ seq: Seq('the entry\'s sequence number (leaf seq - 1)') }, { additionalProperties: false });
export const InclusionQuery = Type.Object({ treeSize: Type.Optional(Seq('the tree size of a head the caller holds; at least seq')) }, { additionalProperties: false });
export const ConsistencyQuery = Type.Object({ from: Seq('the tree size of the older head'), to: Type.Optional(Seq('the tree size of the newer head (default: the latest)')) }, { additionalProperties: false });
export const DecisionSeqParams = Type.Object({ seq: Seq('the decision id (its audit entry)') }, { additionalProperties: false });

// ---------------------------------------------------------------------------------------
// The log read in pages, verified, and a decision replayed

export const AuditEntryOut = Type.Object({
  seq: Type.Integer({ minimum: 1, description: 'the entry\'s sequence number' }),
  at: IsoTime('when the entry was appended'),
  atMs: Type.Integer({ description: 'the same instant in milliseconds since 1970 (as hashed)' }),
  actor: Type.String({ description: 'who acted (key:<id>, cli:<user>, system)' }),
  action: Type.String({ description: 'what was done (decision, records.ingest, subject.read, dispute.open, ...)' }),
  subject: Nullable(Type.String({ description: 'the subject the entry is about, or null' })),
  detail: Detail,
  prevHash: Hash('chain hash of the previous entry (zeros for entry 1)'),
  hash: Hash('chain hash of this entry'),
}, { additionalProperties: false });

export const AuditPageOut = Type.Object({
  items: Type.Array(AuditEntryOut, { description: 'entries in ascending seq' }),
  next: Nullable(Type.Integer({ description: 'pass as after= for the next page; null when this page was not full' })),
}, {
  additionalProperties: false,
  description: `a page of the audit log (at most ${LIMITS.pageSizeMax} entries)`,
  examples: [{
    items: [{ seq: 1, at: '2026-03-01T09:30:00.000Z', atMs: 1772357400000, actor: 'key:k_source1', action: 'records.ingest', subject: null, detail: { accepted: 1, duplicates: 0, rejected: 0 }, prevHash: '0'.repeat(64), hash: 'a3f1c2'.padEnd(64, '0') }],
    next: null,
  }],
});

export const auditEntryDto = (e: AuditEntry): Static<typeof AuditEntryOut> => ({
  seq: e.seq, at: iso(e.at)!, atMs: e.at, actor: e.actor, action: e.action, subject: e.subject ?? null, detail: e.detail, prevHash: e.prevHash, hash: e.hash,
});

const Miscount = Type.Object({
  entry: Type.Integer({ description: 'the ingest entry' }),
  says: Type.Integer({ description: 'records it says it stored (less those purged under retention)' }),
  found: Type.Integer({ description: 'records stored under it' }),
}, { additionalProperties: false });

export const AuditVerifyOut = Type.Object({
  ok: Type.Boolean({ description: 'true: every hash and link verifies and every stored record is covered by its ingest entry' }),
  code: Type.Optional(StringEnum(['AUDIT_CHAIN_BROKEN', 'AUDIT_COVERAGE_BROKEN'] as const, 'when not ok: a hash or link is broken, or stored records and ingest entries disagree')),
  count: Type.Integer({ minimum: 0, description: 'entries verified' }),
  records: Type.Optional(Type.Integer({ minimum: 0, description: 'stored records checked for coverage (absent when the chain is broken)' })),
  brokenAt: Type.Optional(Type.Integer({ minimum: 1, description: 'AUDIT_CHAIN_BROKEN: the first entry that does not verify' })),
  reason: Type.Optional(Type.String({ description: 'when not ok: what is wrong' })),
  uncovered: Type.Optional(Type.Array(Type.String(), { description: 'AUDIT_COVERAGE_BROKEN: up to 10 ids of records no ingest entry covers' })),
  miscounted: Type.Optional(Type.Array(Miscount, { description: 'AUDIT_COVERAGE_BROKEN: up to 10 ingest entries that name another number of records than are stored under them' })),
  head: Type.Optional(Type.Unsafe<string | null>({ type: 'string', nullable: true, pattern: '^[0-9a-f]{64}$', description: 'when ok: the chain hash of the last entry; null for an empty log' })),
}, {
  additionalProperties: false,
  description: 'the result of verifying the log end to end: ok with count, records and head; or not ok with a code, the place and the reason',
  examples: [{ ok: true, count: 42, records: 17, head: 'a3f1c2'.padEnd(64, '0') }, { ok: false, code: 'AUDIT_CHAIN_BROKEN', count: 6, brokenAt: 7, reason: 'entry 7 was altered (hash mismatch)' }],
});

type Verified = Awaited<ReturnType<Credence['verifyAudit']>>;
export const auditVerifyDto = (v: Verified): Static<typeof AuditVerifyOut> => {
  if (v.ok) return { ok: true, count: v.count, records: v.records, head: v.head };
  if (v.code === 'AUDIT_CHAIN_BROKEN') return { ok: false, code: v.code, count: v.count, brokenAt: v.brokenAt, reason: v.reason };
  return { ok: false, code: v.code, count: v.count, records: v.records, reason: v.reason, uncovered: [...v.uncovered], miscounted: v.miscounted.map((m) => ({ entry: m.entry, says: m.says, found: m.found })) };
};

export const DecisionReplayOut = Type.Object({
  decisionId: Type.Integer({ minimum: 1, description: 'the decision (its audit entry)' }),
  subject: Type.String(),
  measure: Type.String(),
  purpose: Type.String(),
  decidedAt: IsoTime('when the decision was taken'),
  asOf: IsoTime('the instant it was decided for (and is decided for again)'),
  schemes: Type.Array(Type.String(), { description: 'the scheme versions evaluated (ID@VERSION)' }),
  assumed: Type.Boolean({ description: 'true when asOf and the versions were not logged (an entry from an earlier release) and were inferred' }),
  catalogue: Type.Object({
    logged: Nullable(Type.String({ description: 'the catalogue version the decision was taken under, or null when not logged' })),
    now: Type.String({ description: 'the catalogue version in force now, under which it is taken again' }),
  }, { additionalProperties: false }),
  logged: Type.Object({
    outcome: Type.String({ description: 'the outcome logged' }),
    reasons: Type.Array(Type.String(), { description: 'the reason codes logged' }),
  }, { additionalProperties: false }),
  replayed: Type.Object({
    outcome: StringEnum(['allow', 'deny', 'allow_with_conditions'] as const, 'the outcome now'),
    reasons: Type.Array(Type.String(), { description: 'the reason codes now' }),
  }, { additionalProperties: false }),
  same: Type.Boolean({ description: 'whether the outcome and the reason codes are unchanged' }),
}, {
  additionalProperties: false,
  description: 'a logged decision taken again: what was answered and what is answered now (outcome and reason codes; never a score or a grade)',
  examples: [{
    decisionId: 12, subject: '371082198503120211', measure: 'defaulter.no_g_train', purpose: 'ticket-sale', decidedAt: '2026-03-01T09:30:00.000Z', asOf: '2026-03-01T09:30:00.000Z',
    schemes: ['rongcheng@1'], assumed: false, catalogue: { logged: '2026.1', now: '2026.1' },
    logged: { outcome: 'deny', reasons: ['LIST_ENTRY'] }, replayed: { outcome: 'deny', reasons: ['LIST_ENTRY'] }, same: true,
  }],
});

type Replayed = Awaited<ReturnType<Credence['replayDecision']>>;
export const decisionReplayDto = (r: Replayed): Static<typeof DecisionReplayOut> => ({
  decisionId: r.decisionId, subject: r.subject, measure: r.measure, purpose: r.purpose, decidedAt: iso(r.decidedAt)!, asOf: iso(r.asOf)!, schemes: [...r.schemes], assumed: r.assumed,
  catalogue: { logged: r.catalogue.logged, now: r.catalogue.now }, logged: { outcome: r.logged.outcome, reasons: [...r.logged.reasons] },
  replayed: { outcome: r.replayed.outcome, reasons: r.replayed.reasons.map((x) => x.code) }, same: r.same,
});
