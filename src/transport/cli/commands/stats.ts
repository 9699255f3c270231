// `credence stats`: subjects, records and the grade distribution per scheme.
import { EXIT, type CliCommand, type CliContext } from '../command.ts';
import { guard, json, parse, withCredence } from '../common.ts';

export function printDistribution(ctx: CliContext, grades: Record<string, Record<string, number>>): void {
  for (const [scheme, dist] of Object.entries(grades)) {
    const total = Object.values(dist).reduce((a, b) => a + b, 0) || 1;
    ctx.io.out(`${scheme}:`);
    for (const [g, n] of Object.entries(dist)) {
      const pct = (100 * n) / total;
      ctx.io.out(`  ${g.padEnd(4)} ${String(n).padStart(8)}  ${pct.toFixed(1).padStart(5)}%  ${'#'.repeat(Math.round(pct / 2))}`);
    }
  }
}

export const statsCommand: CliCommand = {
  name: 'stats',
  help: `usage: credence stats [--json]

--json prints {"subjects": N, "records": N, "grades": {"SCHEME@VERSION": {"AAA": N, ...}}}.

exit codes: 0 shown`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values } = parse(argv, { json: { type: 'boolean' } }, false);
      return withCredence(ctx, async (c) => {
        const s = await c.stats(ctx.now());
        if (values.json) json(ctx, s);
        else {
          ctx.io.out(`${s.subjects} subjects, ${s.records} records`);
          printDistribution(ctx, s.grades);
        }
        return EXIT.OK;
      });
    }),
};
