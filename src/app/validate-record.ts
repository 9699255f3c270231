// Validation of one submitted record at the edge: shape, bounds, identifier checksums, the
// source's permission for the type, the subject kind, dates and the payload schema. Returns
// a value (never throws) naming the field and the rule broken.
import { Ajv, type ValidateFunction } from 'ajv';
import { classifyIdentifier } from '../domain/identifiers.ts';
import { parseInstant, DAY_MS } from '../domain/duration.ts';
import { pastRetention } from '../domain/retention.ts';
import { SCREEN_LABELS, screenFreeText } from '../domain/screen.ts';
import type { Catalogue, RecordInput, SubjectKind } from '../domain/types.ts';

export const RECORD_LIMITS = {
  sourceRecordIdLengthMax: 128,
  subjectLengthMax: 100,
  evidenceCountMax: 20,
  evidenceLengthMax: 500,
  subjectNameLengthMax: 200,
  payloadBytesMax: 16_384,
  /** Nesting of objects and arrays in a payload (the catalogue's schemas use two or three). */
  payloadDepthMax: 32,
  /** Clock skew tolerated for occurredAt in the future. */
  futureSkewMs: DAY_MS,
} as const;

/** Whether objects and arrays in `value` nest deeper than `max` (iterative). */
export function depthOver(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

const KNOWN_FIELDS = new Set(['source', 'sourceRecordId', 'subject', 'type', 'occurredAt', 'payload', 'evidence', 'revokes', 'subjectKind', 'subjectName']);

export interface RecordProblem {
  code: string;
  /** JSON path inside the record, e.g. `payload.months`. */
  path: string;
  message: string;
}

export interface ValidRecord {
  input: RecordInput;
  subject: string;
  subjectKind: SubjectKind;
  idScheme: string;
  occurredAt: number;
}

export class RecordValidator {
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly legacy: ReadonlySet<string>;

  constructor(private readonly catalogue: Catalogue, legacyCodes: readonly string[] = []) {
    const ajv = new Ajv({ allErrors: false, strict: false });
    for (const [code, rt] of catalogue.recordTypes) this.validators.set(code, ajv.compile(rt.payloadSchema));
    this.legacy = new Set(legacyCodes);
  }

  validate(raw: unknown, now: number): { ok: true; record: ValidRecord } | { ok: false; problem: RecordProblem } {
    const fail = (code: string, path: string, message: string) => ({ ok: false as const, problem: { code, path, message } });
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail('RECORD_MALFORMED', '', 'a record is a JSON object');
    const r = raw as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!KNOWN_FIELDS.has(k)) return fail('RECORD_UNKNOWN_FIELD', k, `unknown field "${k}"`);
    // One rule for every way in (the single route's schema refuses null too): an optional field is left out, never null.
    for (const k of Object.keys(r)) if (r[k] === null) return fail('RECORD_MALFORMED', k, `${k} is null: leave an optional field out instead`);
    const str = (k: string, max: number, required = true): string | null | { error: ReturnType<typeof fail> } => {
      const v = r[k];
      if (v === undefined || v === null || v === '') return required ? { error: fail('RECORD_MALFORMED', k, `${k} is required`) } : null;
      if (typeof v !== 'string') return { error: fail('RECORD_MALFORMED', k, `${k} must be a string`) };
      if (v.length > max) return { error: fail('RECORD_FIELD_TOO_LONG', k, `${k} is longer than ${max} characters`) };
      return v;
    };
    const fields: Record<string, string | null> = {};
    for (const [k, max, req] of [
      ['source', 64, true],
      ['sourceRecordId', RECORD_LIMITS.sourceRecordIdLengthMax, true],
      ['subject', RECORD_LIMITS.subjectLengthMax, true],
      ['type', 100, true],
      ['occurredAt', 40, true],
      ['revokes', RECORD_LIMITS.sourceRecordIdLengthMax, false],
      ['subjectKind', 20, false],
      ['subjectName', RECORD_LIMITS.subjectNameLengthMax, false],
    ] as const) {
      const v = str(k, max, req);
      if (v !== null && typeof v === 'object') return v.error;
      fields[k] = v;
    }
    if (!/^[\x21-\x7e]+$/.test(fields.sourceRecordId!)) return fail('RECORD_MALFORMED', 'sourceRecordId', 'sourceRecordId uses printable ASCII without spaces');
    const source = this.catalogue.sources.get(fields.source!);
    if (!source) return fail('RECORD_UNKNOWN_SOURCE', 'source', `source "${fields.source}" is not registered`);
    const type = this.catalogue.recordTypes.get(fields.type!);
    if (!type) return fail('RECORD_UNKNOWN_TYPE', 'type', `record type "${fields.type}" is not in the catalogue`);
    if (!source.recordTypes.includes(type.code)) return fail('RECORD_SOURCE_NOT_ALLOWED', 'type', `source "${source.id}" may not submit records of type "${type.code}"`);
    const id = classifyIdentifier(fields.subject!, { legacyCodes: this.legacy });
    if (!id.verdict.valid || !id.scheme) {
      return fail('RECORD_INVALID_SUBJECT', 'subject', id.verdict.valid ? 'unrecognised identifier' : id.verdict.reason);
    }
    let kind: SubjectKind | null = id.kind;
    if (fields.subjectKind !== null) {
      if (fields.subjectKind !== 'person' && fields.subjectKind !== 'organisation') return fail('RECORD_MALFORMED', 'subjectKind', 'subjectKind is "person" or "organisation"');
      if (kind && kind !== fields.subjectKind) return fail('RECORD_SUBJECT_KIND', 'subjectKind', `identifier ${id.canonical} is a ${kind}'s, not an ${fields.subjectKind}'s`);
      kind = fields.subjectKind;
    }
    if (!kind) return fail('RECORD_SUBJECT_KIND', 'subjectKind', 'an external identifier needs subjectKind ("person" or "organisation")');
    if (!type.subjectKinds.includes(kind)) return fail('RECORD_SUBJECT_KIND', 'type', `record type "${type.code}" does not apply to a ${kind}`);
    const occurredAt = parseInstant(fields.occurredAt!);
    if (occurredAt === null) return fail('RECORD_INVALID_DATE', 'occurredAt', `"${fields.occurredAt}" is not an ISO-8601 date (YYYY-MM-DD) or date-time with zone`);
    if (occurredAt > now + RECORD_LIMITS.futureSkewMs) return fail('RECORD_IN_FUTURE', 'occurredAt', `${fields.occurredAt} is in the future`);
    // Past its retention a record is deleted (credence maintain); one sent that old is not taken in.
    if (pastRetention({ type: type.code, occurredAt }, this.catalogue, now)) {
      return fail('RECORD_PAST_RETENTION', 'occurredAt', `${fields.occurredAt} is more than ${type.retention} ago, the retention of ${type.code}: a record that old is no longer held`);
    }
    const payload = r.payload ?? {};
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return fail('RECORD_MALFORMED', 'payload', 'payload must be an object');
    // Depth first, without recursion: a payload nested thousands deep would overflow the stack of
    // every recursive step after it (the size check, the schema, the fingerprint).
    if (depthOver(payload, RECORD_LIMITS.payloadDepthMax)) return fail('RECORD_FIELD_TOO_LONG', 'payload', `payload is nested deeper than ${RECORD_LIMITS.payloadDepthMax} levels`);
    if (JSON.stringify(payload).length > RECORD_LIMITS.payloadBytesMax) return fail('RECORD_FIELD_TOO_LONG', 'payload', `payload is larger than ${RECORD_LIMITS.payloadBytesMax} bytes`);
    const validator = this.validators.get(type.code)!;
    if (!validator(payload)) {
      const e = validator.errors?.[0];
      const at = e ? `payload${e.instancePath.replace(/\//g, '.')}` : 'payload';
      const extra = e?.keyword === 'additionalProperties' ? ` ("${(e.params as { additionalProperty: string }).additionalProperty}")` : '';
      return fail('RECORD_PAYLOAD_INVALID', at, `${at} ${e?.message ?? 'is invalid'}${extra} (schema of ${type.code})`);
    }
    const evidence = r.evidence ?? [];
    if (!Array.isArray(evidence)) return fail('RECORD_MALFORMED', 'evidence', 'evidence is a list of references');
    if (evidence.length > RECORD_LIMITS.evidenceCountMax) return fail('RECORD_FIELD_TOO_LONG', 'evidence', `at most ${RECORD_LIMITS.evidenceCountMax} evidence references`);
    for (let i = 0; i < evidence.length; i++) {
      const e = evidence[i];
      if (typeof e !== 'string' || e.length === 0 || e.length > RECORD_LIMITS.evidenceLengthMax) {
        return fail('RECORD_MALFORMED', `evidence[${i}]`, `an evidence reference is a string of 1-${RECORD_LIMITS.evidenceLengthMax} characters`);
      }
    }
    // Free text is for people, never for rules, and it must not carry a refused topic either:
    // a ground or note naming one is refused with the field and the category (nothing stored).
    // A type that declares the category it protects is exempt for that category only.
    const screened = screenFreeText({ payload, evidence }, type.protects ? { allow: new Set(type.protects) } : {});
    if (screened) {
      const { field, hit } = screened;
      return fail(
        'RECORD_SPECIAL_CATEGORY',
        field,
        `${field} names "${hit.term}", which concerns ${SCREEN_LABELS[hit.category]} (category ${hit.category}); the charter refuses records on this topic, so nothing of this record was stored`,
      );
    }
    const input: RecordInput = {
      source: source.id,
      sourceRecordId: fields.sourceRecordId!,
      subject: id.canonical,
      type: type.code,
      occurredAt: fields.occurredAt!,
      payload: payload as Record<string, unknown>,
      evidence: evidence as string[],
      ...(fields.revokes ? { revokes: fields.revokes } : {}),
      subjectKind: kind,
      ...(fields.subjectName ? { subjectName: fields.subjectName } : {}),
    };
    return { ok: true, record: { input, subject: id.canonical, subjectKind: kind, idScheme: id.scheme, occurredAt } };
  }
}
