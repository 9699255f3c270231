// What every route needs: the use cases (swappable after a scheme is published), the
// stores, limits and the helpers that check object-level access and write the audit log.
import type { IngestBus } from '../../ports/ingest-bus.ts';
import type { FastifyRequest } from 'fastify';
import type { AuditLog } from '../../app/audit-log.ts';
import { Credence } from '../../app/credence.ts';
import { classifyIdentifier } from '../../domain/identifiers.ts';
import { parseInstant } from '../../domain/duration.ts';
import type { AccessStore, ApiKeyRow, Role } from '../../ports/access-store.ts';
import type { AuditEntryInput, Store } from '../../ports/store.ts';
import type { Metrics } from './metrics.ts';
import { problem } from './problem.ts';
import type { RateLimitOptions } from './rate-limit.ts';

/** Limits of the HTTP API (documented in docs/http.md and the route schemas). */
export const LIMITS = {
  /** Largest request body of the batch route: 8 MiB. */
  batchBodyBytesMax: 8 * 1024 * 1024,
  /** Records per ingest batch. */
  batchRecordsMax: 10_000,
  /** Largest body of a single-record submission: 64 KiB. */
  recordBodyBytesMax: 64 * 1024,
  /** Largest body of every other route (decisions, keys, providers): 1 MiB. */
  bodyBytesMax: 1024 * 1024,
  /** Largest scheme draft: 1 MiB. */
  schemeBodyBytesMax: 1024 * 1024,
  /** Subjects per decision batch. */
  decisionBatchMax: 5_000,
  /** Default and largest page sizes. */
  pageSizeDefault: 100,
  pageSizeMax: 1_000,
  /** Idempotency-Key: at most 255 characters, kept at least 24 hours. */
  idempotencyKeyLengthMax: 255,
  idempotencyTtlMs: 24 * 3_600_000,
  /** An in-progress reservation older than this (a crashed request) may be taken over. */
  idempotencyStaleMs: 5 * 60_000,
  /** Key lifetime when none is given: 365 days; longest: 3 years. Overlap on rotation: default 24 h, at most 30 days. */
  keyLifetimeDaysDefault: 365,
  keyLifetimeDaysMax: 1_095,
  rotationOverlapSecondsDefault: 86_400,
  rotationOverlapSecondsMax: 30 * 86_400,
} as const;


export interface HttpOptions {
  /** Pino options, or false (quiet, the default in tests). */
  logger: boolean | Record<string, unknown>;
  rateLimit: RateLimitOptions;
  legacyCodes: readonly string[];
  /** Deployment profile and catalogue dir (passed through to scheme handling). */
  timeouts?: { connectionTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number };
  /** An in-progress Idempotency-Key reservation older than this may be taken over (default LIMITS.idempotencyStaleMs). */
  idempotencyStaleMs?: number;
}

export interface Principal {
  key: ApiKeyRow;
  role: Role;
  actor: string;
}

export interface HttpContext {
  /** Holder so a scheme publication can swap in a new Credence instance. */
  state: { credence: Credence };
  store: Store;
  access: AccessStore;
  /** When set (CREDENCE_INGEST_MODE=nats), record routes publish to the bus instead of writing. */
  bus: IngestBus | null;
  metrics: Metrics;
  options: HttpOptions;
  now(): number;
  /** The audit log as a Merkle tree: signed heads and proofs (built on read, cached). */
  auditLog: AuditLog;
  /** Runs a delivery round of the webhook dispatcher now (after a replay), when there is one. */
  kickDispatcher?: () => void;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'public', or the roles that may call the route. Routes without it are refused (fail closed). */
    auth?: 'public' | readonly Role[];
  }
  interface FastifyRequest {
    principal: Principal | null;
    rawBody: string | null;
    /** NDJSON lines that did not parse, by record index. */
    ndjsonErrors: Map<number, string> | null;
  }
}

export function who(req: FastifyRequest): Principal {
  if (!req.principal) throw problem('AUTH_MISSING', 'this route needs an API key (Authorization: Bearer <key>)');
  return req.principal;
}

export function subjectParam(ctx: HttpContext, raw: string, path = 'id'): string {
  const c = classifyIdentifier(raw, { legacyCodes: new Set(ctx.options.legacyCodes) });
  if (!c.verdict.valid) throw problem('SUBJECT_ID_INVALID', `${path}: "${raw.slice(0, 100)}" is not a valid identifier: ${c.verdict.reason}`, { errors: [{ path, message: c.verdict.reason }] });
  return c.canonical;
}

/** `asOf` takes a date (end of that day, UTC) or a date-time with zone; default now. */
export function asOfParam(raw: string | undefined, now: number): number {
  if (raw === undefined) return now;
  const t = parseInstant(raw);
  if (t === null) throw problem('REQUEST_INVALID', `asOf: "${raw}" is not a date (YYYY-MM-DD) or date-time`, { errors: [{ path: 'querystring/asOf', message: 'not a date or date-time' }] });
  return /^\d{4}-\d{2}-\d{2}$/.test(raw) ? t + 86_400_000 - 1 : t;
}

/**
 * Object-level check for a read of one subject's data, then the audit entry of the read.
 * A subject token reads only its own subject; the route's roles were checked before.
 */
export async function readSubject(ctx: HttpContext, req: FastifyRequest, subject: string, purpose?: string): Promise<Principal> {
  const p = who(req);
  if (p.role === 'subject' && p.key.binding !== subject) throw problem('FORBIDDEN_OBJECT', 'a subject token reads only its own subject');
  await logReads(ctx, req, [subject], purpose ? { purpose } : {});
  return p;
}

/**
 * A read of these subjects' data (one subject's view, or a list naming many): an entry in each
 * one's query log, with the route and who read, in one append; `extra` entries ride along.
 */
export async function logReads(ctx: HttpContext, req: FastifyRequest, subjects: readonly string[], detail: Record<string, unknown> = {}, extra: AuditEntryInput[] = []) {
  const at = ctx.now();
  const actor = req.principal?.actor ?? 'anonymous';
  const route = req.routeOptions.url ?? req.url;
  const reads = [...new Set(subjects)].map((subject) => ({ at, actor, action: 'subject.read', subject, detail: { route, ...detail } }));
  if (reads.length + extra.length > 0) await ctx.store.appendAudit([...extra, ...reads]);
}

/**
 * Who acts for a subject on a route open to the subject and to operators: the subject's own
 * key only for itself; an operator for anyone, stating why (`onBehalfReason`, kept in the log).
 */
export function actingFor(req: FastifyRequest, subject: string, onBehalfReason: string | undefined): { actor: string; onBehalfReason?: string } {
  const p = who(req);
  if (p.role === 'subject' && p.key.binding !== subject) throw problem('FORBIDDEN_OBJECT', 'a subject token acts only for its own subject');
  if (p.role === 'operator' && !onBehalfReason) throw problem('REQUEST_INVALID', 'body/onBehalfReason: an operator acting for a subject states why', { errors: [{ path: 'body/onBehalfReason', message: 'required for operators' }] });
  return { actor: p.actor, ...(p.role === 'operator' ? { onBehalfReason } : {}) };
}

export async function audit(ctx: HttpContext, req: FastifyRequest, action: string, detail: Record<string, unknown>, subject?: string) {
  await ctx.store.appendAudit([{ at: ctx.now(), actor: req.principal?.actor ?? 'anonymous', action, ...(subject ? { subject } : {}), detail }]);
}

export const iso = (t: number | null | undefined) => (t === null || t === undefined || !Number.isFinite(t) ? null : new Date(t).toISOString());
