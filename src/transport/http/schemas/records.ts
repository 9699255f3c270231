// Wire shape of a submitted record (single route: validated strictly by schema; batch route:
// each item is validated by the use case and gets its own result).
import { Type } from '@sinclair/typebox';
import { RECORD_LIMITS } from '../../../app/validate-record.ts';

export const RecordIn = Type.Object({
  source: Type.String({ minLength: 1, maxLength: 100, description: 'your source id (must equal the key\'s source)' }),
  sourceRecordId: Type.String({ minLength: 1, maxLength: RECORD_LIMITS.sourceRecordIdLengthMax, description: 'your id for the record: (source, sourceRecordId) is unique; resubmission is a duplicate' }),
  subject: Type.String({ minLength: 1, maxLength: RECORD_LIMITS.subjectLengthMax }),
  type: Type.String({ minLength: 1, maxLength: 200, description: 'a record type of the catalogue your source may submit' }),
  occurredAt: Type.String({ minLength: 10, maxLength: 40, description: 'YYYY-MM-DD or ISO date-time with zone' }),
  payload: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { description: `type-specific fields (JSON Schema in the catalogue), at most ${RECORD_LIMITS.payloadBytesMax} bytes` })),
  evidence: Type.Optional(Type.Array(Type.String({ maxLength: RECORD_LIMITS.evidenceLengthMax }), { maxItems: RECORD_LIMITS.evidenceCountMax })),
  revokes: Type.Optional(Type.String({ minLength: 1, maxLength: RECORD_LIMITS.sourceRecordIdLengthMax, description: 'sourceRecordId of your earlier record this one corrects' })),
  subjectKind: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('organisation')])),
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
