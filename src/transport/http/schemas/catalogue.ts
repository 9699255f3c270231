// Wire shapes of the public catalogue, converted by hand from the domain types. Each DTO builds
// exactly the object its schema describes, and the schema serialises it (a property it does not
// name is dropped), so a field added to a domain type stays off the wire until it is added here.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { renderCitations, splitCitation } from '../../../domain/legal-bases.ts';
import type { CompiledScheme } from '../../../domain/scheme-compile.ts';
import {
  ALLOWED_CATEGORIES, LEGAL_BASIS_KINDS, PURPOSE_KINDS,
  type Authorisation, type Citation, type CitationInput, type LegalBasisEntry, type ListDefinition, type Measure, type Purpose, type RecordType, type Scheme, type Source,
} from '../../../domain/types.ts';
import { IsoTimeOrNull, Nullable, StringEnum } from './common.ts';

const SOURCE_KINDS = ['agency', 'court', 'grid-office', 'enterprise', 'other'] as const satisfies readonly Source['kind'][];
const MEASURE_EFFECTS = ['deny', 'allow_with_conditions', 'waive_deposit', 'priority'] as const satisfies readonly Measure['effect'][];

// ---------------------------------------------------------------------------------------
// Citations and the legal-basis registry

export const CitationOut = Type.Object({
  ref: Type.String({ description: 'the registry entry (GET /v1/catalogue/legal-bases)' }),
  article: Type.String({ description: 'the article or pinpoint relied on' }),
}, { additionalProperties: false, description: 'one citation of the legal-basis registry' });
const Citations = Type.Array(CitationOut, { description: 'the registry entries and articles cited' });
const LegalBasisText = Type.String({ description: 'the citations, rendered for people ("<title>, <article>; ...")' });

/** A citation on the wire: the registry entry (GET /v1/catalogue/legal-bases) and the article. */
const citationDto = (c: Citation): Static<typeof CitationOut> => ({ ref: c.ref, article: c.article });
/** A scheme's citations as written (`"<id> <article>"`, `{ref, article}` or a list), read for the wire. */
const citationsOf = (raw: CitationInput | undefined): Citation[] =>
  raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map((c) => (typeof c === 'string' ? splitCitation(c) : { ref: c.ref, article: c.article }));

export const AuthorisationOut = Type.Object({
  categories: Type.Optional(Type.Array(StringEnum(ALLOWED_CATEGORIES), { description: 'record-type categories whose records it allows collecting and delivering' })),
  points: Type.Optional(Type.Object({ min: Type.Integer(), max: Type.Integer() }, { additionalProperties: false, description: 'points a scheme rule citing it may give (per unit for a `per` rule)' })),
  directGrades: Type.Optional(Type.Array(Type.String(), { description: 'grades a rule citing it may set directly' })),
  lists: Type.Optional(Type.Array(Type.Object({
    list: Type.String(),
    maxPeriod: Type.Optional(Type.String({ description: 'ISO-8601 duration: the longest listing it allows' })),
    sourceKinds: Type.Optional(Type.Array(StringEnum(SOURCE_KINDS), { description: 'the kinds of source that may deliver a listing' })),
  }, { additionalProperties: false }), { description: 'lists it allows' })),
  crossContext: Type.Optional(Type.Array(Type.Object({
    from: Type.String({ description: 'trigger context or domain' }),
    to: Type.String({ description: 'measure context or domain' }),
  }, { additionalProperties: false }), { description: 'cross-context measures it allows' })),
  protects: Type.Optional(Type.Array(Type.String(), { description: 'special categories it protects (record types citing it may declare `protects`)' })),
}, { additionalProperties: false, description: 'what a statute (or one of its articles) allows the catalogue and the schemes to do; absent keys allow nothing' });

export const LegalBasisOut = Type.Object({
  id: Type.String(),
  kind: StringEnum(LEGAL_BASIS_KINDS),
  title: Type.String(),
  titleZh: Type.String(),
  issuer: Type.String(),
  date: Type.String({ description: 'adopted or issued, YYYY-MM-DD' }),
  amended: Nullable(Type.String({ description: 'last amended, YYYY-MM-DD, or null' })),
  url: Type.String({ description: 'where the text is published' }),
  note: Nullable(Type.String({ description: 'what was and was not verified of the source, or null' })),
  authorises: AuthorisationOut,
  articles: Type.Array(Type.Object({
    article: Type.String({ description: 'the article, as citations write it (e.g. "Art. 16")' }),
    authorises: AuthorisationOut,
  }, { additionalProperties: false }), { description: 'articles with their own authorisation: it replaces the entry-level keys it sets' }),
}, { additionalProperties: false, description: 'a statute, regulation or document of the legal-basis registry' });

