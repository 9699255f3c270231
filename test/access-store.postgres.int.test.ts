// The access-store contract against PostgreSQL (one database per test file, created here,
// dropped at the end, emptied before each test); idempotency reservations racing across
// separate pools (as separate processes would); and the HTTP server started on PostgreSQL
// end to end. Skips, saying why, when no PostgreSQL answers (fails instead under CI=true).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresAccessStore } from '../src/adapters/postgres/postgres-access-store.ts';
import { LATEST_VERSION } from '../src/adapters/postgres/postgres-migrations.ts';
import { PostgresStore } from '../src/adapters/postgres/postgres-store.ts';
import { loadConfig } from '../src/config/config.ts';
import { startServer } from '../src/transport/http/server.ts';
import { accessStoreContract } from './access-store.contract.ts';
import { bob, carol, daysAgo } from './helpers/http.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { requireService } from './support/services.ts';

const available = await requireService('postgres');

describe.skipIf(!available)('postgres access store', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function freshStore(): Promise<PostgresStore> {
    await db.reset();
    const store = await PostgresStore.open(db.url);
    await store.migrate();
    return store;
  }

  accessStoreContract('postgres', async () => {
    const store = await freshStore();
    return { access: new PostgresAccessStore(store.sharedPool()), close: () => store.close() };
  });

  describe('postgres access store: idempotency reservations from several pools at once', () => {
    const T0 = Date.UTC(2026, 0, 1);

    it('gives `new` to exactly one of many concurrent reservers, and a stale takeover to exactly one', async () => {
      const first = await freshStore();
      const others = await Promise.all(Array.from({ length: 3 }, () => PostgresStore.open(db.url)));
      const stores = [first, ...others];
      try {
        const accesses = stores.map((s) => new PostgresAccessStore(s.sharedPool()));
        const race = (fp: (i: number) => string, at: number) =>
          Promise.all(Array.from({ length: 24 }, (_, i) => accesses[i % accesses.length]!.reserveIdempotency('k1', 'race', fp(i), at, 1000)));

        const fresh = await race(() => 'fp', T0);
        expect(fresh.filter((r) => r.state === 'new')).toHaveLength(1);
        expect(fresh.filter((r) => r.state === 'in-progress')).toHaveLength(23);

        // Stale now: one caller takes it over (whatever its fingerprint); the rest see its reservation.
        const stale = await race((i) => `fp-${i}`, T0 + 1000);
        expect(stale.filter((r) => r.state === 'new')).toHaveLength(1);
        expect(stale.every((r) => r.state === 'new' || r.state === 'mismatch' || r.state === 'in-progress')).toBe(true);

        const winner = stale.findIndex((r) => r.state === 'new');
        await accesses[0]!.completeIdempotency('k1', 'race', { status: 201, body: '{}' }, T0 + 1001);
        // A completed reservation is never taken over, however old.
        expect(await accesses[1]!.reserveIdempotency('k1', 'race', `fp-${winner}`, T0 + 10_000_000, 1000)).toEqual({ state: 'completed', response: { status: 201, body: '{}' } });
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('rotates a key atomically: a rotation to an id that exists changes nothing', async () => {
      const store = await freshStore();
      try {
        const access = new PostgresAccessStore(store.sharedPool());
        const key = (id: string) => ({ id, role: 'source' as const, name: id, hash: `h-${id}`, binding: 'tax-bureau', createdAt: T0, createdBy: 't', expiresAt: null, revokedAt: null, replacedBy: null });
        await access.createKey(key('k1'));
        await access.createKey(key('k2'));
        await expect(access.rotateKey('k1', key('k2'), T0 + 5)).rejects.toThrow();
        expect(await access.getKey('k1')).toEqual(key('k1'));
      } finally {
        await store.close();
      }
    });
  });

  describe('the HTTP server on PostgreSQL', () => {
    it('mints keys, registers a provider, ingests, decides, and the audit chain verifies, all in PostgreSQL', async () => {
      await db.reset();
      const lines: string[] = [];
      const server = await startServer({
        config: loadConfig({ CREDENCE_DATABASE_URL: db.url }),
        host: '127.0.0.1',
        port: 0,
        seedSubjects: 0,
        seedDays: 1,
        log: (l) => lines.push(l),
        logger: false,
        now: () => Date.now(),
      });
      const sql = new pg.Client({ connectionString: db.url });
      try {
        const api = async (method: string, p: string, key: string, body?: unknown, headers: Record<string, string> = {}) => {
          const h: Record<string, string> = { authorization: `Bearer ${key}`, ...headers };
          if (body !== undefined) h['content-type'] = 'application/json';
          const r = await fetch(`${server.url}${p}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
          const text = await r.text();
          return { status: r.status, body: text ? JSON.parse(text) : null };
        };
        const op = server.operatorKey!;
        expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

        const src = await api('POST', '/v1/keys', op, { role: 'source', name: 'pg court', binding: 'rongcheng-court' });
        expect(src.status, JSON.stringify(src.body)).toBe(201);
        const prov = await api('PUT', '/v1/providers/railway', op, { name: 'Railway', measures: ['defaulter.no_g_train'], purposes: ['boarding'] });
        expect(prov.status, JSON.stringify(prov.body)).toBe(201);
        const prv = await api('POST', '/v1/keys', op, { role: 'provider', name: 'pg railway', binding: 'railway' });
        expect(prv.status).toBe(201);
        const aud = await api('POST', '/v1/keys', op, { role: 'auditor', name: 'pg auditor' });
        expect(aud.status).toBe(201);

        const listing = (id: string, subject: string, n: number) => ({
          source: 'rongcheng-court', sourceRecordId: id, subject, type: 'courts.defaulter_listing', occurredAt: daysAgo(5),
          payload: { case_ref: `(2026) Lu 1082 Zhi ${n}`, ground: 'able_to_pay_refuses', end_date: daysAgo(-700) },
        });
        const batch = [listing('pg-1', bob, 101), listing('pg-2', carol, 102)];
        const ing = await api('POST', '/v1/records/batch', src.body.key, batch, { 'idempotency-key': 'pg-batch-1' });
        expect(ing.status, JSON.stringify(ing.body)).toBe(200);
        expect(ing.body.accepted).toBe(2);
        // The same request again: the stored response, no second write.
        const again = await api('POST', '/v1/records/batch', src.body.key, batch, { 'idempotency-key': 'pg-batch-1' });
        expect(again.status).toBe(200);
        expect(again.body).toEqual(ing.body);

        const dec = await api('POST', '/v1/decisions', prv.body.key, { subject: bob, measure: 'defaulter.no_g_train', purpose: 'boarding' });
        expect(dec.status, JSON.stringify(dec.body)).toBe(200);
        expect(dec.body.outcome).toBe('deny');

        const v = await api('GET', '/v1/audit/verify', aud.body.key);
        expect(v.status).toBe(200);
        expect(v.body.ok).toBe(true);
        expect(v.body.count).toBeGreaterThan(5);

        // Everything is in PostgreSQL.
        await sql.connect();
        const one = async (q: string, values: unknown[] = []) => (await sql.query(q, values)).rows[0];
        expect(await one(`SELECT count(*)::int AS n FROM records WHERE source = 'rongcheng-court'`)).toEqual({ n: 2 });
        expect(await one(`SELECT role, binding FROM api_keys WHERE id = $1`, [src.body.id])).toEqual({ role: 'source', binding: 'rongcheng-court' });
        expect(await one(`SELECT count(*)::int AS n FROM api_keys`)).toEqual({ n: 4 }); // operator (printed), source, provider, auditor
        expect(await one(`SELECT measures, purposes FROM providers WHERE id = 'railway'`)).toEqual({ measures: '["defaulter.no_g_train"]', purposes: '["boarding"]' });
        expect(await one(`SELECT status FROM idempotency WHERE key_id = $1 AND idem_key = 'pg-batch-1'`, [src.body.id])).toEqual({ status: 200 });
        expect(await one(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'decision'`)).toEqual({ n: 1 });
        expect(await one(`SELECT max(version)::int AS v FROM schema_migrations`)).toEqual({ v: LATEST_VERSION });
        // The batch's records are linked to the batch's own audit entry.
        expect(await one(`SELECT count(DISTINCT r.audit_seq)::int AS entries, min(a.action) AS action FROM records r JOIN audit_log a ON a.seq = r.audit_seq WHERE r.source = 'rongcheng-court'`)).toEqual({ entries: 1, action: 'records.ingest' });
      } finally {
        await sql.end().catch(() => undefined);
        await server.close();
      }
    });
  });
});
