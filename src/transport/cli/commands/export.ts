// `credence export ID`: everything held about one subject, as JSON.
import { consentJson, Consents, publicationJson } from '../../../app/consent.ts';
import { openAccessStore } from '../../../main/open-store.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { cliActor, guard, json, parse, readReason, UsageError, withCredence } from '../common.ts';
import { canonicalSubject } from './subject.ts';

export const exportCommand: CliCommand = {
  name: 'export',
  help: `usage: credence export ID --reason TEXT

Prints one JSON document: the subject, every record (with source, legal basis, status and
expiry), scores and list entries per scheme, the ledger of every point with its rule, the
subject's consents (never their tokens), consents to publication on a red list, and every query and decision about the subject from
the audit log. --reason TEXT says why (a subject's access request, a case number;
CREDENCE_READ_REASON gives one for a session); the export is logged with it first.

exit codes: 0 exported; 4 no records are held about ID; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { reason: { type: 'string' } });
      if (positionals.length !== 1) throw new UsageError('export takes one ID');
      const id = canonicalSubject(positionals[0]!, ctx.config.legacyCodes);
      const reason = readReason(ctx, values.reason, 'export');
      return withCredence(ctx, async (c, store) => {
        await c.subject(id); // nothing to export (SUBJECT_NOT_FOUND) is not logged as an export
        await store.appendAudit([{ at: ctx.now(), actor: cliActor(), action: 'subject.export', subject: id, detail: { reason } }]);
        const cs = new Consents(c, openAccessStore(store));
        const consents = await cs.list(id);
        const publication = (await cs.publications(id)).map(publicationJson);
        json(ctx, { ...(await c.export(id, ctx.now())), consents: consents.map(consentJson), publication });
        return EXIT.OK;
      });
    }),
};
