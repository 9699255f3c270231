// Issue 9, section 5: minimal answers, publication, EU profile.
//   - a decision never carries a score, a grade, a record id or a record's content, and keeps
//     the conditions of a granted measure;
//   - public list entries are masked and shortened, and a red list names only consenting
//     subjects (nobody, until the consent store exists);
//   - cross-context comes from the closed domain taxonomy, not from a measure's label;
//   - the shipped catalogue loads under the eu profile through its variant, and the default
//     profile refuses nothing.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_FILES, loadCatalogueDir, parseCatalogueYaml, PROFILE_VARIANT_FILES } from '../src/app/load-catalogue.ts';
import { CATALOGUE_PROBLEM_CODES, DOMAINS, isCrossContext, topDomain, validateCatalogue } from '../src/domain/catalogue-validate.ts';
import { decide } from '../src/domain/decide.ts';
import { maskIdentifier, needsConsent, noConsentRecorded, publishEntries, shortenName } from '../src/domain/publication.ts';
import type { CompiledScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue, ListDefinition, StoredRecord } from '../src/domain/types.ts';
import { CATALOGUE_DIR, DAY, rec, shipped, T0, decisionFacts, shippedInput } from './helpers/shipped.ts';

let catalogue: Catalogue;
let schemes: CompiledScheme[];
beforeAll(async () => {
  const s = await shipped();
  catalogue = s.catalogue;
  schemes = [...s.schemes.values()];
});

const facts = (records: StoredRecord[], at: number, disputed: string[] = []) => decisionFacts(catalogue, schemes, records, at, disputed);

const at = T0 + DAY;
const honest = () => [rec({ type: 'civic.heroic_act' }), rec({ type: 'civic.honour', payload: { level: 'national' } })];
const listed = () => rec({ type: 'courts.defaulter_listing', payload: { case_ref: '(2026) Lu 1082 Zhi 55', ground: 'able_to_pay_refuses', end_date: '2027-06-30' } });
const drunk = () => rec({ type: 'traffic.drunk_driving' });

describe('a decision is a minimal answer', () => {
  it('never carries a score, a grade, a record id or a record\'s content, for any shipped measure and subject', () => {
    const people: Array<[string, StoredRecord[]]> = [['nobody', []], ['honest', honest()], ['listed', [listed()]], ['graded directly', [drunk()]], ['mixed', [...honest(), listed(), drunk()]]];
    const grades = new Set(schemes.flatMap((s) => s.scheme.bands.map((b) => b.grade)));
    for (const [who, records] of people) {
      const f = facts(records, at, records.map((r) => r.id));
      const views = [...f.views.values()];
      for (const m of catalogue.measures.values()) {
        const d = decide(f, m, at);
        const text = JSON.stringify(d);
        expect(Object.keys(d).sort(), `${who} ${m.id}`).toEqual(['applies', 'at', 'conditions', 'contest', 'crossContext', 'effect', 'legalBasis', 'measure', 'outcome', 'reasons', 'subject']);
        for (const r of d.reasons) {
          expect(Object.keys(r).every((k) => ['code', 'message', 'list', 'until'].includes(k)), `${who} ${m.id} ${JSON.stringify(r)}`).toBe(true);
          // The grade names of the schemes (AAA, AA, A, B, C, D) never stand as words in a message.
          for (const g of grades) expect(r.message, `${who} ${m.id}`).not.toMatch(new RegExp(`(^|[^A-Za-z])${g}([^A-Za-z]|$)`));
          expect(r.message).not.toMatch(/points?\b/);
        }
        for (const v of views) {
          // A points score (hundreds) never appears; the three-result scheme's small net counts cannot be told from the digits of a date.
          if (Math.abs(v.score) >= 100) expect(text, `${who} ${m.id}`).not.toContain(`${v.score}`);
          if (v.directGrading) expect(text).not.toContain(v.directGrading.ground);
        }
        for (const r of records) expect(text, `${who} ${m.id}`).not.toContain(r.id);
        expect(text).not.toMatch(/Zhi 55|able_to_pay/);
      }
    }
  });

  it('says which condition of the measure is met, neutrally', () => {
    const library = catalogue.measures.get('reward.library_card_deposit_free')!;
    expect(decide(facts(honest(), at), library, at).reasons[0]!.message).toBe('the grade condition of measure reward.library_card_deposit_free is met under scheme rongcheng@1');
    const train = catalogue.measures.get('defaulter.no_g_train')!;
    expect(decide(facts([listed()], at), train, at).reasons[0]!.message).toBe('the list condition of measure defaulter.no_g_train is met: an entry on the judgment-defaulters list is in force');
  });

  it('keeps the conditions of a granted measure, and marks the answer allow_with_conditions', () => {
    const publicity = catalogue.measures.get('reward.honesty_model_publicity')!;
    const yes = decide(facts(honest(), at), publicity, at);
    expect(yes).toMatchObject({ outcome: 'allow_with_conditions', effect: 'priority', applies: true, conditions: ["named publicly only with the subject's written consent"] });
    expect(yes.reasons[0]!.code).toBe('LIST_ENTRY');
    const no = decide(facts([], at), publicity, at);
    expect(no).toMatchObject({ outcome: 'allow', applies: false, conditions: [] });
    expect(no.reasons.map((r) => r.code)).toEqual(['NOT_QUALIFIED', 'NO_RECORDS']);

    const loans = decide(facts(honest(), at), catalogue.measures.get('reward.lower_loan_rates')!, at);
    expect(loans.outcome).toBe('allow_with_conditions');
    expect(loans.conditions).toContain("the lender's ordinary credit assessment still applies");
    // A waived deposit has no conditions when granted; the deposit is the standard term otherwise.
    const library = catalogue.measures.get('reward.library_card_deposit_free')!;
    expect(decide(facts(honest(), at), library, at)).toMatchObject({ outcome: 'allow', applies: true, conditions: [] });
    expect(decide(facts([], at), library, at)).toMatchObject({ outcome: 'allow_with_conditions', applies: false, conditions: ['deposit of 100 CNY'] });
    // Restricted loans keep their conditions, as before.
    expect(decide(facts([listed()], at), catalogue.measures.get('defaulter.restricted_loans_cards')!, at)).toMatchObject({ outcome: 'allow_with_conditions', conditions: ['manual review by the lender', 'higher interest rate or additional collateral'] });
  });
});

