// The legal-basis registry (catalogue/legal-bases.yaml): every object cites an entry with an
// article, and what it does must be authorised by what it cites. Each refusal the issue
// names is a case here: a fixed -500 on the "-5 to -50" type, a direct grade D for dog
// fouling "because we say so, art. 1", a listing longer than its basis allows, a listing
// on the court's list by a source that is not a court, a cross-context measure on a basis
// that does not reach across, a protection claimed without a protection statute.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../src/adapters/memory/memory-store.ts';
import { Credence } from '../src/app/credence.ts';
import { validateCatalogue, type CatalogueInput } from '../src/domain/catalogue-validate.ts';
import { authorisationOf, renderCitations } from '../src/domain/legal-bases.ts';
import { compileScheme } from '../src/domain/scheme-compile.ts';
import { computeLedger, evaluate } from '../src/domain/scoring.ts';
import type { Catalogue, LegalBasisEntry, Scheme, SchemeRule } from '../src/domain/types.ts';
import { CATALOGUE_DIR, DAY, T0, person, rec, shipped, shippedInput } from './helpers/shipped.ts';

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let catalogue: Catalogue;
let rongcheng: Scheme;

beforeAll(async () => {
  catalogue = (await shipped()).catalogue;
  rongcheng = parse(await readFile(path.join(CATALOGUE_DIR, 'schemes', 'rongcheng-2017.yaml'), 'utf8')) as Scheme;
});

const items = (input: CatalogueInput, key: 'legalBases' | 'recordTypes' | 'sources' | 'lists' | 'measures'): Data[] => (input[key].data as Data)[key];
const codesOf = (problems: { code: string; path: string }[]) => problems.map((p) => `${p.path}: ${p.code}`);
const withRule = (id: string, change: (r: Data) => Data): Scheme => ({ ...rongcheng, rules: rongcheng.rules.map((r) => (r.id === id ? (change({ ...r }) as SchemeRule) : r)) });
const at = (id: string) => `rules[${rongcheng.rules.findIndex((r) => r.id === id)}]`;
const schemeProblems = (s: Scheme, c: Catalogue = catalogue) => compileScheme(s, c).problems;
const citationOf = (code: string) => catalogue.recordTypes.get(code)!.citations[0]!;
/** An entry of the shipped registry that authorises no points at all, anywhere. */
const pointless = (): LegalBasisEntry => [...catalogue.legalBases.values()].find((e) => !e.authorises.points && e.articles.every((a) => !a.authorises.points) && !e.authorises.directGrades)!;

