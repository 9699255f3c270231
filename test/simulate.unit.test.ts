// The synthetic town: deterministic per seed, valid synthetic ids, records every source may
// submit with payloads the catalogue accepts, in time order, corrections that point back,
// a plausible Rongcheng grade distribution, and a 1M-record generation well under a minute.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RECORD_TYPE_PLAN, simulateTown, type SimSubject, type TownOptions } from '../src/app/simulate.ts';
import { recordLine, writeTownNdjson } from '../src/app/simulate-writer.ts';
import { validateResidentId, validateUscc } from '../src/domain/identifiers.ts';
import type { RecordInput } from '../src/domain/types.ts';

const RECORD_TYPES_YAML = path.resolve(import.meta.dirname, '..', 'catalogue', 'record-types.yaml');

// ---------------------------------------------------------------------------------------
// The contract, restated from /tmp/spec/record-types.md (independent of the simulator's table).

/** Subject kinds per record type: P person, O organisation. */
const KINDS: Record<string, 'P' | 'O' | 'PO'> = {
  'finance.card_arrears': 'PO', 'finance.loan_contract_breach': 'PO', 'finance.guarantee_breach': 'PO',
  'finance.lease_contract_breach': 'PO', 'finance.insurance_contract_breach': 'PO', 'finance.private_lending_breach': 'P',
  'finance.illegal_fundraising_investigation': 'PO', 'finance.loan_repaid': 'PO',
  'utilities.late_fee': 'PO', 'utilities.arrears_judgment': 'PO', 'utilities.heating_tampering': 'PO', 'utilities.theft': 'PO',
  'utilities.equipment_destruction': 'PO',
  'courts.held_liable_unpaid_debt': 'PO', 'courts.contract_breach_judgment': 'PO', 'courts.defaulter_listing': 'PO',
  'courts.defaulter_delisting': 'PO', 'courts.consumption_restriction_order': 'PO',
  'commerce.pyramid_selling': 'PO', 'commerce.commercial_fraud': 'PO', 'commerce.counterfeit_goods': 'PO',
  'commerce.false_advertising': 'O', 'commerce.licence_revoked': 'O', 'commerce.annual_report_missing': 'O',
  'commerce.abnormal_operation_listing': 'O', 'commerce.quality_award': 'O',
  'tax.arrears': 'PO', 'tax.evasion_penalty': 'PO', 'tax.invoice_fraud': 'O', 'tax.a_grade_taxpayer': 'O',
  'transport.fare_evasion': 'P', 'transport.smoking_on_train': 'P', 'transport.seat_occupation': 'P',
  'transport.disruptive_air_passenger': 'P', 'transport.ticket_scalping': 'PO',
  'traffic.red_light': 'P', 'traffic.drunk_driving': 'P', 'traffic.hit_and_run': 'P', 'traffic.unpaid_fines': 'PO',
  'traffic.speeding': 'P', 'traffic.unlicensed_driving': 'P',
  'civic.heroic_act': 'P', 'civic.honour': 'PO', 'civic.helped_elderly_move': 'P', 'civic.taught_course': 'P',
  'civic.lent_room_for_community': 'P', 'civic.shovelled_snow': 'P', 'civic.accompanied_neighbour_to_doctor': 'P',
  'civic.volunteer_service': 'P', 'civic.charitable_donation': 'PO', 'civic.dog_fouled_lawn': 'P',
  'civic.water_froze_on_path': 'P', 'civic.other_untrustworthy': 'PO',
  'labour.wage_arrears': 'O', 'labour.social_insurance_arrears': 'O', 'labour.labour_contract_violation': 'O',
  'procurement.bid_rigging': 'O', 'procurement.fraud': 'PO', 'procurement.contract_default': 'O',
  'product_safety.violation': 'O', 'product_safety.recall_failure': 'O', 'product_safety.food_safety_violation': 'O',
  'environment.pollution_penalty': 'O', 'environment.illegal_dumping': 'PO',
  'administration.false_statement': 'PO', 'administration.commitment_breach': 'PO', 'administration.commitment_kept': 'PO',
};

