// Purposes and consent: what a provider's look-up needs before Credence answers it.
//
// Every look-up names a purpose of the catalogue (measures.yaml `purposes`). The provider
// must be registered for it and the measure must declare it; a purpose that is not
// `pastDates` asks about the present only. A purpose of kind `consent` (a credit query, an
// employer's screening: the subject did not start it, or the law asks for written consent)
// needs a consent token the subject issued to that provider for that purpose and measure,
// unexpired, unrevoked and with a use left; the use is counted atomically and named in the
// decision's audit entry, so the subject sees every use in the query log. Grounds: PIPL Arts
// 13-15 (consent, its withdrawal), credit-investigation regulation Art. 18 (a credit query
// needs written consent and an agreed purpose). docs/due-process.md, "Consent".
import { iso, isoOrNull } from '../domain/duration.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { Measure, Purpose, SubjectId } from '../domain/types.ts';
import type { AccessStore, ConsentRow, ProviderRow, PublicationConsentRow } from '../ports/access-store.ts';
import { needsConsent, type PublicationConsent } from '../domain/publication.ts';
import { NotFoundError, type Credence } from './credence.ts';
import { DueProcessError } from './due-process.ts';

export const CONSENT_LIMITS = {
  /** A consent lasts 30 days unless the subject says otherwise, a year at most. */
  daysDefault: 30,
  daysMax: 365,
  /** One use unless the subject says otherwise, 100 at most. */
  usesDefault: 1,
  usesMax: 100,
  /** A present-only purpose may name an `asOf` this far in the past (clock skew between provider and server). */
  presentSkewMs: 5 * 60_000,
} as const;

/** The token a subject hands a provider: typed prefix + 256 random bits, shown once. */
export const CONSENT_TOKEN_PATTERN = /^crd_cns_[A-Za-z0-9_-]{43}$/;
export const CONSENT_ID_PATTERN = /^cns_[A-Za-z0-9_-]{16}$/;

export type ConsentStatus = 'active' | 'expired' | 'used' | 'revoked';

/** A consent as the subject and operators see it: never the token's hash; the provider by name. */
export interface ConsentView extends Omit<ConsentRow, 'hash' | 'provider'> {
  provider: { id: string; name: string | null };
  status: ConsentStatus;
}

/** A consent as JSON (the HTTP answer, `credence consents --json`): its instants as ISO-8601. */
export function consentJson(v: ConsentView) {
  return { ...v, createdAt: iso(v.createdAt), expiresAt: iso(v.expiresAt), lastUsedAt: isoOrNull(v.lastUsedAt), revokedAt: isoOrNull(v.revokedAt) };
}

/** A consent to publication as the HTTP API, the command line and the export show it. */
export function publicationJson(c: PublicationConsentRow) {
  return { subject: c.subject, list: c.list, givenAt: iso(c.givenAt), givenBy: c.givenBy, withdrawnAt: isoOrNull(c.withdrawnAt), inForce: c.withdrawnAt === null };
}

export function consentStatus(c: ConsentRow, now: number): ConsentStatus {
  if (c.revokedAt !== null) return 'revoked';
  if (c.expiresAt <= now) return 'expired';
  if (c.uses >= c.maxUses) return 'used';
  return 'active';
}

/** What a look-up is: who asks, about whom, under which measure, for what purpose, as of when. */
export interface Lookup {
  provider: ProviderRow | null;
  /** The provider id the key is bound to (for the message when it is not registered). */
  providerId: string | null;
  measure: string;
  purpose: string;
  /** The instant asked about; the present when absent. */
  asOf?: number;
}

export class Consents {
  constructor(
    private readonly credence: Credence,
    private readonly access: AccessStore,
  ) {}

  private get catalogue() {
    return this.credence.catalogue;
  }

  private listOf(ids: readonly string[]) {
    return ids.length === 0 ? '(none)' : ids.join(', ');
  }

