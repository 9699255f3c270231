// Ingest equals a rebuild from the records whatever order records arrive in, also inside one
// batch: a subject's record that occurred before others earlier in the same batch must be
// scored with them (regression: it was recomputed from itself alone, dropping their points,
// found by the two-publisher JetStream test).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/adapters/memory/memory-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { simulateTown } from '../src/app/simulate.ts';
import type { RecordInput } from '../src/domain/types.ts';

const catalogueDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalogue');
const NOW = Date.UTC(2025, 0, 15, 12);

async function ingestInBatches(batches: RecordInput[][]): Promise<Credence> {
  const store = new MemoryStore();
  expect((await initStore(store, catalogueDir, 'default', NOW)).problems).toEqual([]);
  const c = await Credence.open(store, { now: () => NOW });
  for (const b of batches) {
    const res = await c.ingest(b);
    expect(res.results.filter((r) => r.status === 'rejected')).toEqual([]);
  }
  return c;
}

async function expectNoGradeMovesOnRescore(c: Credence): Promise<void> {
  for (const s of c.schemes) {
    const { matrix, subjects } = await c.rescore(s, { dryRun: true, at: NOW });
    expect(subjects).toBeGreaterThan(0);
    for (const [from, row] of Object.entries(matrix)) for (const to of Object.keys(row)) expect(`${from} -> ${to}`).toBe(`${from} -> ${from}`);
  }
}

describe('ingest order', () => {
  it('scores a subject the same when, inside one batch, a record arrives after later-occurring ones', async () => {
    const subject = '371082198603011012';
    // A utilities bureau's records count when they arrive (a grid office's wait for review).
    const rec = (id: string, type: string, day: number): RecordInput => ({ source: 'utilities-bureau', sourceRecordId: id, subject, type, occurredAt: new Date(Date.UTC(2024, 0, day, 9)).toISOString().replace('.000Z', 'Z'), payload: { utility: 'water' }, subjectKind: 'person' });
    const c = await ingestInBatches([[rec('1', 'utilities.theft', 10), rec('2', 'utilities.theft', 14), rec('3', 'utilities.theft', 9)]]);
    const rebuilt = await ingestInBatches([[rec('3', 'utilities.theft', 9)], [rec('1', 'utilities.theft', 10)], [rec('2', 'utilities.theft', 14)]]);
    expect((await c.views(subject, NOW)).map((v) => v.score)).toEqual((await rebuilt.views(subject, NOW)).map((v) => v.score));
    const state = (await c.store.getStates(subject)).find((s) => s.scheme === 'rongcheng@1')!;
    expect(state.ledger.contributions.map((x) => x.recordId).sort()).toEqual(['utilities-bureau/1', 'utilities-bureau/2', 'utilities-bureau/3']);
  });

  it('equals a full rescore for a town ingested in batches that run backwards in time', async () => {
    const records: RecordInput[] = [];
    for (const item of simulateTown({ subjects: 800, days: 365, seed: 3, start: '2024-01-16' })) if (item.kind === 'record') records.push(item.record);
    // Revocations must still follow their targets: keep them in order, reverse the rest of each batch.
    const batches: RecordInput[][] = [];
    for (let i = 0; i < records.length; i += 300) {
      const chunk = records.slice(i, i + 300);
      batches.push([...chunk.filter((r) => !r.revokes).reverse(), ...chunk.filter((r) => r.revokes)]);
    }
    await expectNoGradeMovesOnRescore(await ingestInBatches(batches));
  });
});
