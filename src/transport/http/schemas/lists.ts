// Wire shapes of list entries. Two views of GET /v1/lists/{list}/entries:
//   - public (anyone, public lists only): masked identifier, shortened name, start,
//     statutory end, legal basis (src/domain/publication.ts); a red list shows only
//     subjects who consented;
//   - operator (operator or auditor key, any list): full identifiers, as before.
// Neither carries a score, a grade or the record behind an entry; the response schema is
// the serialiser, so nothing else can leave. Also the answers of the operator's manual
// entries (POST and DELETE /v1/lists/{list}/entries...).
import { Type, type Static } from '@sinclair/typebox';
import type { PublishedEntry } from '../../../domain/publication.ts';
import type { ListDefinition } from '../../../domain/types.ts';
import { iso } from '../context.ts';
import { IsoTime, IsoTimeOrNull, Nullable, StringEnum } from './common.ts';
import { CitationOut, RestorationOut } from './catalogue.ts';

/** The list an answer is about: its definition as GET /v1/catalogue/lists gives it, without the citations. */
export const ListDefinitionOut = Type.Object({
  id: Type.String(), title: Type.String(), kind: StringEnum(['black', 'red'] as const, 'black: a list of sanctions; red: a list of honours'), domain: Type.String(),
  legalBasis: Type.String({ description: 'the citations, rendered for people' }), public: Type.Boolean({ description: 'its entries are shown without a key' }), description: Type.String(),
  restoration: Nullable(Type.Object(RestorationOut.properties, { additionalProperties: false, description: 'credit restoration: how a listed subject may apply to leave the list early; null: no such way (the listing ends at its statutory end, or by the body that listed)' })),
}, { additionalProperties: false });

export const ListEntryOut = Type.Object({
  subject: Type.String({ description: 'public view: masked, first 6 and last 4 characters kept (371082********0211); operator view: the full identifier' }),
  name: Type.Optional(Nullable(Type.String({ description: 'public view only: the name shortened (张*, Anna M.), or null when none is held' }))),
  from: IsoTime('start of the entry'),
  until: IsoTimeOrNull('statutory end; null: while the grade holds'),
  legalBasis: Type.String(),
  published: Type.Optional(Type.Boolean({ description: 'operator view only: whether the list is public' })),
}, { additionalProperties: false });

export const ListEntriesOut = Type.Object({
  list: ListDefinitionOut,
  asOf: IsoTime('the instant the entries are in force at'),
  view: StringEnum(['public', 'operator'] as const, 'public: masked and shortened, consenting subjects only on a red list; operator: full identifiers (operator or auditor key)'),
  consentRequired: Type.Boolean({ description: 'a red list names only subjects who consented to being named' }),
  withheld: Type.Integer({ minimum: 0, description: 'public view: entries of this page not shown for want of consent (a red list names only subjects whose consent to publication is in force); 0 in the operator view' }),
  items: Type.Array(ListEntryOut),
}, {
  additionalProperties: false,
  description: 'the entries of a list in force at asOf',
  examples: [{
    list: { id: 'judgment-defaulters', title: 'Judgment defaulters', kind: 'black', domain: 'courts', legalBasis: 'SPC Provisions on the list of dishonest judgment debtors, Art. 1', public: true, description: 'Persons who are able to comply with an effective judgment and refuse to.', restoration: null },
    asOf: '2026-03-01T09:30:00.000Z', view: 'public', consentRequired: false, withheld: 0,
    items: [{ subject: '371082********0211', name: '张*', from: '2026-02-25T00:00:00.000Z', until: '2028-06-30T00:00:00.000Z', legalBasis: 'SPC Provisions on the list of dishonest judgment debtors, Art. 1' }],
  }],
});

export const listDefinitionDto = (l: ListDefinition): Static<typeof ListDefinitionOut> => ({
  id: l.id, title: l.title, kind: l.kind, domain: l.domain, legalBasis: l.legalBasis, public: l.public, description: l.description,
  restoration: l.restoration ? { after: l.restoration.after, decisionWorkingDays: l.restoration.decisionWorkingDays, legalBasis: l.restoration.legalBasis } : null,
});
export const publicEntryDto = (e: PublishedEntry): Static<typeof ListEntryOut> => ({ subject: e.subject, name: e.name, from: iso(e.from)!, until: iso(e.until), legalBasis: e.legalBasis });
export const operatorEntryDto = (def: ListDefinition, e: { subject: string; from: number; until: number | null; legalBasis: string }): Static<typeof ListEntryOut> => ({
  subject: e.subject, from: iso(e.from)!, until: iso(e.until), legalBasis: e.legalBasis, published: def.public,
});

const Review = Nullable(Type.String({ description: 'under four eyes: the review case it waits in (POST /v1/cases/{id}/decision approves or rejects it), and it changes nothing before; null: it counts now' }));

export const ListEntryAddedOut = Type.Object({
  list: Type.String(),
  subject: Type.String({ description: 'the canonical identifier' }),
  record: Type.String({ description: 'the listing record submitted, SOURCE/SOURCE_RECORD_ID (DELETE /v1/lists/{list}/entries/{source}/{sourceRecordId} ends it)' }),
  type: Type.String({ description: 'the list\'s listing record type' }),
  legalBasis: Type.Union([Type.String(), CitationOut, Type.Array(Type.Union([Type.String(), CitationOut]))], { description: 'the list rule\'s citations, as the scheme writes them: "<registry id> <article>", { ref, article }, or a list of either' }),
  at: IsoTime('when it was submitted'),
  review: Review,
}, {
  additionalProperties: false,
  description: 'the entry, submitted as a listing record',
  examples: [{ list: 'judgment-defaulters', subject: '371082198503120211', record: 'rongcheng-court/operator-Zk3q9vY2b1xR', type: 'courts.defaulter_listing', legalBasis: 'spc-defaulter-list-provisions Art. 1', at: '2026-03-01T09:30:00.000Z', review: null }],
});

export const ListEntryRemovedOut = Type.Object({
  list: Type.String(),
  subject: Type.String({ description: 'the listed subject' }),
  record: Type.String({ description: 'the record submitted that ends the entry, SOURCE/SOURCE_RECORD_ID' }),
  ends: Type.String({ description: 'the listing record it ends' }),
  type: Type.String({ description: 'the record type that ends a listing (the list rule\'s endedBy)' }),
  at: IsoTime('when it was submitted'),
  review: Review,
}, {
  additionalProperties: false,
  description: 'the removal, submitted as a record that ends the listing',
  examples: [{ list: 'judgment-defaulters', subject: '371082198503120211', record: 'rongcheng-court/operator-Qm8w2nT5c7yL', ends: 'rongcheng-court/operator-Zk3q9vY2b1xR', type: 'courts.defaulter_delisting', at: '2026-03-02T09:30:00.000Z', review: null }],
});