const authorisationDto = (a: Authorisation): Static<typeof AuthorisationOut> => ({
  ...(a.categories ? { categories: [...a.categories] } : {}),
  ...(a.points ? { points: { min: a.points.min, max: a.points.max } } : {}),
  ...(a.directGrades ? { directGrades: [...a.directGrades] } : {}),
  ...(a.lists ? { lists: a.lists.map((l) => ({ list: l.list, ...(l.maxPeriod !== undefined ? { maxPeriod: l.maxPeriod } : {}), ...(l.sourceKinds ? { sourceKinds: [...l.sourceKinds] } : {}) })) } : {}),
  ...(a.crossContext ? { crossContext: a.crossContext.map((x) => ({ from: x.from, to: x.to })) } : {}),
  ...(a.protects ? { protects: [...a.protects] } : {}),
});

export const legalBasisDto = (e: LegalBasisEntry): Static<typeof LegalBasisOut> => ({
  id: e.id, kind: e.kind, title: e.title, titleZh: e.titleZh, issuer: e.issuer, date: e.date, amended: e.amended ?? null, url: e.url, note: e.note ?? null,
  authorises: authorisationDto(e.authorises), articles: e.articles.map((a) => ({ article: a.article, authorises: authorisationDto(a.authorises) })),
});

// ---------------------------------------------------------------------------------------
// Record types, sources, lists, measures, purposes

export const RecordTypeOut = Type.Object({
  code: Type.String({ description: 'the type\'s code, <category>.<name>' }),
  title: Type.String(),
  description: Type.String(),
  category: StringEnum(ALLOWED_CATEGORIES),
  domain: Type.String({ description: 'the domain the data is generated in (a measure of another context is cross-context)' }),
  subjectKinds: Type.Array(StringEnum(['person', 'organisation'] as const), { description: 'who records of this type may be about' }),
  legalBasis: LegalBasisText,
  citations: Citations,
  polarity: StringEnum(['adverse', 'favourable', 'neutral'] as const),
  retention: Type.String({ description: 'ISO-8601 duration a record is kept and counts (e.g. P5Y)' }),
  payloadSchema: Type.Object({}, { additionalProperties: true, description: 'the JSON Schema (draft 2020-12 subset) a record\'s payload must match' }),
}, { additionalProperties: false, description: 'a record type of the catalogue' });

export const RecordTypesOut = Type.Object({
  items: Type.Array(RecordTypeOut, { description: 'by code' }),
  next: Nullable(Type.String({ description: 'the `after` of the next page, or null on the last page' })),
}, {
  additionalProperties: false,
  description: 'a page of record types',
  examples: [{
    items: [{ code: 'traffic.red_light', title: 'Running a red light', description: 'Traffic police imposed a penalty for crossing against a red traffic signal.', category: 'traffic', domain: 'traffic', subjectKinds: ['person'], legalBasis: 'Road Traffic Safety Law, Art. 38', citations: [{ ref: 'road-traffic-safety-law', article: 'Art. 38' }], polarity: 'adverse', retention: 'P2Y', payloadSchema: { type: 'object', properties: { location: { type: 'string' } } } }],
    next: 'traffic.red_light',
  }],
});

export const recordTypeDto = (t: RecordType): Static<typeof RecordTypeOut> => ({
  code: t.code, title: t.title, description: t.description, category: t.category, domain: t.domain,
  subjectKinds: [...t.subjectKinds], legalBasis: t.legalBasis, citations: t.citations.map((c) => citationDto(c)), polarity: t.polarity, retention: t.retention, payloadSchema: t.payloadSchema,
});

export const SourceOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: StringEnum(SOURCE_KINDS),
  domain: Type.String(),
  legalBasis: LegalBasisText,
  citations: Citations,
  recordTypes: Type.Array(Type.String(), { description: 'the record types it may submit' }),
}, { additionalProperties: false, description: 'a registered source' });

export const sourceDto = (s: Source): Static<typeof SourceOut> => ({ id: s.id, name: s.name, kind: s.kind, domain: s.domain, legalBasis: s.legalBasis, citations: s.citations.map((c) => citationDto(c)), recordTypes: [...s.recordTypes] });

