// Legitimate types that name a special category to protect people in it: declared with
// `protects`, accepted only for adverse organisation-only types, exempt for that category
// only, and never for field names or enum values.
import { describe, expect, it } from 'vitest';
import { RecordValidator } from '../src/app/validate-record.ts';
import { validateCatalogue, type CatalogueInput } from '../src/domain/catalogue-validate.ts';
import { makeUscc } from '../src/domain/identifiers.ts';
import { shippedInput } from './helpers/shipped.ts';


const PREGNANCY_DISMISSAL = {
  code: 'labour.pregnant_worker_dismissed',
  title: 'Dismissed a worker because of her pregnancy',
  titleZh: '因怀孕解雇女职工',
  description: 'The labour inspectorate found that the employer dismissed a worker during pregnancy, contrary to the Labour Contract Law Art. 42 and the Special Provisions on Labour Protection of Female Employees.',
  category: 'labour',
  domain: 'labour',
  subjectKinds: ['organisation'],
  protects: ['family-planning'],
  legalBasis: ['labour-contract-law Art. 42', 'female-employees-labour-protection-provisions Art. 5'],
  polarity: 'adverse',
  retention: 'P5Y',
  payloadSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      workers_affected: { type: 'integer', minimum: 1, maximum: 10000 },
      note: { type: 'string', maxLength: 500 },
    },
  },
};

function withType(entry: object): CatalogueInput {
  const input = shippedInput();
  (input.recordTypes.data as { recordTypes: object[] }).recordTypes.push(entry);
  // The local labour bureau lists its record types one by one: it may deliver this one too.
  const hr = (input.sources.data as { sources: Array<{ id: string; recordTypes: string[] }> }).sources.find((s) => s.id === 'human-resources')!;
  hr.recordTypes.push((entry as { code: string }).code);
  return input;
}
const problemsOf = (entry: object) => validateCatalogue(withType(entry)).problems;

describe('protects: a type that names a special category to protect people in it', () => {
  it('loads when declared on an adverse, organisation-only type', () => {
    const { problems, catalogue } = validateCatalogue(withType(PREGNANCY_DISMISSAL));
    expect(problems).toEqual([]);
    expect(catalogue!.recordTypes.get('labour.pregnant_worker_dismissed')!.protects).toEqual(['family-planning']);
  });

  it('is refused by the screen without the declaration', () => {
    const { protects: _, ...undeclared } = PREGNANCY_DISMISSAL;
    const problems = problemsOf(undeclared);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.code === 'CATALOGUE_SPECIAL_CATEGORY_TERM' && p.category === 'family-planning')).toBe(true);
  });

  it('cannot be declared on a type about persons, or on a favourable one', () => {
    const persons = problemsOf({ ...PREGNANCY_DISMISSAL, subjectKinds: ['person', 'organisation'] });
    expect(persons.map((p) => p.code)).toContain('CATALOGUE_PROTECTS_INVALID');
    // The exemption is not granted, so the screen refuses the texts as well.
    expect(persons.map((p) => p.code)).toContain('CATALOGUE_SPECIAL_CATEGORY_TERM');
    expect(problemsOf({ ...PREGNANCY_DISMISSAL, polarity: 'favourable' }).map((p) => p.code)).toContain('CATALOGUE_PROTECTS_INVALID');
  });

  it('protects only special categories, never association, prediction or surveillance', () => {
    for (const c of ['association', 'prediction', 'surveillance', 'lifestyle', 'pregnancy']) {
      const problems = problemsOf({ ...PREGNANCY_DISMISSAL, protects: [c] });
      expect(problems.find((p) => p.code === 'CATALOGUE_PROTECTS_INVALID')?.message, c).toContain(`"${c}"`);
    }
  });

  it('exempts the declared category only', () => {
    const problems = problemsOf({ ...PREGNANCY_DISMISSAL, description: `${PREGNANCY_DISMISSAL.description} The worker attended a house church.` });
    expect(problems).toEqual([expect.objectContaining({ code: 'CATALOGUE_SPECIAL_CATEGORY_TERM', category: 'religion', path: expect.stringMatching(/description$/) })]);
  });

  it('never exempts field names or enum values: a protective type records the breach, not the person', () => {
    const schema = PREGNANCY_DISMISSAL.payloadSchema;
    const withField = { ...PREGNANCY_DISMISSAL, payloadSchema: { ...schema, properties: { ...schema.properties, pregnancy_month: { type: 'integer', minimum: 1, maximum: 10 } } } };
    expect(problemsOf(withField)).toEqual([expect.objectContaining({ code: 'CATALOGUE_SPECIAL_CATEGORY_TERM', category: 'family-planning', path: expect.stringContaining('payloadSchema.properties.pregnancy_month') })]);
    const withEnum = { ...PREGNANCY_DISMISSAL, payloadSchema: { ...schema, properties: { ...schema.properties, stage: { type: 'string', enum: ['early', 'pregnant_third_trimester'] } } } };
    expect(problemsOf(withEnum).map((p) => p.code)).toEqual(['CATALOGUE_SPECIAL_CATEGORY_TERM']);
  });

  it("accepts the protected topic in a record's free text, and nothing else refused", () => {
    const { catalogue } = validateCatalogue(withType(PREGNANCY_DISMISSAL));
    const v = new RecordValidator(catalogue!);
    const firm = makeUscc('91', '371082', 'MA0A1B2C');
    const record = (note: string, n: number) => ({
      source: 'human-resources', sourceRecordId: `hr-${n}`, subject: firm, type: 'labour.pregnant_worker_dismissed', occurredAt: '2025-03-01',
      payload: { workers_affected: 1, note },
    });
    const now = Date.UTC(2025, 5, 1);
    expect(v.validate(record('dismissed a worker in the fifth month of her pregnancy', 1), now).ok).toBe(true);
    const refused = v.validate(record('dismissed a worker because she joined a house church', 2), now);
    expect(refused).toMatchObject({ ok: false, problem: { code: 'RECORD_SPECIAL_CATEGORY', path: 'payload.note' } });
    // The same pregnancy note on a type without the declaration is refused.
    const other = v.validate({ ...record('dismissed a worker in the fifth month of her pregnancy', 3), type: 'labour.labour_contract_violation', payload: { note: 'dismissed a worker in the fifth month of her pregnancy' } }, now);
    expect(other).toMatchObject({ ok: false, problem: { code: 'RECORD_SPECIAL_CATEGORY', path: 'payload.note' } });
  });
});