/** Sources and the record types they may submit (`x.*` = the family). */
const SOURCES: Record<string, string[]> = {
  'pboc-credit-centre': ['finance.*'],
  'rongcheng-banks': ['finance.card_arrears', 'finance.loan_contract_breach', 'finance.loan_repaid'],
  'utilities-bureau': ['utilities.*'],
  'rongcheng-court': ['courts.*', 'utilities.arrears_judgment', 'commerce.pyramid_selling', 'commerce.commercial_fraud', 'finance.illegal_fundraising_investigation'],
  'market-regulation': ['commerce.*', 'product_safety.*'],
  'tax-bureau': ['tax.*'],
  'railway-bureau': ['transport.fare_evasion', 'transport.smoking_on_train', 'transport.seat_occupation', 'transport.ticket_scalping'],
  'civil-aviation': ['transport.disruptive_air_passenger', 'transport.fare_evasion'],
  'traffic-police': ['traffic.*'],
  'civil-affairs': ['civic.heroic_act', 'civic.honour', 'civic.charitable_donation', 'civic.volunteer_service'],
  'grid-office-morgenroete': ['civic.*', '!civic.honour', '!civic.heroic_act'],
  'human-resources': ['labour.*'],
  'procurement-office': ['procurement.*'],
  'environment-bureau': ['environment.*'],
  'admin-service-centre': ['administration.*'],
};

function sourceMayFile(source: string, type: string): boolean {
  const grants = SOURCES[source];
  if (!grants) return false;
  if (grants.includes(`!${type}`)) return false;
  return grants.some((g) => (g.endsWith('.*') ? type.startsWith(g.slice(0, -1)) : g === type));
}

/** Rongcheng 2017 points (the points file), ignoring caps and expiry. */
const POINTS: Record<string, number> = {
  'finance.loan_contract_breach': -20, 'finance.guarantee_breach': -20, 'finance.lease_contract_breach': -20,
  'finance.insurance_contract_breach': -20, 'finance.private_lending_breach': -20, 'utilities.late_fee': -20,
  'courts.held_liable_unpaid_debt': -30, 'commerce.pyramid_selling': -30, 'commerce.commercial_fraud': -30,
  'commerce.counterfeit_goods': -30, 'finance.illegal_fundraising_investigation': -40,
  'courts.contract_breach_judgment': -50, 'utilities.arrears_judgment': -50, 'utilities.heating_tampering': -50,
  'utilities.theft': -60, 'utilities.equipment_destruction': -100, 'civic.heroic_act': 30,
  'civic.helped_elderly_move': 5, 'civic.taught_course': 5, 'civic.lent_room_for_community': 5, 'civic.shovelled_snow': 5,
  'civic.accompanied_neighbour_to_doctor': 5, 'civic.dog_fouled_lawn': -5, 'civic.water_froze_on_path': -5,
  'traffic.red_light': -5,
};
const HONOUR_POINTS: Record<string, number> = { national: 30, provincial: 20, municipal: 10, county: 5, township: 3, village: 1 };
const GRADES = ['AAA', 'AA', 'A', 'B', 'C', 'D'] as const;
const band = (score: number): (typeof GRADES)[number] =>
  score >= 1050 ? 'AAA' : score >= 1030 ? 'AA' : score >= 960 ? 'A' : score >= 850 ? 'B' : score >= 600 ? 'C' : 'D';

function points(r: RecordInput): number {
  const p = r.payload ?? {};
  if (r.type === 'finance.card_arrears') return -10 * (p.months as number);
  if (r.type === 'civic.other_untrustworthy') return p.points as number;
  if (r.type === 'civic.honour') return HONOUR_POINTS[p.level as string];
  return POINTS[r.type] ?? 0;
}

// ---------------------------------------------------------------------------------------
// Helpers

function collect(o: TownOptions): { subjects: SimSubject[]; records: RecordInput[] } {
  const subjects: SimSubject[] = [];
  const records: RecordInput[] = [];
  let recordsStarted = false;
  for (const item of simulateTown(o)) {
    if (item.kind === 'subject') {
      if (recordsStarted) throw new Error('a subject came after the first record');
      subjects.push(item.subject);
    } else {
      recordsStarted = true;
      records.push(item.record);
    }
  }
  return { subjects, records };
}

