// Catalogue data and validator: the shipped catalogue loads cleanly and matches the
// record-type contract; the charter's refusals (special categories, missing legal basis,
// cross-context measures under the eu profile) are enforced and reported all at once.
import { mkdtemp, readFile, rm, writeFile, copyFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CATALOGUE_PROBLEM_CODES,
  validateCatalogue,
  isIsoDuration,
  type CatalogueInput,
  type CatalogueProblem,
} from '../src/domain/catalogue-validate.ts';
import { SCREEN_TERMS, screenText, type ScreenCategory } from '../src/domain/screen.ts';
import { CATALOGUE_FILES, formatProblems, loadCatalogueDir } from '../src/app/load-catalogue.ts';
import { ALLOWED_CATEGORIES, type Catalogue } from '../src/domain/types.ts';
import { shippedInput } from './helpers/shipped.ts';

const CATALOGUE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalogue');


type Data = Record<string, any>;
const data = (f: { data: unknown }) => f.data as Data;

/** A valid record type to inject, overridable field by field. */
function injected(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    code: 'civic.test_item',
    title: 'Test item',
    titleZh: '测试项目',
    description: 'A harmless test item.',
    category: 'civic',
    domain: 'civic',
    subjectKinds: ['person'],
    legalBasis: 'urban-residents-committees-law Art. 15',
    polarity: 'adverse',
    retention: 'P1Y',
    payloadSchema: { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 500 } } },
    ...over,
  };
}

function withRecordType(rt: Record<string, unknown>): { input: CatalogueInput; index: number } {
  const input = shippedInput();
  const list = data(input.recordTypes).recordTypes as unknown[];
  list.push(rt);
  return { input, index: list.length - 1 };
}

const codesOf = (problems: CatalogueProblem[]) => problems.map((p) => p.code);

// ---------------------------------------------------------------------------------------
// The record-type contract (/tmp/spec/record-types.md): code | category | kinds | polarity
// | payload fields (* = required). Every payload also allows `note`.
const SPEC: Array<[string, string, 'P' | 'O' | 'PO', string, string]> = [
  ['finance.card_arrears', 'finance', 'PO', 'adverse', 'months* amount'],
  ['finance.loan_contract_breach', 'finance', 'PO', 'adverse', 'contract_ref amount'],
  ['finance.guarantee_breach', 'finance', 'PO', 'adverse', 'contract_ref amount'],
  ['finance.lease_contract_breach', 'finance', 'PO', 'adverse', 'contract_ref amount'],
  ['finance.insurance_contract_breach', 'finance', 'PO', 'adverse', 'contract_ref amount'],
  ['finance.private_lending_breach', 'finance', 'P', 'adverse', 'amount'],
  ['finance.illegal_fundraising_investigation', 'finance', 'PO', 'adverse', 'case_ref'],
  ['finance.loan_repaid', 'finance', 'PO', 'favourable', 'amount'],
  ['utilities.late_fee', 'utilities', 'PO', 'adverse', 'utility* days_late amount'],
  ['utilities.arrears_judgment', 'utilities', 'PO', 'adverse', 'utility* amount case_ref'],
  ['utilities.heating_tampering', 'utilities', 'PO', 'adverse', 'case_ref'],
  ['utilities.theft', 'utilities', 'PO', 'adverse', 'utility*'],
  ['utilities.equipment_destruction', 'utilities', 'PO', 'adverse', 'case_ref'],
  ['courts.held_liable_unpaid_debt', 'courts', 'PO', 'adverse', 'case_ref* amount'],
  ['courts.contract_breach_judgment', 'courts', 'PO', 'adverse', 'case_ref* amount'],
  ['courts.defaulter_listing', 'courts', 'PO', 'adverse', 'case_ref* ground* end_date'],
  ['courts.defaulter_delisting', 'courts', 'PO', 'neutral', 'case_ref*'],
  ['courts.consumption_restriction_order', 'courts', 'PO', 'adverse', 'case_ref*'],
  ['commerce.pyramid_selling', 'commerce', 'PO', 'adverse', 'case_ref'],
  ['commerce.commercial_fraud', 'commerce', 'PO', 'adverse', 'case_ref amount'],
  ['commerce.counterfeit_goods', 'commerce', 'PO', 'adverse', 'case_ref goods'],
  ['commerce.false_advertising', 'commerce', 'O', 'adverse', 'case_ref'],
  ['commerce.licence_revoked', 'commerce', 'O', 'adverse', 'licence_ref'],
  ['commerce.annual_report_missing', 'commerce', 'O', 'adverse', 'year*'],
  ['commerce.abnormal_operation_listing', 'commerce', 'O', 'adverse', 'reason'],
  ['commerce.quality_award', 'commerce', 'O', 'favourable', 'award'],
  ['tax.arrears', 'tax', 'PO', 'adverse', 'amount* months'],
  ['tax.evasion_penalty', 'tax', 'PO', 'adverse', 'amount* case_ref'],
  ['tax.invoice_fraud', 'tax', 'O', 'adverse', 'case_ref'],
  ['tax.a_grade_taxpayer', 'tax', 'O', 'favourable', 'year*'],
  ['transport.fare_evasion', 'transport', 'P', 'adverse', 'mode* amount'],
  ['transport.smoking_on_train', 'transport', 'P', 'adverse', 'train'],
  ['transport.seat_occupation', 'transport', 'P', 'adverse', 'train'],
  ['transport.disruptive_air_passenger', 'transport', 'P', 'adverse', 'flight'],
  ['transport.ticket_scalping', 'transport', 'PO', 'adverse', 'case_ref'],
  ['traffic.red_light', 'traffic', 'P', 'adverse', 'location'],
  ['traffic.drunk_driving', 'traffic', 'P', 'adverse', 'case_ref'],
  ['traffic.hit_and_run', 'traffic', 'P', 'adverse', 'case_ref'],
  ['traffic.unpaid_fines', 'traffic', 'PO', 'adverse', 'amount*'],
  ['traffic.speeding', 'traffic', 'P', 'adverse', 'over_percent*'],
  ['traffic.unlicensed_driving', 'traffic', 'P', 'adverse', 'case_ref'],
  ['civic.heroic_act', 'civic', 'P', 'favourable', 'description'],
  ['civic.honour', 'honours', 'PO', 'favourable', 'level* title'],
  ['civic.helped_elderly_move', 'civic', 'P', 'favourable', ''],
  ['civic.taught_course', 'civic', 'P', 'favourable', 'course*'],
  ['civic.lent_room_for_community', 'civic', 'P', 'favourable', 'activity'],
  ['civic.shovelled_snow', 'civic', 'P', 'favourable', ''],
  ['civic.accompanied_neighbour_to_doctor', 'civic', 'P', 'favourable', ''],
  ['civic.volunteer_service', 'civic', 'P', 'favourable', 'hours*'],
  ['civic.charitable_donation', 'civic', 'PO', 'favourable', 'amount*'],
  ['civic.dog_fouled_lawn', 'civic', 'P', 'adverse', ''],
  ['civic.water_froze_on_path', 'civic', 'P', 'adverse', ''],
  ['civic.other_untrustworthy', 'civic', 'PO', 'adverse', 'points* ground*'],
  ['labour.wage_arrears', 'labour', 'O', 'adverse', 'workers* amount*'],
  ['labour.social_insurance_arrears', 'labour', 'O', 'adverse', 'amount* months'],
  ['labour.labour_contract_violation', 'labour', 'O', 'adverse', 'case_ref'],
  ['procurement.bid_rigging', 'procurement', 'O', 'adverse', 'tender_ref*'],
  ['procurement.fraud', 'procurement', 'PO', 'adverse', 'tender_ref* amount'],
  ['procurement.contract_default', 'procurement', 'O', 'adverse', 'contract_ref*'],
  ['product_safety.violation', 'product-safety', 'O', 'adverse', 'product* severity*'],
  ['product_safety.recall_failure', 'product-safety', 'O', 'adverse', 'product*'],
  ['product_safety.food_safety_violation', 'product-safety', 'O', 'adverse', 'severity*'],
  ['environment.pollution_penalty', 'environment', 'O', 'adverse', 'amount* case_ref'],
  ['environment.illegal_dumping', 'environment', 'PO', 'adverse', 'case_ref'],
  ['administration.false_statement', 'administration', 'PO', 'adverse', 'application_ref*'],
  ['administration.commitment_breach', 'administration', 'PO', 'adverse', 'application_ref*'],
  ['administration.commitment_kept', 'administration', 'PO', 'favourable', 'application_ref*'],
];

