// Loads the catalogue from its directory: reads the four YAML files, reports YAML syntax
// errors with file:line:col, then hands the parsed data to the pure validator. A profile
// with a variant (eu: catalogue/eu/variant.yaml) applies it first; see PROFILE_VARIANT_FILES.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import {
  GENERAL_CREDIT_DOMAIN,
  isCrossContext,
  validateCatalogue,
  type CatalogueFile,
  type CatalogueInput,
  type CatalogueProblem,
  type CatalogueProfile,
} from '../domain/catalogue-validate.ts';
import type { Catalogue } from '../domain/types.ts';

/** The catalogue's files inside its directory. */
export const CATALOGUE_FILES = {
  recordTypes: 'record-types.yaml',
  sources: 'sources.yaml',
  lists: 'lists.yaml',
  measures: 'measures.yaml',
} as const satisfies Record<keyof CatalogueInput, string>;

/** Parses one YAML text; syntax problems carry `line:col` as their path. */
export function parseCatalogueYaml(file: string, text: string): { data?: unknown; problems: CatalogueProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        // prettyErrors appends " at line L, column C:" and a code frame; keep the first line.
        const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '');
        return {
          code: 'CATALOGUE_YAML_SYNTAX',
          file,
          path: pos ? `${pos.line}:${pos.col}` : '1:1',
          message: `${message} (${e.code})`,
        };
      }),
    };
  }
  try {
    return { data: doc.toJS(), problems: [] };
  } catch (e) {
    return { problems: [{ code: 'CATALOGUE_YAML_SYNTAX', file, path: '1:1', message: (e as Error).message }] };
  }
}

/**
 * Reads and validates the catalogue in `dir`. If a file cannot be read or is not valid
 * YAML, only those problems are returned (validating the rest would report follow-on
 * errors such as "unknown record type" for every source); otherwise every validation
 * problem is returned at once. `catalogue` is set only when there is no problem.
 */
export async function loadCatalogueDir(
  dir: string,
  profile: CatalogueProfile = 'default',
): Promise<{ catalogue?: Catalogue; problems: CatalogueProblem[] }> {
  const problems: CatalogueProblem[] = [];
  const parsed: Partial<Record<keyof CatalogueInput, CatalogueFile>> = {};
  for (const [key, name] of Object.entries(CATALOGUE_FILES) as Array<[keyof CatalogueInput, string]>) {
    const file = path.join(dir, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      problems.push({ code: 'CATALOGUE_FILE_UNREADABLE', file, path: '$', message: `cannot read the file: ${(e as Error).message}` });
      continue;
    }
    const r = parseCatalogueYaml(file, text);
    problems.push(...r.problems);
    if (r.problems.length === 0) parsed[key] = { file, data: r.data };
  }
  if (problems.length > 0) return { problems };
  return validateWithVariant(dir, parsed as CatalogueInput, profile);
}

// ---------------------------------------------------------------------------------------
// Profile variants

/**
 * The variant file of a profile, inside the catalogue directory. Only `eu` has one: the
 * shipped catalogue holds cross-context measures (every measure of the 2016 defaulter
 * opinions, the grade rewards), which the eu profile refuses (EU AI Act Art. 5(1)(c)).
 * The variant is an overlay, not a second copy: it names the measures an eu deployment
 * withdraws, and everything else (record types, sources, lists, schemes, the other
 * measures) is the shipped catalogue itself, so the two cannot drift apart. The loader
 * removes the named measures and validates the rest under the profile, so a cross-context
 * measure that the variant does not name is still refused (CATALOGUE_CROSS_CONTEXT_EU),
 * and the variant may withdraw only measures that exist and are cross-context
 * (CATALOGUE_VARIANT_UNKNOWN_MEASURE, CATALOGUE_VARIANT_NOT_CROSS_CONTEXT). A catalogue
 * directory without the file loads under the profile unchanged (and is refused if it
 * holds cross-context measures). The loaded catalogue's version carries the profile
 * (`2026.1+eu`), so decisions and their replays name the variant they were taken under.
 */
export const PROFILE_VARIANT_FILES: Readonly<Partial<Record<CatalogueProfile, string>>> = {
  eu: path.join('eu', 'variant.yaml'),
};

type Raw = Record<string, unknown>;
const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const VARIANT_FIELDS = ['version', 'profile', 'withdrawMeasures'];

