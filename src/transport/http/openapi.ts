// The OpenAPI document's shared parts, and the one place every route's schema is completed:
// public routes say `security: []`, every route answers its 4xx and 5xx as problem+json by the
// shared Problem schema, and a route without an operationId, a description or a 2xx response
// schema does not register (so the document cannot fall behind the routes). The document is
// checked by `redocly lint` in test/openapi.lint.test.ts.
import type { RouteOptions } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';

/** RFC 9457 problem details, as problemBody() writes them (and the members a route adds). */
export const ProblemSchema = Type.Object({
  type: Type.String({ description: 'a URI naming the problem kind (https://credence.invalid/problems/<code>)' }),
  title: Type.String({ description: 'the code\'s fixed title' }),
  status: Type.Integer({ description: 'the HTTP status' }),
  code: Type.String({ description: 'stable code, docs/codes.md "HTTP problems"' }),
  detail: Type.String({ description: 'what was wrong with this request, and where' }),
  instance: Type.String({ description: 'the request path' }),
  errors: Type.Optional(Type.Array(Type.Object({
    path: Type.String({ description: 'where: body/..., querystring/..., params/..., headers/...' }),
    message: Type.String({ description: 'what is wrong there, and what is allowed' }),
    code: Type.Optional(Type.String({ description: 'a reason code of docs/codes.md, where one applies' })),
  }, { additionalProperties: false }), { description: 'one entry per problem found' })),
  recordCode: Type.Optional(Type.String({ description: 'RECORD_REJECTED, RECORD_CONFLICT: the record\'s own reason code' })),
  heldFingerprint: Type.Optional(Type.String({ description: 'RECORD_CONFLICT: content fingerprint of the record held' })),
  fingerprint: Type.Optional(Type.String({ description: 'RECORD_CONFLICT: content fingerprint of the record sent' })),
}, {
  $id: 'Problem',
  additionalProperties: false,
  description: 'RFC 9457 problem details (application/problem+json)',
  examples: [{ type: 'https://credence.invalid/problems/subject-not-found', title: 'No records are held about this subject', status: 404, code: 'SUBJECT_NOT_FOUND', detail: 'no records are held about 371082198503120211', instance: '/v1/subjects/371082198503120211' }],
});

/** A refusal a route names with its own description (the status's code and when it happens). */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
});

/** What every route answers when it refuses: the request's fault (4xx) or the server's (5xx). */
export const PROBLEM_RESPONSES = {
  '4XX': problemResponse('the request was refused: its code (docs/codes.md) says why, errors[] say where'),
  '5XX': problemResponse('the server could not answer (INTERNAL with a request id to quote; NOT_READY while the store is unreachable)'),
} as const;

/**
 * A media type object of a response given by content type (`{ content: { <type>: ... } }`),
 * as OpenAPI 3.0 writes it: @fastify/swagger passes such a response through untouched, so the
 * schemas' `examples` arrays (JSON Schema) become `example` values here (the first one), the
 * outermost on the media object. The serialiser reads `schema` only.
 */
export function media(schema: TSchema): { schema: unknown; example?: unknown } {
  const oas = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(oas);
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'examples' && Array.isArray(x)) { if (x.length > 0) out.example = x[0]; } else out[k] = k === 'example' || k === 'default' || k === 'enum' ? x : oas(x);
    }
    return out;
  };
  const { example, ...rest } = oas(schema) as Record<string, unknown>;
  return example === undefined ? { schema: rest } : { schema: rest, example };
}

/** The `security` of a route that any key may use: the bearer API key. */
export const SECURED = [{ apiKey: [] }];

type RouteSchema = { operationId?: string; description?: string; hide?: boolean; security?: unknown; response?: Record<string, unknown> } & Record<string, unknown>;

/**
 * Completes a route's schema as it registers (the onRoute hook of app.ts): the security
 * requirement from its auth, the problem responses, and the checks that keep the OpenAPI
 * document whole. Throws when an operation lacks its operationId, description or success schema.
 */
export function completeRouteSchema(route: RouteOptions): void {
  if (route.url.startsWith('/docs') || route.method === 'HEAD') return; // the swagger UI's own routes
  const schema = (route.schema ??= {}) as RouteSchema;
  if (schema.hide) return;
  const where = `${String(route.method)} ${route.url}`;
  const auth = (route.config as { auth?: unknown } | undefined)?.auth;
  if (schema.security === undefined) schema.security = auth === 'public' ? [] : SECURED;
  const response = (schema.response ??= {});
  // A status declared with the shared Problem schema is answered as problem+json, like the rest.
  for (const [status, r] of Object.entries(response)) {
    if (r === ProblemSchema) response[status] = problemResponse('refused: the code (docs/codes.md) says why');
  }
  for (const [status, r] of Object.entries(PROBLEM_RESPONSES)) response[status] ??= r;
  if (typeof schema.operationId !== 'string' || schema.operationId === '') throw new Error(`route ${where}: the schema has no operationId`);
  if (typeof schema.description !== 'string' || schema.description === '') throw new Error(`route ${where}: the schema has no description`);
  if (!Object.keys(response).some((status) => /^2/.test(status))) throw new Error(`route ${where}: the schema has no 2xx response`);
}
