// The legal-basis registry (catalogue/legal-bases.yaml): every statute, regulation, judicial
// interpretation, normative or local document the catalogue and the schemes cite, and what
// each authorises (record categories, point ranges, direct grades, lists with their longest
// period, cross-context measures, protected categories). Every record type, source, list,
// measure, rule and direct grade cites entries of it; the catalogue validator and the scheme
// compiler check that what is done is authorised by what is cited (docs/safeguards.md).
// Pure: no I/O.
import { parseDuration, addDuration, type Duration } from './duration.ts';
import { SCREEN_LABELS, SPECIAL_SCREEN_CATEGORIES, screenText, type ScreenCategory } from './screen.ts';
import { DOMAINS, DOMAIN_TAXONOMY } from './taxonomy.ts';
import {
  ALLOWED_CATEGORIES,
  LEGAL_BASIS_KINDS,
  type Authorisation,
  type Category,
  type Citation,
  type LegalBasisEntry,
  type LegalBasisKind,
  type Source,
} from './types.ts';

/** Where problems go: the catalogue validator's reporter, or a scheme's problem list. */
export interface ProblemSink {
  add(code: string, path: string, message: string, category?: string): void;
}

export type Registry = ReadonlyMap<string, LegalBasisEntry>;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;

export const LEGAL_BASIS_ID_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const URL_RE = /^https?:\/\/[^\s]+$/;
const SOURCE_KINDS: readonly Source['kind'][] = ['agency', 'court', 'grid-office', 'enterprise', 'other'];

const ENTRY_FIELDS = ['id', 'kind', 'title', 'titleZh', 'issuer', 'date', 'amended', 'url', 'note', 'objectionDays', 'authorises', 'articles'] as const;

/** Days a source has to answer a dispute where no cited basis sets them (the charter's 30). */
export const DEFAULT_DISPUTE_DAYS = 30;
const AUTH_FIELDS = ['categories', 'points', 'directGrades', 'lists', 'crossContext', 'protects'] as const;

/** An article's text as compared: case and runs of whitespace do not matter. */
export const normaliseArticle = (a: string): string => a.trim().replace(/\s+/g, ' ').toLowerCase();

// ---------------------------------------------------------------------------------------
// The registry file

/**
 * Validates the registry's entries (the parsed `legalBases` list) and returns them by id.
 * Entries with problems are left out, so that citations of them are not reported twice:
 * citations of an invalid entry are accepted as known (see `known`).
 */
export function validateRegistry(sink: ProblemSink, items: unknown[]): { registry: Map<string, LegalBasisEntry>; known: Set<string> } {
  const registry = new Map<string, LegalBasisEntry>();
  const known = new Set<string>();
  const first = new Map<string, number>();
  items.forEach((raw, i) => {
    const path = `legalBases[${i}]`;
    if (isObj(raw) && typeof raw.id === 'string') {
      known.add(raw.id);
      const j = first.get(raw.id);
      if (j !== undefined) sink.add('CATALOGUE_DUPLICATE_ID', `${path}.id`, `id "${raw.id}" is already used by legalBases[${j}]`);
      else first.set(raw.id, i);
    }
    const e = validateEntry(sink, raw, path);
    if (e && !registry.has(e.id)) registry.set(e.id, e);
  });
  return { registry, known };
}

