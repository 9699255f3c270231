// Synthetic town: the demo data and the benchmark workload. A seeded, streaming generator of
// subjects (persons in households and cells, organisations) and their records, day by day.
// Why: demos and benchmarks need a population whose grades look like a real pilot's
// (most people A, a few models, a few warnings) without touching anyone's personal data;
// every id is synthetic but passes its check-character test.
// Pure: no I/O, no clock, no Math.random. Same options -> same output, byte for byte.
// Memory is bounded by the subject count (plus a few days of pending follow-ups), never by
// the record count.
import type { RecordInput, SubjectKind } from '../domain/types.ts';
import { makeResidentId, makeUscc } from '../domain/identifiers.ts';

export interface TownOptions {
  subjects: number;
  days: number;
  seed: number;
  /** ISO date (YYYY-MM-DD) of the first simulated day. */
  start: string;
  /** Share of organisations among subjects; default 0.05. */
  orgShare?: number;
}

export interface SimSubject {
  id: string;
  kind: SubjectKind;
  displayName: string;
  /** The simulator's own labels (a household, a grid cell or zone); never part of a Subject. */
  household?: string;
  area?: string;
}

export type TownItem = { kind: 'subject'; subject: SimSubject } | { kind: 'record'; record: RecordInput };

/** Limits: a town's subjects are held in memory (about 250 bytes each), so bound them. */
export const TOWN_SUBJECTS_MAX = 20_000_000;
export const TOWN_DAYS_MAX = 36_600;

// ---------------------------------------------------------------------------------------
// PRNG: sfc32 seeded through splitmix32 (one independent stream per purpose).

function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aab5);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | null = null;

  constructor(seed: number, stream: number) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const sm = splitmix32(lo ^ Math.imul(hi, 0x85ebca6b) ^ Math.imul(stream + 1, 0x632be5ab));
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  gauss(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Poisson count; exact (Knuth) below 30, normal approximation above. */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.gauss()));
  }

  /** 1 + geometric number of extra trials with continuation probability q, capped. */
  geometric(q: number, max: number): number {
    let k = 1;
    while (k < max && this.next() < q) k++;
    return k;
  }

  /** Log-normal amount rounded to 2 decimals (median `median`). */
  amount(median: number, sigma: number): number {
    return Math.round(median * Math.exp(sigma * this.gauss()) * 100) / 100;
  }
}

/** Vose alias table: O(1) weighted picks. */
class Alias {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    this.total = total;
    if (n === 0 || total <= 0) return;
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    while (nl > 0) this.prob[large[--nl]] = 1;
    while (ns > 0) this.prob[small[--ns]] = 1;
  }

  pick(rng: Rng): number {
    const u = rng.next() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[i] ? i : this.alias[i];
  }
}

// ---------------------------------------------------------------------------------------
// Names and identifiers

const SURNAMES = [
  'Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu',
  'Xu', 'Sun', 'Hu', 'Zhu', 'Gao', 'Lin', 'He', 'Guo', 'Ma', 'Luo',
  'Liang', 'Song', 'Zheng', 'Xie', 'Han', 'Tang', 'Feng', 'Yu', 'Dong', 'Xiao',
  'Cheng', 'Cao', 'Yuan', 'Deng', 'Jiang', 'Qu', 'Bi', 'Sui', 'Tan', 'Lu',
];
const GIVEN = [
  'Lei', 'Wei', 'Fang', 'Min', 'Jing', 'Li', 'Qiang', 'Jun', 'Yang', 'Yong',
  'Yan', 'Jie', 'Tao', 'Ming', 'Chao', 'Xiu', 'Hua', 'Ping', 'Gang', 'Hui',
  'Hong', 'Ying', 'Bo', 'Peng', 'Hai', 'Lan', 'Xin', 'Yu', 'Ning', 'Kai',
  'Dan', 'Feng', 'Rui', 'Shan', 'Lin', 'Mei', 'Hao', 'Qing', 'Zhen', 'Tian',
];

const TOWNS = ['Rongcheng', 'Shidao', 'Lidao', 'Xiakou', 'Yatou', 'Chengshan', 'Renhe', 'Gangxi'];
const INDUSTRIES = [
  'Fishery', 'Seafood Processing', 'Marine Foods', 'Kelp', 'Tyre', 'Machinery', 'Logistics',
  'Construction', 'Trading', 'Textile', 'Shipbuilding', 'Property', 'Tourism', 'Agricultural',
  'Cold Chain', 'Fishing Gear', 'Peanut Oil', 'Auto Parts', 'Printing', 'Catering',
];
const COMPANY_FORMS = ['Co.', 'Co., Ltd.', 'Group Co.', 'Trading Co.'];
const INSTITUTIONS = [
  'No. 1 Middle School', 'No. 3 Primary School', "People's Hospital", 'Maternal and Child Health Centre',
  'Cultural Centre', 'Library', 'Fisheries Technology Station', 'Vocational School',
];
const SOCIAL_GROUPS = [
  'Calligraphy Association', 'Fishermen Association', 'Volunteers Association', 'Chamber of Commerce',
  'Seafood Industry Association', 'Photography Society',
];
const SOCIAL_SERVICES = [
  'Elderly Care Centre', 'Kindergarten', 'Community Service Centre', 'Rehabilitation Centre',
  'Training School',
];

/** Rongcheng itself, then nearby Weihai districts and cities (GB/T 2260 codes). */
const ADDRESS_CODES = ['371082', '371002', '371003', '371081', '371083'];
const ADDRESS_WEIGHTS = [0.7, 0.09, 0.07, 0.07, 0.07];
/** GB 32100 characters allowed in an organisation-code body (no I, O, S, V, Z). */
const ORG_BODY_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

