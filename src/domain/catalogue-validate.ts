// Catalogue validation: turns the four already-parsed catalogue files (record types,
// sources, lists, measures) into a typed Catalogue, or reports every problem at once.
// Pure: no I/O, no clock. The loader (src/app/load-catalogue.ts) reads and parses the YAML.
//
// Charter safeguards enforced here:
//   - special categories (religion or belief, political opinion and online speech,
//     ethnicity, health, sex life, reproduction and family planning, union membership) are
//     refused, both as declared categories and by screening codes, titles and descriptions
//     in English, German and Chinese;
//   - every record type, source, list and measure needs a legal basis;
//   - every measure says how to contest it;
//   - measures are marked cross-context at load, and the `eu` profile refuses those
//     (EU AI Act Art. 5(1)(c)).
import { Ajv } from 'ajv';
import {
  ALLOWED_CATEGORIES,
  SPECIAL_CATEGORIES,
  type Catalogue,
  type Category,
  type Citation,
  type LegalBasisEntry,
  type ListDefinition,
  type Measure,
  type MeasureEffect,
  type MeasureTrigger,
  type Polarity,
  type Purpose,
  PURPOSE_KINDS,
  type RecordType,
  type RestorationRule,
  type Source,
  type SubjectKind,
} from './types.ts';
import { SCREEN_LABELS, SPECIAL_SCREEN_CATEGORIES, screenText, type ScreenCategory } from './screen.ts';
import { DOMAIN_TAXONOMY, DOMAINS, GENERAL_CREDIT_DOMAIN, isCrossContext, topDomain } from './taxonomy.ts';
import {
  authorisationOf as authorisationOfEntry,
  authorisesCategory,
  authorisesCrossContext,
  disputeDaysOf,
  citedIds,
  parseCitations,
  protectsAll,
  renderCitations,
  validateRegistry,
  type Registry,
} from './legal-bases.ts';

export { DOMAIN_TAXONOMY, DOMAINS, GENERAL_CREDIT_DOMAIN, isCrossContext, topDomain };

// ---------------------------------------------------------------------------------------
// Public types

export interface CatalogueProblem {
  code: string;
  /** File the problem was found in (as given to the validator). */
  file: string;
  /** JSON path inside the file, e.g. `recordTypes[12].legalBasis`; `$` = the whole file. */
  path: string;
  message: string;
  /** The refused kind when the problem is a refusal (religion, association, ...). */
  category?: string;
}

export type CatalogueProfile = 'default' | 'eu';

export interface CatalogueFile {
  file: string;
  data: unknown;
}

export interface CatalogueInput {
  /** The legal-basis registry (legal-bases.yaml) that every other file cites. */
  legalBases: CatalogueFile;
  recordTypes: CatalogueFile;
  sources: CatalogueFile;
  lists: CatalogueFile;
  measures: CatalogueFile;
  /**
   * The profile's variant, when the directory has one (eu: catalogue/eu/variant.yaml): it
   * names the measures the profile withdraws (`withdrawMeasures`), and may withdraw only
   * cross-context ones. See validateVariant.
   */
  variant?: CatalogueFile;
}

export interface ValidateOptions {
  profile?: CatalogueProfile;
}

export interface CatalogueResult {
  /** Present only when `problems` is empty: a refused item means the catalogue does not load. */
  catalogue?: Catalogue;
  problems: CatalogueProblem[];
}


/** Problem codes raised by the catalogue validator and loader, with one-line meanings. */
export const CATALOGUE_PROBLEM_CODES = {
  CATALOGUE_FILE_UNREADABLE: 'a catalogue file could not be read',
  CATALOGUE_YAML_SYNTAX: 'a catalogue file is not well-formed YAML (path = line:column)',
  CATALOGUE_SHAPE: 'a file is not a mapping, or its top-level list is missing or not a list',
  CATALOGUE_VERSION_MISMATCH: 'a file declares a version other than the record-type file',
  CATALOGUE_UNKNOWN_FIELD: 'an entry carries a field the catalogue does not know (or crossContext, which is derived)',
  CATALOGUE_FIELD_MISSING: 'a required field is absent or empty',
  CATALOGUE_FIELD_TYPE: 'a field has the wrong type or a value outside its enumeration',
  CATALOGUE_FIELD_FORMAT: 'a code, id or domain does not have the required form',
  CATALOGUE_DUPLICATE_ID: 'two entries of a file share a code or id',
  CATALOGUE_UNKNOWN_CATEGORY: 'a record type declares a category outside ALLOWED_CATEGORIES',
  CATALOGUE_SPECIAL_CATEGORY: 'a record type declares a special category (religion, political opinion, health, ...)',
  CATALOGUE_SPECIAL_CATEGORY_TERM: 'a code, title or description names a special-category topic (EN/DE/ZH screen)',
  CATALOGUE_DOMAIN_MISMATCH: "a record type's domain does not belong to its category family",
  CATALOGUE_BAD_RETENTION: 'retention is not a positive ISO-8601 duration',
  CATALOGUE_PAYLOAD_SCHEMA: 'payloadSchema does not compile, is not a closed object schema, or leaves a field unbounded',
  CATALOGUE_NO_LEGAL_BASIS: 'a record type, source, list, measure or list rule has no legal basis',
  CATALOGUE_UNKNOWN_LEGAL_BASIS: 'a citation names an id that is not an entry of the legal-basis registry (legal-bases.yaml)',
  CATALOGUE_CITATION_NO_ARTICLE: 'a citation names a registry entry but no article or pinpoint',
  CATALOGUE_BASIS_NOT_AUTHORISED: "what an object does (its category, a source's record types, a list, a cross-context measure, a protection) is not authorised by any basis it cites",
  CATALOGUE_UNKNOWN_LIST: 'a legal basis authorises a list that lists.yaml does not define',
  CATALOGUE_NO_CONTEST: 'a measure does not say how to contest it',
  CATALOGUE_UNKNOWN_RECORD_TYPE: 'a source names a record type (or pattern) that the catalogue does not define',
  CATALOGUE_UNKNOWN_TRIGGER: 'a measure is triggered by an unknown list or record type, or its trigger is malformed',
  CATALOGUE_CROSS_CONTEXT_EU: 'the eu profile refuses a cross-context measure (EU AI Act Art. 5(1)(c))',
  CATALOGUE_PROTECTS_INVALID: 'protects names something other than special categories, or is declared on a type that is not adverse and organisation-only',
  CATALOGUE_UNKNOWN_DOMAIN: "a record type's, measure's or triggering list's domain is not in the closed taxonomy (DOMAIN_TAXONOMY)",
  CATALOGUE_VARIANT_UNKNOWN_MEASURE: 'the eu variant (catalogue/eu/variant.yaml) withdraws a measure that measures.yaml does not define',
  CATALOGUE_UNKNOWN_PURPOSE: 'a measure names a purpose that the purposes of measures.yaml do not declare',
  CATALOGUE_VARIANT_NOT_CROSS_CONTEXT: 'the eu variant withdraws a measure that is not cross-context (it may withdraw only what Art. 5(1)(c) refuses)',
} as const;
export type CatalogueProblemCode = keyof typeof CATALOGUE_PROBLEM_CODES;