async function validateWithVariant(dir: string, input: CatalogueInput, profile: CatalogueProfile): Promise<{ catalogue?: Catalogue; problems: CatalogueProblem[] }> {
  const name = PROFILE_VARIANT_FILES[profile];
  if (name === undefined) return validateCatalogue(input, { profile });
  const file = path.join(dir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return validateCatalogue(input, { profile });
    return { problems: [{ code: 'CATALOGUE_FILE_UNREADABLE', file, path: '$', message: `cannot read the file: ${(e as Error).message}` }] };
  }
  const parsed = parseCatalogueYaml(file, text);
  if (parsed.problems.length > 0) return { problems: parsed.problems };

  const problems: CatalogueProblem[] = [];
  const add = (code: string, p: string, message: string) => problems.push({ code, file, path: p, message });
  const data = parsed.data;
  const measuresData = isRaw(input.measures.data) ? input.measures.data : undefined;
  const measures = Array.isArray(measuresData?.measures) ? (measuresData.measures as unknown[]) : undefined;
  const withdraw = new Set<string>();
  if (!isRaw(data)) {
    add('CATALOGUE_SHAPE', '$', 'the variant must be a mapping with a "withdrawMeasures" list');
  } else {
    for (const k of Object.keys(data)) if (!VARIANT_FIELDS.includes(k)) add('CATALOGUE_UNKNOWN_FIELD', k, `unknown field "${k}" in the variant (allowed: ${VARIANT_FIELDS.join(', ')})`);
    const rtVersion = isRaw(input.recordTypes.data) ? input.recordTypes.data.version : undefined;
    if (data.version === undefined) add('CATALOGUE_FIELD_MISSING', 'version', 'version is required (the catalogue version it applies to, e.g. "2026.1")');
    else if (data.version !== rtVersion) add('CATALOGUE_VERSION_MISMATCH', 'version', `version ${JSON.stringify(data.version)} differs from the record-type catalogue's ${JSON.stringify(rtVersion)}`);
    if (data.profile !== undefined && data.profile !== profile) add('CATALOGUE_FIELD_TYPE', 'profile', `profile ${JSON.stringify(data.profile)} is not the profile this file is loaded for ("${profile}")`);
    const list = data.withdrawMeasures;
    if (!Array.isArray(list) || list.length === 0) {
      add(list === undefined ? 'CATALOGUE_FIELD_MISSING' : 'CATALOGUE_FIELD_TYPE', 'withdrawMeasures', 'withdrawMeasures must be a non-empty list of measure ids');
    } else {
      const known = new Set((measures ?? []).flatMap((m) => (isRaw(m) && typeof m.id === 'string' ? [m.id] : [])));
      // Only what Art. 5(1)(c) refuses may be withdrawn: the trigger's context (from the
      // taxonomy) must differ from the measure's. The domains are read from the raw files;
      // anything malformed is left to the validator, which reports it on the shipped files.
      const listDomains = domainsOf(input.lists.data, 'lists', 'id');
      const typeDomains = domainsOf(input.recordTypes.data, 'recordTypes', 'code');
      list.forEach((id, i) => {
        const p = `withdrawMeasures[${i}]`;
        if (typeof id !== 'string' || id.trim() === '') return add('CATALOGUE_FIELD_TYPE', p, `a measure id must be a string, got ${JSON.stringify(id)}`);
        if (withdraw.has(id)) return add('CATALOGUE_DUPLICATE_ID', p, `measure ${id} is withdrawn twice`);
        if (measures && !known.has(id)) return add('CATALOGUE_VARIANT_UNKNOWN_MEASURE', p, `measure ${id} is not in ${input.measures.file}: remove it from the variant`);
        withdraw.add(id);
        const m = measures?.find((x) => isRaw(x) && x.id === id);
        if (!isRaw(m) || typeof m.domain !== 'string' || !isRaw(m.trigger)) return;
        const t = m.trigger;
        const from = typeof t.list === 'string' ? listDomains.get(t.list) : typeof t.recordType === 'string' ? typeDomains.get(t.recordType) : t.grades !== undefined ? GENERAL_CREDIT_DOMAIN : undefined;
        if (from !== undefined && !isCrossContext(m.domain, from)) {
          add('CATALOGUE_VARIANT_NOT_CROSS_CONTEXT', p, `measure ${id} acts in domain ${m.domain} and is triggered from domain ${from}, the same context: it is not cross-context, and the ${profile} variant withdraws only cross-context measures`);
        }
      });
    }
  }
  if (problems.length > 0) return { problems };

  // Validate the catalogue without the withdrawn measures; problems keep the paths of the
  // shipped measures file (measures[i] is the i-th entry there, not of the filtered list).
  const kept: number[] = [];
  (measures ?? []).forEach((m, i) => {
    if (!(isRaw(m) && typeof m.id === 'string' && withdraw.has(m.id))) kept.push(i);
  });
  const filtered: CatalogueInput = measures
    ? { ...input, measures: { file: input.measures.file, data: { ...measuresData, measures: kept.map((i) => measures[i]) } } }
    : input;
  const result = validateCatalogue(filtered, { profile });
  for (const p of result.problems) {
    if (p.file !== input.measures.file) continue;
    p.path = p.path.replace(/^measures\[(\d+)\]/, (_, j: string) => `measures[${kept[Number(j)] ?? j}]`);
  }
  if (result.catalogue) result.catalogue.version = `${result.catalogue.version}+${profile}`;
  return result;
}

/** `id -> domain` of the entries of a raw catalogue file's top-level list. */
function domainsOf(data: unknown, key: string, idKey: string): Map<string, string> {
  const out = new Map<string, string>();
  const items = isRaw(data) && Array.isArray(data[key]) ? (data[key] as unknown[]) : [];
  for (const it of items) if (isRaw(it) && typeof it[idKey] === 'string' && typeof it.domain === 'string' && !out.has(it[idKey] as string)) out.set(it[idKey] as string, it.domain);
  return out;
}

/** One line per problem: `file:path: CODE message`. */
export function formatProblems(problems: readonly CatalogueProblem[]): string {
  return problems.map((p) => `${p.file}:${p.path}: ${p.code} ${p.message}`).join('\n');
}
