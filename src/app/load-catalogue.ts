// Loads the catalogue from its directory: reads the four YAML files, reports YAML syntax
// errors with file:line:col, then hands the parsed data to the pure validator.
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
  return validateCatalogue(parsed as CatalogueInput, { profile });
}

/** One line per problem: `file:path: CODE message`. */
export function formatProblems(problems: readonly CatalogueProblem[]): string {
  return problems.map((p) => `${p.file}:${p.path}: ${p.code} ${p.message}`).join('\n');
}