const SOURCE_SPEC: Record<string, { kind: string; domain: string; types: (codes: string[]) => string[] }> = {
  'pboc-credit-centre': { kind: 'agency', domain: 'finance', types: (c) => [...c.filter((x) => x.startsWith('finance.')), 'finance.loan_instalment_overdue'] },
  'rongcheng-banks': { kind: 'enterprise', domain: 'finance', types: () => ['finance.card_arrears', 'finance.loan_instalment_overdue', 'finance.loan_contract_breach', 'finance.loan_repaid', 'commerce.other_untrustworthy_commercial'] },
  'utilities-bureau': { kind: 'agency', domain: 'utilities', types: (c) => c.filter((x) => x.startsWith('utilities.')) },
  'rongcheng-court': {
    kind: 'court',
    domain: 'courts',
    types: (c) => [
      ...c.filter((x) => x.startsWith('courts.')),
      'utilities.arrears_judgment', 'commerce.pyramid_selling', 'commerce.commercial_fraud', 'finance.illegal_fundraising_investigation',
    ],
  },
  'market-regulation': { kind: 'agency', domain: 'commerce', types: (c) => c.filter((x) => x.startsWith('commerce.') || x.startsWith('product_safety.')) },
  'tax-bureau': { kind: 'agency', domain: 'tax', types: (c) => c.filter((x) => x.startsWith('tax.')) },
  'railway-bureau': { kind: 'enterprise', domain: 'transport', types: () => ['transport.fare_evasion', 'transport.smoking_on_train', 'transport.seat_occupation', 'transport.ticket_scalping'] },
  'civil-aviation': { kind: 'agency', domain: 'transport', types: () => ['transport.disruptive_air_passenger', 'transport.fare_evasion'] },
  // The traffic police enforce the national Road Traffic Safety Law: the national penalty items too.
  'traffic-police': { kind: 'agency', domain: 'traffic', types: (c) => [...c.filter((x) => x.startsWith('traffic.')), 'traffic.passenger_or_cargo_overloading', 'traffic.unregistered_vehicle', 'traffic.forged_plates', 'traffic.driving_while_licence_revoked'] },
  'civil-affairs': { kind: 'agency', domain: 'civic', types: () => ['civic.heroic_act', 'civic.honour', 'civic.charitable_donation', 'civic.volunteer_service'] },
  'grid-office-morgenroete': {
    kind: 'grid-office',
    domain: 'civic',
    types: (c) => c.filter((x) => x.startsWith('civic.') && x !== 'civic.honour' && x !== 'civic.heroic_act'),
  },
  'human-resources': { kind: 'agency', domain: 'labour', types: (c) => c.filter((x) => x.startsWith('labour.')) },
  'procurement-office': { kind: 'agency', domain: 'procurement', types: (c) => c.filter((x) => x.startsWith('procurement.')) },
  'environment-bureau': { kind: 'agency', domain: 'environment', types: (c) => c.filter((x) => x.startsWith('environment.')) },
  'admin-service-centre': { kind: 'agency', domain: 'administration', types: (c) => c.filter((x) => x.startsWith('administration.')) },
};