export const RestorationOut = Type.Object({
  after: Type.String({ description: 'ISO-8601 duration: the minimum time on the list before an application for restoration is taken' }),
  decisionWorkingDays: Type.Integer({ description: 'working days a reviewer has to decide an application' }),
  legalBasis: Type.String(),
}, { additionalProperties: false, description: 'credit restoration: how a listed subject may apply to leave the list early' });

export const ListOut = Type.Object({
  id: Type.String(),
  title: Type.String(),
  kind: StringEnum(['black', 'red'] as const, 'black: a list of sanctions; red: a list of honours'),
  domain: Type.String(),
  legalBasis: LegalBasisText,
  citations: Citations,
  public: Type.Boolean({ description: 'its entries are shown without a key (GET /v1/lists/{list}/entries)' }),
  description: Type.String(),
  restoration: Nullable(Type.Object(RestorationOut.properties, { additionalProperties: false, description: 'credit restoration: how a listed subject may apply to leave the list early; null: no such way (the listing ends at its statutory end, or by the body that listed)' })),
}, { additionalProperties: false, description: 'a list definition' });

export const listDto = (l: ListDefinition): Static<typeof ListOut> => ({
  id: l.id, title: l.title, kind: l.kind, domain: l.domain, legalBasis: l.legalBasis, citations: l.citations.map((c) => citationDto(c)), public: l.public, description: l.description,
  restoration: l.restoration ? { after: l.restoration.after, decisionWorkingDays: l.restoration.decisionWorkingDays, legalBasis: l.restoration.legalBasis } : null,
});

export const MeasureTriggerOut = Type.Object({
  list: Type.Optional(Type.String({ description: 'an entry on this list triggers the measure' })),
  grades: Type.Optional(Type.Array(Type.String(), { description: 'one of these grades under `scheme` triggers the measure' })),
  scheme: Type.Optional(Type.String({ description: 'with grades: the scheme id' })),
  recordType: Type.Optional(Type.String({ description: 'a counting record of this type triggers the measure' })),
}, { additionalProperties: false, description: 'what triggers the measure: a list, grades of a scheme, or a record type' });

export const MeasureOut = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String({ description: 'plain-language description, or null' })),
  domain: Type.String({ description: 'the domain the measure is taken in' }),
  trigger: MeasureTriggerOut,
  effect: StringEnum(MEASURE_EFFECTS, 'what the measure does when its trigger applies'),
  conditions: Type.Array(Type.String(), { description: 'the conditions attached (allow_with_conditions), or the standard terms of a reward not granted' }),
  legalBasis: LegalBasisText,
  citations: Citations,
  crossContext: Type.Boolean({ description: 'the trigger comes from another context of the domain taxonomy' }),
  contest: Type.String({ description: 'how a subject contests a decision under it' }),
  purposes: Type.Array(Type.String(), { description: 'the purposes a provider may state when asking about it (GET /v1/catalogue/purposes)' }),
}, { additionalProperties: false, description: 'a measure: what a provider may do about a subject, and on what ground' });

export const measureDto = (m: Measure): Static<typeof MeasureOut> => ({
  id: m.id, title: m.title, description: m.description ?? null, domain: m.domain, trigger: triggerDto(m.trigger), effect: m.effect,
  conditions: m.conditions ? [...m.conditions] : [], legalBasis: m.legalBasis, citations: m.citations.map((c) => citationDto(c)), crossContext: m.crossContext, contest: m.contest,
  purposes: [...m.purposes],
});
const triggerDto = (t: Measure['trigger']): Static<typeof MeasureTriggerOut> =>
  'list' in t ? { list: t.list } : 'grades' in t ? { grades: [...t.grades], scheme: t.scheme } : { recordType: t.recordType };

export const PurposeOut = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  kind: StringEnum(PURPOSE_KINDS, 'subject-initiated: the subject started it; consent: a look-up needs a consent token the subject issued; statutory: a public body\'s legal duty'),
  pastDates: Type.Boolean({ description: 'a provider stating it may ask about a past instant (asOf); otherwise the present only' }),
  legalBasis: LegalBasisText,
  citations: Citations,
}, { additionalProperties: false, description: 'why a provider may look a subject up' });

export const purposeDto = (p: Purpose): Static<typeof PurposeOut> => ({
  id: p.id, title: p.title, description: p.description ?? null, kind: p.kind, pastDates: p.pastDates,
  legalBasis: p.legalBasis, citations: p.citations.map((c) => citationDto(c)),
});

// ---------------------------------------------------------------------------------------
// Schemes (also GET/POST /v1/schemes... in routes/schemes.ts)

