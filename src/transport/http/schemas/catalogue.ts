// Wire shapes of the public catalogue, converted by hand from the domain types.
import type { CompiledScheme } from '../../../domain/scheme-compile.ts';
import type { ListDefinition, Measure, RecordType, Scheme, Source } from '../../../domain/types.ts';

export const recordTypeDto = (t: RecordType) => ({
  code: t.code, title: t.title, description: t.description, category: t.category, domain: t.domain,
  subjectKinds: [...t.subjectKinds], legalBasis: t.legalBasis, polarity: t.polarity, retention: t.retention, payloadSchema: t.payloadSchema,
});
export const sourceDto = (s: Source) => ({ id: s.id, name: s.name, kind: s.kind, domain: s.domain, legalBasis: s.legalBasis, recordTypes: [...s.recordTypes] });
export const listDto = (l: ListDefinition) => ({ id: l.id, title: l.title, kind: l.kind, domain: l.domain, legalBasis: l.legalBasis, public: l.public, description: l.description });
export const measureDto = (m: Measure) => ({
  id: m.id, title: m.title, description: m.description ?? null, domain: m.domain, trigger: { ...m.trigger }, effect: m.effect,
  conditions: m.conditions ?? [], legalBasis: m.legalBasis, crossContext: m.crossContext, contest: m.contest,
});
export const schemeDto = (s: Scheme, publishedAt: number | null) => ({
  id: s.id, version: s.version, key: `${s.id}@${s.version}`, title: s.title, status: s.status, publishedAt: publishedAt === null ? null : new Date(publishedAt).toISOString(),
  base: s.base, range: s.range ?? null, defaultGrade: s.defaultGrade,
  bands: s.bands.map((b) => ({ grade: b.grade, label: b.label, min: b.min, max: b.max })),
  rules: s.rules.map((r) => ({
    id: r.id, recordType: r.recordType, title: r.title, when: r.when ?? null, points: { ...r.points }, per: r.per ?? null,
    cap: r.cap ? { ...r.cap } : null, lifetime: r.lifetime ?? null, directGrade: r.directGrade ? { ...r.directGrade } : null, source: r.source,
  })),
  listRules: s.listRules.map((l) => ({ list: l.list, grades: l.grades ?? null, recordType: l.recordType ?? null, endField: l.endField ?? null, duration: l.duration ?? null, endedBy: l.endedBy ?? null, legalBasis: l.legalBasis })),
});
export const compiledSchemeDto = (c: CompiledScheme) => schemeDto(c.scheme, null);
