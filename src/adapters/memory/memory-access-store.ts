// In-memory twin of the access port (tests, and the HTTP app over the memory store).
import type { AccessStore, ApiKeyRow, ConsentRow, ProviderRow, PublicationConsentRow, Reservation, StoredResponse } from '../../ports/access-store.ts';

interface IdemRow {
  fingerprint: string;
  createdAt: number;
  response: StoredResponse | null;
}

const clone = <T>(v: T): T => structuredClone(v);

export class MemoryAccessStore implements AccessStore {
  private readonly keys = new Map<string, ApiKeyRow>();
  private readonly providers = new Map<string, ProviderRow>();
  private readonly idem = new Map<string, IdemRow>();
  private readonly consents = new Map<string, ConsentRow>();
  private readonly publication = new Map<string, PublicationConsentRow>();

  async createKey(key: ApiKeyRow): Promise<void> {
    if (this.keys.has(key.id)) throw new Error(`key ${key.id} exists`);
    this.keys.set(key.id, clone(key));
  }
  async keyByHash(hash: string): Promise<ApiKeyRow | null> {
    for (const k of this.keys.values()) if (k.hash === hash) return clone(k);
    return null;
  }
  async getKey(id: string): Promise<ApiKeyRow | null> {
    const k = this.keys.get(id);
    return k ? clone(k) : null;
  }
  async listKeys(limit: number): Promise<ApiKeyRow[]> {
    return [...this.keys.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).slice(0, limit).map(clone);
  }
  async revokeKey(id: string, at: number): Promise<boolean> {
    const k = this.keys.get(id);
    if (!k) return false;
    k.revokedAt ??= at;
    return true;
  }
  async rotateKey(oldId: string, next: ApiKeyRow, overlapUntil: number): Promise<boolean> {
    const k = this.keys.get(oldId);
    if (!k) return false;
    if (this.keys.has(next.id)) throw new Error(`key ${next.id} exists`);
    k.expiresAt = k.expiresAt === null ? overlapUntil : Math.min(k.expiresAt, overlapUntil);
    k.replacedBy = next.id;
    this.keys.set(next.id, clone(next));
    return true;
  }

  async saveProvider(p: ProviderRow): Promise<void> {
    this.providers.set(p.id, clone(p));
  }
  async getProvider(id: string): Promise<ProviderRow | null> {
    const p = this.providers.get(id);
    return p ? clone(p) : null;
  }
  async listProviders(): Promise<ProviderRow[]> {
    return [...this.providers.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(clone);
  }

  async givePublicationConsent(c: Omit<PublicationConsentRow, 'withdrawnAt'>): Promise<void> {
    this.publication.set(`${c.subject}\u0000${c.list}`, { ...clone(c), withdrawnAt: null });
  }
  async withdrawPublicationConsent(subject: string, list: string, at: number): Promise<boolean> {
    const c = this.publication.get(`${subject}\u0000${list}`);
    if (!c || c.withdrawnAt !== null) return false;
    c.withdrawnAt = at;
    return true;
  }
  async publicationConsentsOf(subject: string): Promise<PublicationConsentRow[]> {
    return [...this.publication.values()].filter((c) => c.subject === subject).sort((a, b) => (a.list < b.list ? -1 : a.list > b.list ? 1 : 0)).map(clone);
  }
  async publicationConsented(list: string, subjects: readonly string[]): Promise<Set<string>> {
    return new Set(subjects.filter((s) => { const c = this.publication.get(`${s}\u0000${list}`); return c !== undefined && c.withdrawnAt === null; }));
  }

  async createConsent(c: ConsentRow): Promise<void> {
    if (this.consents.has(c.id)) throw new Error(`consent ${c.id} exists`);
    this.consents.set(c.id, clone(c));
  }
  async consentByHash(hash: string): Promise<ConsentRow | null> {
    for (const c of this.consents.values()) if (c.hash === hash) return clone(c);
    return null;
  }
  async getConsent(id: string): Promise<ConsentRow | null> {
    const c = this.consents.get(id);
    return c ? clone(c) : null;
  }
  async listConsents(subject: string): Promise<ConsentRow[]> {
    return [...this.consents.values()].filter((c) => c.subject === subject).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1)).map(clone);
  }
  async revokeConsent(id: string, at: number): Promise<boolean> {
    const c = this.consents.get(id);
    if (!c) return false;
    c.revokedAt ??= at;
    return true;
  }
  async useConsent(id: string, at: number): Promise<boolean> {
    const c = this.consents.get(id);
    if (!c || c.revokedAt !== null || c.expiresAt <= at || c.uses >= c.maxUses) return false;
    c.uses += 1;
    c.lastUsedAt = at;
    return true;
  }

  async reserveIdempotency(keyId: string, idemKey: string, fingerprint: string, at: number, staleAfterMs: number): Promise<Reservation> {
    const k = `${keyId}\u0000${idemKey}`;
    const row = this.idem.get(k);
    if (!row || (row.response === null && row.createdAt + staleAfterMs <= at)) {
      this.idem.set(k, { fingerprint, createdAt: at, response: null });
      return { state: 'new' };
    }
    if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (row.response === null) return { state: 'in-progress' };
    return { state: 'completed', response: clone(row.response) };
  }
  async completeIdempotency(keyId: string, idemKey: string, response: StoredResponse): Promise<void> {
    const row = this.idem.get(`${keyId}\u0000${idemKey}`);
    if (row) row.response = clone(response);
  }
  async releaseIdempotency(keyId: string, idemKey: string): Promise<void> {
    this.idem.delete(`${keyId}\u0000${idemKey}`);
  }
  async purgeIdempotency(before: number): Promise<number> {
    let n = 0;
    for (const [k, row] of this.idem) if (row.createdAt < before) { this.idem.delete(k); n++; }
    return n;
  }
}