describe('the shipped registry', () => {
  it('has an entry with title (EN and ZH), issuer, date and address for everything the catalogue cites', () => {
    expect(catalogue.legalBases.size).toBeGreaterThanOrEqual(40);
    for (const e of catalogue.legalBases.values()) {
      expect(e.titleZh, e.id).toMatch(/\p{Script=Han}/u);
      expect(e.date, e.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.url, e.id).toMatch(/^https?:\/\//);
    }
    const objects = [...catalogue.recordTypes.values(), ...catalogue.sources.values(), ...catalogue.lists.values(), ...catalogue.measures.values()];
    for (const o of objects) {
      expect(o.citations.length, JSON.stringify(o).slice(0, 80)).toBeGreaterThan(0);
      for (const c of o.citations) expect(catalogue.legalBases.has(c.ref), c.ref).toBe(true);
      // What people read names the statute, not the registry id.
      expect(o.legalBasis).toBe(renderCitations(o.citations, catalogue.legalBases));
      expect(o.legalBasis).toContain(catalogue.legalBases.get(o.citations[0]!.ref)!.title);
    }
  });

  it('authorises every point of the shipped schemes through the record types they score', async () => {
    const { schemes } = await shipped();
    for (const s of schemes.values()) {
      for (const rules of s.rulesByType.values()) {
        for (const cr of rules) {
          const pts = cr.rule.points;
          const lo = 'fixed' in pts ? pts.fixed : pts.min;
          const hi = 'fixed' in pts ? pts.fixed : pts.max;
          if (lo === 0 && hi === 0) continue;
          const ok = cr.citations.some((c) => {
            const range = authorisationOf(c, catalogue.legalBases).points;
            return range !== undefined && range.min <= lo && hi <= range.max;
          });
          expect(ok, `${s.key} ${cr.rule.id}`).toBe(true);
        }
      }
    }
  });

  it('is served at GET /v1/catalogue/legal-bases shape: what each entry authorises, by article', () => {
    const rongchengRows = [...catalogue.legalBases.values()].find((e) => e.articles.some((a) => a.authorises.points?.min === -50 && a.authorises.points?.max === -5));
    expect(rongchengRows, 'the Rongcheng Attachment 1 row "other untrustworthy circumstances" (-5 to -50)').toBeDefined();
  });
});

describe('scheme rules: points and direct grades only as far as the cited basis allows', () => {
  it('refuses a fixed -500 on the "-5 to -50" type (Rongcheng Attachment 1, other untrustworthy circumstances)', () => {
    const p = schemeProblems(withRule('other-untrustworthy', (r) => ({ ...r, points: { fixed: -500 }, requiresGround: undefined })));
    expect(codesOf(p)).toContain(`${at('other-untrustworthy')}.points: SCHEME_POINTS_NOT_AUTHORISED`);
    expect(p.find((x) => x.code === 'SCHEME_POINTS_NOT_AUTHORISED')!.message).toMatch(/-500 points lie outside .*\(-50 to -5 under /);
  });

  it('refuses discretionary points whose bounds reach past the basis, and accepts them inside it', () => {
    // The field's declared range is -50..-5 too, so this also trips the field bound; the basis check names its own range.
    const wide = schemeProblems(withRule('other-untrustworthy', (r) => ({ ...r, points: { field: 'points', min: -60, max: -5 } })));
    expect(wide.map((x) => x.code)).toContain('SCHEME_POINTS_NOT_AUTHORISED');
    const inside = schemeProblems(withRule('other-untrustworthy', (r) => ({ ...r, points: { field: 'points', min: -30, max: -5 } })));
    expect(inside).toEqual([]);
  });

  it('refuses -20 per cycle of card arrears where Attachment 1 allows -10 per monthly cycle', () => {
    const p = schemeProblems(withRule('card-arrears', (r) => ({ ...r, points: { fixed: -20 } })));
    expect(p.map((x) => x.code)).toEqual(['SCHEME_POINTS_NOT_AUTHORISED']);
    expect(p[0]!.message).toContain('per months');
  });

  it('refuses points on a basis that authorises none, and accepts a rule that cites its own basis', () => {
    const none = pointless();
    const p = schemeProblems(withRule('card-arrears', (r) => ({ ...r, legalBasis: `${none.id} Art. 1` })));
    expect(p.map((x) => x.code)).toEqual(['SCHEME_POINTS_NOT_AUTHORISED']);
    expect(p[0]!.message).toMatch(/none of the bases it cites .* authorises points/);
    const own = citationOf('civic.other_untrustworthy');
    expect(schemeProblems(withRule('dog-fouled-lawn', (r) => ({ ...r, points: { fixed: -20 }, legalBasis: `${own.ref} ${own.article}` })))).toEqual([]);
  });

  it('refuses a direct grade D for dog fouling: the basis it stands on authorises no direct grading', () => {
    const p = schemeProblems(withRule('dog-fouled-lawn', (r) => ({ ...r, points: { fixed: 0 }, directGrade: { grade: 'D', ground: 'because we say so, art. 1' } })));
    expect(codesOf(p)).toEqual([`${at('dog-fouled-lawn')}.directGrade: SCHEME_DIRECT_GRADE_NOT_AUTHORISED`]);
    expect(p[0]!.category).toBe('unbounded-discretion');
  });

  it('refuses "because we say so, art. 1" as a citation: it is not in the registry', () => {
    const p = schemeProblems(withRule('dog-fouled-lawn', (r) => ({ ...r, points: { fixed: 0 }, directGrade: { grade: 'D', ground: 'because we say so, art. 1', legalBasis: 'because we say so, art. 1' } })));
    expect(codesOf(p)).toEqual([`${at('dog-fouled-lawn')}.directGrade.legalBasis: CATALOGUE_UNKNOWN_LEGAL_BASIS`]);
    expect(p[0]!.message).toContain('"because" is not an entry of the legal-basis registry');
  });

  it('refuses a direct grade to a grade the basis does not authorise (drunk driving -> D instead of C)', () => {
    const p = schemeProblems(withRule('drunk-driving', (r) => ({ ...r, directGrade: { ...r.directGrade, grade: 'D' } })));
    expect(p.map((x) => x.code)).toEqual(['SCHEME_DIRECT_GRADE_NOT_AUTHORISED']);
    expect(schemeProblems(rongcheng)).toEqual([]);
  });
});

describe('list rules: the list, its longest period and who may list', () => {
  const listRule = (change: (l: Data) => Data): Scheme => ({ ...rongcheng, listRules: rongcheng.listRules.map((l, i) => (i === 0 ? (change({ ...l }) as Scheme['listRules'][number]) : l)) });

  it('refuses a listing longer than the court-list provisions allow', () => {
    const p = schemeProblems(listRule((l) => ({ ...l, duration: 'P10Y' })));
    expect(codesOf(p)).toEqual(['listRules[0].duration: SCHEME_LIST_PERIOD_EXCEEDED']);
  });

  it('refuses a list rule whose basis does not authorise the list', () => {
    const none = pointless();
    const p = schemeProblems(listRule((l) => ({ ...l, legalBasis: `${none.id} Art. 1` })));
    expect(codesOf(p)).toEqual(['listRules[0].legalBasis: SCHEME_LIST_NOT_AUTHORISED']);
  });

  it('refuses a listing on the court list from a source that is not a court', async () => {
    const input = shippedInput();
    const tax = items(input, 'sources').find((s) => s.id === 'tax-bureau')!;
    tax.recordTypes = [...tax.recordTypes, 'courts.defaulter_listing'];
    // The tax bureau's bases do not authorise court records either: both refusals stand.
    const loaded = validateCatalogue(input);
    expect(loaded.problems.map((p) => p.code)).toContain('CATALOGUE_BASIS_NOT_AUTHORISED');
    // Past the catalogue check (a catalogue edited in the store), the scheme still refuses.
    const edited: Catalogue = { ...catalogue, sources: new Map([...catalogue.sources, ['tax-bureau', { ...catalogue.sources.get('tax-bureau')!, recordTypes: [...catalogue.sources.get('tax-bureau')!.recordTypes, 'courts.defaulter_listing'] }]]) };
    const p = schemeProblems(rongcheng, edited);
    expect(codesOf(p)).toEqual(['listRules[0].recordType: SCHEME_LIST_NOT_AUTHORISED']);
    expect(p[0]!.message).toMatch(/source tax-bureau \(kind agency\) .* only court sources/);
  });

  it('cuts a court end date beyond the longest listing to that maximum, and says so', async () => {
    const { schemes } = await shipped();
    const s = schemes.get('rongcheng')!;
    const far = new Date(T0 + 20 * 365 * DAY).toISOString().slice(0, 10);
    const r = rec({ type: 'courts.defaulter_listing', source: 'rongcheng-court', subject: person(1), payload: { case_ref: '(2025) Lu 1082 Zhi 1', ground: 'able_to_pay_refuses', end_date: far } });
    const ledger = computeLedger(person(1), [r], s, catalogue);
    const entry = ledger.recordListings[0]!;
    const max = s.listRulesByType.get('courts.defaulter_listing')![0]!.maxPeriodText!;
    expect(max).toMatch(/^P\dY$/);
    expect(entry.until).toBeLessThan(T0 + 6 * 365 * DAY);
    expect(new Date(entry.until!).toISOString().slice(0, 4)).toBe(String(2025 + Number(max.slice(1, -1))));
    expect(ledger.warnings.map((w) => w.code)).toContain('LIST_END_CAPPED');
    expect(evaluate(ledger, s, T0 + 7 * 365 * DAY).lists.map((l) => l.list)).not.toContain('judgment-defaulters');
    // A court end date inside the maximum stands as the court set it.
    const near = rec({ type: 'courts.defaulter_listing', source: 'rongcheng-court', subject: person(1), payload: { case_ref: '(2025) Lu 1082 Zhi 2', ground: 'able_to_pay_refuses', end_date: '2026-06-30' } });
    const l2 = computeLedger(person(1), [near], s, catalogue);
    expect(new Date(l2.recordListings[0]!.until!).toISOString().slice(0, 10)).toBe('2026-06-30');
    expect(l2.warnings).toEqual([]);
  });
});

describe('catalogue objects: citations that resolve, to bases that authorise what is done', () => {
  it('refuses an id the registry does not hold, suggesting the nearest, and a citation without an article', () => {
    const input = shippedInput();
    const rt = items(input, 'recordTypes');
    const ref = citationOf('traffic.drunk_driving').ref;
    rt[0]!.legalBasis = 'because we say so, art. 1';
    rt[1]!.legalBasis = `${ref.slice(0, -1)}x Art. 5`;
    rt[2]!.legalBasis = [ref];
    const p = validateCatalogue(input).problems;
    expect(codesOf(p)).toEqual(expect.arrayContaining(['recordTypes[0].legalBasis: CATALOGUE_UNKNOWN_LEGAL_BASIS', 'recordTypes[1].legalBasis: CATALOGUE_UNKNOWN_LEGAL_BASIS', 'recordTypes[2].legalBasis[0]: CATALOGUE_CITATION_NO_ARTICLE']));
    expect(p.find((x) => x.path === 'recordTypes[1].legalBasis')!.message).toContain(`did you mean "${ref}"`);
  });

  it('refuses a record type whose category no cited basis authorises (a finance record on the road-traffic law)', () => {
    const input = shippedInput();
    const card = items(input, 'recordTypes').findIndex((t) => t.code === 'finance.card_arrears');
    const traffic = citationOf('traffic.drunk_driving');
    items(input, 'recordTypes')[card]!.legalBasis = `${traffic.ref} ${traffic.article}`;
    const p = validateCatalogue(input).problems;
    expect(codesOf(p)).toContain(`recordTypes[${card}].legalBasis: CATALOGUE_BASIS_NOT_AUTHORISED`);
    expect(p.find((x) => x.code === 'CATALOGUE_BASIS_NOT_AUTHORISED')!.message).toContain('category finance');
  });

  it('refuses a list whose basis does not name it', () => {
    const input = shippedInput();
    const none = pointless();
    items(input, 'lists')[0]!.legalBasis = `${none.id} Art. 1`;
    expect(codesOf(validateCatalogue(input).problems)).toContain('lists[0].legalBasis: CATALOGUE_BASIS_NOT_AUTHORISED');
  });

  it('refuses a cross-context measure on a basis that does not reach from the court list into rail travel', () => {
    const input = shippedInput();
    const ms = items(input, 'measures');
    const i = ms.findIndex((m) => m.trigger?.list === 'judgment-defaulters' && String(m.domain).startsWith('transport'));
    const tax = catalogue.recordTypes.get('tax.arrears')!.citations[0]!;
    ms[i]!.legalBasis = `${tax.ref} ${tax.article}`;
    const p = validateCatalogue(input).problems;
    expect(codesOf(p)).toEqual([`measures[${i}].legalBasis: CATALOGUE_BASIS_NOT_AUTHORISED`]);
    expect(p[0]!.message).toMatch(/from courts into transport/);
  });

  it('accepts protects only on a protection statute that protects that category', () => {
    const input = shippedInput();
    const labour = catalogue.recordTypes.get('labour.wage_arrears') ?? [...catalogue.recordTypes.values()].find((t) => t.category === 'labour')!;
    const c = labour.citations[0]!;
    const type = {
      code: 'labour.pregnant_worker_dismissed', title: 'Dismissed a worker because of her pregnancy', description: 'The labour inspectorate found that the employer dismissed a worker during pregnancy.',
      category: 'labour', domain: 'labour', subjectKinds: ['organisation'], protects: ['family-planning'], legalBasis: `${c.ref} ${c.article}`, polarity: 'adverse', retention: 'P5Y',
      payloadSchema: { type: 'object', additionalProperties: false, properties: { note: { type: 'string', maxLength: 500 } } },
    };
    items(input, 'recordTypes').push(type);
    const n = items(input, 'recordTypes').length - 1;
    const refused = validateCatalogue(input).problems;
    expect(codesOf(refused)).toEqual([`recordTypes[${n}].protects: CATALOGUE_BASIS_NOT_AUTHORISED`]);
    expect(refused[0]!.category).toBe('family-planning');

    items(input, 'legalBases').push({
      id: 'female-employees-provisions', kind: 'administrative-regulation', title: 'Special Provisions on Labour Protection of Female Employees', titleZh: '女职工劳动保护特别规定',
      issuer: 'State Council (Order No. 619)', date: '2012-04-28', url: 'https://flk.npc.gov.cn/', authorises: { categories: ['labour'], protects: ['family-planning'] },
    });
    type.legalBasis = 'female-employees-provisions Art. 5';
    expect(validateCatalogue(input).problems).toEqual([]);
  });
});

describe('the registry file itself', () => {
  it('reports every malformed entry at once, with its place', () => {
    const input = shippedInput();
    const lb = items(input, 'legalBases');
    lb.push(
      { id: 'No Spaces', kind: 'decree', title: 't', titleZh: '法', issuer: 'i', date: '2013-13-01', url: 'ftp://x' },
      { id: 'authorises-ghost-list', kind: 'law', title: 'A law', titleZh: '法', issuer: 'NPC', date: '2001-01-01', url: 'https://flk.npc.gov.cn/', authorises: { lists: [{ list: 'ghosts' }], points: { min: 5, max: -5 } } },
      { id: 'religious-affairs', kind: 'administrative-regulation', title: 'Regulations on Religious Affairs', titleZh: '宗教事务条例', issuer: 'State Council', date: '2004-11-30', url: 'https://flk.npc.gov.cn/' },
      { ...lb[0], title: 'the same id twice' },
    );
    const n = lb.length;
    const p = validateCatalogue(input).problems;
    expect(codesOf(p)).toEqual(expect.arrayContaining([
      `legalBases[${n - 4}].id: CATALOGUE_FIELD_FORMAT`,
      `legalBases[${n - 4}].kind: CATALOGUE_FIELD_TYPE`,
      `legalBases[${n - 4}].date: CATALOGUE_FIELD_FORMAT`,
      `legalBases[${n - 4}].url: CATALOGUE_FIELD_FORMAT`,
      `legalBases[${n - 3}].authorises.points: CATALOGUE_FIELD_TYPE`,
      `legalBases[${n - 3}].authorises.lists[0].list: CATALOGUE_UNKNOWN_LIST`,
      `legalBases[${n - 2}].title: CATALOGUE_SPECIAL_CATEGORY_TERM`,
      `legalBases[${n - 1}].id: CATALOGUE_DUPLICATE_ID`,
    ]));
    expect(p.every((x) => x.file.endsWith('legal-bases.yaml'))).toBe(true);
  });

  it('is a catalogue file: a version other than the record types\' is refused', () => {
    const input = shippedInput();
    (input.legalBases.data as Data).version = '1999.1';
    expect(codesOf(validateCatalogue(input).problems)).toEqual(['version: CATALOGUE_VERSION_MISMATCH']);
  });
});

describe('a database whose catalogue predates the registry', () => {
  it('does not open: it asks for `credence init` instead of scoring without the registry', async () => {
    const store = new MemoryStore();
    await store.migrate();
    await store.saveCatalogue({ ...catalogue, legalBases: new Map() });
    await expect(Credence.open(store, { now: () => T0 })).rejects.toMatchObject({ code: 'STORE_CATALOGUE_OUTDATED' });
  });
});
