// Sources submit records: one, or a batch (JSON array or NDJSON) with a result per record,
// committed atomically by Credence.ingest. Idempotency-Key per the IETF draft: required on
// the batch route, optional on the single one; scoped per API key; kept at least 24 h.
import { createHash } from 'node:crypto';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RecordResult } from '../../../app/credence.ts';
import type { StoredResponse } from '../../../ports/access-store.ts';
import { iso, LIMITS, who, type HttpContext } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { HttpProblem, problem, problemBody } from '../problem.ts';
import { secured } from '../schemas/common.ts';
import {
  BatchIn, BatchOut, BatchQueuedOut, IdempotencyHeaders, RecordAcceptedOut, RecordDuplicateOut, RecordIn, RecordParams, RecordQueuedOut, RecordStatusOut,
} from '../schemas/records.ts';

/** What a record gets when it goes to the bus: validated and durably queued, not yet applied. */
type QueuedResult = { index: number; status: 'queued'; id: string };

const resultDto = (r: RecordResult | QueuedResult) =>
  r.status === 'rejected'
    ? { index: r.index, status: r.status, code: r.code, path: r.path, message: r.message, ...(r.conflict ? { heldFingerprint: r.conflict.held, fingerprint: r.conflict.submitted } : {}) }
    : { index: r.index, status: r.status, id: r.id };

function sendStored(reply: FastifyReply, res: StoredResponse, replayed: boolean) {
  if (replayed) reply.header('Idempotent-Replayed', 'true');
  return reply.status(res.status).type(res.status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8').send(res.body);
}

/** Runs `run` at most once per (API key, Idempotency-Key); replays the stored response. */
async function idempotent(ctx: HttpContext, req: FastifyRequest, reply: FastifyReply, required: boolean, run: () => Promise<StoredResponse>) {
  const p = who(req);
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) {
    if (required) throw problem('IDEMPOTENCY_KEY_MISSING', 'POST /v1/records/batch needs an Idempotency-Key header (1-255 printable ASCII characters)');
    return sendStored(reply, await run(), false);
  }
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > LIMITS.idempotencyKeyLengthMax || !/^[\x21-\x7E]+$/.test(raw)) {
    throw problem('IDEMPOTENCY_KEY_INVALID', 'an Idempotency-Key is 1-255 printable ASCII characters');
  }
  const fingerprint = createHash('sha256').update(`${req.method} ${req.routeOptions.url}\n${req.headers['content-type'] ?? ''}\n${req.rawBody ?? JSON.stringify(req.body)}`).digest('hex');
  const r = await ctx.access.reserveIdempotency(p.key.id, raw, fingerprint, ctx.now(), ctx.options.idempotencyStaleMs ?? LIMITS.idempotencyStaleMs);
  if (r.state === 'mismatch') throw problem('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request; use a new key');
  if (r.state === 'in-progress') throw problem('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still running; retry later');
  if (r.state === 'completed') return sendStored(reply, r.response, true);
  let res: StoredResponse;
  try {
    res = await run();
  } catch (err) {
    await ctx.access.releaseIdempotency(p.key.id, raw); // nothing was written (ingest is atomic): let a retry run
    throw err;
  }
  await ctx.access.completeIdempotency(p.key.id, raw, res, ctx.now());
  return sendStored(reply, res, false);
}

/** The bus idempotency key: per API key and Idempotency-Key (or per record id without one). */
function busKey(keyId: string, req: FastifyRequest, recordId: string): string {
  const idem = req.headers['idempotency-key'];
  return createHash('sha256').update(`${keyId}\n${typeof idem === 'string' ? idem : `record:${recordId}`}`).digest('base64url');
}

