// Consistency checks shared by the bus tests: wait for a condition, and compare every
// subject's materialised (score, grade) with a full rescore from the records.
import { expect } from 'vitest';
import type { Credence } from '../../src/app/credence.ts';

export async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every subject's (score, grade) per scheme as held, then after a full rescore: they must match. */
export async function expectScoresEqualRescore(c: Credence, at: number): Promise<void> {
  const ids: string[] = [];
  for (let after: string | null = null; ; ) {
    const page = await c.store.listSubjectIds(after, 2000);
    if (page.length === 0) break;
    ids.push(...page);
    after = page[page.length - 1]!;
  }
  const snapshot = async () => {
    const out: Record<string, string> = {};
    for (const s of c.schemes) {
      for (const st of (await c.store.getStatesFor(ids, s.key)).values()) out[`${s.key}|${st.subject}`] = `${st.score}|${st.grade}`;
    }
    return out;
  };
  await c.refreshStale(at);
  const held = await snapshot();
  const statsHeld = await c.stats(at);
  for (const s of c.schemes) {
    const res = await c.rescore(s, { dryRun: false, at });
    for (const [from, row] of Object.entries(res.matrix)) {
      for (const [to, n] of Object.entries(row)) if (from !== to) expect.fail(`${n} subject(s) moved ${from} -> ${to} under ${s.key} on rescore`);
    }
  }
  expect(await snapshot()).toEqual(held);
  expect(await c.stats(at)).toEqual(statsHeld);
  expect(Object.keys(held).length).toBe(ids.length * c.schemes.length);
}