const DAY_MS = 86_400_000;
const BIRTH_FROM_MS = Date.UTC(1940, 0, 1);
const BIRTH_DAYS = Math.round((Date.UTC(2006, 11, 31) - BIRTH_FROM_MS) / DAY_MS) + 1;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------
// Propensities: heavy-tailed, so a few subjects get most adverse records and a few most deeds.

interface PropensityClass {
  name: string;
  share: number;
  weight: number;
}

/** Adverse propensity classes (persons and organisations). Mean weight is normalised away by the alias table. */
export const ADVERSE_CLASSES: readonly PropensityClass[] = [
  { name: 'clean', share: 0.545, weight: 0.03 },
  { name: 'ordinary', share: 0.19, weight: 0.4 },
  { name: 'lapsed', share: 0.18, weight: 4 },
  { name: 'troubled', share: 0.062, weight: 14 },
  { name: 'severe', share: 0.023, weight: 33 },
];
/** Favourable propensity classes (persons); troubled and severe subjects are never civic stars. */
export const FAVOURABLE_CLASSES: readonly PropensityClass[] = [
  { name: 'none', share: 0.515, weight: 0.01 },
  { name: 'occasional', share: 0.29, weight: 0.2 },
  { name: 'civic', share: 0.16, weight: 11 },
  { name: 'star', share: 0.035, weight: 16 },
];

function drawClass(rng: Rng, classes: readonly PropensityClass[], maxIndex = classes.length - 1): number {
  let total = 0;
  for (let i = 0; i <= maxIndex; i++) total += classes[i].share;
  let u = rng.next() * total;
  for (let i = 0; i <= maxIndex; i++) {
    u -= classes[i].share;
    if (u < 0) return i;
  }
  return maxIndex;
}

// ---------------------------------------------------------------------------------------
// Record types: rates per subject-year (population average for the kind), who submits them,
// and what their payloads look like. Codes and sources follow the record-type contract.

type Weighting = 'adverse' | 'favourable' | 'uniform';

interface PayloadCtx {
  rng: Rng;
  /** ISO date of the day. */
  date: string;
  year: number;
  dayMs: number;
  source: string;
  kind: SubjectKind;
}

interface TypePlan {
  type: string;
  /** Rate per person-year (0 = never for persons). */
  person: number;
  /** Rate per organisation-year (0 = never for organisations). */
  org: number;
  weighting: Weighting;
  sources: readonly string[];
  /** Months (1-12) the type happens in; the annual rate is kept. */
  months?: readonly number[];
  /** Organisations: only enterprises (USCC type 91). */
  enterpriseOnly?: boolean;
  payload: (c: PayloadCtx) => Record<string, unknown>;
}

const UTILITIES = ['water', 'power', 'gas', 'heating'] as const;
const THEFT_UTILITIES = ['water', 'power', 'gas'] as const;
const DEFAULTER_GROUNDS = [
  'able_to_pay_refuses', 'able_to_pay_refuses', 'able_to_pay_refuses', 'obstructs_enforcement',
  'sham_litigation_or_hiding_assets', 'breaches_asset_reporting', 'breaches_asset_reporting',
  'breaches_consumption_order', 'reneges_on_settlement',
] as const;
const HONOUR_LEVELS: readonly [string, number][] = [
  ['village', 0.38], ['township', 0.26], ['county', 0.18], ['municipal', 0.11], ['provincial', 0.05], ['national', 0.02],
];
const SEVERITIES: readonly [string, number][] = [['minor', 0.6], ['general', 0.32], ['serious', 0.08]];
const COURSES = ['calligraphy', 'paper cutting', 'net mending', 'Peking opera', 'chess', 'first aid', 'smartphone use'];
const ACTIVITIES = ['community singing', 'elderly tea meeting', 'children homework club', 'square dance practice', 'chess club'];
const LOCATIONS = [
  'Chengshan Ave / Rongcheng Rd', 'Shidao Port Rd', 'Huanghai Rd / Yantai St', 'Lidao Bridge',
  'Xiakou Coastal Rd', 'Rongcheng Bus Station', 'Weihai Rd / Jiefang St', 'Gangxi Town Centre',
];
const GOODS = ['dried sea cucumber', 'kelp', 'peanut oil', 'tyres', 'fishing nets', 'cosmetics', 'liquor', 'phone chargers'];
const PRODUCTS = ['frozen squid', 'canned fish', 'tyres', 'gas cylinders', 'children toys', 'electric heaters', 'peanut oil'];
const AWARDS = ['Weihai Quality Award', 'Shandong Famous Brand', 'Rongcheng Mayor Quality Award', 'Provincial Quality Benchmark'];
// Honours of a person only: a family or household title counted for each member would be
// guilt (or merit) by association, and the ingest screen refuses it.
const HONOUR_TITLES = ['Model Worker', 'Good Samaritan', 'Good Neighbour', 'Outstanding Volunteer', 'Civilised Citizen', 'Filial Piety Star'];
const HEROIC = [
  'rescued a child from the harbour', 'pulled a driver from a burning car', 'stopped a purse snatcher',
  'rescued fishermen in a storm', 'saved an elderly neighbour from a house fire',
];
const GROUNDS_UNTRUSTWORTHY = [
  'Broke a signed village convention on waste sorting three times after written warnings.',
  'Gave false information to the grid inspector about the occupants of a rented flat.',
  'Occupied the shared stairwell with goods after two written requests to clear it.',
  'Repeatedly refused to return borrowed community equipment after written reminders.',
  'Falsely claimed a neighbourhood subsidy and did not repay it when asked in writing.',
];
const ABNORMAL_REASONS = ['cannot be reached at registered address', 'annual report not filed', 'false information in annual report'];
const CORRECTION_REASONS = ['amount misreported', 'wrong case reference transcribed', 'data entry error', 'duplicate of another entry', 'date corrected'];

