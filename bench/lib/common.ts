// Shared bench helpers: the shipped catalogue and schemes, simulated records, sizes, timing,
// and a CPU profile summary (top self time) for rows that miss their target.
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { loadCatalogueDir } from '../../src/app/load-catalogue.ts';
import { loadSchemeDir } from '../../src/app/load-schemes.ts';
import { simulateTown, townStart } from '../../src/app/simulate.ts';
import type { CompiledScheme } from '../../src/domain/scheme-compile.ts';
import type { Catalogue, RecordInput, StoredRecord } from '../../src/domain/types.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CATALOGUE_DIR = path.join(ROOT, 'catalogue');

export interface BenchOptions {
  quick: boolean;
  /** Size factor: 1 for the full run, 0.1 for --quick. */
  scale: number;
  runs: number;
  tmpDir: string;
  /** Time budget in seconds for one run of a slow path (ingest); the rate is taken over what it did. */
  budgetS: number;
  /** Runs of the slow, time-bounded paths (ingest, rescore). */
  slowRuns: number;
}

let shippedCache: Promise<{ catalogue: Catalogue; schemes: Map<string, CompiledScheme> }> | null = null;
export function shipped() {
  shippedCache ??= (async () => {
    const { catalogue, problems } = await loadCatalogueDir(CATALOGUE_DIR, 'default');
    if (!catalogue || problems.length > 0) throw new Error(`shipped catalogue has problems: ${JSON.stringify(problems.slice(0, 3))}`);
    const loaded = await loadSchemeDir(path.join(CATALOGUE_DIR, 'schemes'), catalogue);
    if (loaded.problems.length > 0) throw new Error(`shipped schemes have problems: ${JSON.stringify(loaded.problems.slice(0, 3))}`);
    return { catalogue, schemes: new Map(loaded.schemes.map((s) => [s.scheme.id, s])) };
  })();
  return shippedCache;
}

/** The bench clock: after the last simulated day, fixed so runs are comparable. */
export const BENCH_NOW = Date.parse('2026-01-01T00:00:00Z');

/** Records per simulated subject-day in the synthetic town (measured: ~0.0076). */
export const TOWN_START = '2022-01-01';

/** The simulated records of a town (subject lines dropped), as inputs. */
export function townInputs(subjects: number, days: number, seed = 2017, start = TOWN_START): RecordInput[] {
  const out: RecordInput[] = [];
  for (const it of simulateTown({ subjects, days, seed, start })) if (it.kind === 'record') out.push(it.record);
  return out;
}

/** Days of a town that Credence ingests: a year, so that no record is past its type's retention (P1Y at the shortest). */
export const INGEST_TOWN_DAYS = 365;
/** Subjects of an ingested town: as many records as `subjects` give over 1,320 days, in one year. */
export const ingestTownSubjects = (subjects: number) => Math.round((subjects * 1320) / INGEST_TOWN_DAYS);

/**
 * A town for the paths that ingest through Credence: `subjects` scaled (ingestTownSubjects)
 * over the year up to the bench clock, since ingest refuses a record already past its
 * retention (RECORD_PAST_RETENTION) and a town of 1,320 days ending years earlier is mostly past it.
 */
export function ingestTownInputs(subjects: number, seed = 2017): RecordInput[] {
  return townInputs(ingestTownSubjects(subjects), INGEST_TOWN_DAYS, seed, townStart(BENCH_NOW - 86_400_000, INGEST_TOWN_DAYS));
}

/** Inputs as stored records (what rule evaluation sees), ids as the app assigns them. */
export function toStored(inputs: RecordInput[], recordedAt: number): StoredRecord[] {
  return inputs.map((r, i) => ({
    id: `${r.source}/${r.sourceRecordId}`,
    seq: i + 1,
    source: r.source,
    sourceRecordId: r.sourceRecordId,
    subject: r.subject,
    type: r.type,
    occurredAt: Date.parse(r.occurredAt),
    recordedAt,
    payload: r.payload ?? {},
    evidence: r.evidence ?? [],
  }));
}

export const now = () => performance.now();

/** Runs `fn` `runs` times (after one warm-up when `warm`), returns each run's seconds. */
export async function timeRuns(runs: number, fn: () => unknown | Promise<unknown>, warm = true): Promise<number[]> {
  if (warm) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = now();
    await fn();
    out.push((now() - t) / 1000);
  }
  return out;
}

/**
 * CPU profile of `fn` through the inspector (the profiler `node --cpu-prof` uses), summarised
 * as the top self-time functions with their share of samples.
 */
export async function profileTop(fn: () => unknown | Promise<unknown>, top = 8): Promise<string[]> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    await fn();
    const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[] } };
    const self = new Map<string, number>();
    let total = 0;
    for (const n of profile.nodes) {
      const hits = n.hitCount ?? 0;
      total += hits;
      const f = n.callFrame;
      const file = f.url ? f.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '').replace(/^.*node_modules\//, '') : '';
      const key = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
      self.set(key, (self.get(key) ?? 0) + hits);
    }
    return [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${((100 * v) / Math.max(1, total)).toFixed(1)}% ${k}`);
  } finally {
    session.disconnect();
  }
}