// ---------------------------------------------------------------------------------------

describe('shipped catalogue', () => {
  let catalogue: Catalogue;

  beforeAll(async () => {
    const r = await loadCatalogueDir(CATALOGUE_DIR, 'default');
    expect(formatProblems(r.problems)).toBe('');
    expect(r.catalogue).toBeDefined();
    catalogue = r.catalogue!;
  });

  it('loads with zero problems at national breadth: at least 300 record types from at least 40 sources', () => {
    expect(catalogue.version).toBe('2026.1');
    expect(catalogue.recordTypes.size).toBeGreaterThanOrEqual(300);
    expect(catalogue.sources.size).toBeGreaterThanOrEqual(40);
    // Every source delivers something, and every record type has a source that may deliver it.
    const delivered = new Set([...catalogue.sources.values()].flatMap((s) => s.recordTypes));
    for (const s of catalogue.sources.values()) expect(s.recordTypes.length, s.id).toBeGreaterThan(0);
    for (const code of catalogue.recordTypes.keys()) expect(delivered.has(code), code).toBe(true);
    expect(catalogue.lists.size).toBe(5);
    expect(catalogue.measures.size).toBeGreaterThanOrEqual(20);
  });

  it('covers every allowed category, including organisation record types', () => {
    const cats = new Set([...catalogue.recordTypes.values()].map((t) => t.category));
    expect([...cats].sort()).toEqual([...ALLOWED_CATEGORIES].sort());
    for (const code of ['tax.arrears', 'product_safety.violation', 'procurement.fraud', 'labour.wage_arrears']) {
      expect(catalogue.recordTypes.get(code)?.subjectKinds, code).toContain('organisation');
    }
  });

  it('keeps the record-type contract of the town (codes, category, kinds, polarity, payload fields) that the simulator and the schemes use', () => {
    const codes = new Set(catalogue.recordTypes.keys());
    for (const [code] of SPEC) expect(codes.has(code), code).toBe(true);
    for (const [code, category, kinds, polarity, fields] of SPEC) {
      const t = catalogue.recordTypes.get(code)!;
      expect(t.category, code).toBe(category);
      expect([...t.subjectKinds].sort(), code).toEqual(
        kinds === 'PO' ? ['organisation', 'person'] : kinds === 'P' ? ['person'] : ['organisation'],
      );
      expect(t.polarity, code).toBe(polarity);
      const names = fields.split(' ').filter(Boolean);
      const props = Object.keys(t.payloadSchema.properties as object).sort();
      expect(props, code).toEqual([...names.map((n) => n.replace('*', '')), 'note'].sort());
      const required = names.filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1)).sort();
      expect([...((t.payloadSchema.required as string[] | undefined) ?? [])].sort(), code).toEqual(required);
      expect(t.payloadSchema.additionalProperties, code).toBe(false);
      expect((t.payloadSchema.properties as any).note, code).toEqual({ type: 'string', maxLength: 500 });
      expect(t.legalBasis.trim().length, code).toBeGreaterThan(0);
      expect(isIsoDuration(t.retention), code).toBe(true);
      expect(t.titleZh, code).toBeTruthy();
    }
  });

  it('keeps spec enums and bounds', () => {
    const props = (code: string) => catalogue.recordTypes.get(code)!.payloadSchema.properties as Record<string, any>;
    expect(props('utilities.late_fee').utility.enum).toEqual(['water', 'power', 'gas', 'heating']);
    expect(props('utilities.theft').utility.enum).toEqual(['water', 'power', 'gas']);
    expect(props('finance.card_arrears').months).toMatchObject({ type: 'integer', minimum: 1, maximum: 120 });
    expect(props('traffic.speeding').over_percent).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    expect(props('civic.other_untrustworthy').points).toMatchObject({ type: 'integer', minimum: -50, maximum: -5 });
    expect(props('civic.other_untrustworthy').ground).toMatchObject({ type: 'string', minLength: 10, maxLength: 500 });
    expect(props('civic.volunteer_service').hours).toMatchObject({ minimum: 1, maximum: 1000 });
    expect(props('courts.defaulter_listing').ground.enum).toHaveLength(6);
    expect(props('civic.honour').level.enum).toEqual(['national', 'provincial', 'municipal', 'county', 'township', 'village']);
  });

  it('uses five years for adverse records unless a shorter period is justified, and never more', () => {
    const adverse = [...catalogue.recordTypes.values()].filter((t) => t.polarity === 'adverse');
    expect(adverse.filter((t) => t.retention === 'P5Y').length).toBeGreaterThan(adverse.length / 2);
    for (const t of catalogue.recordTypes.values()) expect(['P1Y', 'P2Y', 'P3Y', 'P5Y'], t.code).toContain(t.retention);
    expect(catalogue.recordTypes.get('civic.dog_fouled_lawn')!.retention).toBe('P1Y');
    expect(catalogue.recordTypes.get('civic.heroic_act')!.retention).toBe('P2Y');
  });

  it('registers the town\'s sources with the town\'s record types, listed one by one', () => {
    // The town's sources deliver the town's types (the contract above), not the national agencies' ones.
    const codes = SPEC.map((s) => s[0]);
    for (const id of Object.keys(SOURCE_SPEC)) expect(catalogue.sources.has(id), id).toBe(true);
    for (const [id, spec] of Object.entries(SOURCE_SPEC)) {
      const s = catalogue.sources.get(id)!;
      expect(s.kind, id).toBe(spec.kind);
      expect(s.domain, id).toBe(spec.domain);
      expect([...s.recordTypes].sort(), id).toEqual([...new Set(spec.types(codes))].sort());
      expect(s.legalBasis.length, id).toBeGreaterThan(0);
    }
  });

  it('defines the five lists', () => {
    const l = (id: string) => catalogue.lists.get(id)!;
    expect(l('judgment-defaulters')).toMatchObject({ kind: 'black', domain: 'courts', public: true });
    // Fa Shi (2013) 17 as amended by Fa Shi (2017) 7: one registry entry, with its amendment.
    expect(l('judgment-defaulters').citations.map((c) => c.ref)).toContain('spc-defaulter-list-provisions');
    expect(catalogue.legalBases.get('spc-defaulter-list-provisions')).toMatchObject({ kind: 'judicial-interpretation', date: expect.stringMatching(/^2013-/), amended: expect.stringMatching(/^2017-/) });
    expect(l('dishonest-persons')).toMatchObject({ kind: 'black', public: false });
    expect(l('honesty-models')).toMatchObject({ kind: 'red', public: true });
    expect(l('serious-dishonesty-market')).toMatchObject({ kind: 'black', domain: 'commerce' });
    expect(l('procurement-exclusion')).toMatchObject({ kind: 'black', domain: 'procurement' });
  });

  it('raises no special-category false positive on any shipped entry', () => {
    for (const t of catalogue.recordTypes.values()) {
      for (const text of [t.code.replace(/[._]/g, ' '), t.title, t.titleZh ?? '', t.description]) {
        expect(screenText(text), `${t.code}: ${text}`).toEqual([]);
      }
    }
    for (const m of catalogue.measures.values()) {
      expect(screenText(`${m.title} ${m.description ?? ''}`), m.id).toEqual([]);
    }
    for (const l of catalogue.lists.values()) expect(screenText(`${l.title} ${l.description}`), l.id).toEqual([]);
  });

  it('marks every measure of the 2016 defaulter opinions as cross-context', () => {
    const defaulter = [...catalogue.measures.values()].filter((m) => 'list' in m.trigger && m.trigger.list === 'judgment-defaulters');
    expect(defaulter.map((m) => m.domain.split('.')[0]).sort()).toEqual(
      expect.arrayContaining(['consumption', 'education', 'employment', 'finance', 'procurement', 'property', 'transport']),
    );
    expect(defaulter.length).toBeGreaterThanOrEqual(14);
    for (const m of defaulter) {
      expect(m.crossContext, m.id).toBe(true);
      expect(m.citations.map((c) => c.ref), m.id).toContain('judgment-defaulter-opinions-2016');
      expect(m.contest, m.id).toMatch(/Fa Shi \(2017\) 7/);
      expect(m.contest, m.id).toMatch(/15 days/);
      expect(['deny', 'allow_with_conditions'], m.id).toContain(m.effect);
      if (m.effect === 'allow_with_conditions') expect(m.conditions?.length, m.id).toBeGreaterThan(0);
    }
    expect(catalogue.measures.get('defaulter.no_flights')!.domain).toBe('transport.air');
    expect(catalogue.measures.get('defaulter.restricted_insurance')!.conditions).toContain('higher premium');
  });

  it('marks grade-triggered rewards cross-context (trigger domain general-credit) and keeps the in-domain procurement exclusion', () => {
    const lib = catalogue.measures.get('reward.library_card_deposit_free')!;
    expect(lib.trigger).toEqual({ grades: ['AAA', 'AA'], scheme: 'rongcheng' });
    expect(lib.effect).toBe('waive_deposit');
    expect(lib.conditions).toEqual(['deposit of 100 CNY']);
    expect(lib.crossContext).toBe(true);
    expect(catalogue.measures.get('reward.public_bike_deposit_free')!.trigger).toEqual({ grades: ['AAA'], scheme: 'rongcheng' });
    expect(catalogue.measures.get('reward.lower_loan_rates')!.effect).toBe('priority');
    expect(catalogue.measures.get('reward.honesty_model_publicity')!.trigger).toEqual({ list: 'honesty-models' });
    const proc = catalogue.measures.get('procurement.excluded_supplier')!;
    expect(proc.trigger).toEqual({ list: 'procurement-exclusion' });
    expect(proc.crossContext).toBe(false);
  });
});