const ref = (prefix: string, c: PayloadCtx, width = 5): string => `${prefix}-${c.year}-${pad(c.rng.int(10 ** width), width)}`;
const caseRef = (c: PayloadCtx, kind = 'MIN'): string => `RCC-${c.year}-${kind}-${pad(c.rng.int(100000), 5)}`;

function weighted<T>(rng: Rng, xs: readonly [T, number][]): T {
  let u = rng.next();
  for (const [x, w] of xs) {
    u -= w;
    if (u < 0) return x;
  }
  return xs[xs.length - 1][0];
}

const WINTER = [12, 1, 2] as const;

/**
 * The rates table. Overall about 2.2 records per subject-year; adverse records land on the
 * heavy tail of ADVERSE_CLASSES, deeds on the tail of FAVOURABLE_CLASSES.
 */
export const RECORD_TYPE_PLAN: readonly TypePlan[] = [
  // finance
  { type: 'finance.card_arrears', person: 0.3, org: 0.01, weighting: 'adverse', sources: ['rongcheng-banks', 'pboc-credit-centre'],
    payload: (c) => ({ months: c.rng.geometric(0.72, 36), amount: c.rng.amount(3000, 0.9) }) },
  { type: 'finance.loan_contract_breach', person: 0.04, org: 0.02, weighting: 'adverse', sources: ['rongcheng-banks', 'pboc-credit-centre'],
    payload: (c) => ({ contract_ref: ref('LN', c, 6), amount: c.rng.amount(c.kind === 'person' ? 40000 : 600000, 1) }) },
  { type: 'finance.guarantee_breach', person: 0.008, org: 0.01, weighting: 'adverse', sources: ['pboc-credit-centre'],
    payload: (c) => ({ contract_ref: ref('GU', c, 6), amount: c.rng.amount(80000, 1) }) },
  { type: 'finance.lease_contract_breach', person: 0.008, org: 0.005, weighting: 'adverse', sources: ['pboc-credit-centre'],
    payload: (c) => ({ contract_ref: ref('LS', c, 6), amount: c.rng.amount(20000, 0.8) }) },
  { type: 'finance.insurance_contract_breach', person: 0.005, org: 0.003, weighting: 'adverse', sources: ['pboc-credit-centre'],
    payload: (c) => ({ contract_ref: ref('IN', c, 6), amount: c.rng.amount(5000, 0.8) }) },
  { type: 'finance.private_lending_breach', person: 0.012, org: 0, weighting: 'adverse', sources: ['pboc-credit-centre'],
    payload: (c) => ({ amount: c.rng.amount(30000, 1) }) },
  { type: 'finance.illegal_fundraising_investigation', person: 0.0005, org: 0.001, weighting: 'adverse', sources: ['pboc-credit-centre', 'rongcheng-court'],
    payload: (c) => ({ case_ref: caseRef(c, 'XING') }) },
  { type: 'finance.loan_repaid', person: 0.08, org: 0.4, weighting: 'uniform', sources: ['rongcheng-banks', 'pboc-credit-centre'],
    payload: (c) => ({ amount: c.rng.amount(c.kind === 'person' ? 30000 : 500000, 1.1) }) },
  // utilities
  { type: 'utilities.late_fee', person: 0.48, org: 0.1, weighting: 'adverse', sources: ['utilities-bureau'],
    payload: (c) => ({ utility: c.rng.pick(UTILITIES), days_late: c.rng.range(1, 120), amount: c.rng.amount(30, 0.8) }) },
  { type: 'utilities.arrears_judgment', person: 0.012, org: 0.005, weighting: 'adverse', sources: ['rongcheng-court'],
    payload: (c) => ({ utility: c.rng.pick(UTILITIES), amount: c.rng.amount(2500, 0.8), case_ref: caseRef(c) }) },
  { type: 'utilities.heating_tampering', person: 0.003, org: 0.001, weighting: 'adverse', sources: ['utilities-bureau'], months: [11, 12, 1, 2, 3],
    payload: (c) => ({ case_ref: ref('UB', c) }) },
  { type: 'utilities.theft', person: 0.003, org: 0.001, weighting: 'adverse', sources: ['utilities-bureau'],
    payload: (c) => ({ utility: c.rng.pick(THEFT_UTILITIES) }) },
  { type: 'utilities.equipment_destruction', person: 0.0015, org: 0.0005, weighting: 'adverse', sources: ['utilities-bureau'],
    payload: (c) => ({ case_ref: ref('UB', c) }) },
  // courts
  { type: 'courts.held_liable_unpaid_debt', person: 0.035, org: 0.01, weighting: 'adverse', sources: ['rongcheng-court'],
    payload: (c) => ({ case_ref: caseRef(c), amount: c.rng.amount(c.kind === 'person' ? 50000 : 400000, 1) }) },
  { type: 'courts.contract_breach_judgment', person: 0.035, org: 0.02, weighting: 'adverse', sources: ['rongcheng-court'],
    payload: (c) => ({ case_ref: caseRef(c), amount: c.rng.amount(c.kind === 'person' ? 40000 : 300000, 1) }) },
  { type: 'courts.defaulter_listing', person: 0.006, org: 0.006, weighting: 'adverse', sources: ['rongcheng-court'],
    payload: (c) => ({
      case_ref: caseRef(c, 'ZHI'),
      ground: c.rng.pick(DEFAULTER_GROUNDS),
      end_date: isoDate(Date.UTC(c.year + 2, new Date(c.dayMs).getUTCMonth(), new Date(c.dayMs).getUTCDate())),
    }) },
  // Follow-ups of a listing (restriction order the same day, delisting later) are generated
  // from the listing itself; these small standalone rates cover the rest.
  { type: 'courts.consumption_restriction_order', person: 0.0005, org: 0.0005, weighting: 'adverse', sources: ['rongcheng-court'],
    payload: (c) => ({ case_ref: caseRef(c, 'ZHI') }) },
  // commerce
  { type: 'commerce.pyramid_selling', person: 0.0006, org: 0.0005, weighting: 'adverse', sources: ['market-regulation', 'rongcheng-court'],
    payload: (c) => ({ case_ref: ref('MR', c) }) },
  { type: 'commerce.commercial_fraud', person: 0.001, org: 0.003, weighting: 'adverse', sources: ['market-regulation', 'rongcheng-court'],
    payload: (c) => ({ case_ref: ref('MR', c), amount: c.rng.amount(20000, 1) }) },
  { type: 'commerce.counterfeit_goods', person: 0.0008, org: 0.004, weighting: 'adverse', sources: ['market-regulation'],
    payload: (c) => ({ case_ref: ref('MR', c), goods: c.rng.pick(GOODS) }) },
  { type: 'commerce.false_advertising', person: 0, org: 0.012, weighting: 'adverse', sources: ['market-regulation'], enterpriseOnly: true,
    payload: (c) => ({ case_ref: ref('MR', c) }) },
  { type: 'commerce.licence_revoked', person: 0, org: 0.002, weighting: 'adverse', sources: ['market-regulation'], enterpriseOnly: true,
    payload: (c) => ({ licence_ref: ref('LIC', c, 6) }) },
  { type: 'commerce.annual_report_missing', person: 0, org: 0.06, weighting: 'adverse', sources: ['market-regulation'], months: [7], enterpriseOnly: true,
    payload: (c) => ({ year: c.year - 1 }) },
  { type: 'commerce.abnormal_operation_listing', person: 0, org: 0.02, weighting: 'adverse', sources: ['market-regulation'], enterpriseOnly: true,
    payload: (c) => ({ reason: c.rng.pick(ABNORMAL_REASONS) }) },
  { type: 'commerce.quality_award', person: 0, org: 0.025, weighting: 'favourable', sources: ['market-regulation'], enterpriseOnly: true,
    payload: (c) => ({ award: c.rng.pick(AWARDS) }) },
  // tax
  { type: 'tax.arrears', person: 0.008, org: 0.08, weighting: 'adverse', sources: ['tax-bureau'],
    payload: (c) => ({ amount: c.rng.amount(c.kind === 'person' ? 2000 : 30000, 1), months: c.rng.geometric(0.6, 24) }) },
  { type: 'tax.evasion_penalty', person: 0.001, org: 0.006, weighting: 'adverse', sources: ['tax-bureau'],
    payload: (c) => ({ amount: c.rng.amount(c.kind === 'person' ? 10000 : 120000, 1), case_ref: ref('TAX', c) }) },
  { type: 'tax.invoice_fraud', person: 0, org: 0.004, weighting: 'adverse', sources: ['tax-bureau'], enterpriseOnly: true,
    payload: (c) => ({ case_ref: ref('TAX', c) }) },
  { type: 'tax.a_grade_taxpayer', person: 0, org: 0.15, weighting: 'favourable', sources: ['tax-bureau'], months: [4], enterpriseOnly: true,
    payload: (c) => ({ year: c.year - 1 }) },
  // transport
  { type: 'transport.fare_evasion', person: 0.015, org: 0, weighting: 'adverse', sources: ['railway-bureau', 'railway-bureau', 'railway-bureau', 'civil-aviation'],
    payload: (c) => (c.source === 'civil-aviation'
      ? { mode: 'air', amount: c.rng.amount(900, 0.5) }
      : { mode: 'rail', amount: c.rng.amount(120, 0.6) }) },
  { type: 'transport.smoking_on_train', person: 0.003, org: 0, weighting: 'adverse', sources: ['railway-bureau'],
    payload: (c) => ({ train: `${c.rng.pick(['G', 'D', 'K'])}${c.rng.range(100, 9999)}` }) },
  { type: 'transport.seat_occupation', person: 0.002, org: 0, weighting: 'adverse', sources: ['railway-bureau'],
    payload: (c) => ({ train: `${c.rng.pick(['G', 'D'])}${c.rng.range(100, 9999)}` }) },
  { type: 'transport.disruptive_air_passenger', person: 0.0006, org: 0, weighting: 'adverse', sources: ['civil-aviation'],
    payload: (c) => ({ flight: `${c.rng.pick(['SC', 'CA', 'MU', 'CZ'])}${c.rng.range(1000, 9999)}` }) },
  { type: 'transport.ticket_scalping', person: 0.0006, org: 0.0005, weighting: 'adverse', sources: ['railway-bureau'],
    payload: (c) => ({ case_ref: ref('RW', c) }) },
  // traffic
  { type: 'traffic.red_light', person: 0.15, org: 0, weighting: 'adverse', sources: ['traffic-police'],
    payload: (c) => ({ location: c.rng.pick(LOCATIONS) }) },
  { type: 'traffic.drunk_driving', person: 0.003, org: 0, weighting: 'adverse', sources: ['traffic-police'],
    payload: (c) => ({ case_ref: ref('TP', c) }) },
  { type: 'traffic.hit_and_run', person: 0.0004, org: 0, weighting: 'adverse', sources: ['traffic-police'],
    payload: (c) => ({ case_ref: ref('TP', c) }) },
  { type: 'traffic.unpaid_fines', person: 0.02, org: 0.05, weighting: 'adverse', sources: ['traffic-police'],
    payload: (c) => ({ amount: c.rng.pick([50, 100, 150, 200, 500]) }) },
  { type: 'traffic.speeding', person: 0.08, org: 0, weighting: 'uniform', sources: ['traffic-police'],
    payload: (c) => ({ over_percent: Math.min(500, c.rng.geometric(0.93, 500)) }) },
  { type: 'traffic.unlicensed_driving', person: 0.002, org: 0, weighting: 'adverse', sources: ['traffic-police'],
    payload: (c) => ({ case_ref: ref('TP', c) }) },
  // civic deeds and honours
  { type: 'civic.heroic_act', person: 0.006, org: 0, weighting: 'favourable', sources: ['civil-affairs'],
    payload: (c) => ({ description: c.rng.pick(HEROIC) }) },
  { type: 'civic.honour', person: 0.02, org: 0.02, weighting: 'favourable', sources: ['civil-affairs'],
    payload: (c) => ({ level: weighted(c.rng, HONOUR_LEVELS), title: c.rng.pick(HONOUR_TITLES) }) },
  { type: 'civic.helped_elderly_move', person: 0.4, org: 0, weighting: 'favourable', sources: ['grid-office-morgenroete'],
    payload: () => ({}) },
  { type: 'civic.taught_course', person: 0.11, org: 0, weighting: 'favourable', sources: ['grid-office-morgenroete'],
    payload: (c) => ({ course: c.rng.pick(COURSES) }) },
  { type: 'civic.lent_room_for_community', person: 0.09, org: 0, weighting: 'favourable', sources: ['grid-office-morgenroete'],
    payload: (c) => ({ activity: c.rng.pick(ACTIVITIES) }) },
  { type: 'civic.shovelled_snow', person: 0.32, org: 0, weighting: 'favourable', sources: ['grid-office-morgenroete'], months: WINTER,
    payload: () => ({}) },
  { type: 'civic.accompanied_neighbour_to_doctor', person: 0.32, org: 0, weighting: 'favourable', sources: ['grid-office-morgenroete'],
    payload: () => ({}) },
  { type: 'civic.volunteer_service', person: 0.05, org: 0, weighting: 'favourable', sources: ['civil-affairs', 'grid-office-morgenroete'],
    payload: (c) => ({ hours: Math.min(1000, c.rng.geometric(0.85, 1000)) }) },
  { type: 'civic.charitable_donation', person: 0.03, org: 0.12, weighting: 'favourable', sources: ['civil-affairs', 'grid-office-morgenroete'],
    payload: (c) => ({ amount: c.rng.amount(c.kind === 'person' ? 200 : 20000, 1) }) },
  { type: 'civic.dog_fouled_lawn', person: 0.05, org: 0, weighting: 'adverse', sources: ['grid-office-morgenroete'],
    payload: () => ({}) },
  { type: 'civic.water_froze_on_path', person: 0.04, org: 0, weighting: 'adverse', sources: ['grid-office-morgenroete'], months: WINTER,
    payload: () => ({}) },
  { type: 'civic.other_untrustworthy', person: 0.045, org: 0.005, weighting: 'adverse', sources: ['grid-office-morgenroete'],
    payload: (c) => ({ points: -5 * c.rng.range(1, 10), ground: c.rng.pick(GROUNDS_UNTRUSTWORTHY) }) },
  // labour
  { type: 'labour.wage_arrears', person: 0, org: 0.025, weighting: 'adverse', sources: ['human-resources'],
    payload: (c) => {
      const workers = c.rng.geometric(0.8, 500);
      return { workers, amount: Math.round(workers * c.rng.amount(4000, 0.5) * 100) / 100 };
    } },
  { type: 'labour.social_insurance_arrears', person: 0, org: 0.04, weighting: 'adverse', sources: ['human-resources'],
    payload: (c) => ({ amount: c.rng.amount(25000, 1), months: c.rng.geometric(0.6, 36) }) },
  { type: 'labour.labour_contract_violation', person: 0, org: 0.012, weighting: 'adverse', sources: ['human-resources'],
    payload: (c) => ({ case_ref: ref('HR', c) }) },
  // procurement
  { type: 'procurement.bid_rigging', person: 0, org: 0.002, weighting: 'adverse', sources: ['procurement-office'], enterpriseOnly: true,
    payload: (c) => ({ tender_ref: ref('RCGP', c) }) },
  { type: 'procurement.fraud', person: 0.0002, org: 0.002, weighting: 'adverse', sources: ['procurement-office'],
    payload: (c) => ({ tender_ref: ref('RCGP', c), amount: c.rng.amount(150000, 1) }) },
  { type: 'procurement.contract_default', person: 0, org: 0.004, weighting: 'adverse', sources: ['procurement-office'],
    payload: (c) => ({ contract_ref: ref('RCGC', c) }) },
  // product safety
  { type: 'product_safety.violation', person: 0, org: 0.02, weighting: 'adverse', sources: ['market-regulation'], enterpriseOnly: true,
    payload: (c) => ({ product: c.rng.pick(PRODUCTS), severity: weighted(c.rng, SEVERITIES) }) },
  { type: 'product_safety.recall_failure', person: 0, org: 0.002, weighting: 'adverse', sources: ['market-regulation'], enterpriseOnly: true,
    payload: (c) => ({ product: c.rng.pick(PRODUCTS) }) },
  { type: 'product_safety.food_safety_violation', person: 0, org: 0.012, weighting: 'adverse', sources: ['market-regulation'], enterpriseOnly: true,
    payload: (c) => ({ severity: weighted(c.rng, SEVERITIES) }) },
  // environment
  { type: 'environment.pollution_penalty', person: 0, org: 0.015, weighting: 'adverse', sources: ['environment-bureau'],
    payload: (c) => ({ amount: c.rng.amount(50000, 1), case_ref: ref('ENV', c) }) },
  { type: 'environment.illegal_dumping', person: 0.003, org: 0.005, weighting: 'adverse', sources: ['environment-bureau'],
    payload: (c) => ({ case_ref: ref('ENV', c) }) },
  // administration
  { type: 'administration.false_statement', person: 0.003, org: 0.005, weighting: 'adverse', sources: ['admin-service-centre'],
    payload: (c) => ({ application_ref: ref('ASC', c, 6) }) },
  { type: 'administration.commitment_breach', person: 0.004, org: 0.01, weighting: 'adverse', sources: ['admin-service-centre'],
    payload: (c) => ({ application_ref: ref('ASC', c, 6) }) },
  { type: 'administration.commitment_kept', person: 0.03, org: 0.3, weighting: 'uniform', sources: ['admin-service-centre'],
    payload: (c) => ({ application_ref: ref('ASC', c, 6) }) },
];

