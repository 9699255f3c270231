// `credence notices` and `credence webhooks`: an operator reads a subject's notices (a read of
// the subject's data, logged with the stated reason), registers and manages the webhook
// endpoints notices are delivered to, looks at their deliveries and dead-letter list, replays
// them, and runs a delivery round where no server does (cron). Same rules as the HTTP routes.
import { openMailer } from '../../../main/open-store.ts';
import { contactJson, Dispatcher, Notices, type DeliveryView, type EndpointView } from '../../../app/notices.ts';
import { DELIVERY_STATUSES, type DeliveryStatus, type Store } from '../../../ports/store.ts';
import { EXIT, type CliCommand, type CliContext } from '../command.ts';
import { cliActor, guard, json, logCliRead, parse, readReason, UsageError, withCredence } from '../common.ts';
import { canonicalSubject } from './subject.ts';

/** One webhook and e-mail delivery round, through the configured SMTP server (`webhooks deliver`, `maintain`). */
export async function deliveryRound(ctx: CliContext, store: Store) {
  const mailer = await openMailer(ctx.config);
  try {
    return await new Dispatcher(store, ctx.now, { mailer }).tick();
  } finally {
    await mailer?.close();
  }
}

export const noticesCommand: CliCommand = {
  name: 'notices',
  help: `usage: credence notices list ID --reason TEXT [--unread] [--json]
       credence notices contacts ID --reason TEXT [--json]
       credence notices contact-add ID --email ADDRESS --reason TEXT [--json]
       credence notices contact-remove ID CONTACT --reason TEXT [--json]

list            the subject's notices, oldest first: adverse records, grade drops, list
                entries, measures now in force, dispute and review outcomes, each with its
                reasons, legal basis, the subject's rights and deadlines. A read of the
                subject's data: --reason (or CREDENCE_READ_REASON) goes to the subject's query log
contacts        the addresses the subject's notices are e-mailed to, with delivery counts
                (a read of the subject's data, logged with --reason)
contact-add     e-mail the subject's notices to ADDRESS from now on, on the subject's behalf
                (--reason says why, e.g. a form signed at the counter); needs CREDENCE_SMTP_URL
                where deliveries run (the server, or credence maintain)
contact-remove  stop e-mailing contact CONTACT (an id from contacts)

exit codes: 0 done; 3 refused (the code and reason are printed); 4 no such subject or contact; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { reason: { type: 'string' }, unread: { type: 'boolean' }, email: { type: 'string' }, json: { type: 'boolean' } });
      const [verb, rawId, contactId] = positionals;
      if (!verb || !['list', 'contacts', 'contact-add', 'contact-remove'].includes(verb)) throw new UsageError('notices takes list, contacts, contact-add or contact-remove');
      const arity = verb === 'contact-remove' ? 3 : 2;
      if (!rawId || positionals.length !== arity) throw new UsageError(verb === 'contact-remove' ? 'notices contact-remove takes ID and CONTACT' : `notices ${verb} takes one ID`);
      const subject = canonicalSubject(rawId, ctx.config.legacyCodes);
      if (verb !== 'list') return contactStep(ctx, verb, subject, contactId, values);
      const reason = readReason(ctx, values.reason, 'notices list');
      return withCredence(ctx, async (c, store) => {
        await c.subject(subject);
        await logCliRead(store, ctx, subject, 'notices list', reason);
        const items: unknown[] = [];
        const lines: string[] = [];
        for (let after = 0; ;) {
          const page = await new Notices(store, ctx.now).inbox({ subject }, { unread: values.unread, afterSeq: after, limit: 1000 });
          items.push(...page.items);
          for (const n of page.items) lines.push(`${n.createdAt.slice(0, 10)}  ${n.kind.padEnd(16)}  ${n.readAt ? 'read  ' : 'unread'}  ${String(n.body.summary)}`);
          if (page.next === null) break;
          after = page.next;
        }
        if (values.json) json(ctx, items);
        else if (lines.length === 0) ctx.io.out('no notices');
        else for (const l of lines) ctx.io.out(l);
        return EXIT.OK;
      });
    }),
};

const contactLine = (e: EndpointView) => `${e.id}  ${e.url.slice('mailto:'.length)}  since ${e.createdAt.slice(0, 10)}  pending ${e.pending}, delivered ${e.delivered}, dead ${e.dead}`;

/** The subject's e-mail contacts, as an operator at a counter handles them (same rules as /v1/subjects/{id}/contacts). */
async function contactStep(ctx: CliContext, verb: string, subject: string, contactId: string | undefined, values: { reason?: string; email?: string; json?: boolean }): Promise<number> {
  const reason = verb === 'contacts' ? readReason(ctx, values.reason, 'notices contacts') : values.reason;
  if (reason === undefined || reason.trim() === '') throw new UsageError(`notices ${verb} needs --reason TEXT (why the operator acts for the subject)`);
  if (verb === 'contact-add' && (values.email === undefined || values.email.trim() === '')) throw new UsageError('notices contact-add needs --email ADDRESS');
  return withCredence(ctx, async (c, store) => {
    await c.subject(subject);
    const notices = new Notices(store, ctx.now);
    if (verb === 'contacts') {
      await logCliRead(store, ctx, subject, 'notices contacts', reason);
      const items = await notices.contacts(subject);
      if (values.json) json(ctx, items.map(contactJson));
      else if (items.length === 0) ctx.io.out('no e-mail contacts');
      else for (const e of items) ctx.io.out(contactLine(e));
      return EXIT.OK;
    }
    const who = { actor: cliActor(), reason };
    const e = verb === 'contact-add' ? await notices.addContact(subject, values.email, who) : await notices.removeContact(subject, contactId!, who);
    if (values.json) json(ctx, contactJson(e));
    else ctx.io.out(`${verb === 'contact-add' ? 'e-mailing' : 'stopped'}: ${contactLine(e)}`);
    return EXIT.OK;
  });
}

const endpointLine = (e: EndpointView) =>
  `${e.id}  ${e.disabledAt ? 'disabled' : 'active  '}  ${e.recipient}  ${e.kinds ? e.kinds.join(',') : 'all kinds'}  ${e.url}  pending ${e.pending}, delivered ${e.delivered}, dead ${e.dead}${e.description ? `  (${e.description})` : ''}`;
const deliveryLine = (d: DeliveryView) =>
  `${String(d.noticeSeq).padStart(6)}  ${d.notice}  ${d.status.padEnd(9)}  ${d.attempts} attempt(s)${d.nextAt ? `, next ${d.nextAt}` : ''}${d.lastError ? `, last: ${d.lastError}` : d.lastStatus ? `, last: HTTP ${d.lastStatus}` : ''}`;

export const webhooksCommand: CliCommand = {
  name: 'webhooks',
  help: `usage: credence webhooks add URL [--recipient subject|provider:ID|*] [--kinds K,K] [--description TEXT] [--json]
       credence webhooks list [--json]
       credence webhooks disable ENDPOINT
       credence webhooks deliveries ENDPOINT [--status pending|delivered|dead] [--json]
       credence webhooks replay ENDPOINT [--status dead|delivered] [--from SEQ]
       credence webhooks deliver

add         register an endpoint for notices written from now on; prints its signing secret
            (whsec_...) once. Deliveries are POSTs signed per Standard Webhooks; a 2xx
            delivers, anything else is retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
list        endpoints with their delivery counts (never the secret)
disable     send nothing more to it; its pending deliveries become dead
deliveries  an endpoint's deliveries; --status dead is its dead-letter list
replay      send its dead (or delivered) deliveries again, from notice --from SEQ on
deliver     run one delivery round now and wait for it (where no server runs, e.g. from cron)

exit codes: 0 done; 3 refused; 4 no such endpoint; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, {
        recipient: { type: 'string' }, kinds: { type: 'string' }, description: { type: 'string' },
        status: { type: 'string' }, from: { type: 'string' }, json: { type: 'boolean' },
      });
      const [verb, arg] = positionals;
      const verbs = ['add', 'list', 'disable', 'deliveries', 'replay', 'deliver'];
      if (!verb || !verbs.includes(verb)) throw new UsageError(`webhooks takes ${verbs.join(', ')}`);
      const takesArg = verb !== 'list' && verb !== 'deliver';
      if (positionals.length !== (takesArg ? 2 : 1)) throw new UsageError(takesArg ? `webhooks ${verb} takes ${verb === 'add' ? 'URL' : 'ENDPOINT'}` : `webhooks ${verb} takes no argument`);
      const status = values.status as DeliveryStatus | undefined;
      if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status is one of ${DELIVERY_STATUSES.join(', ')}, got "${status}"`);
      if (values.from !== undefined && !/^[0-9]+$/.test(values.from)) throw new UsageError(`--from is a notice seq (a whole number), got "${values.from}"`);
      return withCredence(ctx, async (_c, store) => {
        const n = new Notices(store, ctx.now);
        const logged = (action: string, detail: Record<string, unknown>) => store.appendAudit([{ at: ctx.now(), actor: cliActor(), action, detail }]);
        switch (verb) {
          case 'add': {
            const { endpoint, secret } = await n.addEndpoint({ url: arg, recipient: values.recipient, kinds: values.kinds?.split(',').map((k) => k.trim()), description: values.description });
            await logged('webhook.add', { endpoint: endpoint.id, url: endpoint.url, recipient: endpoint.recipient });
            if (values.json) json(ctx, { ...endpoint, secret });
            else ctx.io.out(`${endpointLine(endpoint)}\n  signing secret (shown once): ${secret}`);
            return EXIT.OK;
          }
          case 'list': {
            const all = await n.endpoints();
            if (values.json) json(ctx, all);
            else if (all.length === 0) ctx.io.out('no webhook endpoints');
            else for (const e of all) ctx.io.out(endpointLine(e));
            return EXIT.OK;
          }
          case 'disable': {
            const e = await n.disable(arg!);
            await logged('webhook.disable', { endpoint: e.id });
            ctx.io.out(endpointLine(e));
            return EXIT.OK;
          }
          case 'deliveries': {
            const items: DeliveryView[] = [];
            for (let after = 0; ;) {
              const page = await n.deliveries({ endpoint: arg!, ...(status ? { status } : {}) }, after, 1000);
              items.push(...page.items);
              if (page.next === null) break;
              after = page.next;
            }
            if (values.json) json(ctx, items);
            else if (items.length === 0) ctx.io.out('no deliveries');
            else for (const d of items) ctx.io.out(deliveryLine(d));
            return EXIT.OK;
          }
          case 'replay': {
            const out = await n.replay(arg!, { ...(status ? { status } : {}), ...(values.from !== undefined ? { fromSeq: Number(values.from) } : {}) });
            await logged('webhook.replay', { endpoint: arg, replayed: out.replayed, status: status ?? 'dead' });
            ctx.io.out(`${out.replayed} deliveries of ${arg} are due again; the server's dispatcher (or \`credence webhooks deliver\`) sends them`);
            return EXIT.OK;
          }
          default: {
            const r = await deliveryRound(ctx, store);
            ctx.io.out(`delivery round: ${r.fannedOut} new deliveries, ${r.attempted} attempted, ${r.delivered} delivered`);
            return EXIT.OK;
          }
        }
      });
    }),
};