export const SchemeRuleOut = Type.Object({
  id: Type.String(),
  recordType: Type.String(),
  title: Type.String(),
  when: Nullable(Type.String({ description: 'CEL condition over `record`, or null: always' })),
  points: Type.Object({
    fixed: Type.Optional(Type.Number({ description: 'fixed points per record' })),
    field: Type.Optional(Type.String({ description: 'or: the payload field the points are taken from, bounded by min and max' })),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
  }, { additionalProperties: false, description: 'either { fixed } or { field, min, max }' }),
  per: Nullable(Type.String({ description: 'an integer payload field the points are multiplied by, or null' })),
  cap: Nullable(Type.Object({
    period: StringEnum(['day', 'month', 'year'] as const),
    points: Type.Number({ description: 'the largest absolute sum of the rule\'s points per calendar period' }),
  }, { additionalProperties: false, description: 'a cap per calendar period, or null' })),
  lifetime: Nullable(Type.String({ description: 'ISO-8601 duration the points count, or null: the record type\'s retention' })),
  directGrade: Nullable(Type.Object({
    grade: Type.String({ description: 'while the record counts, the grade is at most this one' }),
    ground: Type.String(),
    citations: Citations,
  }, { additionalProperties: false, description: 'a direct grading, or null' })),
  source: Type.String({ description: 'where the rule comes from (the published scale it reproduces)' }),
  citations: Type.Array(CitationOut, { description: 'what allows these points (empty: the record type\'s citations)' }),
}, { additionalProperties: false });

export const SchemeListRuleOut = Type.Object({
  list: Type.String(),
  grades: Nullable(Type.Array(Type.String(), { description: 'grade-triggered: on the list while the grade is one of these; else null' })),
  recordType: Nullable(Type.String({ description: 'record-triggered: the listing record type; else null' })),
  endField: Nullable(Type.String({ description: 'the payload field holding the statutory end date, or null' })),
  duration: Nullable(Type.String({ description: 'ISO-8601 duration of a listing without endField, or null' })),
  endedBy: Nullable(Type.Array(Type.String(), { description: 'record types that end a listing early (e.g. a court delisting), or null' })),
  legalBasis: Nullable(Type.String({ description: 'the citations, rendered for people (null where the registry was not at hand)' })),
  citations: Citations,
}, { additionalProperties: false });

export const SchemeOut = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  key: Type.String({ description: 'ID@VERSION' }),
  title: Type.String(),
  status: StringEnum(['draft', 'published'] as const),
  publishedAt: IsoTimeOrNull('when it was published, or null for a draft'),
  base: Type.Number({ description: 'the score before any record' }),
  range: Nullable(Type.Object({ min: Type.Number(), max: Type.Number() }, { additionalProperties: false, description: 'the score is clamped to it, or null' })),
  defaultGrade: Type.String({ description: 'the grade of a subject without records' }),
  bands: Type.Array(Type.Object({
    grade: Type.String(),
    label: Type.String(),
    min: Nullable(Type.Number({ description: 'inclusive lower bound, or null: unbounded' })),
    max: Nullable(Type.Number({ description: 'inclusive upper bound, or null: unbounded' })),
  }, { additionalProperties: false }), { description: 'grade bands, best first' }),
  rules: Type.Array(SchemeRuleOut),
  listRules: Type.Array(SchemeListRuleOut),
}, { additionalProperties: false, description: 'a scheme version: rules and grade bands' });

export const schemeDto = (s: Scheme, publishedAt: number | null, registry?: ReadonlyMap<string, LegalBasisEntry>): Static<typeof SchemeOut> => ({
  id: s.id, version: s.version, key: `${s.id}@${s.version}`, title: s.title, status: s.status, publishedAt: publishedAt === null ? null : new Date(publishedAt).toISOString(),
  base: s.base, range: s.range ? { min: s.range.min, max: s.range.max } : null, defaultGrade: s.defaultGrade,
  bands: s.bands.map((b) => ({ grade: b.grade, label: b.label, min: b.min, max: b.max })),
  rules: s.rules.map((r) => ({
    id: r.id, recordType: r.recordType, title: r.title, when: r.when ?? null,
    points: 'fixed' in r.points ? { fixed: r.points.fixed } : { field: r.points.field, min: r.points.min, max: r.points.max },
    per: r.per ?? null, cap: r.cap ? { period: r.cap.period, points: r.cap.points } : null, lifetime: r.lifetime ?? null,
    directGrade: r.directGrade ? { grade: r.directGrade.grade, ground: r.directGrade.ground, citations: citationsOf(r.directGrade.legalBasis).map(citationDto) } : null,
    source: r.source, citations: citationsOf(r.legalBasis).map(citationDto),
  })),
  listRules: s.listRules.map((l) => ({ list: l.list, grades: l.grades ? [...l.grades] : null, recordType: l.recordType ?? null, endField: l.endField ?? null, duration: l.duration ?? null, endedBy: l.endedBy ? [...l.endedBy] : null,
    legalBasis: registry ? renderCitations(citationsOf(l.legalBasis), registry) : null, citations: citationsOf(l.legalBasis).map(citationDto) })),
});
export const compiledSchemeDto = (c: CompiledScheme) => schemeDto(c.scheme, null);

