// The audit log as an RFC 9162 Merkle tree over the store's hash-chained entries: signed tree
// heads, inclusion and consistency proofs, and the check of a head saved earlier.
//
// The tree is built on read, never in the append path: an in-process cache holds every
// complete subtree (domain/merkle.ts MerkleLevels) and is extended by reading only the
// entries after its size. Before each use it checks that the last entry it holds is still
// stored unchanged, and a proof checks its own entry; if either changed behind the process's
// back, the cache is rebuilt from the store, so it always describes the stored log.
import type { AuditEntry } from '../domain/audit-chain.ts';
import { auditLeafHash, consistencyPath, hex, inclusionPath, MerkleLevels, parseHash, verifyConsistency, verifyInclusion } from '../domain/merkle.ts';
import type { Store } from '../ports/store.ts';
import { signTreeHead, verifyTreeHead, type LogSigner, type LogVerifier, type SignedTreeHead } from './log-key.ts';
import { Mutex } from './mutex.ts';

export type AuditLogCode = 'AUDIT_ENTRY_NOT_FOUND' | 'AUDIT_TREE_SIZE_INVALID';

/** A request the log cannot answer: no such entry, or a tree size it does not have. */
export class AuditLogError extends Error {
  constructor(readonly code: AuditLogCode, message: string) {
    super(message);
  }
}

export interface InclusionProof {
  /** The entry's sequence number; its leaf index is seq - 1. */
  seq: number;
  leafIndex: number;
  treeSize: number;
  /** SHA-256(0x00 || entryBytes(entry)), hex. */
  leafHash: string;
  /** MTH of the first treeSize entries, hex. */
  rootHash: string;
  /** PATH(leafIndex, D[treeSize]) of RFC 9162 §2.1.3.1, hex, in order. */
  inclusionPath: string[];
  entry: AuditEntry;
}

export interface ConsistencyProof {
  from: number;
  to: number;
  fromRoot: string;
  toRoot: string;
  /** PROOF(from, D[to]) of RFC 9162 §2.1.4.1, hex, in order. */
  consistencyPath: string[];
}

export type HeadCheck =
  | { ok: true; savedSize: number; size: number; consistencyPath: string[] }
  | { ok: false; code: 'AUDIT_SIGNATURE_INVALID' | 'AUDIT_HEAD_MISMATCH'; reason: string; savedSize: number; size: number };

/** Entries read per page while the cache catches up (each page is one short turn of the event loop). */
const PAGE = 1000;

export class AuditLog {
  private tree = new MerkleLevels();
  /** Chain head of the cached prefix: the last entry the tree holds. */
  private last: { seq: number; hash: string } | null = null;
  /** The stored head seq when the entries stopped being consecutive (entry size + 1 missing). */
  private stalledAt: number | null = null;
  private signed: SignedTreeHead | null = null;
  private readonly mutex = new Mutex();
  /** How often the cache found the stored log changed under it and was rebuilt. */
  rebuilds = 0;

  constructor(
    private readonly store: Store,
    /** Signs heads; null where the log only proves (no head is signed then). */
    private readonly key: LogSigner | null,
    private readonly now: () => number,
  ) {}

  get publicKey(): LogVerifier | null {
    return this.key;
  }

  /** Brings the tree up to the stored log and returns its size. */
  size(): Promise<number> {
    return this.mutex.run(() => this.sync());
  }

  /** The signed head of the log as stored now (signed once per tree size), and the chain head it covers. */
  head(): Promise<{ head: SignedTreeHead; chain: { seq: number; hash: string } | null }> {
    return this.mutex.run(async () => {
      if (!this.key) throw new Error('this audit log has no key to sign heads with');
      const size = await this.sync();
      const rootHash = hex(this.tree.root(size));
      if (!this.signed || this.signed.treeSize !== size || this.signed.rootHash !== rootHash) {
        this.signed = signTreeHead(this.key, { treeSize: size, timestamp: this.now(), rootHash });
      }
      return { head: this.signed, chain: this.last };
    });
  }

