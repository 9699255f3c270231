// `credence decide ID MEASURE`: the answer a provider would get, with reasons and recourse;
// like the provider's, it never shows a score, a grade, a record id or a record's content.
import type { Decision } from '../../../domain/decide.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { asOf, cliActor, day, guard, json, parse, readReason, schemeChoice, UsageError, withCredence } from '../common.ts';
import { canonicalSubject } from './subject.ts';

const isoOrNull = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(t).toISOString());

/** The JSON answer, field by field (as the HTTP decision answer): nothing else of a decision is printed. */
const decisionJson = (d: Decision & { decisionId?: number }, purpose?: string) => ({
  ...(d.decisionId !== undefined ? { decisionId: d.decisionId } : {}),
  subject: d.subject, measure: d.measure, ...(purpose !== undefined ? { purpose } : {}), at: new Date(d.at).toISOString(),
  outcome: d.outcome, effect: d.effect, applies: d.applies,
  reasons: d.reasons.map((r) => ({ code: r.code, message: r.message, ...(r.list ? { list: r.list } : {}), until: isoOrNull(r.until) })),
  conditions: [...d.conditions], legalBasis: d.legalBasis, contest: d.contest, crossContext: d.crossContext,
});

export const decideCommand: CliCommand = {
  name: 'decide',
  help: `usage: credence decide ID MEASURE --reason TEXT [--as-of DATE] [--scheme ID@VERSION] [--purpose TEXT] [--json]
       credence decide --replay DECISION_ID --reason TEXT [--json]

Answers for one subject and one measure of the catalogue (e.g. defaulter.no_flights,
reward.library_card_deposit_free): allow, deny or allow_with_conditions, with reason codes in
the documented precedence (docs/codes.md), the conditions of a granted measure, the legal
basis and how to contest: the answer a provider gets, so never a score, a grade or a record
(the subject's own score: credence subject show). The
decision is written to the audit log with the purpose (default "operator-check") and the
scheme versions it was taken under (those in force at --as-of, or --scheme ID@VERSION);
its decision id is the audit entry's number.

--reason TEXT says why the operator asks (CREDENCE_READ_REASON gives one for a session);
it is logged with the decision (or the replay) in the subject's query log.

--replay DECISION_ID takes a logged decision again under what its entry names (subject,
measure, as-of, scheme versions) and says whether the answer is the same; the replay is
logged as a read of the subject.

exit codes: 0 allow or allow_with_conditions (--replay: the same answer); 1 deny (--replay:
a different answer); 4 unknown measure or decision; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { 'as-of': { type: 'string' }, scheme: { type: 'string' }, purpose: { type: 'string' }, replay: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } });
      if (values.replay !== undefined) {
        if (positionals.length > 0 || values['as-of'] || values.scheme || values.purpose) throw new UsageError('--replay takes only a decision id (and --reason, --json): the entry names the rest');
        if (!/^[1-9][0-9]{0,15}$/.test(values.replay)) throw new UsageError(`--replay takes a decision id (a whole number, the audit entry), got "${values.replay}"`);
        const decisionId = Number(values.replay);
        const reason = readReason(ctx, values.reason, 'decide --replay');
        return withCredence(ctx, async (c) => {
          const r = await c.replayDecision(decisionId, { actor: cliActor(), reason });
          if (values.json) json(ctx, { ...r, decidedAt: new Date(r.decidedAt).toISOString(), asOf: new Date(r.asOf).toISOString(), replayed: decisionJson(r.replayed, r.purpose) });
          else {
            ctx.io.out(`${r.same ? 'REPRODUCED' : 'DIFFERS'} decision ${r.decisionId}: ${r.subject} ${r.measure} as of ${new Date(r.asOf).toISOString()} under ${r.schemes.join(', ')}${r.assumed ? ' (as-of and versions inferred: the entry predates their logging)' : ''}`);
            ctx.io.out(`  logged:   ${r.logged.outcome} (${r.logged.reasons.join(', ')})`);
            ctx.io.out(`  replayed: ${r.replayed.outcome} (${r.replayed.reasons.map((x) => x.code).join(', ')})`);
            if (r.catalogue.logged !== null && r.catalogue.logged !== r.catalogue.now) ctx.io.out(`  the catalogue changed since: ${r.catalogue.logged} then, ${r.catalogue.now} now`);
          }
          return r.same ? EXIT.OK : EXIT.NEGATIVE;
        });
      }
      const choose = schemeChoice(values.scheme);
      if (positionals.length !== 2) throw new UsageError('decide takes ID and MEASURE');
      const id = canonicalSubject(positionals[0]!, ctx.config.legacyCodes);
      const reason = readReason(ctx, values.reason, 'decide');
      return withCredence(ctx, async (c) => {
        const at = asOf(values['as-of'], ctx.now());
        const d = await c.decide(id, positionals[1]!, at, { actor: cliActor(), purpose: values.purpose ?? 'operator-check', reason }, choose);
        if (values.json) json(ctx, decisionJson(d, values.purpose ?? 'operator-check'));
        else {
          ctx.io.out(`${d.outcome.toUpperCase()} ${d.subject} ${d.measure}`);
          for (const r of d.reasons) ctx.io.out(`  ${r.code}: ${r.message}${r.until ? ` (until ${day(r.until)})` : ''}`);
          if (d.conditions.length > 0) ctx.io.out(`  conditions: ${d.conditions.join('; ')}`);
          ctx.io.out(`  legal basis: ${d.legalBasis}`);
          if (d.crossContext) ctx.io.out('  cross-context measure (its trigger comes from another context of the domain taxonomy)');
          ctx.io.out(`  to contest: ${d.contest}`);
          ctx.io.out(`  decision id: ${d.decisionId} (credence decide --replay ${d.decisionId} takes it again)`);
        }
        return d.outcome === 'deny' ? EXIT.NEGATIVE : EXIT.OK;
      });
    }),
};
