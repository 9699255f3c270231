// Test helpers: the shipped catalogue and schemes, loaded once per file, and record builders.
import path from 'node:path';
import { loadCatalogueDir } from '../../src/app/load-catalogue.ts';
import { loadSchemeDir } from '../../src/app/load-schemes.ts';
import type { CompiledScheme } from '../../src/domain/scheme-compile.ts';
import type { Catalogue, StoredRecord } from '../../src/domain/types.ts';
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
