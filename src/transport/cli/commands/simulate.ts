// `credence simulate`: a synthetic town as NDJSON (demo data and the benchmark workload).
import { createWriteStream } from 'node:fs';
import { townStart } from '../../../app/simulate.ts';
import { writeTownNdjson } from '../../../app/simulate-writer.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { guard, parse, UsageError } from '../common.ts';

const int = (name: string, v: string | undefined, def: number, max: number) => {
  const n = v === undefined ? def : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`--${name} is a whole number from 0 to ${max}`);
  return n;
};

export const simulateCommand: CliCommand = {
  name: 'simulate',
  help: `usage: credence simulate --subjects N --days D --seed S [--start DATE] [--out FILE]

Generates a synthetic town: persons in households and organisations with synthetic but
checksum-valid identifiers, and records from many sources at plausible rates over D days
from --start (default: the town ends today). Same seed, same output. Writes NDJSON to FILE
or standard output; the summary goes to standard error.

exit codes: 0 written; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values } = parse(argv, { subjects: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, start: { type: 'string' }, out: { type: 'string' } }, false);
      const subjects = int('subjects', values.subjects, 1000, 20_000_000);
      const days = int('days', values.days, 365, 36_500);
      const seed = int('seed', values.seed, 1, 2 ** 31);
      const start = values.start ?? townStart(ctx.now(), days);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new UsageError('--start is a date YYYY-MM-DD');
      const out = values.out ? createWriteStream(values.out) : process.stdout;
      const t0 = performance.now();
      const res = await writeTownNdjson({ subjects, days, seed, start }, out);
      if (values.out) await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? reject(err) : resolve())));
      ctx.io.err(`simulated ${res.subjects} subjects, ${res.records} records over ${days} days from ${start} (seed ${seed}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return EXIT.OK;
    }),
};