// ---------------------------------------------------------------------------------------
// Special-category screen: the screen itself (normalisation, lexicon, matching) is
// ./screen.ts and ./screen-lexicon.ts.

/** Maps a declared category to the special category it names, if any. */
function specialCategoryOf(category: string): string | undefined {
  const norm = category.trim().toLowerCase().replace(/[\s_]+/g, '-');
  const special = SPECIAL_CATEGORIES as readonly string[];
  if (special.includes(norm)) return norm;
  for (const s of special) {
    if (norm.split('-').join(' ').includes(s.split('-').join(' '))) return s;
  }
  return screenText(category).find((h) => SPECIAL_SCREEN_CATEGORIES.has(h.category))?.category;
}

// ---------------------------------------------------------------------------------------
// Small helpers

const ISO_DURATION =
  /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** True for a positive ISO-8601 duration such as `P5Y`, `P18M`, `P1Y6M`, `PT12H`. */
export function isIsoDuration(s: string): boolean {
  const m = ISO_DURATION.exec(s);
  if (!m) return false;
  return m.slice(1).some((g) => g !== undefined && Number(g) > 0);
}

const CODE_RE = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;
const ID_RE = /^[a-z][a-z0-9_-]*(?:\.[a-z][a-z0-9_-]*)*$/;
const DOMAIN_RE = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*$/;

/** Category family of a record type's domain (honours are civic). */
const CATEGORY_FAMILY: Readonly<Record<Category, string>> = {
  finance: 'finance',
  utilities: 'utilities',
  courts: 'courts',
  tax: 'tax',
  transport: 'transport',
  traffic: 'traffic',
  civic: 'civic',
  commerce: 'commerce',
  labour: 'labour',
  procurement: 'procurement',
  'product-safety': 'product-safety',
  environment: 'environment',
  administration: 'administration',
  honours: 'civic',
};

/** Reports a domain outside the closed taxonomy (record types, measures, triggering lists). */
function checkDomain(r: Reporter, domain: string | undefined, path: string, what: string): void {
  if (domain === undefined || DOMAINS.has(domain)) return;
  const head = domain.split('.')[0]!;
  const known = Object.hasOwn(DOMAIN_TAXONOMY, head)
    ? `the domains of context ${head} are ${DOMAIN_TAXONOMY[head]!.join(', ')}`
    : `the contexts are ${Object.keys(DOMAIN_TAXONOMY).join(', ')}`;
  r.add('CATALOGUE_UNKNOWN_DOMAIN', path, `${what} declares domain "${domain}", which is not in the closed taxonomy of domains (${known}); a new domain is a reviewed change to DOMAIN_TAXONOMY in src/domain/taxonomy.ts`);
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

/** The registry with the ids of entries that exist but failed validation (cited without a second report). */
interface RegistryInfo {
  registry: Registry;
  known: ReadonlySet<string>;
}

class Reporter {
  readonly problems: CatalogueProblem[] = [];
  constructor(readonly file: string) {}
  add(code: CatalogueProblemCode, path: string, message: string, category?: string): void {
    this.problems.push(category === undefined ? { code, file: this.file, path, message } : { code, file: this.file, path, message, category });
  }

  unknownFields(o: Obj, allowed: readonly string[], path: string, what: string): void {
    for (const k of Object.keys(o)) {
      if (allowed.includes(k)) continue;
      if (k === 'crossContext') {
        this.add('CATALOGUE_UNKNOWN_FIELD', `${path}.${k}`, 'crossContext is derived at load from the trigger and must not be written in the data');
      } else {
        this.add('CATALOGUE_UNKNOWN_FIELD', `${path}.${k}`, `unknown field "${k}" in ${what} (allowed: ${allowed.join(', ')})`);
      }
    }
  }

  /** Required (or optional) non-empty string. */
  str(o: Obj, key: string, path: string, opts: { optional?: boolean; max?: number } = {}): string | undefined {
    const v = o[key];
    const p = `${path}.${key}`;
    if (v === undefined || v === null) {
      if (!opts.optional) this.add('CATALOGUE_FIELD_MISSING', p, `${key} is required`);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.add('CATALOGUE_FIELD_TYPE', p, `${key} must be a string, got ${describe(v)}`);
      return undefined;
    }
    if (v.trim() === '') {
      this.add('CATALOGUE_FIELD_MISSING', p, `${key} must not be empty`);
      return undefined;
    }
    if (opts.max !== undefined && v.length > opts.max) {
      this.add('CATALOGUE_FIELD_TYPE', p, `${key} is longer than ${opts.max} characters`);
      return undefined;
    }
    return v;
  }

  /**
   * Reads `legalBasis` as citations of the registry; returns them with their rendered text.
   * The articles (the only text the object itself writes) are screened here; the registry
   * screens its own titles.
   */
  legalBasis(o: Obj, path: string, what: string, reg: RegistryInfo, allow?: ReadonlySet<ScreenCategory>): { citations: Citation[]; text: string } | undefined {
    const p = `${path}.legalBasis`;
    const citations = parseCitations(this, o.legalBasis, p, what, reg.registry, reg.known);
    if (!citations) return undefined;
    citations.forEach((c, i) => this.screen(c.article, Array.isArray(o.legalBasis) ? `${p}[${i}]` : p, 'legalBasis', allow));
    return { citations, text: renderCitations(citations, reg.registry) };
  }

  oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T | undefined {
    const v = this.str(o, key, path);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      this.add('CATALOGUE_FIELD_TYPE', `${path}.${key}`, `${key} must be one of ${values.join(', ')}, got "${v}"`);
      return undefined;
    }
    return v as T;
  }

  formatted(o: Obj, key: string, path: string, re: RegExp, hint: string): string | undefined {
    const v = this.str(o, key, path);
    if (v === undefined) return undefined;
    if (!re.test(v)) {
      this.add('CATALOGUE_FIELD_FORMAT', `${path}.${key}`, `${key} "${v}" must be ${hint}`);
      return undefined;
    }
    return v;
  }

  /**
   * Screens one text of the catalogue (src/domain/screen.ts) and reports each hit as
   * CATALOGUE_SPECIAL_CATEGORY_TERM, naming the term, its category and the field.
   * `allow` exempts categories a caller has established on structural grounds.
   */
  screen(text: unknown, path: string, what: string, allow?: ReadonlySet<ScreenCategory>): void {
    if (typeof text !== 'string' || !text) return;
    for (const h of screenText(text, { allow })) {
      const kind = SPECIAL_SCREEN_CATEGORIES.has(h.category) ? 'special category' : 'refused kind';
      this.add(
        'CATALOGUE_SPECIAL_CATEGORY_TERM',
        path,
        `${what} names "${h.term}", a term of the ${kind} ${h.category} (${SCREEN_LABELS[h.category]}); the charter refuses record types, sources, lists and measures on this topic`,
        h.category,
      );
    }
  }
}

