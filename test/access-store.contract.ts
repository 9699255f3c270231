// The access-store contract (keys, providers, idempotency), run against every adapter.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessStore, ApiKeyRow, ConsentRow } from '../src/ports/access-store.ts';

const T0 = Date.UTC(2026, 0, 1);
const aKey = (id: string, o: Partial<ApiKeyRow> = {}): ApiKeyRow => ({
  id, role: 'source', name: `key ${id}`, hash: `h-${id}`, binding: 'tax-bureau', createdAt: T0, createdBy: 'test', expiresAt: null, revokedAt: null, replacedBy: null, ...o,
});

const aConsent = (id: string, o: Partial<ConsentRow> = {}): ConsentRow => ({
  id, hash: `hc-${id}`, subject: '11010519491231002X', provider: 'bank', purpose: 'credit-application', measure: 'defaulter.restricted_loans_cards',
  createdAt: T0, createdBy: 'key:key_subject', expiresAt: T0 + 1000, maxUses: 2, uses: 0, lastUsedAt: null, revokedAt: null, ...o,
});

export function accessStoreContract(name: string, make: () => Promise<{ access: AccessStore; close(): Promise<void> }>) {
  describe(`access store contract: ${name}`, () => {
    let h: { access: AccessStore; close(): Promise<void> };
    let s: AccessStore;
    beforeEach(async () => {
      h = await make();
      s = h.access;
    });
    afterEach(async () => h.close());

    it('finds a key by its hash and by its id, and nothing for an unknown hash', async () => {
      await s.createKey(aKey('k1'));
      expect((await s.keyByHash('h-k1'))?.id).toBe('k1');
      expect((await s.getKey('k1'))?.binding).toBe('tax-bureau');
      expect(await s.keyByHash('nope')).toBeNull();
      expect(await s.getKey('nope')).toBeNull();
    });

    it('lists keys newest first up to the limit', async () => {
      await s.createKey(aKey('k1'));
      await s.createKey(aKey('k2', { createdAt: T0 + 1 }));
      await s.createKey(aKey('k3', { createdAt: T0 + 2 }));
      expect((await s.listKeys(2)).map((k) => k.id)).toEqual(['k3', 'k2']);
    });

    it('revokes a key once, keeping the first revocation time', async () => {
      await s.createKey(aKey('k1'));
      expect(await s.revokeKey('k1', T0 + 5)).toBe(true);
      expect(await s.revokeKey('k1', T0 + 9)).toBe(true);
      expect((await s.getKey('k1'))?.revokedAt).toBe(T0 + 5);
      expect(await s.revokeKey('nope', T0)).toBe(false);
    });

    it('rotates: the new key exists and the old one expires at the end of the overlap', async () => {
      await s.createKey(aKey('k1'));
      expect(await s.rotateKey('k1', aKey('k2', { hash: 'h-k2' }), T0 + 1000)).toBe(true);
      const old = await s.getKey('k1');
      expect(old?.expiresAt).toBe(T0 + 1000);
      expect(old?.replacedBy).toBe('k2');
      expect((await s.keyByHash('h-k2'))?.id).toBe('k2');
      // An earlier expiry is kept.
      await s.createKey(aKey('k3', { hash: 'h-k3', expiresAt: T0 + 10 }));
      await s.rotateKey('k3', aKey('k4', { hash: 'h-k4' }), T0 + 1000);
      expect((await s.getKey('k3'))?.expiresAt).toBe(T0 + 10);
      expect(await s.rotateKey('nope', aKey('k5', { hash: 'h-k5' }), T0)).toBe(false);
      expect(await s.getKey('k5')).toBeNull();
    });

    it('stores a consent, finds it by hash and id, and lists a subject\'s consents newest first', async () => {
      await s.createConsent(aConsent('c1'));
      await s.createConsent(aConsent('c2', { createdAt: T0 + 1 }));
      await s.createConsent(aConsent('c3', { subject: '110105194912310038' }));
      expect(await s.consentByHash('hc-c1')).toEqual(aConsent('c1'));
      expect((await s.getConsent('c2'))?.createdAt).toBe(T0 + 1);
      expect(await s.consentByHash('nope')).toBeNull();
      expect(await s.getConsent('nope')).toBeNull();
      expect((await s.listConsents('11010519491231002X')).map((c) => c.id)).toEqual(['c2', 'c1']);
      expect(await s.listConsents('nobody')).toEqual([]);
    });

    it('counts uses up to the limit, never after expiry or revocation, keeping the first revocation time', async () => {
      await s.createConsent(aConsent('c1'));
      expect(await s.useConsent('c1', T0 + 10)).toBe(true);
      expect(await s.useConsent('c1', T0 + 20)).toBe(true);
      expect(await s.useConsent('c1', T0 + 30)).toBe(false);
      expect(await s.getConsent('c1')).toMatchObject({ uses: 2, lastUsedAt: T0 + 20 });
      await s.createConsent(aConsent('c2'));
      expect(await s.useConsent('c2', T0 + 1000)).toBe(false);
      expect(await s.revokeConsent('c2', T0 + 5)).toBe(true);
      expect(await s.revokeConsent('c2', T0 + 9)).toBe(true);
      expect(await s.getConsent('c2')).toMatchObject({ revokedAt: T0 + 5, uses: 0 });
      expect(await s.useConsent('c2', T0 + 6)).toBe(false);
      expect(await s.revokeConsent('nope', T0)).toBe(false);
      expect(await s.useConsent('nope', T0)).toBe(false);
    });

    it('gives the last use to exactly one of many look-ups racing for it', async () => {
      await s.createConsent(aConsent('c1', { maxUses: 3 }));
      const got = await Promise.all(Array.from({ length: 10 }, (_, i) => s.useConsent('c1', T0 + i)));
      expect(got.filter(Boolean)).toHaveLength(3);
      expect((await s.getConsent('c1'))?.uses).toBe(3);
    });

    it('publication consent: given, withdrawn once, given again from the new time; per subject and list', async () => {
      const [a, b] = ['11010519491231002X', '371082199205050475'];
      expect(await s.publicationConsented('honesty-models', [a, b])).toEqual(new Set());
      await s.givePublicationConsent({ subject: a, list: 'honesty-models', givenAt: T0, givenBy: `subject:${a}` });
      await s.givePublicationConsent({ subject: b, list: 'other-red', givenAt: T0, givenBy: 'key:op' });
      expect(await s.publicationConsented('honesty-models', [a, b, a])).toEqual(new Set([a]));
      expect(await s.withdrawPublicationConsent(a, 'honesty-models', T0 + 5)).toBe(true);
      expect(await s.withdrawPublicationConsent(a, 'honesty-models', T0 + 9)).toBe(false);
      expect(await s.withdrawPublicationConsent(b, 'honesty-models', T0 + 9)).toBe(false);
      expect(await s.publicationConsented('honesty-models', [a, b])).toEqual(new Set());
      expect(await s.publicationConsentsOf(a)).toEqual([{ subject: a, list: 'honesty-models', givenAt: T0, givenBy: `subject:${a}`, withdrawnAt: T0 + 5 }]);
      await s.givePublicationConsent({ subject: a, list: 'honesty-models', givenAt: T0 + 20, givenBy: 'key:op' });
      expect(await s.publicationConsentsOf(a)).toEqual([{ subject: a, list: 'honesty-models', givenAt: T0 + 20, givenBy: 'key:op', withdrawnAt: null }]);
      expect(await s.publicationConsented('honesty-models', [a])).toEqual(new Set([a]));
      expect(await s.publicationConsentsOf(b)).toEqual([{ subject: b, list: 'other-red', givenAt: T0, givenBy: 'key:op', withdrawnAt: null }]);
    });

    it('saves, replaces and lists providers', async () => {
      await s.saveProvider({ id: 'railway', name: 'Railway', measures: ['defaulter.no_g_train'], purposes: ['ticket-sale'], createdAt: T0 });
      await s.saveProvider({ id: 'bank', name: 'Bank', measures: [], purposes: [], createdAt: T0 });
      await s.saveProvider({ id: 'railway', name: 'Railway 2', measures: ['a', 'b'], purposes: ['boarding'], createdAt: T0 });
      expect((await s.getProvider('railway'))?.measures).toEqual(['a', 'b']);
      expect((await s.listProviders()).map((p) => p.id)).toEqual(['bank', 'railway']);
      expect(await s.getProvider('nope')).toBeNull();
    });

    it('idempotency: new, in progress, completed with the stored response, mismatch', async () => {
      expect(await s.reserveIdempotency('k1', 'i1', 'fp', T0, 60_000)).toEqual({ state: 'new' });
      expect(await s.reserveIdempotency('k1', 'i1', 'fp', T0 + 1, 60_000)).toEqual({ state: 'in-progress' });
      expect(await s.reserveIdempotency('k1', 'i1', 'other', T0 + 1, 60_000)).toEqual({ state: 'mismatch' });
      await s.completeIdempotency('k1', 'i1', { status: 200, body: '{"a":1}' }, T0 + 2);
      expect(await s.reserveIdempotency('k1', 'i1', 'fp', T0 + 3, 60_000)).toEqual({ state: 'completed', response: { status: 200, body: '{"a":1}' } });
      expect(await s.reserveIdempotency('k1', 'i1', 'other', T0 + 3, 60_000)).toEqual({ state: 'mismatch' });
      // Scoped per API key: another key with the same idempotency key starts afresh.
      expect(await s.reserveIdempotency('k2', 'i1', 'other', T0 + 3, 60_000)).toEqual({ state: 'new' });
    });

    it('idempotency: a stale in-progress reservation is taken over; release forgets; purge drops old ones', async () => {
      await s.reserveIdempotency('k1', 'i1', 'fp', T0, 1000);
      expect(await s.reserveIdempotency('k1', 'i1', 'fp', T0 + 1000, 1000)).toEqual({ state: 'new' });
      await s.releaseIdempotency('k1', 'i1');
      expect(await s.reserveIdempotency('k1', 'i1', 'x', T0 + 1001, 1000)).toEqual({ state: 'new' });
      await s.reserveIdempotency('k1', 'i2', 'fp', T0 + 5000, 1000);
      expect(await s.purgeIdempotency(T0 + 2000)).toBe(1);
      expect(await s.reserveIdempotency('k1', 'i2', 'fp', T0 + 5001, 1000)).toEqual({ state: 'in-progress' });
    });
  });
}
