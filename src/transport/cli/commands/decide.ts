// `credence decide ID MEASURE`: the answer a provider would get, with reasons and recourse.
import { EXIT, type CliCommand } from '../command.ts';
import { asOf, day, guard, json, parse, schemeChoice, UsageError, withCredence } from '../common.ts';
import { canonicalSubject } from './subject.ts';

export const decideCommand: CliCommand = {
  name: 'decide',
  summary: 'may a subject use a service? allow / deny / allow with conditions',
  help: `usage: credence decide ID MEASURE [--as-of DATE] [--scheme ID@VERSION] [--purpose TEXT] [--json]

Answers for one subject and one measure of the catalogue (e.g. defaulter.no_flights,
reward.library_card_deposit_free): allow, deny or allow_with_conditions, with reason codes in
the documented precedence (docs/codes.md), the legal basis and how to contest. The
decision is written to the audit log with the purpose (default "operator-check") and the
scheme versions it was taken under (those in force at --as-of, or --scheme ID@VERSION).

exit codes: 0 allow or allow_with_conditions; 1 deny; 4 unknown measure; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { 'as-of': { type: 'string' }, scheme: { type: 'string' }, purpose: { type: 'string' }, json: { type: 'boolean' } });
      const choose = schemeChoice(values.scheme);
      if (positionals.length !== 2) throw new UsageError('decide takes ID and MEASURE');
      const id = canonicalSubject(positionals[0]!, ctx.config.legacyCodes);
      return withCredence(ctx, async (c) => {
        const at = asOf(values['as-of'], ctx.now());
        const d = await c.decide(id, positionals[1]!, at, { actor: `cli:${process.env.USER ?? 'operator'}`, purpose: values.purpose ?? 'operator-check' }, choose);
        if (values.json) json(ctx, { ...d, at: new Date(d.at).toISOString(), reasons: d.reasons.map((r) => ({ ...r, until: r.until ? new Date(r.until).toISOString() : r.until })) });
        else {
          ctx.io.out(`${d.outcome.toUpperCase()} ${d.subject} ${d.measure}`);
          for (const r of d.reasons) ctx.io.out(`  ${r.code}: ${r.message}${r.until ? ` (until ${day(r.until)})` : ''}`);
          if (d.conditions.length > 0) ctx.io.out(`  conditions: ${d.conditions.join('; ')}`);
          ctx.io.out(`  legal basis: ${d.legalBasis}`);
          if (d.crossContext) ctx.io.out('  cross-context measure (its trigger comes from another domain)');
          ctx.io.out(`  to contest: ${d.contest}`);
        }
        return d.outcome === 'deny' ? EXIT.NEGATIVE : EXIT.OK;
      });
    }),
};
