// Measures the audit log's Merkle tree on a SQLite log (not part of `npm test`):
//   npx tsx test/measure/audit-proof-rate.ts [entries=100000] [proofs=2000]
// Building the cache from the whole log once, extending it by new entries, a signed head,
// inclusion proofs (with the entry read) and consistency proofs of random sizes; then group-
// committed appends alone and with proofs served at the same time (the tree is read-side only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { groupAuditAppends } from '../../src/app/audit-batcher.ts';
import { AuditLog } from '../../src/app/audit-log.ts';
import { ephemeralLogKey } from '../../src/app/log-key.ts';
import type { AuditEntryInput } from '../../src/domain/audit-chain.ts';
import { parseHash, verifyConsistency, verifyInclusion } from '../../src/domain/merkle.ts';

const [entries, proofs] = [Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 2000)];
const dir = mkdtempSync(path.join(tmpdir(), 'credence-merkle-'));
const entry = (i: number): AuditEntryInput => ({ at: 1_767_225_600_000 + i, actor: `key:key_${i % 97}`, action: i % 3 ? 'subject.read' : 'decision', subject: `37108219850312${String(i % 10_000).padStart(4, '0')}`, detail: { route: '/v1/subjects/:id/scores', purpose: 'boarding', outcome: 'deny', i } });
const ms = (t: number) => `${t.toFixed(1)} ms`;
const pct = (xs: number[], p: number) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
let rng = 7;
const rand = (n: number) => ((rng = (rng * 1_103_515_245 + 12_345) % 2 ** 31), rng % n);

const store = await SqliteStore.open(path.join(dir, 'log.db'));
await store.migrate();
let t = performance.now();
for (let i = 0; i < entries; i += 5000) await store.appendAudit(Array.from({ length: Math.min(5000, entries - i) }, (_, j) => entry(i + j)));
console.log(`wrote ${entries} entries in ${ms(performance.now() - t)}`);

const log = new AuditLog(store, ephemeralLogKey(), () => Date.now());
const ext0 = process.memoryUsage().arrayBuffers;
t = performance.now();
const { head } = await log.head();
console.log(`first head (reads and hashes all ${head.treeSize} entries, signs): ${ms(performance.now() - t)}; buffers +${((process.memoryUsage().arrayBuffers - ext0) / 2 ** 20).toFixed(1)} MiB`);
t = performance.now();
for (let i = 0; i < 1000; i++) await log.head();
console.log(`head, tree current (2 small queries, signature cached): ${ms((performance.now() - t) / 1000)} each`);

const inc: number[] = [];
for (let i = 0; i < proofs; i++) {
  const seq = 1 + rand(head.treeSize);
  const size = seq + rand(head.treeSize - seq + 1);
  const s = performance.now();
  const p = await log.inclusion(seq, size);
  inc.push(performance.now() - s);
  if (!verifyInclusion(p.leafIndex, size, parseHash(p.leafHash)!, p.inclusionPath.map((x) => parseHash(x)!), parseHash(p.rootHash)!).ok) throw new Error(`proof ${seq}/${size} does not verify`);
}
console.log(`inclusion proof (entry read + path + root, random seq and size): mean ${ms(inc.reduce((a, b) => a + b) / inc.length)}, p99 ${ms(pct(inc, 0.99))}`);
const con: number[] = [];
for (let i = 0; i < proofs; i++) {
  const from = 1 + rand(head.treeSize);
  const s = performance.now();
  const p = await log.consistency(from);
  con.push(performance.now() - s);
  if (!verifyConsistency(p.from, p.to, parseHash(p.fromRoot)!, parseHash(p.toRoot)!, p.consistencyPath.map((x) => parseHash(x)!)).ok) throw new Error(`consistency ${from} does not verify`);
}
console.log(`consistency proof (random from, to the head): mean ${ms(con.reduce((a, b) => a + b) / con.length)}, p99 ${ms(pct(con, 0.99))}`);

await store.appendAudit(Array.from({ length: 1000 }, (_, j) => entry(entries + j)));
t = performance.now();
await log.size();
console.log(`extending the cache by 1000 new entries: ${ms(performance.now() - t)}`);

const batched = groupAuditAppends(store);
const appends = async (n: number, concurrency: number) => {
  const s = performance.now();
  let k = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (k < n) { k++; await batched.appendAudit([entry(k)]); } }));
  return n / ((performance.now() - s) / 1000);
};
const alone = await appends(10_000, 32);
let serving = true;
let served = 0;
// Each read waits for the next turn of the event loop, as requests arriving over sockets do.
const reader = (async () => { while (serving) { await new Promise((r) => setImmediate(r)); const size = await log.size(); await log.inclusion(1 + rand(size), size); await log.head(); served++; } })();
const withProofs = await appends(10_000, 32);
serving = false;
await reader;
serving = true;
let polls = 0;
const poller = (async () => { while (serving) { await new Promise((r) => setTimeout(r, 100)); await log.head(); polls++; } })();
const withPolling = await appends(10_000, 32);
serving = false;
await poller;
console.log(`group-committed appends (32 concurrent callers): ${alone.toFixed(0)}/s alone; ${withProofs.toFixed(0)}/s while ${served} proof+head reads ran back to back; ${withPolling.toFixed(0)}/s with a head read every 100 ms (${polls} reads)`);
await store.close();
rmSync(dir, { recursive: true, force: true });