  /**
   * Checks what does not depend on the subject: the measure exists, the provider is
   * registered for it and for the purpose, the measure declares the purpose, and a
   * present-only purpose asks about the present. Returns the measure and the purpose.
   */
  authorise(l: Lookup): { measure: Measure; purpose: Purpose } {
    const measure = this.catalogue.measures.get(l.measure);
    if (!measure) throw new NotFoundError('MEASURE_NOT_FOUND', `no measure "${l.measure}" in the catalogue (GET /v1/catalogue/measures lists them)`);
    const p = l.provider;
    if (!p || !p.measures.includes(l.measure)) {
      throw new DueProcessError('FORBIDDEN_MEASURE', `provider ${l.providerId ?? '(none)'} is not registered for measure ${l.measure}; it is registered for: ${this.listOf(p?.measures ?? [])}`);
    }
    const purpose = this.catalogue.purposes.get(l.purpose);
    if (!purpose) {
      throw new DueProcessError('PURPOSE_UNKNOWN', `"${l.purpose}" is not a purpose of the catalogue; provider ${p.id} is registered for: ${this.listOf(p.purposes)}`);
    }
    if (!p.purposes.includes(l.purpose)) {
      throw new DueProcessError('FORBIDDEN_PURPOSE', `provider ${p.id} is not registered for the purpose ${l.purpose}; it is registered for: ${this.listOf(p.purposes)}`);
    }
    if (!measure.purposes.includes(l.purpose)) {
      throw new DueProcessError('PURPOSE_NOT_DECLARED', `measure ${measure.id} may not be asked for the purpose ${l.purpose}; it declares: ${this.listOf(measure.purposes)}`);
    }
    const now = this.credence.now();
    if (l.asOf !== undefined && !purpose.pastDates && l.asOf < now - CONSENT_LIMITS.presentSkewMs) {
      throw new DueProcessError('AS_OF_NOT_ALLOWED', `the purpose ${purpose.id} asks about the present only: asOf ${new Date(l.asOf).toISOString()} is in the past (only a purpose with pastDates, such as judicial-review, may look back)`);
    }
    return { measure, purpose };
  }

  /**
   * A look-up about one subject: `authorise`, then for a consent purpose the token, checked
   * against the subject, provider, purpose and measure, and one use counted. Returns the
   * consent's id (null when the purpose needs none).
   */
  async admit(subject: SubjectId, l: Lookup, token: string | undefined): Promise<{ measure: Measure; purpose: Purpose; consent: string | null }> {
    const { measure, purpose } = this.authorise(l);
    if (purpose.kind !== 'consent') return { measure, purpose, consent: null };
    if (token === undefined || token === '') {
      throw new DueProcessError('CONSENT_REQUIRED', `the purpose ${purpose.id} needs the subject's consent: send the consent token the subject issued to provider ${l.provider!.id} for measure ${measure.id} (field consent)`);
    }
    const invalid = (why: string) => new DueProcessError('CONSENT_INVALID', `the consent token ${why}; ask the subject for a new one`);
    if (!CONSENT_TOKEN_PATTERN.test(token)) throw invalid('is not a consent token (crd_cns_ and 43 characters)');
    const c = await this.access.consentByHash(hashSecret(token));
    if (!c || c.subject !== subject) throw invalid('was not issued by this subject');
    if (c.provider !== l.provider!.id || c.purpose !== purpose.id || c.measure !== measure.id) {
      throw invalid(`${c.id} was issued for provider ${c.provider}, purpose ${c.purpose} and measure ${c.measure}, not this look-up`);
    }
    const now = this.credence.now();
    const status = consentStatus(c, now);
    if (status !== 'active') throw invalid(`${c.id} is ${status === 'used' ? `used up (${c.uses} of ${c.maxUses} uses)` : status === 'expired' ? `expired at ${new Date(c.expiresAt).toISOString()}` : `revoked at ${new Date(c.revokedAt!).toISOString()}`}`);
    if (!(await this.access.useConsent(c.id, now))) throw invalid(`${c.id} was used up or revoked a moment ago`);
    return { measure, purpose, consent: c.id };
  }

