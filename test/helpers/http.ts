// HTTP test fixture: the app over an in-memory SQLite store with the shipped catalogue, a
// few records about two residents, a registered railway and bank, and one key per role.
import type { IngestBus } from '../../src/ports/ingest-bus.ts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Credence } from '../../src/app/credence.ts';
import type { DispatcherOptions } from '../../src/app/notices.ts';
import { initStore } from '../../src/app/init.ts';
import { SqliteAccessStore } from '../../src/adapters/sqlite/sqlite-access-store.ts';
import { SqliteStore } from '../../src/adapters/sqlite/sqlite-store.ts';
import { makeResidentId } from '../../src/domain/identifiers.ts';
import type { Role } from '../../src/ports/access-store.ts';
import { buildApp } from '../../src/transport/http/app.ts';
import type { HttpOptions } from '../../src/transport/http/context.ts';
import { newKey } from '../../src/transport/http/keys.ts';
import { CATALOGUE_DIR } from './shipped.ts';

export const alice = makeResidentId('371082', '19850312', '021');
export const bob = makeResidentId('371082', '19700101', '033');
export const carol = makeResidentId('371082', '19920505', '047');
export const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

export type KeyName = 'operator' | 'auditor' | 'source' | 'court' | 'railway' | 'bank' | 'alice' | 'bob';

/** `extra.now` sets the clock (a test moves it to pass deadlines); keys last 400 days of it. */
export async function httpFixture(options: Partial<HttpOptions> = {}, extra: { bus?: IngestBus; now?: () => number; dispatch?: DispatcherOptions | false; fourEyes?: boolean } = {}) {
  const store = await SqliteStore.open(':memory:');
  const now = extra.now ?? (() => Date.now());
  const init = await initStore(store, CATALOGUE_DIR, 'default', now(), { fourEyes: extra.fourEyes ?? null });
  if (init.problems.length > 0) throw new Error(JSON.stringify(init.problems[0]));
  const credence = await Credence.open(store, { now });
  await credence.ingest([
    { source: 'utilities-bureau', sourceRecordId: 'u-1', subject: alice, type: 'utilities.theft', occurredAt: daysAgo(10), payload: { utility: 'power' }, evidence: ['meter-photo-17'] },
    { source: 'rongcheng-court', sourceRecordId: 'c-1', subject: bob, type: 'courts.defaulter_listing', occurredAt: daysAgo(5), payload: { case_ref: '(2026) Lu 1082 Zhi 101', ground: 'able_to_pay_refuses', end_date: daysAgo(-700) } },
  ], 'test');
  const access = new SqliteAccessStore(store.sharedConnection());
  await access.saveProvider({ id: 'railway', name: 'Railway', measures: ['defaulter.no_g_train', 'defaulter.no_soft_sleeper'], purposes: ['ticket-sale', 'boarding'], createdAt: now() });
  await access.saveProvider({ id: 'bank', name: 'Bank', measures: ['defaulter.restricted_loans_cards'], purposes: ['credit-application'], createdAt: now() });
  const app = await buildApp({ credence, store, access, bus: extra.bus ?? null, now, ...(extra.dispatch !== undefined ? { dispatch: extra.dispatch } : {}), options: { rateLimit: { burst: 1_000_000, perSecond: 1_000_000 }, ...options } });
  const ids: Partial<Record<KeyName, string>> = {};
  const mint = async (name: KeyName, role: Role, binding: string | null) => {
    const k = newKey(role);
    await access.createKey({ id: k.id, role, name, hash: k.hash, binding, createdAt: now(), createdBy: 'test', expiresAt: now() + 400 * 86_400_000, revokedAt: null, replacedBy: null });
    ids[name] = k.id;
    return k.secret;
  };
  const keys: Record<KeyName, string> = {
    operator: await mint('operator', 'operator', null),
    auditor: await mint('auditor', 'auditor', null),
    source: await mint('source', 'source', 'tax-bureau'),
    court: await mint('court', 'source', 'rongcheng-court'),
    railway: await mint('railway', 'provider', 'railway'),
    bank: await mint('bank', 'provider', 'bank'),
    alice: await mint('alice', 'subject', alice),
    bob: await mint('bob', 'subject', bob),
  };
  const call = (method: string, url: string, o: { key?: KeyName | string; body?: unknown; headers?: Record<string, string>; raw?: string; contentType?: string } = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.key) headers.authorization = `Bearer ${o.key in keys ? keys[o.key as KeyName] : o.key}`;
    let payload: string | undefined;
    if (o.raw !== undefined) { payload = o.raw; headers['content-type'] = o.contentType ?? 'application/json'; }
    else if (o.body !== undefined) { payload = JSON.stringify(o.body); headers['content-type'] = o.contentType ?? 'application/json'; }
    return app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
  };
  return {
    app: app as FastifyInstance, store, access, credence, keys, ids, call,
    close: async () => { await app.close(); await store.close(); },
  };
}

export const json = (r: LightMyRequestResponse) => JSON.parse(r.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
