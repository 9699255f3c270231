// `credence consents`: an operator records a subject's consent on its behalf (a signed
// authorisation form at a counter), lists a subject's consents with their uses, and revokes
// one (a letter withdrawing consent). Same rules as POST /v1/subjects/{id}/consents; every
// step is logged with the operator (cli:<user>) as actor and the stated reason.
import { CONSENT_LIMITS, consentJson, Consents, publicationJson, type ConsentView } from '../../../app/consent.ts';
import { openAccessStore } from '../../../main/open-store.ts';
import type { PublicationConsentRow } from '../../../ports/access-store.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { cliActor, day, guard, json, logCliRead, parse, readReason, UsageError, withCredence } from '../common.ts';
import { canonicalSubject } from './subject.ts';

const line = (v: ConsentView) =>
  `${v.id}  ${v.status.padEnd(7)}  ${v.provider.id} (${v.provider.name ?? 'unregistered'})  ${v.purpose}  ${v.measure}  ${v.uses}/${v.maxUses} uses  until ${day(v.expiresAt)}`;

const publicationLine = (p: PublicationConsentRow) =>
  `publication on ${p.list}: ${p.withdrawnAt === null ? 'in force' : `withdrawn ${day(p.withdrawnAt)}`} (given ${day(p.givenAt)} by ${p.givenBy})`;

export const consentsCommand: CliCommand = {
  name: 'consents',
  help: `usage: credence consents list ID --reason TEXT [--json]
       credence consents issue ID --provider P --purpose PURPOSE --measure M --reason TEXT [--days N] [--uses N] [--json]
       credence consents revoke ID CONSENT --reason TEXT [--json]
       credence consents publish ID --list LIST --reason TEXT [--json]
       credence consents unpublish ID --list LIST --reason TEXT [--json]

list    the subject's consents, newest first, with their uses and status (active, expired,
        used, revoked); never a token. A read of the subject's data: --reason (or
        CREDENCE_READ_REASON) goes to the subject's query log
issue   record the subject's consent to provider P's look-ups for one consent purpose and
        measure, on the subject's behalf (--reason says why, e.g. a signed form); lasts
        --days (default ${CONSENT_LIMITS.daysDefault}, at most ${CONSENT_LIMITS.daysMax}) and allows --uses look-ups (default ${CONSENT_LIMITS.usesDefault},
        at most ${CONSENT_LIMITS.usesMax}); the token is printed once, for the subject to hand to the provider
revoke  withdraw a consent at once; later look-ups with its token are refused
publish record the subject's consent to being named on a public red list (honesty-models),
        on the subject's behalf; without it the list never names the subject
unpublish  withdraw that consent: the name is no longer published
list shows the subject's publication consents too.

exit codes: 0 done; 3 refused (the code and reason are printed); 4 no such consent or provider; 2 usage`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, {
        provider: { type: 'string' }, purpose: { type: 'string' }, measure: { type: 'string' }, reason: { type: 'string' }, list: { type: 'string' },
        days: { type: 'string' }, uses: { type: 'string' }, json: { type: 'boolean' },
      });
      const [verb, rawId, consentId] = positionals;
      if (!verb || !['list', 'issue', 'revoke', 'publish', 'unpublish'].includes(verb)) throw new UsageError('consents takes list, issue, revoke, publish or unpublish');
      if (!rawId) throw new UsageError(`consents ${verb} takes the subject's ID`);
      if (positionals.length !== (verb === 'revoke' ? 3 : 2)) throw new UsageError(verb === 'revoke' ? 'consents revoke takes ID and CONSENT' : `consents ${verb} takes one ID`);
      const need = (v: string | undefined, flag: string) => {
        if (v === undefined || v.trim() === '') throw new UsageError(`consents ${verb} needs ${flag}`);
        return v;
      };
      const whole = (v: string | undefined, flag: string, max: number) => {
        if (v === undefined) return undefined;
        if (!/^[1-9][0-9]*$/.test(v) || Number(v) > max) throw new UsageError(`${flag} is a whole number from 1 to ${max}, got "${v}"`);
        return Number(v);
      };
      const subject = canonicalSubject(rawId, ctx.config.legacyCodes);
      const actor = cliActor();
      const listReason = verb === 'list' ? readReason(ctx, values.reason, 'consents list') : null;
      return withCredence(ctx, async (c, store) => {
        const consents = new Consents(c, openAccessStore(store));
        if (verb === 'list') {
          await logCliRead(store, ctx, subject, 'consents list', listReason!);
          const items = await consents.list(subject);
          const publications = await consents.publications(subject);
          if (values.json) json(ctx, items.map(consentJson));
          else if (items.length === 0 && publications.length === 0) ctx.io.out('no consents');
          else {
            for (const v of items) ctx.io.out(line(v));
            for (const p of publications) ctx.io.out(publicationLine(p));
          }
          return EXIT.OK;
        }
        if (verb === 'publish' || verb === 'unpublish') {
          const list = need(values.list, '--list LIST');
          const who = { actor, onBehalfReason: need(values.reason, '--reason TEXT (why the operator records it)') };
          const p = verb === 'publish' ? (await consents.publish(subject, list, who)).consent : await consents.unpublish(subject, list, who);
          if (values.json) json(ctx, publicationJson(p));
          else ctx.io.out(publicationLine(p));
          return EXIT.OK;
        }
        if (verb === 'issue') {
          const { consent, token } = await consents.issue(subject, {
            provider: need(values.provider, '--provider P'), purpose: need(values.purpose, '--purpose PURPOSE'), measure: need(values.measure, '--measure M'),
            expiresInDays: whole(values.days, '--days', CONSENT_LIMITS.daysMax), uses: whole(values.uses, '--uses', CONSENT_LIMITS.usesMax),
          }, { actor, onBehalfReason: need(values.reason, '--reason TEXT (why the operator records it)') });
          if (values.json) json(ctx, { ...consentJson(consent), token });
          else ctx.io.out(`${line(consent)}\n  token (shown once): ${token}`);
          return EXIT.OK;
        }
        const v = await consents.revoke(subject, consentId!, { actor, onBehalfReason: need(values.reason, '--reason TEXT') });
        if (values.json) json(ctx, consentJson(v));
        else ctx.io.out(line(v));
        return EXIT.OK;
      });
    }),
};
