// `credence keys create|list|revoke`: API keys of the HTTP API, for operators working on the
// server's database (e.g. when the start-up operator key has expired). Same rules as
// POST /v1/keys: the secret is printed once and stored only as its SHA-256.
import { openAccessStore } from '../../../main/open-store.ts';
import { ROLES, type Role } from '../../../ports/access-store.ts';
import { newKey } from '../../http/keys.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { cliActor, DataError, guard, json, parse, UsageError, withCredence } from '../common.ts';
import { canonicalSubject } from './subject.ts';

export const keysCommand: CliCommand = {
  name: 'keys',
  help: `usage: credence keys create --role ROLE --name NAME [--binding ID] [--expires-days N] [--json]
       credence keys list [--json]
       credence keys revoke KEY_ID

ROLE is source (binding: a catalogue source id), provider (binding: a registered provider
id), operator, auditor, or subject (binding: the subject's identifier). The key is printed
once; only its SHA-256 is stored. Default lifetime 365 days (at most 1095).

exit codes: 0 done; 2 usage; 3 bad binding; 4 no such key`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { role: { type: 'string' }, name: { type: 'string' }, binding: { type: 'string' }, 'expires-days': { type: 'string' }, json: { type: 'boolean' } });
      const verb = positionals[0];
      if (!verb || !['create', 'list', 'revoke'].includes(verb)) throw new UsageError('keys takes create, list or revoke');
      return withCredence(ctx, async (c, store) => {
        await store.migrate();
        const access = openAccessStore(store);
        const now = ctx.now();
        if (verb === 'list') {
          const keys = await access.listKeys(1000);
          if (values.json) json(ctx, keys.map(({ hash: _h, ...k }) => k));
          else for (const k of keys) ctx.io.out(`${k.id}  ${k.role.padEnd(8)}  ${(k.binding ?? '-').padEnd(20)}  ${k.revokedAt ? 'revoked' : k.expiresAt !== null && k.expiresAt <= now ? 'expired' : 'active'}  ${k.name}`);
          return EXIT.OK;
        }
        if (verb === 'revoke') {
          if (!positionals[1]) throw new UsageError('keys revoke takes KEY_ID');
          if (!(await access.revokeKey(positionals[1], now))) { ctx.io.err(`KEY_NOT_FOUND: no key ${positionals[1]}`); return EXIT.NOT_FOUND; }
          await store.appendAudit([{ at: now, actor: cliActor(), action: 'key.revoke', detail: { key: positionals[1] } }]);
          ctx.io.out(`revoked ${positionals[1]}`);
          return EXIT.OK;
        }
        const role = values.role as Role | undefined;
        if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role is one of ${ROLES.join(', ')}`);
        if (!values.name || values.name.length > 200) throw new UsageError('--name is required (at most 200 characters)');
        const days = Number(values['expires-days'] ?? 365);
        if (!Number.isInteger(days) || days < 1 || days > 1095) throw new UsageError('--expires-days is 1-1095');
        let binding: string | null = values.binding ?? null;
        if (role === 'operator' || role === 'auditor') { if (binding) throw new UsageError(`a ${role} key has no --binding`); }
        else if (!binding) throw new UsageError(`a ${role} key needs --binding`);
        else if (role === 'source' && !c.catalogue.sources.has(binding)) throw new DataError(`BINDING_INVALID: no source "${binding}" in the catalogue`);
        else if (role === 'provider' && !(await access.getProvider(binding))) throw new DataError(`BINDING_INVALID: no provider "${binding}" is registered`);
        else if (role === 'subject') binding = canonicalSubject(binding, ctx.config.legacyCodes);
        const k = newKey(role);
        await access.createKey({ id: k.id, role, name: values.name, hash: k.hash, binding, createdAt: now, createdBy: cliActor(), expiresAt: now + days * 86_400_000, revokedAt: null, replacedBy: null });
        await store.appendAudit([{ at: now, actor: cliActor(), action: 'key.create', ...(role === 'subject' ? { subject: binding! } : {}), detail: { key: k.id, role, binding } }]);
        if (values.json) json(ctx, { id: k.id, role, binding, key: k.secret, expiresAt: new Date(now + days * 86_400_000).toISOString() });
        else ctx.io.out(`${k.id} ${role}${binding ? ` ${binding}` : ''}: ${k.secret}  (shown once)`);
        return EXIT.OK;
      });
    }),
};
