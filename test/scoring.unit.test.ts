// The Rongcheng scheme as shipped: bands, the published catalogue items, the report's deeds,
// caps, expiry, revocation, disputes, direct grading and the court list. Table-driven:
// records in, score, grade and leading reasons out.
import { beforeAll, describe, expect, it } from 'vitest';
import { reasons } from '../src/domain/explain.ts';
import { computeLedger, evaluate } from '../src/domain/scoring.ts';
import type { CompiledScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue, StoredRecord } from '../src/domain/types.ts';
import { DAY, person, rec, shipped, T0 } from './helpers/shipped.ts';

let catalogue: Catalogue;
let rongcheng: CompiledScheme;
let weihai: CompiledScheme;

beforeAll(async () => {
  const s = await shipped();
  catalogue = s.catalogue;
  rongcheng = s.schemes.get('rongcheng')!;
  weihai = s.schemes.get('weihai-seashell')!;
});

const score = (records: StoredRecord[], at = T0 + DAY, scheme = rongcheng) =>
  evaluate(computeLedger(person(1), records, scheme, catalogue), scheme, at);

describe('Rongcheng bands (AAA >= 1050 ... D <= 599)', () => {
  // Reach a given score with discretionary "other" deductions (-5..-50) and honours.
  const toScore = (target: number): StoredRecord[] => {
    const out: StoredRecord[] = [];
    let delta = target - 1000;
    while (delta >= 30) { out.push(rec({ type: 'civic.honour', payload: { level: 'national' } })); delta -= 30; }
    while (delta >= 1) { out.push(rec({ type: 'civic.honour', payload: { level: 'village' } })); delta -= 1; }
    while (delta <= -50) { out.push(rec({ type: 'civic.other_untrustworthy', payload: { points: -50, ground: 'Refused a court-ordered repayment plan' } })); delta += 50; }
    if (delta < 0) {
      if (delta > -5) { out.push(rec({ type: 'civic.other_untrustworthy', payload: { points: -10, ground: 'Refused a court-ordered repayment plan' } })); delta += 10; out.push(...toScoreUp(delta)); }
      else out.push(rec({ type: 'civic.other_untrustworthy', payload: { points: delta, ground: 'Refused a court-ordered repayment plan' } }));
    }
    return out;
  };
  const toScoreUp = (d: number) => Array.from({ length: d }, () => rec({ type: 'civic.honour', payload: { level: 'village' } }));

  it.each([
    [1100, 'AAA'], [1050, 'AAA'], [1049, 'AA'], [1030, 'AA'], [1029, 'A'], [1000, 'A'], [960, 'A'],
    [959, 'B'], [850, 'B'], [849, 'C'], [600, 'C'], [599, 'D'], [300, 'D'],
  ])('%i points is grade %s', (target, grade) => {
    const v = score(toScore(target));
    expect(v.score).toBe(target);
    expect(v.grade).toBe(grade);
  });

  it('a subject with no records holds the base score and the default grade A', () => {
    const v = score([]);
    expect([v.score, v.grade, v.gradeLabel]).toEqual([1000, 'A', 'honest (default)']);
  });
});

