// `credence rescore`: rebuild scores from the records. For a draft scheme (a file, or a
// stored draft version) the grade migration matrix is printed before anything changes.
import { readFile } from 'node:fs/promises';
import { compileSchemeText } from '../../../app/load-schemes.ts';
import { formatProblems } from '../../../app/load-catalogue.ts';
import { compileScheme } from '../../../domain/scheme-compile.ts';
import { EXIT, type CliCommand, type CliContext } from '../command.ts';
import { DataError, guard, json, parse, UsageError, withCredence } from '../common.ts';

export function printMatrix(ctx: CliContext, matrix: Record<string, Record<string, number>>, grades: string[]): void {
  const w = 8;
  ctx.io.out(`${'from \\ to'.padEnd(10)}${grades.map((g) => g.padStart(w)).join('')}${'total'.padStart(w)}`);
  for (const from of grades) {
    const row = matrix[from] ?? {};
    const total = Object.values(row).reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    ctx.io.out(`${from.padEnd(10)}${grades.map((g) => String(row[g] ?? 0).padStart(w)).join('')}${String(total).padStart(w)}`);
  }
}

export const rescoreCommand: CliCommand = {
  name: 'rescore',
  summary: 'rebuild scores from the records; preview a draft scheme',
  help: `usage: credence rescore [--scheme ID@VERSION | --file DRAFT.yaml] [--dry-run] [--publish] [--json]

Without options, rebuilds every subject's state under every published scheme from the
records (scores are derived data and can always be rebuilt).

--scheme ID@VERSION  rebuild under one stored version
--file DRAFT.yaml    validate a draft scheme file and print its grade migration matrix
                     against the version in force (how many subjects move from each grade to
                     each other); nothing changes unless --publish is given
--dry-run            compute and print the matrix, write nothing
--publish            with --file: store the draft as a published version and rescore

exit codes: 0 done; 3 the draft scheme failed validation; 4 unknown scheme; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values } = parse(argv, { scheme: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean' }, publish: { type: 'boolean' }, json: { type: 'boolean' } }, false);
      if (values.scheme && values.file) throw new UsageError('give --scheme or --file, not both');
      if (values.publish && !values.file) throw new UsageError('--publish goes with --file');
      return withCredence(ctx, async (c, store) => {
        const at = ctx.now();
        let targets = c.schemes;
        let draft = false;
        if (values.file) {
          const res = compileSchemeText(await readFile(values.file, 'utf8'), values.file, c.catalogue);
          if (!res.compiled) throw new DataError(`${formatProblems(res.problems)}\n${res.problems.length} problem(s) in the draft: nothing changed`);
          targets = [res.compiled];
          draft = !values.publish;
          if (values.publish) {
            const existing = (await store.listSchemes()).some((r) => r.scheme.id === res.compiled!.scheme.id && r.scheme.version === res.compiled!.scheme.version);
            if (existing) throw new DataError(`SCHEME_VERSION_EXISTS: ${res.compiled.key} is already stored; published versions are immutable, raise the version`);
          }
        } else if (values.scheme) {
          const row = (await store.listSchemes()).find((r) => `${r.scheme.id}@${r.scheme.version}` === values.scheme);
          if (!row) {
            ctx.io.err(`SCHEME_NOT_FOUND: no stored scheme ${values.scheme}`);
            return EXIT.NOT_FOUND;
          }
          const compiled = compileScheme(row.scheme, c.catalogue).compiled!;
          targets = [compiled];
          draft = row.publishedAt === null;
        }
        const out = [];
        for (const t of targets) {
          const dry = !!values['dry-run'] || draft;
          const res = await c.rescore(t, { dryRun: dry, at, onProgress: ctx.io.isTty ? (n) => process.stderr.write(`\r${t.key}: ${n} subjects`) : undefined });
          if (ctx.io.isTty) process.stderr.write('\n');
          if (!dry && values.publish) await store.saveScheme({ ...t.scheme, status: 'published' }, at);
          out.push({ ...res, dryRun: dry });
          if (!values.json) {
            ctx.io.out(`${res.scheme} (compared with ${res.from}): ${res.subjects} subjects${dry ? ', dry run: nothing written' : ', states rebuilt'}`);
            printMatrix(ctx, res.matrix, t.scheme.bands.map((b) => b.grade));
          }
        }
        if (values.json) json(ctx, { results: out });
        return EXIT.OK;
      });
    }),
};