/** Share of records followed, 2-5 days later, by a correction from the same source. */
export const CORRECTION_SHARE = 0.002;
/** Share of defaulter listings followed by a consumption restriction order the same day. */
const RESTRICTION_WITH_LISTING = 0.6;
/** Share of defaulter listings lifted early (delisting 60-700 days later). */
const DELISTING_SHARE = 0.25;
/** Payload fields a correction keeps from the original: it corrects the same matter. */
const IDENTIFYING_FIELDS = ['case_ref', 'contract_ref', 'tender_ref', 'application_ref', 'licence_ref', 'year', 'end_date'];

const TYPE_INDEX = new Map(RECORD_TYPE_PLAN.map((p, i) => [p.type, i]));
const DEFAULTER_LISTING = TYPE_INDEX.get('courts.defaulter_listing')!;
const RESTRICTION_ORDER = TYPE_INDEX.get('courts.consumption_restriction_order')!;
/** Delisting is neutral and only ever follows a listing, so it has no rate of its own. */
const DELISTING_TYPE = 'courts.defaulter_delisting';

// ---------------------------------------------------------------------------------------
// The town

type OrgForm = 'enterprise' | 'institution' | 'social';

interface Town {
  ids: string[];
  names: string[];
  kinds: Uint8Array; // 0 person, 1 organisation
  enterprise: Uint8Array;
  adverse: Float64Array;
  favourable: Float64Array;
}

