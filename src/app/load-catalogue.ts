// Loads the catalogue from its directory: reads the five YAML files (the legal-basis registry first), reports YAML syntax
// errors with file:line:col, then hands the parsed data to the pure validator. A profile
// with a variant (eu: catalogue/eu/variant.yaml) applies it first; see PROFILE_VARIANT_FILES.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import {
  validateCatalogue,
  type CatalogueFile,
  type CatalogueInput,
  type CatalogueProblem,
  type CatalogueProfile,
} from '../domain/catalogue-validate.ts';
import type { Catalogue } from '../domain/types.ts';

/** The five files every catalogue directory holds (a profile's variant is optional). */
type CatalogueFileKey = Exclude<keyof CatalogueInput, 'variant'>;

/** The catalogue's files inside its directory. */
export const CATALOGUE_FILES = {
  legalBases: 'legal-bases.yaml',
  recordTypes: 'record-types.yaml',
  sources: 'sources.yaml',
  lists: 'lists.yaml',
  measures: 'measures.yaml',
} as const satisfies Record<CatalogueFileKey, string>;

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
  const parsed: Partial<Record<CatalogueFileKey, CatalogueFile>> = {};
  for (const [key, name] of Object.entries(CATALOGUE_FILES) as Array<[CatalogueFileKey, string]>) {
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
 * withdraws, and everything else is the shipped catalogue itself, so the two cannot drift
 * apart. The validator (validateVariant in src/domain/catalogue-validate.ts) holds it to
 * what the profile refuses. A directory without the file loads under the profile unchanged
 * (and is refused if it holds cross-context measures).
 */
export const PROFILE_VARIANT_FILES: Readonly<Partial<Record<CatalogueProfile, string>>> = {
  eu: path.join('eu', 'variant.yaml'),
};

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
  return validateCatalogue({ ...input, variant: { file, data: parsed.data } }, { profile });
}

/** One line per problem: `file:path: CODE [category] message` (the category of a refusal). */
export function formatProblems(problems: readonly CatalogueProblem[]): string {
  return problems.map((p) => `${p.file}:${p.path || '$'}: ${p.code}${p.category ? ` [${p.category}]` : ''} ${p.message}`).join('\n');
}
