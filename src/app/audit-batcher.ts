// Group commit for the audit log. Every decision and every read is logged durably before it
// is answered; with one transaction (one fsync) per entry, a server answering many providers
// at once spends its time waiting on the disk. This collects the appends made during one
// turn of the event loop and commits them in one transaction; each caller's promise still
// resolves only after its own entries are durable, in the order they were appended.
import type { AuditEntry, AuditEntryInput, Store } from '../ports/store.ts';

/** Entries committed in one transaction at most (bounds the transaction and the queue slice). */
export const AUDIT_GROUP_ENTRIES_MAX = 10_000;

interface Pending {
  entries: AuditEntryInput[];
  resolve(v: AuditEntry[]): void;
  reject(e: unknown): void;
}

export function groupAuditAppends(store: Store): Store {
  const append = store.appendAudit.bind(store);
  let queue: Pending[] = [];
  let scheduled = false;

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      let n = 0;
      let take = 0;
      while (take < queue.length && (take === 0 || n + queue[take]!.entries.length <= AUDIT_GROUP_ENTRIES_MAX)) n += queue[take++]!.entries.length;
      const group = queue.slice(0, take);
      queue = queue.slice(take);
      try {
        const chained = await append(group.flatMap((p) => p.entries));
        let i = 0;
        for (const p of group) {
          p.resolve(chained.slice(i, i + p.entries.length));
          i += p.entries.length;
        }
      } catch (err) {
        for (const p of group) p.reject(err);
      }
    }
    scheduled = false;
  };

  store.appendAudit = (entries: AuditEntryInput[]) =>
    new Promise<AuditEntry[]>((resolve, reject) => {
      queue.push({ entries, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void flush());
      }
    });
  return store;
}
