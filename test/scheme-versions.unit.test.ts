// A publication does not rewrite history: after rongcheng@2 is published, a view as of a
// time before the publication answers under version 1, the history shows each point under
// the version in force at it (the publication a point of its own), and version 1 can still
// be asked for by name. Decisions log the versions they were taken under.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/adapters/memory/memory-store.ts';
import { Credence } from '../src/app/credence.ts';
import { initStore } from '../src/app/init.ts';
import { compileSchemeText } from '../src/app/load-schemes.ts';
import { parseSchemeChoice } from '../src/domain/scheme-compile.ts';
import type { RecordInput } from '../src/domain/types.ts';
import { approveAll } from './helpers/review.ts';

const catalogueDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalogue');
const DAY = 86_400_000;
const T_INGEST = Date.UTC(2025, 2, 1, 12);
const T_PUBLISH = T_INGEST + 30 * DAY;
const BETWEEN = T_INGEST + 10 * DAY;
const AFTER = T_PUBLISH + 10 * DAY;
const SUBJECT = '371082198603011012';

const fouled = (id: string, day: number): RecordInput => ({
  source: 'grid-office-morgenroete', sourceRecordId: id, subject: SUBJECT, type: 'civic.dog_fouled_lawn',
  occurredAt: `2025-02-${String(day).padStart(2, '0')}T09:00:00Z`, payload: {}, subjectKind: 'person',
});

async function townWithTwoVersions() {
  const store = new MemoryStore();
  let now = T_INGEST;
  expect((await initStore(store, catalogueDir, 'default', now - DAY)).problems).toEqual([]);
  const v1 = await Credence.open(store, { now: () => now });
  expect((await v1.ingest([fouled('f-1', 3), fouled('f-2', 5), fouled('f-3', 7), fouled('f-4', 9)])).accepted).toBe(4);
  // Grid reports count once a reviewer approves them: approved when they arrive.
  expect(await approveAll(v1)).toBe(4);

  // rongcheng@2: dog fouling costs 20 points instead of 5, as an "other untrustworthy
  // circumstance" of Attachment 1 (-5 to -50): the notice-board practice allows only -5.
  const text = readFileSync(path.join(catalogueDir, 'schemes', 'rongcheng-2017.yaml'), 'utf8')
    .replace(/^version: 1$/m, 'version: 2')
    .replace('title: Let a dog foul the lawn, points: { fixed: -5 }', 'title: Let a dog foul the lawn, points: { fixed: -20 }, legalBasis: "rongcheng-credit-evaluation-standard Attachment 1 (other untrustworthy circumstances)"');
  const draft = compileSchemeText(text, 'rongcheng@2', v1.catalogue);
  expect(draft.problems).toEqual([]);
  now = T_PUBLISH;
  // What publishing does (the HTTP publish route, `rescore --file --publish`): rescore, then store as published.
  await v1.rescore(draft.compiled!, { dryRun: false, at: now });
  await store.saveScheme({ ...draft.compiled!.scheme, status: 'published' }, now);
  const v2 = await Credence.open(store, { now: () => now });
  return { store, v2, setNow: (t: number) => (now = t) };
}

describe('a choice of scheme versions (--scheme, ?scheme=)', () => {
  it('takes id@version keys, comma-separated, and refuses anything else', () => {
    expect(parseSchemeChoice(undefined)).toEqual([]);
    expect(parseSchemeChoice('rongcheng@1')).toEqual(['rongcheng@1']);
    expect(parseSchemeChoice('rongcheng@2, weihai-seashell@1')).toEqual(['rongcheng@2', 'weihai-seashell@1']);
    for (const bad of ['rongcheng', 'rongcheng@0', 'rongcheng@1,', 'Rongcheng@1', 'rongcheng@01', '@1', 'a@1;b@2']) expect(parseSchemeChoice(bad), bad).toBeNull();
  });
});