  /** The inclusion proof of entry `seq` in the tree of `treeSize` entries (default: the current size). */
  inclusion(seq: number, treeSize?: number): Promise<InclusionProof> {
    return this.mutex.run(async () => {
      let size = await this.sync();
      const n = treeSize ?? size;
      if (!Number.isSafeInteger(seq) || seq < 1) throw new AuditLogError('AUDIT_ENTRY_NOT_FOUND', `entry numbers start at 1, got ${seq}`);
      checkSize(n, size, 'treeSize');
      if (seq > size) throw new AuditLogError('AUDIT_ENTRY_NOT_FOUND', `there is no audit entry ${seq}: the log holds ${size} entries`);
      if (seq > n) throw new AuditLogError('AUDIT_TREE_SIZE_INVALID', `entry ${seq} is not in the tree of ${n} entries: ask for a treeSize of at least ${seq}`);
      let entry = await this.entry(seq);
      if (!auditLeafHash(entry).equals(this.tree.leaf(seq - 1))) {
        // The stored entry changed since it was read: describe the log as stored now.
        this.reset();
        size = await this.sync();
        if (seq > size || n > size) throw new AuditLogError('AUDIT_ENTRY_NOT_FOUND', `the stored log changed: it now holds ${size} consecutive entries`);
        entry = await this.entry(seq);
      }
      return {
        seq, leafIndex: seq - 1, treeSize: n,
        leafHash: hex(this.tree.leaf(seq - 1)),
        rootHash: hex(this.tree.root(n)),
        inclusionPath: inclusionPath(seq - 1, n, this.tree.subtree).map(hex),
        entry,
      };
    });
  }

  /** The consistency proof between the trees of `from` and `to` entries (default: the current size). */
  consistency(from: number, to?: number): Promise<ConsistencyProof> {
    return this.mutex.run(async () => {
      const size = await this.sync();
      const n = to ?? size;
      checkSize(n, size, 'to');
      if (!Number.isSafeInteger(from) || from < 1) throw new AuditLogError('AUDIT_TREE_SIZE_INVALID', `from must be a tree size of at least 1, got ${from} (every tree extends the empty one; a proof from 0 proves nothing)`);
      if (from > n) throw new AuditLogError('AUDIT_TREE_SIZE_INVALID', `from (${from}) is larger than to (${n})`);
      return { from, to: n, fromRoot: hex(this.tree.root(from)), toRoot: hex(this.tree.root(n)), consistencyPath: consistencyPath(from, n, this.tree.subtree).map(hex) };
    });
  }

  /**
   * Does the stored log still contain the tree a saved head describes? Checks the head's
   * signature with `key`, that the log has at least its entries, that its first treeSize
   * entries hash to its root, and that the consistency proof from it to the log verifies.
   */
  checkHead(saved: SignedTreeHead, key: LogVerifier): Promise<HeadCheck> {
    return this.mutex.run(async () => {
      const size = await this.sync();
      const m = saved.treeSize;
      const base = { savedSize: m, size };
      if (!verifyTreeHead(key, saved)) {
        return { ok: false, code: 'AUDIT_SIGNATURE_INVALID', reason: `the saved head's signature does not verify with the log key ${key.keyId.slice(0, 16)}...: it was not signed by this log, or it was changed after signing`, ...base };
      }
      if (size < m) {
        const gap = this.stalledAt !== null ? ` (entry ${size + 1} is missing)` : '';
        return { ok: false, code: 'AUDIT_HEAD_MISMATCH', reason: `the saved head covers ${m} entries, but the log now holds only ${size} consecutive entries${gap}: entries were removed or renumbered`, ...base };
      }
      if (hex(this.tree.root(m)) !== saved.rootHash) {
        return { ok: false, code: 'AUDIT_HEAD_MISMATCH', reason: `the log's first ${m} entries no longer hash to the saved head's root ${saved.rootHash.slice(0, 16)}...: entries among them were altered, removed, reordered or renumbered`, ...base };
      }
      if (m === 0) return { ok: true, consistencyPath: [], ...base };
      const path = consistencyPath(m, size, this.tree.subtree);
      const v = verifyConsistency(m, size, parseHash(saved.rootHash)!, this.tree.root(size), path);
      if (!v.ok) return { ok: false, code: 'AUDIT_HEAD_MISMATCH', reason: `the consistency proof from the saved head to the log does not verify: ${v.reason}`, ...base };
      return { ok: true, consistencyPath: path.map(hex), ...base };
    });
  }

