// The shipped catalogue at national breadth (the national basic catalogue of public credit
// information, the joint-punishment memoranda, the national list of punishment measures):
// every type and source cites the registry, and the items the town lacked are there, each
// delivered only by the kind of source that may deliver it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalogue } from '../src/domain/types.ts';
import { shipped } from './helpers/shipped.ts';

let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = (await shipped()).catalogue;
});

const sourcesOf = (code: string) => [...catalogue.sources.values()].filter((s) => s.recordTypes.includes(code));
const props = (code: string) => catalogue.recordTypes.get(code)!.payloadSchema.properties as Record<string, Record<string, unknown>>;

describe('the national catalogue', () => {
  it('holds at least 300 record types from at least 40 sources, each citing the registry, with a Chinese title and a retention', () => {
    expect(catalogue.recordTypes.size).toBeGreaterThanOrEqual(300);
    expect(catalogue.sources.size).toBeGreaterThanOrEqual(40);
    for (const t of catalogue.recordTypes.values()) {
      expect(t.citations.length, t.code).toBeGreaterThan(0);
      expect(t.titleZh, t.code).toMatch(/\p{Script=Han}/u);
      expect(['P1Y', 'P2Y', 'P3Y', 'P5Y'], t.code).toContain(t.retention);
    }
    // Breadth: the agencies of the national catalogue, not one town's offices.
    const domains = new Set([...catalogue.recordTypes.values()].map((t) => t.domain));
    expect(domains.size).toBeGreaterThanOrEqual(40);
    const kinds = new Set([...catalogue.legalBases.values()].map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['administrative-regulation', 'departmental-rule', 'judicial-interpretation', 'law', 'local-document', 'normative-document', 'reported-practice']);
  });

  it('counts overdue loan instalments per monthly cycle, as Attachment 1 counts card arrears', () => {
    expect(props('finance.loan_instalment_overdue').months).toMatchObject({ type: 'integer', minimum: 1 });
    const row = catalogue.recordTypes.get('finance.card_arrears')!.citations.find((c) => c.ref === 'rongcheng-credit-evaluation-standard')!;
    expect(catalogue.recordTypes.get('finance.loan_instalment_overdue')!.citations).toContainEqual(row);
    expect(sourcesOf('finance.loan_instalment_overdue').map((s) => s.id)).toEqual(expect.arrayContaining(['pboc-credit-centre', 'rongcheng-banks']));
  });

  it('records the theft of heating apart from tampering and from the theft of water, gas or power', () => {
    const heat = catalogue.recordTypes.get('utilities.heating_theft')!;
    expect(heat.citations.map((c) => c.ref)).toContain('shandong-heating-regulations');
    expect(catalogue.recordTypes.has('utilities.heating_tampering')).toBe(true);
    expect((props('utilities.theft').utility as { enum: string[] }).enum).not.toContain('heating');
    expect(sourcesOf('utilities.heating_theft').length).toBeGreaterThan(0);
  });

  it('records a case opened for illegal lending as what it is: short-lived, from public security', () => {
    const t = catalogue.recordTypes.get('finance.illegal_lending_investigation')!;
    expect(t.retention).toBe('P1Y');
    expect(t.description).toMatch(/not a conviction/i);
    expect(sourcesOf(t.code).every((s) => s.kind === 'agency')).toBe(true);
  });

  it('keeps the discretionary "other" commercial item to licensed commercial sources, with a stated ground, within -5 to -50', () => {
    const code = 'commerce.other_untrustworthy_commercial';
    expect(sourcesOf(code).length).toBeGreaterThan(0);
    expect(sourcesOf(code).every((s) => s.kind === 'enterprise'), sourcesOf(code).map((s) => `${s.id}:${s.kind}`).join(' ')).toBe(true);
    expect(props(code).points).toMatchObject({ type: 'integer', minimum: -50, maximum: -5 });
    expect(props(code).ground).toMatchObject({ type: 'string' });
  });

  it('lists the local sources\' record types one by one, so a national type never reaches a town office by a pattern', () => {
    // Codes of the national agencies' types (e.g. the SAT's listed-evasion item) are not delivered by the town's tax bureau.
    expect(catalogue.sources.get('tax-bureau')!.recordTypes).not.toContain('tax.major_evasion_listed');
    expect(sourcesOf('tax.major_evasion_listed').map((s) => s.id)).toEqual(['sat']);
  });
});
