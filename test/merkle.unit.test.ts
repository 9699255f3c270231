// The Merkle tree of the audit log against RFC 9162 and the published vectors of the
// reference implementations (the eight leaves of certificate-transparency-go / Trillian /
// transparency-dev/merkle, their roots, proofs and the verification probes), then a property:
// every generated proof verifies, and any changed byte, index or size fails.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainEntries, entryBytes, entryHash } from '../src/domain/audit-chain.ts';
import {
  auditLeafHash, consistencyPath, EMPTY_ROOT, hex, inclusionPath, leafHash, merkleRoot, MerkleLevels, nodeHash, treeHeadBytes, verifyConsistency, verifyInclusion,
} from '../src/domain/merkle.ts';

const h = (s: string) => Buffer.from(s, 'hex');
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(h);
/** Roots of the trees of the first 1..8 leaves. */
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
/** [leaf index (0-based), tree size, path]: the inclusion vectors of the reference tests. */
const INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
];
/** [first size, second size, path]: the consistency vectors of the reference tests. */
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
  [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
  [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  [6, 7, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
];

const levelsOf = (leafHashes: Uint8Array[]) => {
  const t = new MerkleLevels();
  for (const l of leafHashes) t.append(l);
  return t;
};
const tree8 = levelsOf(LEAVES.map(leafHash));

describe('RFC 9162 hashing', () => {
  it('hashes the empty tree, leaves and nodes with their prefixes', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(leafHash(h('')))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(hex(nodeHash(leafHash(LEAVES[0]!), leafHash(LEAVES[1]!)))).toBe(ROOTS[1]);
    expect(hex(merkleRoot([]))).toBe(hex(EMPTY_ROOT));
  });

  it('gives the published roots for sizes 1 to 8, recursively and from the cached levels', () => {
    for (let n = 1; n <= 8; n++) {
      expect(hex(merkleRoot(LEAVES.slice(0, n).map(leafHash))), `size ${n}`).toBe(ROOTS[n - 1]);
      expect(hex(tree8.root(n)), `size ${n} (levels)`).toBe(ROOTS[n - 1]);
      expect(hex(levelsOf(LEAVES.slice(0, n).map(leafHash)).root()), `size ${n} (grown to n)`).toBe(ROOTS[n - 1]);
    }
    expect(hex(tree8.root(0))).toBe(hex(EMPTY_ROOT));
  });

  it('generates the published inclusion proofs, and they verify', () => {
    for (const [index, size, path] of INCLUSION) {
      expect(inclusionPath(index, size, tree8.subtree).map(hex), `leaf ${index} of ${size}`).toEqual(path);
      expect(verifyInclusion(index, size, leafHash(LEAVES[index]!), path.map(h), h(ROOTS[size - 1]!))).toEqual({ ok: true });
    }
  });

  it('generates the published consistency proofs, and they verify', () => {
    for (const [m, n, path] of CONSISTENCY) {
      expect(consistencyPath(m, n, tree8.subtree).map(hex), `${m} -> ${n}`).toEqual(path);
      expect(verifyConsistency(m, n, h(ROOTS[m - 1]!), h(ROOTS[n - 1]!), path.map(h))).toEqual({ ok: true });
    }
  });

  it('accepts every valid and refuses every invalid probe of the reference verifier test data', () => {
    const probes = JSON.parse(readFileSync(new URL('./vectors/rfc9162-probes.json', import.meta.url), 'utf8')) as {
      inclusion: { file: string; leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[]; wantErr: boolean }[];
      consistency: { file: string; size1: number; size2: number; root1: string; root2: string; proof: string[]; wantErr: boolean }[];
    };
    expect(probes.inclusion.length).toBeGreaterThan(90);
    expect(probes.consistency.length).toBeGreaterThan(90);
    // One valid probe compares two equal 16-byte stand-ins for roots; this verifier refuses any
    // hash that is not 32 bytes before comparing.
    const stricter = new Set(['consistency/additional/sizes-are-equal-one-and-proof-is-empty.json']);
    const wrong: string[] = [];
    for (const p of probes.inclusion) {
      const v = verifyInclusion(p.leafIdx, p.treeSize, h(p.leafHash), p.proof.map(h), h(p.root));
      if (v.ok === p.wantErr) wrong.push(`${p.file}: ${v.ok ? 'verified' : (v as { reason: string }).reason}`);
    }
    for (const p of probes.consistency) {
      const v = verifyConsistency(p.size1, p.size2, h(p.root1), h(p.root2), p.proof.map(h));
      if (stricter.has(p.file)) expect(v).toEqual({ ok: false, reason: 'the root hashes must be 32 bytes' });
      else if (v.ok === p.wantErr) wrong.push(`${p.file}: ${v.ok ? 'verified' : (v as { reason: string }).reason}`);
    }
    expect(wrong).toEqual([]);
  });

  it('explains why a proof fails', () => {
    const path = INCLUSION[2]![2].map(h);
    expect(verifyInclusion(8, 8, leafHash(LEAVES[5]!), path, h(ROOTS[7]!))).toEqual({ ok: false, reason: 'leaf index 8 is not below the tree size 8' });
    expect(verifyInclusion(5, 8, leafHash(LEAVES[5]!), path.slice(0, 2), h(ROOTS[7]!))).toMatchObject({ ok: false, reason: expect.stringMatching(/shorter/) });
    expect(verifyInclusion(5, 8, leafHash(LEAVES[4]!), path, h(ROOTS[7]!))).toMatchObject({ ok: false, reason: expect.stringMatching(/does not lead to the root/) });
    expect(verifyConsistency(0, 8, EMPTY_ROOT, h(ROOTS[7]!), [])).toMatchObject({ ok: false, reason: expect.stringMatching(/empty tree/) });
    expect(verifyConsistency(8, 6, h(ROOTS[7]!), h(ROOTS[5]!), [])).toMatchObject({ ok: false, reason: expect.stringMatching(/larger/) });
  });
});

describe('proofs of random trees (property)', () => {
  const flip = (path: Uint8Array[], i: number, bit: number) => path.map((p, j) => (j === i ? Buffer.from(p.map((b, k) => (k === Math.floor(bit / 8) ? b ^ (1 << (bit % 8)) : b))) : p));
  const leavesOf = (n: number, seed: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`${seed}:${i}`)));

  // A wrong size is checked against the root a tree of that size really has (the log's leaves
  // go on past n): a head binds a size to its root, so a proof for one size must not verify
  // against the head of another. (Against the root of n itself, a proof can fit another size
  // of the same shape: opaque hashes cannot tell a 3-leaf tree from a 4-leaf one whose right
  // half hashes to the third leaf.)
  it('every inclusion proof verifies; a flipped bit, another index or another size fails', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (n, seed, pick, pickFlip, bit) => {
      const longer = leavesOf(n * 2 + 16, seed);
      const leaves = longer.slice(0, n);
      const t = levelsOf(leaves);
      const tl = levelsOf(longer);
      const root = t.root();
      expect(hex(root)).toBe(hex(merkleRoot(leaves)));
      const i = pick % n;
      const path = inclusionPath(i, n, t.subtree);
      expect(verifyInclusion(i, n, leaves[i]!, path, root).ok).toBe(true);
      if (path.length > 0) expect(verifyInclusion(i, n, leaves[i]!, flip(path, pickFlip % path.length, bit), root).ok).toBe(false);
      expect(verifyInclusion(i, n, flip([leaves[i]!], 0, bit)[0]!, path, root).ok).toBe(false);
      expect(verifyInclusion(i, n, leaves[i]!, path, flip([root], 0, bit)[0]!).ok).toBe(false);
      for (const j of [i - 1, i + 1, i ^ 1, i + n]) if (j >= 0 && j !== i) expect(verifyInclusion(j, n, leaves[i]!, path, root).ok, `index ${j} for ${i} of ${n}`).toBe(false);
      for (const m of [n - 1, n + 1, n * 2, n + 16]) if (m > i && m !== n) expect(verifyInclusion(i, m, leaves[i]!, path, tl.root(m)).ok, `size ${m} for ${n}`).toBe(false);
      expect(verifyInclusion(i, n, leaves[i]!, [...path, root], root).ok).toBe(false);
    }), { numRuns: 300 });
  });

  it('every consistency proof verifies; a flipped bit, another size or another root fails', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (n, seed, pick, pickFlip, bit) => {
      const longer = leavesOf(n * 2 + 1, seed);
      const leaves = longer.slice(0, n);
      const t = levelsOf(leaves);
      const tl = levelsOf(longer);
      const m = 1 + (pick % n);
      const path = consistencyPath(m, n, t.subtree);
      const r1 = t.root(m);
      const r2 = t.root();
      expect(hex(r1)).toBe(hex(merkleRoot(leaves.slice(0, m))));
      expect(verifyConsistency(m, n, r1, r2, path).ok).toBe(true);
      if (path.length > 0) expect(verifyConsistency(m, n, r1, r2, flip(path, pickFlip % path.length, bit)).ok).toBe(false);
      expect(verifyConsistency(m, n, flip([r1], 0, bit)[0]!, r2, path).ok).toBe(false);
      expect(verifyConsistency(m, n, r1, flip([r2], 0, bit)[0]!, path).ok).toBe(false);
      for (const m2 of [m - 1, m + 1]) if (m2 >= 1 && m2 <= n) expect(verifyConsistency(m2, n, t.root(m2), r2, path).ok, `first ${m2} for ${m} of ${n}`).toBe(false);
      for (const n2 of [n - 1, n + 1, n * 2]) if (n2 >= m && n2 !== n) expect(verifyConsistency(m, n2, r1, tl.root(n2), path).ok, `second ${n2} for ${m} of ${n}`).toBe(false);
    }), { numRuns: 300 });
  });
});

