// `credence maintain`: what time did, written down and told (src/app/maintain.ts): disputes
// that lapsed or were corrected are closed with their notices, listings about to end are
// noticed, what is past retention is deleted, stale states are re-evaluated; then one webhook
// delivery round. The server runs the same job every ten minutes;
// this command is for cron where no server runs, and for a clock moved with CREDENCE_CLOCK.
import { maintain } from '../../../app/maintain.ts';
import { deliveryRound } from './notices.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { guard, json, parse, UsageError, withCredence } from '../common.ts';

export const maintainCommand: CliCommand = {
  name: 'maintain',
  help: `usage: credence maintain [--json]

Closes disputes whose deadline passed unconfirmed (lapsed) or whose record its source
corrected, with the outcome's notices to the subject and to the providers that received
answers relying on the record; tells subjects whose listing ends within 30 days; deletes
for good the records past their type's retention (five years by default) with the closed
cases and notices that name them, keeping the counts in the audit log (a record is kept
while deleting it would change a current answer, or while a case about it is open);
re-evaluates grades an expiry has changed; then runs a webhook delivery round. Nothing here
changes a current score: scoring applies every deadline by itself. Safe to run at any time
and from several places at once.

exit codes: 0 done; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
      if (positionals.length > 0) throw new UsageError('maintain takes no argument');
      return withCredence(ctx, async (c, store) => {
        const report = await maintain(c);
        const round = await deliveryRound(ctx, store);
        const p = report.purged;
        if (values.json) json(ctx, { at: new Date(report.at).toISOString(), disputes: report.disputes, listingsEnding: report.listingsEnding, purged: p, statesRefreshed: report.statesRefreshed, webhooks: round });
        else {
          ctx.io.out(`disputes closed: ${report.disputes.lapsed} lapsed, ${report.disputes.corrected} corrected`);
          ctx.io.out(`listings ending within 30 days noticed: ${report.listingsEnding}`);
          ctx.io.out(`past retention, deleted: ${p.records} record(s), ${p.cases} case(s), ${p.notices} notice(s) of ${p.subjects} subject(s)${p.deferred > 0 ? `; ${p.deferred} kept for now` : ''}`);
          ctx.io.out(`grades re-evaluated after an expiry: ${report.statesRefreshed}`);
          ctx.io.out(`webhooks: ${round.attempted} attempted, ${round.delivered} delivered`);
        }
        return EXIT.OK;
      });
    }),
};
