// Validates a scoring scheme and compiles it once per version: CEL conditions parsed into
// closures, rules indexed by record type, bands checked for order, overlap and coverage.
// Every problem is reported at once, each with its JSON path. The charter's refusals are
// enforced here for rules: nothing that reaches another subject (no guilt by association),
// nothing about the special categories, no discretionary points without a stated ground.
import { Environment } from '@marcbachmann/cel-js';
import { fastCondition } from './cel-fast.ts';
import { parseDuration, type Duration } from './duration.ts';
import { screenText } from './screen.ts';
import { checkConditionReads, fieldKind } from './rule-reads.ts';
import {
  authorisesDirectGrade,
  citedIds,
  compareDurations,
  listAuthorisation,
  parseCitations,
  pointRanges,
  renderCitations,
  type ProblemSink,
} from './legal-bases.ts';
import type { Catalogue, Citation, GradeBand, ListRule, Scheme, SchemeRule } from './types.ts';

/** A scheme version's key, `id@version` (the key of CompiledScheme), as a regular-expression source. */
export const SCHEME_KEY_PATTERN = '[a-z0-9][a-z0-9-]*@[1-9][0-9]{0,5}';
const SCHEME_CHOICE = new RegExp(`^${SCHEME_KEY_PATTERN}(,${SCHEME_KEY_PATTERN})*$`);

/**
 * A choice of scheme versions, `id@version[,id@version...]` (the `--scheme` option, the
 * `scheme` parameter): the keys, or null when the text is not such a list.
 */
export function parseSchemeChoice(text: string | undefined): string[] | null {
  if (text === undefined) return [];
  const compact = text.split(',').map((k) => k.trim()).join(',');
  return SCHEME_CHOICE.test(compact) ? compact.split(',') : null;
}

export interface SchemeProblem {
  code: string;
  path: string;
  message: string;
  /** The refused kind when the problem is a refusal (religion, association, free-text...). */
  category?: string;
}

/** The record as a rule condition sees it: the subject's own record, nothing else. */
export interface RuleInput {
  type: string;
  source: string;
  occurredAt: string;
  payload: Record<string, unknown>;
  evidence: string[];
}

export interface CompiledRule {
  rule: SchemeRule;
  /** What the rule stands on: its own legalBasis, else its record type's citations. */
  citations: Citation[];
  /** null = always. Returns true/false; anything else is reported as a warning and treated as false. */
  condition: ((input: { record: RuleInput }) => unknown) | null;
  lifetime: Duration | null;
}

/** A list rule as compiled: its citations checked and rendered for people. */
export type CheckedListRule = Omit<ListRule, 'legalBasis'> & { legalBasis: string; citations: Citation[] };

export interface CompiledListRule {
  rule: CheckedListRule;
  duration: Duration | null;
  /** The longest listing the cited basis allows (an endField date beyond it is cut to it). */
  maxPeriod: Duration | null;
  maxPeriodText: string | null;
}

export interface CompiledScheme {
  scheme: Scheme;
  key: string;
  rulesByType: Map<string, CompiledRule[]>;
  /** Record types that end a record-triggered listing. */
  listEnders: Set<string>;
  listRulesByType: Map<string, CompiledListRule[]>;
  gradeListRules: CheckedListRule[];
  /** Grade order, best first. */
  gradeRank: Map<string, number>;
  ruleTitles: Map<string, string>;
  gradeLabels: Map<string, string>;
  bandOf(score: number): GradeBand;
}

/**
 * Words that name another subject or a group of subjects. A rule condition or a points field
 * that mentions one is refused: the charter forbids scores that depend on anyone else.
 */
export const ASSOCIATION_TERMS = [
  'household',
  'family',
  'relative',
  'relatives',
  'friend',
  'friends',
  'spouse',
  'parent',
  'parents',
  'child',
  'children',
  'neighbour',
  'neighbours',
  'neighbor',
  'contact',
  'contacts',
  'network',
  'associate',
  'associates',
  'guarantor_score',
  'cell_members',
  'other_subject',
  'related_subject',
  'members',
  'group_score',
];

