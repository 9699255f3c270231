// Wire shape of a submitted record (single route: validated strictly by schema; batch route:
// each item is validated by the use case and gets its own result), and of the answers.
import { Type } from '@sinclair/typebox';
import { RECORD_LIMITS } from '../../../app/validate-record.ts';
import { Identifier, IsoTime, Nullable, StringEnum } from './common.ts';

export const RecordIn = Type.Object({
  source: Type.String({ minLength: 1, maxLength: 100, description: 'your source id (must equal the key\'s source)' }),
  sourceRecordId: Type.String({ minLength: 1, maxLength: RECORD_LIMITS.sourceRecordIdLengthMax, description: 'your id for the record: (source, sourceRecordId) is unique; resubmission is a duplicate' }),
  subject: Type.String({ minLength: 1, maxLength: RECORD_LIMITS.subjectLengthMax }),
  type: Type.String({ minLength: 1, maxLength: 200, description: 'a record type of the catalogue your source may submit' }),
  occurredAt: Type.String({ minLength: 10, maxLength: 40, description: 'YYYY-MM-DD or ISO date-time with zone' }),
  payload: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { description: `type-specific fields (JSON Schema in the catalogue), at most ${RECORD_LIMITS.payloadBytesMax} bytes` })),
  evidence: Type.Optional(Type.Array(Type.String({ maxLength: RECORD_LIMITS.evidenceLengthMax }), { maxItems: RECORD_LIMITS.evidenceCountMax })),
  revokes: Type.Optional(Type.String({ minLength: 1, maxLength: RECORD_LIMITS.sourceRecordIdLengthMax, description: 'sourceRecordId of your earlier record this one corrects' })),
  subjectKind: Type.Optional(StringEnum(['person', 'organisation'] as const, 'required for an external identifier (scheme:value); otherwise, if given, it must match the kind the identity number or credit code tells')),
  subjectName: Type.Optional(Type.String({ maxLength: RECORD_LIMITS.subjectNameLengthMax })),
}, {
  additionalProperties: false,
  examples: [{ source: 'tax-bureau', sourceRecordId: 'T-2026-0001', subject: '371082198503120211', type: 'tax.arrears', occurredAt: '2026-01-15', payload: { months: 3 }, evidence: ['doc:T-2026-0001'] }],
});

export const BatchIn = Type.Array(Type.Unknown({ description: 'a record (see RecordIn); each item gets its own result' }), {
  maxItems: 10_000,
  description: 'JSON array or NDJSON (application/x-ndjson, one record per line) of at most 10,000 records and 8 MiB',
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7E]+$', description: 'client-chosen key, 1-255 printable ASCII characters; kept at least 24 h per API key' })),
});

// ---------------------------------------------------------------------------------------
// What the record routes send. The idempotency layer stores each answer as a JSON string and
// sends it as it was stored (a replay byte for byte), so these schemas document the bodies:
// the serialiser does not see them.

const RecordId = Type.String({ description: 'the record\'s id: source/sourceRecordId', examples: ['tax-bureau/T-2026-0001'] });

/** Sent on a replay of a stored answer (the same Idempotency-Key and request). */
const ReplayedHeader = { 'Idempotent-Replayed': Type.String({ enum: ['true'], description: 'present when the answer is the stored answer of an earlier request with this Idempotency-Key' }) };

export const RecordAcceptedOut = Type.Object({
  status: StringEnum(['accepted'] as const),
  id: RecordId,
}, { additionalProperties: false, description: 'the record was stored', headers: ReplayedHeader, examples: [{ status: 'accepted', id: 'tax-bureau/T-2026-0001' }] });

export const RecordDuplicateOut = Type.Object({
  status: StringEnum(['duplicate'] as const),
  id: RecordId,
}, { additionalProperties: false, description: 'the record is already held with the same content: nothing new was stored; the original id', headers: ReplayedHeader, examples: [{ status: 'duplicate', id: 'tax-bureau/T-2026-0001' }] });