  /** Look-ups for many subjects at once cannot carry one consent each: a consent purpose is refused. */
  authoriseBatch(l: Lookup): { measure: Measure; purpose: Purpose } {
    const a = this.authorise(l);
    if (a.purpose.kind === 'consent') {
      throw new DueProcessError('CONSENT_REQUIRED', `the purpose ${a.purpose.id} needs each subject's consent: ask one subject at a time (POST /v1/decisions) with the token that subject issued`);
    }
    return a;
  }

  /**
   * The subject (or an operator for it, with a stated reason) consents to one provider's
   * look-ups for one purpose and measure. The token is returned once; the store keeps its hash.
   */
  async issue(
    subject: SubjectId,
    o: { provider: string; purpose: string; measure: string; expiresInDays?: number; uses?: number },
    who: { actor: string; onBehalfReason?: string },
  ): Promise<{ consent: ConsentView; token: string }> {
    const provider = await this.access.getProvider(o.provider);
    if (!provider) throw new NotFoundError('PROVIDER_NOT_FOUND', `no provider "${o.provider}" is registered (GET /v1/providers lists them)`);
    const { measure, purpose } = this.authorise({ provider, providerId: provider.id, measure: o.measure, purpose: o.purpose });
    if (purpose.kind !== 'consent') {
      throw new DueProcessError('CONSENT_NOT_NEEDED', `the purpose ${purpose.id} is ${purpose.kind}: look-ups for it need no consent, so none is issued`);
    }
    const days = o.expiresInDays ?? CONSENT_LIMITS.daysDefault;
    const uses = o.uses ?? CONSENT_LIMITS.usesDefault;
    if (!Number.isInteger(days) || days < 1 || days > CONSENT_LIMITS.daysMax) throw new DueProcessError('DUE_PROCESS_INVALID', `expiresInDays is a whole number of days from 1 to ${CONSENT_LIMITS.daysMax}, got ${days}`);
    if (!Number.isInteger(uses) || uses < 1 || uses > CONSENT_LIMITS.usesMax) throw new DueProcessError('DUE_PROCESS_INVALID', `uses is a whole number from 1 to ${CONSENT_LIMITS.usesMax}, got ${uses}`);
    const now = this.credence.now();
    const { id, secret: token, hash } = newSecret('crd_cns_', 'cns');
    const row: ConsentRow = {
      id, hash, subject, provider: provider.id, purpose: purpose.id, measure: measure.id,
      createdAt: now, createdBy: who.actor, expiresAt: now + days * 86_400_000, maxUses: uses, uses: 0, lastUsedAt: null, revokedAt: null,
    };
    await this.access.createConsent(row);
    await this.credence.store.appendAudit([{
      at: now, actor: who.actor, action: 'consent.issue', subject,
      detail: { consent: row.id, provider: provider.id, providerName: provider.name, purpose: purpose.id, measure: measure.id, expiresAt: row.expiresAt, uses, ...(who.onBehalfReason ? { onBehalfReason: who.onBehalfReason } : {}) },
    }]);
    return { consent: this.view(row, provider.name, now), token };
  }

  /** The subject's consents, newest first, with their uses and status (never the token). */
  async list(subject: SubjectId): Promise<ConsentView[]> {
    const now = this.credence.now();
    const names = new Map((await this.access.listProviders()).map((p) => [p.id, p.name]));
    return (await this.access.listConsents(subject)).map((c) => this.view(c, names.get(c.provider) ?? null, now));
  }

