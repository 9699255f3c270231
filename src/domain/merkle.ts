// The audit log as a Merkle tree, exactly as RFC 9162 (Certificate Transparency 2.0) §2.1
// defines it: leaf hash SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right), the
// tree of n leaves split at the largest power of two smaller than n, the empty tree's hash
// SHA-256(""). Inclusion proofs (§2.1.3) and consistency proofs (§2.1.4) are generated from
// any function giving the hash of a subtree, and verified by the RFC's algorithms as written.
// The leaf of audit entry `seq` is leaf index seq - 1; its bytes are the canonical JSON the
// hash chain hashes (audit-chain.ts entryBytes). Pure: no I/O, no clock.
import { createHash } from 'node:crypto';
import { canonicalJson, entryBytes, type AuditEntry } from './audit-chain.ts';

export const HASH_SIZE = 32;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** MTH({}) = SHA-256() */
export const EMPTY_ROOT: Buffer = sha256();

/** MTH({d}) = SHA-256(0x00 || d) */
export const leafHash = (leaf: Uint8Array): Buffer => sha256(LEAF_PREFIX, leaf);

/** SHA-256(0x01 || left || right) */
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => sha256(NODE_PREFIX, left, right);

/** The Merkle leaf hash of an audit entry (leaf index entry.seq - 1). */
export const auditLeafHash = (e: Omit<AuditEntry, 'hash'>): Buffer => leafHash(entryBytes(e));

/** The largest power of two smaller than n (n >= 2), the split point k of §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number): boolean => n >= 1 && Number.isInteger(Math.log2(n)) && 2 ** Math.log2(n) === n;
const isSize = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** MTH(D[start:end]) for the leaves of a tree; the generators below ask only for subtrees of the §2.1.1 shape. */
export type SubtreeHash = (start: number, end: number) => Uint8Array;

/** MTH(D[n]) over leaf hashes, recursively as §2.1.1 defines it. */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Buffer {
  const mth = (start: number, end: number): Buffer => {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT;
    if (n === 1) return Buffer.from(leafHashes[start]!);
    const k = splitPoint(n);
    return nodeHash(mth(start, start + k), mth(start + k, end));
  };
  return mth(0, leafHashes.length);
}

/**
 * The inclusion proof of leaf `index` in the tree of `size` leaves, PATH(m, D[n]) of §2.1.3.1:
 * PATH(0, {d0}) = {}; for n > 1 and k the largest power of two smaller than n,
 * PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k, else PATH(m - k, D[k:n]) : MTH(D[0:k]).
 */
export function inclusionPath(index: number, size: number, subtree: SubtreeHash): Uint8Array[] {
  if (!isSize(size) || !isSize(index) || index >= size) throw new RangeError(`leaf index ${index} is not in a tree of ${size} leaves`);
  const path = (m: number, start: number, end: number): Uint8Array[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, start, start + k), subtree(start + k, end)]
      : [...path(m - k, start + k, end), subtree(start, start + k)];
  };
  return path(index, 0, size);
}

/**
 * The consistency proof between the trees of `first` and `second` leaves, PROOF(m, D[n]) =
 * SUBPROOF(m, D[n], true) of §2.1.4.1 (defined for 0 < m <= n; the proof of a tree and itself
 * is empty): SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}; for m < n
 * and k the largest power of two smaller than n, SUBPROOF(m, D[n], b) =
 * SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) if m <= k, else SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
 */
export function consistencyPath(first: number, second: number, subtree: SubtreeHash): Uint8Array[] {
  if (!isSize(first) || !isSize(second) || first < 1 || first > second) throw new RangeError(`no consistency proof from size ${first} to size ${second} (needs 1 <= first <= second)`);
  const sub = (m: number, start: number, end: number, b: boolean): Uint8Array[] => {
    const n = end - start;
    if (m === n) return b ? [] : [subtree(start, end)];
    const k = splitPoint(n);
    return m <= k
      ? [...sub(m, start, start + k, b), subtree(start + k, end)]
      : [...sub(m - k, start + k, end, false), subtree(start, start + k)];
  };
  return sub(first, 0, second, true);
}

export type ProofVerdict = { ok: true } | { ok: false; reason: string };
const fail = (reason: string): ProofVerdict => ({ ok: false, reason });
const badHashes = (hashes: readonly Uint8Array[]): number => hashes.findIndex((h) => !(h instanceof Uint8Array) || h.length !== HASH_SIZE);
const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.compare(a, b) === 0;
const lsb = (x: number): boolean => x % 2 === 1;
const shift = (x: number): number => Math.floor(x / 2);