function validateEntry(sink: ProblemSink, raw: unknown, path: string): LegalBasisEntry | undefined {
  if (!isObj(raw)) {
    sink.add('CATALOGUE_FIELD_TYPE', path, `a legal basis must be a mapping, got ${describe(raw)}`);
    return undefined;
  }
  let ok = true;
  const bad = (code: string, p: string, m: string, category?: string) => {
    ok = false;
    sink.add(code, p, m, category);
  };
  for (const k of Object.keys(raw)) {
    if (!(ENTRY_FIELDS as readonly string[]).includes(k)) bad('CATALOGUE_UNKNOWN_FIELD', `${path}.${k}`, `unknown field "${k}" in a legal basis (allowed: ${ENTRY_FIELDS.join(', ')})`);
  }
  const str = (key: string, opts: { optional?: boolean; re?: RegExp; hint?: string; max?: number } = {}): string | undefined => {
    const v = raw[key];
    const p = `${path}.${key}`;
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      if (!opts.optional) bad('CATALOGUE_FIELD_MISSING', p, `${key} is required`);
      return undefined;
    }
    if (typeof v !== 'string') {
      bad('CATALOGUE_FIELD_TYPE', p, `${key} must be a string${key === 'date' || key === 'amended' ? ' (quote dates: "2013-01-21")' : ''}, got ${describe(v)}`);
      return undefined;
    }
    if (opts.re && !opts.re.test(v)) {
      bad('CATALOGUE_FIELD_FORMAT', p, `${key} "${v}" must be ${opts.hint}`);
      return undefined;
    }
    if (v.length > (opts.max ?? 500)) {
      bad('CATALOGUE_FIELD_TYPE', p, `${key} is longer than ${opts.max ?? 500} characters`);
      return undefined;
    }
    return v;
  };
  const id = str('id', { re: LEGAL_BASIS_ID_RE, hint: 'lower-case words joined by hyphens, e.g. road-traffic-safety-law' });
  const kindRaw = str('kind');
  let kind: LegalBasisKind | undefined;
  if (kindRaw !== undefined) {
    if ((LEGAL_BASIS_KINDS as readonly string[]).includes(kindRaw)) kind = kindRaw as LegalBasisKind;
    else bad('CATALOGUE_FIELD_TYPE', `${path}.kind`, `kind must be one of ${LEGAL_BASIS_KINDS.join(', ')}, got "${kindRaw}"`);
  }
  const title = str('title', { max: 300 });
  const titleZh = str('titleZh', { max: 300 });
  const issuer = str('issuer', { max: 300 });
  const date = str('date', { re: DATE_RE, hint: 'a date YYYY-MM-DD' });
  const amended = str('amended', { optional: true, re: DATE_RE, hint: 'a date YYYY-MM-DD' });
  const url = str('url', { re: URL_RE, hint: 'an http(s) address where the text is published' });
  const note = str('note', { optional: true, max: 2000 });
  let objectionDays: number | undefined;
  if (raw.objectionDays !== undefined) {
    const d = raw.objectionDays;
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > 90) bad('CATALOGUE_FIELD_TYPE', `${path}.objectionDays`, `objectionDays must be a whole number of days from 1 to 90, got ${describe(d)}`);
    else objectionDays = d;
  }
  if (date && amended && amended < date) bad('CATALOGUE_FIELD_FORMAT', `${path}.amended`, `amended ${amended} is before the date ${date}`);

  const authorises = raw.authorises === undefined ? {} : checkAuthorisation(sink, raw.authorises, `${path}.authorises`, () => { ok = false; });
  const articles: LegalBasisEntry['articles'] = [];
  if (raw.articles !== undefined) {
    if (!Array.isArray(raw.articles) || raw.articles.length === 0) {
      bad('CATALOGUE_FIELD_TYPE', `${path}.articles`, 'articles must be a non-empty list of { article, <authorisation keys> }');
    } else {
      const seen = new Map<string, number>();
      raw.articles.forEach((a, j) => {
        const ap = `${path}.articles[${j}]`;
        if (!isObj(a) || typeof a.article !== 'string' || a.article.trim() === '') {
          bad('CATALOGUE_FIELD_MISSING', ap, 'an article entry needs article (the text citations use, e.g. "Art. 16") and what it authorises');
          return;
        }
        const norm = normaliseArticle(a.article);
        const k = seen.get(norm);
        if (k !== undefined) bad('CATALOGUE_DUPLICATE_ID', `${ap}.article`, `article "${a.article}" is already listed at articles[${k}]`);
        seen.set(norm, j);
        const { article, ...rest } = a;
        const auth = checkAuthorisation(sink, rest, ap, () => { ok = false; });
        if (auth) articles.push({ article: article as string, authorises: auth });
      });
    }
  }

  // The registry's own texts are screened like every catalogue text; a protection statute's
  // protected categories are exempt in its titles and note (it names what it protects).
  const allow = authorises?.protects?.length ? new Set<ScreenCategory>(authorises.protects) : undefined;
  const texts: [string, string | undefined][] = [['title', title], ['titleZh', titleZh], ['issuer', issuer], ['note', note]];
  for (const [key, text] of texts) {
    if (!text) continue;
    for (const h of screenText(text, { allow })) {
      bad('CATALOGUE_SPECIAL_CATEGORY_TERM', `${path}.${key}`, `${key} names "${h.term}", a term of ${h.category} (${SCREEN_LABELS[h.category]}); only a protection statute (authorises.protects) may name the category it protects`, h.category);
    }
  }
  if (!ok || !id || !kind || !title || !titleZh || !issuer || !date || !url || !authorises) return undefined;
  const e: LegalBasisEntry = { id, kind, title, titleZh, issuer, date, url, authorises, articles };
  if (amended) e.amended = amended;
  if (note) e.note = note;
  if (objectionDays !== undefined) e.objectionDays = objectionDays;
  return e;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkAuthorisation(sink: ProblemSink, raw: unknown, path: string, fail: () => void): Authorisation | undefined {
  if (!isObj(raw)) {
    sink.add('CATALOGUE_FIELD_TYPE', path, `authorises must be a mapping (${AUTH_FIELDS.join(', ')}), got ${describe(raw)}`);
    fail();
    return undefined;
  }
  let ok = true;
  const bad = (code: string, p: string, m: string) => {
    ok = false;
    sink.add(code, p, m);
  };
  for (const k of Object.keys(raw)) {
    if (!(AUTH_FIELDS as readonly string[]).includes(k)) bad('CATALOGUE_UNKNOWN_FIELD', `${path}.${k}`, `unknown field "${k}" in an authorisation (allowed: ${AUTH_FIELDS.join(', ')})`);
  }
  const a: Authorisation = {};
  const strings = (key: string, allowed?: readonly string[], what = 'names'): string[] | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
      bad('CATALOGUE_FIELD_TYPE', `${path}.${key}`, `${key} must be a non-empty list of ${what}`);
      return undefined;
    }
    const wrong = allowed ? (v as string[]).filter((x) => !allowed.includes(x)) : [];
    if (wrong.length > 0) {
      bad('CATALOGUE_FIELD_TYPE', `${path}.${key}`, `${key} names ${wrong.map((x) => `"${x}"`).join(', ')}; allowed: ${allowed!.join(', ')}`);
      return undefined;
    }
    return [...new Set(v as string[])];
  };
  const categories = strings('categories', ALLOWED_CATEGORIES, 'record categories');
  if (categories) a.categories = categories as Category[];
  const directGrades = strings('directGrades', undefined, 'grade names');
  if (directGrades) a.directGrades = directGrades;
  const protects = strings('protects', [...SPECIAL_SCREEN_CATEGORIES], 'special categories');
  if (protects) a.protects = protects as ScreenCategory[];
  if (raw.points !== undefined) {
    const p = raw.points;
    if (!isObj(p) || !isNum(p.min) || !isNum(p.max) || !Number.isInteger(p.min) || !Number.isInteger(p.max) || p.min > p.max || Object.keys(p).some((k) => k !== 'min' && k !== 'max')) {
      bad('CATALOGUE_FIELD_TYPE', `${path}.points`, `points must be { min, max } with integers min <= max, got ${JSON.stringify(p)}`);
    } else {
      a.points = { min: p.min, max: p.max };
    }
  }
  if (raw.lists !== undefined) {
    if (!Array.isArray(raw.lists) || raw.lists.length === 0) {
      bad('CATALOGUE_FIELD_TYPE', `${path}.lists`, 'lists must be a non-empty list of { list, maxPeriod?, sourceKinds? }');
    } else {
      const out: NonNullable<Authorisation['lists']> = [];
      raw.lists.forEach((l, j) => {
        const lp = `${path}.lists[${j}]`;
        if (!isObj(l) || typeof l.list !== 'string' || l.list.trim() === '') return bad('CATALOGUE_FIELD_MISSING', lp, 'a list authorisation names its list: { list: <list id>, maxPeriod?: P5Y, sourceKinds?: [court] }');
        const extra = Object.keys(l).filter((k) => !['list', 'maxPeriod', 'sourceKinds'].includes(k));
        if (extra.length > 0) return bad('CATALOGUE_UNKNOWN_FIELD', `${lp}.${extra[0]}`, `unknown field "${extra[0]}" in a list authorisation (allowed: list, maxPeriod, sourceKinds)`);
        const item: NonNullable<Authorisation['lists']>[number] = { list: l.list };
        if (l.maxPeriod !== undefined) {
          if (typeof l.maxPeriod !== 'string' || !parseDuration(l.maxPeriod)) return bad('CATALOGUE_BAD_RETENTION', `${lp}.maxPeriod`, `maxPeriod ${JSON.stringify(l.maxPeriod)} is not an ISO-8601 duration (e.g. P3Y)`);
          item.maxPeriod = l.maxPeriod;
        }
        if (l.sourceKinds !== undefined) {
          const kinds = l.sourceKinds;
          if (!Array.isArray(kinds) || kinds.length === 0 || kinds.some((k) => !(SOURCE_KINDS as readonly unknown[]).includes(k))) {
            return bad('CATALOGUE_FIELD_TYPE', `${lp}.sourceKinds`, `sourceKinds must be a non-empty list of ${SOURCE_KINDS.join(', ')}`);
          }
          item.sourceKinds = kinds as Source['kind'][];
        }
        out.push(item);
      });
      a.lists = out;
    }
  }
  if (raw.crossContext !== undefined) {
    if (!Array.isArray(raw.crossContext) || raw.crossContext.length === 0) {
      bad('CATALOGUE_FIELD_TYPE', `${path}.crossContext`, 'crossContext must be a non-empty list of { from, to }');
    } else {
      const out: { from: string; to: string }[] = [];
      raw.crossContext.forEach((c, j) => {
        const cp = `${path}.crossContext[${j}]`;
        if (!isObj(c) || typeof c.from !== 'string' || typeof c.to !== 'string' || Object.keys(c).length !== 2) {
          return bad('CATALOGUE_FIELD_TYPE', cp, 'a cross-context authorisation is { from: <context or domain>, to: <context or domain> }');
        }
        for (const k of ['from', 'to'] as const) {
          const v = c[k] as string;
          if (!Object.hasOwn(DOMAIN_TAXONOMY, v) && !DOMAINS.has(v)) {
            return bad('CATALOGUE_UNKNOWN_DOMAIN', `${cp}.${k}`, `${k} "${v}" is neither a context nor a domain of the closed taxonomy (contexts: ${Object.keys(DOMAIN_TAXONOMY).join(', ')})`);
          }
        }
        out.push({ from: c.from, to: c.to });
      });
      a.crossContext = out;
    }
  }
  if (!ok) fail();
  return ok ? a : undefined;
}

