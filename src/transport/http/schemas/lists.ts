// Wire shapes of list entries. Two views of GET /v1/lists/{list}/entries:
//   - public (anyone, public lists only): masked identifier, shortened name, start,
//     statutory end, legal basis (src/domain/publication.ts); a red list shows only
//     subjects who consented;
//   - operator (operator or auditor key, any list): full identifiers, as before.
// Neither carries a score, a grade or the record behind an entry; the response schema is
// the serialiser, so nothing else can leave.
import { Type } from '@sinclair/typebox';
import type { PublishedEntry } from '../../../domain/publication.ts';
import type { ListDefinition } from '../../../domain/types.ts';
import { iso } from '../context.ts';

const IsoOrNull = Type.Unsafe<string | null>({ type: 'string', nullable: true, description: 'ISO-8601 instant; null: while the grade holds' });
const StringOrNull = (description: string) => Type.Unsafe<string | null>({ type: 'string', nullable: true, description });

export const ListDefinitionOut = Type.Object({
  id: Type.String(), title: Type.String(), kind: Type.Unsafe<'black' | 'red'>({ type: 'string', enum: ['black', 'red'] }), domain: Type.String(),
  legalBasis: Type.String(), public: Type.Boolean(), description: Type.String(),
  restoration: Type.Union([Type.Object({
    after: Type.String({ description: 'ISO-8601 duration: the minimum time on the list before an application for restoration is taken' }),
    decisionWorkingDays: Type.Integer({ description: 'working days a reviewer has to decide an application' }),
    legalBasis: Type.String(),
  }, { additionalProperties: false }), Type.Null()], { description: 'credit restoration: how a listed subject may apply to leave the list early; null: no such way (the listing ends at its statutory end, or by the body that listed)' }),
}, { additionalProperties: false });

export const ListEntryOut = Type.Object({
  subject: Type.String({ description: 'public view: masked, first 6 and last 4 characters kept (371082********0211); operator view: the full identifier' }),
  name: Type.Optional(StringOrNull('public view only: the name shortened (张*, Anna M.), or null when none is held')),
  from: Type.String({ description: 'start of the entry, ISO-8601' }),
  until: IsoOrNull,
  legalBasis: Type.String(),
  published: Type.Optional(Type.Boolean({ description: 'operator view only: whether the list is public' })),
}, { additionalProperties: false });

export const ListEntriesOut = Type.Object({
  list: ListDefinitionOut,
  asOf: Type.String(),
  view: Type.Unsafe<'public' | 'operator'>({ type: 'string', enum: ['public', 'operator'], description: 'public: masked and shortened, consenting subjects only on a red list; operator: full identifiers (operator or auditor key)' }),
  consentRequired: Type.Boolean({ description: 'a red list names only subjects who consented to being named' }),
  withheld: Type.Integer({ description: 'public view: entries of this page not shown for want of consent (a red list names only subjects whose consent to publication is in force)' }),
  items: Type.Array(ListEntryOut),
}, { additionalProperties: false });

export const publicEntryDto = (e: PublishedEntry) => ({ subject: e.subject, name: e.name, from: iso(e.from)!, until: iso(e.until), legalBasis: e.legalBasis });
export const operatorEntryDto = (def: ListDefinition, e: { subject: string; from: number; until: number | null; legalBasis: string }) => ({
  subject: e.subject, from: iso(e.from)!, until: iso(e.until), legalBasis: e.legalBasis, published: def.public,
});