describe('publication of list entries', () => {
  it('masks identifiers: first 6 and last 4 characters kept, the rest *', () => {
    expect(maskIdentifier('371082198503120211')).toBe('371082********0211');
    expect(maskIdentifier('91371082MA0A1B2C3X')).toBe('913710********2C3X');
    expect(maskIdentifier('passport:E12345678')).toBe('passpo********5678');
    expect(maskIdentifier('ab:12345678')).toBe('ab********8'); // too short to keep 10: first 2 and last 1
    expect(maskIdentifier('abcd')).toBe('****');
    expect(maskIdentifier('')).toBe('');
    for (const id of ['371082198503120211', 'x:1234567890123']) expect(maskIdentifier(id)).toHaveLength(id.length);
  });

  it('shortens names: family name and * for Chinese names, first name and initial for Latin names', () => {
    const cases: Array<[string | undefined | null, string | null]> = [
      ['张伟', '张*'],
      ['王小明', '王*'],
      ['欧阳娜娜', '欧阳*'],
      ['司马光', '司马*'],
      ['诸葛亮', '诸葛*'],
      [' 李 娜 ', '李*'],
      ['阿依古丽·买买提', '阿*'],
      ['荣成市某某建材有限公司', '荣*'],
      ['Anna Müller', 'Anna M.'],
      ['Anna Maria Müller', 'Anna M.'],
      ['Müller, Anna', 'Anna M.'],
      ['jean-luc picard', 'jean-luc P.'],
      ['Zhang Wei 0123', 'Zhang W.'],
      ['Madonna', 'M.'],
      ['Ólafur Arnalds', 'Ólafur A.'],
      ['  ', null],
      ['0123', null],
      ['', null],
      [undefined, null],
      [null, null],
    ];
    for (const [name, short] of cases) expect(shortenName(name), String(name)).toBe(short);
  });

  const def = (o: Partial<ListDefinition>): ListDefinition => ({ id: 'l', title: 'L', kind: 'black', domain: 'courts', legalBasis: 'basis', citations: [], public: true, description: 'd', ...o });
  const entries = [
    { subject: '371082198503120211', from: T0, until: T0 + 365 * DAY, legalBasis: 'Fa Shi (2017) 7' },
    { subject: '371082197001010333', from: T0, until: null, legalBasis: 'Fa Shi (2017) 7' },
  ];
  const subjects = new Map([['371082198503120211', { displayName: '张伟' }]]);

  it('publishes a public black list masked and shortened, never the full identifier', () => {
    const out = publishEntries(def({}), entries, subjects, new Set())!;
    expect(out).toEqual({
      consentRequired: false,
      withheld: 0,
      items: [
        { subject: '371082********0211', name: '张*', from: T0, until: T0 + 365 * DAY, legalBasis: 'Fa Shi (2017) 7' },
        { subject: '371082********0333', name: null, from: T0, until: null, legalBasis: 'Fa Shi (2017) 7' },
      ],
    });
    expect(JSON.stringify(out)).not.toContain('198503120211');
  });

  it('publishes nothing of a list that is not public', () => {
    expect(publishEntries(def({ public: false }), entries, subjects, new Set())).toBeNull();
  });

  it('names on a red list only subjects who consented; no consent store exists yet, so nobody', async () => {
    const red = def({ kind: 'red', domain: 'general-credit' });
    expect(needsConsent(red)).toBe(true);
    const nobody = await noConsentRecorded(red.id, entries.map((e) => e.subject));
    expect(nobody.size).toBe(0);
    expect(publishEntries(red, entries, subjects, nobody)).toEqual({ consentRequired: true, withheld: 2, items: [] });
    // Once a subject has consented (issue 14's store), that subject alone is named.
    const one = publishEntries(red, entries, subjects, new Set([entries[0]!.subject]))!;
    expect(one.items.map((e) => e.subject)).toEqual(['371082********0211']);
    expect(one.withheld).toBe(1);
  });

  it('marks the shipped honesty-models list red and public: it publishes only with consent', () => {
    const l = catalogue.lists.get('honesty-models')!;
    expect(l).toMatchObject({ kind: 'red', public: true });
    expect(needsConsent(l)).toBe(true);
    expect(needsConsent(catalogue.lists.get('judgment-defaulters')!)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------

type Data = Record<string, unknown>;
const items = (f: { data: unknown }, key: string) => (f.data as Data)[key] as Data[];
// The 2016 defaulter opinions reach from the court list into rail travel (a cross-context basis).
const measure = (o: Data): Data => ({ title: 'Test measure', effect: 'deny', legalBasis: 'judgment-defaulter-opinions-2016 Part II §(7)', contest: 'Object to the issuing body within 60 days.', purposes: ['ticket-sale'], ...o });

describe('cross-context from the closed domain taxonomy', () => {
  it('refuses a measure whose domain is not in the taxonomy, whatever its label says', async () => {
    const input = shippedInput();
    items(input.measures, 'measures').push(measure({ id: 'courts.rail_tickets', domain: 'courts.rail-tickets', trigger: { list: 'judgment-defaulters' } }));
    const r = validateCatalogue(input);
    expect(r.catalogue).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ code: 'CATALOGUE_UNKNOWN_DOMAIN', path: `measures[${items(input.measures, 'measures').length - 1}].domain` });
    expect(r.problems[0]!.message).toMatch(/courts\.rail-tickets.*not in the closed taxonomy/);
    expect(Object.keys(CATALOGUE_PROBLEM_CODES)).toContain('CATALOGUE_UNKNOWN_DOMAIN');
  });

  it('marks a rail measure triggered by the court list cross-context, and a same-context one not', async () => {
    const input = shippedInput();
    items(input.measures, 'measures').push(
      measure({ id: 'test.rail', domain: 'transport.rail', trigger: { list: 'judgment-defaulters' } }),
      measure({ id: 'test.enforcement', domain: 'courts.enforcement', trigger: { list: 'judgment-defaulters' } }),
      measure({ id: 'test.licence', domain: 'traffic.licensing', trigger: { recordType: 'traffic.drunk_driving' } }),
    );
    const r = validateCatalogue(input);
    expect(r.problems).toEqual([]);
    expect(r.catalogue!.measures.get('test.rail')!.crossContext).toBe(true);
    expect(r.catalogue!.measures.get('test.enforcement')!.crossContext).toBe(false);
    expect(r.catalogue!.measures.get('test.licence')!.crossContext).toBe(false);
  });

  it('refuses a record type, and a list that triggers a measure, with a domain outside the taxonomy', async () => {
    const input = shippedInput();
    const rts = items(input.recordTypes, 'recordTypes');
    const i = rts.findIndex((t) => t.code === 'tax.arrears');
    rts[i]!.domain = 'tax.rail-tickets';
    const ls = items(input.lists, 'lists');
    ls.find((l) => l.id === 'procurement-exclusion')!.domain = 'procurement.anything';
    const r = validateCatalogue(input);
    const got = r.problems.map((p) => `${p.file}:${p.path}: ${p.code}`);
    expect(got).toContain(`record-types.yaml:recordTypes[${i}].domain: CATALOGUE_UNKNOWN_DOMAIN`);
    const j = items(input.measures, 'measures').findIndex((m) => m.id === 'procurement.excluded_supplier');
    expect(got).toContain(`measures.yaml:measures[${j}].trigger.list: CATALOGUE_UNKNOWN_DOMAIN`);
  });

  it('takes contexts from the table, and counts an unknown domain as cross-context (fail closed)', () => {
    expect(DOMAINS.get('transport.rail')).toBe('transport');
    expect(DOMAINS.has('courts.rail-tickets')).toBe(false);
    expect(topDomain('consumption.hotels')).toBe('consumption');
    expect(isCrossContext('transport.rail', 'courts')).toBe(true);
    expect(isCrossContext('procurement', 'procurement')).toBe(false);
    expect(isCrossContext('courts.rail-tickets', 'courts')).toBe(true);
    expect(isCrossContext('culture.library', 'general-credit')).toBe(true);
    // Every domain the shipped catalogue uses is in the taxonomy.
    for (const t of catalogue.recordTypes.values()) expect(DOMAINS.has(t.domain), t.code).toBe(true);
    for (const m of catalogue.measures.values()) expect(DOMAINS.has(m.domain), m.id).toBe(true);
    for (const l of catalogue.lists.values()) expect(DOMAINS.has(l.domain), l.id).toBe(true);
  });
});

describe('eu profile', () => {
  it('loads the shipped catalogue through its variant, with no cross-context measure left', async () => {
    const eu = await loadCatalogueDir(CATALOGUE_DIR, 'eu');
    expect(eu.problems).toEqual([]);
    expect(eu.catalogue).toBeDefined();
    const measures = [...eu.catalogue!.measures.values()];
    expect(measures.length).toBeGreaterThan(0);
    for (const m of measures) expect(m.crossContext, m.id).toBe(false);
    expect(eu.catalogue!.measures.has('procurement.excluded_supplier')).toBe(true);
    expect(eu.catalogue!.version).toMatch(/\+eu$/);
    // Everything but the withdrawn measures is the shipped catalogue itself.
    expect(eu.catalogue!.recordTypes.size).toBe(catalogue.recordTypes.size);
    expect([...eu.catalogue!.lists.keys()]).toEqual([...catalogue.lists.keys()]);
    expect(PROFILE_VARIANT_FILES.eu).toBe(path.join('eu', 'variant.yaml'));
  });

  it('withdraws exactly the cross-context measures of the default profile, which still refuses nothing', async () => {
    const def = await loadCatalogueDir(CATALOGUE_DIR, 'default');
    expect(def.problems).toEqual([]);
    expect(def.catalogue!.version).not.toMatch(/\+/);
    const eu = await loadCatalogueDir(CATALOGUE_DIR, 'eu');
    const cross = [...def.catalogue!.measures.values()].filter((m) => m.crossContext).map((m) => m.id).sort();
    const kept = [...def.catalogue!.measures.keys()].filter((id) => !cross.includes(id)).sort();
    expect(cross.length).toBeGreaterThan(0);
    expect([...eu.catalogue!.measures.keys()].sort()).toEqual(kept);
    const variant = parseCatalogueYaml('v', await readFile(path.join(CATALOGUE_DIR, 'eu', 'variant.yaml'), 'utf8')).data as { withdrawMeasures: string[] };
    expect([...variant.withdrawMeasures].sort()).toEqual(cross);
  });

  describe('the variant is held to what Art. 5(1)(c) refuses', () => {
    let dir: string;
    beforeAll(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'credence-eu-')); });
    afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

    async function copy(edit: { variant?: (v: string) => string; measures?: (m: string) => string } = {}) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(path.join(dir, 'eu'), { recursive: true });
      for (const name of Object.values(CATALOGUE_FILES)) await copyFile(path.join(CATALOGUE_DIR, name), path.join(dir, name));
      const v = await readFile(path.join(CATALOGUE_DIR, 'eu', 'variant.yaml'), 'utf8');
      await writeFile(path.join(dir, 'eu', 'variant.yaml'), edit.variant ? edit.variant(v) : v);
      if (edit.measures) await writeFile(path.join(dir, CATALOGUE_FILES.measures), edit.measures(await readFile(path.join(dir, CATALOGUE_FILES.measures), 'utf8')));
    }

    it('still refuses a cross-context measure the variant does not name, at its place in measures.yaml', async () => {
      await copy({ variant: (v) => v.replace('  - defaulter.no_g_train              # transport.rail\n', '') });
      const r = await loadCatalogueDir(dir, 'eu');
      expect(r.catalogue).toBeUndefined();
      expect(r.problems).toHaveLength(1);
      const shipped = items((shippedInput()).measures, 'measures');
      const i = shipped.findIndex((m) => m.id === 'defaulter.no_g_train');
      expect(r.problems[0]).toMatchObject({ code: 'CATALOGUE_CROSS_CONTEXT_EU', path: `measures[${i}]` });
      expect(r.problems[0]!.file).toMatch(/measures\.yaml$/);
      expect(r.problems[0]!.message).toMatch(/Art\. 5\(1\)\(c\).*eu\/variant\.yaml/);
    });

    it('refuses withdrawing a measure that does not exist, or one that is not cross-context', async () => {
      await copy({ variant: (v) => `${v}  - no.such_measure\n  - procurement.excluded_supplier\n  - defaulter.no_flights\n` });
      const r = await loadCatalogueDir(dir, 'eu');
      expect(r.catalogue).toBeUndefined();
      // The three lines are appended after the shipped variant's own entries.
      const n = (parseCatalogueYaml('variant.yaml', await readFile(path.join(CATALOGUE_DIR, 'eu', 'variant.yaml'), 'utf8')).data as { withdrawMeasures: string[] }).withdrawMeasures.length;
      expect(r.problems.map((p) => `${p.path}: ${p.code}`)).toEqual([
        `withdrawMeasures[${n}]: CATALOGUE_VARIANT_UNKNOWN_MEASURE`,
        `withdrawMeasures[${n + 1}]: CATALOGUE_VARIANT_NOT_CROSS_CONTEXT`,
        `withdrawMeasures[${n + 2}]: CATALOGUE_DUPLICATE_ID`,
      ]);
      for (const p of r.problems) expect(p.file).toMatch(/eu\/variant\.yaml$/);
    });

    it('reports a malformed variant with its file and path', async () => {
      await copy({ variant: () => 'version: "1999.1"\nwithdraw: []\n' });
      const r = await loadCatalogueDir(dir, 'eu');
      expect(r.problems.map((p) => `${p.path}: ${p.code}`).sort()).toEqual(['version: CATALOGUE_VERSION_MISMATCH', 'withdraw: CATALOGUE_UNKNOWN_FIELD', 'withdrawMeasures: CATALOGUE_FIELD_MISSING']);
      await copy({ variant: () => 'withdrawMeasures: [a, b\n' });
      expect((await loadCatalogueDir(dir, 'eu')).problems[0]!.code).toBe('CATALOGUE_YAML_SYNTAX');
    });

    it('loads a directory without a variant under eu unchanged, refusing its cross-context measures as before', async () => {
      await copy();
      await rm(path.join(dir, 'eu'), { recursive: true, force: true });
      const r = await loadCatalogueDir(dir, 'eu');
      expect(r.catalogue).toBeUndefined();
      expect(r.problems.length).toBeGreaterThan(0);
      expect(r.problems.every((p) => p.code === 'CATALOGUE_CROSS_CONTEXT_EU')).toBe(true);
      // The default profile never reads the variant.
      await copy({ variant: () => 'not: [valid' });
      expect((await loadCatalogueDir(dir, 'default')).problems).toEqual([]);
    });
  });
});
