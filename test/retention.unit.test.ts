// What retention deletes and when, under the shipped Rongcheng scheme: a record past its type's
// period goes unless deleting it would change today's answer (a yearly cap it shares with a
// younger record) or a dispute of it is open; notices and cases go with what they name.
import { beforeAll, describe, expect, it } from 'vitest';
import { addDuration, parseDuration } from '../src/domain/duration.ts';
import { goesWith, pastRetention, recordsNamed, retentionEnd, retentionPlan, retentionSearch } from '../src/domain/retention.ts';
import type { CompiledScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue } from '../src/domain/types.ts';
import { DAY, person, rec, shipped, T0 } from './helpers/shipped.ts';

let catalogue: Catalogue;
let schemes: CompiledScheme[];
beforeAll(async () => {
  const s = await shipped();
  catalogue = s.catalogue;
  schemes = [...s.schemes.values()];
});

const P = (d: string) => parseDuration(d)!;
const subject = person(7);

describe('retentionEnd', () => {
  it('is the type\'s period after the conduct: two years for a good deed, five for a theft, calendar-aware', () => {
    const deed = rec({ type: 'civic.helped_elderly_move', occurredAt: Date.UTC(2024, 1, 29) });
    expect(new Date(retentionEnd(deed, catalogue)).toISOString().slice(0, 10)).toBe('2026-02-28');
    const theft = rec({ type: 'utilities.theft', occurredAt: T0, payload: { utility: 'gas' } });
    expect(retentionEnd(theft, catalogue)).toBe(addDuration(T0, P('P5Y')));
    expect(pastRetention(theft, catalogue, addDuration(T0, P('P5Y')) - 1)).toBe(false);
    expect(pastRetention(theft, catalogue, addDuration(T0, P('P5Y')))).toBe(true);
  });
});

describe('retentionPlan', () => {
  it('deletes records past retention when today\'s answer stays the same', () => {
    const old = rec({ subject, type: 'utilities.theft', occurredAt: T0, payload: { utility: 'gas' } });
    const young = rec({ subject, type: 'traffic.red_light', occurredAt: addDuration(T0, P('P5Y')) - 30 * DAY });
    const now = addDuration(T0, P('P5Y')) + DAY;
    const plan = retentionPlan(subject, [old, young], schemes, catalogue, now, new Set());
    expect(plan.purge.map((r) => r.id)).toEqual([old.id]);
    expect(plan.deferred).toBe(0);
    expect(retentionPlan(subject, [old, young], schemes, catalogue, now - 2 * DAY, new Set()).purge).toEqual([]);
  });

  it('keeps deeds past retention while a younger deed of the same capped year would count more without them', () => {
    // Six +5 deeds in January use the +30 yearly cap; a seventh in December counted 0.
    const january = Array.from({ length: 6 }, (_, i) => rec({ subject, type: 'civic.helped_elderly_move', occurredAt: T0 + i * DAY }));
    const december = rec({ subject, type: 'civic.helped_elderly_move', occurredAt: T0 + 340 * DAY });
    const records = [...january, december];
    const soon = addDuration(T0, P('P2Y')) + 10 * DAY;
    const waits = retentionPlan(subject, records, schemes, catalogue, soon, new Set());
    expect(waits.purge).toEqual([]);
    expect(waits.deferred).toBe(6);
    // Once December's deed is past retention too, all seven go together.
    const later = addDuration(december.occurredAt, P('P2Y')) + DAY;
    expect(retentionPlan(subject, records, schemes, catalogue, later, new Set()).purge).toHaveLength(7);
  });

  it('keeps a record while a dispute of it is open', () => {
    const old = rec({ subject, type: 'utilities.theft', occurredAt: T0, payload: { utility: 'gas' } });
    const now = addDuration(T0, P('P6Y'));
    const plan = retentionPlan(subject, [old], schemes, catalogue, now, new Set([old.id]));
    expect(plan).toEqual({ purge: [], deferred: 1 });
  });
});

describe('what goes with a purge', () => {
  it('reads the records a notice names: its record, a listing\'s cause, its reasons; not a grade', () => {
    expect(recordsNamed({ record: 'court/c-1', reasons: [{ code: 'X', record: 'tax/2' }, { code: 'LIST_ENTRY', cause: 'court/c-1' }] }).sort()).toEqual(['court/c-1', 'tax/2']);
    expect(recordsNamed({ cause: 'grade:D', reasons: [{ code: 'GRADE_DROPPED', scheme: 'rongcheng@1' }] })).toEqual([]);
  });

  it('takes a notice once every record it names is gone, and one naming none once past the longest retention', () => {
    const held = new Set(['tax/2']);
    expect(goesWith(['court/c-1'], T0, (id) => held.has(id), 0)).toBe(true);
    expect(goesWith(['court/c-1', 'tax/2'], T0, (id) => held.has(id), 0)).toBe(false);
    expect(goesWith([], T0, () => true, T0)).toBe(false);
    expect(goesWith([], T0, () => true, T0 + 1)).toBe(true);
  });

  it('searches each retention period by its own cut-off, read short, and nameless data by the longest, read long', () => {
    const now = Date.UTC(2030, 5, 1);
    const q = retentionSearch(catalogue, now);
    const group = (type: string) => q.records.find((g) => g.types.includes(type))!;
    expect(group('civic.helped_elderly_move').before).toBe(now - 2 * 365 * DAY);
    expect(group('utilities.theft').before).toBe(now - 5 * 365 * DAY);
    // Every catalogue type is searched, once.
    const all = q.records.flatMap((g) => g.types);
    expect(all.length).toBe(catalogue.recordTypes.size);
    expect(new Set(all).size).toBe(all.length);
    expect(q.namelessBefore).toBe(now - 5 * 366 * DAY);
    // Read short, the cut-off never misses a record exactly past retention.
    const edge = rec({ type: 'utilities.theft', occurredAt: addDuration(now, { years: -5, months: 0, days: 0, ms: 0 }), payload: { utility: 'gas' } });
    expect(pastRetention(edge, catalogue, now)).toBe(true);
    expect(edge.occurredAt).toBeLessThan(group('utilities.theft').before);
  });
});