export async function recordRoutes(app: FastifyInstance, ctx: HttpContext) {
  const count = (results: RecordResult[]) => {
    for (const r of results) {
      if (r.status === 'accepted') ctx.metrics.recordsAccepted.inc();
      else if (r.status === 'duplicate') ctx.metrics.recordsDuplicate.inc();
      else ctx.metrics.recordsRejected.inc({ code: r.code });
    }
  };

  app.post('/records', {
    config: { auth: ['source'] },
    bodyLimit: LIMITS.recordBodyBytesMax,
    schema: {
      operationId: 'submitRecord',
      tags: ['records'], summary: 'submit one record', security: secured,
      description: 'For source keys, for their own source only (403 RECORD_SOURCE_NOT_YOURS). 201 accepted; 200 duplicate (already held with the same content, the original id is returned); 202 queued when the deployment ingests through a bus. 409 RECORD_CONFLICT when the source record id is held with different content (both fingerprints in heldFingerprint and fingerprint; nothing is stored: a correction is a new record with revokes); 422 RECORD_REJECTED with the record\'s own code (recordCode) and path. Optional Idempotency-Key: a retry with the same key and body gets the stored answer (Idempotent-Replayed: true); 400 IDEMPOTENCY_KEY_INVALID, 409 IDEMPOTENCY_IN_PROGRESS, 422 IDEMPOTENCY_KEY_REUSED with another body.',
      headers: IdempotencyHeaders, body: RecordIn,
      response: {
        200: RecordDuplicateOut,
        201: RecordAcceptedOut,
        202: RecordQueuedOut,
        403: problemResponse('RECORD_SOURCE_NOT_YOURS: the record\'s source is not the key\'s'),
        409: problemResponse('RECORD_CONFLICT: the source record id is held with different content (heldFingerprint, fingerprint); IDEMPOTENCY_IN_PROGRESS'),
        422: problemResponse('RECORD_REJECTED: the record does not validate (recordCode, errors[]); IDEMPOTENCY_KEY_REUSED'),
      },
    },
  }, async (req, reply) => {
    const p = who(req);
    const body = req.body as { source: string };
    if (body.source !== p.key.binding) throw problem('RECORD_SOURCE_NOT_YOURS', `this key submits for source "${p.key.binding}" only`, { errors: [{ path: 'body/source', message: 'not your source' }] });
    return idempotent(ctx, req, reply, false, async () => {
      if (ctx.bus) {
        const { valid, rejected } = ctx.state.credence.validateBatch([req.body]);
        const bad = rejected[0];
        if (bad && bad.status === 'rejected') {
          ctx.metrics.recordsRejected.inc({ code: bad.code });
          return { status: 422, body: JSON.stringify(problemBody({ code: 'RECORD_REJECTED', status: 422, detail: `${bad.code} at ${bad.path || '(record)'}: ${bad.message}`, extra: { recordCode: bad.code, errors: [{ path: bad.path, message: bad.message }] } }, req.url)) };
        }
        const v = valid[0]!;
        await ctx.bus.publishBatch([v.input], { idempotencyKey: busKey(p.key.id, req, v.id) });
        return { status: 202, body: JSON.stringify({ status: 'queued', id: v.id }) };
      }
      const t0 = performance.now();
      const out = await ctx.state.credence.ingest([req.body], p.actor);
      ctx.metrics.ingestLatency.observe((performance.now() - t0) / 1000);
      count(out.results);
      const r = out.results[0]!;
      if (r.status === 'rejected' && r.code === 'RECORD_CONFLICT') {
        // The id is taken by a record with other content: a conflict with the stored state, not a malformed request.
        return { status: 409, body: JSON.stringify(problemBody({ code: 'RECORD_CONFLICT', status: 409, detail: r.message, extra: { recordCode: r.code, heldFingerprint: r.conflict?.held, fingerprint: r.conflict?.submitted, errors: [{ path: r.path, message: r.message }] } }, req.url)) };
      }
      if (r.status === 'rejected') {
        return { status: 422, body: JSON.stringify(problemBody({ code: 'RECORD_REJECTED', status: 422, detail: `${r.code} at ${r.path || '(record)'}: ${r.message}`, extra: { recordCode: r.code, errors: [{ path: r.path, message: r.message }] } }, req.url)) };
      }
      return { status: r.status === 'accepted' ? 201 : 200, body: JSON.stringify({ status: r.status, id: r.id }) };
    });
  });

  app.post('/records/batch', {
    config: { auth: ['source'] },
    bodyLimit: LIMITS.batchBodyBytesMax,
    schema: {
      operationId: 'submitRecordBatch',
      tags: ['records'], summary: 'submit a batch of records (JSON array or NDJSON), with a result per record', security: secured,
      description: `For source keys. Up to ${LIMITS.batchRecordsMax} records and 8 MiB (413 BATCH_TOO_LARGE, BODY_TOO_LARGE). Requires Idempotency-Key (400 IDEMPOTENCY_KEY_MISSING or IDEMPOTENCY_KEY_INVALID; 409 IDEMPOTENCY_IN_PROGRESS; 422 IDEMPOTENCY_KEY_REUSED with another body; a retry gets the stored answer, Idempotent-Replayed: true). The batch commits atomically: every accepted record is written, or none. 200: each record is accepted (new id), duplicate (already held with the same content) or rejected with code, path and message; RECORD_SOURCE_NOT_YOURS when its source is not the key's; RECORD_CONFLICT, with heldFingerprint and fingerprint, when its source record id is held (or earlier in the batch) with different content; RECORD_MALFORMED_JSON for an NDJSON line that is not JSON. 202 when the deployment ingests through a bus: valid records are queued.`,
      headers: IdempotencyHeaders, body: BatchIn,
      response: {
        200: BatchOut,
        202: BatchQueuedOut,
        400: problemResponse('IDEMPOTENCY_KEY_MISSING or IDEMPOTENCY_KEY_INVALID: the batch route needs an Idempotency-Key of 1-255 printable ASCII characters'),
        409: problemResponse('IDEMPOTENCY_IN_PROGRESS: a request with this Idempotency-Key is still running'),
        413: problemResponse('BATCH_TOO_LARGE or BODY_TOO_LARGE'),
        422: problemResponse('IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with a different request'),
      },
    },
  }, async (req, reply) => {
    const p = who(req);
    const items = req.body as unknown[];
    return idempotent(ctx, req, reply, true, async () => {
      const pre = new Map<number, RecordResult>();
      const toIngest = items.map((item, index) => {
        const malformed = req.ndjsonErrors?.get(index);
        if (malformed !== undefined) {
          pre.set(index, { index, status: 'rejected', code: 'RECORD_MALFORMED_JSON', path: '', message: `line is not JSON: ${malformed}` });
          return null;
        }
        const src = item && typeof item === 'object' && !Array.isArray(item) ? (item as { source?: unknown }).source : undefined;
        if (typeof src === 'string' && src !== p.key.binding) {
          pre.set(index, { index, status: 'rejected', code: 'RECORD_SOURCE_NOT_YOURS', path: 'source', message: `this key submits for source "${p.key.binding}" only` });
          return null;
        }
        return item;
      });
      const t0 = performance.now();
      if (ctx.bus) {
        // Bus mode: validate here, publish the valid records, answer after the bus acknowledged
        // them. Duplicates and corrections are resolved by the worker that applies them.
        const { valid, rejected } = ctx.state.credence.validateBatch(toIngest);
        if (valid.length > 0) await ctx.bus.publishBatch(valid.map((v) => v.input), { idempotencyKey: busKey(p.key.id, req, '') });
        ctx.metrics.ingestLatency.observe((performance.now() - t0) / 1000);
        const results: (RecordResult | QueuedResult)[] = [...valid.map((v): QueuedResult => ({ index: v.index, status: 'queued', id: v.id })), ...rejected.map((r) => pre.get(r.index) ?? r)].sort((a, b) => a.index - b.index);
        for (const r of results) if (r.status === 'rejected') ctx.metrics.recordsRejected.inc({ code: r.code });
        const nRejected = results.filter((r) => r.status === 'rejected').length;
        return { status: 202, body: JSON.stringify({ queued: valid.length, rejected: nRejected, results: results.map(resultDto) }) };
      }
      const out = await ctx.state.credence.ingest(toIngest, p.actor);
      ctx.metrics.ingestLatency.observe((performance.now() - t0) / 1000);
      const results = out.results.map((r) => pre.get(r.index) ?? r);
      count(results);
      let accepted = 0, duplicates = 0, rejected = 0;
      for (const r of results) r.status === 'accepted' ? accepted++ : r.status === 'duplicate' ? duplicates++ : rejected++;
      return { status: 200, body: JSON.stringify({ accepted, duplicates, rejected, results: results.map(resultDto) }) };
    });
  });

  app.get('/records/:source/:sourceRecordId', {
    config: { auth: ['source', 'operator'] },
    schema: {
      operationId: 'getRecordStatus',
      tags: ['records'], summary: 'status of a submitted record (a source sees only its own)', security: secured,
      description: 'For source keys (their own records only: 403 FORBIDDEN_OBJECT) and operators (whose read is logged as a read of the subject). 404 RECORD_NOT_FOUND when no such record is held (in bus mode, also while it is still queued).',
      params: RecordParams,
      response: {
        200: { ...RecordStatusOut, description: 'the record\'s status' },
        403: problemResponse('FORBIDDEN_OBJECT: a source key reads only its own submissions'),
        404: problemResponse('RECORD_NOT_FOUND: no such record'),
      },
    },
  }, async (req) => {
    const p = who(req);
    const { source, sourceRecordId } = req.params as { source: string; sourceRecordId: string };
    if (p.role === 'source' && p.key.binding !== source) throw problem('FORBIDDEN_OBJECT', 'a source key reads only its own submissions');
    const r = await ctx.store.getRecord(`${source}/${sourceRecordId}`);
    if (!r) throw problem('RECORD_NOT_FOUND', `no record ${source}/${sourceRecordId}`);
    if (p.role === 'operator') await ctx.store.appendAudit([{ at: ctx.now(), actor: p.actor, action: 'subject.read', subject: r.subject, detail: { route: req.routeOptions.url } }]);
    const status = r.revokedAt !== undefined ? 'revoked' as const : r.disputedAt !== undefined && r.confirmedAt === undefined ? 'disputed' as const : 'active' as const;
    const out: Static<typeof RecordStatusOut> = { id: r.id, source: r.source, sourceRecordId: r.sourceRecordId, subject: r.subject, type: r.type, occurredAt: iso(r.occurredAt)!, recordedAt: iso(r.recordedAt)!, status, revokedBy: r.revokedBy ?? null };
    return out;
  });
}
export { HttpProblem };