/** Reads `{ version?, <key>: [...] }` from a file; reports shape problems. */
function topList(
  r: Reporter,
  data: unknown,
  key: string,
  allowedTop: readonly string[],
): { version?: unknown; items: unknown[] } | undefined {
  if (!isObj(data)) {
    r.add('CATALOGUE_SHAPE', '$', `the file must be a mapping with a "${key}" list, got ${describe(data)}`);
    return undefined;
  }
  r.unknownFields(data, allowedTop, '$', 'the file');
  const items = data[key];
  if (!Array.isArray(items)) {
    r.add('CATALOGUE_SHAPE', key, items === undefined ? `"${key}" list is missing` : `"${key}" must be a list, got ${describe(items)}`);
    return { version: data.version, items: [] };
  }
  return { version: data.version, items };
}

// Paths of unknown top-level fields read better without the `$.` prefix.
function fixRootPaths(problems: CatalogueProblem[]): void {
  for (const p of problems) if (p.path.startsWith('$.')) p.path = p.path.slice(2);
}

// ---------------------------------------------------------------------------------------
// Payload schemas

// One Ajv instance per validateCatalogue call: Ajv caches compiled schemas by object, so a
// long-lived instance would keep every validated catalogue alive.
function checkPayloadSchema(r: Reporter, schema: unknown, path: string, ajv: Ajv): Record<string, unknown> | undefined {
  if (!isObj(schema)) {
    r.add('CATALOGUE_FIELD_MISSING', path, schema === undefined ? 'payloadSchema is required' : `payloadSchema must be a mapping, got ${describe(schema)}`);
    return undefined;
  }
  const before = r.problems.length;
  if (schema.type !== 'object') {
    r.add('CATALOGUE_PAYLOAD_SCHEMA', `${path}.type`, 'payloadSchema must have type: object');
  }
  if (schema.additionalProperties !== false) {
    r.add('CATALOGUE_PAYLOAD_SCHEMA', `${path}.additionalProperties`, 'payloadSchema must set additionalProperties: false (a source may send only declared fields)');
  }
  try {
    ajv.compile(schema);
  } catch (e) {
    r.add('CATALOGUE_PAYLOAD_SCHEMA', path, `payloadSchema does not compile: ${(e as Error).message}`);
  }
  const props = schema.properties;
  if (props !== undefined && !isObj(props)) {
    r.add('CATALOGUE_PAYLOAD_SCHEMA', `${path}.properties`, 'properties must be a mapping');
  } else if (props) {
    for (const [name, prop] of Object.entries(props)) {
      const pp = `${path}.properties.${name}`;
      r.screen(name, pp, `payload field "${name}"`);
      if (!isObj(prop)) continue; // Ajv reported it
      if (Array.isArray(prop.enum)) {
        for (const v of prop.enum) if (typeof v === 'string') r.screen(v, `${pp}.enum`, `enum value "${v}"`);
        continue;
      }
      if (prop.type === 'string' && typeof prop.maxLength !== 'number') {
        r.add('CATALOGUE_PAYLOAD_SCHEMA', pp, `string field "${name}" needs maxLength`);
      }
      if ((prop.type === 'number' || prop.type === 'integer') && (typeof prop.minimum !== 'number' || typeof prop.maximum !== 'number')) {
        r.add('CATALOGUE_PAYLOAD_SCHEMA', pp, `numeric field "${name}" needs minimum and maximum`);
      }
      if (prop.type === undefined) {
        r.add('CATALOGUE_PAYLOAD_SCHEMA', pp, `field "${name}" needs a type or an enum`);
      }
    }
  }
  return r.problems.length === before ? schema : undefined;
}

// ---------------------------------------------------------------------------------------
// Entries

const RECORD_TYPE_FIELDS = [
  'code', 'title', 'titleZh', 'description', 'category', 'domain', 'subjectKinds',
  'legalBasis', 'polarity', 'retention', 'payloadSchema', 'protects',
] as const;
const SOURCE_FIELDS = ['id', 'name', 'kind', 'domain', 'legalBasis', 'recordTypes', 'review'] as const;
const LIST_FIELDS = ['id', 'title', 'kind', 'domain', 'legalBasis', 'public', 'description', 'restoration'] as const;
const RESTORATION_FIELDS = ['after', 'decisionWorkingDays', 'legalBasis'] as const;
const MEASURE_FIELDS = [
  'id', 'title', 'description', 'domain', 'trigger', 'effect', 'conditions', 'legalBasis', 'contest', 'purposes',
] as const;
const PURPOSE_FIELDS = ['id', 'title', 'description', 'kind', 'pastDates', 'legalBasis'] as const;

const SUBJECT_KINDS: readonly SubjectKind[] = ['person', 'organisation'];
const POLARITIES: readonly Polarity[] = ['adverse', 'favourable', 'neutral'];
const SOURCE_KINDS: readonly Source['kind'][] = ['agency', 'court', 'grid-office', 'enterprise', 'other'];
const LIST_KINDS: readonly ListDefinition['kind'][] = ['black', 'red'];
const EFFECTS: readonly MeasureEffect[] = ['deny', 'allow_with_conditions', 'waive_deposit', 'priority'];

