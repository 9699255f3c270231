// Decisions: allow / deny / allow with conditions, reason codes in the documented precedence,
// legal basis and recourse on every answer.
import { beforeAll, describe, expect, it } from 'vitest';
import { decide, REASON_PRECEDENCE } from '../src/domain/decide.ts';
import type { CompiledScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue, Measure, StoredRecord } from '../src/domain/types.ts';
import { DAY, rec, shipped, T0, decisionFacts } from './helpers/shipped.ts';

let catalogue: Catalogue;
let schemes: CompiledScheme[];
beforeAll(async () => {
  const s = await shipped();
  catalogue = s.catalogue;
  schemes = [...s.schemes.values()];
});

const facts = (records: StoredRecord[], at: number, disputed: string[] = []) => decisionFacts(catalogue, schemes, records, at, disputed);

const measureWith = (trigger: Measure['trigger'], effect: Measure['effect']): Measure => ({
  id: 'test-measure', title: 't', domain: 'transport.air', trigger, effect, conditions: ['deposit of 100 CNY'], legalBasis: 'Test basis', citations: [], crossContext: true, contest: 'Apply to the court', purposes: ['ticket-sale'],
});
const findMeasure = (pred: (m: Measure) => boolean) => [...catalogue.measures.values()].find(pred)!;

const listing = () => rec({ type: 'courts.defaulter_listing', payload: { case_ref: 'C-9', ground: 'able_to_pay_refuses', end_date: '2027-06-30' } });

describe('decide', () => {
  it('a judgment defaulter is denied a flight, with the list entry, its end, the legal basis and how to contest', () => {
    const flights = findMeasure((m) => 'list' in m.trigger && m.trigger.list === 'judgment-defaulters' && m.domain.startsWith('transport') && m.effect === 'deny');
    const l = listing();
    const d = decide(facts([l], T0 + DAY), flights, T0 + DAY);
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]).toEqual({ code: 'LIST_ENTRY', list: 'judgment-defaulters', until: Date.UTC(2027, 5, 30), message: `the list condition of measure ${flights.id} is met: an entry on the judgment-defaulters list is in force` });
    // Never the record behind the listing: not its id, not its case reference or ground.
    expect(JSON.stringify(d)).not.toContain(l.id);
    expect(JSON.stringify(d)).not.toMatch(/C-9|able_to_pay/);
    expect(d.legalBasis.length).toBeGreaterThan(10);
    expect(d.contest.length).toBeGreaterThan(10);
    expect(d.crossContext).toBe(true);
  });

  it('after the statutory end the same subject is allowed', () => {
    const flights = findMeasure((m) => 'list' in m.trigger && m.trigger.list === 'judgment-defaulters' && m.effect === 'deny');
    const at = Date.UTC(2027, 6, 1);
    const d = decide(facts([listing()], at), flights, at);
    expect(d.outcome).toBe('allow');
    expect(d.reasons.map((r) => r.code)).toEqual(['NOT_TRIGGERED']);
  });

  it('an unknown subject is allowed, and the answer says no records are held', () => {
    const flights = findMeasure((m) => 'list' in m.trigger && m.effect === 'deny');
    const d = decide(facts([], T0), flights, T0);
    expect(d.outcome).toBe('allow');
    expect(d.reasons.map((r) => r.code)).toEqual(['NOT_TRIGGERED', 'NO_RECORDS']);
  });

  it('a reward waives the deposit for AAA, and asks the standard deposit of everyone else', () => {
    const library = findMeasure((m) => m.effect === 'waive_deposit' && 'grades' in m.trigger);
    const aaa = [rec({ type: 'civic.heroic_act' }), rec({ type: 'civic.honour', payload: { level: 'national' } })];
    const yes = decide(facts(aaa, T0 + DAY), library, T0 + DAY);
    expect(yes.outcome).toBe('allow');
    expect(yes.reasons[0]).toEqual({ code: 'GRADE_BAND', message: `the grade condition of measure ${library.id} is met under scheme rongcheng@1` });
    expect(yes.applies).toBe(true);
    // Neither the grade nor the points reach the answer.
    const score = facts(aaa, T0 + DAY).views.get('rongcheng')!;
    expect(score.grade).toBe('AAA');
    expect(JSON.stringify(yes)).not.toMatch(/AAA|points/);
    expect(JSON.stringify(yes)).not.toContain(String(score.score));
    const no = decide(facts([], T0 + DAY), library, T0 + DAY);
    expect(no.outcome).toBe('allow_with_conditions');
    expect(no.conditions.length).toBeGreaterThan(0);
    expect(no.reasons[0]!.code).toBe('NOT_QUALIFIED');
  });

  it('direct grading leads over the band when it sets the grade', () => {
    const m = measureWith({ grades: ['C', 'D'], scheme: 'rongcheng' }, 'deny');
    const d = decide(facts([rec({ type: 'traffic.drunk_driving' })], T0 + DAY), m, T0 + DAY);
    expect(d.outcome).toBe('deny');
    expect(d.reasons[0]).toMatchObject({ code: 'DIRECT_GRADE', message: expect.stringMatching(/^the grade condition of measure test-measure is met under scheme rongcheng@1 by a direct grading/) });
    expect(d.reasons[0]).not.toHaveProperty('grade');
    expect(d.reasons[0]).not.toHaveProperty('recordId');
    const ground = facts([rec({ type: 'traffic.drunk_driving' })], T0 + DAY).views.get('rongcheng')!.directGrading!.ground;
    expect(JSON.stringify(d)).not.toContain(ground);
  });

  it('restricted loans are allowed with conditions, not denied', () => {
    const m = measureWith({ list: 'judgment-defaulters' }, 'allow_with_conditions');
    const d = decide(facts([listing()], T0 + DAY), m, T0 + DAY);
    expect(d.outcome).toBe('allow_with_conditions');
    expect(d.conditions).toEqual(['deposit of 100 CNY']);
  });

  it('a record-type trigger matches while the record is in force, and a disputed trigger is flagged after it', () => {
    const m = measureWith({ recordType: 'courts.consumption_restriction_order' }, 'deny');
    const order = rec({ type: 'courts.consumption_restriction_order', payload: { case_ref: 'C-3' } });
    const d = decide(facts([order], T0 + DAY, [order.id]), m, T0 + DAY);
    expect(d.outcome).toBe('deny');
    expect(d.reasons.map((r) => r.code)).toEqual(['RECORD_PRESENT', 'DISPUTED_RECORD']);
  });

  it('reasons always come in the documented precedence', () => {
    const m = measureWith({ list: 'judgment-defaulters' }, 'deny');
    const l1 = listing();
    const l2 = rec({ type: 'courts.defaulter_listing', payload: { case_ref: 'C-10', ground: 'obstructs_enforcement' } });
    const d = decide(facts([l1, l2], T0 + DAY, [l2.id]), m, T0 + DAY);
    const ranks = d.reasons.map((r) => REASON_PRECEDENCE.indexOf(r.code));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(d.reasons.filter((r) => r.code === 'LIST_ENTRY')).toHaveLength(2);
  });
});
