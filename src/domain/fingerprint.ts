// A record's content fingerprint: what tells a resubmission (same content: a duplicate) from a
// reused id with new content (RECORD_CONFLICT). Covers the facts a source delivers, in a
// canonical form (object keys sorted at every depth), not what the store adds (seq, position,
// recordedAt, revocation and dispute marks).
import { createHash } from 'node:crypto';
import type { StoredRecord } from './types.ts';

type Facts = Pick<StoredRecord, 'source' | 'sourceRecordId' | 'subject' | 'type' | 'occurredAt' | 'payload' | 'evidence' | 'revokes'>;

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** `sha256:` and the hex digest of the record's canonical facts. */
export function recordFingerprint(r: Facts): string {
  const facts = {
    source: r.source,
    sourceRecordId: r.sourceRecordId,
    subject: r.subject,
    type: r.type,
    occurredAt: r.occurredAt,
    payload: r.payload,
    evidence: r.evidence,
    revokes: r.revokes ?? null,
  };
  return `sha256:${createHash('sha256').update(canonical(facts)).digest('hex')}`;
}
