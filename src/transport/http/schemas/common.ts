// Shared wire schemas (TypeBox): bounded strings, paging, dates, problems.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { parseSchemeChoice, SCHEME_KEY_PATTERN } from '../../../domain/scheme-compile.ts';
import { LIMITS } from '../context.ts';
import { ProblemSchema } from '../openapi.ts';

export const SubjectIdString = Type.String({ minLength: 1, maxLength: 100, description: 'resident identity number (GB 11643), USCC (GB 32100) or scheme:value', examples: ['371082198503120211'] });
export const AsOf = Type.String({ maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}([T ][0-9:.]+(Z|[+-]\\d{2}:?\\d{2}))?$', description: 'a date (YYYY-MM-DD: the end of that day, UTC) or an ISO date-time with its zone (2026-03-01T09:30:00Z, 2026-03-01T17:30:00+08:00)' });
export const Purpose = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*$', description: 'a purpose of the catalogue (GET /v1/catalogue/purposes), e.g. ticket-sale', examples: ['ticket-sale'] });
export const Limit = Type.Integer({ minimum: 1, maximum: LIMITS.pageSizeMax, default: LIMITS.pageSizeDefault, description: `page size, at most ${LIMITS.pageSizeMax}` });
export const Identifier = (description: string, maxLength = 100) => Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$', description });

export const SchemeChoice = Type.String({
  maxLength: 200,
  pattern: `^${SCHEME_KEY_PATTERN}(,${SCHEME_KEY_PATTERN})*$`,
  description: 'published scheme versions to evaluate, ID@VERSION, comma-separated (default: the version of each scheme in force at asOf)',
  examples: ['rongcheng@1'],
});
/** The parsed `scheme` parameter (the route schema has checked its shape): the versions a view evaluates. */
export const schemeKeys = (raw: string | undefined): string[] => parseSchemeChoice(raw) ?? [];

export const SubjectParams = Type.Object({ id: SubjectIdString }, { additionalProperties: false });
export const AsOfQuery = Type.Object({ asOf: Type.Optional(AsOf), scheme: Type.Optional(SchemeChoice), purpose: Type.Optional(Purpose) }, { additionalProperties: false });

/** RFC 9457 problem details: a status declared with it is answered as problem+json (openapi.ts). */
export const Problem = ProblemSchema;

export const secured = [{ apiKey: [] }];
/** Why an operator acts for a subject (required of operator keys, see actingFor; kept in the audit log). */
export const OnBehalfReason = Type.String({ minLength: 1, maxLength: 2000, description: 'why an operator acts for the subject: required of operator keys, kept in the audit log' });

/**
 * A value or null, as OpenAPI 3.0 writes it (`nullable: true`; 3.0 has no type "null"), which the
 * serialiser honours too. Use it for every response field that may be null.
 */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, nullable: true });
/** An ISO-8601 instant on the wire. */
export const IsoTime = (description = 'ISO-8601 instant (UTC)') => Type.String({ description, examples: ['2026-03-01T09:30:00.000Z'] });
/** An ISO-8601 instant, or null where there is none. */
export const IsoTimeOrNull = (description = 'ISO-8601 instant (UTC), or null') => Nullable(IsoTime(description));
/** A closed set of strings (plain `enum`: OpenAPI 3.0, and no schema matching in the serialiser). */
export const StringEnum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