/**
 * §2.1.3.2, step by step: verifies that `hash` (a leaf hash) is leaf `leafIndex` of the tree
 * of `treeSize` leaves whose root is `rootHash`.
 */
export function verifyInclusion(leafIndex: number, treeSize: number, hash: Uint8Array, inclusionPathIn: readonly Uint8Array[], rootHash: Uint8Array): ProofVerdict {
  if (!isSize(leafIndex) || !isSize(treeSize)) return fail('the leaf index and the tree size must be whole numbers');
  if (hash.length !== HASH_SIZE || rootHash.length !== HASH_SIZE) return fail(`the leaf hash and the root hash must be ${HASH_SIZE} bytes`);
  const bad = badHashes(inclusionPathIn);
  if (bad >= 0) return fail(`inclusion path element ${bad} is not a ${HASH_SIZE}-byte hash`);
  // 1. leaf_index >= tree_size fails.
  if (leafIndex >= treeSize) return fail(`leaf index ${leafIndex} is not below the tree size ${treeSize}`);
  // 2. fn = leaf_index, sn = tree_size - 1.
  let fn = leafIndex;
  let sn = treeSize - 1;
  // 3. r = hash.
  let r: Uint8Array = hash;
  // 4. For each p in inclusion_path:
  for (const p of inclusionPathIn) {
    // a. sn = 0: stop and fail.
    if (sn === 0) return fail('the inclusion path is longer than the tree is deep');
    // b. LSB(fn) set, or fn = sn: r = HASH(0x01 || p || r); then, if LSB(fn) is not set,
    //    right-shift fn and sn until LSB(fn) is set or fn is 0. Otherwise r = HASH(0x01 || r || p).
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shift(fn);
          sn = shift(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    // c. right-shift fn and sn once.
    fn = shift(fn);
    sn = shift(sn);
  }
  // 5. sn = 0 and r = root_hash.
  if (sn !== 0) return fail('the inclusion path is shorter than the tree is deep');
  if (!equal(r, rootHash)) return fail('the inclusion path does not lead to the root hash');
  return { ok: true };
}

/**
 * §2.1.4.2, step by step, for 0 < first < second: verifies that the tree of `first` leaves
 * with root `firstHash` is a prefix of the tree of `second` leaves with root `secondHash`.
 * Outside the RFC's range: first = second holds with an empty proof and equal roots; first = 0
 * proves nothing and fails (every tree extends the empty one); first > second fails.
 */
export function verifyConsistency(first: number, second: number, firstHash: Uint8Array, secondHash: Uint8Array, consistencyPathIn: readonly Uint8Array[]): ProofVerdict {
  if (!isSize(first) || !isSize(second)) return fail('the tree sizes must be whole numbers');
  if (firstHash.length !== HASH_SIZE || secondHash.length !== HASH_SIZE) return fail(`the root hashes must be ${HASH_SIZE} bytes`);
  const bad = badHashes(consistencyPathIn);
  if (bad >= 0) return fail(`consistency path element ${bad} is not a ${HASH_SIZE}-byte hash`);
  if (first > second) return fail(`the first tree size ${first} is larger than the second ${second}`);
  if (first === 0) return fail('a consistency proof from the empty tree proves nothing');
  if (first === second) {
    if (consistencyPathIn.length > 0) return fail('the trees have the same size, but the proof is not empty');
    return equal(firstHash, secondHash) ? { ok: true } : fail('the trees have the same size but different root hashes');
  }
  // 1. An empty consistency_path fails.
  if (consistencyPathIn.length === 0) return fail('the consistency proof is empty');
  // 2. If first is an exact power of 2, prepend first_hash to the path.
  const path = isPowerOfTwo(first) ? [firstHash, ...consistencyPathIn] : [...consistencyPathIn];
  // 3. fn = first - 1, sn = second - 1.
  let fn = first - 1;
  let sn = second - 1;
  // 4. If LSB(fn) is set, right-shift fn and sn equally until LSB(fn) is not set.
  while (lsb(fn)) {
    fn = shift(fn);
    sn = shift(sn);
  }
  // 5. fr = sr = the first value of the path.
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  // 6. For each subsequent value c:
  for (const c of path.slice(1)) {
    // sn = 0: stop and fail.
    if (sn === 0) return fail('the consistency proof is longer than the trees need');
    // LSB(fn) set, or fn = sn: fr = HASH(0x01 || c || fr), sr = HASH(0x01 || c || sr); then, if
    // LSB(fn) is not set, right-shift fn and sn until LSB(fn) is set or fn is 0.
    // Otherwise: sr = HASH(0x01 || sr || c).
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn = shift(fn);
          sn = shift(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    // Finally right-shift fn and sn once.
    fn = shift(fn);
    sn = shift(sn);
  }
  // 7. fr = first_hash, sr = second_hash, sn = 0.
  if (sn !== 0) return fail('the consistency proof is shorter than the trees need');
  if (!equal(fr, firstHash)) return fail(`the proof does not reproduce the root hash of the tree of ${first} entries`);
  if (!equal(sr, secondHash)) return fail(`the proof does not reproduce the root hash of the tree of ${second} entries`);
  return { ok: true };
}

/**
 * Every complete subtree of an append-only tree, level by level: level j holds the hash of
 * leaves [i * 2^j, (i + 1) * 2^j) for every i that is complete. Appending a leaf costs at most
 * log2(n) node hashes; the hash of any subtree of the §2.1.1 shape (and the root of any
 * earlier size) is then at most log2(n) further node hashes, so a proof costs O(log^2 n).
 * Memory: about 2 x 32 bytes per leaf.
 */
export class MerkleLevels {
  private levels: Buffer[] = [Buffer.alloc(HASH_SIZE * 1024)];
  private counts: number[] = [0];

  /** Number of leaves. */
  get size(): number {
    return this.counts[0]!;
  }

  append(leaf: Uint8Array): void {
    if (leaf.length !== HASH_SIZE) throw new RangeError(`a leaf hash has ${HASH_SIZE} bytes, got ${leaf.length}`);
    let node: Uint8Array = leaf;
    for (let level = 0; ; level++) {
      this.put(level, node);
      const count = this.counts[level]!;
      if (count % 2 === 1) break;
      node = nodeHash(this.node(level, count - 2), this.node(level, count - 1));
    }
  }

  /** The hash of leaf `index`. */
  leaf(index: number): Buffer {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) throw new RangeError(`no leaf ${index} in a tree of ${this.size}`);
    return Buffer.from(this.node(0, index));
  }

  /** MTH(D[start:end]) for 0 <= start < end <= size (start aligned as in the §2.1.1 shape, else computed from below). */
  subtree = (start: number, end: number): Buffer => {
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && start < end && end <= this.size)) {
      throw new RangeError(`no subtree [${start}, ${end}) in a tree of ${this.size}`);
    }
    const n = end - start;
    if (isPowerOfTwo(n) && start % n === 0) return Buffer.from(this.node(Math.log2(n), start / n));
    if (n === 1) return Buffer.from(this.node(0, start));
    const k = splitPoint(n);
    return nodeHash(this.subtree(start, start + k), this.subtree(start + k, end));
  };

  /** MTH of the first `size` leaves (default: all). */
  root(size = this.size): Buffer {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) throw new RangeError(`no tree of ${size} leaves (the log has ${this.size})`);
    return size === 0 ? Buffer.from(EMPTY_ROOT) : this.subtree(0, size);
  }

  private node(level: number, index: number): Uint8Array {
    const at = index * HASH_SIZE;
    return this.levels[level]!.subarray(at, at + HASH_SIZE);
  }

  private put(level: number, hash: Uint8Array): void {
    if (this.levels[level] === undefined) {
      this.levels[level] = Buffer.alloc(HASH_SIZE * 1024);
      this.counts[level] = 0;
    }
    const count = this.counts[level]!;
    let buf = this.levels[level]!;
    if ((count + 1) * HASH_SIZE > buf.length) {
      const bigger = Buffer.alloc(buf.length * 2);
      buf.copy(bigger);
      this.levels[level] = buf = bigger;
    }
    buf.set(hash, count * HASH_SIZE);
    this.counts[level] = count + 1;
  }
}

/** A signed tree head without its signature: what the log key signs. */
export interface TreeHead {
  treeSize: number;
  /** Milliseconds since 1970-01-01T00:00:00Z when the head was signed. */
  timestamp: number;
  /** MTH of the first treeSize entries, 64 lowercase hex digits. */
  rootHash: string;
}

/**
 * The exact bytes the log key signs (Ed25519, RFC 8032): the UTF-8 canonical JSON of the
 * three fields, keys sorted, no spaces: {"rootHash":"<hex>","timestamp":<ms>,"treeSize":<n>}.
 */
export function treeHeadBytes(h: TreeHead): Buffer {
  return Buffer.from(canonicalJson({ rootHash: h.rootHash, timestamp: h.timestamp, treeSize: h.treeSize }), 'utf8');
}

const HEX64 = /^[0-9a-f]{64}$/;
/** A hash as hex (lowercase, 64 digits), or null when it is not one. */
export function parseHash(hex: unknown): Buffer | null {
  return typeof hex === 'string' && HEX64.test(hex) ? Buffer.from(hex, 'hex') : null;
}
export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
