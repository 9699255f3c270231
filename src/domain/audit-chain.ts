// Hash chain of the audit log: each entry commits to its predecessor's hash, so the head
// hash commits to every entry before it. Pure; adapters call `chainEntries` inside the
// transaction that appends, so concurrent writers cannot fork the chain.
import { createHash } from 'node:crypto';
import type { SubjectId } from './types.ts';

export interface AuditEntryInput {
  at: number;
  /** Who acted: `key:<id>`, `cli:<user>`, `system`. */
  actor: string;
  /** What happened: `record.submit`, `subject.read`, `decision`, `list.add`, ... */
  action: string;
  subject?: SubjectId;
  detail: Record<string, unknown>;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical JSON: keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * The bytes an entry commits to: the UTF-8 canonical JSON of its fields and its predecessor's
 * hash (not its own). The chain hash is SHA-256 of these bytes; the entry's Merkle leaf
 * (domain/merkle.ts) is these bytes too, so a verifier holding an entry computes both.
 */
export function entryBytes(e: Omit<AuditEntry, 'hash'>): Buffer {
  return Buffer.from(canonicalJson({
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject ?? null,
    detail: e.detail,
    prevHash: e.prevHash,
  }), 'utf8');
}

export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(entryBytes(e)).digest('hex');
}

export function chainEntries(
  head: { seq: number; hash: string } | null,
  inputs: AuditEntryInput[],
): AuditEntry[] {
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? GENESIS_HASH;
  return inputs.map((input) => {
    seq += 1;
    const partial = { ...input, seq, prevHash: prev };
    const hash = entryHash(partial);
    prev = hash;
    return { ...partial, hash };
  });
}

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; count: number; brokenAt: number; reason: string };

/** Verifies entries in order (pages may be fed one after another through `state`). */
export function verifyChain(
  entries: AuditEntry[],
  state: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): ChainVerdict & { state: { seq: number; hash: string } } {
  let { seq, hash } = state;
  let count = 0;
  for (const e of entries) {
    const expectedSeq = seq + 1;
    if (e.seq !== expectedSeq) {
      return { ok: false, count, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing or out of order (found ${e.seq})`, state: { seq, hash } };
    }
    if (e.prevHash !== hash) {
      return { ok: false, count, brokenAt: e.seq, reason: `entry ${e.seq} does not link to entry ${seq}`, state: { seq, hash } };
    }
    const recomputed = entryHash(e);
    if (recomputed !== e.hash) {
      return { ok: false, count, brokenAt: e.seq, reason: `entry ${e.seq} was altered (hash mismatch)`, state: { seq, hash } };
    }
    seq = e.seq;
    hash = e.hash;
    count += 1;
  }
  return { ok: true, count, head: hash, state: { seq, hash } };
}