/** Pending same-day or future event, materialised into a record in time order. */
interface PendingEvent {
  /** Seconds into the day. */
  t: number;
  /** Creation order within the day (tie-break, keeps sorting deterministic). */
  order: number;
  subject: number;
  type: string;
  source: string;
  payload: Record<string, unknown>;
  revokes?: string;
  /** Set on defaulter listings: schedule follow-ups when materialised. */
  listing?: boolean;
  /** Set on corrections: never corrected again. */
  correction?: boolean;
}

function checkOptions(o: TownOptions): void {
  if (!Number.isInteger(o.subjects) || o.subjects < 0 || o.subjects > TOWN_SUBJECTS_MAX) {
    throw new RangeError(`simulateTown: subjects must be an integer 0..${TOWN_SUBJECTS_MAX}`);
  }
  if (!Number.isInteger(o.days) || o.days < 0 || o.days > TOWN_DAYS_MAX) {
    throw new RangeError(`simulateTown: days must be an integer 0..${TOWN_DAYS_MAX}`);
  }
  if (!Number.isFinite(o.seed)) throw new RangeError('simulateTown: seed must be a finite number');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.start) || Number.isNaN(Date.parse(`${o.start}T00:00:00Z`))) {
    throw new RangeError('simulateTown: start must be an ISO date YYYY-MM-DD');
  }
  const share = o.orgShare ?? 0.05;
  if (!(share >= 0 && share <= 1)) throw new RangeError('simulateTown: orgShare must be within 0..1');
}