  /** Withdraws a consent at once (PIPL Art. 15); later look-ups with its token are refused. */
  async revoke(subject: SubjectId, id: string, who: { actor: string; onBehalfReason?: string }): Promise<ConsentView> {
    const c = await this.access.getConsent(id);
    if (!c || c.subject !== subject) throw new NotFoundError('CONSENT_NOT_FOUND', `no consent ${id} of subject ${subject}`);
    const now = this.credence.now();
    if (c.revokedAt === null) {
      await this.access.revokeConsent(id, now);
      await this.credence.store.appendAudit([{ at: now, actor: who.actor, action: 'consent.revoke', subject, detail: { consent: id, ...(who.onBehalfReason ? { onBehalfReason: who.onBehalfReason } : {}) } }]);
    }
    const provider = await this.access.getProvider(c.provider);
    return this.view((await this.access.getConsent(id))!, provider?.name ?? null, now);
  }

  // --------------------------------------------------------------------------------------
  // Consent to publication on a red list (charter: no one is held up as a model without
  // agreeing; PIPL Arts 14-15). Only a public red list publishes names, and only of those who
  // consented; withdrawing takes the name off at once.

  private redList(list: string) {
    const def = this.catalogue.lists.get(list);
    if (!def) throw new NotFoundError('LIST_NOT_FOUND', `no list "${list}" in the catalogue`);
    if (!needsConsent(def) || !def.public) {
      const red = [...this.catalogue.lists.values()].filter((l) => needsConsent(l) && l.public).map((l) => l.id);
      throw new DueProcessError('PUBLICATION_CONSENT_NOT_APPLICABLE', `list ${list} is ${def.kind === 'red' ? 'not public' : `a ${def.kind} list`}: consent to publication applies to public red lists only (${this.listOf(red)})`);
    }
    return def;
  }

  /** The subject consents to being named on a public red list (again, after a withdrawal). */
  async publish(subject: SubjectId, list: string, who: { actor: string; onBehalfReason?: string }): Promise<{ consent: PublicationConsentRow; created: boolean }> {
    this.redList(list);
    const now = this.credence.now();
    const held = (await this.access.publicationConsentsOf(subject)).find((c) => c.list === list);
    if (held && held.withdrawnAt === null) return { consent: held, created: false };
    await this.access.givePublicationConsent({ subject, list, givenAt: now, givenBy: who.actor });
    await this.credence.store.appendAudit([{ at: now, actor: who.actor, action: 'publication.consent', subject, detail: { list, ...(who.onBehalfReason ? { onBehalfReason: who.onBehalfReason } : {}) } }]);
    return { consent: { subject, list, givenAt: now, givenBy: who.actor, withdrawnAt: null }, created: true };
  }

  /** The subject withdraws it: the name is no longer published. */
  async unpublish(subject: SubjectId, list: string, who: { actor: string; onBehalfReason?: string }): Promise<PublicationConsentRow> {
    this.redList(list);
    const now = this.credence.now();
    if (!(await this.access.withdrawPublicationConsent(subject, list, now))) {
      throw new NotFoundError('PUBLICATION_CONSENT_NOT_FOUND', `subject ${subject} has no consent in force to be named on ${list}`);
    }
    await this.credence.store.appendAudit([{ at: now, actor: who.actor, action: 'publication.withdraw', subject, detail: { list, ...(who.onBehalfReason ? { onBehalfReason: who.onBehalfReason } : {}) } }]);
    return (await this.access.publicationConsentsOf(subject)).find((c) => c.list === list)!;
  }

  /** The subject's publication consents, in force and withdrawn. */
  async publications(subject: SubjectId): Promise<PublicationConsentRow[]> {
    return this.access.publicationConsentsOf(subject);
  }

  /** The predicate a public red list reads (src/domain/publication.ts). */
  readonly publicationConsent: PublicationConsent = (list, subjects) => this.access.publicationConsented(list, subjects);

  private view(c: ConsentRow, providerName: string | null, now: number): ConsentView {
    return {
      id: c.id, subject: c.subject, provider: { id: c.provider, name: providerName }, purpose: c.purpose, measure: c.measure,
      createdAt: c.createdAt, createdBy: c.createdBy, expiresAt: c.expiresAt, maxUses: c.maxUses, uses: c.uses,
      lastUsedAt: c.lastUsedAt, revokedAt: c.revokedAt, status: consentStatus(c, now),
    };
  }
}
