// The store contract: one suite every Store adapter runs in three lines (Hono habit:
// storeContract('memory', async () => new MemoryStore())). Each test gets a fresh, migrated
// store from `make` and closes it afterwards. Tests are named by what a user would notice.
// No skips: every adapter passes every test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain, type AuditEntryInput } from '../src/domain/audit-chain.ts';
import type {
  Catalogue,
  Scheme,
  StoredRecord,
  Subject,
  SubjectId,
  SubjectLedger,
} from '../src/domain/types.ts';
import type { AnnotationWrite, CaseQuery, CaseRow, NoticeInput, RecordMarks, RecordWrite, Store, SubjectState, WebhookEndpoint } from '../src/ports/store.ts';

// ---------------------------------------------------------------------------------------
// Builders

const T0 = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;

/** Synthetic 18-digit resident ids, e.g. subjectId(17) = '371082199000000017'. */
export function subjectId(n: number): SubjectId {
  return `3710821990${String(n).padStart(8, '0')}`;
}

export function aSubject(id: SubjectId, overrides: Partial<Subject> = {}): Subject {
  return { id, kind: 'person', idScheme: 'cn-rid', displayName: `Resident ${id.slice(-4)}`, createdAt: T0, ...overrides };
}

export type NewRecord = Omit<StoredRecord, 'seq' | 'position'>;

export function aRecord(source: string, sourceRecordId: string, subject: SubjectId, overrides: Partial<NewRecord> = {}): NewRecord {
  return {
    id: `${source}/${sourceRecordId}`,
    source,
    sourceRecordId,
    subject,
    type: 'tax.arrears',
    occurredAt: T0,
    recordedAt: T0 + DAY_MS,
    payload: { amount: 1200, months: 3, note: '欠税 三个月', nested: { list: [1, 2, { deep: true }] } },
    evidence: [`doc:${sourceRecordId}`],
    ...overrides,
  };
}

/**
 * A write; `expected` defaults to position 0 (a subject with no stream yet) for every subject
 * it touches, and what `parts.expected` names overrides that.
 */
export function aWrite(parts: Partial<RecordWrite> = {}): RecordWrite {
  const expected: Record<SubjectId, number> = {};
  for (const r of parts.records ?? []) expected[r.subject] = 0;
  for (const st of parts.states ?? []) expected[st.subject] = 0;
  return { records: [], revocations: [], subjects: [], states: [], ...parts, expected: { ...expected, ...parts.expected } };
}

/** A write that creates the records' subjects (each once). */
export function writeOf(records: NewRecord[], parts: Partial<RecordWrite> = {}): RecordWrite {
  const subjects = [...new Set(records.map((r) => r.subject))].map((id) => aSubject(id));
  return aWrite({ records, subjects, ...parts });
}

export function aLedger(subject: SubjectId, scheme: string): SubjectLedger {
  return {
    subject,
    scheme,
    contributions: [
      {
        recordId: 'tax/1',
        recordType: 'tax.arrears',
        ruleId: 'arrears',
        delta: -15,
        requested: -15,
        occurredAt: T0,
        from: T0,
        until: T0 + 365 * DAY_MS,
        endReason: 'expiry',
      },
    ],
    directGradings: [],
    recordListings: [],
    spans: [{ recordId: 'tax/1', recordType: 'tax.arrears', from: T0, until: T0 + 365 * DAY_MS, endReason: 'expiry', disputed: true }],
    warnings: [{ code: 'W_TEST', message: 'synthetic' }],
    lastOccurredAt: T0,
    recordCount: 1,
  };
}

export function aState(subject: SubjectId, scheme: string, overrides: Partial<SubjectState> = {}): SubjectState {
  return {
    subject,
    scheme,
    position: 0,
    ledger: aLedger(subject, scheme),
    score: 985.5,
    grade: 'A',
    computedAt: T0,
    validUntil: null,
    ...overrides,
  };
}

export function aCatalogue(version = '2024.1'): Catalogue {
  return {
    version,
    recordTypes: new Map([
      [
        'tax.arrears',
        {
          code: 'tax.arrears',
          title: 'Tax arrears',
          description: 'Unpaid tax past the statutory date',
          category: 'tax',
          domain: 'tax',
          subjectKinds: ['person', 'organisation'],
          legalBasis: 'Tax Collection Law, Art. 32',
          citations: [{ ref: 'tax-law', article: 'Art. 32' }],
          polarity: 'adverse',
          retention: 'P5Y',
          payloadSchema: { type: 'object', properties: { months: { type: 'integer' } } },
          disputeDays: 30,
        },
      ],
    ]),
    sources: new Map([
      ['tax', { id: 'tax', name: 'Tax bureau', kind: 'agency', domain: 'tax', legalBasis: 'Tax Collection Law, Art. 5', citations: [{ ref: 'tax-law', article: 'Art. 5' }], recordTypes: ['tax.arrears'], reviewRequired: false }],
    ]),
    lists: new Map([
      ['defaulters', { id: 'defaulters', title: 'Defaulters', kind: 'black', domain: 'courts', legalBasis: 'Tax Collection Law, Art. 45', citations: [{ ref: 'tax-law', article: 'Art. 45' }], public: true, description: 'd' }],
    ]),
    measures: new Map([
      [
        'no-rail',
        {
          id: 'no-rail',
          title: 'No high-speed rail',
          domain: 'transport',
          trigger: { list: 'defaulters' },
          effect: 'deny',
          legalBasis: 'Tax Collection Law, Art. 44',
          citations: [{ ref: 'tax-law', article: 'Art. 44' }],
          crossContext: true,
          contest: 'court',
          purposes: ['ticket-sale'],
        },
      ],
    ]),
    purposes: new Map([
      ['ticket-sale', { id: 'ticket-sale', title: 'Selling a ticket the subject asked to buy', kind: 'subject-initiated', pastDates: false, legalBasis: 'Tax Collection Law, Art. 5', citations: [{ ref: 'tax-law', article: 'Art. 5' }] }],
    ]),
    legalBases: new Map([
      [
        'tax-law',
        {
          id: 'tax-law',
          kind: 'law',
          title: 'Tax Collection Law',
          titleZh: '税收征收管理法',
          issuer: 'NPC Standing Committee',
          date: '1992-09-04',
          url: 'https://flk.npc.gov.cn/',
          authorises: { categories: ['tax'], points: { min: -50, max: 0 }, lists: [{ list: 'defaulters', maxPeriod: 'P3Y' }], crossContext: [{ from: 'courts', to: 'transport' }] },
          articles: [],
        },
      ],
    ]),
  };
}

export function aScheme(id: string, version: number, overrides: Partial<Scheme> = {}): Scheme {
  return {
    id,
    version,
    title: `${id} v${version}`,
    status: 'published',
    source: 'town',
    base: 1000,
    defaultGrade: 'A',
    bands: [
      { grade: 'AAA', label: 'Exemplary', min: 1050, max: null },
      { grade: 'A', label: 'Good', min: 960, max: 1049 },
      { grade: 'D', label: 'Poor', min: null, max: 959 },
    ],
    rules: [{ id: 'arrears', recordType: 'tax.arrears', title: 'Tax arrears', points: { fixed: -15 }, source: 'tax' }],
    listRules: [],
    ...overrides,
  };
}