describe('published deductions and bonuses', () => {
  const cases: [string, StoredRecord['payload'], string, number][] = [
    ['finance.card_arrears', { months: 3 }, 'card arrears, -10 per monthly cycle', -30],
    ['finance.loan_contract_breach', {}, 'breach of a lending contract', -20],
    ['finance.insurance_contract_breach', {}, 'breach of an insurance contract', -20],
    ['utilities.late_fee', { utility: 'water' }, 'late utility fees', -20],
    ['courts.held_liable_unpaid_debt', { case_ref: '(2025) Lu 1082 Zhi 17' }, 'held liable for unpaid debt', -30],
    ['commerce.counterfeit_goods', {}, 'counterfeit goods', -30],
    ['finance.illegal_fundraising_investigation', {}, 'illegal fund-raising', -40],
    ['courts.contract_breach_judgment', { case_ref: '(2025) Lu 1082 Min 3' }, 'court-found breach of contract', -50],
    ['utilities.heating_tampering', {}, 'tampering with heating', -50],
    ['utilities.theft', { utility: 'gas' }, 'stealing gas', -60],
    ['utilities.equipment_destruction', {}, 'destroying utility equipment', -100],
    ['civic.heroic_act', {}, 'heroic act', 30],
    ['civic.honour', { level: 'national' }, 'national honour', 30],
    ['civic.honour', { level: 'provincial' }, 'provincial honour', 20],
    ['civic.honour', { level: 'municipal' }, 'municipal honour', 10],
    ['civic.honour', { level: 'county' }, 'county honour', 5],
    ['civic.honour', { level: 'township' }, 'township honour', 3],
    ['civic.honour', { level: 'village' }, 'village honour', 1],
    ['civic.helped_elderly_move', {}, 'helped an elderly couple move', 5],
    ['civic.taught_course', { course: 'calligraphy' }, 'taught a calligraphy course', 5],
    ['civic.lent_room_for_community', { activity: 'community singing' }, 'lent a room for community singing', 5],
    ['civic.shovelled_snow', {}, 'shovelled snow', 5],
    ['civic.accompanied_neighbour_to_doctor', {}, 'accompanied an elderly neighbour to the doctor', 5],
    ['civic.dog_fouled_lawn', {}, 'let a dog foul the lawn', -5],
    ['civic.water_froze_on_path', {}, 'poured out water that froze on the path', -5],
    ['traffic.red_light', {}, 'ran a red light', -5],
  ];
  it.each(cases)('%s (%s): %s gives %i', (type, payload, _what, delta) => {
    const v = score([rec({ type, payload })]);
    expect(v.score).toBe(1000 + delta);
    expect(reasons(v)[0]).toMatchObject({ code: 'RULE_POINTS', points: delta });
  });

  it('record types outside the published catalogue score nothing in this scheme', () => {
    expect(score([rec({ type: 'tax.arrears', payload: { amount: 5000 } })]).score).toBe(1000);
  });

  it('"other untrustworthy circumstances" count only with a stated ground', () => {
    const withGround = score([rec({ type: 'civic.other_untrustworthy', payload: { points: -15, ground: 'Repeatedly blocked the fire lane with goods' } })]);
    expect(withGround.score).toBe(985);
    const ledger = computeLedger(person(1), [rec({ type: 'civic.other_untrustworthy', payload: { points: -15, ground: 'short' } })], rongcheng, catalogue);
    expect(evaluate(ledger, rongcheng, T0 + DAY).score).toBe(1000);
    expect(ledger.warnings.map((w) => w.code)).toContain('RULE_GROUND_MISSING');
  });
});

describe('caps, expiry, revocation and disputes', () => {
  it('neighbourhood deeds are capped at 30 points per calendar year, per rule', () => {
    const deeds = Array.from({ length: 8 }, (_, i) => rec({ type: 'civic.shovelled_snow', occurredAt: T0 + i * DAY }));
    const ledger = computeLedger(person(1), deeds, rongcheng, catalogue);
    expect(evaluate(ledger, rongcheng, T0 + 10 * DAY).score).toBe(1030);
    expect(ledger.warnings.filter((w) => w.code === 'CAP_REACHED')).toHaveLength(2);
    // A new calendar year opens the cap again.
    const nextYear = rec({ type: 'civic.shovelled_snow', occurredAt: Date.UTC(2026, 0, 5) });
    expect(score([...deeds, nextYear], Date.UTC(2026, 0, 6)).score).toBe(1035);
  });

  it('an adverse record stops counting when its retention ends (five years for utility theft)', () => {
    const theft = rec({ type: 'utilities.theft', payload: { utility: 'power' } });
    expect(score([theft], T0 + 4 * 365 * DAY).score).toBe(940);
    expect(score([theft], Date.UTC(2030, 0, 1)).score).toBe(1000);
    expect(score([theft], Date.UTC(2030, 0, 1) - 1).score).toBe(940);
  });

  it('a revoked record counts until its revocation and never after', () => {
    const r = rec({ type: 'utilities.theft', payload: { utility: 'water' }, revokedAt: T0 + 10 * DAY, revokedBy: 'test/x' });
    expect(score([r], T0 + 5 * DAY).score).toBe(940);
    expect(score([r], T0 + 10 * DAY).score).toBe(1000);
  });

  it('a disputed record stops counting 30 days after the dispute unless the source confirms it', () => {
    const disputed = rec({ type: 'utilities.theft', payload: { utility: 'water' }, disputedAt: T0 + DAY });
    expect(score([disputed], T0 + 30 * DAY).score).toBe(940);
    expect(score([disputed], T0 + 31 * DAY).score).toBe(1000);
    const confirmed = rec({ type: 'utilities.theft', payload: { utility: 'water' }, disputedAt: T0 + DAY, confirmedAt: T0 + 20 * DAY });
    expect(score([confirmed], T0 + 60 * DAY).score).toBe(940);
  });

  it('a record counts only from when Credence learned of it, so history does not change retroactively', () => {
    const late = rec({ type: 'utilities.theft', payload: { utility: 'gas' }, occurredAt: T0, recordedAt: T0 + 100 * DAY });
    expect(score([late], T0 + 50 * DAY).score).toBe(1000);
    expect(score([late], T0 + 100 * DAY).score).toBe(940);
  });
});