function validateRecordType(r: Reporter, raw: unknown, path: string, ajv: Ajv, reg: RegistryInfo): RecordType | undefined {
  if (!isObj(raw)) {
    r.add('CATALOGUE_FIELD_TYPE', path, `a record type must be a mapping, got ${describe(raw)}`);
    return undefined;
  }
  const before = r.problems.length;
  r.unknownFields(raw, RECORD_TYPE_FIELDS, path, 'a record type');
  const code = r.formatted(raw, 'code', path, CODE_RE, 'lower-case dotted, e.g. finance.card_arrears');
  const title = r.str(raw, 'title', path, { max: 200 });
  const titleZh = r.str(raw, 'titleZh', path, { optional: true, max: 200 });
  const description = r.str(raw, 'description', path, { max: 2000 });

  // Category: special categories first, whatever else the entry says.
  let category: Category | undefined;
  const rawCategory = r.str(raw, 'category', path);
  if (rawCategory !== undefined) {
    const special = specialCategoryOf(rawCategory);
    if (special) {
      r.add(
        'CATALOGUE_SPECIAL_CATEGORY',
        `${path}.category`,
        `category "${rawCategory}" is a special category (${special}); the charter refuses record types about religion or belief, political opinion, ethnicity, health, sex life, reproduction or union membership`,
        special,
      );
    } else if (!(ALLOWED_CATEGORIES as readonly string[]).includes(rawCategory)) {
      r.add('CATALOGUE_UNKNOWN_CATEGORY', `${path}.category`, `category "${rawCategory}" is not one of ${ALLOWED_CATEGORIES.join(', ')}`);
    } else {
      category = rawCategory as Category;
    }
  }

  const domain = r.formatted(raw, 'domain', path, DOMAIN_RE, 'lower-case, dotted, e.g. finance or transport.rail');
  checkDomain(r, domain, `${path}.domain`, `record type ${typeof raw.code === 'string' ? raw.code : path}`);
  if (domain !== undefined && category !== undefined && topDomain(domain) !== CATEGORY_FAMILY[category]) {
    r.add('CATALOGUE_DOMAIN_MISMATCH', `${path}.domain`, `domain "${domain}" does not belong to category ${category} (expected ${CATEGORY_FAMILY[category]} or ${CATEGORY_FAMILY[category]}.*)`);
  }

  let subjectKinds: SubjectKind[] | undefined;
  const sk = raw.subjectKinds;
  if (sk === undefined) {
    r.add('CATALOGUE_FIELD_MISSING', `${path}.subjectKinds`, 'subjectKinds is required');
  } else if (!Array.isArray(sk) || sk.length === 0) {
    r.add('CATALOGUE_FIELD_TYPE', `${path}.subjectKinds`, 'subjectKinds must be a non-empty list of person / organisation');
  } else {
    const bad = sk.filter((k) => !(SUBJECT_KINDS as readonly unknown[]).includes(k));
    if (bad.length > 0 || new Set(sk).size !== sk.length) {
      r.add('CATALOGUE_FIELD_TYPE', `${path}.subjectKinds`, `subjectKinds must list person and/or organisation once each, got ${JSON.stringify(sk)}`);
    } else {
      subjectKinds = sk as SubjectKind[];
    }
  }

  const polarity = r.oneOf(raw, 'polarity', path, POLARITIES);
  const retention = r.str(raw, 'retention', path);
  if (retention !== undefined && !isIsoDuration(retention)) {
    r.add('CATALOGUE_BAD_RETENTION', `${path}.retention`, `retention "${retention}" is not a positive ISO-8601 duration (e.g. P5Y, P18M, P1Y6M)`);
  }
  const payloadSchema = checkPayloadSchema(r, raw.payloadSchema, `${path}.payloadSchema`, ajv);

  const protects = checkProtects(r, raw.protects, `${path}.protects`, subjectKinds, polarity);
  // A declared protection exempts its categories in the human-readable texts and the legal
  // basis only; field names and enum values (what a rule could read) are screened strictly.
  const allow = protects && protects.length > 0 ? new Set<ScreenCategory>(protects) : undefined;
  r.screen(raw.code, `${path}.code`, 'code', allow);
  r.screen(title, `${path}.title`, 'title', allow);
  r.screen(titleZh, `${path}.titleZh`, 'titleZh', allow);
  r.screen(description, `${path}.description`, 'description', allow);
  const basis = r.legalBasis(raw, path, `record type ${code ?? path}`, reg, allow);
  if (basis && category !== undefined && !authorisesCategory(basis.citations, reg.registry, category)) {
    r.add('CATALOGUE_BASIS_NOT_AUTHORISED', `${path}.legalBasis`, `record type ${code ?? path} is of category ${category}, but none of the bases it cites (${citedIds(basis.citations)}) authorises records of that category (authorises.categories in legal-bases.yaml)`);
  }
  if (basis && protects && protects.length > 0) {
    const missing = protectsAll(basis.citations, reg.registry, protects);
    if (missing.length > 0) {
      r.add('CATALOGUE_BASIS_NOT_AUTHORISED', `${path}.protects`, `record type ${code ?? path} declares that it protects ${missing.join(', ')}, but none of the bases it cites (${citedIds(basis.citations)}) is a protection statute for it (authorises.protects in legal-bases.yaml)`, missing[0]);
    }
  }

  if (r.problems.length !== before || !basis) return undefined;
  const legalBasis = basis.text;
  const rt: RecordType = {
    code: code!,
    title: title!,
    description: description!,
    category: category!,
    domain: domain!,
    subjectKinds: subjectKinds!,
    legalBasis,
    citations: basis.citations,
    polarity: polarity!,
    retention: retention!,
    payloadSchema: payloadSchema!,
    disputeDays: disputeDaysOf(basis.citations, reg.registry),
  };
  if (titleZh !== undefined) rt.titleZh = titleZh;
  if (protects && protects.length > 0) rt.protects = protects;
  return rt;
}

/**
 * `protects: [category, ...]`: the special categories a record type protects (an employer that
 * dismissed a pregnant worker protects `family-planning`). Accepted only where it cannot be
 * turned against the people it names: the subjects are organisations only (the actor a
 * protection statute binds), and the type is adverse (it records a breach). Only the
 * charter's special categories can be protected; association, prediction, profession
 * targeting, lifestyle and surveillance are never exempt.
 */
function checkProtects(
  r: Reporter,
  raw: unknown,
  path: string,
  subjectKinds: readonly SubjectKind[] | undefined,
  polarity: Polarity | undefined,
): ScreenCategory[] | undefined {
  if (raw === undefined) return undefined;
  const special = [...SPECIAL_SCREEN_CATEGORIES];
  if (!Array.isArray(raw) || raw.length === 0 || raw.some((c) => typeof c !== 'string')) {
    r.add('CATALOGUE_PROTECTS_INVALID', path, `protects is a non-empty list of special categories (${special.join(', ')})`);
    return undefined;
  }
  const bad = raw.filter((c) => !SPECIAL_SCREEN_CATEGORIES.has(c as ScreenCategory));
  if (bad.length > 0) {
    r.add('CATALOGUE_PROTECTS_INVALID', path, `protects names ${bad.map((c) => `"${String(c)}"`).join(', ')}; only the special categories can be protected (${special.join(', ')})`);
    return undefined;
  }
  let ok = true;
  if (subjectKinds && (subjectKinds.length !== 1 || subjectKinds[0] !== 'organisation')) {
    r.add('CATALOGUE_PROTECTS_INVALID', path, `a type that protects ${raw.join(', ')} records a breach by an organisation (an employer, a landlord, a provider): subjectKinds must be [organisation], got [${subjectKinds.join(', ')}]`, raw[0] as string);
    ok = false;
  }
  if (polarity && polarity !== 'adverse') {
    r.add('CATALOGUE_PROTECTS_INVALID', path, `a type that protects ${raw.join(', ')} records a breach: polarity must be adverse, got ${polarity}`, raw[0] as string);
    ok = false;
  }
  return ok ? [...new Set(raw as ScreenCategory[])] : undefined;
}

