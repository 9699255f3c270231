// PostgreSQL adapter of the access port (keys, providers, idempotency), on the record
// store's pool (PostgresStore.sharedPool()) so one database holds everything. Tables come
// from migrations 2 and 6 of postgres-migrations.ts. Same semantics as SqliteAccessStore; both pass
// test/access-store.contract.ts.
//
// Idempotency across processes: reserveIdempotency is one transaction whose first statement
// is INSERT .. ON CONFLICT DO UPDATE .. WHERE <the existing reservation is stale>. PostgreSQL
// takes the row lock for the conflict check (a concurrent reserver of the same key waits for
// the other transaction to finish, then re-evaluates against the committed row), so exactly
// one caller gets a row back and answers `new`, whether it inserted the row or took over a
// stale in-progress one. Everyone else reads the row under FOR SHARE and answers from it.
// A row deleted in between (release, purge) is retried.
//
// Only types are imported from pg: this module loads without the driver (the HTTP server
// imports it directly; the driver itself comes in with PostgresStore, loaded lazily).
import { inTransaction } from './pg-transaction.ts';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { AccessStore, ApiKeyRow, ConsentRow, ProviderRow, PublicationConsentRow, Reservation, StoredResponse } from '../../ports/access-store.ts';
import { consentFromRow, type ConsentDbRow } from '../sql-rows.ts';

interface KeyRow {
  id: string;
  role: ApiKeyRow['role'];
  name: string;
  hash: string;
  binding: string | null;
  created_at: number;
  created_by: string;
  expires_at: number | null;
  revoked_at: number | null;
  replaced_by: string | null;
}

interface ProviderDbRow {
  id: string;
  name: string;
  measures: string;
  purposes: string;
  created_at: number;
}

interface IdemRow {
  fingerprint: string;
  created_at: number;
  status: number | null;
  body: string | null;
}

// bigint columns come back as numbers only through the PostgresStore pool's type parser;
// Number() keeps this adapter right on any pool.
const num = (v: number | string): number => Number(v);
const numOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

const toKey = (r: KeyRow): ApiKeyRow => ({
  id: r.id,
  role: r.role,
  name: r.name,
  hash: r.hash,
  binding: r.binding,
  createdAt: num(r.created_at),
  createdBy: r.created_by,
  expiresAt: numOrNull(r.expires_at),
  revokedAt: numOrNull(r.revoked_at),
  replacedBy: r.replaced_by,
});

const toProvider = (r: ProviderDbRow): ProviderRow => ({
  id: r.id,
  name: r.name,
  measures: JSON.parse(r.measures) as string[],
  purposes: JSON.parse(r.purposes) as string[],
  createdAt: num(r.created_at),
});

