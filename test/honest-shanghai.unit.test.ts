// The "Honest Shanghai" answer as a scheme over the same records: very good, good or bad,
// derived by a published reading (-1 per adverse finding, +1 per favourable one, bad while a
// court listing counts), and the 2016 measures the catalogue lacked (buying a car, exclusive
// restaurants, exit), each cross-context and withdrawn under the eu profile.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogueDir } from '../src/app/load-catalogue.ts';
import { decide } from '../src/domain/decide.ts';
import { computeLedger, evaluate } from '../src/domain/scoring.ts';
import type { CompiledScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue, StoredRecord } from '../src/domain/types.ts';
import { CATALOGUE_DIR, DAY, decisionFacts, person, rec, shipped, T0 } from './helpers/shipped.ts';

let catalogue: Catalogue;
let honest: CompiledScheme;
let schemes: CompiledScheme[];

beforeAll(async () => {
  const s = await shipped();
  catalogue = s.catalogue;
  honest = s.schemes.get('honest-shanghai')!;
  schemes = [...s.schemes.values()];
});

const answer = (records: StoredRecord[], at = T0 + DAY) => evaluate(computeLedger(person(1), records, honest, catalogue), honest, at);
const arrears = (n: number) => Array.from({ length: n }, (_, i) => rec({ type: 'finance.card_arrears', occurredAt: T0 + i * 1000, payload: { months: 1 } }));

describe('Honest Shanghai: three results over the same records', () => {
  it('answers good for a person with no record, and names the three results', () => {
    const v = answer([]);
    expect(v).toMatchObject({ grade: 'good', score: 0 });
    expect(honest.scheme.bands.map((b) => b.grade)).toEqual(['very-good', 'good', 'bad']);
    expect(honest.gradeLabels.get('very-good')).toMatch(/^very good/);
  });

  it('answers very good for two favourable findings, and good again after one adverse one', () => {
    const deeds = [rec({ type: 'civic.heroic_act' }), rec({ type: 'civic.honour', payload: { level: 'village' } })];
    expect(answer(deeds).grade).toBe('very-good');
    expect(answer([...deeds, ...arrears(1)]).grade).toBe('good');
  });

  it('counts a finding once whatever its size: three cycles of arrears on one record are one finding', () => {
    const big = rec({ type: 'finance.card_arrears', payload: { months: 3 } });
    expect(answer([big]).score).toBe(-1);
    expect(answer(arrears(2)).grade).toBe('good');
    expect(answer(arrears(3)).grade).toBe('bad');
  });

  it('answers bad while a court listing counts, whatever else the person did', () => {
    const listing = rec({ type: 'courts.defaulter_listing', source: 'rongcheng-court', payload: { case_ref: '(2025) Lu 1082 Zhi 3', ground: 'able_to_pay_refuses', end_date: '2026-06-30' } });
    const deeds = [1, 2, 3].map(() => rec({ type: 'civic.heroic_act' }));
    const v = answer([listing, ...deeds]);
    expect(v.grade).toBe('bad');
    expect(v.score).toBe(3);
  });

  it('stands on a registry entry that says it is a reading, not the app\'s algorithm', () => {
    const e = catalogue.legalBases.get('honest-shanghai-app')!;
    expect(e.kind).toBe('reported-practice');
    expect(e.note).toMatch(/No method of deriving them was published/);
    for (const rules of honest.rulesByType.values()) {
      for (const r of rules) {
        if (r.rule.directGrade) expect(String(r.rule.directGrade.legalBasis), r.rule.id).toMatch(/^honest-shanghai-app /);
        else expect(r.citations.map((c) => c.ref), r.rule.id).toContain('honest-shanghai-app');
      }
    }
  });
});

describe('the 2016 measures: a car, an exclusive restaurant, leaving the country', () => {
  const ids = ['defaulter.no_car_purchase', 'defaulter.no_exclusive_restaurants', 'defaulter.exit_restriction'];

  it('are triggered by the court list, cross-context, and deny a listed defaulter', () => {
    const listing = rec({ type: 'courts.defaulter_listing', source: 'rongcheng-court', payload: { case_ref: '(2025) Lu 1082 Zhi 4', ground: 'able_to_pay_refuses', end_date: '2027-06-30' } });
    const facts = decisionFacts(catalogue, schemes, [listing], T0 + DAY);
    const clean = decisionFacts(catalogue, schemes, [], T0 + DAY);
    for (const id of ids) {
      const m = catalogue.measures.get(id)!;
      expect(m.trigger, id).toEqual({ list: 'judgment-defaulters' });
      expect(m.crossContext, id).toBe(true);
      expect(m.citations.map((c) => c.ref), id).toContain('judgment-defaulter-opinions-2016');
      expect(decide(facts, m, T0 + DAY).outcome, id).toBe('deny');
      expect(decide(clean, m, T0 + DAY).outcome, id).toBe('allow');
    }
    expect(catalogue.measures.get('defaulter.exit_restriction')!.domain).toBe('border.exit');
  });

  it('are withdrawn under the eu profile (EU AI Act Art. 5(1)(c))', async () => {
    const eu = await loadCatalogueDir(CATALOGUE_DIR, 'eu');
    expect(eu.problems).toEqual([]);
    for (const id of ids) expect(eu.catalogue!.measures.has(id), id).toBe(false);
  });
});