describe('eu profile', () => {
  it('refuses every cross-context measure, defaulter measures and grade rewards alike, and nothing else', async () => {
    const def = await loadCatalogueDir(CATALOGUE_DIR, 'default');
    const cross = [...def.catalogue!.measures.values()].filter((m) => m.crossContext).map((m) => m.id);
    // The validator itself, without the shipped EU variant (catalogue/eu/variant.yaml): every
    // cross-context measure is refused under the eu profile.
    const eu = validateCatalogue(shippedInput(), { profile: 'eu' });
    expect(eu.catalogue).toBeUndefined();
    expect(eu.problems.every((p) => p.code === 'CATALOGUE_CROSS_CONTEXT_EU')).toBe(true);
    expect(eu.problems).toHaveLength(cross.length);
    const measures = data(shippedInput().measures).measures as Array<{ id: string }>;
    const refused = eu.problems.map((p) => measures[Number(/^measures\[(\d+)\]$/.exec(p.path)![1])].id);
    expect(refused.sort()).toEqual(cross.sort());
    expect(refused).toContain('reward.library_card_deposit_free');
    expect(refused).not.toContain('procurement.excluded_supplier');
    for (const p of eu.problems) {
      expect(p.message).toMatch(/Art\. 5\(1\)\(c\)/);
      expect(p.file).toMatch(/measures\.yaml$/);
    }
  });

  it('loads the shipped catalogue through its EU variant, which withdraws exactly the cross-context measures', async () => {
    const def = await loadCatalogueDir(CATALOGUE_DIR, 'default');
    const eu = await loadCatalogueDir(CATALOGUE_DIR, 'eu');
    expect(eu.problems).toEqual([]);
    const kept = [...eu.catalogue!.measures.values()];
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((m) => !m.crossContext)).toBe(true);
    expect(kept.map((m) => m.id).sort()).toEqual([...def.catalogue!.measures.values()].filter((m) => !m.crossContext).map((m) => m.id).sort());
    expect(eu.catalogue!.recordTypes.size).toBe(def.catalogue!.recordTypes.size);
  });

  it('accepts a measures file without cross-context measures', () => {
    const input = shippedInput();
    const m = data(input.measures);
    m.measures = (m.measures as Array<{ id: string }>).filter((x) => x.id === 'procurement.excluded_supplier');
    const r = validateCatalogue(input, { profile: 'eu' });
    expect(r.problems).toEqual([]);
    expect(r.catalogue?.measures.size).toBe(1);
  });
});

