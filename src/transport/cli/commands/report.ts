// `credence report transparency`: the transparency report of a period (src/app/transparency.ts),
// as text, JSON or a self-contained HTML page with charts.
import { writeFileSync } from 'node:fs';
import { reportPeriod, transparencyReport, type TransparencyReport } from '../../../app/transparency.ts';
import { transparencyHtml } from '../../report-html.ts';
import { EXIT, type CliCommand, type CliContext } from '../command.ts';
import { guard, json, parse, UsageError, withCredence } from '../common.ts';

function printText(ctx: CliContext, r: TransparencyReport): void {
  const out = (s: string) => ctx.io.out(s);
  out(`transparency report ${r.period.from} – ${r.period.to} (${r.entries.count} audit entries)`);
  for (const g of r.grades) out(`grades ${g.scheme} at ${g.at.slice(0, 10)} (${g.subjects} subjects): ${Object.entries(g.counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  out(`decisions: ${r.decisions.reduce((n, d) => n + d.total, 0)}`);
  for (const d of r.decisions) out(`  ${(d.providerName ?? d.provider ?? 'operators').padEnd(40)} ${d.purpose.padEnd(24)} ${String(d.total).padStart(7)}  ${Object.entries(d.outcomes).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  out('refusals per measure:');
  for (const m of r.sanctions.measures) out(`  ${m.measure.padEnd(40)} ${String(m.deny).padStart(7)} of ${m.total}`);
  out('deductions per rule:');
  for (const x of r.sanctions.rules) out(`  ${x.scheme} ${x.rule.padEnd(30)} ${String(x.deductions).padStart(7)}  ${x.points} points${x.ended > 0 ? `, ${x.ended} ended early` : ''}`);
  out(`disputes: ${r.disputes.opened} opened (${r.disputes.ofRecords} of records, ${r.disputes.ofDecisions} of decisions); closed ${Object.entries(r.disputes.closed).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  out(`reviews: ${r.reviews.approved} approved, ${r.reviews.rejected} rejected; restorations: ${r.restorations.applied} applied, ${r.restorations.granted} granted, ${r.restorations.refused} refused`);
  out(`sources (late: more than ${r.method.reportedLateDays} days after the conduct):`);
  const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
  for (const s of r.sources) out(`  ${s.source.padEnd(32)} ${String(s.records).padStart(8)} records, late ${pct(s.lateShare)}, disputed ${s.disputed}, overturned ${s.overturned} (${pct(s.overturnedShare)})`);
  out(`deleted past retention: ${r.retention.records} record(s)`);
}

export const reportCommand: CliCommand = {
  name: 'report',
  help: `usage: credence report transparency [--from DATE] [--to DATE] [--json | --html [--out FILE]]

The transparency report of a period (default: the 365 days up to now; --to DATE includes that
day): subjects per grade at its end, refusals per measure and deductions per rule, decisions
per provider and purpose, disputes opened and their outcomes, reviews, restorations, and per
source the records received, the share reported late (more than 30 days after the conduct) and
the share overturned on dispute, and deletions past retention. Counts only. All but the grades
and the deductions are folded from the audit log, so they can be recomputed from it. The same
report is public at GET /v1/reports/transparency (?format=html).

--json prints the report as JSON; --html a self-contained HTML page with SVG charts (to --out
FILE, or standard output).

exit codes: 0 shown; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' }, html: { type: 'boolean' }, out: { type: 'string' } });
      if (positionals[0] !== 'transparency' || positionals.length !== 1) throw new UsageError('report takes transparency');
      if (values.json && values.html) throw new UsageError('--json and --html exclude each other');
      if (values.out && !values.html) throw new UsageError('--out goes with --html');
      const period = reportPeriod(values.from, values.to, ctx.now());
      if ('error' in period) throw new UsageError(`--${period.error}`);
      const { from, to } = period;
      return withCredence(ctx, async (c) => {
        const r = await transparencyReport(c, from, to);
        if (values.json) json(ctx, r);
        else if (values.html) {
          const html = transparencyHtml(r);
          if (values.out) {
            writeFileSync(values.out, html);
            ctx.io.err(`wrote ${values.out}`);
          } else ctx.io.out(html);
        } else printText(ctx, r);
        return EXIT.OK;
      });
    }),
};