function validateSource(r: Reporter, raw: unknown, path: string, codes: ReadonlySet<string>, categories: ReadonlyMap<string, string>, reg: RegistryInfo): Source | undefined {
  if (!isObj(raw)) {
    r.add('CATALOGUE_FIELD_TYPE', path, `a source must be a mapping, got ${describe(raw)}`);
    return undefined;
  }
  const before = r.problems.length;
  r.unknownFields(raw, SOURCE_FIELDS, path, 'a source');
  const id = r.formatted(raw, 'id', path, ID_RE, 'lower-case, e.g. tax-bureau');
  const name = r.str(raw, 'name', path, { max: 200 });
  const kind = r.oneOf(raw, 'kind', path, SOURCE_KINDS);
  const domain = r.formatted(raw, 'domain', path, DOMAIN_RE, 'lower-case, dotted');
  // A community source's records wait for a reviewer; `review: required` asks the same of another.
  const review = raw.review === undefined ? undefined : r.oneOf(raw, 'review', path, ['required'] as const);
  const basis = r.legalBasis(raw, path, `source ${id ?? path}`, reg);
  r.screen(raw.id, `${path}.id`, 'id');
  r.screen(name, `${path}.name`, 'name');

  const recordTypes: string[] = [];
  const list = raw.recordTypes;
  if (list === undefined) {
    r.add('CATALOGUE_FIELD_MISSING', `${path}.recordTypes`, 'recordTypes is required');
  } else if (!Array.isArray(list) || list.length === 0) {
    r.add('CATALOGUE_FIELD_TYPE', `${path}.recordTypes`, 'recordTypes must be a non-empty list of record-type codes or prefix patterns like finance.*');
  } else {
    list.forEach((entry, j) => {
      const p = `${path}.recordTypes[${j}]`;
      if (typeof entry !== 'string' || entry.trim() === '') {
        r.add('CATALOGUE_FIELD_TYPE', p, `a record-type code must be a string, got ${describe(entry)}`);
        return;
      }
      if (entry.endsWith('.*')) {
        const prefix = entry.slice(0, -1); // keeps the dot
        const matched = [...codes].filter((c) => c.startsWith(prefix));
        if (matched.length === 0) {
          r.add('CATALOGUE_UNKNOWN_RECORD_TYPE', p, `pattern "${entry}" matches no record type of the catalogue`);
        }
        recordTypes.push(...matched);
      } else if (!codes.has(entry)) {
        r.add('CATALOGUE_UNKNOWN_RECORD_TYPE', p, `unknown record type "${entry}"`);
      } else {
        recordTypes.push(entry);
      }
    });
  }
  // A source delivers only what its own bases allow it to deliver: every category among its
  // record types must be authorised by one of them.
  if (basis) {
    const byCategory = new Map<string, string[]>();
    for (const code of new Set(recordTypes)) {
      const category = categories.get(code);
      if (category === undefined || (ALLOWED_CATEGORIES as readonly string[]).indexOf(category) < 0) continue;
      if (!authorisesCategory(basis.citations, reg.registry, category as Category)) byCategory.set(category, [...(byCategory.get(category) ?? []), code]);
    }
    for (const [category, codes] of byCategory) {
      r.add('CATALOGUE_BASIS_NOT_AUTHORISED', `${path}.recordTypes`, `source ${id ?? path} may submit ${codes.join(', ')} (category ${category}), but none of the bases it cites (${citedIds(basis.citations)}) authorises it to deliver records of that category`);
    }
  }
  if (r.problems.length !== before || !basis) return undefined;
  return { id: id!, name: name!, kind: kind!, domain: domain!, legalBasis: basis.text, citations: basis.citations, recordTypes: [...new Set(recordTypes)], reviewRequired: kind === 'grid-office' || review === 'required' };
}

function validateList(r: Reporter, raw: unknown, path: string, reg: RegistryInfo): ListDefinition | undefined {
  if (!isObj(raw)) {
    r.add('CATALOGUE_FIELD_TYPE', path, `a list definition must be a mapping, got ${describe(raw)}`);
    return undefined;
  }
  const before = r.problems.length;
  r.unknownFields(raw, LIST_FIELDS, path, 'a list definition');
  const id = r.formatted(raw, 'id', path, ID_RE, 'lower-case, e.g. judgment-defaulters');
  const title = r.str(raw, 'title', path, { max: 200 });
  const kind = r.oneOf(raw, 'kind', path, LIST_KINDS);
  const domain = r.formatted(raw, 'domain', path, DOMAIN_RE, 'lower-case, dotted');
  const basis = r.legalBasis(raw, path, `list ${id ?? path}`, reg);
  if (basis && id !== undefined && !basis.citations.some((c) => (authorisationOfEntry(c, reg.registry).lists ?? []).some((l) => l.list === id))) {
    r.add('CATALOGUE_BASIS_NOT_AUTHORISED', `${path}.legalBasis`, `list ${id} is not authorised by any basis it cites (${citedIds(basis.citations)}): the registry entry must name it under authorises.lists`);
  }
  const description = r.str(raw, 'description', path, { max: 2000 });
  const pub = raw.public;
  if (pub === undefined) r.add('CATALOGUE_FIELD_MISSING', `${path}.public`, 'public (true or false) is required');
  else if (typeof pub !== 'boolean') r.add('CATALOGUE_FIELD_TYPE', `${path}.public`, `public must be true or false, got ${describe(pub)}`);
  r.screen(raw.id, `${path}.id`, 'id');
  r.screen(title, `${path}.title`, 'title');
  r.screen(description, `${path}.description`, 'description');
  const restoration = raw.restoration === undefined ? undefined : validateRestoration(r, raw.restoration, `${path}.restoration`, reg, id ?? path);
  if (r.problems.length !== before || !basis) return undefined;
  return { id: id!, title: title!, kind: kind!, domain: domain!, legalBasis: basis.text, citations: basis.citations, public: pub as boolean, description: description!, ...(restoration ? { restoration } : {}) };
}

/** A list's credit-restoration rule: the minimum time listed, the working days to decide, its basis. */
function validateRestoration(r: Reporter, raw: unknown, path: string, reg: RegistryInfo, list: string): RestorationRule | undefined {
  if (!isObj(raw)) {
    r.add('CATALOGUE_FIELD_TYPE', path, `restoration must be a mapping (after, decisionWorkingDays, legalBasis), got ${describe(raw)}`);
    return undefined;
  }
  const before = r.problems.length;
  r.unknownFields(raw, RESTORATION_FIELDS, path, 'a restoration rule');
  const after = r.str(raw, 'after', path);
  if (after !== undefined && !isIsoDuration(after)) r.add('CATALOGUE_FIELD_FORMAT', `${path}.after`, `after "${after}" is not a positive ISO-8601 duration (e.g. P1Y, P3M)`);
  const days = raw.decisionWorkingDays;
  if (days === undefined) r.add('CATALOGUE_FIELD_MISSING', `${path}.decisionWorkingDays`, 'decisionWorkingDays (the working days a reviewer has to decide) is required');
  else if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 60) r.add('CATALOGUE_FIELD_TYPE', `${path}.decisionWorkingDays`, `decisionWorkingDays must be a whole number of working days from 1 to 60, got ${describe(days)}`);
  const basis = r.legalBasis(raw, path, `restoration from list ${list}`, reg);
  if (r.problems.length !== before || !basis) return undefined;
  return { after: after!, decisionWorkingDays: days as number, legalBasis: basis.text, citations: basis.citations };
}

/**
 * One purpose of measures.yaml: why a provider may look a subject up. `kind` says whether
 * the subject started it, must consent, or a public body acts under a legal duty; the cited
 * basis is the ground for processing (PIPL Art. 13, the credit-investigation regulation's
 * consent rule). `pastDates: true` lets a provider ask about a past instant.
 */
function validatePurpose(r: Reporter, raw: unknown, path: string, reg: RegistryInfo): Purpose | undefined {
  if (!isObj(raw)) {
    r.add('CATALOGUE_FIELD_TYPE', path, `a purpose must be a mapping, got ${describe(raw)}`);
    return undefined;
  }
  const before = r.problems.length;
  r.unknownFields(raw, PURPOSE_FIELDS, path, 'a purpose');
  const id = r.formatted(raw, 'id', path, ID_RE, 'lower-case, e.g. ticket-sale');
  const title = r.str(raw, 'title', path, { max: 200 });
  const description = r.str(raw, 'description', path, { optional: true, max: 2000 });
  const kind = r.oneOf(raw, 'kind', path, PURPOSE_KINDS);
  const past = raw.pastDates;
  if (past !== undefined && typeof past !== 'boolean') r.add('CATALOGUE_FIELD_TYPE', `${path}.pastDates`, `pastDates must be true or false, got ${describe(past)}`);
  const basis = r.legalBasis(raw, path, `purpose ${id ?? path}`, reg);
  r.screen(raw.id, `${path}.id`, 'id');
  r.screen(title, `${path}.title`, 'title');
  r.screen(description, `${path}.description`, 'description');
  if (r.problems.length !== before || !basis) return undefined;
  const out: Purpose = { id: id!, title: title!, kind: kind!, pastDates: past === true, legalBasis: basis.text, citations: basis.citations };
  if (description !== undefined) out.description = description;
  return out;
}