export const RecordQueuedOut = Type.Object({
  status: StringEnum(['queued'] as const),
  id: RecordId,
}, { additionalProperties: false, description: 'bus mode: the record is valid and durably queued; a worker applies it (then GET /v1/records/{source}/{sourceRecordId} finds it)', headers: ReplayedHeader, examples: [{ status: 'queued', id: 'tax-bureau/T-2026-0001' }] });

export const RecordResultOut = Type.Object({
  index: Type.Integer({ minimum: 0, description: 'the record\'s position in the batch (its line, from 0, for NDJSON)' }),
  status: StringEnum(['accepted', 'duplicate', 'rejected', 'queued'] as const, 'accepted (stored), duplicate (already held with the same content), rejected, queued (bus mode)'),
  id: Type.Optional(Type.String({ description: 'not rejected: the record\'s id (source/sourceRecordId)' })),
  code: Type.Optional(Type.String({ description: 'rejected: the reason code (docs/codes.md), e.g. RECORD_TYPE_UNKNOWN, RECORD_CONFLICT, RECORD_SOURCE_NOT_YOURS, RECORD_MALFORMED_JSON' })),
  path: Type.Optional(Type.String({ description: 'rejected: where in the record (empty: the record as a whole)' })),
  message: Type.Optional(Type.String({ description: 'rejected: what is wrong' })),
  heldFingerprint: Type.Optional(Type.String({ description: 'RECORD_CONFLICT: content fingerprint of the record held' })),
  fingerprint: Type.Optional(Type.String({ description: 'RECORD_CONFLICT: content fingerprint of the record sent' })),
}, { additionalProperties: false, description: 'the result of one record of a batch' });

export const BatchOut = Type.Object({
  accepted: Type.Integer({ minimum: 0 }),
  duplicates: Type.Integer({ minimum: 0 }),
  rejected: Type.Integer({ minimum: 0 }),
  results: Type.Array(RecordResultOut, { description: 'one result per record, in batch order' }),
}, {
  additionalProperties: false, description: 'the batch was committed: every accepted record is stored', headers: ReplayedHeader,
  examples: [{ accepted: 1, duplicates: 0, rejected: 1, results: [{ index: 0, status: 'accepted', id: 'tax-bureau/T-2026-0001' }, { index: 1, status: 'rejected', code: 'RECORD_TYPE_UNKNOWN', path: 'type', message: 'not a record type of the catalogue' }] }],
});

export const BatchQueuedOut = Type.Object({
  queued: Type.Integer({ minimum: 0, description: 'records validated and durably queued' }),
  rejected: Type.Integer({ minimum: 0 }),
  results: Type.Array(RecordResultOut, { description: 'one result per record, in batch order: queued or rejected (duplicates and corrections are resolved by the worker that applies them)' }),
}, {
  additionalProperties: false, description: 'bus mode: the valid records are queued; a worker applies them', headers: ReplayedHeader,
  examples: [{ queued: 1, rejected: 0, results: [{ index: 0, status: 'queued', id: 'tax-bureau/T-2026-0001' }] }],
});

export const RecordParams = Type.Object({
  source: Identifier('source id'),
  sourceRecordId: Type.String({ minLength: 1, maxLength: 128, description: 'the source\'s id for the record' }),
}, { additionalProperties: false });

export const RecordStatusOut = Type.Object({
  id: RecordId,
  source: Type.String(),
  sourceRecordId: Type.String(),
  subject: Type.String(),
  type: Type.String({ description: 'the record type' }),
  occurredAt: IsoTime('when the recorded fact occurred'),
  recordedAt: IsoTime('when the record was stored'),
  status: StringEnum(['active', 'disputed', 'revoked'] as const, 'active; disputed (a dispute is open and the source has not confirmed it); revoked (corrected by a later record)'),
  revokedBy: Nullable(Type.String({ description: 'the id of the record that revoked it, or null' })),
}, {
  additionalProperties: false, description: 'the status of a submitted record',
  examples: [{ id: 'tax-bureau/T-2026-0001', source: 'tax-bureau', sourceRecordId: 'T-2026-0001', subject: '371082198503120211', type: 'tax.arrears', occurredAt: '2026-01-15T00:00:00.000Z', recordedAt: '2026-01-16T08:00:00.000Z', status: 'active', revokedBy: null }],
});
