// Explanations: at most four ranked reasons, the timeline of expiries, and the way to the
// next grade.
import { beforeAll, describe, expect, it } from 'vitest';
import { nextGrade, reasons, timeline } from '../src/domain/explain.ts';
import { computeLedger, evaluate } from '../src/domain/scoring.ts';
import type { CompiledScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue } from '../src/domain/types.ts';
import { DAY, person, rec, shipped, T0 } from './helpers/shipped.ts';

let catalogue: Catalogue;
let rongcheng: CompiledScheme;
beforeAll(async () => {
  const s = await shipped();
  catalogue = s.catalogue;
  rongcheng = s.schemes.get('rongcheng')!;
});

describe('explanations', () => {
  const records = () => [
    rec({ type: 'civic.dog_fouled_lawn', occurredAt: T0 }),
    rec({ type: 'utilities.theft', payload: { utility: 'power' }, occurredAt: T0 }),
    rec({ type: 'finance.card_arrears', payload: { months: 2 }, occurredAt: T0 }),
    rec({ type: 'finance.card_arrears', payload: { months: 1 }, occurredAt: T0 + DAY }),
    rec({ type: 'traffic.red_light', occurredAt: T0 }),
    rec({ type: 'civic.heroic_act', occurredAt: T0 }),
  ];

  it('gives at most four reasons, grouped by rule, largest effect first', () => {
    const v = evaluate(computeLedger(person(1), records(), rongcheng, catalogue), rongcheng, T0 + 2 * DAY);
    expect(v.score).toBe(1000 - 5 - 60 - 30 + 30 - 5);
    const r = reasons(v);
    expect(r).toHaveLength(4);
    expect(r.map((x) => [x.ruleId, x.points])).toEqual([
      ['utility-theft', -60],
      ['card-arrears', -30],
      ['heroic-act', 30],
      ['dog-fouled-lawn', -5],
    ]);
    expect(r[1]!.recordIds).toHaveLength(2);
  });

  it('lays out what changes when: each expiry with the score and grade after it', () => {
    const ledger = computeLedger(person(1), records(), rongcheng, catalogue);
    const steps = timeline(ledger, rongcheng, T0 + 2 * DAY);
    expect(steps.length).toBeGreaterThan(0);
    const last = steps[steps.length - 1]!;
    expect(last.scoreAfter).toBe(1000);
    for (let i = 1; i < steps.length; i++) expect(steps[i]!.at).toBeGreaterThan(steps[i - 1]!.at);
    expect(steps.flatMap((s) => s.events).some((e) => e.kind === 'expires' && e.ruleId === 'dog-fouled-lawn')).toBe(true);
  });

  it('says what it takes to reach the next grade: points, the date by expiries, favourable records', () => {
    const theft = [rec({ type: 'utilities.theft', payload: { utility: 'gas' } })];
    const ledger = computeLedger(person(1), theft, rongcheng, catalogue);
    const path = nextGrade(ledger, rongcheng, catalogue, T0 + DAY);
    expect(path).toMatchObject({ current: 'B', target: 'A', pointsNeeded: 20 });
    expect(path.byExpiryAt).toBe(Date.UTC(2030, 0, 1));
    expect(path.favourable[0]).toMatchObject({ points: 30, countNeeded: 1 });
    expect(path.favourable.every((f) => f.points > 0)).toBe(true);
  });

  it('a direct grading blocks the next grade until it ends, and the path says so', () => {
    const ledger = computeLedger(person(1), [rec({ type: 'traffic.drunk_driving' })], rongcheng, catalogue);
    const path = nextGrade(ledger, rongcheng, catalogue, T0 + DAY);
    expect(path.current).toBe('C');
    expect(path.blockedUntil).not.toBeNull();
  });

  it('at the best grade there is no next grade', () => {
    const ledger = computeLedger(person(1), [rec({ type: 'civic.heroic_act' }), rec({ type: 'civic.heroic_act' })], rongcheng, catalogue);
    expect(nextGrade(ledger, rongcheng, catalogue, T0 + DAY).target).toBeNull();
  });
});
