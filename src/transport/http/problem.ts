// RFC 9457 problem+json: every expected failure of the HTTP API is an HttpProblem with a
// stable `code` (docs/codes.md, "HTTP problems"). This file is the only place that maps codes
// to status codes. A 5xx never carries internals: the error handler replaces it with INTERNAL.
export const PROBLEM_STATUS = {
  REQUEST_INVALID: 400,
  BODY_MALFORMED: 400,
  SUBJECT_ID_INVALID: 400,
  IDEMPOTENCY_KEY_MISSING: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  AUDIT_TREE_SIZE_INVALID: 400,
  AUTH_MISSING: 401,
  AUTH_INVALID: 401,
  FORBIDDEN_ROLE: 403,
  FORBIDDEN_OBJECT: 403,
  FORBIDDEN_MEASURE: 403,
  FORBIDDEN_PURPOSE: 403,
  RECORD_SOURCE_NOT_YOURS: 403,
  ROUTE_NOT_FOUND: 404,
  SUBJECT_NOT_FOUND: 404,
  RECORD_NOT_FOUND: 404,
  MEASURE_NOT_FOUND: 404,
  LIST_NOT_FOUND: 404,
  SCHEME_NOT_FOUND: 404,
  KEY_NOT_FOUND: 404,
  DECISION_NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  AUDIT_ENTRY_NOT_FOUND: 404,
  IDEMPOTENCY_IN_PROGRESS: 409,
  DISPUTE_ALREADY_OPEN: 409,
  DISPUTE_RECORD_NOT_COUNTING: 409,
  CASE_STEP_NOT_ALLOWED: 409,
  RECORD_ALREADY_WITHDRAWN: 409,
  RECORD_ALREADY_REVOKED: 409,
  SCHEME_VERSION_PUBLISHED: 409,
  RECORD_CONFLICT: 409,
  BODY_TOO_LARGE: 413,
  BATCH_TOO_LARGE: 413,
  MEDIA_TYPE_UNSUPPORTED: 415,
  RECORD_REJECTED: 422,
  LIST_NOT_MANUAL: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  SCHEME_INVALID: 422,
  BINDING_INVALID: 422,
  MEASURE_UNKNOWN: 422,
  DUE_PROCESS_INVALID: 422,
  RATE_LIMITED: 429,
  NOT_READY: 503,
  INTERNAL: 500,
} as const;

export type ProblemCode = keyof typeof PROBLEM_STATUS;

const TITLES: Record<ProblemCode, string> = {
  REQUEST_INVALID: 'The request does not match the route schema',
  BODY_MALFORMED: 'The body is not well-formed',
  SUBJECT_ID_INVALID: 'The subject identifier is not valid',
  IDEMPOTENCY_KEY_MISSING: 'This route requires an Idempotency-Key header',
  IDEMPOTENCY_KEY_INVALID: 'The Idempotency-Key header is malformed',
  AUTH_MISSING: 'An API key is required',
  AUTH_INVALID: 'The API key is unknown, expired or revoked',
  FORBIDDEN_ROLE: 'The key\'s role may not use this route',
  FORBIDDEN_OBJECT: 'The key may not access this object',
  FORBIDDEN_MEASURE: 'The provider is not registered for this measure',
  FORBIDDEN_PURPOSE: 'The provider has not declared this purpose',
  RECORD_SOURCE_NOT_YOURS: 'A source key submits only records of its own source',
  ROUTE_NOT_FOUND: 'No such route',
  SUBJECT_NOT_FOUND: 'No records are held about this subject',
  RECORD_NOT_FOUND: 'No such record',
  MEASURE_NOT_FOUND: 'No such measure',
  LIST_NOT_FOUND: 'No such list',
  SCHEME_NOT_FOUND: 'No such scheme version',
  KEY_NOT_FOUND: 'No such key',
  DECISION_NOT_FOUND: 'No logged decision has this id',
  CASE_NOT_FOUND: 'No such dispute or review case',
  AUDIT_ENTRY_NOT_FOUND: 'No audit entry has this number',
  AUDIT_TREE_SIZE_INVALID: 'The log has no tree of this size, or the sizes do not fit together',
  DISPUTE_ALREADY_OPEN: 'This record is already disputed',
  DISPUTE_RECORD_NOT_COUNTING: 'This record no longer counts; there is nothing to dispute',
  CASE_STEP_NOT_ALLOWED: 'This step is not allowed in the case\'s current state',
  RECORD_ALREADY_WITHDRAWN: 'This record was already withdrawn',
  RECORD_ALREADY_REVOKED: 'This record was already revoked by a correction',
  DUE_PROCESS_INVALID: 'The dispute, answer or decision is incomplete or malformed',
  IDEMPOTENCY_IN_PROGRESS: 'A request with this Idempotency-Key is still running',
  SCHEME_VERSION_PUBLISHED: 'This scheme version is already published and immutable',
  RECORD_CONFLICT: 'A record with this source and source record id is held with different content',
  BODY_TOO_LARGE: 'The body exceeds the size limit',
  BATCH_TOO_LARGE: 'The batch exceeds the item limit',
  MEDIA_TYPE_UNSUPPORTED: 'Unsupported Content-Type',
  RECORD_REJECTED: 'The record was rejected',
  LIST_NOT_MANUAL: 'This list has no entries to add or remove by hand',
  IDEMPOTENCY_KEY_REUSED: 'The Idempotency-Key was used with a different request',
  SCHEME_INVALID: 'The scheme does not validate',
  BINDING_INVALID: 'The key binding names nothing that exists',
  MEASURE_UNKNOWN: 'A named measure is not in the catalogue',
  RATE_LIMITED: 'Too many requests for this key',
  NOT_READY: 'The service is not ready',
  INTERNAL: 'Internal error',
};

export class HttpProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.status = PROBLEM_STATUS[code];
  }
}

export const problem = (code: ProblemCode, detail: string, extra?: Record<string, unknown>, headers?: Record<string, string>) =>
  new HttpProblem(code, detail, extra, headers);

export function problemBody(p: { code: ProblemCode; status: number; detail: string; extra?: Record<string, unknown> }, instance: string) {
  return {
    type: `https://credence.invalid/problems/${p.code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[p.code],
    status: p.status,
    code: p.code,
    detail: p.detail,
    instance,
    ...(p.extra ?? {}),
  };
}