function* buildSubjects(o: TownOptions, town: Town): Generator<SimSubject> {
  const rng = new Rng(o.seed, 1);
  const nOrgs = Math.round(o.subjects * (o.orgShare ?? 0.05));
  const nPersons = o.subjects - nOrgs;
  const used = new Set<string>();
  const addressAlias = new Alias(ADDRESS_WEIGHTS);

  // Persons, household by household; 400 households make a grid cell.
  let household = 0;
  let i = 0;
  while (i < nPersons) {
    const size = Math.min(nPersons - i, weighted(rng, [[1, 0.14], [2, 0.3], [3, 0.3], [4, 0.16], [5, 0.1]]));
    const hh = `hh-${pad(household, 6)}`;
    const area = `cell-${pad(Math.floor(household / 400), 3)}`;
    const surname = rng.pick(SURNAMES);
    const address = ADDRESS_CODES[addressAlias.pick(rng)];
    for (let m = 0; m < size; m++, i++) {
      let id = '';
      do {
        const birth = isoDate(BIRTH_FROM_MS + rng.int(BIRTH_DAYS) * DAY_MS).replaceAll('-', '');
        id = makeResidentId(address, birth, pad(rng.range(1, 999), 3));
      } while (used.has(id));
      used.add(id);
      // Spouses and lodgers may keep their own surnames.
      const sn = m === 0 || rng.chance(0.7) ? surname : rng.pick(SURNAMES);
      const given = rng.chance(0.55) ? rng.pick(GIVEN) : rng.pick(GIVEN) + rng.pick(GIVEN).toLowerCase();
      const displayName = `${sn} ${given} ${pad(i % 10000, 4)}`;
      const idx = town.ids.length;
      town.ids.push(id);
      town.names.push(displayName);
      const adv = drawClass(rng, ADVERSE_CLASSES);
      // Troubled and severe subjects are at most occasional doers of deeds.
      const fav = drawClass(rng, FAVOURABLE_CLASSES, adv >= 3 ? 1 : FAVOURABLE_CLASSES.length - 1);
      town.adverse[idx] = ADVERSE_CLASSES[adv].weight * Math.exp(0.3 * rng.gauss());
      town.favourable[idx] = FAVOURABLE_CLASSES[fav].weight * Math.exp(0.3 * rng.gauss());
      yield { id, kind: 'person', displayName, household: hh, area };
    }
    household++;
  }

  // Organisations: mostly enterprises (91), a few public institutions (12) and social
  // organisations (51 social groups, 52 private non-enterprise units).
  for (let k = 0; k < nOrgs; k++) {
    const u = rng.next();
    const form: OrgForm = u < 0.9 ? 'enterprise' : u < 0.95 ? 'institution' : 'social';
    const authority = form === 'enterprise' ? '91' : form === 'institution' ? '12' : rng.chance(0.5) ? '51' : '52';
    let id = '';
    do {
      let body = '';
      if (form === 'enterprise' && rng.chance(0.7)) {
        body = 'MA';
        for (let j = 0; j < 6; j++) body += ORG_BODY_CHARS[rng.int(ORG_BODY_CHARS.length)];
      } else {
        for (let j = 0; j < 8; j++) body += String(rng.int(10));
      }
      id = makeUscc(authority, '371082', body);
    } while (used.has(id));
    used.add(id);
    const no = pad(k % 1000, 3);
    const townName = rng.pick(TOWNS);
    const displayName =
      form === 'enterprise'
        ? `${townName} ${rng.pick(INDUSTRIES)} ${rng.pick(COMPANY_FORMS)} ${no}`
        : form === 'institution'
          ? `${townName} ${rng.pick(INSTITUTIONS)} ${no}`
          : authority === '51'
            ? `${townName} ${rng.pick(SOCIAL_GROUPS)} ${no}`
            : `${townName} ${rng.pick(SOCIAL_SERVICES)} ${no}`;
    const idx = town.ids.length;
    town.ids.push(id);
    town.names.push(displayName);
    town.kinds[idx] = 1;
    town.enterprise[idx] = form === 'enterprise' ? 1 : 0;
    const adv = drawClass(rng, ADVERSE_CLASSES);
    const fav = drawClass(rng, FAVOURABLE_CLASSES, adv >= 3 ? 1 : FAVOURABLE_CLASSES.length - 1);
    // Public institutions and social organisations are less often in trouble.
    town.adverse[idx] = ADVERSE_CLASSES[adv].weight * Math.exp(0.3 * rng.gauss()) * (form === 'enterprise' ? 1 : 0.3);
    town.favourable[idx] = FAVOURABLE_CLASSES[fav].weight * Math.exp(0.3 * rng.gauss());
    yield { id, kind: 'organisation', displayName, area: `zone-${pad(rng.int(12), 3)}` };
  }
}