describe('audit entries as leaves', () => {
  it('the leaf is the canonical JSON the chain hashes, so a verifier computes both from the entry', () => {
    const [e] = chainEntries(null, [{ at: 1_767_225_600_000, actor: 'key:key_test', action: 'subject.read', subject: '371082198503120211', detail: { route: '/v1/subjects/:id', b: 1, a: [2, { z: 1, y: 2 }] } }]);
    const bytes = entryBytes(e!);
    expect(bytes.toString('utf8')).toBe('{"action":"subject.read","actor":"key:key_test","at":1767225600000,"detail":{"a":[2,{"y":2,"z":1}],"b":1,"route":"/v1/subjects/:id"},"prevHash":"0000000000000000000000000000000000000000000000000000000000000000","seq":1,"subject":"371082198503120211"}');
    expect(entryHash(e!)).toBe(e!.hash);
    expect(hex(auditLeafHash(e!))).toBe(hex(leafHash(bytes)));
    expect(hex(auditLeafHash(e!))).not.toBe(e!.hash); // the 0x00 prefix separates leaf from chain hash
  });

  it('signs tree heads over fixed canonical bytes', () => {
    expect(treeHeadBytes({ treeSize: 8, timestamp: 1_767_225_600_000, rootHash: ROOTS[7]! }).toString()).toBe(`{"rootHash":"${ROOTS[7]}","timestamp":1767225600000,"treeSize":8}`);
  });
});