/** A writable that keeps a hash and can be slow, to exercise backpressure. */
class HashSink extends Writable {
  readonly hash = createHash('sha256');
  bytes = 0;
  lines: string[] = [];
  constructor(private readonly opts: { slow?: boolean; keepLines?: number } = {}) {
    super({ highWaterMark: opts.slow ? 1024 : 16 * 1024, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const s = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.hash.update(s);
    this.bytes += Buffer.byteLength(s);
    // The writer flushes whole lines, so a chunk never splits one.
    const keep = this.opts.keepLines ?? 0;
    if (this.lines.length < keep) this.lines.push(...s.split('\n').filter(Boolean).slice(0, keep - this.lines.length));
    if (this.opts.slow) setImmediate(cb);
    else cb();
  }
}

async function ndjsonHash(o: TownOptions, sinkOpts: { slow?: boolean; keepLines?: number } = {}) {
  const sink = new HashSink(sinkOpts);
  const counts = await writeTownNdjson(o, sink);
  await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { digest: sink.hash.digest('hex'), counts, bytes: sink.bytes, lines: sink.lines };
}

const SMALL: TownOptions = { subjects: 2_000, days: 365, seed: 7, start: '2017-01-01' };
const TOWN: TownOptions = { subjects: 10_000, days: 365, seed: 1, start: '2017-01-01' };

// ---------------------------------------------------------------------------------------

describe('determinism and the NDJSON writer', () => {
  it('writes byte-identical output for the same seed and different output for another seed', async () => {
    const a = await ndjsonHash(SMALL);
    const b = await ndjsonHash(SMALL);
    const c = await ndjsonHash({ ...SMALL, seed: 8 });
    expect(a.counts.subjects).toBe(2_000);
    expect(a.counts.records).toBeGreaterThan(1_000);
    expect(b.digest).toBe(a.digest);
    expect(b.bytes).toBe(a.bytes);
    expect(c.digest).not.toBe(a.digest);
  });

  it('honours backpressure: a slow sink receives exactly the same bytes', async () => {
    const fast = await ndjsonHash(SMALL);
    const slow = await ndjsonHash(SMALL, { slow: true });
    expect(slow.digest).toBe(fast.digest);
    expect(slow.counts).toEqual(fast.counts);
  });

  it('writes one RecordInput per line, fields in the documented order', async () => {
    const { lines, counts } = await ndjsonHash({ ...SMALL, subjects: 300 }, { keepLines: 500 });
    expect(lines.length).toBe(Math.min(500, counts.records));
    const allowed = ['source', 'sourceRecordId', 'subject', 'type', 'occurredAt', 'payload', 'evidence', 'revokes', 'subjectKind', 'subjectName'];
    for (const line of lines) {
      const o = JSON.parse(line) as Record<string, unknown>;
      const keys = Object.keys(o);
      expect(keys.slice(0, 6)).toEqual(allowed.slice(0, 6));
      expect(keys.every((k) => allowed.includes(k))).toBe(true);
      // Keys keep the documented relative order.
      expect([...keys].sort((x, y) => allowed.indexOf(x) - allowed.indexOf(y))).toEqual(keys);
      expect(o.subjectKind === 'person' || o.subjectKind === 'organisation').toBe(true);
      expect(typeof o.subjectName).toBe('string');
    }
    const first = collect({ ...SMALL, subjects: 300 }).records[0];
    expect(lines[0] + '\n').toBe(recordLine(first));
  });

  it('refuses impossible options', () => {
    expect(() => simulateTown({ ...SMALL, subjects: -1 }).next()).toThrow(RangeError);
    expect(() => simulateTown({ ...SMALL, subjects: 1.5 }).next()).toThrow(RangeError);
    expect([...simulateTown({ ...SMALL, subjects: 0 })]).toEqual([]);
    expect(() => simulateTown({ ...SMALL, days: -1 }).next()).toThrow(RangeError);
    expect(() => simulateTown({ ...SMALL, start: '2017-13-45' }).next()).toThrow(RangeError);
    expect(() => simulateTown({ ...SMALL, orgShare: 2 }).next()).toThrow(RangeError);
  });
});

describe('a town of 10,000 subjects over 365 days (seed 1)', () => {
  let subjects: SimSubject[];
  let records: RecordInput[];
  let byId: Map<string, SimSubject>;

  beforeAll(() => {
    ({ subjects, records } = collect(TOWN));
    byId = new Map(subjects.map((s) => [s.id, s]));
  });

  it('has unique ids that pass their check-character tests', () => {
    expect(subjects.length).toBe(10_000);
    expect(byId.size).toBe(subjects.length);
    const orgs = subjects.filter((s) => s.kind === 'organisation');
    expect(orgs.length).toBe(500);
    const addresses = new Set<string>();
    for (const s of subjects) {
      if (s.kind === 'person') {
        const v = validateResidentId(s.id);
        expect(v.valid, `${s.id}: ${JSON.stringify(v)}`).toBe(true);
        const address = s.id.slice(0, 6);
        expect(['371082', '371002', '371003', '371081', '371083']).toContain(address);
        addresses.add(address);
        const birth = s.id.slice(6, 14);
        expect(birth >= '19400101' && birth <= '20061231').toBe(true);
        expect(s.id.slice(14, 17)).not.toBe('000');
      } else {
        const v = validateUscc(s.id);
        expect(v.valid, `${s.id}: ${JSON.stringify(v)}`).toBe(true);
        expect(s.id.slice(2, 8)).toBe('371082');
        expect(['91', '12', '51', '52']).toContain(s.id.slice(0, 2));
      }
    }
    expect(addresses.size).toBe(5);
    const prefixes = new Set(orgs.map((s) => s.id.slice(0, 2)));
    expect([...prefixes].sort()).toEqual(['12', '51', '52', '91']);
    expect(orgs.filter((s) => s.id.startsWith('91')).length).toBeGreaterThan(orgs.length * 0.8);
  });

  it('groups persons into households of 1-5 in cells, and names every subject', () => {
    const households = new Map<string, number>();
    for (const s of subjects) {
      expect(s.displayName.length).toBeGreaterThan(3);
      if (s.kind !== 'person') continue;
      expect(s.household).toMatch(/^hh-\d{6}$/);
      expect(s.area).toMatch(/^cell-\d{3}$/);
      households.set(s.household!, (households.get(s.household!) ?? 0) + 1);
      expect(s.displayName).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ \d{4}$/);
    }
    const sizes = [...households.values()];
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
    expect(new Set(sizes).size).toBe(5);
  });

  it('yields about 1.5-3 records per subject-year', () => {
    const perSubjectYear = records.length / subjects.length / (TOWN.days / 365);
    expect(perSubjectYear).toBeGreaterThan(1.5);
    expect(perSubjectYear).toBeLessThan(3);
  });

  it('files every record by a source allowed for its type, for a subject kind the type applies to', () => {
    for (const r of records) {
      const s = byId.get(r.subject);
      expect(s, `unknown subject ${r.subject}`).toBeDefined();
      const kinds = KINDS[r.type];
      expect(kinds, `unknown type ${r.type}`).toBeDefined();
      expect(r.subjectKind).toBe(s!.kind);
      expect(r.subjectName).toBe(s!.displayName);
      expect(kinds.includes(s!.kind === 'person' ? 'P' : 'O'), `${r.type} for a ${s!.kind}`).toBe(true);
      expect(sourceMayFile(r.source, r.type), `${r.source} may not file ${r.type}`).toBe(true);
    }
  });

  it('emits records in non-decreasing occurredAt, within the simulated days, with unique stable ids', () => {
    const first = Date.parse(`${TOWN.start}T00:00:00Z`);
    const end = first + TOWN.days * 86_400_000;
    let prev = -Infinity;
    const ids = new Set<string>();
    for (const r of records) {
      expect(r.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const t = Date.parse(r.occurredAt);
      expect(t).toBeGreaterThanOrEqual(prev);
      expect(t >= first && t < end).toBe(true);
      prev = t;
      expect(r.sourceRecordId.startsWith(`s${TOWN.seed}-`)).toBe(true);
      const key = `${r.source}/${r.sourceRecordId}`;
      expect(ids.has(key)).toBe(false);
      ids.add(key);
    }
  });

  it('corrects about 0.2% of records; each correction revokes an earlier record of the same source and subject', () => {
    const seen = new Map<string, { index: number; record: RecordInput }>();
    let corrections = 0;
    records.forEach((r, index) => {
      if (r.revokes !== undefined) {
        corrections++;
        const original = seen.get(`${r.source}/${r.revokes}`);
        expect(original, `${r.sourceRecordId} revokes unknown ${r.revokes}`).toBeDefined();
        expect(original!.index).toBeLessThan(index);
        expect(original!.record.subject).toBe(r.subject);
        expect(original!.record.type).toBe(r.type);
        expect(original!.record.revokes).toBeUndefined();
        const lag = (Date.parse(r.occurredAt) - Date.parse(original!.record.occurredAt)) / 86_400_000;
        expect(lag).toBeGreaterThan(1);
        expect(lag).toBeLessThan(6);
      }
      seen.set(`${r.source}/${r.sourceRecordId}`, { index, record: r });
    });
    const share = corrections / records.length;
    expect(share).toBeGreaterThan(0.001);
    expect(share).toBeLessThan(0.004);
  });

  it('includes rare events at their rates: defaulter listings ~0.5%, drunk driving ~0.3% of subjects', () => {
    const listed = new Set<string>();
    const drunk = new Set<string>();
    const listingCases = new Map<string, string>();
    for (const r of records) {
      if (r.type === 'courts.defaulter_listing') {
        listed.add(r.subject);
        const p = r.payload!;
        const d = new Date(r.occurredAt);
        const expected = new Date(Date.UTC(d.getUTCFullYear() + 2, d.getUTCMonth(), d.getUTCDate())).toISOString().slice(0, 10);
        expect(p.end_date).toBe(expected);
        listingCases.set(p.case_ref as string, r.subject);
      }
      if (r.type === 'courts.defaulter_delisting') {
        expect(listingCases.get(r.payload!.case_ref as string)).toBe(r.subject);
      }
      if (r.type === 'traffic.drunk_driving') drunk.add(r.subject);
    }
    expect(listed.size / subjects.length).toBeGreaterThan(0.002);
    expect(listed.size / subjects.length).toBeLessThan(0.01);
    expect(drunk.size / subjects.length).toBeGreaterThan(0.001);
    expect(drunk.size / subjects.length).toBeLessThan(0.006);
  });

  it('gives organisations organisation types (tax arrears, wage arrears, product safety, A-grade taxpayer ...)', () => {
    const orgTypes = new Set(records.filter((r) => r.subjectKind === 'organisation').map((r) => r.type));
    for (const t of ['tax.arrears', 'labour.wage_arrears', 'product_safety.violation', 'commerce.annual_report_missing', 'tax.a_grade_taxpayer', 'commerce.quality_award']) {
      expect(orgTypes.has(t), t).toBe(true);
    }
    const personTypes = new Set(records.filter((r) => r.subjectKind === 'person').map((r) => r.type));
    for (const t of ['civic.helped_elderly_move', 'traffic.red_light', 'finance.card_arrears', 'utilities.late_fee']) {
      expect(personTypes.has(t), t).toBe(true);
    }
  });

  it('gives a plausible Rongcheng distribution after 365 days (uncapped points; drunk driving at most C)', () => {
    const revoked = new Set(records.filter((r) => r.revokes).map((r) => `${r.source}/${r.revokes}`));
    const sum = new Map<string, number>(subjects.map((s) => [s.id, 0]));
    const drunk = new Set<string>();
    for (const r of records) {
      if (revoked.has(`${r.source}/${r.sourceRecordId}`)) continue;
      sum.set(r.subject, sum.get(r.subject)! + points(r));
      if (r.type === 'traffic.drunk_driving') drunk.add(r.subject);
    }
    const counts = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<(typeof GRADES)[number], number>;
    for (const [id, s] of sum) {
      let g = band(1000 + s);
      if (drunk.has(id) && GRADES.indexOf(g) < GRADES.indexOf('C')) g = 'C';
      counts[g]++;
    }
    const share = Object.fromEntries(GRADES.map((g) => [g, counts[g] / subjects.length])) as Record<(typeof GRADES)[number], number>;
    for (const g of GRADES) expect(counts[g], `grade ${g} is empty`).toBeGreaterThan(0);
    for (const g of GRADES) if (g !== 'A') expect(counts.A).toBeGreaterThan(counts[g]);
    // The brief's targets (AAA 2-5%, AA 4-10%, A 60-80%, B 8-15%, C 3-8%, D 0.5-3%), with a little slack.
    expect(share.AAA).toBeGreaterThan(0.015);
    expect(share.AAA).toBeLessThan(0.06);
    expect(share.AA).toBeGreaterThan(0.03);
    expect(share.AA).toBeLessThan(0.11);
    expect(share.A).toBeGreaterThan(0.6);
    expect(share.A).toBeLessThan(0.82);
    expect(share.B).toBeGreaterThan(0.07);
    expect(share.B).toBeLessThan(0.16);
    expect(share.C).toBeGreaterThan(0.025);
    expect(share.C).toBeLessThan(0.09);
    expect(share.D).toBeGreaterThan(0.003);
    expect(share.D).toBeLessThan(0.05);
  });

  it('validates payloads against catalogue/record-types.yaml', () => {
    if (!existsSync(RECORD_TYPES_YAML)) {
      throw new Error(`catalogue/record-types.yaml is missing (${RECORD_TYPES_YAML}): payloads cannot be validated`);
    }
    const doc = parse(readFileSync(RECORD_TYPES_YAML, 'utf8')) as {
      recordTypes: { code: string; subjectKinds: string[]; payloadSchema: Record<string, unknown> }[];
    };
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validators = new Map<string, ValidateFunction>();
    const kinds = new Map<string, string[]>();
    for (const t of doc.recordTypes) {
      validators.set(t.code, ajv.compile(t.payloadSchema));
      kinds.set(t.code, t.subjectKinds);
    }
    // Every type the simulator can generate is in the catalogue.
    for (const p of RECORD_TYPE_PLAN) expect(validators.has(p.type), `${p.type} not in the catalogue`).toBe(true);
    expect(validators.has('courts.defaulter_delisting')).toBe(true);

    // The seed-1 town, plus a larger, longer town so that rare organisation types appear too.
    const sample = [...records, ...collect({ subjects: 20_000, days: 730, seed: 3, start: '2018-06-01' }).records];
    const seen = new Set<string>();
    const failures: string[] = [];
    for (const r of sample) {
      seen.add(r.type);
      const validate = validators.get(r.type)!;
      if (!validate(r.payload ?? {})) failures.push(`${r.type} ${JSON.stringify(r.payload)}: ${ajv.errorsText(validate.errors)}`);
      if (!kinds.get(r.type)!.includes(r.subjectKind!)) failures.push(`${r.type} not for a ${r.subjectKind}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
    const unseen = [...RECORD_TYPE_PLAN.map((p) => p.type), 'courts.defaulter_delisting'].filter((t) => !seen.has(t));
    expect(unseen).toEqual([]);
  });
});

describe('benchmark workload', () => {
  // At ~2.8 records per subject-year, 100,000 subjects over 1,320 days give about 1.0M records.
  const BENCH: TownOptions = { subjects: 100_000, days: 1_320, seed: 1, start: '2017-01-01' };

  it('generates 1,000,000 records in well under a minute', () => {
    const started = performance.now();
    let subjectCount = 0;
    let recordCount = 0;
    for (const item of simulateTown(BENCH)) {
      if (item.kind === 'subject') subjectCount++;
      else recordCount++;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`simulate: ${recordCount} records for ${subjectCount} subjects x ${BENCH.days} days in ${seconds.toFixed(2)} s (${Math.round(recordCount / seconds)} records/s)`);
    expect(subjectCount).toBe(BENCH.subjects);
    expect(recordCount).toBeGreaterThanOrEqual(1_000_000);
    expect(recordCount).toBeLessThan(1_100_000);
    expect(seconds).toBeLessThan(60);
  }, 120_000);
});
