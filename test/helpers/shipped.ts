// Test helpers: the shipped catalogue and schemes, loaded once per file, and record builders.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CATALOGUE_FILES, loadCatalogueDir } from '../../src/app/load-catalogue.ts';
import type { CatalogueInput } from '../../src/domain/catalogue-validate.ts';
import type { DecisionFacts } from '../../src/domain/decide.ts';
import { computeLedger, evaluate, spanOf } from '../../src/domain/scoring.ts';
import { loadSchemeDir } from '../../src/app/load-schemes.ts';
import type { CompiledScheme } from '../../src/domain/scheme-compile.ts';
import type { Catalogue, ScoreView, StoredRecord } from '../../src/domain/types.ts';
import { makeResidentId } from '../../src/domain/identifiers.ts';

export const CATALOGUE_DIR = path.resolve(import.meta.dirname, '..', '..', 'catalogue');

let cached: Promise<{ catalogue: Catalogue; schemes: Map<string, CompiledScheme> }> | null = null;

export function shipped() {
  cached ??= (async () => {
    const { catalogue, problems } = await loadCatalogueDir(CATALOGUE_DIR, 'default');
    if (!catalogue || problems.length > 0) throw new Error(`shipped catalogue has problems: ${JSON.stringify(problems.slice(0, 3))}`);
    const loaded = await loadSchemeDir(path.join(CATALOGUE_DIR, 'schemes'), catalogue);
    if (loaded.problems.length > 0) throw new Error(`shipped schemes have problems: ${JSON.stringify(loaded.problems.slice(0, 3))}`);
    return { catalogue, schemes: new Map(loaded.schemes.map((s) => [s.scheme.id, s])) };
  })();
  return cached;
}

/** Synthetic resident ids (Rongcheng address code 371082), valid check characters. */
export const person = (n: number) => makeResidentId('371082', '19900101', String(n % 1000).padStart(3, '0'));

export const T0 = Date.UTC(2025, 0, 1);
export const DAY = 86_400_000;

let seq = 0;
export function rec(p: Partial<StoredRecord> & { type: string }): StoredRecord {
  seq += 1;
  const occurredAt = p.occurredAt ?? T0;
  return {
    id: p.id ?? `test/${seq}`,
    seq: p.seq ?? seq,
    source: p.source ?? 'test',
    sourceRecordId: p.sourceRecordId ?? String(seq),
    subject: p.subject ?? person(1),
    occurredAt,
    recordedAt: p.recordedAt ?? occurredAt,
    payload: p.payload ?? {},
    evidence: p.evidence ?? [],
    ...p,
  };
}

/** The shipped catalogue files, parsed but not validated: a fresh copy each call, to edit. */
export function shippedInput(): CatalogueInput {
  const read = (name: string) => ({ file: name, data: parse(readFileSync(path.join(CATALOGUE_DIR, name), 'utf8')) as unknown });
  return {
    legalBases: read(CATALOGUE_FILES.legalBases),
    recordTypes: read(CATALOGUE_FILES.recordTypes),
    sources: read(CATALOGUE_FILES.sources),
    lists: read(CATALOGUE_FILES.lists),
    measures: read(CATALOGUE_FILES.measures),
  };
}

/** What decide() knows of person(1) with these records at `at`, under each of the schemes. */
export function decisionFacts(catalogue: Catalogue, schemes: readonly CompiledScheme[], records: StoredRecord[], at: number, disputed: string[] = []): DecisionFacts {
  const views = new Map<string, ScoreView>();
  for (const s of schemes) views.set(s.scheme.id, evaluate(computeLedger(person(1), records, s, catalogue), s, at));
  return { subject: person(1), known: records.length > 0, views, spans: records.map((r) => spanOf(r, catalogue)), disputed: new Set(disputed) };
}
