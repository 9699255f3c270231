// The access port: API keys (stored only as SHA-256 hashes), registered providers, consent
// tokens (also hashes only) and Idempotency-Key records of the HTTP API. Separate from the record store because it is
// transport-facing state, not credit data; the SQLite adapter shares the record store's
// connection. Every adapter passes test/access-store.contract.ts. Only adapters know SQL.

export const ROLES = ['source', 'provider', 'operator', 'auditor', 'subject'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyRow {
  /** Public key id (`key_` + 16 base62 characters); appears in audit actors as `key:<id>`. */
  id: string;
  role: Role;
  name: string;
  /** Hex SHA-256 of the whole secret key; the secret itself is never stored. */
  hash: string;
  /** Source id (source), provider id (provider) or subject id (subject); null otherwise. */
  binding: string | null;
  createdAt: number;
  createdBy: string;
  /** Epoch ms after which the key is refused; null = no expiry. */
  expiresAt: number | null;
  revokedAt: number | null;
  /** Id of the key that replaced this one by rotation. */
  replacedBy: string | null;
}

export interface ProviderRow {
  id: string;
  name: string;
  /** Measures of the catalogue this provider may ask decisions for. */
  measures: string[];
  /** Purposes of the catalogue (measures.yaml `purposes`) the provider may state. */
  purposes: string[];
  createdAt: number;
}

/**
 * A subject's consent to be named on a public red list (a list that holds people up as
 * models): no one is published there without it, and it can be withdrawn at any time. One row
 * per subject and list; given again after a withdrawal, it counts from the new `givenAt`.
 */
export interface PublicationConsentRow {
  subject: string;
  list: string;
  givenAt: number;
  /** Who recorded it: the subject's key, or an operator on the subject's behalf. */
  givenBy: string;
  withdrawnAt: number | null;
}

/**
 * A consent a subject gave one provider to look it up for one purpose and one measure, a
 * bounded number of times until it expires (PIPL Arts 13-15; credit-investigation regulation
 * Art. 18). The provider presents the token; the store keeps its SHA-256.
 */
export interface ConsentRow {
  /** Public id (`cns_` + 16 base62 characters): what the query log and the subject see. */
  id: string;
  /** Hex SHA-256 of the whole token; the token itself is never stored. */
  hash: string;
  subject: string;
  provider: string;
  purpose: string;
  measure: string;
  createdAt: number;
  /** Who issued it: the subject's key, or an operator on the subject's behalf. */
  createdBy: string;
  expiresAt: number;
  maxUses: number;
  uses: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface StoredResponse {
  status: number;
  body: string;
}

export type Reservation =
  | { state: 'new' }
  | { state: 'in-progress' }
  | { state: 'completed'; response: StoredResponse }
  | { state: 'mismatch' };

export interface AccessStore {
  createKey(key: ApiKeyRow): Promise<void>;
  keyByHash(hash: string): Promise<ApiKeyRow | null>;
  getKey(id: string): Promise<ApiKeyRow | null>;
  /** Every key, newest first, at most `limit`. */
  listKeys(limit: number): Promise<ApiKeyRow[]>;
  /** Marks the key revoked at `at`; false if there is no such key. Revoking twice keeps the first time. */
  revokeKey(id: string, at: number): Promise<boolean>;
  /**
   * Atomically inserts `next` and lets `oldId` expire at `overlapUntil` (or earlier if it
   * already expires earlier), marking it replaced by `next.id`. False if `oldId` is unknown.
   */
  rotateKey(oldId: string, next: ApiKeyRow, overlapUntil: number): Promise<boolean>;

  saveProvider(p: ProviderRow): Promise<void>;
  getProvider(id: string): Promise<ProviderRow | null>;
  listProviders(): Promise<ProviderRow[]>;

  /** Records a publication consent, or gives it again after a withdrawal (withdrawnAt becomes null). */
  givePublicationConsent(c: Omit<PublicationConsentRow, 'withdrawnAt'>): Promise<void>;
  /** Withdraws the consent in force; false if there is none. */
  withdrawPublicationConsent(subject: string, list: string, at: number): Promise<boolean>;
  /** The subject's publication consents, in force and withdrawn, by list. */
  publicationConsentsOf(subject: string): Promise<PublicationConsentRow[]>;
  /** Which of these subjects consent, now, to being named on `list`. */
  publicationConsented(list: string, subjects: readonly string[]): Promise<Set<string>>;

  createConsent(c: ConsentRow): Promise<void>;
  consentByHash(hash: string): Promise<ConsentRow | null>;
  getConsent(id: string): Promise<ConsentRow | null>;
  /** A subject's consents, newest first. */
  listConsents(subject: string): Promise<ConsentRow[]>;
  /** Marks it revoked at `at`; false if there is no such consent. Revoking twice keeps the first time. */
  revokeConsent(id: string, at: number): Promise<boolean>;
  /**
   * Counts one use at `at`, atomically and only while the consent holds (not revoked, not
   * expired at `at`, uses below maxUses); false otherwise, so two look-ups racing for the
   * last use cannot both have it.
   */
  useConsent(id: string, at: number): Promise<boolean>;

  /**
   * Reserves (keyId, idemKey) for a request with this fingerprint. `new`: the caller runs the
   * request and then calls completeIdempotency (or releaseIdempotency if it must not be
   * remembered). An in-progress reservation older than `staleAfterMs` is taken over as new.
   */
  reserveIdempotency(keyId: string, idemKey: string, fingerprint: string, at: number, staleAfterMs: number): Promise<Reservation>;
  completeIdempotency(keyId: string, idemKey: string, response: StoredResponse, at: number): Promise<void>;
  releaseIdempotency(keyId: string, idemKey: string): Promise<void>;
  /** Deletes records created before `before`; returns how many. */
  purgeIdempotency(before: number): Promise<number>;
}
