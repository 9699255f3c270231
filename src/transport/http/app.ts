// Builds the Fastify instance of the HTTP API from the use cases, the access store and the
// options. server.ts listens; tests call app.inject(). Order of checks on every request:
// route exists -> key present and valid (401) -> role allowed (403) -> rate limit (429) ->
// body parse and schema (400/413/415) -> object-level checks in the handler (403/404).
import type { IngestBus } from '../../ports/ingest-bus.ts';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv } from 'ajv';
import { Type } from '@sinclair/typebox';
import { AuditLog } from '../../app/audit-log.ts';
import { NotFoundError, type Credence } from '../../app/credence.ts';
import { ephemeralLogKey, type LogSigner } from '../../app/log-key.ts';
import { DueProcessError } from '../../app/due-process.ts';
import { Dispatcher, type DispatcherOptions } from '../../app/notices.ts';
import { noticeRoutes } from './routes/notices.ts';
import { fieldErrors } from './validation.ts';
import { completeRouteSchema, ProblemSchema } from './openapi.ts';
import { invalidUtf8Offset } from '../utf8.ts';
import type { AccessStore } from '../../ports/access-store.ts';
import type { Store } from '../../ports/store.ts';
import { LIMITS, type HttpContext, type HttpOptions } from './context.ts';
import { hashKey, KEY_LENGTH_MAX } from './keys.ts';
import { Metrics } from './metrics.ts';
import { HttpProblem, problem, problemBody, PROBLEM_STATUS, type ProblemCode } from './problem.ts';
import { memoryLimiter, requestCost, type RequestLimiter } from './rate-limit.ts';
import { auditRoutes } from './routes/audit.ts';
import { catalogueRoutes } from './routes/catalogue.ts';
import { decisionRoutes } from './routes/decisions.ts';
import { consentRoutes } from './routes/consents.ts';
import { disputeRoutes } from './routes/disputes.ts';
import { healthRoutes } from './routes/health.ts';
import { keyRoutes } from './routes/keys.ts';
import { listRoutes } from './routes/lists.ts';
import { reportRoutes } from './routes/reports.ts';
import { recordRoutes } from './routes/records.ts';
import { schemeRoutes } from './routes/schemes.ts';
import { subjectRoutes } from './routes/subjects.ts';

/**
 * A body's text, if its bytes are UTF-8; else the request is refused (done with a problem)
 * naming the first bad byte, and null returned. Nothing is decoded with replacement characters.
 */
function utf8Body(bytes: Buffer, done: (err: Error | null, body?: unknown) => void): string | null {
  const bad = invalidUtf8Offset(bytes);
  if (bad < 0) return bytes.toString('utf8');
  const at = bad < bytes.length ? `at byte ${bad} (0x${bytes[bad]!.toString(16).padStart(2, '0')})` : 'at its end (a character cut short)';
  done(problem('BODY_MALFORMED', `the body is not valid UTF-8 ${at}: send UTF-8 text (nothing was stored)`), undefined);
  return null;
}

/** A UTF-8 byte-order mark (what Excel and Windows editors write first) is not part of the JSON. */
const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

export const DEFAULT_HTTP_OPTIONS: HttpOptions = {
  logger: false,
  rateLimit: { burst: 300, perSecond: 100 },
  legacyCodes: [],
  timeouts: { connectionTimeoutMs: 10_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000 },
};

export interface BuildOptions {
  credence: Credence;
  store: Store;
  access: AccessStore;
  /** Publish records to this bus instead of writing them (ingest mode `nats`). */
  bus?: IngestBus | null;
  options?: Partial<HttpOptions>;
  now?: () => number;
  /** The key that signs the audit log's tree heads (default: one for this process only). */
  logKey?: LogSigner;
  /**
   * The webhook dispatcher (src/app/notices.ts): its options, or false for none. It starts when
   * the app is ready, runs a round at once when a change in this process wrote notices, and
   * stops when the app closes.
   */
  dispatch?: DispatcherOptions | false;
  /** Where rate limits are counted (default: in this process, by options.rateLimit). */
  limiter?: RequestLimiter;
}