  private async entry(seq: number): Promise<AuditEntry> {
    const [e] = await this.store.readAudit(seq - 1, 1);
    if (!e || e.seq !== seq) throw new AuditLogError('AUDIT_ENTRY_NOT_FOUND', `there is no audit entry ${seq}`);
    return e;
  }

  private reset(): void {
    this.tree = new MerkleLevels();
    this.last = null;
    this.stalledAt = null;
    this.rebuilds++;
  }

  /** Extends the tree by the entries stored after it (consecutive from its size + 1). Under the mutex. */
  private async sync(): Promise<number> {
    if (this.last) {
      const [e] = await this.store.readAudit(this.last.seq - 1, 1);
      if (!e || e.seq !== this.last.seq || e.hash !== this.last.hash) this.reset();
    }
    const head = await this.store.auditHead();
    if (!head) {
      if (this.tree.size > 0) this.reset();
      return 0;
    }
    if (this.stalledAt !== null && this.stalledAt === head.seq) return this.tree.size;
    this.stalledAt = null;
    while (this.tree.size < head.seq) {
      const page = await this.store.readAudit(this.tree.size, Math.min(PAGE, head.seq - this.tree.size));
      if (page.length === 0) break;
      for (const e of page) {
        if (e.seq !== this.tree.size + 1) {
          this.stalledAt = head.seq;
          return this.tree.size;
        }
        this.tree.append(auditLeafHash(e));
        this.last = { seq: e.seq, hash: e.hash };
      }
    }
    return this.tree.size;
  }
}

function checkSize(n: number, size: number, name: string): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new AuditLogError('AUDIT_TREE_SIZE_INVALID', `${name} must be a tree size of at least 1, got ${n}`);
  if (n > size) throw new AuditLogError('AUDIT_TREE_SIZE_INVALID', `${name} ${n} is beyond the log, which holds ${size} entries`);
}

// Saved heads and proofs, as a verifier reads them back from files.

export class SavedFileError extends Error {}

const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** A signed tree head as saved by `credence audit head --out` or from GET /v1/audit/head. */
export function parseSignedHead(text: string, where: string): SignedTreeHead {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new SavedFileError(`${where}: not JSON: ${(err as Error).message}`);
  }
  if (j === null || typeof j !== 'object' || Array.isArray(j)) throw new SavedFileError(`${where}: a signed head is a JSON object`);
  if (!isCount(j.treeSize)) throw new SavedFileError(`${where}: treeSize must be a whole number >= 0`);
  if (!isCount(j.timestamp)) throw new SavedFileError(`${where}: timestamp must be milliseconds since 1970 (a whole number)`);
  if (parseHash(j.rootHash) === null) throw new SavedFileError(`${where}: rootHash must be 64 lowercase hex digits`);
  if (typeof j.signature !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(j.signature)) throw new SavedFileError(`${where}: signature must be a 64-byte Ed25519 signature in base64`);
  if (j.keyId !== undefined && (typeof j.keyId !== 'string' || !/^[0-9a-f]{64}$/.test(j.keyId))) throw new SavedFileError(`${where}: keyId, when present, is 64 lowercase hex digits`);
  return { treeSize: j.treeSize, timestamp: j.timestamp, rootHash: j.rootHash as string, signature: j.signature, keyId: (j.keyId as string | undefined) ?? '' };
}

