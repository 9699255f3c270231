// What a change tells: the standing a notice compares (grades, list entries, restricting
// measures in force) agrees with what decide() answers over a simulated town, and the
// notices of a change are exactly the adverse differences.
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/adapters/memory/memory-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { simulateTown } from '../src/app/simulate.ts';
import { decide } from '../src/domain/decide.ts';
import { changeNotices, standingOf } from '../src/domain/notices.ts';
import type { RecordInput } from '../src/domain/types.ts';
import { CATALOGUE_DIR } from './helpers/shipped.ts';

const START = '2025-01-01';
const AT = Date.parse('2026-01-01T00:00:00Z');

async function town() {
  const store = new MemoryStore();
  await initStore(store, CATALOGUE_DIR, 'default', Date.parse(START));
  const c = await Credence.open(store, { now: () => AT });
  const records: RecordInput[] = [];
  for (const item of simulateTown({ subjects: 300, days: 365, seed: 11, start: START })) if (item.kind === 'record') records.push(item.record);
  for (let i = 0; i < records.length; i += 2000) await c.ingest(records.slice(i, i + 2000), 'test');
  return c;
}

describe('standing', () => {
  it('has a restricting measure in force exactly where decide() says its trigger applies', async () => {
    const c = await town();
    const ids = await c.store.listSubjectIds(null, 1000);
    const restricting = [...c.catalogue.measures.values()].filter((m) => m.effect === 'deny' || m.effect === 'allow_with_conditions');
    let applying = 0;
    for (const id of ids) {
      const ledgers = [...(await c.ledgers(id, AT)).values()];
      const st = standingOf(id, ledgers, c.catalogue, AT);
      const facts = await c.decisionFacts(id, AT);
      const expected = new Set(restricting.filter((m) => decide(facts, m, AT).applies).map((m) => m.id));
      expect([...st.measures].sort(), id).toEqual([...expected].sort());
      applying += expected.size;
    }
    // The town has listed defaulters and low grades, so the comparison is not vacuous.
    expect(applying).toBeGreaterThan(0);
  });
});

describe('change notices', () => {
  it('tells of a grade that fell and a list entered, and of nothing that rose or stayed', async () => {
    const g = (grade: string, rank: number) => ({ scheme: 'rongcheng@1', grade, rank, label: grade, score: 0 });
    const c = await town();
    const before = { grades: new Map([['rongcheng', g('A', 2)], ['weihai-seashell', g('B', 3)]]), lists: new Map(), measures: new Set<string>() };
    const entry = { list: 'judgment-defaulters', subject: 's', cause: 'court/1', from: AT, until: AT + 1000, legalBasis: 'basis' };
    const after = { grades: new Map([['rongcheng', g('C', 4)], ['weihai-seashell', g('A', 2)]]), lists: new Map([['judgment-defaulters|court/1', entry]]), measures: new Set(['defaulter.no_g_train']) };
    const out = changeNotices('s', before, after, [], c.catalogue);
    expect(out.map((n) => n.kind)).toEqual(['grade.dropped', 'list.entered', 'measure.in-force']);
    expect(out[0]!.body).toMatchObject({ from: { grade: 'A' }, to: { grade: 'C' } });
    expect(changeNotices('s', after, after, [], c.catalogue)).toEqual([]);
    expect(changeNotices('s', after, before, [], c.catalogue).map((n) => n.kind)).toEqual(['grade.dropped']); // weihai fell A -> B
  });
});
