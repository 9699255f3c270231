// `credence audit verify`: checks the whole hash chain and names the first broken entry.
import { EXIT, type CliCommand } from '../command.ts';
import { guard, json, parse, UsageError, withCredence } from '../common.ts';

export const auditCommand: CliCommand = {
  name: 'audit',
  help: `usage: credence audit verify [--json]

Recomputes every entry's hash and its link to the previous entry, and checks that every
stored record is covered by the audit entry of the write that stored it. Prints the number
of entries and records and the head hash, or the first broken entry and why (altered,
missing, out of order), or the records no entry covers.

exit codes: 0 the log is intact and covers every record; 1 it is not; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
      if (positionals[0] !== 'verify' || positionals.length !== 1) throw new UsageError('audit takes verify');
      return withCredence(ctx, async (c) => {
        const v = await c.verifyAudit();
        if (values.json) json(ctx, v);
        else if (v.ok) ctx.io.out(`audit chain intact: ${v.count} entries, head ${v.head}; all ${v.records} records covered`);
        else if (v.code === 'AUDIT_CHAIN_BROKEN') ctx.io.out(`AUDIT_CHAIN_BROKEN at entry ${v.brokenAt}: ${v.reason} (${v.count} entries verified before it)`);
        else ctx.io.out(`AUDIT_COVERAGE_BROKEN: ${v.reason} (chain of ${v.count} entries intact)`);
        return v.ok ? EXIT.OK : EXIT.NEGATIVE;
      });
    }),
};