// ---------------------------------------------------------------------------------------

const SCREEN_CASES: Array<[string, ScreenCategory]> = [
  // religion or belief
  ['religious gathering attendance', 'religion'],
  ['Teilnahme an religiösen Versammlungen', 'religion'],
  ['参加宗教活动', 'religion'],
  ['illegal religious activities', 'religion'],
  ['Kirchenbesuch', 'religion'],
  ['Falun Gong practice', 'religion'],
  ['修炼法轮功', 'religion'],
  // political opinion and online speech
  ['spreading rumours online', 'political-opinion'],
  ['Verbreitung von Gerüchten', 'political-opinion'],
  ['散布谣言', 'political-opinion'],
  ['harmful comments on social media', 'political-opinion'],
  ['politische Meinung', 'political-opinion'],
  ['越级上访', 'political-opinion'],
  ['filed a petition', 'political-opinion'],
  // ethnicity
  ['ethnic minority register', 'ethnicity'],
  ['ethnische Zugehörigkeit', 'ethnicity'],
  ['民族成分', 'ethnicity'],
  ['race of the subject', 'ethnicity'],
  // health
  ['chronic illness reported', 'health'],
  ['Krankheit gemeldet', 'health'],
  ['病史记录', 'health'],
  ['HIV status', 'health'],
  ['HIV-positive', 'health'],
  ['Gesundheitsdaten', 'health'],
  // sex life
  ['homosexual conduct', 'sex-life'],
  ['Angaben zum Sexualleben', 'sex-life'],
  ['性取向登记', 'sex-life'],
  // reproduction and family planning
  ['计划生育 violation', 'family-planning'],
  ['unwanted child', 'family-planning'],
  ['unwanted children', 'family-planning'],
  ['Verstoß gegen die Familienplanung', 'family-planning'],
  ['超生罚款', 'family-planning'],
  ['birth control breach', 'family-planning'],
  // union membership
  ['trade union membership', 'union-membership'],
  ['Gewerkschaftsmitglied', 'union-membership'],
  ['加入工会', 'union-membership'],
];

