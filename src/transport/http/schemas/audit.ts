// Wire shapes of the audit log as a Merkle tree: signed tree heads, the log's public key,
// inclusion and consistency proofs (RFC 9162). Hashes are 64 lowercase hex digits; the
// signature and the raw key are base64. An entry is given exactly as its leaf hashes it.
import { Type } from '@sinclair/typebox';
import type { ConsistencyProof, InclusionProof } from '../../../app/audit-log.ts';
import type { LogVerifier, SignedTreeHead } from '../../../app/log-key.ts';

const Hash = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', description });
const Size = (description: string) => Type.Integer({ minimum: 0, description });

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