/** An inclusion proof as saved from GET /v1/audit/entries/{seq}/proof or `credence audit prove --json`. */
export function parseInclusionProof(text: string, where: string): InclusionProof {
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new SavedFileError(`${where}: not JSON: ${(err as Error).message}`);
  }
  if (j === null || typeof j !== 'object' || Array.isArray(j)) throw new SavedFileError(`${where}: an inclusion proof is a JSON object`);
  if (!isCount(j.treeSize) || j.treeSize < 1) throw new SavedFileError(`${where}: treeSize must be a whole number >= 1`);
  if (!isCount(j.leafIndex)) throw new SavedFileError(`${where}: leafIndex must be a whole number >= 0`);
  if (!Array.isArray(j.inclusionPath) || j.inclusionPath.some((h) => parseHash(h) === null)) throw new SavedFileError(`${where}: inclusionPath must be a list of hashes (64 lowercase hex digits each)`);
  if (j.leafHash !== undefined && parseHash(j.leafHash) === null) throw new SavedFileError(`${where}: leafHash must be 64 lowercase hex digits`);
  const e = j.entry as Record<string, unknown> | undefined;
  if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new SavedFileError(`${where}: entry (the audit entry the proof is about) is missing`);
  if (!isCount(e.seq) || e.seq < 1) throw new SavedFileError(`${where}: entry.seq must be a whole number >= 1`);
  if (typeof e.at !== 'number' || !Number.isFinite(e.at)) throw new SavedFileError(`${where}: entry.at must be milliseconds since 1970 (a number)`);
  for (const f of ['actor', 'action'] as const) if (typeof e[f] !== 'string') throw new SavedFileError(`${where}: entry.${f} must be a string`);
  if (e.subject !== undefined && e.subject !== null && typeof e.subject !== 'string') throw new SavedFileError(`${where}: entry.subject must be a string or null`);
  if (e.detail === null || typeof e.detail !== 'object' || Array.isArray(e.detail)) throw new SavedFileError(`${where}: entry.detail must be an object`);
  if (parseHash(e.prevHash) === null) throw new SavedFileError(`${where}: entry.prevHash must be 64 lowercase hex digits`);
  const entry: AuditEntry = { seq: e.seq, at: e.at, actor: e.actor as string, action: e.action as string, detail: e.detail as Record<string, unknown>, prevHash: e.prevHash as string, hash: typeof e.hash === 'string' ? e.hash : '' };
  if (typeof e.subject === 'string') entry.subject = e.subject;
  return {
    seq: e.seq, leafIndex: j.leafIndex, treeSize: j.treeSize,
    leafHash: (j.leafHash as string | undefined) ?? '', rootHash: typeof j.rootHash === 'string' ? j.rootHash : '',
    inclusionPath: j.inclusionPath as string[], entry,
  };
}

export type ProofCheck = { ok: true; leafHash: string } | { ok: false; code: 'AUDIT_SIGNATURE_INVALID' | 'AUDIT_HEAD_MISMATCH' | 'AUDIT_PROOF_INVALID'; reason: string };

/**
 * Offline: does a saved inclusion proof show its entry in the log a saved signed head
 * describes? Needs only the head, the proof and the log's public key. The leaf hash is
 * computed from the entry, never taken from the proof.
 */
export function checkInclusionProof(head: SignedTreeHead, proof: InclusionProof, key: LogVerifier): ProofCheck {
  if (head.keyId && head.keyId !== key.keyId) return { ok: false, code: 'AUDIT_SIGNATURE_INVALID', reason: `the head names key ${head.keyId.slice(0, 16)}..., but the key given is ${key.keyId.slice(0, 16)}...` };
  if (!verifyTreeHead(key, head)) return { ok: false, code: 'AUDIT_SIGNATURE_INVALID', reason: 'the head\'s signature does not verify with this key: it was not signed by the log, or it was changed after signing' };
  if (proof.treeSize !== head.treeSize) return { ok: false, code: 'AUDIT_HEAD_MISMATCH', reason: `the proof is for the tree of ${proof.treeSize} entries, the head for ${head.treeSize}: fetch the proof with treeSize=${head.treeSize}` };
  if (proof.entry.seq !== proof.leafIndex + 1) return { ok: false, code: 'AUDIT_PROOF_INVALID', reason: `entry ${proof.entry.seq} is leaf ${proof.entry.seq - 1}, but the proof is for leaf ${proof.leafIndex}` };
  const leaf = auditLeafHash(proof.entry);
  if (proof.leafHash && proof.leafHash !== hex(leaf)) return { ok: false, code: 'AUDIT_PROOF_INVALID', reason: `the proof's leafHash is not the hash of its entry (computed ${hex(leaf).slice(0, 16)}...): the entry was changed` };
  const v = verifyInclusion(proof.leafIndex, head.treeSize, leaf, proof.inclusionPath.map((h) => parseHash(h)!), parseHash(head.rootHash)!);
  if (!v.ok) return { ok: false, code: 'AUDIT_PROOF_INVALID', reason: `entry ${proof.entry.seq} is not shown in the head's tree: ${v.reason}` };
  return { ok: true, leafHash: hex(leaf) };
}