describe('special-category screen', () => {
  it.each(SCREEN_CASES)('screenText(%j) -> %s', (text, category) => {
    expect(screenText(text).map((h) => h.category)).toContain(category);
  });

  it.each(SCREEN_CASES)('a record type titled %j is refused (%s)', (text, category) => {
    const { input, index } = withRecordType(injected({ title: text }));
    const r = validateCatalogue(input);
    expect(r.catalogue).toBeUndefined();
    const hits = r.problems.filter((p) => p.code === 'CATALOGUE_SPECIAL_CATEGORY_TERM');
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]).toMatchObject({ file: 'record-types.yaml', path: `recordTypes[${index}].title` });
    expect(hits.map((h) => h.message).join('\n')).toContain(`special category ${category}`);
    // Nothing else is wrong with the injected entry.
    expect(r.problems.every((p) => p.code === 'CATALOGUE_SPECIAL_CATEGORY_TERM')).toBe(true);
  });

  it('screens the code, titleZh and description too, and names term and category', () => {
    const { input, index } = withRecordType(
      injected({ code: 'civic.rumour_spreading', titleZh: '网络言论', description: 'Attended an unregistered church service.' }),
    );
    const r = validateCatalogue(input);
    const paths = r.problems.filter((p) => p.code === 'CATALOGUE_SPECIAL_CATEGORY_TERM').map((p) => p.path);
    expect(paths).toEqual([`recordTypes[${index}].code`, `recordTypes[${index}].titleZh`, `recordTypes[${index}].description`]);
    const msg = r.problems.find((p) => p.path.endsWith('.description'))!.message;
    expect(msg).toContain('"church"');
    expect(msg).toContain('religion');
  });

  it('screens payload field names and enum values', () => {
    const { input, index } = withRecordType(
      injected({
        payloadSchema: {
          type: 'object',
          additionalProperties: false,
          properties: { religion: { type: 'string', maxLength: 20 }, kind: { type: 'string', enum: ['ethnic_minority', 'other'] } },
        },
      }),
    );
    const paths = validateCatalogue(input).problems.map((p) => `${p.code} ${p.path}`);
    expect(paths).toContain(`CATALOGUE_SPECIAL_CATEGORY_TERM recordTypes[${index}].payloadSchema.properties.religion`);
    expect(paths).toContain(`CATALOGUE_SPECIAL_CATEGORY_TERM recordTypes[${index}].payloadSchema.properties.kind.enum`);
  });

  it('has no false positives on word parts and ordinary credit vocabulary', () => {
    for (const text of [
      'prejudice', 'terrace', 'embrace', 'grace period', 'trace', 'Ukraine', 'tax', 'tax.arrears',
      'labour.labour_contract_violation', 'labour contract violation', 'European Union', 'good faith',
      'bad faith', 'hearing aids', 'financial aids', 'glaubhaft', 'Glaubwürdigkeit', 'policy', 'competition', 'hive', 'archive',
      'Morgenröte', 'racetrack', 'wealth', 'stealth', 'mediator', 'unionised', 'reunion', 'sextant',
      'Essex', 'cultivate', 'temple', 'the sexton', '社会保险', '教授课程', '诚信模范',
    ]) {
      expect(screenText(text), text).toEqual([]);
    }
  });

  it('keeps the longest overlapping term only', () => {
    expect(screenText('political opinion')).toEqual([{ term: 'political opinion', category: 'political-opinion' }]);
    expect(screenText('计划生育')).toEqual([{ term: '计划生育', category: 'family-planning' }]);
  });

  it('lists terms in English, German and Chinese for every group', () => {
    for (const [group, terms] of Object.entries(SCREEN_TERMS)) {
      expect(terms.some((t) => /[\u4e00-\u9fff]/.test(t)), group).toBe(true);
      expect(terms.filter((t) => /^[\x20-\x7e]+$/.test(t)).length, group).toBeGreaterThan(0);
      for (const t of terms) expect(screenText(t).map((h) => h.category), `${group}: ${t}`).toContain(group);
    }
  });
});