/** A measure's `purposes`: a non-empty list of purposes the file declares, each once. */
function measurePurposes(r: Reporter, raw: unknown, path: string, known: ReadonlySet<string>): string[] | undefined {
  if (raw === undefined) {
    r.add('CATALOGUE_FIELD_MISSING', path, `purposes (the purposes a provider may state when it asks about the measure) is required; declared purposes: ${[...known].join(', ')}`);
    return undefined;
  }
  if (!Array.isArray(raw) || raw.length === 0 || raw.some((x) => typeof x !== 'string')) {
    r.add('CATALOGUE_FIELD_TYPE', path, `purposes must be a non-empty list of purpose ids, got ${describe(raw)}`);
    return undefined;
  }
  let ok = true;
  raw.forEach((p: string, i) => {
    if (!known.has(p)) {
      r.add('CATALOGUE_UNKNOWN_PURPOSE', `${path}[${i}]`, `purpose "${p}" is not declared in the file's purposes (declared: ${[...known].join(', ')})`);
      ok = false;
    } else if (raw.indexOf(p) !== i) {
      r.add('CATALOGUE_DUPLICATE_ID', `${path}[${i}]`, `purpose "${p}" is listed twice`);
      ok = false;
    }
  });
  return ok ? (raw as string[]) : undefined;
}

function validateTrigger(
  r: Reporter,
  raw: unknown,
  path: string,
  lists: ReadonlyMap<string, string>,
  types: ReadonlyMap<string, string>,
): { trigger: MeasureTrigger; domain: string; label: string } | undefined {
  if (!isObj(raw)) {
    r.add('CATALOGUE_UNKNOWN_TRIGGER', path, raw === undefined ? 'trigger is required ({list}, {grades, scheme} or {recordType})' : `trigger must be a mapping, got ${describe(raw)}`);
    return undefined;
  }
  const keys = Object.keys(raw).sort().join(',');
  if (keys === 'list') {
    const list = raw.list;
    if (typeof list !== 'string' || !lists.has(list)) {
      r.add('CATALOGUE_UNKNOWN_TRIGGER', `${path}.list`, `trigger names unknown list ${JSON.stringify(list)}`);
      return undefined;
    }
    // The list's domain is the trigger's domain, so it must be a domain of the taxonomy too.
    const domain = lists.get(list)!;
    if (domain !== '' && !DOMAINS.has(domain)) {
      checkDomain(r, domain, `${path}.list`, `list ${list} (which triggers this measure)`);
      return undefined;
    }
    return { trigger: { list }, domain, label: `list ${list}` };
  }
  if (keys === 'recordType') {
    const rt = raw.recordType;
    if (typeof rt !== 'string' || !types.has(rt)) {
      r.add('CATALOGUE_UNKNOWN_TRIGGER', `${path}.recordType`, `trigger names unknown record type ${JSON.stringify(rt)}`);
      return undefined;
    }
    return { trigger: { recordType: rt }, domain: types.get(rt)!, label: `record type ${rt}` };
  }
  if (keys === 'grades,scheme') {
    const { grades, scheme } = raw;
    let ok = true;
    if (!Array.isArray(grades) || grades.length === 0 || grades.some((g) => typeof g !== 'string' || g.trim() === '')) {
      r.add('CATALOGUE_UNKNOWN_TRIGGER', `${path}.grades`, 'grades must be a non-empty list of grade names');
      ok = false;
    }
    if (typeof scheme !== 'string' || scheme.trim() === '') {
      r.add('CATALOGUE_UNKNOWN_TRIGGER', `${path}.scheme`, 'a grade trigger must name its scheme');
      ok = false;
    }
    if (!ok) return undefined;
    return {
      trigger: { grades: grades as string[], scheme: scheme as string },
      domain: GENERAL_CREDIT_DOMAIN,
      label: `grades ${(grades as string[]).join('/')} of scheme ${scheme as string}`,
    };
  }
  r.add('CATALOGUE_UNKNOWN_TRIGGER', path, `trigger must be exactly one of {list}, {grades, scheme} or {recordType}, got keys [${keys}]`);
  return undefined;
}

function validateMeasure(
  r: Reporter,
  raw: unknown,
  path: string,
  lists: ReadonlyMap<string, string>,
  types: ReadonlyMap<string, string>,
  profile: CatalogueProfile,
  withdrawn: ReadonlySet<string>,
  reg: RegistryInfo,
  purposeIds: ReadonlySet<string>,
): Measure | undefined {
  if (!isObj(raw)) {
    r.add('CATALOGUE_FIELD_TYPE', path, `a measure must be a mapping, got ${describe(raw)}`);
    return undefined;
  }
  const before = r.problems.length;
  r.unknownFields(raw, MEASURE_FIELDS, path, 'a measure');
  const id = r.formatted(raw, 'id', path, ID_RE, 'lower-case, dotted, e.g. defaulter.no_flights');
  const title = r.str(raw, 'title', path, { max: 200 });
  const description = r.str(raw, 'description', path, { optional: true, max: 2000 });
  const domain = r.formatted(raw, 'domain', path, DOMAIN_RE, 'lower-case, dotted, e.g. transport.rail');
  checkDomain(r, domain, `${path}.domain`, `measure ${id ?? path}`);
  const effect = r.oneOf(raw, 'effect', path, EFFECTS);
  const basis = r.legalBasis(raw, path, `measure ${id ?? path}`, reg);
  const purposes = measurePurposes(r, raw.purposes, `${path}.purposes`, purposeIds);

  let contest: string | undefined;
  if (raw.contest === undefined || raw.contest === null || (typeof raw.contest === 'string' && raw.contest.trim() === '')) {
    r.add('CATALOGUE_NO_CONTEST', `${path}.contest`, `measure ${id ?? path} does not say how to contest it (the body to apply to and the deadline)`);
  } else if (typeof raw.contest !== 'string') {
    r.add('CATALOGUE_FIELD_TYPE', `${path}.contest`, `contest must be a string, got ${describe(raw.contest)}`);
  } else {
    contest = raw.contest;
  }

  let conditions: string[] | undefined;
  if (raw.conditions !== undefined) {
    const c = raw.conditions;
    if (!Array.isArray(c) || c.length === 0 || c.some((x) => typeof x !== 'string' || x.trim() === '')) {
      r.add('CATALOGUE_FIELD_TYPE', `${path}.conditions`, 'conditions must be a non-empty list of strings');
    } else {
      conditions = c as string[];
    }
  } else if (effect === 'allow_with_conditions') {
    r.add('CATALOGUE_FIELD_MISSING', `${path}.conditions`, 'effect allow_with_conditions needs conditions');
  }

  const trig = validateTrigger(r, raw.trigger, `${path}.trigger`, lists, types);
  let crossContext = false;
  // Contexts come from the closed taxonomy (DOMAIN_TAXONOMY), never from the measure's own
  // label; an unknown domain was reported above and would count as cross-context.
  if (trig && domain !== undefined && trig.domain !== '') {
    crossContext = isCrossContext(domain, trig.domain);
    if (crossContext && profile === 'eu' && DOMAINS.has(domain) && !(id !== undefined && withdrawn.has(id))) {
      r.add(
        'CATALOGUE_CROSS_CONTEXT_EU',
        path,
        `measure ${id ?? path} acts in domain ${domain} (context ${topDomain(domain)}) but is triggered by ${trig.label} from domain ${trig.domain} (context ${topDomain(trig.domain)}): the eu profile refuses cross-context measures (EU AI Act, Regulation (EU) 2024/1689, Art. 5(1)(c): social scoring leading to detrimental treatment in contexts unrelated to where the data was collected); an eu deployment withdraws it in its variant (catalogue/eu/variant.yaml)`,
      );
    }
    // A cross-context measure needs a basis that reaches from the trigger's context into the
    // measure's: the 2016 defaulter opinions reach from the court list into transport, a
    // tax statute does not.
    if (crossContext && basis && DOMAINS.has(domain) && !authorisesCrossContext(basis.citations, reg.registry, trig.domain, domain)) {
      r.add(
        'CATALOGUE_BASIS_NOT_AUTHORISED',
        `${path}.legalBasis`,
        `measure ${id ?? path} is cross-context (triggered by ${trig.label} from context ${topDomain(trig.domain)}, acting in ${domain}), but none of the bases it cites (${citedIds(basis.citations)}) authorises measures from ${topDomain(trig.domain)} into ${topDomain(domain)} (authorises.crossContext in legal-bases.yaml)`,
      );
    }
  }

  r.screen(raw.id, `${path}.id`, 'id');
  r.screen(title, `${path}.title`, 'title');
  r.screen(description, `${path}.description`, 'description');
  conditions?.forEach((c, j) => r.screen(c, `${path}.conditions[${j}]`, 'condition'));
  r.screen(contest, `${path}.contest`, 'contest');

  if (r.problems.length !== before || !trig || !basis || !purposes) return undefined;
  const m: Measure = {
    id: id!,
    title: title!,
    domain: domain!,
    trigger: trig.trigger,
    effect: effect!,
    legalBasis: basis.text,
    citations: basis.citations,
    crossContext,
    contest: contest!,
    purposes,
  };
  if (description !== undefined) m.description = description;
  if (conditions !== undefined) m.conditions = conditions;
  return m;
}

