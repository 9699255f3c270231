// `credence cases`: the operator's side of due process: list the review queue, show a case,
// file a dispute or an application for credit restoration on a subject's behalf (with a
// stated reason), decide a case, and withdraw a record for its source. Every step goes to the audit log with the operator as actor.
import { DueProcess, type CaseView } from '../../../app/due-process.ts';
import type { CaseKind } from '../../../ports/store.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { cliActor, day, guard, json, logCliRead, logCliReads, parse, readReason, UsageError, withCredence } from '../common.ts';
import { canonicalSubject } from './subject.ts';

const line = (v: CaseView) =>
  `${v.id}  ${v.kind}  ${v.subject}  ${v.status}${v.outcome ? ` (${v.outcome})` : ''}${v.dueAt !== null ? `  due ${day(v.dueAt)}${v.overdue ? ' OVERDUE' : ''}` : ''}  ${v.record ?? (v.decision !== null ? `decision ${v.decision}` : '')}${v.list ? `  list ${v.list}` : ''}`;
const KINDS = ['dispute', 'review', 'restoration'];

export const casesCommand: CliCommand = {
  name: 'cases',
  help: `usage: credence cases list --reason TEXT [--kind dispute|review|restoration] [--status open|in-review|closed] [--subject ID] [--overdue] [--json]
       credence cases show CASE --reason TEXT [--json]
       credence cases dispute ID --record RECORD --statement TEXT --reason TEXT [--json]
       credence cases restore ID --record RECORD --statement TEXT --evidence REF [--evidence REF ...] --reason TEXT [--json]
       credence cases decide CASE --outcome upheld|rejected|approved|granted|refused --reason TEXT [--json]
       credence cases withdraw RECORD --reason TEXT [--json]

list      the review queue: disputes (awaiting the source, or a reviewer) and records of
          community sources awaiting approval, with their deadlines
show      one case with its history
dispute   file a dispute of a record for the subject ID (--reason says why the operator
          files it, e.g. a hotline call); the record is marked disputed at once and its
          source has the days its basis sets (30, or 20 under the credit-investigation
          regulation) to confirm it
restore   file the subject ID's application for credit restoration from the listing that
          RECORD caused (a list whose catalogue entry allows it, after its minimum time
          listed), with proof of remedy (--evidence, repeatable); --reason says why the
          operator files it (a letter received at the counter). The filing operator cannot
          decide it
decide    a reviewer's decision with its written ground: a dispute upheld (the record is
          withdrawn) or rejected (it stands); a review item approved (it counts from now)
          or rejected (it never counts); a restoration granted (the listing ends now,
          RESTORED) or refused. Under the deployment's four eyes the first reviewer's
          outcome of a dispute or restoration is a proposal; a second reviewer giving the
          same outcome decides
withdraw  withdraw a record its source sent in error, for the source (neutral: no new record)

Every step is logged with the operator (cli:<user>) as actor. list and show read subjects'
data: --reason (or CREDENCE_READ_REASON) goes to the query log of each subject shown.

exit codes: 0 done; 3 refused (the code and reason are printed); 4 no such case or record; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, {
        kind: { type: 'string' }, status: { type: 'string' }, subject: { type: 'string' }, overdue: { type: 'boolean' },
        record: { type: 'string' }, statement: { type: 'string' }, reason: { type: 'string' }, outcome: { type: 'string' }, json: { type: 'boolean' },
        evidence: { type: 'string', multiple: true },
      });
      const [verb, arg] = positionals;
      const actor = cliActor();
      const need = (v: string | undefined, flag: string) => {
        if (v === undefined || v.trim() === '') throw new UsageError(`cases ${verb} needs ${flag}`);
        return v;
      };
      const show = (v: CaseView) => {
        if (values.json) return json(ctx, v);
        ctx.io.out(line(v));
        if (v.statement) ctx.io.out(`  statement: ${v.statement}`);
        if (v.proposal) ctx.io.out(`  proposed ${v.proposal.outcome} by ${v.proposal.by}: waits for a second reviewer to decide the same (four eyes)`);
        for (const h of v.history) ctx.io.out(`  ${new Date(h.at).toISOString()}  ${h.step} by ${h.by}${h.reason ? `: ${h.reason}` : ''}${h.evidence ? ` [evidence: ${h.evidence.join(', ')}]` : ''}`);
      };
      if (verb === 'list') {
        if (positionals.length !== 1) throw new UsageError('cases list takes no positional argument');
        if (values.kind !== undefined && !KINDS.includes(values.kind)) throw new UsageError(`--kind must be dispute, review or restoration, got "${values.kind}"`);
        if (values.status !== undefined && !['open', 'in-review', 'closed'].includes(values.status)) throw new UsageError(`--status must be open, in-review or closed, got "${values.status}"`);
        const reason = readReason(ctx, values.reason, 'cases list');
        return withCredence(ctx, async (c, store) => {
          const subject = values.subject === undefined ? undefined : canonicalSubject(values.subject, ctx.config.legacyCodes);
          const items: CaseView[] = [];
          for (let after: string | null = null; ; ) {
            const page = await new DueProcess(c).cases({ kind: values.kind as CaseKind | undefined, subject, overdue: values.overdue }, after, 1000);
            items.push(...page.items.filter((v) => values.status === undefined || v.status === values.status));
            if (page.next === null) break;
            after = page.next;
          }
          await logCliReads(store, ctx, items.map((v) => v.subject), 'cases list', reason);
          if (values.json) json(ctx, items);
          else if (items.length === 0) ctx.io.out('no cases');
          else for (const v of items) ctx.io.out(line(v));
          return EXIT.OK;
        });
      }
      if (!arg || positionals.length !== 2) throw new UsageError('cases takes list, or show|dispute|restore|decide|withdraw with one argument');
      const showReason = verb === 'show' ? readReason(ctx, values.reason, 'cases show') : null;
      return withCredence(ctx, async (c, store) => {
        const dp = new DueProcess(c);
        if (verb === 'show') {
          const v = await dp.case(arg);
          await logCliRead(store, ctx, v.subject, 'cases show', showReason!, { case: v.id });
          show(v);
        }
        else if (verb === 'dispute') {
          const subject = canonicalSubject(arg, ctx.config.legacyCodes);
          show(await dp.openDispute(subject, { record: need(values.record, '--record RECORD') }, need(values.statement, '--statement TEXT'), { actor, onBehalfReason: need(values.reason, '--reason TEXT (why the operator files it)') }));
        } else if (verb === 'restore') {
          const subject = canonicalSubject(arg, ctx.config.legacyCodes);
          if (!values.evidence || values.evidence.length === 0) throw new UsageError('cases restore needs --evidence REF (proof of remedy; repeat for more)');
          show(await dp.applyRestoration(subject, need(values.record, '--record RECORD'), need(values.statement, '--statement TEXT'), values.evidence, { actor, onBehalfReason: need(values.reason, '--reason TEXT (why the operator files it)') }));
        } else if (verb === 'decide') show(await dp.decide(arg, need(values.outcome, '--outcome'), need(values.reason, '--reason TEXT'), { actor }));
        else if (verb === 'withdraw') {
          const out = await dp.withdraw(arg, need(values.reason, '--reason TEXT'), { actor, source: null });
          if (values.json) json(ctx, out);
          else ctx.io.out(`${out.record} withdrawn ${new Date(out.withdrawnAt).toISOString()}${out.closed.length ? `; closed ${out.closed.join(', ')}` : ''}`);
        } else throw new UsageError(`unknown cases action "${verb}" (list, show, dispute, restore, decide, withdraw)`);
        return EXIT.OK;
      });
    }),
};