// ---------------------------------------------------------------------------------------
// The answers of the catalogue routes

const items = <T extends TSchema>(item: T, description: string, example: unknown) =>
  Type.Object({ items: Type.Array(item) }, { additionalProperties: false, description, examples: [{ items: [example] }] });

const CITATION_EXAMPLE = { ref: 'road-traffic-safety-law', article: 'Art. 91' };

export const SourcesOut = items(SourceOut, 'the registered sources', {
  id: 'traffic-police', name: 'Rongcheng traffic police', kind: 'agency', domain: 'traffic', legalBasis: 'Road Traffic Safety Law, Art. 91', citations: [CITATION_EXAMPLE], recordTypes: ['traffic.red_light', 'traffic.drunk_driving'],
});
export const ListsOut = items(ListOut, 'the list definitions', {
  id: 'judgment-defaulters', title: 'Judgment defaulters', kind: 'black', domain: 'courts', legalBasis: 'SPC Provisions on the list of dishonest judgment debtors, Art. 1', citations: [{ ref: 'spc-defaulter-list-provisions', article: 'Art. 1' }], public: true,
  description: 'Persons who are able to comply with an effective judgment and refuse to.', restoration: null,
});
export const MeasuresOut = items(MeasureOut, 'the measures', {
  id: 'defaulter.no_g_train', title: 'No G-series high-speed train seats', description: null, domain: 'transport', trigger: { list: 'judgment-defaulters' }, effect: 'deny', conditions: [],
  legalBasis: 'SPC Provisions on restricting high consumption, Art. 3', citations: [{ ref: 'spc-high-consumption-provisions', article: 'Art. 3' }], crossContext: true, contest: 'apply to the enforcing court', purposes: ['ticket-sale', 'boarding'],
});
export const SchemesOut = items(SchemeOut, 'the scheme versions in force', {
  id: 'rongcheng', version: 1, key: 'rongcheng@1', title: 'Rongcheng social credit', status: 'published', publishedAt: '2026-01-01T00:00:00.000Z', base: 1000, range: null, defaultGrade: 'A',
  bands: [{ grade: 'AAA', label: 'exemplary', min: 1050, max: null }, { grade: 'A', label: 'honest', min: 960, max: 1049 }, { grade: 'D', label: 'dishonest', min: null, max: 599 }],
  rules: [{ id: 'red-light', recordType: 'traffic.red_light', title: 'Ran a red light', when: null, points: { fixed: -5 }, per: null, cap: null, lifetime: null, directGrade: null, source: 'Deutschlandfunk 2017 (-5)', citations: [] }],
  listRules: [{ list: 'judgment-defaulters', grades: null, recordType: 'courts.defaulter_listing', endField: 'end_date', duration: null, endedBy: ['courts.defaulter_delisting'], legalBasis: 'SPC Provisions on the list of dishonest judgment debtors, Art. 1', citations: [{ ref: 'spc-defaulter-list-provisions', article: 'Art. 1' }] }],
});
export const LegalBasesOut = items(LegalBasisOut, 'the legal-basis registry', {
  id: 'road-traffic-safety-law', kind: 'law', title: 'Road Traffic Safety Law of the People\'s Republic of China', titleZh: '中华人民共和国道路交通安全法', issuer: 'NPC Standing Committee', date: '2003-10-28', amended: '2021-04-29',
  url: 'https://www.gov.cn/', note: null, authorises: { categories: ['traffic'] }, articles: [{ article: 'Art. 91', authorises: { categories: ['traffic'], points: { min: -50, max: 0 } } }],
});
export const PurposesOut = items(PurposeOut, 'the purposes a provider may declare', {
  id: 'ticket-sale', title: 'Selling a ticket', description: null, kind: 'subject-initiated', pastDates: false, legalBasis: 'SPC Provisions on restricting high consumption, Art. 3', citations: [{ ref: 'spc-high-consumption-provisions', article: 'Art. 3' }],
});