function checkDuplicates(r: Reporter, items: unknown[], key: 'code' | 'id', top: string): void {
  const first = new Map<string, number>();
  items.forEach((it, i) => {
    if (!isObj(it) || typeof it[key] !== 'string') return;
    const v = it[key] as string;
    const j = first.get(v);
    if (j === undefined) first.set(v, i);
    else r.add('CATALOGUE_DUPLICATE_ID', `${top}[${i}].${key}`, `${key} "${v}" is already used by ${top}[${j}]`);
  });
}

// ---------------------------------------------------------------------------------------
// Profile variant

const VARIANT_FIELDS = ['version', 'profile', 'withdrawMeasures'] as const;

/** The ids a variant withdraws, read leniently before the measures are validated. */
function withdrawnIds(data: unknown): Set<string> {
  const list = isObj(data) && Array.isArray(data.withdrawMeasures) ? data.withdrawMeasures : [];
  return new Set(list.filter((x): x is string => typeof x === 'string' && x.trim() !== ''));
}

/**
 * Checks a profile variant against the validated measures: its shape, its version, and that
 * every measure it withdraws exists and is cross-context (a variant may take away only what
 * the profile refuses, never an ordinary measure).
 */
function validateVariant(
  r: Reporter,
  data: unknown,
  profile: CatalogueProfile,
  version: unknown,
  measureIds: ReadonlySet<string>,
  measures: ReadonlyMap<string, Measure>,
): void {
  if (!isObj(data)) {
    r.add('CATALOGUE_SHAPE', '$', `the variant must be a mapping with a "withdrawMeasures" list, got ${describe(data)}`);
    return;
  }
  r.unknownFields(data, VARIANT_FIELDS, '$', 'the variant');
  if (data.version === undefined) r.add('CATALOGUE_FIELD_MISSING', 'version', 'version is required (the catalogue version it applies to, e.g. "2026.1")');
  else if (data.version !== version) r.add('CATALOGUE_VERSION_MISMATCH', 'version', `version ${JSON.stringify(data.version)} differs from the record-type catalogue's ${JSON.stringify(version)}`);
  if (data.profile !== undefined && data.profile !== profile) r.add('CATALOGUE_FIELD_TYPE', 'profile', `profile ${JSON.stringify(data.profile)} is not the profile this file is loaded for ("${profile}")`);
  const list = data.withdrawMeasures;
  if (!Array.isArray(list) || list.length === 0) {
    r.add(list === undefined ? 'CATALOGUE_FIELD_MISSING' : 'CATALOGUE_FIELD_TYPE', 'withdrawMeasures', 'withdrawMeasures must be a non-empty list of measure ids');
    return;
  }
  const seen = new Set<string>();
  list.forEach((id, i) => {
    const p = `withdrawMeasures[${i}]`;
    if (typeof id !== 'string' || id.trim() === '') return r.add('CATALOGUE_FIELD_TYPE', p, `a measure id must be a string, got ${describe(id)}`);
    if (seen.has(id)) return r.add('CATALOGUE_DUPLICATE_ID', p, `measure ${id} is withdrawn twice`);
    seen.add(id);
    if (!measureIds.has(id)) return r.add('CATALOGUE_VARIANT_UNKNOWN_MEASURE', p, `measure ${id} is not in the measures file: remove it from the variant`);
    const m = measures.get(id);
    if (m && !m.crossContext) {
      r.add('CATALOGUE_VARIANT_NOT_CROSS_CONTEXT', p, `measure ${id} acts in domain ${m.domain} in the same context as its trigger: it is not cross-context, and the ${profile} variant withdraws only cross-context measures`);
    }
  });
}

// ---------------------------------------------------------------------------------------
// Entry point

/**
 * Validates the four catalogue files and builds the Catalogue. Every problem is reported,
 * never only the first. The catalogue is returned only when there is no problem at all.
 *
 * Under the `eu` profile each cross-context measure is a problem
 * (CATALOGUE_CROSS_CONTEXT_EU) unless the profile's variant (`input.variant`) withdraws it;
 * withdrawn measures are validated in place (problems keep their paths) and left out.
 * Grade-triggered measures count as triggered from domain "general-credit" and are
 * therefore always cross-context, rewards included.
 */
