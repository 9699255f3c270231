// Measures the decision path (Credence.decide: read the subject's states, decide, append one
// audit entry durably) on SQLite and PostgreSQL (not part of `npm test`):
//   npx tsx test/measure/decide-rate.ts [decisions=2000] [concurrency=8]
// Also decideBatch (one audit append for 1,000 decisions), the batch shape a provider's bulk
// check or a cache refill would use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresStore } from '../../src/adapters/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { Credence } from '../../src/app/credence.ts';
import { initStore } from '../../src/app/init.ts';
import { simulateTown } from '../../src/app/simulate.ts';
import type { Store } from '../../src/ports/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

const [decisions, concurrency] = [Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 8)];
const catalogueDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'catalogue');
const NOW = Date.UTC(2025, 0, 15, 12);
const WHO = { actor: 'key:railway', purpose: 'ticket-purchase' };

async function run(label: string, store: Store): Promise<void> {
  await initStore(store, catalogueDir, 'default', NOW);
  const c = await Credence.open(store, { now: () => NOW });
  const recs: unknown[] = [];
  for (const item of simulateTown({ subjects: 2000, days: 365, seed: 2, start: '2024-01-01' })) if (item.kind === 'record') recs.push(item.record);
  for (let i = 0; i < recs.length; i += 5000) await c.ingest(recs.slice(i, i + 5000));
  const ids = await store.listSubjectIds(null, 10_000);
  let t = performance.now();
  for (let i = 0; i < decisions; i++) await c.decide(ids[i % ids.length]!, 'defaulter.no_g_train', NOW, WHO);
  const serial = decisions / ((performance.now() - t) / 1000);
  t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < decisions) await c.decide(ids[next++ % ids.length]!, 'defaulter.no_g_train', NOW, WHO);
  }));
  const parallel = decisions / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let i = 0; i < 5; i++) await c.decideBatch(ids.slice(0, 1000), 'defaulter.no_g_train', NOW, WHO);
  const batched = 5000 / ((performance.now() - t) / 1000);
  console.log(`${label}: decide ${Math.round(serial)}/s one at a time, ${Math.round(parallel)}/s with ${concurrency} in flight; decideBatch(1000) ${Math.round(batched)} decisions/s; audit chain ok: ${(await c.verifyAudit()).ok}`);
}

const dir = mkdtempSync(path.join(tmpdir(), 'credence-measure-'));
const db = await createTestDatabase('credence_measure');
try {
  const sqlite = await SqliteStore.open(path.join(dir, 'd.db'));
  await run('sqlite', sqlite);
  await sqlite.close();
  const postgres = await PostgresStore.open(db.url);
  await run('postgres', postgres);
  await postgres.close();
} finally {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
}
