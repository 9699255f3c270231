// The store contract against PostgreSQL: one database per test file (created here, dropped
// at the end), emptied before each test. Plus what only a shared server can show: two
// processes' writers keep seq increasing and the audit chain unforked. Skips, saying why,
// when no PostgreSQL answers (fails instead under CI=true).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/adapters/postgres/postgres-store.ts';
import { verifyChain } from '../src/domain/audit-chain.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { aRecord, storeContract, subjectId, writeOf } from './store.contract.ts';
import { requireService } from './support/services.ts';

const available = await requireService('postgres');

describe.skipIf(!available)('postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  storeContract('postgres', async () => {
    await db.reset();
    return PostgresStore.open(db.url);
  });

  describe('postgres store: both ways of writing records rows', () => {
    for (const recordsWrite of ['copy', 'unnest'] as const) {
      it(`round-trips text that COPY must escape (${recordsWrite})`, async () => {
        await db.reset();
        const store = await PostgresStore.open(db.url, { recordsWrite });
        try {
          await store.migrate();
          const awkward = 'tab\there, newline\nhere, cr\rhere, backslash \\ here, \\N, \\., 欠税';
          const rec = aRecord('tax', `odd\t${recordsWrite}\\N`, subjectId(1), {
            payload: { note: awkward, nested: [awkward, null, 1.5] },
            evidence: [awkward, ''],
            revokes: undefined,
          });
          await store.commit(writeOf([rec, aRecord('tax', 'plain', subjectId(1), { revokes: rec.id, fourEyes: true })]));
          const { seq: _seq, position, ...back } = (await store.getRecord(rec.id))!;
          expect(position).toBe(1);
          expect(back).toEqual(rec);
          expect((await store.getRecord('tax/plain'))!.revokes).toBe(rec.id);
          expect((await store.getRecord('tax/plain'))!.fourEyes).toBe(true); // held for a second person, in both ways of writing
        } finally {
          await store.close();
        }
      });
    }
  });

  describe('postgres store: several stores on one database', () => {
    it('reports pending migrations until migrated, and refuses a database newer than the code', async () => {
      await db.reset();
      const store = await PostgresStore.open(db.url);
      try {
        expect(await store.pendingMigrations()).toBeGreaterThan(0);
        await Promise.all([store.migrate(), store.migrate()]);
        expect(await store.pendingMigrations()).toBe(0);
        const other = await PostgresStore.open(db.url);
        await other.migrate();
        await other.close();
      } finally {
        await store.close();
      }
    });

    it('keeps seq unique and each writer\'s seq and positions increasing, and the audit chain whole and covering, with four stores writing at once', async () => {
      await db.reset();
      const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(db.url)));
      try {
        await stores[0]!.migrate();
        await Promise.all(
          stores.map(async (store, w) => {
            for (let b = 0; b < 10; b++) {
              const records = Array.from({ length: 50 }, (_, i) => aRecord(`w${w}`, `${b}-${i}`, subjectId(w * 1000 + i)));
              const expected = Object.fromEntries(records.map((r) => [r.subject, b]));
              const audit = { at: b, actor: `w${w}`, action: 'records.ingest', detail: { accepted: 50, b } };
              const res = await store.commit(writeOf(records, { expected, audit }));
              expect(res).toMatchObject({ conflicts: [], stale: [] });
              expect(res.audit!.detail).toEqual(audit.detail);
            }
          }),
        );
        expect(await stores[0]!.countRecords()).toBe(4 * 10 * 50);
        for (let w = 0; w < 4; w++) {
          const ids = Array.from({ length: 50 }, (_, i) => subjectId(w * 1000 + i));
          for (const recs of (await stores[w]!.recordsOfSubjects(ids)).values()) {
            expect(recs.map((r) => Number(r.sourceRecordId.split('-')[0]))).toEqual(Array.from({ length: 10 }, (_, b) => b));
            expect(recs.map((r) => r.position)).toEqual(Array.from({ length: 10 }, (_, b) => b + 1));
          }
        }
        const audit = await stores[1]!.readAudit(0, 1000);
        expect(audit).toHaveLength(40);
        expect(verifyChain(audit).ok).toBe(true);
        const coverage = await stores[2]!.recordCoverage(null, 10_000);
        const actorOf = new Map(audit.map((e) => [e.seq, `${e.actor}|${e.detail.b}`]));
        expect(coverage.rows).toHaveLength(2000);
        for (const r of coverage.rows) expect(actorOf.get(r.auditSeq!)).toBe(`${r.id.split('/')[0]}|${r.id.split('/')[1]!.split('-')[0]}`);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('lets one of two concurrent writers of the same record win, writing nothing of the other', async () => {
      await db.reset();
      const [a, b] = await Promise.all([PostgresStore.open(db.url), PostgresStore.open(db.url)]);
      try {
        await a.migrate();
        const shared = aRecord('tax', 'shared', subjectId(1));
        const results = await Promise.all([
          a.commit(writeOf([aRecord('tax', 'a1', subjectId(1)), shared])),
          b.commit(writeOf([shared, aRecord('tax', 'b1', subjectId(2))])),
        ]);
        const winners = results.filter((r) => r.inserted.length > 0);
        expect(winners).toHaveLength(1);
        // The loser finds the id taken, or (having waited on the subject's row) its stream moved.
        const loser = results.find((r) => r.inserted.length === 0)!;
        expect(loser.conflicts.length + loser.stale.length).toBeGreaterThan(0);
        expect(await a.countRecords()).toBe(2);
        expect(await a.existingRecordIds(['tax/a1', 'tax/b1'])).toEqual(new Set([winners[0] === results[0] ? 'tax/a1' : 'tax/b1']));
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
});
