// What a rule condition may read: the structural refusals. Each bypass of the old word list
// (issue 9) is a case here, and each is refused by what it reads, not by the words it uses.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue, RecordType, Scheme, SchemeRule } from '../src/domain/types.ts';
import { CATALOGUE_DIR, shipped } from './helpers/shipped.ts';

let catalogue: Catalogue;
let base: Scheme;

// A record type as a careless (or hostile) catalogue author might write it. It is put into
// the catalogue directly, past the catalogue validator, to show that the rule layer holds by
// itself: even when a type declares free text, a rule cannot read it.
const PROBE_TYPE: RecordType = {
  code: 'civic.probe',
  title: 'Probe',
  description: 'a record type used to probe what rules may read',
  category: 'civic',
  domain: 'civic',
  subjectKinds: ['person'],
  legalBasis: 'test',
  // Set below to what civic.other_untrustworthy cites (civic records, -50 to -5 points), so
  // that what is probed here is what a rule reads, not whether its points are authorised.
  citations: [],
  polarity: 'adverse',
  retention: 'P1Y',
  payloadSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      ground: { type: 'string', maxLength: 500 },
      profession: { type: 'string', maxLength: 100 },
      cell_id: { type: 'string', maxLength: 20 },
      severity: { type: 'string', enum: ['minor', 'general', 'serious'] },
      repeated: { type: 'boolean' },
      amount: { type: 'number', minimum: 0, maximum: 1000000 },
      months: { type: 'integer', minimum: 1, maximum: 120 },
      ratio: { type: 'number', minimum: -1, maximum: 1 },
      points: { type: 'integer', minimum: -50, maximum: -5 },
      decided_on: { type: 'string', format: 'date', maxLength: 10 },
      end_date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', minLength: 10, maxLength: 10 },
      tags: { type: 'array', maxItems: 3, items: { type: 'string', maxLength: 10 } },
    },
  },
};

beforeAll(async () => {
  const shippedCatalogue = (await shipped()).catalogue;
  PROBE_TYPE.citations = shippedCatalogue.recordTypes.get('civic.other_untrustworthy')!.citations;
  catalogue = { ...shippedCatalogue, recordTypes: new Map([...shippedCatalogue.recordTypes, [PROBE_TYPE.code, PROBE_TYPE]]) };
  base = parse(await readFile(path.join(CATALOGUE_DIR, 'schemes', 'rongcheng-2017.yaml'), 'utf8')) as Scheme;
});

const scheme = (rule: Partial<SchemeRule>): Scheme => ({
  ...base,
  rules: [{ id: 'r1', recordType: PROBE_TYPE.code, title: 'Probe rule', points: { fixed: -5 }, source: 'test', ...rule } as SchemeRule],
});
const problems = (rule: Partial<SchemeRule>) => compileScheme(scheme(rule), catalogue).problems;
const codes = (rule: Partial<SchemeRule>) => [...new Set(problems(rule).map((p) => p.code))].sort();

