// Scheme validation: bands ordered without gap or overlap, rules that read only the
// subject's own record, no special categories, discretionary points only with a ground.
// Every problem is reported at once with its path.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSchemeText } from '../src/app/load-schemes.ts';
import { compileScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue, Scheme } from '../src/domain/types.ts';
import { CATALOGUE_DIR, shipped } from './helpers/shipped.ts';

let catalogue: Catalogue;
let base: Scheme;
beforeAll(async () => {
  catalogue = (await shipped()).catalogue;
  base = parse(await readFile(path.join(CATALOGUE_DIR, 'schemes', 'rongcheng-2017.yaml'), 'utf8')) as Scheme;
});

const withRule = (rule: Partial<Scheme['rules'][number]>): Scheme => ({
  ...base,
  rules: [{ id: 'r1', recordType: 'traffic.red_light', title: 'Red light', points: { fixed: -5 }, source: 'test', ...rule } as Scheme['rules'][number]],
});
const codes = (s: Scheme) => compileScheme(s, catalogue).problems.map((p) => `${p.code}@${p.path}`);

describe('scheme validation', () => {
  it('the shipped schemes compile', () => {
    expect(compileScheme(base, catalogue).problems).toEqual([]);
  });

  it.each([
    ['record.payload.household_score < 900', 'household'],
    ['record.payload.spouse_grade == "D"', 'spouse'],
    ['size(record.payload.friends) > 3', 'friends'],
  ])('refuses a condition that reaches other subjects: %s', (when) => {
    expect(codes(withRule({ when }))).toEqual(['SCHEME_ASSOCIATION@rules[0].when']);
  });

  it('refuses a condition that reads anything but the record (no other variables exist)', () => {
    expect(codes(withRule({ when: 'subject.score > 900' }))).toEqual(['SCHEME_ASSOCIATION@rules[0].when']);
    expect(codes(withRule({ when: 'otherSubject.grade == "D"' }))).toEqual(['SCHEME_ASSOCIATION@rules[0].when']);
  });

  it('refuses a points multiplier taken from an association field', () => {
    expect(codes(withRule({ per: 'family_members' }))).toContain('SCHEME_ASSOCIATION@rules[0].per');
  });

  it('reports a CEL syntax error with its path', () => {
    expect(codes(withRule({ when: 'record.payload.location ==' }))).toEqual(['SCHEME_RULE_CONDITION@rules[0].when']);
  });

  it('refuses rules about the special categories, in three languages', () => {
    for (const title of ['Attended illegal religious activities', 'Verbreitung von Gerüchten', '违反计划生育']) {
      expect(codes(withRule({ title }))).toContain('CATALOGUE_SPECIAL_CATEGORY_TERM@rules[0].title');
    }
  });

  it('refuses discretionary points without a stated ground, and direct grading without a legal ground', () => {
    expect(codes(withRule({ recordType: 'civic.other_untrustworthy', points: { field: 'points', min: -50, max: -5 } }))).toContain('SCHEME_RULE_NO_GROUND@rules[0].requiresGround');
    expect(codes(withRule({ directGrade: { grade: 'C', ground: '' } }))).toContain('SCHEME_RULE_NO_GROUND@rules[0].directGrade.ground');
  });

  it('refuses overlapping bands, gaps and a closed top band', () => {
    const overlap = { ...base, bands: base.bands.map((b) => (b.grade === 'AA' ? { ...b, max: 1060 } : b)) };
    expect(codes(overlap)).toContain('SCHEME_BANDS_OVERLAP@bands[1].max');
    const gap = { ...base, bands: base.bands.map((b) => (b.grade === 'B' ? { ...b, max: 950 } : b)) };
    expect(codes(gap)).toContain('SCHEME_BANDS_GAP@bands[3].max');
    const closed = { ...base, bands: base.bands.map((b) => (b.grade === 'AAA' ? { ...b, max: 1200 } : b)) };
    expect(codes(closed)).toContain('SCHEME_BANDS_GAP@bands[0].max');
  });

  it('reports every problem at once', () => {
    const bad: Scheme = {
      ...base,
      defaultGrade: 'Z',
      rules: [
        { id: 'a', recordType: 'no.such_type', title: 'x', points: { fixed: 1 }, source: 's' },
        { id: 'b', recordType: 'traffic.red_light', title: 'y', points: { fixed: -5 }, when: 'record.payload.relatives > 1', source: 's' },
        { id: 'c', recordType: 'traffic.red_light', title: 'z', points: { fixed: -5 }, lifetime: 'five years', source: '' },
      ],
    };
    expect(codes(bad)).toEqual(expect.arrayContaining([
      'SCHEME_BANDS_INVALID@defaultGrade',
      'SCHEME_UNKNOWN_RECORD_TYPE@rules[0].recordType',
      'SCHEME_ASSOCIATION@rules[1].when',
      'SCHEME_RULE_INVALID@rules[2].lifetime',
      'SCHEME_RULE_NO_SOURCE@rules[2].source',
    ]));
  });

  it('names the file and line of a YAML syntax error', () => {
    const res = compileSchemeText('id: x\nbands: [\n', 'draft.yaml', catalogue);
    expect(res.compiled).toBeUndefined();
    expect(res.problems[0]!.file).toMatch(/^draft\.yaml:\d+:\d+$/);
  });
});
