// Retention, run by maintenance: deletes for good what is past its period (src/domain/
// retention.ts says what and when), subject by subject, each as one annotation of the subject
// (optimistic: a concurrent writer makes it re-read and re-plan), with its states recomputed
// and a `records.purge` audit entry that keeps the aggregate counts (records by type, by the
// ingest entry that stored them, cases and notices) and no record content. `credence audit
// verify` reads those counts: an ingest entry's records are the ones stored under it plus the
// ones purged since.
import { goesWith, recordsNamed, retentionPlan, retentionSearch } from '../domain/retention.ts';
import type { SubjectId } from '../domain/types.ts';
import { caseRecord, type CaseRow } from '../ports/store.ts';
import { allNotices } from './notices.ts';
import type { Credence } from './credence.ts';

export const PURGE_ACTOR = 'system:retention';
const PAGE = 500;

export interface PurgeReport {
  /** Subjects some data was deleted of. */
  subjects: number;
  records: number;
  byType: Record<string, number>;
  cases: number;
  notices: number;
  /** Records past retention kept for now: deleting them would change a current answer, or a case about them is open. */
  deferred: number;
}

export const emptyPurgeReport = (): PurgeReport => ({ subjects: 0, records: 0, byType: {}, cases: 0, notices: 0, deferred: 0 });

/** Deletes everything past retention now (the Credence clock's now). */
export async function purgeExpired(c: Credence): Promise<PurgeReport> {
  const report = emptyPurgeReport();
  const q = retentionSearch(c.catalogue, c.now());
  for (let after: SubjectId | null = null; ;) {
    const ids = await c.store.retentionCandidates(q, after, PAGE);
    for (const id of ids) {
      const r = await purgeSubject(c, id);
      report.deferred += r.deferred;
      if (r.records + r.cases + r.notices === 0) continue;
      report.subjects++;
      report.records += r.records;
      report.cases += r.cases;
      report.notices += r.notices;
      for (const [t, n] of Object.entries(r.byType)) report.byType[t] = (report.byType[t] ?? 0) + n;
    }
    if (ids.length < PAGE) break;
    after = ids[ids.length - 1]!;
  }
  return report;
}

async function allCases(c: Credence, subject: SubjectId): Promise<CaseRow[]> {
  const out: CaseRow[] = [];
  for (let after: string | null = null; ;) {
    const page = await c.store.listCases({ subject }, after, 1000);
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1]!.id;
  }
}

/** One subject's purge, as one annotation. */
export async function purgeSubject(c: Credence, subject: SubjectId): Promise<Omit<PurgeReport, 'subjects'>> {
  let out: Omit<PurgeReport, 'subjects'> = { records: 0, byType: {}, cases: 0, notices: 0, deferred: 0 };
  await c.annotate(subject, async (records, now) => {
    const { namelessBefore } = retentionSearch(c.catalogue, now);
    const cases = await allCases(c, subject);
    // An open dispute keeps its record until it closes (by its deadline or a reviewer). An open
    // review of a community report past retention is moot (approval could no longer make it
    // count): it goes with the report; so does an open restoration (the record goes only once
    // its listing has ended, and nothing is left to end early).
    const openRecords = new Set(cases.filter((k) => k.status !== 'closed' && k.kind === 'dispute').map(caseRecord).filter((x): x is string => x !== null));
    const plan = retentionPlan(subject, records, c.schemesAt(now), c.catalogue, now, openRecords);
    const gone = new Set(plan.purge.map((r) => r.id));
    const held = new Set(records.map((r) => r.id));
    const exists = (id: string) => held.has(id) && !gone.has(id);
    const purgeCases = cases.filter((k) => {
      const rec = caseRecord(k);
      if (k.status !== 'closed') return (k.kind === 'review' || k.kind === 'restoration') && rec !== null && gone.has(rec);
      return goesWith(rec === null ? [] : [rec], k.updatedAt, exists, namelessBefore);
    });
    const purgeNotices = (await allNotices(c.store, { subject })).filter((n) => goesWith(recordsNamed(n.body), n.createdAt, exists, namelessBefore));
    out = { records: gone.size, byType: {}, cases: purgeCases.length, notices: purgeNotices.length, deferred: plan.deferred };
    if (gone.size + purgeCases.length + purgeNotices.length === 0) return { marks: [], cases: [], audit: [], result: {} };
    for (const r of plan.purge) out.byType[r.type] = (out.byType[r.type] ?? 0) + 1;
    const byEntry: Record<string, number> = {};
    for (const seq of (await c.store.auditSeqsOf([...gone])).values()) if (seq !== null) byEntry[String(seq)] = (byEntry[String(seq)] ?? 0) + 1;
    return {
      marks: [],
      cases: [],
      audit: [{
        at: now,
        actor: PURGE_ACTOR,
        action: 'records.purge',
        subject,
        detail: {
          records: gone.size,
          byType: out.byType,
          byEntry,
          cases: purgeCases.length,
          notices: purgeNotices.length,
        },
      }],
      purge: { records: [...gone], cases: purgeCases.map((k) => k.id), notices: purgeNotices.map((n) => n.id) },
      result: {},
    };
  });
  return out;
}