const CEL_ENV = new Environment({
  unlistedVariablesAreDyn: false,
  limits: { maxAstNodes: 500, maxDepth: 40, maxListElements: 100, maxMapEntries: 100, maxCallArguments: 8 },
}).registerVariable('record', 'map');

function identifiersIn(expression: string): string[] {
  // Strip string literals, then collect identifier-like tokens (field names included).
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return withoutStrings.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
}

function associationTermIn(text: string): string | null {
  for (const token of identifiersIn(text)) {
    // snake_case and camelCase alike: householdScore, household_score, wifeGrade.
    const parts = token.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split('_');
    for (const term of ASSOCIATION_TERMS) {
      if (token.toLowerCase() === term || (!term.includes('_') && parts.includes(term))) return term;
    }
    // And the screen's association lexicon (wife, son-in-law, 配偶, five-family group...).
    const hit = screenText(token).find((h) => h.category === 'association');
    if (hit) return hit.term;
  }
  return null;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkBands(scheme: Scheme, problems: SchemeProblem[]): void {
  const bands = scheme.bands;
  if (!Array.isArray(bands) || bands.length === 0) {
    problems.push({ code: 'SCHEME_BANDS_INVALID', path: 'bands', message: 'a scheme needs at least one grade band' });
    return;
  }
  const seen = new Set<string>();
  bands.forEach((b, i) => {
    const p = `bands[${i}]`;
    if (!b || typeof b.grade !== 'string' || !b.grade) {
      problems.push({ code: 'SCHEME_BANDS_INVALID', path: `${p}.grade`, message: 'grade must be a non-empty string' });
      return;
    }
    if (seen.has(b.grade)) problems.push({ code: 'SCHEME_BANDS_INVALID', path: `${p}.grade`, message: `grade ${b.grade} appears twice` });
    seen.add(b.grade);
    if (b.min !== null && !isNum(b.min)) problems.push({ code: 'SCHEME_BANDS_INVALID', path: `${p}.min`, message: 'min must be a number or null' });
    if (b.max !== null && !isNum(b.max)) problems.push({ code: 'SCHEME_BANDS_INVALID', path: `${p}.max`, message: 'max must be a number or null' });
    if (isNum(b.min) && isNum(b.max) && b.min > b.max) {
      problems.push({ code: 'SCHEME_BANDS_INVALID', path: p, message: `min ${b.min} is above max ${b.max}` });
    }
  });
  // Bands are ordered best (highest) first; each band's min must be the next band's max + 1
  // (integer points), the first is unbounded above (or reaches range.max), the last below.
  const lo = scheme.range?.min ?? null;
  const hi = scheme.range?.max ?? null;
  const first = bands[0];
  const last = bands[bands.length - 1];
  if (first && !(first.max === null || (hi !== null && first.max >= hi))) {
    problems.push({ code: 'SCHEME_BANDS_GAP', path: 'bands[0].max', message: `the best band must be open above (max: null) or reach the range maximum; scores above ${first.max} would have no grade` });
  }
  if (last && !(last.min === null || (lo !== null && last.min <= lo))) {
    problems.push({ code: 'SCHEME_BANDS_GAP', path: `bands[${bands.length - 1}].min`, message: `the worst band must be open below (min: null) or reach the range minimum; scores below ${last.min} would have no grade` });
  }
  for (let i = 0; i + 1 < bands.length; i++) {
    const upper = bands[i];
    const lower = bands[i + 1];
    if (!upper || !lower || !isNum(upper.min) || !isNum(lower.max)) {
      if (upper && lower) {
        problems.push({ code: 'SCHEME_BANDS_GAP', path: `bands[${i}]`, message: `band ${upper.grade} needs a min and band ${lower.grade} a max, since another band follows` });
      }
      continue;
    }
    if (lower.max >= upper.min) {
      problems.push({ code: 'SCHEME_BANDS_OVERLAP', path: `bands[${i + 1}].max`, message: `band ${lower.grade} (max ${lower.max}) overlaps band ${upper.grade} (min ${upper.min}); bands must be ordered best first without overlap` });
    } else if (lower.max + 1 !== upper.min) {
      problems.push({ code: 'SCHEME_BANDS_GAP', path: `bands[${i + 1}].max`, message: `scores between ${lower.max} and ${upper.min} fall between band ${lower.grade} and band ${upper.grade}` });
    }
  }
  if (!seen.has(scheme.defaultGrade)) {
    problems.push({ code: 'SCHEME_BANDS_INVALID', path: 'defaultGrade', message: `default grade ${scheme.defaultGrade} is not one of the bands` });
  } else if (isNum(scheme.base)) {
    const baseBand = bands.find((b) => (b.min === null || scheme.base >= b.min) && (b.max === null || scheme.base <= b.max));
    if (baseBand && baseBand.grade !== scheme.defaultGrade) {
      problems.push({ code: 'SCHEME_BANDS_INVALID', path: 'defaultGrade', message: `the base score ${scheme.base} falls in band ${baseBand.grade}, not in the default grade ${scheme.defaultGrade}` });
    }
  }
}

const RULE_FIELDS = new Set(['id', 'recordType', 'title', 'when', 'points', 'per', 'cap', 'lifetime', 'directGrade', 'requiresGround', 'source', 'legalBasis']);
const SCHEME_FIELDS = new Set(['id', 'version', 'title', 'status', 'source', 'base', 'range', 'defaultGrade', 'bands', 'rules', 'listRules']);
const LIST_RULE_FIELDS = new Set(['list', 'grades', 'recordType', 'endField', 'duration', 'endedBy', 'legalBasis']);

function unknownFields(obj: unknown, allowed: Set<string>, path: string, problems: SchemeProblem[]): void {
  if (!obj || typeof obj !== 'object') return;
  for (const k of Object.keys(obj)) {
    if (!allowed.has(k)) problems.push({ code: 'SCHEME_UNKNOWN_FIELD', path: path ? `${path}.${k}` : k, message: `unknown field "${k}" (a comma in an unquoted YAML value splits it: quote titles)` });
  }
}

/** The scheme's problem list as a sink for the registry's citation checks. */
const sinkOf = (problems: SchemeProblem[]): ProblemSink => ({
  add: (code, path, message, category) => problems.push(category === undefined ? { code, path, message } : { code, path, message, category }),
});

function checkRule(rule: SchemeRule, i: number, catalogue: Catalogue, grades: Set<string>, problems: SchemeProblem[]): CompiledRule | null {
  const p = `rules[${i}]`;
  const before = problems.length;
  if (!rule || typeof rule.id !== 'string' || !rule.id) {
    problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.id`, message: 'a rule needs an id' });
    return null;
  }
  unknownFields(rule, RULE_FIELDS, p, problems);
  if (typeof rule.title !== 'string' || rule.title.trim() === '' || rule.title.length > 200) {
    problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.title`, message: 'a rule has a title of 1-200 characters' });
  }
  const type = catalogue.recordTypes.get(rule.recordType);
  if (!type) {
    problems.push({ code: 'SCHEME_UNKNOWN_RECORD_TYPE', path: `${p}.recordType`, message: `record type "${rule.recordType}" is not in the catalogue` });
  }
  if (typeof rule.source !== 'string' || rule.source.trim() === '') {
    problems.push({ code: 'SCHEME_RULE_NO_SOURCE', path: `${p}.source`, message: 'every rule cites where its points come from (a published catalogue, a decision)' });
  }
  for (const hit of screenText(`${rule.id} ${rule.title ?? ''}`, type?.protects ? { allow: new Set(type.protects) } : {})) {
    problems.push({ code: 'CATALOGUE_SPECIAL_CATEGORY_TERM', path: `${p}.title`, category: hit.category, message: `"${hit.term}" concerns ${hit.category}, a special category no rule may score` });
  }
  const pts = rule.points as unknown as Record<string, unknown> | undefined;
  if (!pts || (typeof pts !== 'object')) {
    problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.points`, message: 'points must be {fixed: N} or {field, min, max}' });
  } else if ('fixed' in pts) {
    if (!isNum(pts.fixed) || !Number.isInteger(pts.fixed)) problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.points.fixed`, message: 'fixed points must be an integer' });
  } else if ('field' in pts) {
    if (typeof pts.field !== 'string' || !isNum(pts.min) || !isNum(pts.max) || pts.min > pts.max) {
      problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.points`, message: 'points from a field need field, min and max (min <= max)' });
    } else if (!rule.requiresGround) {
      problems.push({ code: 'SCHEME_RULE_NO_GROUND', path: `${p}.requiresGround`, message: 'discretionary points (taken from a field) are only allowed with a stated ground: set requiresGround: true' });
    }
  } else {
    problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.points`, message: 'points must be {fixed: N} or {field, min, max}' });
  }
  for (const [field, path] of [
    [rule.per, `${p}.per`],
    [(pts as { field?: string } | undefined)?.field, `${p}.points.field`],
  ] as const) {
    if (field === undefined) continue;
    if (typeof field !== 'string' || !/^[a-z][a-z0-9_]*$/.test(field)) {
      problems.push({ code: 'SCHEME_RULE_INVALID', path, message: 'a field name is a payload field in snake_case' });
      continue;
    }
    const term = associationTermIn(field);
    if (term) problems.push({ code: 'SCHEME_ASSOCIATION', path, category: 'association', message: `"${field}" refers to other subjects (${term}); a rule reads only the subject's own record` });
    const props = (type?.payloadSchema?.properties ?? {}) as Record<string, unknown>;
    if (!type) continue;
    if (!Object.prototype.hasOwnProperty.call(props, field)) {
      problems.push({ code: 'SCHEME_RULE_UNDECLARED_FIELD', path, message: `payload field "${field}" is not in the schema of ${type.code}` });
      continue;
    }
    // Points and multipliers come only from declared, bounded integer fields.
    const prop = props[field] as { type?: unknown; minimum?: unknown; maximum?: unknown };
    if (fieldKind(prop) !== 'number' || prop.type !== 'integer' || !isNum(prop.minimum) || !isNum(prop.maximum)) {
      problems.push({
        code: 'SCHEME_RULE_POINTS_FIELD',
        path,
        category: 'unbounded-discretion',
        message: `payload field "${field}" of ${type.code} is ${fieldKind(prop) === 'free-text' ? 'free text' : `not a bounded integer (${JSON.stringify(prop.type ?? 'enum')})`}; points and multipliers come only from fixed values or declared integer fields with minimum and maximum`,
      });
    } else if (field === (pts as { field?: string } | undefined)?.field && isNum(pts?.min) && isNum(pts?.max)) {
      if ((pts.min as number) < prop.minimum || (pts.max as number) > prop.maximum) {
        problems.push({
          code: 'SCHEME_RULE_POINTS_FIELD',
          path: `${p}.points`,
          category: 'unbounded-discretion',
          message: `points ${pts.min} to ${pts.max} reach beyond what ${type.code} declares for "${field}" (${prop.minimum} to ${prop.maximum}, the range its legal basis allows)`,
        });
      }
    }
  }
  // What the rule stands on: its own citations, else its record type's. The points must lie
  // inside a range one of them authorises (Rongcheng Attachment 1: -10 per cycle of card
  // arrears; "other untrustworthy circumstances": -5 to -50), per unit for a `per` rule.
  let citations: Citation[] | undefined;
  if (rule.legalBasis !== undefined) {
    citations = parseCitations(sinkOf(problems), rule.legalBasis, `${p}.legalBasis`, `rule ${rule.id}`, catalogue.legalBases);
  } else if (type) {
    citations = type.citations;
  }
  if (citations && pts && typeof pts === 'object') {
    const range = 'fixed' in pts && isNum(pts.fixed) ? { lo: pts.fixed, hi: pts.fixed } : 'field' in pts && isNum(pts.min) && isNum(pts.max) ? { lo: pts.min as number, hi: pts.max as number } : null;
    if (range && !(range.lo === 0 && range.hi === 0)) {
      const ranges = pointRanges(citations, catalogue.legalBases);
      if (!ranges.some((r) => r.min <= range.lo && range.hi <= r.max)) {
        const pointsText = range.lo === range.hi ? `${range.lo} points` : `${range.lo} to ${range.hi} points`;
        const whose = rule.legalBasis !== undefined ? 'it cites' : `its record type ${rule.recordType} cites (the rule cites none of its own)`;
        problems.push({
          code: 'SCHEME_POINTS_NOT_AUTHORISED',
          path: `${p}.points`,
          category: 'unbounded-discretion',
          message: ranges.length === 0
            ? `${pointsText}${rule.per ? ` per ${rule.per}` : ''}: none of the bases ${whose} (${citedIds(citations)}) authorises points; cite a basis whose registry entry sets authorises.points`
            : `${pointsText}${rule.per ? ` per ${rule.per}` : ''} lie outside what the bases ${whose} authorise (${ranges.map((r) => `${r.min} to ${r.max} under ${r.citation.ref} ${r.citation.article}`).join('; ')})`,
        });
      }
    }
  }
  if (rule.cap !== undefined) {
    if (!rule.cap || !['day', 'month', 'year'].includes(rule.cap.period) || !isNum(rule.cap.points) || rule.cap.points <= 0) {
      problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.cap`, message: 'cap needs period day|month|year and positive points' });
    }
  }
  let lifetime: Duration | null = null;
  if (rule.lifetime !== undefined) {
    lifetime = parseDuration(String(rule.lifetime));
    if (!lifetime) problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.lifetime`, message: `"${rule.lifetime}" is not an ISO-8601 duration (e.g. P5Y)` });
  }
  if (rule.directGrade !== undefined) {
    if (!rule.directGrade || !grades.has(rule.directGrade.grade)) {
      problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.directGrade.grade`, message: `direct grade ${rule.directGrade?.grade} is not a band of this scheme` });
    }
    if (!rule.directGrade?.ground || String(rule.directGrade.ground).trim().length < 10) {
      problems.push({ code: 'SCHEME_RULE_NO_GROUND', path: `${p}.directGrade.ground`, message: 'direct grading needs a stated legal ground' });
    }
    // A direct grade overrides the points: only a basis that authorises setting this grade
    // directly may carry it. The ground is text for people; the citation is what is checked.
    const dg = rule.directGrade;
    const dgCitations = dg && dg.legalBasis !== undefined
      ? parseCitations(sinkOf(problems), dg.legalBasis, `${p}.directGrade.legalBasis`, `the direct grade of rule ${rule.id}`, catalogue.legalBases)
      : citations;
    if (dg && typeof dg.grade === 'string' && dgCitations && !authorisesDirectGrade(dgCitations, catalogue.legalBases, dg.grade)) {
      problems.push({
        code: 'SCHEME_DIRECT_GRADE_NOT_AUTHORISED',
        path: dg.legalBasis !== undefined ? `${p}.directGrade.legalBasis` : `${p}.directGrade`,
        category: 'unbounded-discretion',
        message: `rule ${rule.id} sets grade ${dg.grade} directly, but none of the bases ${dg.legalBasis !== undefined ? 'it cites' : 'the rule stands on'} (${citedIds(dgCitations)}) authorises direct grading to ${dg.grade} (authorises.directGrades in legal-bases.yaml)`,
      });
    }
  }
  let condition: CompiledRule['condition'] = null;
  if (rule.when !== undefined && String(rule.when).trim() !== '') {
    const text = String(rule.when);
    const term = associationTermIn(text);
    if (term) {
      problems.push({ code: 'SCHEME_ASSOCIATION', path: `${p}.when`, category: 'association', message: `the condition mentions "${term}", which reaches other subjects; a rule reads only the subject's own record (charter: no guilt by association)` });
    } else if (text.length > 1000) {
      problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.when`, message: 'a condition is at most 1,000 characters' });
    } else {
      try {
        const parsed = CEL_ENV.parse(text);
        const ast = (parsed as unknown as { ast: unknown }).ast;
        // What the condition reads is checked before its types: a refusal says why.
        const reads = checkConditionReads(ast, type);
        const checked = reads.length === 0 ? parsed.check() : { valid: true as const, error: undefined };
        if (reads.length > 0) {
          for (const r of reads) problems.push({ code: r.code, path: `${p}.when`, message: r.message, ...(r.category ? { category: r.category } : {}) });
        } else if (!checked.valid) {
          const msg = checked.error?.message ?? 'does not type-check';
          const unknown = /Unknown variable: (\w+)/.exec(msg);
          problems.push(
            unknown
              ? { code: 'SCHEME_ASSOCIATION', path: `${p}.when`, category: 'association', message: `the condition reads "${unknown[1]}"; a rule may read only \`record\` (the subject's own record)` }
              : { code: 'SCHEME_RULE_CONDITION', path: `${p}.when`, message: `CEL: ${firstLine(msg)}` },
          );
        } else {
          condition = fastCondition(ast, (input) => parsed(input));
        }
      } catch (err) {
        const msg = (err as Error).message;
        const unknown = /Unknown variable: (\w+)/.exec(msg);
        problems.push(
          unknown
            ? { code: 'SCHEME_ASSOCIATION', path: `${p}.when`, category: 'association', message: `the condition reads "${unknown[1]}"; a rule may read only \`record\` (the subject's own record)` }
            : { code: 'SCHEME_RULE_CONDITION', path: `${p}.when`, message: `CEL: ${firstLine(msg)}` },
        );
      }
    }
  }
  if (problems.length > before || !citations) return null;
  return { rule, citations, condition, lifetime };
}

