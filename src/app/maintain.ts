// Maintenance: what happens because time passed, run by the server on a timer and by
// `credence maintain` (cron). Scoring already applies every deadline by itself (a disputed
// record stops counting at its deadline, a listing at its statutory end), so nothing here
// changes a score; this job writes down what the deadlines did and tells people:
//   - an open dispute whose deadline passed unconfirmed is closed `lapsed`, and one whose
//     record its source revoked (corrected) is closed `corrected`: the case's stored status,
//     an audit entry, and the outcome's notices to the subject and to recent recipients;
//   - a listing within LISTING_ENDING_NOTICE_DAYS of its statutory end is noticed to the
//     subject, once per entry;
//   - what is past retention is deleted for good (src/app/retention.ts), never changing a
//     current answer; the audit log keeps the counts;
//   - materialised states whose validity has passed (an expiry since their last write) are
//     re-evaluated, so grade counts and reports read from them are current.
// Each step is one annotation of its subject (optimistic, like every other), re-checked
// inside it, so two maintainers running at once close a case once and notice an entry once.
import { LISTING_ENDING_NOTICE_DAYS, listingEndingNotice } from '../domain/notices.ts';
import { DAY_MS } from '../domain/duration.ts';
import type { SubjectId } from '../domain/types.ts';
import type { Credence } from './credence.ts';
import { DueProcess } from './due-process.ts';
import { allNotices } from './notices.ts';
import { emptyPurgeReport, purgeExpired, type PurgeReport } from './retention.ts';

export const MAINTAIN_ACTOR = 'system:maintain';

export interface MaintainReport {
  at: number;
  disputes: { lapsed: number; corrected: number };
  listingsEnding: number;
  purged: PurgeReport;
  /** Materialised states re-evaluated because an expiry passed since they were written. */
  statesRefreshed: number;
}

export async function maintain(c: Credence, o: { onProgress?: (what: string) => void } = {}): Promise<MaintainReport> {
  const at = c.now();
  const report: MaintainReport = { at, disputes: { lapsed: 0, corrected: 0 }, listingsEnding: 0, purged: emptyPurgeReport(), statesRefreshed: 0 };
  const dp = new DueProcess(c);
  for (let after: string | null = null; ;) {
    const page = await dp.cases({ kind: 'dispute', status: ['open'] }, after, 500, at);
    for (const v of page.items) {
      if (v.status !== 'closed') continue;
      const outcome = await dp.closeByDeadline(v.id, MAINTAIN_ACTOR);
      if (outcome === 'lapsed') report.disputes.lapsed++;
      else if (outcome === 'corrected') report.disputes.corrected++;
    }
    if (page.next === null) break;
    after = page.next;
  }
  o.onProgress?.(`disputes closed: ${report.disputes.lapsed} lapsed, ${report.disputes.corrected} corrected`);
  const horizon = at + LISTING_ENDING_NOTICE_DAYS * DAY_MS;
  for (const list of c.catalogue.lists.keys()) {
    const ending = (await c.listEntries(list, at, Number.MAX_SAFE_INTEGER)).filter((e) => e.until !== null && e.until > at && e.until <= horizon);
    for (const e of ending) if (await noticeListingEnding(c, e.subject, list, e.cause)) report.listingsEnding++;
  }
  o.onProgress?.(`listings ending within ${LISTING_ENDING_NOTICE_DAYS} days noticed: ${report.listingsEnding}`);
  report.purged = await purgeExpired(c);
  const p = report.purged;
  o.onProgress?.(`past retention, deleted: ${p.records} record(s), ${p.cases} case(s), ${p.notices} notice(s) of ${p.subjects} subject(s)${p.deferred > 0 ? `; ${p.deferred} record(s) kept until deleting them changes no current answer` : ''}`);
  report.statesRefreshed = await c.refreshStale(c.now());
  o.onProgress?.(`states re-evaluated after an expiry: ${report.statesRefreshed}`);
  return report;
}

/** Notices one listing about to end, unless the subject was told of that entry already. */
async function noticeListingEnding(c: Credence, subject: SubjectId, list: string, cause: string): Promise<boolean> {
  let sent = false;
  await c.annotate(subject, async (_records, now) => {
    if ((await allNotices(c.store, { subject, recipient: 'subject' })).some((n) => n.kind === 'listing.ending' && n.body.list === list && n.body.cause === cause)) {
      sent = false;
      return { marks: [], cases: [], audit: [], result: {} };
    }
    const entry = (await c.views(subject, now)).flatMap((v) => v.lists).find((e) => e.list === list && e.cause === cause && e.until !== null);
    if (!entry) {
      sent = false;
      return { marks: [], cases: [], audit: [], result: {} };
    }
    sent = true;
    return { marks: [], cases: [], audit: [{ at: now, actor: MAINTAIN_ACTOR, action: 'notice.listing-ending', subject, detail: { list, cause, until: new Date(entry.until!).toISOString() } }], notices: [listingEndingNotice(subject, entry, c.catalogue)], result: {} };
  });
  return sent;
}
