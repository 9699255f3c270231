// `credence catalogue check [DIR]` and `credence scheme check FILE`: validate catalogue and
// scheme files without a database, so an author (or a CI job in a deployment's repository)
// sees every problem at once, each with file, path, code, the refused category where one
// applies, and a message; the exit code says whether the files would load.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CatalogueProblem } from '../../../domain/catalogue-validate.ts';
import { formatProblems, loadCatalogueDir } from '../../../app/load-catalogue.ts';
import { compileSchemeText, loadSchemeDir } from '../../../app/load-schemes.ts';
import { EXIT, type CliCommand, type CliContext } from '../command.ts';
import { guard, parse, UsageError } from '../common.ts';

const CATALOGUE_USAGE = 'usage: credence catalogue check [DIR] [--json] [--profile default|eu]';
const SCHEME_USAGE = 'usage: credence scheme check FILE [--catalogue DIR] [--json] [--profile default|eu]';

interface ProblemOut {
  file: string;
  path: string;
  code: string;
  /** The refused kind (religion, association, free-text...) when the problem is a refusal. */
  category: string | null;
  message: string;
}

const out = (p: CatalogueProblem): ProblemOut => ({
  file: p.file,
  path: p.path,
  code: p.code,
  category: p.category ?? null,
  message: p.message,
});

function print(ctx: CliContext, json: boolean, problems: CatalogueProblem[], summary: Record<string, unknown>, okLine: string): number {
  if (json) {
    ctx.io.out(JSON.stringify({ ok: problems.length === 0, ...summary, problems: problems.map(out) }, null, 2));
  } else {
    if (problems.length > 0) ctx.io.err(`${formatProblems(problems)}\n${problems.length} problem(s): these files do not load`);
    else ctx.io.out(okLine);
  }
  return problems.length === 0 ? EXIT.OK : EXIT.DATA;
}

function profileOf(ctx: CliContext, flag: string | undefined) {
  const profile = flag ?? ctx.config.profile;
  if (profile !== 'default' && profile !== 'eu') throw new UsageError(`--profile is "default" or "eu", got "${profile}"`);
  return profile;
}

export const catalogueCommand: CliCommand = {
  name: 'catalogue',
  help: `${CATALOGUE_USAGE}

Validates a catalogue directory (legal-bases.yaml, record-types.yaml, sources.yaml, lists.yaml,
measures.yaml and the schemes in DIR/schemes) as \`credence init\` would load it, without a database. DIR
defaults to CREDENCE_CATALOGUE_DIR or the shipped catalogue; the profile to CREDENCE_PROFILE.
Every problem is printed, each with file, path, code, the refused category where one
applies ([religion], [association], [free-text], ...) and a message.

Options:
  --json              one JSON document {ok, legalBases, recordTypes, sources, lists, measures, schemes, problems}
  --profile NAME      default or eu (the eu profile refuses cross-context measures)
  -h, --help          show this help

exit codes: 0 the catalogue and its schemes load; 2 wrong usage; 3 at least one problem`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { json: { type: 'boolean' }, profile: { type: 'string' } });
      const [sub, dirArg, ...rest] = positionals;
      if (sub !== 'check') throw new UsageError(sub === undefined ? `missing "check"\n${CATALOGUE_USAGE}` : `unknown subcommand "${sub}"\n${CATALOGUE_USAGE}`);
      if (rest.length > 0) throw new UsageError(`one directory at most, got ${positionals.length - 1}\n${CATALOGUE_USAGE}`);
      const profile = profileOf(ctx, values.profile);
      const dir = path.resolve(dirArg ?? ctx.config.catalogueDir);
      const loaded = await loadCatalogueDir(dir, profile);
      const problems = [...loaded.problems];
      let schemes: string[] = [];
      if (loaded.catalogue) {
        const schemeDir = path.join(dir, 'schemes');
        try {
          const s = await loadSchemeDir(schemeDir, loaded.catalogue);
          problems.push(...s.problems);
          schemes = s.schemes.map((c) => c.key);
        } catch (e) {
          problems.push({ file: schemeDir, path: '$', code: 'CATALOGUE_FILE_UNREADABLE', message: `cannot read the schemes directory: ${(e as Error).message}` });
        }
      }
      const c = loaded.catalogue;
      const summary = {
        dir,
        profile,
        legalBases: c?.legalBases.size ?? 0,
        recordTypes: c?.recordTypes.size ?? 0,
        sources: c?.sources.size ?? 0,
        lists: c?.lists.size ?? 0,
        measures: c?.measures.size ?? 0,
        schemes,
      };
      return print(ctx, values.json === true, problems, summary,
        `${dir} loads (profile ${profile}): ${summary.legalBases} legal bases, ${summary.recordTypes} record types, ${summary.sources} sources, ${summary.lists} lists, ${summary.measures} measures, schemes ${schemes.join(', ') || '(none)'}`);
    }),
};

export const schemeCommand: CliCommand = {
  name: 'scheme',
  help: `${SCHEME_USAGE}

Validates one scheme file against a catalogue (default CREDENCE_CATALOGUE_DIR or the shipped
catalogue): bands, rules, what each condition reads, points, direct grading, list rules and
the refusals. Every problem is printed with file, path, code, category and message.

Options:
  --catalogue DIR     the catalogue the scheme is checked against
  --json              one JSON document {ok, scheme, problems}
  --profile NAME      default or eu
  -h, --help          show this help

exit codes: 0 the scheme compiles; 2 wrong usage; 3 the scheme or its catalogue has a problem`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { json: { type: 'boolean' }, catalogue: { type: 'string' }, profile: { type: 'string' } });
      const [sub, file, ...rest] = positionals;
      if (sub !== 'check') throw new UsageError(sub === undefined ? `missing "check"\n${SCHEME_USAGE}` : `unknown subcommand "${sub}"\n${SCHEME_USAGE}`);
      if (file === undefined || rest.length > 0) throw new UsageError(`name one scheme file\n${SCHEME_USAGE}`);
      const profile = profileOf(ctx, values.profile);
      const dir = path.resolve(values.catalogue ?? ctx.config.catalogueDir);
      const loaded = await loadCatalogueDir(dir, profile);
      if (!loaded.catalogue) {
        return print(ctx, values.json === true, loaded.problems, { scheme: null }, '');
      }
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        return print(ctx, values.json === true, [{ file, path: '$', code: 'CATALOGUE_FILE_UNREADABLE', message: `cannot read the file: ${(e as Error).message}` }], { scheme: null }, '');
      }
      const r = compileSchemeText(text, file, loaded.catalogue);
      const key = r.compiled?.key ?? null;
      return print(ctx, values.json === true, r.problems, { scheme: key },
        `${file} compiles: ${key} with ${r.compiled?.scheme.rules.length ?? 0} rules against ${dir}`);
    }),
};