const firstLine = (s: string) => s.split('\n')[0]?.trim() ?? s;

export function compileScheme(scheme: Scheme, catalogue: Catalogue): { compiled?: CompiledScheme; problems: SchemeProblem[] } {
  const problems: SchemeProblem[] = [];
  unknownFields(scheme, SCHEME_FIELDS, '', problems);
  if (typeof scheme.id !== 'string' || !/^[a-z][a-z0-9-]{1,63}$/.test(scheme.id)) {
    problems.push({ code: 'SCHEME_INVALID', path: 'id', message: 'id is 2-64 lowercase letters, digits and hyphens' });
  }
  if (!Number.isInteger(scheme.version) || scheme.version < 1) {
    problems.push({ code: 'SCHEME_INVALID', path: 'version', message: 'version is a positive integer' });
  }
  if (!isNum(scheme.base)) problems.push({ code: 'SCHEME_INVALID', path: 'base', message: 'base score must be a number' });
  if (!scheme.source) problems.push({ code: 'SCHEME_INVALID', path: 'source', message: 'a scheme cites its source' });
  checkBands(scheme, problems);
  const grades = new Set((scheme.bands ?? []).map((b) => b?.grade));
  const rulesByType = new Map<string, CompiledRule[]>();
  const ids = new Set<string>();
  (scheme.rules ?? []).forEach((rule, i) => {
    if (rule?.id && ids.has(rule.id)) problems.push({ code: 'SCHEME_RULE_INVALID', path: `rules[${i}].id`, message: `rule id ${rule.id} appears twice` });
    if (rule?.id) ids.add(rule.id);
    const compiled = checkRule(rule, i, catalogue, grades, problems);
    if (compiled) {
      const list = rulesByType.get(rule.recordType) ?? [];
      list.push(compiled);
      rulesByType.set(rule.recordType, list);
    }
  });
  const listRulesByType = new Map<string, CompiledListRule[]>();
  const gradeListRules: CheckedListRule[] = [];
  const listEnders = new Set<string>();
  (scheme.listRules ?? []).forEach((lr, i) => {
    const p = `listRules[${i}]`;
    unknownFields(lr, LIST_RULE_FIELDS, p, problems);
    if (!catalogue.lists.has(lr.list)) problems.push({ code: 'SCHEME_UNKNOWN_LIST', path: `${p}.list`, message: `list "${lr.list}" is not in the catalogue` });
    // The basis must authorise the list; its longest period bounds the listing, and its
    // source kinds say who may deliver a listing (only a court lists on the court's list).
    const citations = parseCitations(sinkOf(problems), lr.legalBasis, `${p}.legalBasis`, `list rule for ${lr.list}`, catalogue.legalBases);
    const auth = citations ? listAuthorisation(citations, catalogue.legalBases, lr.list) : undefined;
    if (citations && !auth) {
      problems.push({ code: 'SCHEME_LIST_NOT_AUTHORISED', path: `${p}.legalBasis`, message: `none of the bases cited (${citedIds(citations)}) authorises list ${lr.list} (authorises.lists in legal-bases.yaml)` });
    }
    const checked: CheckedListRule | null = citations ? { ...lr, legalBasis: renderCitations(citations, catalogue.legalBases), citations } : null;
    if (lr.grades) {
      for (const g of lr.grades) if (!grades.has(g)) problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.grades`, message: `grade ${g} is not a band of this scheme` });
      if (checked) gradeListRules.push(checked);
    } else if (lr.recordType) {
      if (!catalogue.recordTypes.has(lr.recordType)) problems.push({ code: 'SCHEME_UNKNOWN_RECORD_TYPE', path: `${p}.recordType`, message: `record type "${lr.recordType}" is not in the catalogue` });
      const duration = lr.duration ? parseDuration(lr.duration) : null;
      if (lr.duration && !duration) problems.push({ code: 'SCHEME_RULE_INVALID', path: `${p}.duration`, message: `"${lr.duration}" is not an ISO-8601 duration` });
      if (!lr.endField && !duration) problems.push({ code: 'SCHEME_RULE_INVALID', path: p, message: 'a record-triggered listing needs endField or duration (its statutory end)' });
      for (const t of lr.endedBy ?? []) {
        if (!catalogue.recordTypes.has(t)) problems.push({ code: 'SCHEME_UNKNOWN_RECORD_TYPE', path: `${p}.endedBy`, message: `record type "${t}" is not in the catalogue` });
        listEnders.add(t);
      }
      if (auth?.maxPeriod && duration && compareDurations(duration, auth.maxPeriod) > 0) {
        problems.push({ code: 'SCHEME_LIST_PERIOD_EXCEEDED', path: `${p}.duration`, message: `a listing of ${lr.duration} on ${lr.list} is longer than the ${auth.maxPeriodText} its basis allows (${citedIds(citations!)})` });
      }
      if (auth?.sourceKinds) {
        for (const src of catalogue.sources.values()) {
          if (src.recordTypes.includes(lr.recordType) && !auth.sourceKinds.includes(src.kind)) {
            problems.push({
              code: 'SCHEME_LIST_NOT_AUTHORISED',
              path: `${p}.recordType`,
              message: `source ${src.id} (kind ${src.kind}) may submit ${lr.recordType}, which lists on ${lr.list}; its basis (${citedIds(citations!)}) lets only ${auth.sourceKinds.join(' or ')} sources list on it: take ${lr.recordType} from that source's recordTypes`,
            });
          }
        }
      }
      const list = listRulesByType.get(lr.recordType) ?? [];
      if (checked) list.push({ rule: checked, duration, maxPeriod: auth?.maxPeriod ?? null, maxPeriodText: auth?.maxPeriodText ?? null });
      listRulesByType.set(lr.recordType, list);
    } else {
      problems.push({ code: 'SCHEME_RULE_INVALID', path: p, message: 'a list rule is triggered by grades or by a recordType' });
    }
  });
  if (problems.length > 0) return { problems };
  const bands = scheme.bands;
  const gradeRank = new Map(bands.map((b, i) => [b.grade, i] as const));
  const bandOf = (score: number): GradeBand => {
    for (const b of bands) {
      if ((b.min === null || score >= b.min) && (b.max === null || score <= b.max)) return b;
    }
    // Non-integer scores between integer bands: take the band whose min is below.
    return bands.find((b) => b.min === null || score >= b.min) ?? bands[bands.length - 1]!;
  };
  return {
    compiled: {
      scheme,
      key: `${scheme.id}@${scheme.version}`,
      rulesByType,
      listRulesByType,
      listEnders,
      gradeListRules,
      gradeRank,
      ruleTitles: new Map(scheme.rules.map((r) => [r.id, r.title] as const)),
      gradeLabels: new Map(bands.map((b) => [b.grade, b.label] as const)),
      bandOf,
    },
    problems,
  };
}