// ---------------------------------------------------------------------------------------
// Citations

/**
 * Reads a `legalBasis` value: one citation or a list of them, each `"<id> <article>"` or
 * `{ ref, article }`. Reports a missing basis, a malformed citation, an id the registry does
 * not hold (with the nearest ids) and a citation without an article. `known` holds ids that
 * exist but whose entries have problems of their own (not reported again).
 */
export function parseCitations(
  sink: ProblemSink,
  raw: unknown,
  path: string,
  what: string,
  registry: Registry,
  known: ReadonlySet<string> = new Set(),
): Citation[] | undefined {
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '') || (Array.isArray(raw) && raw.length === 0)) {
    sink.add('CATALOGUE_NO_LEGAL_BASIS', path, `${what} has no legal basis: cite an entry of the legal-basis registry (catalogue/legal-bases.yaml) with its article, e.g. "road-traffic-safety-law Art. 91"`);
    return undefined;
  }
  const items = Array.isArray(raw) ? raw : [raw];
  const out: Citation[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const p = Array.isArray(raw) ? `${path}[${i}]` : path;
    let ref: string;
    let article: string;
    if (typeof item === 'string') {
      ({ ref, article } = splitCitation(item));
    } else if (isObj(item) && typeof item.ref === 'string' && (item.article === undefined || typeof item.article === 'string') && Object.keys(item).every((k) => k === 'ref' || k === 'article')) {
      ref = item.ref.trim();
      article = (item.article ?? '').trim();
    } else {
      sink.add('CATALOGUE_FIELD_TYPE', p, `a citation is "<registry id> <article>" or { ref, article }, got ${describe(item)}`);
      ok = false;
      return;
    }
    if (!registry.has(ref) && !known.has(ref)) {
      const near = nearest(ref, [...registry.keys()]);
      sink.add(
        'CATALOGUE_UNKNOWN_LEGAL_BASIS',
        p,
        `${what} cites "${typeof item === 'string' ? item : ref}", but "${ref}" is not an entry of the legal-basis registry (catalogue/legal-bases.yaml); a citation is "<registry id> <article>"${near.length ? `; did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : ''}`,
      );
      ok = false;
      return;
    }
    if (article === '') {
      sink.add('CATALOGUE_CITATION_NO_ARTICLE', p, `${what} cites ${ref} without an article: name the article or pinpoint relied on, e.g. "${ref} Art. 5" (or "${ref} (whole text)")`);
      ok = false;
      return;
    }
    out.push({ ref, article });
  });
  return ok ? out : undefined;
}

/** `"<id> <article>"` as written: the id is the first word, the rest the article (maybe empty). */
export function splitCitation(text: string): Citation {
  const t = text.trim();
  const sp = t.search(/\s/);
  return sp < 0 ? { ref: t, article: '' } : { ref: t.slice(0, sp), article: t.slice(sp).trim() };
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function nearest(ref: string, ids: string[]): string[] {
  const r = ref.toLowerCase();
  return ids
    .map((id) => ({ id, d: id.includes(r) || (r.length >= 4 && r.includes(id)) ? 0 : distance(r, id) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(x.id.length / 3)))
    .sort((a, b) => a.d - b.d || a.id.localeCompare(b.id))
    .slice(0, 3)
    .map((x) => x.id);
}

/** The authorisation a citation carries: the article's keys over the entry's. */
export function authorisationOf(c: Citation, registry: Registry): Authorisation {
  const e = registry.get(c.ref);
  if (!e) return {};
  const art = e.articles.find((a) => normaliseArticle(a.article) === normaliseArticle(c.article));
  return art ? { ...e.authorises, ...art.authorises } : e.authorises;
}

/** The citations as people read them: `<title>, <article>; ...`. */
export function renderCitations(citations: readonly Citation[], registry: Registry): string {
  return citations
    .map((c) => {
      const e = registry.get(c.ref);
      return e ? `${e.title}, ${c.article}` : `${c.ref} ${c.article}`;
    })
    .join('; ');
}

/** `a, b` -> "a or b", for messages. */
export const citedIds = (citations: readonly Citation[]): string => [...new Set(citations.map((c) => `${c.ref} ${c.article}`))].join('; ');

// ---------------------------------------------------------------------------------------
// What the citations authorise

/**
 * Days a source has to answer a dispute of a record standing on these citations: the shortest
 * period any cited entry sets (`objectionDays`), else DEFAULT_DISPUTE_DAYS.
 */
export function disputeDaysOf(citations: readonly Citation[], registry: Registry): number {
  let days = Number.POSITIVE_INFINITY;
  for (const c of citations) {
    const d = registry.get(c.ref)?.objectionDays;
    if (d !== undefined && d < days) days = d;
  }
  return Number.isFinite(days) ? days : DEFAULT_DISPUTE_DAYS;
}

export function authorisesCategory(citations: readonly Citation[], registry: Registry, category: Category): boolean {
  return citations.some((c) => authorisationOf(c, registry).categories?.includes(category));
}

export function protectsAll(citations: readonly Citation[], registry: Registry, categories: readonly ScreenCategory[]): ScreenCategory[] {
  return categories.filter((cat) => !citations.some((c) => authorisationOf(c, registry).protects?.includes(cat)));
}

/** The point ranges the citations authorise (empty: none authorises points). */
export function pointRanges(citations: readonly Citation[], registry: Registry): { min: number; max: number; citation: Citation }[] {
  return citations.flatMap((c) => {
    const p = authorisationOf(c, registry).points;
    return p ? [{ ...p, citation: c }] : [];
  });
}

export function authorisesDirectGrade(citations: readonly Citation[], registry: Registry, grade: string): boolean {
  return citations.some((c) => authorisationOf(c, registry).directGrades?.includes(grade));
}

/**
 * The list authorisations of `list` among the citations. Several: the longest maxPeriod
 * applies (absent = no maximum from the registry), and the source kinds of all of them.
 */
export function listAuthorisation(citations: readonly Citation[], registry: Registry, list: string): { maxPeriod: Duration | null; maxPeriodText: string | null; sourceKinds: Source['kind'][] | null } | undefined {
  const found = citations.flatMap((c) => (authorisationOf(c, registry).lists ?? []).filter((l) => l.list === list));
  if (found.length === 0) return undefined;
  let maxPeriod: Duration | null = null;
  let maxPeriodText: string | null = null;
  if (found.every((l) => l.maxPeriod !== undefined)) {
    for (const l of found) {
      const d = parseDuration(l.maxPeriod!)!;
      if (maxPeriod === null || compareDurations(d, maxPeriod) > 0) {
        maxPeriod = d;
        maxPeriodText = l.maxPeriod!;
      }
    }
  }
  const sourceKinds = found.every((l) => l.sourceKinds) ? [...new Set(found.flatMap((l) => l.sourceKinds!))] : null;
  return { maxPeriod, maxPeriodText, sourceKinds };
}

/** Compares two durations by their length from a fixed instant (calendar-aware). */
export function compareDurations(a: Duration, b: Duration): number {
  const t0 = Date.UTC(2000, 0, 1);
  return addDuration(t0, a) - addDuration(t0, b);
}

/** Whether a cross-context authorisation end (`from`/`to`) covers a domain: the domain itself or its context. */
const covers = (spec: string, domain: string): boolean => spec === domain || spec === DOMAINS.get(domain);

export function authorisesCrossContext(citations: readonly Citation[], registry: Registry, triggerDomain: string, measureDomain: string): boolean {
  return citations.some((c) => (authorisationOf(c, registry).crossContext ?? []).some((x) => covers(x.from, triggerDomain) && covers(x.to, measureDomain)));
}
