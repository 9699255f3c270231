// `credence lists show NAME`: the entries of a list, with legal basis and statutory end. The
// operator's view (full identifiers); --public shows what the public list route publishes.
import { Consents } from '../../../app/consent.ts';
import { openAccessStore } from '../../../main/open-store.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { asOf, day, guard, json, logCliReads, parse, readReason, schemeChoice, UsageError, withCredence } from '../common.ts';

export const listsCommand: CliCommand = {
  name: 'lists',
  help: `usage: credence lists show NAME --reason TEXT [--as-of DATE] [--scheme ID@VERSION] [--limit N] [--json]
       credence lists show NAME --public [--as-of DATE] [--scheme ID@VERSION] [--limit N] [--json]

NAME is a list of the catalogue: judgment-defaulters, dishonest-persons, honesty-models,
... Each entry shows the subject, since when, the statutory end (or "while the grade
holds") and the legal basis. This is the operator's view, with full identifiers: a read of
every listed subject's data, so --reason (or CREDENCE_READ_REASON) goes to the query log of
each subject shown.

--public shows what GET /v1/lists/NAME/entries publishes to anyone: only a list marked
public, each entry with its identifier masked (first 6 and last 4 characters) and its name
shortened (张*, Anna M.), never a score or a grade; a red list (honesty-models) names only
subjects who consented (credence consents publish; PUT /v1/subjects/{id}/publication/{list}).

exit codes: 0 shown; 4 unknown list; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { 'as-of': { type: 'string' }, scheme: { type: 'string' }, limit: { type: 'string' }, public: { type: 'boolean' }, reason: { type: 'string' }, json: { type: 'boolean' } });
      const choose = schemeChoice(values.scheme);
      if (positionals[0] !== 'show' || positionals.length !== 2) throw new UsageError('lists takes show NAME');
      const limit = values.limit ? Number(values.limit) : 1000;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new UsageError('--limit is a whole number from 1 to 100000');
      const reason = values.public ? null : readReason(ctx, values.reason, 'lists show');
      return withCredence(ctx, async (c, store) => {
        const at = asOf(values['as-of'], ctx.now());
        if (values.public) {
          const { def, held, published: pub } = await c.publicListEntries(positionals[1]!, at, limit, choose, new Consents(c, openAccessStore(store)).publicationConsent);
          if (values.json) {
            json(ctx, {
              list: def, at: new Date(at).toISOString(), view: 'public', published: pub !== null, consentRequired: pub?.consentRequired ?? false, withheld: pub?.withheld ?? held,
              entries: (pub?.items ?? []).map((e) => ({ ...e, from: new Date(e.from).toISOString(), until: e.until === null ? null : new Date(e.until).toISOString() })),
            });
            return EXIT.OK;
          }
          if (pub === null) {
            ctx.io.out(`${def.id}: ${def.title} is not public: nothing of it is published (${held} entr${held === 1 ? 'y' : 'ies'} as of ${day(at)}, operators and auditors only)`);
            return EXIT.OK;
          }
          ctx.io.out(`${def.id}: ${def.title} (${def.kind} list, public view) — ${pub.items.length} published entr${pub.items.length === 1 ? 'y' : 'ies'} as of ${day(at)}`);
          ctx.io.out(`legal basis: ${def.legalBasis}`);
          if (pub.consentRequired) ctx.io.out(`a red list names only subjects who consented; ${pub.withheld} withheld (no consent to publication in force)`);
          for (const e of pub.items) ctx.io.out(`  ${e.subject.padEnd(20)} ${(e.name ?? '-').padEnd(16)} since ${day(e.from)}  ${e.until === null ? 'while the grade holds' : `until ${day(e.until)}`}`);
          return EXIT.OK;
        }
        const entries = await c.listEntries(positionals[1]!, at, limit, choose);
        const def = c.catalogue.lists.get(positionals[1]!)!;
        await logCliReads(store, ctx, entries.map((e) => e.subject), 'lists show', reason!, { list: def.id });
        if (values.json) {
          json(ctx, { list: def, at: new Date(at).toISOString(), entries: entries.map((e) => ({ ...e, from: new Date(e.from).toISOString(), until: e.until === null ? null : new Date(e.until).toISOString() })) });
          return EXIT.OK;
        }
        ctx.io.out(`${def.id}: ${def.title} (${def.kind} list, ${def.public ? 'public' : 'not public'}) — ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} as of ${day(at)}`);
        ctx.io.out(`legal basis: ${def.legalBasis}`);
        for (const e of entries) ctx.io.out(`  ${e.subject.padEnd(20)} since ${day(e.from)}  ${e.until === null ? 'while the grade holds' : `until ${day(e.until)}`}  (${e.cause})`);
        return EXIT.OK;
      });
    }),
};
