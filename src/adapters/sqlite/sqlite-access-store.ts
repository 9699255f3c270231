// SQLite adapter of the access port (keys, providers, idempotency), sharing the record
// store's connection so one file holds everything. Tables come from migrations 2, 6 and 9.
import type { AccessStore, ApiKeyRow, ConsentRow, ProviderRow, PublicationConsentRow, Reservation, StoredResponse } from '../../ports/access-store.ts';
import { consentFromRow, type ConsentDbRow } from '../sql-rows.ts';
import type { SqliteDb, SqliteStatement } from './sqlite-store.ts';

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

const toKey = (r: KeyRow): ApiKeyRow => ({
  id: r.id,
  role: r.role,
  name: r.name,
  hash: r.hash,
  binding: r.binding,
  createdAt: r.created_at,
  createdBy: r.created_by,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  replacedBy: r.replaced_by,
});

export class SqliteAccessStore implements AccessStore {
  private readonly st: Record<string, SqliteStatement>;

  constructor(private readonly db: SqliteDb) {
    this.st = {
      insertKey: db.prepare(
        `INSERT INTO api_keys (id, role, name, hash, binding, created_at, created_by, expires_at, revoked_at, replaced_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      keyByHash: db.prepare(`SELECT * FROM api_keys WHERE hash = ?`),
      getKey: db.prepare(`SELECT * FROM api_keys WHERE id = ?`),
      listKeys: db.prepare(`SELECT * FROM api_keys ORDER BY created_at DESC, id DESC LIMIT ?`),
      revokeKey: db.prepare(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`),
      expireKey: db.prepare(
        `UPDATE api_keys SET expires_at = CASE WHEN expires_at IS NULL OR expires_at > ? THEN ? ELSE expires_at END, replaced_by = ? WHERE id = ?`,
      ),
      saveProvider: db.prepare(
        `INSERT INTO providers (id, name, measures, purposes, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, measures = excluded.measures, purposes = excluded.purposes`,
      ),
      getProvider: db.prepare(`SELECT * FROM providers WHERE id = ?`),
      listProviders: db.prepare(`SELECT * FROM providers ORDER BY id`),
      getIdem: db.prepare(`SELECT fingerprint, created_at, status, body FROM idempotency WHERE key_id = ? AND idem_key = ?`),
      putIdem: db.prepare(
        `INSERT INTO idempotency (key_id, idem_key, fingerprint, created_at, status, body) VALUES (?, ?, ?, ?, NULL, NULL)
         ON CONFLICT (key_id, idem_key) DO UPDATE SET fingerprint = excluded.fingerprint, created_at = excluded.created_at, status = NULL, body = NULL`,
      ),
      completeIdem: db.prepare(`UPDATE idempotency SET status = ?, body = ? WHERE key_id = ? AND idem_key = ?`),
      deleteIdem: db.prepare(`DELETE FROM idempotency WHERE key_id = ? AND idem_key = ?`),
      purgeIdem: db.prepare(`DELETE FROM idempotency WHERE created_at < ?`),
      insertConsent: db.prepare(
        `INSERT INTO consents (id, hash, subject, provider, purpose, measure, created_at, created_by, expires_at, max_uses, uses, last_used_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      consentByHash: db.prepare(`SELECT * FROM consents WHERE hash = ?`),
      givePublication: db.prepare(
        `INSERT INTO publication_consents (subject, list, given_at, given_by, withdrawn_at) VALUES (?, ?, ?, ?, NULL)
         ON CONFLICT (subject, list) DO UPDATE SET given_at = excluded.given_at, given_by = excluded.given_by, withdrawn_at = NULL`,
      ),
      withdrawPublication: db.prepare(`UPDATE publication_consents SET withdrawn_at = ? WHERE subject = ? AND list = ? AND withdrawn_at IS NULL`),
      publicationOf: db.prepare(`SELECT * FROM publication_consents WHERE subject = ? ORDER BY list`),
      publicationIn: db.prepare(`SELECT 1 AS one FROM publication_consents WHERE list = ? AND subject = ? AND withdrawn_at IS NULL`),
      getConsent: db.prepare(`SELECT * FROM consents WHERE id = ?`),
      listConsents: db.prepare(`SELECT * FROM consents WHERE subject = ? ORDER BY created_at DESC, id DESC`),
      revokeConsent: db.prepare(`UPDATE consents SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`),
      useConsent: db.prepare(
        `UPDATE consents SET uses = uses + 1, last_used_at = ?
         WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND uses < max_uses`,
      ),
    };
  }

  async createKey(k: ApiKeyRow): Promise<void> {
    this.st.insertKey!.run(k.id, k.role, k.name, k.hash, k.binding, k.createdAt, k.createdBy, k.expiresAt, k.revokedAt, k.replacedBy);
  }
  async keyByHash(hash: string): Promise<ApiKeyRow | null> {
    const r = this.st.keyByHash!.get(hash) as KeyRow | undefined;
    return r ? toKey(r) : null;
  }
  async getKey(id: string): Promise<ApiKeyRow | null> {
    const r = this.st.getKey!.get(id) as KeyRow | undefined;
    return r ? toKey(r) : null;
  }
  async listKeys(limit: number): Promise<ApiKeyRow[]> {
    return (this.st.listKeys!.all(limit) as KeyRow[]).map(toKey);
  }
  async revokeKey(id: string, at: number): Promise<boolean> {
    return this.st.revokeKey!.run(at, id).changes > 0;
  }
  async rotateKey(oldId: string, next: ApiKeyRow, overlapUntil: number): Promise<boolean> {
    const tx = this.db.transaction(() => {
      if (this.st.getKey!.get(oldId) === undefined) return false;
      this.st.insertKey!.run(next.id, next.role, next.name, next.hash, next.binding, next.createdAt, next.createdBy, next.expiresAt, next.revokedAt, next.replacedBy);
      this.st.expireKey!.run(overlapUntil, overlapUntil, next.id, oldId);
      return true;
    });
    return tx.immediate();
  }

  async saveProvider(p: ProviderRow): Promise<void> {
    this.st.saveProvider!.run(p.id, p.name, JSON.stringify(p.measures), JSON.stringify(p.purposes), p.createdAt);
  }
  private toProvider(r: { id: string; name: string; measures: string; purposes: string; created_at: number }): ProviderRow {
    return { id: r.id, name: r.name, measures: JSON.parse(r.measures) as string[], purposes: JSON.parse(r.purposes) as string[], createdAt: r.created_at };
  }
  async getProvider(id: string): Promise<ProviderRow | null> {
    const r = this.st.getProvider!.get(id) as Parameters<SqliteAccessStore['toProvider']>[0] | undefined;
    return r ? this.toProvider(r) : null;
  }
  async listProviders(): Promise<ProviderRow[]> {
    return (this.st.listProviders!.all() as Parameters<SqliteAccessStore['toProvider']>[0][]).map((r) => this.toProvider(r));
  }

  async givePublicationConsent(c: Omit<PublicationConsentRow, 'withdrawnAt'>): Promise<void> {
    this.st.givePublication!.run(c.subject, c.list, c.givenAt, c.givenBy);
  }
  async withdrawPublicationConsent(subject: string, list: string, at: number): Promise<boolean> {
    return this.st.withdrawPublication!.run(at, subject, list).changes > 0;
  }
  async publicationConsentsOf(subject: string): Promise<PublicationConsentRow[]> {
    return (this.st.publicationOf!.all(subject) as { subject: string; list: string; given_at: number; given_by: string; withdrawn_at: number | null }[])
      .map((r) => ({ subject: r.subject, list: r.list, givenAt: r.given_at, givenBy: r.given_by, withdrawnAt: r.withdrawn_at }));
  }
  async publicationConsented(list: string, subjects: readonly string[]): Promise<Set<string>> {
    return new Set([...new Set(subjects)].filter((s) => this.st.publicationIn!.get(list, s) !== undefined));
  }

  async createConsent(c: ConsentRow): Promise<void> {
    this.st.insertConsent!.run(c.id, c.hash, c.subject, c.provider, c.purpose, c.measure, c.createdAt, c.createdBy, c.expiresAt, c.maxUses, c.uses, c.lastUsedAt, c.revokedAt);
  }
  async consentByHash(hash: string): Promise<ConsentRow | null> {
    const r = this.st.consentByHash!.get(hash) as ConsentDbRow | undefined;
    return r ? consentFromRow(r) : null;
  }
  async getConsent(id: string): Promise<ConsentRow | null> {
    const r = this.st.getConsent!.get(id) as ConsentDbRow | undefined;
    return r ? consentFromRow(r) : null;
  }
  async listConsents(subject: string): Promise<ConsentRow[]> {
    return (this.st.listConsents!.all(subject) as ConsentDbRow[]).map(consentFromRow);
  }
  async revokeConsent(id: string, at: number): Promise<boolean> {
    return this.st.revokeConsent!.run(at, id).changes > 0;
  }
  async useConsent(id: string, at: number): Promise<boolean> {
    return this.st.useConsent!.run(at, id, at).changes > 0;
  }

  async reserveIdempotency(keyId: string, idemKey: string, fingerprint: string, at: number, staleAfterMs: number): Promise<Reservation> {
    const tx = this.db.transaction((): Reservation => {
      const row = this.st.getIdem!.get(keyId, idemKey) as { fingerprint: string; created_at: number; status: number | null; body: string | null } | undefined;
      if (!row || (row.status === null && row.created_at + staleAfterMs <= at)) {
        this.st.putIdem!.run(keyId, idemKey, fingerprint, at);
        return { state: 'new' };
      }
      if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
      if (row.status === null) return { state: 'in-progress' };
      return { state: 'completed', response: { status: row.status, body: row.body ?? '' } };
    });
    return tx.immediate();
  }
  async completeIdempotency(keyId: string, idemKey: string, response: StoredResponse): Promise<void> {
    this.st.completeIdem!.run(response.status, response.body, keyId, idemKey);
  }
  async releaseIdempotency(keyId: string, idemKey: string): Promise<void> {
    this.st.deleteIdem!.run(keyId, idemKey);
  }
  async purgeIdempotency(before: number): Promise<number> {
    return this.st.purgeIdem!.run(before).changes;
  }
}