describe('direct grading and lists', () => {
  it('drunk driving sets grade C directly, whatever the points, until it expires', () => {
    const v = score([rec({ type: 'traffic.drunk_driving', payload: {} }), rec({ type: 'civic.heroic_act' }), rec({ type: 'civic.heroic_act' })]);
    expect(v.score).toBe(1060);
    expect(v.bandGrade).toBe('AAA');
    expect(v.grade).toBe('C');
    expect(reasons(v)[0]!.code).toBe('DIRECT_GRADE');
  });

  it('grade D puts the subject on the dishonest-persons list, grade AAA on the honesty-models list', () => {
    const d = score(Array.from({ length: 5 }, () => rec({ type: 'utilities.equipment_destruction' })));
    expect(d.grade).toBe('D');
    expect(d.lists.map((l) => l.list)).toEqual(['dishonest-persons']);
    const aaa = score([rec({ type: 'civic.heroic_act' }), rec({ type: 'civic.honour', payload: { level: 'provincial' } })]);
    expect(aaa.grade).toBe('AAA');
    expect(aaa.lists.map((l) => l.list)).toEqual(['honesty-models']);
  });

  it('a court listing puts the subject on the judgment-defaulter list until its statutory end', () => {
    const listing = rec({ type: 'courts.defaulter_listing', payload: { case_ref: '(2025) Lu 1082 Zhi 88', ground: 'able_to_pay_refuses', end_date: '2027-01-01' } });
    const v = score([listing], T0 + DAY);
    expect(v.lists).toMatchObject([{ list: 'judgment-defaulters', until: Date.UTC(2027, 0, 1) }]);
    expect(score([listing], Date.UTC(2027, 0, 1)).lists).toEqual([]);
  });

  it('without an end date the listing lasts two years; a delisting for the same case ends it early', () => {
    const listing = rec({ type: 'courts.defaulter_listing', payload: { case_ref: 'C-1', ground: 'obstructs_enforcement' } });
    expect(score([listing], T0 + DAY).lists[0]!.until).toBe(Date.UTC(2027, 0, 1));
    const other = rec({ type: 'courts.defaulter_delisting', payload: { case_ref: 'C-2' }, occurredAt: T0 + 10 * DAY });
    expect(score([listing, other], T0 + 20 * DAY).lists).toHaveLength(1);
    const delisting = rec({ type: 'courts.defaulter_delisting', payload: { case_ref: 'C-1' }, occurredAt: T0 + 10 * DAY });
    expect(score([listing, delisting], T0 + 20 * DAY).lists).toEqual([]);
    expect(score([listing, delisting], T0 + 5 * DAY).lists).toHaveLength(1);
  });

  it('nextChangeAt names the next expiry, so snapshots know when they go stale', () => {
    const v = score([rec({ type: 'civic.dog_fouled_lawn' })], T0 + DAY);
    expect(v.nextChangeAt).not.toBeNull();
    expect(v.nextChangeAt! > T0 + DAY).toBe(true);
    expect(score([rec({ type: 'civic.dog_fouled_lawn' })], v.nextChangeAt!).score).toBe(1000);
  });

  it('other schemes over the same records are scored side by side', () => {
    const recs = [rec({ type: 'utilities.theft', payload: { utility: 'power' } })];
    expect(score(recs, T0 + DAY, rongcheng).grade).toBe('B');
    expect(score(recs, T0 + DAY, weihai).grade).toBe('C');
  });
});