export const OPENAPI_DESCRIPTION = `Credence HTTP API: open, transparent trust-and-credit scoring with due process.

Authentication: \`Authorization: Bearer <key>\`. Keys carry a typed prefix (crd_src_, crd_prv_, crd_op_, crd_aud_, crd_sub_)
and 256 random bits; they are shown once, stored only as SHA-256 hashes, expire, can be revoked and rotated with an overlap.

Idempotency (IETF draft-ietf-httpapi-idempotency-key-header): POST /v1/records/batch requires an \`Idempotency-Key\`
header (1-255 printable ASCII characters); POST /v1/records accepts one. Keys are scoped per API key and kept at least
24 hours (purged after 24 h). The same key with the same body returns the stored response and writes once; the same
key with another body answers 422 IDEMPOTENCY_KEY_REUSED; a retry while the first request still runs answers 409
IDEMPOTENCY_IN_PROGRESS. A request refused before it runs (401/403/400/413/415/429) is not remembered.

Limits: batch body 8 MiB and 10,000 records; single record body 64 KiB; other bodies 1 MiB; decision batch 5,000
subjects; page size at most 1,000 (default 100); every string is bounded in its schema. Rate limit: per API key (per client
address for keyless requests), a request costs 1 point and a batch 1 more per 100 items; 300 points per 3-second
window (shared by every API process through Redis when CREDENCE_REDIS_URL is set); over it: 429 with Retry-After.
/healthz and /readyz are never limited.

Errors are RFC 9457 application/problem+json with a stable \`code\` (docs/codes.md, "HTTP problems").`;