const SQL = {
  insertKey: `INSERT INTO api_keys (id, role, name, hash, binding, created_at, created_by, expires_at, revoked_at, replaced_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
  keyByHash: `SELECT * FROM api_keys WHERE hash = $1`,
  getKey: `SELECT * FROM api_keys WHERE id = $1`,
  lockKey: `SELECT id FROM api_keys WHERE id = $1 FOR UPDATE`,
  listKeys: `SELECT * FROM api_keys ORDER BY created_at DESC, id DESC LIMIT $1`,
  revokeKey: `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`,
  expireKey: `UPDATE api_keys
    SET expires_at = CASE WHEN expires_at IS NULL OR expires_at > $1 THEN $1 ELSE expires_at END, replaced_by = $2
    WHERE id = $3`,
  saveProvider: `INSERT INTO providers (id, name, measures, purposes, created_at) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, measures = excluded.measures, purposes = excluded.purposes`,
  getProvider: `SELECT * FROM providers WHERE id = $1`,
  listProviders: `SELECT * FROM providers ORDER BY id`,
  reserveIdem: `INSERT INTO idempotency AS i (key_id, idem_key, fingerprint, created_at, status, body)
    VALUES ($1, $2, $3, $4::bigint, NULL, NULL)
    ON CONFLICT (key_id, idem_key) DO UPDATE
      SET fingerprint = excluded.fingerprint, created_at = excluded.created_at, status = NULL, body = NULL
      WHERE i.status IS NULL AND i.created_at + $5::bigint <= excluded.created_at
    RETURNING 1 AS won`,
  readIdem: `SELECT fingerprint, created_at, status, body FROM idempotency WHERE key_id = $1 AND idem_key = $2 FOR SHARE`,
  completeIdem: `UPDATE idempotency SET status = $1, body = $2 WHERE key_id = $3 AND idem_key = $4`,
  deleteIdem: `DELETE FROM idempotency WHERE key_id = $1 AND idem_key = $2`,
  purgeIdem: `DELETE FROM idempotency WHERE created_at < $1`,
  insertConsent: `INSERT INTO consents (id, hash, subject, provider, purpose, measure, created_at, created_by, expires_at, max_uses, uses, last_used_at, revoked_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
  consentByHash: `SELECT * FROM consents WHERE hash = $1`,
  givePublication: `INSERT INTO publication_consents (subject, list, given_at, given_by, withdrawn_at) VALUES ($1, $2, $3, $4, NULL)
    ON CONFLICT (subject, list) DO UPDATE SET given_at = excluded.given_at, given_by = excluded.given_by, withdrawn_at = NULL`,
  withdrawPublication: `UPDATE publication_consents SET withdrawn_at = $1 WHERE subject = $2 AND list = $3 AND withdrawn_at IS NULL`,
  publicationOf: `SELECT * FROM publication_consents WHERE subject = $1 ORDER BY list`,
  publicationIn: `SELECT subject FROM publication_consents WHERE list = $1 AND subject = ANY($2::text[]) AND withdrawn_at IS NULL`,
  getConsent: `SELECT * FROM consents WHERE id = $1`,
  listConsents: `SELECT * FROM consents WHERE subject = $1 ORDER BY created_at DESC, id DESC`,
  revokeConsent: `UPDATE consents SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`,
  useConsent: `UPDATE consents SET uses = uses + 1, last_used_at = $1
    WHERE id = $2 AND revoked_at IS NULL AND expires_at > $1 AND uses < max_uses`,
} as const;
type StatementName = keyof typeof SQL;

/** Attempts of reserveIdempotency when the row vanishes between its two statements. */
const RESERVE_ATTEMPTS_MAX = 5;

type Queryable = Pick<Pool, 'query'> | PoolClient;

function run<R extends QueryResultRow>(q: Queryable, name: StatementName, values: unknown[] = []) {
  return (q as Pool).query<R>({ name: `access_${name}`, text: SQL[name], values });
}

export class PostgresAccessStore implements AccessStore {
  constructor(private readonly pool: Pool) {}

  /** Runs fn in a transaction on one pooled client; rolls back on a throw. */
  private tx<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }

  private insertKey(q: Queryable, k: ApiKeyRow) {
    return run(q, 'insertKey', [k.id, k.role, k.name, k.hash, k.binding, k.createdAt, k.createdBy, k.expiresAt, k.revokedAt, k.replacedBy]);
  }

  async createKey(k: ApiKeyRow): Promise<void> {
    await this.insertKey(this.pool, k);
  }
  async keyByHash(hash: string): Promise<ApiKeyRow | null> {
    const r = (await run<KeyRow>(this.pool, 'keyByHash', [hash])).rows[0];
    return r ? toKey(r) : null;
  }
  async getKey(id: string): Promise<ApiKeyRow | null> {
    const r = (await run<KeyRow>(this.pool, 'getKey', [id])).rows[0];
    return r ? toKey(r) : null;
  }
  async listKeys(limit: number): Promise<ApiKeyRow[]> {
    return (await run<KeyRow>(this.pool, 'listKeys', [limit])).rows.map(toKey);
  }
  async revokeKey(id: string, at: number): Promise<boolean> {
    return ((await run(this.pool, 'revokeKey', [at, id])).rowCount ?? 0) > 0;
  }
  async rotateKey(oldId: string, next: ApiKeyRow, overlapUntil: number): Promise<boolean> {
    return this.tx(async (c) => {
      if ((await run(c, 'lockKey', [oldId])).rowCount === 0) return false;
      await this.insertKey(c, next);
      await run(c, 'expireKey', [overlapUntil, next.id, oldId]);
      return true;
    });
  }

  async saveProvider(p: ProviderRow): Promise<void> {
    await run(this.pool, 'saveProvider', [p.id, p.name, JSON.stringify(p.measures), JSON.stringify(p.purposes), p.createdAt]);
  }
  async getProvider(id: string): Promise<ProviderRow | null> {
    const r = (await run<ProviderDbRow>(this.pool, 'getProvider', [id])).rows[0];
    return r ? toProvider(r) : null;
  }
  async listProviders(): Promise<ProviderRow[]> {
    return (await run<ProviderDbRow>(this.pool, 'listProviders')).rows.map(toProvider);
  }

  async givePublicationConsent(c: Omit<PublicationConsentRow, 'withdrawnAt'>): Promise<void> {
    await run(this.pool, 'givePublication', [c.subject, c.list, c.givenAt, c.givenBy]);
  }
  async withdrawPublicationConsent(subject: string, list: string, at: number): Promise<boolean> {
    return ((await run(this.pool, 'withdrawPublication', [at, subject, list])).rowCount ?? 0) > 0;
  }
  async publicationConsentsOf(subject: string): Promise<PublicationConsentRow[]> {
    return (await run<{ subject: string; list: string; given_at: number; given_by: string; withdrawn_at: number | null }>(this.pool, 'publicationOf', [subject])).rows
      .map((r) => ({ subject: r.subject, list: r.list, givenAt: Number(r.given_at), givenBy: r.given_by, withdrawnAt: r.withdrawn_at === null ? null : Number(r.withdrawn_at) }));
  }
  async publicationConsented(list: string, subjects: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const ids = [...new Set(subjects)];
    for (let i = 0; i < ids.length; i += 1000) {
      for (const r of (await run<{ subject: string }>(this.pool, 'publicationIn', [list, ids.slice(i, i + 1000)])).rows) out.add(r.subject);
    }
    return out;
  }

  async createConsent(c: ConsentRow): Promise<void> {
    await run(this.pool, 'insertConsent', [c.id, c.hash, c.subject, c.provider, c.purpose, c.measure, c.createdAt, c.createdBy, c.expiresAt, c.maxUses, c.uses, c.lastUsedAt, c.revokedAt]);
  }
  async consentByHash(hash: string): Promise<ConsentRow | null> {
    const r = (await run<ConsentDbRow>(this.pool, 'consentByHash', [hash])).rows[0];
    return r ? consentFromRow(r) : null;
  }
  async getConsent(id: string): Promise<ConsentRow | null> {
    const r = (await run<ConsentDbRow>(this.pool, 'getConsent', [id])).rows[0];
    return r ? consentFromRow(r) : null;
  }
  async listConsents(subject: string): Promise<ConsentRow[]> {
    return (await run<ConsentDbRow>(this.pool, 'listConsents', [subject])).rows.map(consentFromRow);
  }
  async revokeConsent(id: string, at: number): Promise<boolean> {
    return ((await run(this.pool, 'revokeConsent', [at, id])).rowCount ?? 0) > 0;
  }
  async useConsent(id: string, at: number): Promise<boolean> {
    // One UPDATE: its row lock serialises two look-ups racing for the last use.
    return ((await run(this.pool, 'useConsent', [at, id])).rowCount ?? 0) > 0;
  }

  async reserveIdempotency(keyId: string, idemKey: string, fingerprint: string, at: number, staleAfterMs: number): Promise<Reservation> {
    for (let attempt = 0; attempt < RESERVE_ATTEMPTS_MAX; attempt++) {
      const out = await this.tx(async (c): Promise<Reservation | null> => {
        // Inserted, or took over a stale in-progress reservation: this caller owns it.
        if ((await run(c, 'reserveIdem', [keyId, idemKey, fingerprint, at, staleAfterMs])).rowCount === 1) return { state: 'new' };
        const row = (await run<IdemRow>(c, 'readIdem', [keyId, idemKey])).rows[0];
        if (!row) return null; // released or purged meanwhile: try again
        if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
        if (row.status === null) return { state: 'in-progress' };
        return { state: 'completed', response: { status: row.status, body: row.body ?? '' } };
      });
      if (out) return out;
    }
    throw new Error(`idempotency reservation ${keyId}/${idemKey} kept vanishing; giving up after ${RESERVE_ATTEMPTS_MAX} attempts`);
  }
  async completeIdempotency(keyId: string, idemKey: string, response: StoredResponse, _at: number): Promise<void> {
    await run(this.pool, 'completeIdem', [response.status, response.body, keyId, idemKey]);
  }
  async releaseIdempotency(keyId: string, idemKey: string): Promise<void> {
    await run(this.pool, 'deleteIdem', [keyId, idemKey]);
  }
  async purgeIdempotency(before: number): Promise<number> {
    return (await run(this.pool, 'purgeIdem', [before])).rowCount ?? 0;
  }
}