describe('scheme versions over time', () => {
  it('answers a past time under the version in force then, and the present under the new one', async () => {
    const { v2 } = await townWithTwoVersions();
    expect(v2.schemes.map((s) => s.key)).toContain('rongcheng@2');
    const past = (await v2.views(SUBJECT, BETWEEN)).find((v) => v.scheme.startsWith('rongcheng'))!;
    const present = (await v2.views(SUBJECT, AFTER)).find((v) => v.scheme.startsWith('rongcheng'))!;
    expect(past).toMatchObject({ scheme: 'rongcheng@1', score: 980 });
    expect(present).toMatchObject({ scheme: 'rongcheng@2', score: 920 });
    // Either version by name, at any time.
    expect((await v2.views(SUBJECT, BETWEEN, ['rongcheng@2'])).find((v) => v.scheme.startsWith('rongcheng'))).toMatchObject({ scheme: 'rongcheng@2', score: 920 });
    expect((await v2.views(SUBJECT, AFTER, ['rongcheng@1'])).find((v) => v.scheme.startsWith('rongcheng'))).toMatchObject({ scheme: 'rongcheng@1', score: 980 });
    await expect(v2.views(SUBJECT, AFTER, ['rongcheng@9'])).rejects.toThrow(/no published scheme version "rongcheng@9" \(published: .*rongcheng@1, rongcheng@2/);
  });

  it('keeps the history as it was judged: version 1 up to the publication, then version 2 from it', async () => {
    const { v2 } = await townWithTwoVersions();
    const h = (await v2.history(SUBJECT, AFTER)).find((x) => x.scheme.startsWith('rongcheng'))!;
    expect(h.scheme).toBe('rongcheng@2');
    expect(h.points).toEqual([
      { at: T_INGEST, score: 980, grade: expect.any(String), scheme: 'rongcheng@1', cause: 'records' },
      { at: T_PUBLISH, score: 920, grade: expect.any(String), scheme: 'rongcheng@2', cause: 'version' },
    ]);
    // A history up to a time before the publication knows nothing of version 2.
    const before = (await v2.history(SUBJECT, BETWEEN)).find((x) => x.scheme.startsWith('rongcheng'))!;
    expect(before.scheme).toBe('rongcheng@1');
    expect(before.points.map((p) => p.scheme)).toEqual(['rongcheng@1']);
    // Under one named version throughout.
    const named = (await v2.history(SUBJECT, AFTER, ['rongcheng@1'])).find((x) => x.scheme.startsWith('rongcheng'))!;
    expect(named.points).toEqual([{ at: T_INGEST, score: 980, grade: expect.any(String), scheme: 'rongcheng@1', cause: 'records' }]);
  });

  it('decides a past time under the version then, and logs the versions each decision used', async () => {
    const { v2, store } = await townWithTwoVersions();
    await v2.decide(SUBJECT, 'defaulter.no_g_train', BETWEEN, { actor: 'test', purpose: 'boarding' });
    await v2.decide(SUBJECT, 'defaulter.no_g_train', AFTER, { actor: 'test', purpose: 'boarding' });
    const log = (await store.auditOfSubject(SUBJECT, 10)).filter((e) => e.action === 'decision').reverse();
    expect(log.map((e) => (e.detail.schemes as string[]).filter((k) => k.startsWith('rongcheng')))).toEqual([['rongcheng@1'], ['rongcheng@2']]);
    expect(log.map((e) => e.detail.asOf)).toEqual([BETWEEN, AFTER]);
  });

  it('replays a logged decision exactly, after a publication and after later records', async () => {
    const { v2, setNow, store } = await townWithTwoVersions();
    // A decision as of a time before the publication, then more records arrive.
    const past = await v2.decide(SUBJECT, 'reward.library_card_deposit_free', BETWEEN, { actor: 'test', purpose: 'library' });
    expect(past.decisionId).toBeGreaterThan(0);
    setNow(AFTER);
    expect((await v2.ingest([fouled('f-9', 20)])).accepted).toBe(1);
    const r = await v2.replayDecision(past.decisionId, { actor: 'auditor' });
    expect(r).toMatchObject({ same: true, assumed: false, subject: SUBJECT, measure: 'reward.library_card_deposit_free', asOf: BETWEEN });
    expect(r.schemes.filter((k) => k.startsWith('rongcheng'))).toEqual(['rongcheng@1']);
    expect(r.replayed.outcome).toBe(past.outcome);
    expect(r.replayed.reasons.map((x) => x.code)).toEqual(past.reasons.map((x) => x.code));
    // The replay is itself logged as a read of the subject.
    const log = await store.auditOfSubject(SUBJECT, 1);
    expect(log[0]).toMatchObject({ action: 'decision.replay', actor: 'auditor', detail: { decision: past.decisionId, same: true } });
    await expect(v2.replayDecision(1, { actor: 'auditor' })).rejects.toThrow(/audit entry 1 is not a logged decision/);
  });

  it('keeps new records counting under both versions after the publication', async () => {
    const { v2, setNow } = await townWithTwoVersions();
    setNow(AFTER);
    expect((await v2.ingest([fouled('f-5', 11)])).accepted).toBe(1);
    expect(await approveAll(v2)).toBe(1);
    const later = AFTER + DAY;
    expect((await v2.views(SUBJECT, later)).find((v) => v.scheme.startsWith('rongcheng'))).toMatchObject({ scheme: 'rongcheng@2', score: 900 });
    // Version 1's state was left behind by the ingest (it writes only versions in force): recomputed, not stale.
    expect((await v2.views(SUBJECT, later, ['rongcheng@1'])).find((v) => v.scheme.startsWith('rongcheng'))).toMatchObject({ scheme: 'rongcheng@1', score: 975 });
  });
});