interface KindTables {
  /** Subject indices of this kind (enterprises only, for the enterprise tables). */
  members: Int32Array;
  adverse: Alias;
  favourable: Alias;
  uniform: Alias;
}

function kindTables(town: Town, members: Int32Array): KindTables {
  const n = members.length;
  const adv = new Float64Array(n);
  const fav = new Float64Array(n);
  const uni = new Float64Array(n).fill(1);
  for (let j = 0; j < n; j++) {
    adv[j] = town.adverse[members[j]];
    fav[j] = town.favourable[members[j]];
  }
  return { members, adverse: new Alias(adv), favourable: new Alias(fav), uniform: new Alias(uni) };
}

/** Per kind and calendar month: which plan entries can happen, and their monthly rates. */
interface MonthPlan {
  types: number[];
  alias: Alias;
  /** Sum of rates per subject-year in this month (annualised). */
  rate: number;
}

function monthPlans(kind: 'person' | 'org'): MonthPlan[] {
  const plans: MonthPlan[] = [];
  for (let month = 1; month <= 12; month++) {
    const types: number[] = [];
    const rates: number[] = [];
    RECORD_TYPE_PLAN.forEach((p, i) => {
      const base = kind === 'person' ? p.person : p.org;
      if (base <= 0) return;
      const rate = p.months ? (p.months.includes(month) ? (base * 12) / p.months.length : 0) : base;
      if (rate <= 0) return;
      types.push(i);
      rates.push(rate);
    });
    plans.push({ types, alias: new Alias(rates), rate: rates.reduce((a, b) => a + b, 0) });
  }
  return plans;
}

const hms = (t: number): string =>
  `${pad(Math.floor(t / 3600), 2)}:${pad(Math.floor(t / 60) % 60, 2)}:${pad(t % 60, 2)}`;

/** Seconds into the day: mostly office hours, some at any time. */
function timeOfDay(rng: Rng): number {
  return rng.chance(0.75) ? rng.range(8 * 3600, 18 * 3600 - 1) : rng.int(86400);
}

/**
 * The first day of a town of `days` days that ends today (UTC): its oldest records are then
 * `days - 1` days old, so a year-long town holds nothing past a one-year retention.
 */
