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

async function checkStates(ctx: CliContext, sample: number | undefined, asJson: boolean): Promise<number> {
  return withCredence(ctx, async (c) => {
    const res = await c.checkStates(ctx.now(), { sample, onProgress: ctx.io.isTty ? (n) => process.stderr.write(`\rchecked ${n} subjects`) : undefined });
    if (ctx.io.isTty) process.stderr.write('\n');
    if (asJson) json(ctx, { ok: res.differing.length === 0, ...res });
    else {
      for (const d of res.differing) {
        ctx.io.out(`${d.subject} ${d.scheme}: held ${d.held.score} ${d.held.grade}${d.held.lists.length ? ` [${d.held.lists.join(', ')}]` : ''}, rebuilt ${d.rebuilt.score} ${d.rebuilt.grade}${d.rebuilt.lists.length ? ` [${d.rebuilt.lists.join(', ')}]` : ''}`);
      }
      const subjects = new Set(res.differing.map((d) => d.subject)).size;
      ctx.io.out(`checked ${res.checked} of ${res.subjects} subjects under ${res.schemes.join(', ')}: ${subjects === 0 ? 'every materialised state equals a rebuild from the records' : `${subjects} subject(s) differ from a rebuild`}${res.behind > 0 ? `; ${res.behind} state(s) behind their records (recomputed on read)` : ''}`);
    }
    return res.differing.length === 0 ? EXIT.OK : EXIT.NEGATIVE;
  });
}

export const rescoreCommand: CliCommand = {
  name: 'rescore',
  help: `usage: credence rescore [--scheme ID@VERSION | --file DRAFT.yaml] [--dry-run] [--publish] [--json]
       credence rescore --check [--sample N] [--json]

Without options, rebuilds every subject's state under every published scheme from the
records (scores are derived data and can always be rebuilt).

--scheme ID@VERSION  rebuild under one stored version
--file DRAFT.yaml    validate a draft scheme file and print its grade migration matrix
                     against the version in force (how many subjects move from each grade to
                     each other); nothing changes unless --publish is given
--dry-run            compute and print the matrix, write nothing
--publish            with --file: store the draft as a published version and rescore
--check              write nothing: compare every subject's materialised state with a
                     rebuild from its records (score, grade, list entries, now) under every
                     scheme in force, and name each subject that differs
--sample N           with --check: check N subjects spread evenly over all of them

exit codes: 0 done (--check: no subject differs); 1 --check found subjects that differ;
3 the draft scheme failed validation; 4 unknown scheme; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values } = parse(argv, { scheme: { type: 'string' }, file: { type: 'string' }, 'dry-run': { type: 'boolean' }, publish: { type: 'boolean' }, json: { type: 'boolean' }, check: { type: 'boolean' }, sample: { type: 'string' } }, false);
      if (values.check && (values.scheme || values.file || values.publish || values['dry-run'])) throw new UsageError('--check takes only --sample and --json');
      if (values.sample !== undefined && !values.check) throw new UsageError('--sample goes with --check');
      let sample: number | undefined;
      if (values.sample !== undefined) {
        if (!/^[1-9][0-9]{0,8}$/.test(values.sample)) throw new UsageError(`--sample takes a whole number of subjects from 1, got "${values.sample}"`);
        sample = Number(values.sample);
      }
      if (values.check) return checkStates(ctx, sample, !!values.json);
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