export async function buildApp(b: BuildOptions): Promise<FastifyInstance> {
  const options: HttpOptions = { ...DEFAULT_HTTP_OPTIONS, ...b.options };
  const t = options.timeouts ?? DEFAULT_HTTP_OPTIONS.timeouts!;
  const app = Fastify({
    logger: options.logger === false ? false : options.logger === true ? { level: 'info' } : options.logger,
    bodyLimit: LIMITS.batchBodyBytesMax,
    connectionTimeout: t.connectionTimeoutMs,
    requestTimeout: t.requestTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 200 },
    // A URL that does not decode (%ZZ) or a malformed Content-Type is a problem+json 400 like every other refusal.
    frameworkErrors: (err, req, reply) => {
      const detail = err.code === 'FST_ERR_BAD_URL' ? `the URL does not decode (a "%" must be followed by two hex digits): ${req.url.slice(0, 200)}` : err.message;
      void sendProblem(req, reply as FastifyReply, 'REQUEST_INVALID', detail);
    },
  });
  const ctx: HttpContext = {
    state: { credence: b.credence },
    store: b.store,
    access: b.access,
    bus: b.bus ?? null,
    metrics: new Metrics(),
    options,
    now: b.now ?? (() => Date.now()),
    auditLog: new AuditLog(b.store, b.logKey ?? ephemeralLogKey(), b.now ?? (() => Date.now())),
  };
  const limiter = b.limiter ?? memoryLimiter(options.rateLimit);
  if (b.dispatch !== false) {
    const dispatcher = new Dispatcher(b.store, ctx.now, { ...(b.dispatch ?? {}), onError: (err) => app.log.error({ err }, 'webhook delivery round failed') });
    ctx.kickDispatcher = () => dispatcher.kick();
    b.credence.onNotices = ctx.kickDispatcher;
    app.addHook('onReady', async () => dispatcher.start());
    app.addHook('onClose', async () => dispatcher.stop());
  }

  // Validation: bodies are never coerced nor stripped (unknown fields are refused); query
  // strings and path parameters are coerced to the declared types.
  // Verbose: an error carries the value and its schema, so the answer can say what was sent and what is allowed.
  const bodyAjv = new Ajv({ strict: false, allErrors: false, verbose: true, coerceTypes: false, removeAdditional: false, useDefaults: false });
  const paramAjv = new Ajv({ strict: false, allErrors: false, verbose: true, coerceTypes: true, removeAdditional: false, useDefaults: true });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : paramAjv).compile(schema));

  app.decorateRequest('principal', null);
  app.decorateRequest('rawBody', null);
  app.decorateRequest('ndjsonErrors', null);

  // Body parsers: JSON (kept raw for idempotency fingerprints), NDJSON, YAML (scheme drafts).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const text = utf8Body(body as Buffer, done);
    if (text === null) return;
    req.rawBody = text;
    try {
      done(null, JSON.parse(withoutBom(text)));
    } catch (err) {
      done(problem('BODY_MALFORMED', `the body is not valid JSON: ${(err as Error).message.slice(0, 200)}`), undefined);
    }
  });
  app.addContentTypeParser('application/x-ndjson', { parseAs: 'buffer' }, (req, body, done) => {
    const text = utf8Body(body as Buffer, done);
    if (text === null) return;
    req.rawBody = text;
    const items: unknown[] = [];
    const errors = new Map<number, string>();
    for (const line of withoutBom(text).split('\n')) {
      if (line.trim() === '') continue;
      if (items.length >= LIMITS.batchRecordsMax) {
        done(problem('BATCH_TOO_LARGE', `a batch holds at most ${LIMITS.batchRecordsMax} records`), undefined);
        return;
      }
      try {
        items.push(JSON.parse(line));
      } catch (err) {
        errors.set(items.length, (err as Error).message.slice(0, 200));
        items.push(null);
      }
    }
    req.ndjsonErrors = errors;
    done(null, items);
  });
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], { parseAs: 'buffer' }, (req, body, done) => {
    const text = utf8Body(body as Buffer, done);
    if (text === null) return;
    req.rawBody = text;
    done(null, text);
  });

  const sendProblem = (req: FastifyRequest, reply: FastifyReply, code: ProblemCode, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}, status?: number) => {
    const s = status ?? PROBLEM_STATUS[code];
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    return reply.status(s).type('application/problem+json').send(problemBody({ code, status: s, detail, extra }, req.url.slice(0, 300)));
  };

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: { instancePath: string; message?: string; params: Record<string, unknown> }[]; validationContext?: string }, req, reply) => {
    if (err instanceof HttpProblem) {
      // Authorization refusals are logged (ASVS 16.3.2); the audit log keeps data accesses.
      if (err.status === 401 || err.status === 403) req.log.warn({ code: err.code, route: req.routeOptions.url, key: req.principal?.key.id }, 'access refused');
      return sendProblem(req, reply, err.code, err.detail, err.extra, err.headers);
    }
    if (err.validation) {
      const errors = fieldErrors(err.validation, err.validationContext ?? 'body');
      return sendProblem(req, reply, 'REQUEST_INVALID', `${errors[0]!.path}: ${errors[0]!.message}`, { errors });
    }
    if (err instanceof NotFoundError || err instanceof DueProcessError) {
      const code = (err.code in PROBLEM_STATUS ? err.code : 'NOT_READY') as ProblemCode;
      return sendProblem(req, reply, code, err.message);
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendProblem(req, reply, 'BODY_TOO_LARGE', 'the body exceeds the size limit of this route (see docs/http.md)');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendProblem(req, reply, 'MEDIA_TYPE_UNSUPPORTED', 'send application/json (or application/x-ndjson on the batch route, application/yaml for scheme drafts)');
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendProblem(req, reply, status === 413 ? 'BODY_TOO_LARGE' : status === 415 ? 'MEDIA_TYPE_UNSUPPORTED' : 'BODY_MALFORMED', err.message.slice(0, 300), {}, {}, status);
    req.log.error({ err }, 'request failed');
    return sendProblem(req, reply, 'INTERNAL', `internal error; quote request id ${req.id}`);
  });

  app.setNotFoundHandler((req, reply) => sendProblem(req, reply, 'ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}`));

  // Authentication, role and rate limit, before the body is read.
  const HEALTH_PROBES = new Set(['/healthz', '/readyz']);
  const limit = async (bucket: string, cost = 1, total = cost) => {
    const wait = await limiter.take(bucket, cost);
    if (wait > 0) throw problem('RATE_LIMITED', `rate limit of ${options.rateLimit.perSecond} points/s (burst ${options.rateLimit.burst}; a request costs 1, a batch 1 more per 100 items${total > 1 ? `, this one ${total}` : ''}) reached; retry in ${wait} s`, {}, { 'Retry-After': String(wait) });
  };
  // What a batch costs beyond its request, once its body is read and valid.
  const BATCH_ITEMS: Record<string, (body: unknown) => number> = {
    '/v1/decisions/batch': (body) => (body as { subjects: unknown[] }).subjects.length,
    '/v1/records/batch': (body) => (body as unknown[]).length,
  };
  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (url === undefined) return; // 404 handler
    const auth = req.routeOptions.config.auth ?? (url.startsWith('/docs') ? 'public' : undefined);
    const header = req.headers.authorization;
    let secret: string | undefined;
    if (typeof header === 'string' && header.length > 0) {
      const m = /^Bearer (\S+)$/.exec(header);
      if (!m || m[1]!.length > KEY_LENGTH_MAX) {
        await limit(`ip:${req.ip}`);
        throw problem('AUTH_INVALID', 'send the key as "Authorization: Bearer <key>"');
      }
      secret = m[1];
    }
    if (secret !== undefined) {
      const key = await ctx.access.keyByHash(hashKey(secret));
      const now = ctx.now();
      // A wrong key spends its address's allowance: guessing keys is limited like any keyless request.
      if (!key || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= now)) {
        await limit(`ip:${req.ip}`);
        throw problem('AUTH_INVALID', 'the key is unknown, expired or revoked');
      }
      req.principal = { key, role: key.role, actor: `key:${key.id}` };
    }
    if (auth === undefined) throw problem('FORBIDDEN_ROLE', 'this route is not open to any key');
    if (auth !== 'public') {
      if (!req.principal) throw problem('AUTH_MISSING', 'this route needs an API key (Authorization: Bearer <key>)');
      if (!auth.includes(req.principal.role)) throw problem('FORBIDDEN_ROLE', `a ${req.principal.role} key may not use ${req.method} ${url}`);
    }
    // Liveness and readiness probes are never limited and take nothing from the caller's bucket:
    // an orchestrator polling them must not be refused, nor crowd out the address's other requests.
    if (HEALTH_PROBES.has(url)) return;
    await limit(req.principal ? req.principal.key.id : `ip:${req.ip}`);
  });
  app.addHook('preHandler', async (req) => {
    const items = BATCH_ITEMS[req.routeOptions.url ?? '']?.(req.body);
    if (items === undefined || req.principal === null) return;
    const extra = requestCost(items) - 1;
    if (extra > 0) await limit(req.principal.key.id, extra, extra + 1);
  });
  app.addHook('onResponse', async (_req, reply) => {
    ctx.metrics.requests.inc({ status: `${Math.floor(reply.statusCode / 100)}xx` });
  });

  // Every route's schema is completed (security, problem responses) and checked as it registers.
  app.addSchema(ProblemSchema);
  app.addHook('onRoute', completeRouteSchema);
  await app.register(swagger, {
    // Shared schemas keep their $id as their name under components.schemas (Problem).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Credence HTTP API', version: '1', description: OPENAPI_DESCRIPTION, license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' } },
      servers: [{ url: '/', description: 'the server this document was read from' }],
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'crd_<role>_<43 base64url characters>' } } },
      tags: [
        { name: 'records', description: 'sources submit records' },
        { name: 'subjects', description: 'a subject\'s data (operator, or the subject\'s own token)' },
        { name: 'decisions', description: 'providers ask allow/deny' },
        { name: 'catalogue', description: 'public: types, schemes, measures, lists' },
        { name: 'operator', description: 'keys, providers, schemes' },
        { name: 'audit', description: 'the hash-chained audit log, an RFC 9162 Merkle tree with signed heads and proofs' },
        { name: 'due process', description: 'disputes, withdrawals, restoration and the review queue' },
        { name: 'notices', description: 'what a subject or a source is told: inboxes, e-mail contacts, signed webhook deliveries' },
        { name: 'reports', description: 'public: the transparency report' },
        { name: 'health', description: 'liveness, readiness, metrics' },
        { name: 'api', description: 'this document' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // The document at a stable address, for client generators (/docs/json is the UI's copy).
  app.get('/v1/openapi.json', {
    config: { auth: 'public' },
    schema: {
      tags: ['api'], operationId: 'getOpenApiDocument', summary: 'this API\'s OpenAPI 3.0 document',
      description: 'The OpenAPI 3.0 document of this API, as this server serves it: every operation with its request and response schemas, examples and security. Generate a client from it (test/openapi-client.test.ts does, with openapi-typescript).',
      response: { 200: Type.Object({}, { additionalProperties: true, description: 'an OpenAPI 3.0.3 document' }) },
    },
  }, async () => app.swagger());

  await app.register(async (v1) => {
    await healthRoutes(v1, ctx);
  });
  await app.register(async (v1) => {
    await catalogueRoutes(v1, ctx);
    await recordRoutes(v1, ctx);
    await subjectRoutes(v1, ctx);
    await decisionRoutes(v1, ctx);
    await keyRoutes(v1, ctx);
    await listRoutes(v1, ctx);
    await schemeRoutes(v1, ctx);
    await auditRoutes(v1, ctx);
    await disputeRoutes(v1, ctx);
    await consentRoutes(v1, ctx);
    await noticeRoutes(v1, ctx);
    await reportRoutes(v1, ctx);
  }, { prefix: '/v1' });

  app.decorate('credenceContext', ctx);
  return app;
}

export function contextOf(app: FastifyInstance): HttpContext {
  return (app as unknown as { credenceContext: HttpContext }).credenceContext;
}

export type { AccessStore, Store };
