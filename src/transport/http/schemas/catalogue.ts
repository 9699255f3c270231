// Wire shapes of the public catalogue, converted by hand from the domain types.
import { renderCitations, splitCitation } from '../../../domain/legal-bases.ts';
import type { CompiledScheme } from '../../../domain/scheme-compile.ts';
import type { Citation, CitationInput, LegalBasisEntry, ListDefinition, Measure, Purpose, RecordType, Scheme, Source } from '../../../domain/types.ts';

/** A citation on the wire: the registry entry (GET /v1/catalogue/legal-bases) and the article. */
const citationDto = (c: Citation) => ({ ref: c.ref, article: c.article });
/** A scheme's citations as written (`"<id> <article>"`, `{ref, article}` or a list), read for the wire. */
const citationsOf = (raw: CitationInput | undefined): Citation[] =>
  raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map((c) => (typeof c === 'string' ? splitCitation(c) : { ref: c.ref, article: c.article }));

export const legalBasisDto = (e: LegalBasisEntry) => ({
  id: e.id, kind: e.kind, title: e.title, titleZh: e.titleZh, issuer: e.issuer, date: e.date, amended: e.amended ?? null, url: e.url, note: e.note ?? null,
  authorises: { ...e.authorises }, articles: e.articles.map((a) => ({ article: a.article, authorises: { ...a.authorises } })),
});

export const recordTypeDto = (t: RecordType) => ({
  code: t.code, title: t.title, description: t.description, category: t.category, domain: t.domain,
  subjectKinds: [...t.subjectKinds], legalBasis: t.legalBasis, citations: t.citations.map((c) => citationDto(c)), polarity: t.polarity, retention: t.retention, payloadSchema: t.payloadSchema,
});
export const sourceDto = (s: Source) => ({ id: s.id, name: s.name, kind: s.kind, domain: s.domain, legalBasis: s.legalBasis, citations: s.citations.map((c) => citationDto(c)), recordTypes: [...s.recordTypes] });
export const listDto = (l: ListDefinition) => ({ id: l.id, title: l.title, kind: l.kind, domain: l.domain, legalBasis: l.legalBasis, citations: l.citations.map((c) => citationDto(c)), public: l.public, description: l.description,
  restoration: l.restoration ? { after: l.restoration.after, decisionWorkingDays: l.restoration.decisionWorkingDays, legalBasis: l.restoration.legalBasis } : null });
export const measureDto = (m: Measure) => ({
  id: m.id, title: m.title, description: m.description ?? null, domain: m.domain, trigger: { ...m.trigger }, effect: m.effect,
  conditions: m.conditions ?? [], legalBasis: m.legalBasis, citations: m.citations.map((c) => citationDto(c)), crossContext: m.crossContext, contest: m.contest,
  purposes: [...m.purposes],
});
export const purposeDto = (p: Purpose) => ({
  id: p.id, title: p.title, description: p.description ?? null, kind: p.kind, pastDates: p.pastDates,
  legalBasis: p.legalBasis, citations: p.citations.map((c) => citationDto(c)),
});
export const schemeDto = (s: Scheme, publishedAt: number | null, registry?: ReadonlyMap<string, LegalBasisEntry>) => ({
  id: s.id, version: s.version, key: `${s.id}@${s.version}`, title: s.title, status: s.status, publishedAt: publishedAt === null ? null : new Date(publishedAt).toISOString(),
  base: s.base, range: s.range ?? null, defaultGrade: s.defaultGrade,
  bands: s.bands.map((b) => ({ grade: b.grade, label: b.label, min: b.min, max: b.max })),
  rules: s.rules.map((r) => ({
    id: r.id, recordType: r.recordType, title: r.title, when: r.when ?? null, points: { ...r.points }, per: r.per ?? null,
    cap: r.cap ? { ...r.cap } : null, lifetime: r.lifetime ?? null,     directGrade: r.directGrade ? { grade: r.directGrade.grade, ground: r.directGrade.ground, citations: citationsOf(r.directGrade.legalBasis).map(citationDto) } : null,
    source: r.source, citations: citationsOf(r.legalBasis).map(citationDto),
  })),
  listRules: s.listRules.map((l) => ({ list: l.list, grades: l.grades ?? null, recordType: l.recordType ?? null, endField: l.endField ?? null, duration: l.duration ?? null, endedBy: l.endedBy ?? null,
    legalBasis: registry ? renderCitations(citationsOf(l.legalBasis), registry) : null, citations: citationsOf(l.legalBasis).map(citationDto) })),
});
export const compiledSchemeDto = (c: CompiledScheme) => schemeDto(c.scheme, null);