export function validateCatalogue(input: CatalogueInput, opts: ValidateOptions = {}): CatalogueResult {
  const profile = opts.profile ?? 'default';
  const problems: CatalogueProblem[] = [];

  // Record types
  const rtR = new Reporter(input.recordTypes.file);
  const rtTop = topList(rtR, input.recordTypes.data, 'recordTypes', ['version', 'recordTypes']);
  let version: string | undefined;
  if (rtTop) {
    if (typeof rtTop.version === 'string' && rtTop.version.trim() !== '') version = rtTop.version;
    else if (rtTop.version === undefined) rtR.add('CATALOGUE_FIELD_MISSING', 'version', 'version is required (e.g. "2026.1")');
    else rtR.add('CATALOGUE_FIELD_TYPE', 'version', `version must be a quoted string, got ${describe(rtTop.version)}`);
  }
  const checkVersion = (r: Reporter, v: unknown): void => {
    if (v === undefined || version === undefined) return;
    if (v !== version) r.add('CATALOGUE_VERSION_MISMATCH', 'version', `version ${JSON.stringify(v)} differs from the record-type catalogue's "${version}"`);
  };

  // The legal-basis registry, which every other file cites.
  const lbR = new Reporter(input.legalBases.file);
  const lbTop = topList(lbR, input.legalBases.data, 'legalBases', ['version', 'legalBases']);
  checkVersion(lbR, lbTop?.version);
  const reg: RegistryInfo = validateRegistry(lbR, lbTop?.items ?? []);

  const rtItems = rtTop?.items ?? [];
  const recordTypes = new Map<string, RecordType>();
  const ajv = new Ajv({ strict: true, allErrors: true });
  rtItems.forEach((raw, i) => {
    const rt = validateRecordType(rtR, raw, `recordTypes[${i}]`, ajv, reg);
    if (rt && !recordTypes.has(rt.code)) recordTypes.set(rt.code, rt);
  });
  checkDuplicates(rtR, rtItems, 'code', 'recordTypes');
  // Known codes (with their domains) include invalid entries, so that one bad record type
  // does not cascade into "unknown record type" problems elsewhere.
  const typeDomains = new Map<string, string>();
  const typeCategories = new Map<string, string>();
  for (const raw of rtItems) {
    if (isObj(raw) && typeof raw.code === 'string' && !typeDomains.has(raw.code)) {
      typeDomains.set(raw.code, typeof raw.domain === 'string' ? raw.domain : '');
      if (typeof raw.category === 'string') typeCategories.set(raw.code, raw.category);
    }
  }

  // Sources
  const srcR = new Reporter(input.sources.file);
  const srcTop = topList(srcR, input.sources.data, 'sources', ['version', 'sources']);
  checkVersion(srcR, srcTop?.version);
  const srcItems = srcTop?.items ?? [];
  const sources = new Map<string, Source>();
  const codeSet = new Set(typeDomains.keys());
  srcItems.forEach((raw, i) => {
    const s = validateSource(srcR, raw, `sources[${i}]`, codeSet, typeCategories, reg);
    if (s && !sources.has(s.id)) sources.set(s.id, s);
  });
  checkDuplicates(srcR, srcItems, 'id', 'sources');

  // Lists
  const lsR = new Reporter(input.lists.file);
  const lsTop = topList(lsR, input.lists.data, 'lists', ['version', 'lists']);
  checkVersion(lsR, lsTop?.version);
  const lsItems = lsTop?.items ?? [];
  const lists = new Map<string, ListDefinition>();
  lsItems.forEach((raw, i) => {
    const l = validateList(lsR, raw, `lists[${i}]`, reg);
    if (l && !lists.has(l.id)) lists.set(l.id, l);
  });
  checkDuplicates(lsR, lsItems, 'id', 'lists');
  const listDomains = new Map<string, string>();
  for (const raw of lsItems) {
    if (isObj(raw) && typeof raw.id === 'string' && !listDomains.has(raw.id)) {
      listDomains.set(raw.id, typeof raw.domain === 'string' ? raw.domain : '');
    }
  }

  // Measures
  const msR = new Reporter(input.measures.file);
  const msTop = topList(msR, input.measures.data, 'measures', ['version', 'purposes', 'measures']);
  checkVersion(msR, msTop?.version);
  const msItems = msTop?.items ?? [];
  const purposes = new Map<string, Purpose>();
  const puItems = isObj(input.measures.data) ? input.measures.data.purposes : undefined;
  if (!Array.isArray(puItems) || puItems.length === 0) {
    msR.add('CATALOGUE_SHAPE', 'purposes', puItems === undefined ? '"purposes" list is missing: declare why a provider may look a subject up (id, title, kind, legalBasis)' : `"purposes" must be a non-empty list, got ${describe(puItems)}`);
  } else {
    puItems.forEach((raw, i) => {
      const pu = validatePurpose(msR, raw, `purposes[${i}]`, reg);
      if (pu && !purposes.has(pu.id)) purposes.set(pu.id, pu);
    });
    checkDuplicates(msR, puItems, 'id', 'purposes');
  }
  // Known ids include invalid entries, so one bad purpose does not cascade into every measure.
  const purposeIds = new Set((Array.isArray(puItems) ? puItems : []).flatMap((x) => (isObj(x) && typeof x.id === 'string' ? [x.id] : [])));
  const measures = new Map<string, Measure>();
  const withdrawn = input.variant ? withdrawnIds(input.variant.data) : new Set<string>();
  msItems.forEach((raw, i) => {
    const m = validateMeasure(msR, raw, `measures[${i}]`, listDomains, typeDomains, profile, withdrawn, reg, purposeIds);
    if (m && !measures.has(m.id)) measures.set(m.id, m);
  });
  checkDuplicates(msR, msItems, 'id', 'measures');

  // A variant with problems is reported alone: the measures problems it would cause (every
  // cross-context measure it fails to withdraw) follow from it.
  if (input.variant) {
    const vR = new Reporter(input.variant.file);
    const measureIds = new Set(msItems.flatMap((m) => (isObj(m) && typeof m.id === 'string' ? [m.id] : [])));
    validateVariant(vR, input.variant.data, profile, rtTop?.version, measureIds, measures);
    if (vR.problems.length > 0) {
      fixRootPaths(vR.problems);
      return { problems: vR.problems };
    }
    for (const id of withdrawn) measures.delete(id);
  }

  // The lists the registry authorises must exist.
  (lbTop?.items ?? []).forEach((raw, i) => {
    if (!isObj(raw)) return;
    const places: [unknown, string][] = [[raw.authorises, `legalBases[${i}].authorises`]];
    if (Array.isArray(raw.articles)) raw.articles.forEach((a, j) => places.push([a, `legalBases[${i}].articles[${j}]`]));
    for (const [auth, p] of places) {
      if (!isObj(auth) || !Array.isArray(auth.lists)) continue;
      auth.lists.forEach((l, k) => {
        if (isObj(l) && typeof l.list === 'string' && !listDomains.has(l.list)) {
          lbR.add('CATALOGUE_UNKNOWN_LIST', `${p}.lists[${k}].list`, `authorises list "${l.list}", which lists.yaml does not define (lists: ${[...listDomains.keys()].join(', ')})`);
        }
      });
    }
  });

  for (const r of [lbR, rtR, srcR, lsR, msR]) problems.push(...r.problems);
  fixRootPaths(problems);
  if (problems.length > 0 || version === undefined) return { problems };
  // A variant's catalogue names it, so decisions and their replays say what they ran under.
  return { catalogue: { version: input.variant ? `${version}+${profile}` : version, recordTypes, sources, lists, measures, purposes, legalBases: reg.registry as Map<string, LegalBasisEntry> }, problems };
}
