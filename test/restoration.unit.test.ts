// Credit restoration in the domain: working-day deadlines, a granted restoration ending a
// record-triggered listing (and only on a list that allows restoration), and the catalogue's
// checks of a list's restoration rule.
import { beforeAll, describe, expect, it } from 'vitest';
import { validateCatalogue } from '../src/domain/catalogue-validate.ts';
import { addWorkingDays } from '../src/domain/duration.ts';
import { compileScheme, type CompiledScheme } from '../src/domain/scheme-compile.ts';
import { computeLedger, evaluate } from '../src/domain/scoring.ts';
import type { Catalogue, Scheme } from '../src/domain/types.ts';
import { DAY, rec, shipped, shippedInput, T0 } from './helpers/shipped.ts';

const FRIDAY = Date.UTC(2026, 11, 4, 17, 30);

describe('addWorkingDays', () => {
  it('skips Saturdays and Sundays and keeps the time of day', () => {
    expect(new Date(FRIDAY).getUTCDay()).toBe(5);
    expect(addWorkingDays(FRIDAY, 1)).toBe(FRIDAY + 3 * DAY); // Monday
    expect(addWorkingDays(FRIDAY, 5)).toBe(FRIDAY + 7 * DAY);
    expect(addWorkingDays(FRIDAY, 10)).toBe(FRIDAY + 14 * DAY);
    const saturday = FRIDAY + DAY;
    expect(addWorkingDays(saturday, 1)).toBe(FRIDAY + 3 * DAY);
    expect(addWorkingDays(FRIDAY + 3 * DAY, 4)).toBe(FRIDAY + 7 * DAY); // Monday + 4 = Friday
    expect(addWorkingDays(FRIDAY, 0)).toBe(FRIDAY);
  });
});

describe('a granted restoration in scoring', () => {
  let catalogue: Catalogue;
  let scheme: CompiledScheme;
  const firmScheme = (list: string, recordType: string, legalBasis: string): Scheme => ({
    id: 'market', version: 1, title: 'Market listings', status: 'published', source: 'test', base: 1000, defaultGrade: 'A',
    bands: [{ grade: 'A', label: 'not graded', min: null, max: null }], rules: [],
    listRules: [{ list, recordType, duration: 'P3Y', legalBasis }],
  });
  beforeAll(async () => {
    catalogue = (await shipped()).catalogue;
    const c = compileScheme(firmScheme('serious-dishonesty-market', 'commerce.serious_illegal_dishonest_listed', 'samr-order-44 (whole text)'), catalogue);
    expect(c.problems).toEqual([]);
    scheme = c.compiled!;
  });

  it('ends the listing at the grant with the reason RESTORED; before the grant it stood', () => {
    const listing = rec({ type: 'commerce.serious_illegal_dishonest_listed', source: 'samr', payload: { decision_ref: 'X-1' } });
    const granted = T0 + 400 * DAY;
    const ledger = computeLedger(listing.subject, [{ ...listing, restoredAt: granted }], scheme, catalogue);
    expect(ledger.recordListings).toEqual([expect.objectContaining({ list: 'serious-dishonesty-market', from: T0, until: granted, endReason: 'RESTORED' })]);
    expect(evaluate(ledger, scheme, granted - 1).lists.map((e) => e.list)).toEqual(['serious-dishonesty-market']);
    expect(evaluate(ledger, scheme, granted).lists).toEqual([]);
    const untouched = computeLedger(listing.subject, [listing], scheme, catalogue);
    expect(untouched.recordListings[0]).toMatchObject({ until: Date.UTC(2028, 0, 1) });
    expect(untouched.recordListings[0]!.endReason).toBeUndefined();
  });

  it('does not end a listing on a list without restoration (a court list ends by the court)', async () => {
    const rongcheng = (await shipped()).schemes.get('rongcheng')!;
    const listing = rec({ type: 'courts.defaulter_listing', source: 'rongcheng-court', payload: { case_ref: 'C-1', ground: 'able_to_pay_refuses', end_date: '2026-06-30' } });
    const ledger = computeLedger(listing.subject, [{ ...listing, restoredAt: T0 + 10 * DAY }], rongcheng, catalogue);
    expect(ledger.recordListings[0]).toMatchObject({ list: 'judgment-defaulters', until: Date.UTC(2026, 5, 30) });
    expect(ledger.recordListings[0]!.endReason).toBeUndefined();
  });
});

describe('a list\'s restoration rule in the catalogue', () => {
  type Data = Record<string, unknown>;
  const lists = (input: ReturnType<typeof shippedInput>) => (input.lists.data as { lists: Data[] }).lists;

  it('is read from lists.yaml: the serious-dishonesty list allows restoration after a year, decided within 10 working days', async () => {
    const { catalogue } = await shipped();
    expect(catalogue.lists.get('serious-dishonesty-market')!.restoration).toMatchObject({ after: 'P1Y', decisionWorkingDays: 10, citations: [expect.objectContaining({ ref: 'ndrc-order-58' })] });
    expect(catalogue.lists.get('judgment-defaulters')!.restoration).toBeUndefined();
  });

  it('refuses a malformed rule with the path of each problem', () => {
    const input = shippedInput();
    const ls = lists(input);
    const i = ls.findIndex((l) => l.id === 'serious-dishonesty-market');
    ls[i]!.restoration = { after: 'one year', decisionWorkingDays: 0, legalBasis: 'no-such-basis (whole text)', colour: 'red' };
    const got = validateCatalogue(input).problems.map((p) => `${p.path}: ${p.code}`);
    expect(got).toEqual(expect.arrayContaining([
      `lists[${i}].restoration.after: CATALOGUE_FIELD_FORMAT`,
      `lists[${i}].restoration.decisionWorkingDays: CATALOGUE_FIELD_TYPE`,
      `lists[${i}].restoration.colour: CATALOGUE_UNKNOWN_FIELD`,
      `lists[${i}].restoration.legalBasis: CATALOGUE_UNKNOWN_LEGAL_BASIS`,
    ]));
    const j = ls.findIndex((l) => l.id === 'procurement-exclusion');
    const input2 = shippedInput();
    lists(input2)[j]!.restoration = 'after a year';
    expect(validateCatalogue(input2).problems.map((p) => `${p.path}: ${p.code}`)).toContain(`lists[${j}].restoration: CATALOGUE_FIELD_TYPE`);
  });
});