export function townStart(now: number, days: number): string {
  return new Date(now - (days - 1) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Streams a synthetic town: first every subject, then every record in non-decreasing
 * occurredAt order, day by day. Deterministic per options.
 */
export function* simulateTown(o: TownOptions): Generator<TownItem> {
  checkOptions(o);
  const town: Town = {
    ids: [],
    names: [],
    kinds: new Uint8Array(o.subjects),
    enterprise: new Uint8Array(o.subjects),
    adverse: new Float64Array(o.subjects),
    favourable: new Float64Array(o.subjects),
  };
  for (const subject of buildSubjects(o, town)) yield { kind: 'subject', subject };

  const personIdx: number[] = [];
  const orgIdx: number[] = [];
  const entIdx: number[] = [];
  for (let i = 0; i < town.ids.length; i++) {
    if (town.kinds[i] === 0) personIdx.push(i);
    else {
      orgIdx.push(i);
      if (town.enterprise[i]) entIdx.push(i);
    }
  }
  const tables = {
    person: kindTables(town, Int32Array.from(personIdx)),
    org: kindTables(town, Int32Array.from(orgIdx)),
    enterprise: kindTables(town, Int32Array.from(entIdx.length > 0 ? entIdx : orgIdx)),
  };
  const plans = { person: monthPlans('person'), org: monthPlans('org') };

  const rng = new Rng(o.seed, 2);
  const startMs = Date.parse(`${o.start}T00:00:00Z`);
  const seedTag = String(o.seed);
  const pending = new Map<number, PendingEvent[]>();
  const schedule = (day: number, ev: PendingEvent): void => {
    if (day >= o.days) return;
    const list = pending.get(day);
    if (list) list.push(ev);
    else pending.set(day, [ev]);
  };
  let n = 0;

  for (let day = 0; day < o.days; day++) {
    const dayMs = startMs + day * DAY_MS;
    const dt = new Date(dayMs);
    const date = dt.toISOString().slice(0, 10);
    const month = dt.getUTCMonth() + 1;
    const year = dt.getUTCFullYear();
    const events: PendingEvent[] = pending.get(day) ?? [];
    pending.delete(day);
    let order = events.length;

    for (const kind of ['person', 'org'] as const) {
      const kt = tables[kind];
      const n_k = kt.members.length;
      if (n_k === 0) continue;
      const plan = plans[kind][month - 1];
      const count = rng.poisson((plan.rate * n_k) / 365);
      const subjectKind: SubjectKind = kind === 'person' ? 'person' : 'organisation';
      for (let e = 0; e < count; e++) {
        const p = RECORD_TYPE_PLAN[plan.types[plan.alias.pick(rng)]];
        const t = kind === 'org' && p.enterpriseOnly ? tables.enterprise : kt;
        const table = p.weighting === 'adverse' ? t.adverse : p.weighting === 'favourable' ? t.favourable : t.uniform;
        const subject = t.members[table.pick(rng)];
        const source = p.sources.length === 1 ? p.sources[0] : rng.pick(p.sources);
        const payload = p.payload({ rng, date, year, dayMs, source, kind: subjectKind });
        const ev: PendingEvent = { t: timeOfDay(rng), order: order++, subject, type: p.type, source, payload };
        events.push(ev);
        if (p === RECORD_TYPE_PLAN[DEFAULTER_LISTING]) {
          ev.listing = true;
          if (rng.chance(RESTRICTION_WITH_LISTING)) {
            events.push({
              t: Math.min(86399, ev.t + rng.range(60, 7200)),
              order: order++,
              subject,
              type: RECORD_TYPE_PLAN[RESTRICTION_ORDER].type,
              source: 'rongcheng-court',
              payload: { case_ref: payload.case_ref },
            });
          }
        }
      }
    }

    events.sort((a, b) => a.t - b.t || a.order - b.order);
    for (const ev of events) {
      n++;
      // Short ids (seed and a base-36 counter): the source is already part of the record id.
      const sourceRecordId = `s${seedTag}-${n.toString(36)}`;
      const subjectKind: SubjectKind = town.kinds[ev.subject] === 0 ? 'person' : 'organisation';
      const record: RecordInput = {
        source: ev.source,
        sourceRecordId,
        subject: town.ids[ev.subject],
        type: ev.type,
        occurredAt: `${date}T${hms(ev.t)}Z`,
        payload: ev.payload,
      };
      if (ev.source === 'grid-office-morgenroete' && RECORD_TYPE_PLAN[TYPE_INDEX.get(ev.type)!].weighting === 'adverse') {
        record.evidence = [`grid-photo://morgenroete/${sourceRecordId}.jpg`];
      }
      if (ev.revokes) record.revokes = ev.revokes;
      record.subjectKind = subjectKind;
      record.subjectName = town.names[ev.subject];
      yield { kind: 'record', record };

      if (ev.listing && rng.chance(DELISTING_SHARE)) {
        schedule(day + rng.range(60, 700), {
          t: timeOfDay(rng), order: 0, subject: ev.subject, type: DELISTING_TYPE, source: 'rongcheng-court',
          payload: { case_ref: ev.payload.case_ref },
        });
      }
      if (!ev.correction && rng.chance(CORRECTION_SHARE)) {
        const p = RECORD_TYPE_PLAN[TYPE_INDEX.get(ev.type) ?? -1];
        const fresh = p
          ? p.payload({ rng, date, year, dayMs, source: ev.source, kind: subjectKind })
          : { ...ev.payload };
        // Same case, corrected details: keep what identifies the matter.
        for (const f of IDENTIFYING_FIELDS) if (f in ev.payload) fresh[f] = ev.payload[f];
        fresh.note = `Corrects ${sourceRecordId}: ${rng.pick(CORRECTION_REASONS)}.`;
        schedule(day + rng.range(2, 5), {
          t: timeOfDay(rng), order: 0, subject: ev.subject, type: ev.type, source: ev.source,
          payload: fresh, revokes: sourceRecordId, correction: true,
        });
      }
    }
  }
}