export function aNotice(id: string, subject: SubjectId, overrides: Partial<NoticeInput> = {}): NoticeInput {
  return { id, subject, recipient: 'subject', kind: 'record.adverse', createdAt: T0, body: { title: '新的不良记录', reasons: [{ code: 'ADVERSE_RECORD', record: 'tax/1' }] }, ...overrides };
}

export function anEndpoint(id: string, overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return { id, url: `http://127.0.0.1:9/${id}`, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', recipient: 'subject', kinds: null, description: 'inbox relay', createdAt: T0, disabledAt: null, cursor: 0, ...overrides };
}

function auditInput(n: number, subject?: SubjectId): AuditEntryInput {
  const input: AuditEntryInput = { at: T0 + n, actor: 'key:bank-1', action: 'subject.read', detail: { n, purpose: 'loan' } };
  if (subject !== undefined) input.subject = subject;
  return input;
}

// ---------------------------------------------------------------------------------------

export function storeContract(name: string, make: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await make();
      await store.migrate();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('schema', () => {
      it('migrating twice is harmless and leaves no pending migration', async () => {
        await store.commit(writeOf([aRecord('tax', '1', subjectId(1))]));
        await store.migrate();
        await store.migrate();
        expect(await store.pendingMigrations()).toBe(0);
        expect(await store.countRecords()).toBe(1);
        expect(await store.getSubject(subjectId(1))).not.toBeNull();
      });
    });

    describe('catalogue and schemes', () => {
      it('has no catalogue until one is saved', async () => {
        expect(await store.loadCatalogue()).toBeNull();
      });

      it('round-trips the catalogue with its Maps restored', async () => {
        const catalogue = aCatalogue();
        await store.saveCatalogue(catalogue);
        const loaded = await store.loadCatalogue();
        expect(loaded).toEqual(catalogue);
        expect(loaded!.recordTypes).toBeInstanceOf(Map);
        expect(loaded!.measures.get('no-rail')!.trigger).toEqual({ list: 'defaulters' });
      });

      it('round-trips the deployment\'s four-eyes setting with the catalogue', async () => {
        await store.saveCatalogue({ ...aCatalogue(), fourEyes: true });
        expect((await store.loadCatalogue())!.fourEyes).toBe(true);
        await store.saveCatalogue(aCatalogue());
        expect((await store.loadCatalogue())!.fourEyes).toBeUndefined();
      });

      it('replaces the catalogue when a new version is saved', async () => {
        await store.saveCatalogue(aCatalogue('2024.1'));
        const next = aCatalogue('2024.2');
        next.sources.delete('tax');
        await store.saveCatalogue(next);
        const loaded = await store.loadCatalogue();
        expect(loaded!.version).toBe('2024.2');
        expect(loaded!.sources.size).toBe(0);
      });

      it('keeps the stored catalogue safe from later mutation of the saved or loaded object', async () => {
        const catalogue = aCatalogue();
        await store.saveCatalogue(catalogue);
        catalogue.recordTypes.clear();
        const loaded = await store.loadCatalogue();
        loaded!.lists.clear();
        const again = await store.loadCatalogue();
        expect(again!.recordTypes.size).toBe(1);
        expect(again!.lists.size).toBe(1);
      });

      it('keeps several versions of a scheme side by side, ordered by id then numeric version', async () => {
        await store.saveScheme(aScheme('town', 10), null);
        await store.saveScheme(aScheme('town', 2, { status: 'draft' }), null);
        await store.saveScheme(aScheme('town', 1), T0 + 5);
        await store.saveScheme(aScheme('bank', 1), T0 + 9);
        const rows = await store.listSchemes();
        expect(rows.map((r) => `${r.scheme.id}@${r.scheme.version}`)).toEqual(['bank@1', 'town@1', 'town@2', 'town@10']);
        expect(rows.map((r) => r.publishedAt)).toEqual([T0 + 9, T0 + 5, null, null]);
        expect(rows[2]!.scheme).toEqual(aScheme('town', 2, { status: 'draft' }));
      });

      it('replaces a scheme version when it is saved again (e.g. published)', async () => {
        await store.saveScheme(aScheme('town', 2, { status: 'draft' }), null);
        await store.saveScheme(aScheme('town', 2, { status: 'published' }), T0 + 7);
        const rows = await store.listSchemes();
        expect(rows).toHaveLength(1);
        expect(rows[0]).toEqual({ scheme: aScheme('town', 2, { status: 'published' }), publishedAt: T0 + 7 });
      });
    });

    describe('commit: records and subjects', () => {
      it('inserts records with increasing seq numbers across commits', async () => {
        const first = await store.commit(writeOf([aRecord('tax', '1', subjectId(1)), aRecord('tax', '2', subjectId(2))]));
        const second = await store.commit(writeOf([aRecord('court', '9', subjectId(1))], { expected: { [subjectId(1)]: 1 } }));
        expect(first).toEqual({ inserted: ['tax/1', 'tax/2'], conflicts: [], stale: [] });
        expect(second).toEqual({ inserted: ['court/9'], conflicts: [], stale: [] });
        const seqs = await Promise.all(['tax/1', 'tax/2', 'court/9'].map(async (id) => (await store.getRecord(id))!.seq));
        expect(seqs[0]).toBeGreaterThanOrEqual(1);
        expect(seqs[1]).toBeGreaterThan(seqs[0]!);
        expect(seqs[2]).toBeGreaterThan(seqs[1]!);
      });

      it('keeps a record\'s four-eyes hold as written, and only on that record', async () => {
        await store.commit(writeOf([aRecord('tax', 'held', subjectId(1), { fourEyes: true }), aRecord('tax', 'free', subjectId(2))]));
        expect((await store.getRecord('tax/held'))!.fourEyes).toBe(true);
        expect((await store.getRecord('tax/free'))!.fourEyes).toBeUndefined();
        expect((await store.recordsOfSubjects([subjectId(1)])).get(subjectId(1))![0]!.fourEyes).toBe(true);
      });

      it('creates a subject once: a later commit naming it again keeps the original row', async () => {
        const id = subjectId(17);
        await store.commit(aWrite({ records: [aRecord('tax', '1', id)], subjects: [aSubject(id, { displayName: 'Zhang San' })] }));
        const again = await store.commit(aWrite({ records: [aRecord('tax', '2', id)], subjects: [aSubject(id, { displayName: 'Someone Else', createdAt: T0 + 99 })], expected: { [id]: 1 } }));
        expect(again.inserted).toEqual(['tax/2']);
        expect(await store.getSubject(id)).toEqual(aSubject(id, { displayName: 'Zhang San' }));
        expect(await store.countSubjects()).toBe(1);
      });

      it('returns each subject\'s records in seq order with payload and evidence intact', async () => {
        const [a, b] = [subjectId(1), subjectId(2)];
        await store.commit(writeOf([aRecord('tax', '1', a), aRecord('tax', '2', b), aRecord('grid', '3', a, { evidence: [] })]));
        await store.commit(writeOf([aRecord('court', '4', a, { payload: { caseNo: '(2024)鲁1082执123号' }, revokes: undefined })], { expected: { [a]: 2 } }));
        const bySubject = await store.recordsOfSubjects([a, b, subjectId(3)]);
        const ofA = bySubject.get(a)!;
        expect(ofA.map((r) => r.id)).toEqual(['tax/1', 'grid/3', 'court/4']);
        expect(ofA.map((r) => r.seq)).toEqual([...ofA.map((r) => r.seq)].sort((x, y) => x - y));
        expect(ofA.map((r) => r.position)).toEqual([1, 2, 3]);
        const { seq: _seq, position: _position, ...stored } = ofA[0]!;
        expect(stored).toEqual(aRecord('tax', '1', a));
        expect(ofA[1]!.evidence).toEqual([]);
        expect(ofA[2]!.payload).toEqual({ caseNo: '(2024)鲁1082执123号' });
        expect(ofA[0]!.revokedAt).toBeUndefined();
        expect(bySubject.get(b)!.map((r) => r.id)).toEqual(['tax/2']);
        expect(bySubject.get(subjectId(3))).toEqual([]);
      });

      it('reads single records and subjects, and answers null for unknown ones', async () => {
        await store.commit(writeOf([aRecord('tax', '1', subjectId(1))]));
        expect((await store.getRecord('tax/1'))!.subject).toBe(subjectId(1));
        expect(await store.getRecord('tax/404')).toBeNull();
        expect(await store.getSubject(subjectId(404))).toBeNull();
        const subjects = await store.getSubjects([subjectId(1), subjectId(404)]);
        expect([...subjects.keys()]).toEqual([subjectId(1)]);
        expect(subjects.get(subjectId(1))).toEqual(aSubject(subjectId(1)));
      });

      it('tells which record ids already exist', async () => {
        await store.commit(writeOf([aRecord('tax', '1', subjectId(1)), aRecord('tax', '2', subjectId(1))]));
        expect(await store.existingRecordIds(['tax/2', 'tax/3', 'tax/1'])).toEqual(new Set(['tax/1', 'tax/2']));
        expect(await store.existingRecordIds([])).toEqual(new Set());
      });

      it('writes nothing at all when a record id already exists, and reports the conflicts', async () => {
        const [a, b] = [subjectId(1), subjectId(2)];
        await store.commit(writeOf([aRecord('tax', '1', a)]));
        const result = await store.commit(
          aWrite({
            records: [aRecord('tax', '2', b), aRecord('tax', '1', a)],
            subjects: [aSubject(b)],
            revocations: [{ recordId: 'tax/1', revokedAt: T0 + 5, revokedBy: 'tax/2' }],
            states: [aState(b, 'town@1')],
            expected: { [a]: 1 },
          }),
        );
        expect(result).toEqual({ inserted: [], conflicts: ['tax/1'], stale: [] });
        expect(await store.getRecord('tax/2')).toBeNull();
        expect(await store.getSubject(b)).toBeNull();
        expect(await store.getStates(b)).toEqual([]);
        expect((await store.getRecord('tax/1'))!.revokedAt).toBeUndefined();
        expect(await store.countRecords()).toBe(1);
        expect(await store.countSubjects()).toBe(1);
      });

      it('refuses, writing nothing, a write that names the same record id twice', async () => {
        const rec = aRecord('tax', '1', subjectId(1));
        await expect(store.commit(writeOf([rec, { ...rec }]))).rejects.toThrow();
        expect(await store.countRecords()).toBe(0);
        expect(await store.countSubjects()).toBe(0);
      });

      it('refuses, writing nothing, a record whose subject is neither stored nor in the write', async () => {
        const write = aWrite({ records: [aRecord('tax', '1', subjectId(1)), aRecord('tax', '2', subjectId(2))], subjects: [aSubject(subjectId(1))] });
        await expect(store.commit(write)).rejects.toThrow();
        expect(await store.countRecords()).toBe(0);
        expect(await store.countSubjects()).toBe(0);
      });

      it('sets revokedAt and revokedBy on a revoked record, also one in the same write', async () => {
        const s = subjectId(1);
        await store.commit(writeOf([aRecord('tax', '1', s)]));
        await store.commit(
          writeOf([aRecord('tax', '2', s, { revokes: 'tax/1' }), aRecord('tax', '3', s), aRecord('tax', '4', s, { revokes: 'tax/3' })], {
            revocations: [
              { recordId: 'tax/1', revokedAt: T0 + 10, revokedBy: 'tax/2' },
              { recordId: 'tax/3', revokedAt: T0 + 11, revokedBy: 'tax/4' },
            ],
            expected: { [s]: 1 },
          }),
        );
        const revoked = (await store.getRecord('tax/1'))!;
        expect(revoked.revokedAt).toBe(T0 + 10);
        expect(revoked.revokedBy).toBe('tax/2');
        expect((await store.getRecord('tax/2'))!.revokes).toBe('tax/1');
        expect((await store.getRecord('tax/3'))!.revokedBy).toBe('tax/4');
        expect((await store.getRecord('tax/4'))!.revokedAt).toBeUndefined();
      });

      it('refuses, writing nothing, the revocation of a record that does not exist', async () => {
        const write = writeOf([aRecord('tax', '2', subjectId(1))], {
          revocations: [{ recordId: 'tax/404', revokedAt: T0, revokedBy: 'tax/2' }],
        });
        await expect(store.commit(write)).rejects.toThrow();
        expect(await store.countRecords()).toBe(0);
      });

      it('keeps stored records safe from later mutation of the written or returned objects', async () => {
        const rec = aRecord('tax', '1', subjectId(1));
        await store.commit(writeOf([rec]));
        (rec.payload as { amount: number }).amount = -1;
        rec.evidence.push('forged');
        const read = (await store.getRecord('tax/1'))!;
        (read.payload as { amount: number }).amount = -2;
        const again = (await store.getRecord('tax/1'))!;
        expect(again.payload.amount).toBe(1200);
        expect(again.evidence).toEqual(['doc:1']);
      });

      it('commits a batch of 10,000 records over 1,000 subjects in one call and reads it back', async () => {
        const records: NewRecord[] = [];
        for (let i = 0; i < 10_000; i++) records.push(aRecord('bulk', String(i), subjectId(i % 1000)));
        const result = await store.commit(writeOf(records));
        expect(result.inserted).toHaveLength(10_000);
        expect(await store.countRecords()).toBe(10_000);
        expect(await store.countSubjects()).toBe(1000);
        const ids = records.map((r) => r.id);
        expect((await store.existingRecordIds(ids)).size).toBe(10_000);
        const subjects = Array.from({ length: 1000 }, (_, i) => subjectId(i));
        expect((await store.getSubjects(subjects)).size).toBe(1000);
        const bySubject = await store.recordsOfSubjects(subjects);
        expect(bySubject.size).toBe(1000);
        expect(bySubject.get(subjectId(999))!.map((r) => r.sourceRecordId)).toEqual(
          Array.from({ length: 10 }, (_, k) => String(999 + k * 1000)),
        );
        const seqs = [...bySubject.values()].flat().map((r) => r.seq).sort((x, y) => x - y);
        expect(new Set(seqs).size).toBe(10_000);
        expect(seqs[seqs.length - 1]! - seqs[0]!).toBe(9_999);
      });
    });

    describe('annotations and cases', () => {
      const mark = (subject: string, expected: number, marks: { recordId: string; mark: RecordMarks }[], extra: Partial<AnnotationWrite> = {}): AnnotationWrite => ({
        subject,
        expected,
        marks,
        cases: [],
        states: [],
        audit: [],
        ...extra,
      });
      const aCase = (id: string, subject: string, over: Partial<CaseRow> = {}): CaseRow => ({
        id,
        kind: 'dispute',
        subject,
        status: 'open',
        dueAt: T0 + 1000,
        assignee: null,
        createdAt: T0,
        updatedAt: T0,
        body: { record: 'tax/1', statement: 'not mine', nested: { n: 1 } },
        ...over,
      });

      it('sets, keeps and clears record marks, replacing the derived states', async () => {
        const s = subjectId(1);
        await store.commit(writeOf([aRecord('tax', '1', s)], { states: [aState(s, 'town@1', { grade: 'D' })] }));

        expect((await store.annotate(mark(s, 1, [{ recordId: 'tax/1', mark: { disputedAt: T0 + 1 } }], { states: [aState(s, 'town@1', { grade: 'A' })] }))).stale).toBe(false);
        let r = (await store.getRecord('tax/1'))!;
        expect(r.disputedAt).toBe(T0 + 1);
        expect(r.confirmedAt).toBeUndefined();
        expect((await store.getStates(s))[0]!.grade).toBe('A');

        // A mark moves the subject's stream on: one based on the position before it is refused.
        expect((await store.annotate(mark(s, 1, [{ recordId: 'tax/1', mark: { confirmedAt: T0 + 2 } }], { states: [aState(s, 'town@1', { grade: 'B' })] }))).stale).toBe(true);
        expect((await store.getRecord('tax/1'))!.confirmedAt).toBeUndefined();
        expect((await store.getStates(s))[0]!.grade).toBe('A');
        expect((await store.streamPositions([s])).get(s)).toBe(2);
        await store.annotate(mark(s, 2, [{ recordId: 'tax/1', mark: { confirmedAt: T0 + 2, withdrawnAt: T0 + 3, approvedAt: T0 + 4, rejectedAt: T0 + 5, restoredAt: T0 + 6 } }], { states: [aState(s, 'town@1', { grade: 'D' })] }));
        r = (await store.getRecord('tax/1'))!;
        expect([r.disputedAt, r.confirmedAt, r.withdrawnAt, r.approvedAt, r.rejectedAt, r.restoredAt]).toEqual([T0 + 1, T0 + 2, T0 + 3, T0 + 4, T0 + 5, T0 + 6]);
        expect((await store.getStates(s))[0]!.grade).toBe('D');
        // The marks come back the same way through every read.
        expect((await store.recordsOfSubjects([s])).get(s)![0]!.withdrawnAt).toBe(T0 + 3);
        expect((await store.getRecords(['tax/1'])).get('tax/1')!.approvedAt).toBe(T0 + 4);

        await store.annotate(mark(s, 3, [{ recordId: 'tax/1', mark: { disputedAt: null, confirmedAt: null, withdrawnAt: null, approvedAt: null, rejectedAt: null, restoredAt: null } }]));
        r = (await store.getRecord('tax/1'))!;
        expect([r.disputedAt, r.confirmedAt, r.withdrawnAt, r.approvedAt, r.rejectedAt, r.restoredAt]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
      });

      it('writes cases and chained audit entries with the marks, or nothing when stale', async () => {
        const s = subjectId(1);
        await store.commit(writeOf([aRecord('tax', '1', s)]));
        const res = await store.annotate(mark(s, 1, [{ recordId: 'tax/1', mark: { disputedAt: T0 } }], { cases: [aCase('d1', s)], audit: [{ at: T0, actor: 'key:a', action: 'dispute.open', subject: s, detail: { case: 'd1' } }] }));
        expect(res.stale).toBe(false);
        expect(res.audit.map((e) => e.action)).toEqual(['dispute.open']);
        expect((await store.auditHead())!.seq).toBe(res.audit[0]!.seq);
        expect(await store.getCase('d1')).toEqual(aCase('d1', s));

        const head = await store.auditHead();
        const stale = await store.annotate(mark(s, 1, [], { cases: [aCase('d1', s, { status: 'closed' })], audit: [{ at: T0, actor: 'x', action: 'y', detail: {} }] }));
        expect(stale).toEqual({ stale: true, audit: [] });
        expect((await store.getCase('d1'))!.status).toBe('open');
        expect(await store.auditHead()).toEqual(head);

        // Replaced by id; a commit can write cases too.
        await store.annotate(mark(s, 2, [], { cases: [aCase('d1', s, { status: 'closed', dueAt: null, assignee: 'key:r', updatedAt: T0 + 5 })] }));
        expect(await store.getCase('d1')).toMatchObject({ status: 'closed', dueAt: null, assignee: 'key:r', updatedAt: T0 + 5, createdAt: T0 });
        await store.commit(writeOf([aRecord('tax', '2', s)], { expected: { [s]: 3 }, cases: [aCase('r1', s, { kind: 'review', body: { record: 'tax/2' } })] }));
        expect((await store.getCase('r1'))!.kind).toBe('review');
        expect(await store.getCase('nope')).toBeNull();
      });

      it('filters, counts and pages cases', async () => {
        const [a, b] = [subjectId(1), subjectId(2)];
        await store.commit(writeOf([aRecord('tax', '1', a), aRecord('tax', '2', b)]));
        await store.annotate(mark(a, 1, [], { cases: [aCase('c1', a), aCase('c2', a, { status: 'closed', dueAt: null }), aCase('c3', a, { kind: 'review', dueAt: T0 + 10, assignee: 'key:r' })] }));
        await store.annotate(mark(b, 1, [], { cases: [aCase('c4', b, { dueAt: T0 + 5, body: { record: 'tax/2' } })] }));
        const ids = async (q: CaseQuery, after: string | null = null, limit = 10) => (await store.listCases(q, after, limit)).map((c) => c.id);
        expect(await ids({})).toEqual(['c1', 'c2', 'c3', 'c4']);
        expect(await ids({ kind: 'dispute' })).toEqual(['c1', 'c2', 'c4']);
        expect(await ids({ status: ['open'] })).toEqual(['c1', 'c3', 'c4']);
        expect(await ids({ status: [] })).toEqual([]);
        expect(await ids({ subject: b })).toEqual(['c4']);
        expect(await ids({ assignee: 'key:r' })).toEqual(['c3']);
        expect(await ids({ dueBefore: T0 + 11 })).toEqual(['c3', 'c4']);
        expect(await ids({ record: 'tax/2' })).toEqual(['c4']);
        expect(await ids({ kind: 'dispute', status: ['open', 'closed'] }, 'c1', 1)).toEqual(['c2']);
        expect(await store.countCases({ status: ['open'] })).toBe(3);
        expect(await store.countCases({ dueBefore: T0 + 11, kind: 'review' })).toBe(1);
      });

      it("refuses, writing nothing, a state or case of another subject than the write's", async () => {
        const [a, b] = [subjectId(1), subjectId(2)];
        await store.commit(writeOf([aRecord('tax', '1', a), aRecord('tax', '2', b)]));
        await expect(store.annotate(mark(a, 1, [{ recordId: 'tax/1', mark: { disputedAt: T0 } }], { states: [aState(b, 'town@1')] }))).rejects.toThrow();
        await expect(store.annotate(mark(a, 1, [], { cases: [aCase('x', b)] }))).rejects.toThrow();
        await expect(store.annotate(mark(a, 1, [{ recordId: 'tax/2', mark: { disputedAt: T0 } }]))).rejects.toThrow();
        expect((await store.getRecord('tax/1'))!.disputedAt).toBeUndefined();
        expect((await store.streamPositions([a])).get(a)).toBe(1);
        expect(await store.getStates(b)).toEqual([]);
        expect(await store.getCase('x')).toBeNull();
      });

      it('refuses to mark a record that does not exist, and writes no state', async () => {
        await store.commit(aWrite({ subjects: [aSubject(subjectId(1))] }));
        await expect(store.annotate(mark(subjectId(1), 0, [{ recordId: 'tax/404', mark: { disputedAt: T0 } }], { states: [aState(subjectId(1), 'town@1')] }))).rejects.toThrow();
        expect(await store.getStates(subjectId(1))).toEqual([]);
      });
    });

    describe('retention: purge and candidates', () => {
      const ingest = (n: number): AuditEntryInput => ({ at: T0, actor: 'cli:clerk', action: 'records.ingest', detail: { accepted: n } });
      const purgeWrite = (subject: SubjectId, expected: number, purge: AnnotationWrite['purge'], extra: Partial<AnnotationWrite> = {}): AnnotationWrite => ({ subject, expected, marks: [], cases: [], states: [], audit: [], purge, ...extra });
      const closedCase = (id: string, subject: SubjectId, record: string | null): CaseRow => ({ id, kind: 'dispute', subject, status: 'closed', dueAt: null, assignee: null, createdAt: T0, updatedAt: T0, body: { record, outcome: 'lapsed' } });

      it('deletes records, cases and notices (with their deliveries) of one subject in one write, keeping the rest', async () => {
        const [a, b] = [subjectId(1), subjectId(2)];
        const first = await store.commit(writeOf([aRecord('tax', '1', a), aRecord('tax', '2', a), aRecord('tax', '3', b)], {
          audit: ingest(3), cases: [closedCase('c1', a, 'tax/1'), closedCase('c2', a, 'tax/2')], notices: [aNotice('n1', a), aNotice('n2', a), aNotice('n3', b)],
        }));
        const entry = first.audit!.seq;
        expect(await store.auditSeqsOf(['tax/1', 'tax/3', 'nope/1'])).toEqual(new Map([['tax/1', entry], ['tax/3', entry]]));
        await store.addWebhook(anEndpoint('wh_a'));
        expect(await store.fanOut('wh_a', 0, 3, [{ seq: 1, id: 'n1' }, { seq: 2, id: 'n2' }, { seq: 3, id: 'n3' }], T0)).toBe(true);

        // a's stream holds two records: position 2.
        const res = await store.annotate(purgeWrite(a, 2, { records: ['tax/1'], cases: ['c1'], notices: ['n1'] }, {
          states: [aState(a, 'town@1', { grade: 'A' })], audit: [{ at: T0 + 9, actor: 'system:retention', action: 'records.purge', subject: a, detail: { records: 1, byEntry: { [entry]: 1 } } }],
        }));
        expect(res.stale).toBe(false);
        expect(res.audit.map((e) => e.action)).toEqual(['records.purge']);
        expect(await store.getRecord('tax/1')).toBeNull();
        expect(await store.existingRecordIds(['tax/1', 'tax/2'])).toEqual(new Set(['tax/2']));
        expect((await store.recordsOfSubjects([a])).get(a)!.map((r) => r.id)).toEqual(['tax/2']);
        expect(await store.countRecords()).toBe(2);
        expect((await store.recordCoverage(null, 10)).rows.map((r) => [r.id, r.auditSeq]).sort()).toEqual([['tax/2', entry], ['tax/3', entry]]);
        expect(await store.getCase('c1')).toBeNull();
        expect((await store.getCase('c2'))!.id).toBe('c2');
        expect((await store.listNotices({}, 0, 10)).map((n) => n.id)).toEqual(['n2', 'n3']);
        expect((await store.listDeliveries({ endpoint: 'wh_a' }, 0, 10)).map((d) => d.noticeId)).toEqual(['n2', 'n3']);
        expect((await store.getStates(a))[0]!.grade).toBe('A');
        expect((await store.streamPositions([a])).get(a)).toBe(3);
        // Seqs are not reused: a notice written after the purge comes after every earlier one.
        await store.annotate(purgeWrite(a, 3, undefined, { notices: [aNotice('n4', a)] }));
        expect(await store.lastNoticeSeq()).toBe(4);
        expect((await store.getNotice('n4'))!.seq).toBe(4);
      });

      it('writes nothing of a stale purge, and refuses to delete what is not the subject\'s', async () => {
        const [a, b] = [subjectId(1), subjectId(2)];
        await store.commit(writeOf([aRecord('tax', '1', a), aRecord('tax', '2', b)], { cases: [closedCase('cb', b, 'tax/2')], notices: [aNotice('nb', b)] }));
        expect((await store.annotate(purgeWrite(a, 0, { records: ['tax/1'], cases: [], notices: [] }))).stale).toBe(true);
        await expect(store.annotate(purgeWrite(a, 1, { records: ['tax/1', 'tax/2'], cases: [], notices: [] }))).rejects.toThrow(/tax\/2/);
        await expect(store.annotate(purgeWrite(a, 1, { records: [], cases: ['cb'], notices: [] }))).rejects.toThrow(/cb/);
        await expect(store.annotate(purgeWrite(a, 1, { records: ['tax/1'], cases: [], notices: ['nb'] }))).rejects.toThrow(/nb/);
        await expect(store.annotate(purgeWrite(a, 1, { records: ['tax/404'], cases: [], notices: [] }))).rejects.toThrow(/tax\/404/);
        expect(await store.countRecords()).toBe(2);
        expect((await store.getCase('cb'))!.id).toBe('cb');
        expect((await store.listNotices({}, 0, 10)).map((n) => n.id)).toEqual(['nb']);
        expect((await store.streamPositions([a])).get(a)).toBe(1);
      });

      it('finds subjects by the age of their records per type, and of their notices and cases', async () => {
        const [a, b, c, d] = [subjectId(1), subjectId(2), subjectId(3), subjectId(4)];
        await store.commit(writeOf([
          aRecord('tax', '1', a, { type: 'tax.arrears', occurredAt: T0 - 10 * DAY_MS }),
          aRecord('tax', '2', b, { type: 'court.default', occurredAt: T0 - 10 * DAY_MS }),
          aRecord('tax', '3', c, { type: 'tax.arrears', occurredAt: T0 }),
          aRecord('tax', '4', d, { type: 'tax.arrears', occurredAt: T0 }),
        ], { notices: [aNotice('nc', c, { createdAt: T0 - 5 * DAY_MS })], cases: [closedCase('cd', d, null)] }));
        const q = (namelessBefore: number) => ({ records: [{ types: ['tax.arrears'], before: T0 - DAY_MS }, { types: ['court.default'], before: T0 - 20 * DAY_MS }], namelessBefore });
        expect(await store.retentionCandidates(q(T0 - 30 * DAY_MS), null, 10)).toEqual([a]);
        expect(await store.retentionCandidates(q(T0 - DAY_MS), null, 10)).toEqual([a, c]);
        expect(await store.retentionCandidates(q(T0 + 1), null, 10)).toEqual([a, c, d]);
        expect(await store.retentionCandidates(q(T0 + 1), a, 1)).toEqual([c]);
        expect(await store.retentionCandidates(q(T0 + 1), c, 10)).toEqual([d]);
        expect(await store.retentionCandidates({ records: [{ types: [], before: T0 + 1 }], namelessBefore: 0 }, null, 10)).toEqual([]);
      });
    });

    describe('materialised states', () => {
      const subjects = Array.from({ length: 6 }, (_, i) => subjectId(i + 1));
      beforeEach(async () => {
        await store.commit(aWrite({ subjects: subjects.map((id) => aSubject(id)) }));
      });

      it('round-trips states, ledger JSON included, and replaces them per subject and scheme', async () => {
        const s = subjects[0]!;
        await store.putStates([aState(s, 'town@1', { validUntil: T0 + DAY_MS }), aState(s, 'bank@2', { score: 700, grade: 'B' })]);
        expect(await store.getStates(s)).toEqual([aState(s, 'bank@2', { score: 700, grade: 'B' }), aState(s, 'town@1', { validUntil: T0 + DAY_MS })]);
        await store.commit(aWrite({ states: [aState(s, 'town@1', { score: 940, grade: 'D', computedAt: T0 + 3 })] }));
        const states = await store.getStates(s);
        expect(states).toHaveLength(2);
        expect(states.find((x) => x.scheme === 'town@1')).toEqual(aState(s, 'town@1', { score: 940, grade: 'D', computedAt: T0 + 3 }));
        expect(await store.getStates(subjects[1]!)).toEqual([]);
      });

      it('reads the states of many subjects for one scheme', async () => {
        await store.putStates([aState(subjects[0]!, 'town@1'), aState(subjects[1]!, 'town@1', { grade: 'B' }), aState(subjects[2]!, 'bank@1')]);
        const m = await store.getStatesFor([subjects[0]!, subjects[1]!, subjects[2]!, subjectId(404)], 'town@1');
        expect([...m.keys()].sort()).toEqual([subjects[0]!, subjects[1]!]);
        expect(m.get(subjects[1]!)).toEqual(aState(subjects[1]!, 'town@1', { grade: 'B' }));
      });

      it('clears the states of one scheme only', async () => {
        await store.putStates([aState(subjects[0]!, 'town@1'), aState(subjects[0]!, 'town@2'), aState(subjects[1]!, 'town@1')]);
        await store.clearStates('town@1');
        expect((await store.getStates(subjects[0]!)).map((s) => s.scheme)).toEqual(['town@2']);
        expect(await store.getStates(subjects[1]!)).toEqual([]);
      });

      it('counts subjects per grade for a scheme', async () => {
        await store.putStates([
          aState(subjects[0]!, 'town@1', { grade: 'A' }),
          aState(subjects[1]!, 'town@1', { grade: 'A' }),
          aState(subjects[2]!, 'town@1', { grade: 'B' }),
          aState(subjects[3]!, 'town@1', { grade: 'D' }),
          aState(subjects[4]!, 'bank@1', { grade: 'A' }),
        ]);
        expect(await store.gradeDistribution('town@1')).toEqual({ A: 2, B: 1, D: 1 });
        expect(await store.gradeDistribution('none@1')).toEqual({});
      });

      it('lists subjects whose snapshot is stale, stalest first, within the limit', async () => {
        await store.putStates([
          aState(subjects[0]!, 'town@1', { validUntil: null }),
          aState(subjects[1]!, 'town@1', { validUntil: T0 + 300 }),
          aState(subjects[2]!, 'town@1', { validUntil: T0 + 200 }),
          aState(subjects[3]!, 'town@1', { validUntil: T0 + 100 }),
          aState(subjects[4]!, 'bank@1', { validUntil: T0 }),
        ]);
        expect(await store.staleStates('town@1', T0 + 200, 10)).toEqual([subjects[3]!, subjects[2]!]);
        expect(await store.staleStates('town@1', T0 + 200, 1)).toEqual([subjects[3]!]);
        expect(await store.staleStates('town@1', T0 + 99, 10)).toEqual([]);
        expect(await store.staleStates('town@1', T0 + 10_000, 10)).toHaveLength(3);
      });

      it('refuses a state of a subject that is not stored', async () => {
        await expect(store.putStates([aState(subjectId(404), 'town@1')])).rejects.toThrow();
        expect(await store.getStates(subjectId(404))).toEqual([]);
      });
    });

    describe('counts and paging', () => {
      it('counts subjects and records', async () => {
        expect(await store.countSubjects()).toBe(0);
        expect(await store.countRecords()).toBe(0);
        await store.commit(writeOf([aRecord('tax', '1', subjectId(1)), aRecord('tax', '2', subjectId(2)), aRecord('tax', '3', subjectId(1))]));
        expect(await store.countSubjects()).toBe(2);
        expect(await store.countRecords()).toBe(3);
      });

      it('pages through subject ids in ascending order, every id exactly once, at any page size', async () => {
        const ids = Array.from({ length: 23 }, (_, i) => subjectId((i * 7919) % 1000));
        await store.commit(aWrite({ subjects: ids.map((id) => aSubject(id)) }));
        const sorted = [...ids].sort();
        for (const limit of [1, 5, 7, 23, 50]) {
          const seen: SubjectId[] = [];
          let after: SubjectId | null = null;
          for (let page = 0; page < 100; page++) {
            const ids: SubjectId[] = await store.listSubjectIds(after, limit);
            expect(ids.length).toBeLessThanOrEqual(limit);
            seen.push(...ids);
            if (ids.length < limit) break;
            after = ids[ids.length - 1]!;
          }
          expect(seen).toEqual(sorted);
        }
        expect(await store.listSubjectIds(null, 0)).toEqual([]);
        expect(await store.listSubjectIds(sorted[sorted.length - 1]!, 10)).toEqual([]);
      });

      it('refuses a negative or fractional page size', async () => {
        await expect(store.listSubjectIds(null, -1)).rejects.toThrow(RangeError);
        await expect(store.readAudit(0, 1.5)).rejects.toThrow(RangeError);
      });
    });

    describe('notices and webhook deliveries', () => {
      it('stores the notices of a write with it, in order, and none of a refused write', async () => {
        const [a, b] = [subjectId(1), subjectId(2)];
        await store.commit(writeOf([aRecord('tax', '1', a), aRecord('tax', '2', b)], { notices: [aNotice('n1', a), aNotice('n2', b, { recipient: 'provider:bank' })] }));
        // A stale write (expected position 0 again) writes neither its record nor its notice.
        const refused = await store.commit(aWrite({ records: [aRecord('tax', '3', a)], notices: [aNotice('n3', a)] }));
        expect(refused.stale).toEqual([a]);
        const all = await store.listNotices({}, 0, 10);
        expect(all.map((n) => [n.seq, n.id, n.recipient, n.readAt])).toEqual([[1, 'n1', 'subject', null], [2, 'n2', 'provider:bank', null]]);
        expect(all[0]!.body).toEqual({ title: '新的不良记录', reasons: [{ code: 'ADVERSE_RECORD', record: 'tax/1' }] });
        expect(await store.getNotice('n3')).toBeNull();
        expect((await store.listNotices({ subject: b }, 0, 10)).map((n) => n.id)).toEqual(['n2']);
        expect((await store.listNotices({ recipient: 'subject' }, 0, 10)).map((n) => n.id)).toEqual(['n1']);
        expect((await store.listNotices({}, 1, 10)).map((n) => n.id)).toEqual(['n2']);
        expect(await store.countNotices({ subject: a })).toBe(1);
        expect(await store.lastNoticeSeq()).toBe(2);
      });

      it('stores the notices of an annotation with it, and none of a stale one', async () => {
        const a = subjectId(1);
        expect(await store.lastNoticeSeq()).toBe(0);
        await store.commit(writeOf([aRecord('tax', '1', a)]));
        const ok = await store.annotate({ subject: a, expected: 1, marks: [{ recordId: 'tax/1', mark: { disputedAt: T0 } }], cases: [], states: [], audit: [], notices: [aNotice('n1', a, { kind: 'dispute.outcome' })] });
        expect(ok.stale).toBe(false);
        const stale = await store.annotate({ subject: a, expected: 1, marks: [], cases: [], states: [], audit: [], notices: [aNotice('n2', a)] });
        expect(stale.stale).toBe(true);
        expect((await store.listNotices({}, 0, 10)).map((n) => [n.id, n.kind])).toEqual([['n1', 'dispute.outcome']]);
      });

      it('refuses a notice id twice or a notice about a subject the write does not touch, writing nothing', async () => {
        const [a, b] = [subjectId(1), subjectId(2)];
        await store.commit(writeOf([aRecord('tax', '1', a)], { notices: [aNotice('n1', a)] }));
        await expect(store.commit(writeOf([aRecord('tax', '2', b)], { notices: [aNotice('n1', b)] }))).rejects.toThrow(/n1/);
        await expect(store.commit(writeOf([aRecord('tax', '3', b)], { notices: [aNotice('n9', subjectId(404))] }))).rejects.toThrow();
        expect(await store.countRecords()).toBe(1);
        expect((await store.listNotices({}, 0, 10)).map((n) => n.id)).toEqual(['n1']);
      });

      it('marks a notice read once, keeping the first time, and filters unread ones', async () => {
        const a = subjectId(1);
        await store.commit(writeOf([aRecord('tax', '1', a)], { notices: [aNotice('n1', a), aNotice('n2', a)] }));
        expect(await store.markNoticeRead('n1', T0 + 5)).toBe(true);
        expect(await store.markNoticeRead('n1', T0 + 9)).toBe(true);
        expect(await store.markNoticeRead('nope', T0)).toBe(false);
        expect((await store.getNotice('n1'))!.readAt).toBe(T0 + 5);
        expect((await store.listNotices({ subject: a, unread: true }, 0, 10)).map((n) => n.id)).toEqual(['n2']);
        expect(await store.countNotices({ subject: a, unread: true })).toBe(1);
      });

      it('keeps endpoints with their secret, filter and cursor; disabling stops their pending deliveries', async () => {
        await store.addWebhook(anEndpoint('wh_b', { kinds: ['record.adverse', 'grade.dropped'], recipient: 'provider:bank' }));
        await store.addWebhook(anEndpoint('wh_a'));
        await expect(store.addWebhook(anEndpoint('wh_a'))).rejects.toThrow();
        expect((await store.listWebhooks()).map((e) => e.id)).toEqual(['wh_a', 'wh_b']);
        expect(await store.getWebhook('wh_b')).toEqual(anEndpoint('wh_b', { kinds: ['record.adverse', 'grade.dropped'], recipient: 'provider:bank' }));
        expect(await store.getWebhook('wh_x')).toBeNull();
        const a = subjectId(1);
        await store.commit(writeOf([aRecord('tax', '1', a)], { notices: [aNotice('n1', a)] }));
        expect(await store.fanOut('wh_a', 0, 1, [{ seq: 1, id: 'n1' }], T0)).toBe(true);
        expect(await store.disableWebhook('wh_a', T0 + 1)).toBe(true);
        expect(await store.disableWebhook('wh_a', T0 + 2)).toBe(false);
        expect(await store.disableWebhook('wh_x', T0 + 2)).toBe(false);
        expect((await store.getWebhook('wh_a'))!.disabledAt).toBe(T0 + 1);
        const [d] = await store.listDeliveries({ endpoint: 'wh_a' }, 0, 10);
        expect([d!.status, d!.lastError]).toEqual(['dead', 'endpoint disabled']);
        expect(await store.claimDeliveries(T0 + 10, 1000, 10)).toEqual([]);
      });

      it('fans out once: a second dispatcher with the old cursor writes nothing', async () => {
        const a = subjectId(1);
        await store.commit(writeOf([aRecord('tax', '1', a)], { notices: [aNotice('n1', a), aNotice('n2', a), aNotice('n3', a)] }));
        await store.addWebhook(anEndpoint('wh_a'));
        expect(await store.fanOut('wh_a', 0, 3, [{ seq: 1, id: 'n1' }, { seq: 3, id: 'n3' }], T0)).toBe(true);
        expect(await store.fanOut('wh_a', 0, 3, [{ seq: 2, id: 'n2' }], T0)).toBe(false);
        expect((await store.getWebhook('wh_a'))!.cursor).toBe(3);
        const ds = await store.listDeliveries({ endpoint: 'wh_a' }, 0, 10);
        expect(ds.map((d) => [d.noticeSeq, d.noticeId, d.status, d.attempts, d.nextAt])).toEqual([[1, 'n1', 'pending', 0, T0], [3, 'n3', 'pending', 0, T0]]);
        expect(await store.countDeliveries({ status: 'pending' })).toBe(2);
      });

      it('claims due deliveries once per lease, oldest notice first, and records attempts', async () => {
        const a = subjectId(1);
        await store.commit(writeOf([aRecord('tax', '1', a)], { notices: [aNotice('n1', a), aNotice('n2', a)] }));
        await store.addWebhook(anEndpoint('wh_a'));
        await store.addWebhook(anEndpoint('wh_b'));
        await store.fanOut('wh_b', 0, 2, [{ seq: 1, id: 'n1' }, { seq: 2, id: 'n2' }], T0);
        await store.fanOut('wh_a', 0, 2, [{ seq: 2, id: 'n2' }], T0 + 50);
        expect(await store.claimDeliveries(T0 + 10, 1000, 10)).toHaveLength(2); // wh_a's is not due yet
        const first = await store.claimDeliveries(T0 + 100, 1000, 10);
        expect(first.map((d) => [d.endpoint, d.noticeSeq])).toEqual([['wh_a', 2]]);
        expect(first[0]!.leaseUntil).toBe(T0 + 1100);
        expect(await store.claimDeliveries(T0 + 200, 1000, 10)).toEqual([]); // all held
        await store.recordAttempt('wh_b', 1, { status: 'delivered', attempts: 1, nextAt: null, lastStatus: 204, lastError: null, deliveredAt: T0 + 300 });
        await store.recordAttempt('wh_b', 2, { status: 'pending', attempts: 1, nextAt: T0 + 5000, lastStatus: 503, lastError: 'HTTP 503', deliveredAt: null });
        // wh_a's lease ran out: claimable again; wh_b's n2 only once its retry is due.
        expect((await store.claimDeliveries(T0 + 1100, 10_000, 10)).map((d) => [d.endpoint, d.noticeSeq])).toEqual([['wh_a', 2]]);
        expect((await store.claimDeliveries(T0 + 5000, 1000, 10)).map((d) => [d.endpoint, d.noticeSeq, d.attempts, d.lastStatus])).toEqual([['wh_b', 2, 1, 503]]);
        const b1 = (await store.listDeliveries({ endpoint: 'wh_b', noticeSeq: 1 }, 0, 10))[0]!;
        expect([b1.status, b1.deliveredAt, b1.leaseUntil, b1.nextAt]).toEqual(['delivered', T0 + 300, null, null]);
        expect(await store.countDeliveries({ endpoint: 'wh_b', status: 'delivered' })).toBe(1);
        expect((await store.claimDeliveries(T0 + 100_000, 1000, 1))).toHaveLength(1);
      });

      it('replays dead deliveries of one endpoint from a notice on, as new', async () => {
        const a = subjectId(1);
        await store.commit(writeOf([aRecord('tax', '1', a)], { notices: [aNotice('n1', a), aNotice('n2', a), aNotice('n3', a)] }));
        await store.addWebhook(anEndpoint('wh_a'));
        await store.addWebhook(anEndpoint('wh_b'));
        const all = [{ seq: 1, id: 'n1' }, { seq: 2, id: 'n2' }, { seq: 3, id: 'n3' }];
        await store.fanOut('wh_a', 0, 3, all, T0);
        await store.fanOut('wh_b', 0, 3, all, T0);
        for (const ep of ['wh_a', 'wh_b']) for (const seq of [1, 2, 3]) await store.recordAttempt(ep, seq, { status: 'dead', attempts: 8, nextAt: null, lastStatus: 500, lastError: 'HTTP 500', deliveredAt: null });
        expect(await store.replayDeliveries('wh_a', { status: 'dead', fromSeq: 2 }, T0 + 7)).toBe(2);
        const ds = await store.listDeliveries({ status: 'pending' }, 0, 10);
        expect(ds.map((d) => [d.endpoint, d.noticeSeq, d.attempts, d.nextAt])).toEqual([['wh_a', 2, 0, T0 + 7], ['wh_a', 3, 0, T0 + 7]]);
        expect(await store.countDeliveries({ status: 'dead' })).toBe(4);
        expect(await store.replayDeliveries('wh_a', { status: 'dead' }, T0 + 8)).toBe(1);
      });
    });

    describe('audit log', () => {
      it('starts empty', async () => {
        expect(await store.auditHead()).toBeNull();
        expect(await store.readAudit(0, 10)).toEqual([]);
        expect(await store.appendAudit([])).toEqual([]);
        expect(await store.auditHead()).toBeNull();
      });

      it('chains entries across calls: seq 1..n, each linking to the previous hash, verifiable', async () => {
        const first = await store.appendAudit([auditInput(1, subjectId(1)), auditInput(2), auditInput(3, subjectId(2))]);
        const second = await store.appendAudit([auditInput(4), auditInput(5, subjectId(1))]);
        const all = [...first, ...second];
        expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
        for (let i = 1; i < all.length; i++) expect(all[i]!.prevHash).toBe(all[i - 1]!.hash);
        const stored = await store.readAudit(0, 100);
        expect(stored).toEqual(all);
        expect(verifyChain(stored).ok).toBe(true);
        expect(await store.auditHead()).toEqual({ seq: 5, hash: all[4]!.hash });
        expect('subject' in stored[1]!).toBe(false);
      });

      it('does not fork the chain under concurrent appends', async () => {
        await Promise.all(Array.from({ length: 8 }, (_, i) => store.appendAudit([auditInput(i * 2), auditInput(i * 2 + 1)])));
        const stored = await store.readAudit(0, 100);
        expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
        expect(verifyChain(stored).ok).toBe(true);
      });

      it('pages through the log in seq order, verifiable page by page', async () => {
        await store.appendAudit(Array.from({ length: 12 }, (_, i) => auditInput(i)));
        const pages: number[][] = [];
        let state = { seq: 0, hash: '0'.repeat(64) };
        for (let after = 0; ; ) {
          const page = await store.readAudit(after, 5);
          if (page.length === 0) break;
          const verdict = verifyChain(page, state);
          expect(verdict.ok).toBe(true);
          state = verdict.state;
          pages.push(page.map((e) => e.seq));
          after = page[page.length - 1]!.seq;
        }
        expect(pages).toEqual([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12]]);
      });

      it("lists a subject's own entries, newest first, within the limit", async () => {
        const [a, b] = [subjectId(1), subjectId(2)];
        await store.appendAudit([auditInput(1, a), auditInput(2, b), auditInput(3), auditInput(4, a), auditInput(5, a)]);
        const ofA = await store.auditOfSubject(a, 10);
        expect(ofA.map((e) => e.seq)).toEqual([5, 4, 1]);
        expect(ofA.every((e) => e.subject === a)).toBe(true);
        expect(ofA[0]!.detail).toEqual({ n: 5, purpose: 'loan' });
        expect((await store.auditOfSubject(a, 2)).map((e) => e.seq)).toEqual([5, 4]);
        expect(await store.auditOfSubject(subjectId(404), 10)).toEqual([]);
      });
    });
  });
}
