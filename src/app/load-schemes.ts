// Reads scheme files (YAML) and compiles them against the catalogue. Problems carry the file
// and the JSON path, and every problem of every file is reported at once.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { compileScheme, type CompiledScheme } from '../domain/scheme-compile.ts';
import type { Catalogue, Scheme } from '../domain/types.ts';
import type { CatalogueProblem } from '../domain/catalogue-validate.ts';

export function parseSchemeText(text: string, file: string): { scheme?: Scheme; problems: CatalogueProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({
        code: 'SCHEME_SYNTAX',
        file: e.linePos ? `${file}:${e.linePos[0].line}:${e.linePos[0].col}` : file,
        path: '',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    };
  }
  const data = doc.toJS() as Scheme | null;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return { problems: [{ code: 'SCHEME_INVALID', file, path: '', message: 'a scheme file holds one mapping (id, version, bands, rules, ...)' }] };
  }
  // Container shapes first, so the compiler never meets a non-array where it iterates.
  const shapeProblems: CatalogueProblem[] = [];
  for (const field of ['bands', 'rules', 'listRules'] as const) {
    const v = (data as unknown as Record<string, unknown>)[field];
    if (v === undefined || v === null) continue;
    if (!Array.isArray(v)) shapeProblems.push({ code: 'SCHEME_INVALID', file, path: field, message: `${field} is a list` });
    else v.forEach((x, i) => { if (!x || typeof x !== 'object' || Array.isArray(x)) shapeProblems.push({ code: 'SCHEME_INVALID', file, path: `${field}[${i}]`, message: `each entry of ${field} is a mapping` }); });
  }
  if (shapeProblems.length > 0) return { problems: shapeProblems };
  return { scheme: { ...data, rules: data.rules ?? [], listRules: data.listRules ?? [] }, problems: [] };
}

export function compileSchemeText(text: string, file: string, catalogue: Catalogue): { compiled?: CompiledScheme; problems: CatalogueProblem[] } {
  const parsed = parseSchemeText(text, file);
  if (!parsed.scheme) return { problems: parsed.problems };
  const { compiled, problems } = compileScheme(parsed.scheme, catalogue);
  return { compiled, problems: problems.map((p) => ({ ...p, file })) };
}

export async function loadSchemeDir(dir: string, catalogue: Catalogue): Promise<{ schemes: CompiledScheme[]; problems: CatalogueProblem[] }> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const schemes: CompiledScheme[] = [];
  const problems: CatalogueProblem[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const result = compileSchemeText(await readFile(file, 'utf8'), path.relative(process.cwd(), file) || file, catalogue);
    problems.push(...result.problems);
    if (result.compiled) schemes.push(result.compiled);
  }
  return { schemes, problems };
}