describe('validator refusals', () => {
  it.each(['religion', 'belief', 'political-opinion', 'political_opinion', 'online-speech', 'Health', 'sex-life', 'family-planning', 'union-membership', 'religious-activities'])(
    'refuses declared category %j',
    (category) => {
      const { input, index } = withRecordType(injected({ category }));
      const r = validateCatalogue(input);
      expect(r.catalogue).toBeUndefined();
      expect(r.problems).toContainEqual(expect.objectContaining({ code: 'CATALOGUE_SPECIAL_CATEGORY', path: `recordTypes[${index}].category` }));
    },
  );

  it('refuses an unknown, non-special category with its own code', () => {
    const { input, index } = withRecordType(injected({ category: 'gossip' }));
    expect(validateCatalogue(input).problems).toEqual([
      expect.objectContaining({ code: 'CATALOGUE_UNKNOWN_CATEGORY', path: `recordTypes[${index}].category` }),
    ]);
  });

  it('refuses a missing legal basis on record types, sources, lists and measures', () => {
    const input = shippedInput();
    delete data(input.recordTypes).recordTypes[3].legalBasis;
    data(input.sources).sources[1].legalBasis = '   ';
    delete data(input.lists).lists[0].legalBasis;
    data(input.measures).measures[2].legalBasis = '';
    const r = validateCatalogue(input);
    expect(r.catalogue).toBeUndefined();
    expect(r.problems.map((p) => `${p.file}:${p.path}: ${p.code}`)).toEqual([
      'record-types.yaml:recordTypes[3].legalBasis: CATALOGUE_NO_LEGAL_BASIS',
      'sources.yaml:sources[1].legalBasis: CATALOGUE_NO_LEGAL_BASIS',
      'lists.yaml:lists[0].legalBasis: CATALOGUE_NO_LEGAL_BASIS',
      'measures.yaml:measures[2].legalBasis: CATALOGUE_NO_LEGAL_BASIS',
    ]);
  });

  it('reports every problem in one file at once, with correct paths', () => {
    const input = shippedInput();
    const rts = data(input.recordTypes).recordTypes as Data[];
    delete rts[0].title;
    rts[2].retention = '5 years';
    rts[5].category = 'religion';
    rts[7].payloadSchema = { type: 'object', additionalProperties: false, properties: { amount: { type: 'number' }, ref: { type: 'string' } } };
    rts[9].subjectKinds = ['citizen'];
    rts.push({ ...rts[11] }); // a second entry with the code of recordTypes[11]
    rts[12].polarity = 'bad';
    rts[13].domain = 'transport';
    rts[14].payloadSchema = { type: 'array' };
    rts[15].extra = 1;
    const r = validateCatalogue(input);
    const got = r.problems.map((p) => `${p.path} ${p.code}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'recordTypes[0].title CATALOGUE_FIELD_MISSING',
        'recordTypes[2].retention CATALOGUE_BAD_RETENTION',
        'recordTypes[5].category CATALOGUE_SPECIAL_CATEGORY',
        'recordTypes[7].payloadSchema.properties.amount CATALOGUE_PAYLOAD_SCHEMA',
        'recordTypes[7].payloadSchema.properties.ref CATALOGUE_PAYLOAD_SCHEMA',
        'recordTypes[9].subjectKinds CATALOGUE_FIELD_TYPE',
        `recordTypes[${rts.length - 1}].code CATALOGUE_DUPLICATE_ID`,
        'recordTypes[12].polarity CATALOGUE_FIELD_TYPE',
        'recordTypes[13].domain CATALOGUE_DOMAIN_MISMATCH',
        'recordTypes[14].payloadSchema.type CATALOGUE_PAYLOAD_SCHEMA',
        'recordTypes[14].payloadSchema.additionalProperties CATALOGUE_PAYLOAD_SCHEMA',
        'recordTypes[15].extra CATALOGUE_UNKNOWN_FIELD',
      ]),
    );
    expect(r.problems.every((p) => p.file === 'record-types.yaml')).toBe(true);
    // The duplicated code is still known, so no source reports it as unknown.
    expect(codesOf(r.problems)).not.toContain('CATALOGUE_UNKNOWN_RECORD_TYPE');
  });

  it('refuses a payload schema that Ajv cannot compile', () => {
    const { input, index } = withRecordType(
      injected({ payloadSchema: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer', minimum: 'one', maximum: 3 } } } }),
    );
    const r = validateCatalogue(input);
    expect(r.problems).toContainEqual(
      expect.objectContaining({ code: 'CATALOGUE_PAYLOAD_SCHEMA', path: `recordTypes[${index}].payloadSchema`, message: expect.stringMatching(/does not compile/) }),
    );
  });

  it.each(['5Y', 'P', 'PT', 'P0Y', 'P5', 'P1.5Y', ''])('refuses retention %j', (retention) => {
    const { input } = withRecordType(injected({ retention }));
    const codes = codesOf(validateCatalogue(input).problems);
    expect(codes.some((c) => c === 'CATALOGUE_BAD_RETENTION' || c === 'CATALOGUE_FIELD_MISSING')).toBe(true);
  });

  it.each(['P5Y', 'P18M', 'P1Y6M', 'P30D', 'P2W', 'PT12H', 'P1DT2H'])('accepts retention %j', (d) => {
    expect(isIsoDuration(d)).toBe(true);
  });

  it('refuses sources naming unknown record types and patterns that match nothing', () => {
    const input = shippedInput();
    const src = data(input.sources).sources as Data[];
    src[1].recordTypes = ['finance.card_arrears', 'finance.social_behaviour'];
    src[2].recordTypes = ['water.*'];
    const r = validateCatalogue(input);
    expect(r.problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      'sources[1].recordTypes[1] CATALOGUE_UNKNOWN_RECORD_TYPE',
      'sources[2].recordTypes[0] CATALOGUE_UNKNOWN_RECORD_TYPE',
    ]);
  });

  it('refuses measures triggered by unknown lists or record types, and malformed triggers', () => {
    const input = shippedInput();
    const ms = data(input.measures).measures as Data[];
    ms[0].trigger = { list: 'bad-people' };
    ms[1].trigger = { recordType: 'traffic.jaywalking' };
    ms[2].trigger = { list: 'judgment-defaulters', grades: ['D'] };
    ms[3].trigger = { grades: [], scheme: 'rongcheng' };
    ms[4].trigger = { recordType: 'traffic.drunk_driving' };
    const r = validateCatalogue(input);
    expect(r.problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      'measures[0].trigger.list CATALOGUE_UNKNOWN_TRIGGER',
      'measures[1].trigger.recordType CATALOGUE_UNKNOWN_TRIGGER',
      'measures[2].trigger CATALOGUE_UNKNOWN_TRIGGER',
      'measures[3].trigger.grades CATALOGUE_UNKNOWN_TRIGGER',
      // A known trigger, but from traffic: the 2016 opinions it cites reach from the court
      // list into other contexts, not from a traffic offence.
      'measures[4].legalBasis CATALOGUE_BASIS_NOT_AUTHORISED',
    ]);
  });

  it('derives crossContext from a record-type trigger, and refuses crossContext written in the data', () => {
    const input = shippedInput();
    const ms = data(input.measures).measures as Data[];
    ms.push({
      id: 'traffic.licence_check', title: 'Licence check', domain: 'traffic.licensing',
      trigger: { recordType: 'traffic.drunk_driving' }, effect: 'deny', legalBasis: 'road-traffic-safety-law Art. 91', contest: 'Object to the traffic police.', purposes: ['public-service-application'],
    });
    const ok = validateCatalogue(input);
    expect(ok.problems).toEqual([]);
    expect(ok.catalogue!.measures.get('traffic.licence_check')!.crossContext).toBe(false);
    ms[ms.length - 1].crossContext = false;
    ms[0].crossContext = false;
    const r = validateCatalogue(input);
    expect(r.problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      'measures[0].crossContext CATALOGUE_UNKNOWN_FIELD',
      `measures[${ms.length - 1}].crossContext CATALOGUE_UNKNOWN_FIELD`,
    ]);
  });

  it('requires contest text and conditions for allow_with_conditions', () => {
    const input = shippedInput();
    const ms = data(input.measures).measures as Data[];
    const i = ms.findIndex((m) => m.id === 'defaulter.restricted_insurance');
    delete ms[i].conditions;
    delete ms[0].contest;
    const r = validateCatalogue(input);
    expect(r.problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      'measures[0].contest CATALOGUE_NO_CONTEST',
      `measures[${i}].conditions CATALOGUE_FIELD_MISSING`,
    ]);
  });

  it('reports shape and version problems per file', () => {
    const input = shippedInput();
    input.lists.data = ['not', 'a', 'mapping'];
    data(input.sources).version = '2025.9';
    delete data(input.measures).measures;
    const r = validateCatalogue(input);
    expect(r.problems.map((p) => `${p.file}:${p.path}: ${p.code}`)).toEqual(
      expect.arrayContaining([
        'sources.yaml:version: CATALOGUE_VERSION_MISMATCH',
        'lists.yaml:$: CATALOGUE_SHAPE',
        'measures.yaml:measures: CATALOGUE_SHAPE',
      ]),
    );
  });

  it('documents every problem code it can raise', () => {
    for (const code of [
      'CATALOGUE_SPECIAL_CATEGORY', 'CATALOGUE_SPECIAL_CATEGORY_TERM', 'CATALOGUE_NO_LEGAL_BASIS',
      'CATALOGUE_UNKNOWN_RECORD_TYPE', 'CATALOGUE_UNKNOWN_TRIGGER', 'CATALOGUE_CROSS_CONTEXT_EU', 'CATALOGUE_YAML_SYNTAX',
    ]) {
      expect(Object.keys(CATALOGUE_PROBLEM_CODES)).toContain(code);
    }
  });
});

describe('loader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'credence-catalogue-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function copyShipped(): Promise<void> {
    for (const name of Object.values(CATALOGUE_FILES)) await copyFile(path.join(CATALOGUE_DIR, name), path.join(dir, name));
  }

  it('reports malformed YAML with file:line:col', async () => {
    await copyShipped();
    const file = path.join(dir, CATALOGUE_FILES.recordTypes);
    const lines = (await readFile(file, 'utf8')).split('\n');
    const at = lines.findIndex((l) => l.includes('code: finance.guarantee_breach'));
    lines.splice(at + 1, 0, '    title: [unclosed');
    await writeFile(file, lines.join('\n'));
    const r = await loadCatalogueDir(dir, 'default');
    expect(r.catalogue).toBeUndefined();
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems.every((p) => p.code === 'CATALOGUE_YAML_SYNTAX' && p.file === file)).toBe(true);
    const line = Number(r.problems[0].path.split(':')[0]);
    expect(line).toBeGreaterThanOrEqual(at + 2);
    expect(line).toBeLessThanOrEqual(at + 4);
    const out = formatProblems(r.problems);
    expect(out).toMatch(/record-types\.yaml:\d+:\d+: CATALOGUE_YAML_SYNTAX /);
    expect(out.split('\n')).toHaveLength(r.problems.length);
  });

  it('reports duplicate keys as a syntax problem', async () => {
    await copyShipped();
    const file = path.join(dir, CATALOGUE_FILES.lists);
    await writeFile(file, 'version: "2026.1"\nversion: "2026.2"\nlists: []\n');
    const r = await loadCatalogueDir(dir, 'default');
    expect(r.problems).toEqual([expect.objectContaining({ code: 'CATALOGUE_YAML_SYNTAX', file, path: '2:1' })]);
  });

  it('reports a missing file', async () => {
    await copyShipped();
    await rm(path.join(dir, CATALOGUE_FILES.measures));
    const r = await loadCatalogueDir(dir, 'default');
    expect(r.problems).toEqual([expect.objectContaining({ code: 'CATALOGUE_FILE_UNREADABLE', path: '$' })]);
  });

  it('formats one line per problem as file:path: CODE message', () => {
    expect(
      formatProblems([
        { code: 'CATALOGUE_NO_LEGAL_BASIS', file: 'a.yaml', path: 'recordTypes[1].legalBasis', message: 'm1' },
        { code: 'CATALOGUE_YAML_SYNTAX', file: 'b.yaml', path: '3:7', message: 'm2' },
      ]),
    ).toBe('a.yaml:recordTypes[1].legalBasis: CATALOGUE_NO_LEGAL_BASIS m1\nb.yaml:3:7: CATALOGUE_YAML_SYNTAX m2');
  });
});