describe('a rule condition reads only declared, typed facts of the record', () => {
  it.each([
    ['record.payload.severity == "serious"'],
    ['record.payload.severity in ["general", "serious"] && record.payload.repeated'],
    ['record.payload.amount >= 5000.0 || record.payload.months > 3'],
    ['has(record.payload.amount) && record.payload.amount * 2.0 > 100.0'],
    ['record.occurredAt >= "2024-01-01" && record.source == "rongcheng-court"'],
    ['record.type == "civic.probe" ? record.payload.months >= 2 : false'],
    ['record.payload.decided_on < "2025-06-30" && record.payload.end_date > "2026-01-01"'],
    ['timestamp(record.occurredAt) > timestamp("2024-01-01T00:00:00Z")'],
    ['!(record.payload.ratio < -0.5) && -record.payload.months < -1 && int(record.payload.amount) % 2 == 0'],
  ])('accepts %s', (when) => {
    expect(problems({ when })).toEqual([]);
  });

  it.each([
    ['record.payload.ground.contains("Falun")', ['SCHEME_RULE_FREE_TEXT', 'SCHEME_RULE_STRING_FUNCTION']],
    ['record.payload.ground == "illegal religious activities"', ['SCHEME_RULE_FREE_TEXT']],
    ['record.payload.profession == "journalist"', ['SCHEME_RULE_FREE_TEXT']],
    ['record.payload.ground != ""', ['SCHEME_RULE_FREE_TEXT']],
    ['size(record.payload.ground) > 40', ['SCHEME_RULE_FREE_TEXT', 'SCHEME_RULE_STRING_FUNCTION']],
    ['record.payload.severity.startsWith("ser")', ['SCHEME_RULE_STRING_FUNCTION']],
    ['record.payload.severity.matches("^ser")', ['SCHEME_RULE_STRING_FUNCTION']],
    ['record.payload.severity.endsWith("ous")', ['SCHEME_RULE_STRING_FUNCTION']],
    ['matches(record.payload.severity, "ser.*")', ['SCHEME_RULE_STRING_FUNCTION']],
    ['string(record.payload.amount) == "5"', ['SCHEME_RULE_STRING_FUNCTION']],
  ])('refuses free text and string functions: %s', (when, expected) => {
    expect(codes({ when })).toEqual(expected);
  });

  it.each([
    ['record.payload["household_score"] < 900'],
    ['record["payload"]["severity"] == "serious"'],
    ['record.payload.tags[0] == "x"'],
    ['record.payload.tags.exists(t, t == "church")'],
    ['record.evidence.exists(e, e == "x")'],
    ['dyn(record).payload.severity == "serious"'],
    ['{"a": record.payload.months}["a"] > 1'],
    ['[record.payload.ground] == ["x"]'],
  ])('refuses index syntax, comprehensions and dynamic access: %s', (when) => {
    expect(codes({ when })).toContain('SCHEME_RULE_DYNAMIC_ACCESS');
  });

  it.each([
    ['record.payload.risk_of_offence > 0.7', 'risk_of_offence'],
    ['has(record.payload.repeat_count)', 'repeat_count'],
    ['record.payload.religion == "none"', 'religion'],
    ['record.payload.level_of_trust >= 3', 'level_of_trust'],
  ])('refuses a payload field the record type does not declare: %s', (when, field) => {
    const found = problems({ when });
    expect(found.map((p) => p.code)).toContain('SCHEME_RULE_UNDECLARED_FIELD');
    expect(found.find((p) => p.code === 'SCHEME_RULE_UNDECLARED_FIELD')!.message).toContain(field);
  });

  it('refuses a field named after other subjects in any spelling, before it asks whether it is declared', () => {
    for (const when of ['has(record.payload.householdScore) && record.payload.householdScore < 900', 'record.payload.wifeGrade == "D"', 'has(record.payload.wife_grade)', 'record.payload.son_in_law_listed', 'record.payload.cell_id == "cell-007"']) {
      expect(codes({ when }), when).toEqual(['SCHEME_ASSOCIATION']);
    }
  });

  it.each([
    ['record.subject == "371082198503120211"'],
    ['record.household == "hh-000012"'],
    ['record.area == "cell-003"'],
    ['record.profession == "journalist"'],
    ['record.age > 60'],
    ['record.evidence == []'],
  ])('refuses subject attributes and anything but type, source, occurredAt and payload: %s', (when) => {
    const found = codes({ when });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((c) => ['SCHEME_RULE_UNDECLARED_FIELD', 'SCHEME_RULE_FREE_TEXT', 'SCHEME_ASSOCIATION'].includes(c)), found.join()).toBe(true);
  });

  it('says which fields a rule may read when it names an undeclared one', () => {
    const [p] = problems({ when: 'record.payload.sevrity == "serious"' });
    expect(p).toMatchObject({ code: 'SCHEME_RULE_UNDECLARED_FIELD', path: 'rules[0].when' });
    expect(p!.message).toContain('severity');
    expect(p!.message).not.toContain('ground,');
  });

  it('refuses a comparison with a value the enum does not declare (a typo never silently matches nothing)', () => {
    const [p] = problems({ when: 'record.payload.severity == "grave"' });
    expect(p).toMatchObject({ code: 'SCHEME_RULE_ENUM_VALUE', path: 'rules[0].when' });
    expect(p!.message).toContain('"minor", "general", "serious"');
    expect(codes({ when: 'record.payload.severity in ["serious", "heretical"]' })).toEqual(['SCHEME_RULE_ENUM_VALUE']);
  });
});

describe('points and multipliers come from fixed values or declared bounded integer fields', () => {
  it('accepts points from a bounded integer field within its declared range, and a bounded integer multiplier', () => {
    expect(problems({ points: { field: 'points', min: -50, max: -5 }, requiresGround: true })).toEqual([]);
    expect(problems({ per: 'months' })).toEqual([]);
  });

  it('refuses a points range wider than the field declares', () => {
    const found = problems({ points: { field: 'points', min: -500, max: -5 }, requiresGround: true });
    // Refused twice over: past the field's declared range, and past what the cited basis allows.
    expect(found).toEqual([
      expect.objectContaining({ code: 'SCHEME_RULE_POINTS_FIELD', path: 'rules[0].points' }),
      expect.objectContaining({ code: 'SCHEME_POINTS_NOT_AUTHORISED', path: 'rules[0].points' }),
    ]);
    expect(found[0]!.message).toContain('-50 to -5');
  });

  it.each([
    ['amount', 'a number, not an integer'],
    ['severity', 'an enum'],
    ['ground', 'free text'],
  ])('refuses points or a multiplier taken from %s (%s)', (field) => {
    expect(codes({ per: field })).toEqual(['SCHEME_RULE_POINTS_FIELD']);
    expect(codes({ points: { field, min: -10, max: -5 }, requiresGround: true })).toEqual(['SCHEME_RULE_POINTS_FIELD']);
  });

  it('refuses a multiplier field the record type does not declare', () => {
    expect(codes({ per: 'household_members' })).toContain('SCHEME_ASSOCIATION');
    expect(codes({ per: 'repeat_count' })).toEqual(['SCHEME_RULE_UNDECLARED_FIELD']);
  });
});

describe('the shipped schemes', () => {
  it('compile under the structural checks', async () => {
    for (const file of ['rongcheng-2017.yaml', 'weihai-seashell.yaml']) {
      const s = parse(await readFile(path.join(CATALOGUE_DIR, 'schemes', file), 'utf8')) as Scheme;
      expect(compileScheme(s, catalogue).problems, file).toEqual([]);
    }
  });
});
