// Wire shapes of notices (src/domain/notices.ts writes their bodies, src/app/notices.ts keeps
// the outbox), inboxes, webhook endpoints with their deliveries, and a subject's e-mail
// contacts. An endpoint's signing secret is in the answer that registers it only. The DTOs
// build exactly the wire objects, so a field added to a view never reaches the wire by itself.
import { Type, type Static } from '@sinclair/typebox';
import type { DeliveryView, EndpointView, NoticeView } from '../../../app/notices.ts';
import { NOTICE_KINDS } from '../../../domain/notices.ts';
import { DELIVERY_STATUSES } from '../../../ports/store.ts';
import { IsoTime, IsoTimeOrNull, Limit, Nullable, OnBehalfReason, StringEnum, SubjectIdString } from './common.ts';

const RIGHTS = ['dispute', 'access', 'review', 'contest', 'restoration'] as const;

export const NoticeKind = StringEnum(NOTICE_KINDS, `the kind of notice: ${NOTICE_KINDS.join(', ')}`);
export const DeliveryStatus = StringEnum(DELIVERY_STATUSES, 'pending (on its way, retried), delivered (a 2xx answer) or dead (ran out of retries: the dead-letter list)');

const NoticeBody = Type.Object({
  summary: Type.String({ description: 'English summary; the reason codes and parameters are what a front end localises' }),
  reasons: Type.Array(Type.Object({
    code: Type.String({ description: 'reason code (docs/codes.md), e.g. ADVERSE_RECORD, GRADE_DROPPED, LIST_ENTRY, MEASURE_IN_FORCE, DISPUTE_OPENED, DISPUTE_CLOSED' }),
  }, { additionalProperties: true, description: 'a reason: its code and the code\'s parameters (record, recordType, source, scheme, list, cause, measure, case, outcome...), which vary by code' }), { description: 'why: one entry per reason' }),
  legalBasis: Nullable(Type.String({ description: 'the legal basis of the change told of; null where none applies (a grade, an outcome)' })),
  rights: Type.Array(Type.Object({
    right: StringEnum(RIGHTS, 'dispute (GDPR Art. 16, the objection of the credit-investigation regulation), access (Art. 15), review (Art. 22(3)), contest (the measure\'s own way to contest), restoration (credit restoration)'),
    how: Type.String({ description: 'what the recipient can do, in plain words' }),
    answerDays: Type.Optional(Type.Integer({ description: 'days the other side has to answer once the right is used' })),
  }, { additionalProperties: false }), { description: 'the recipient\'s rights about it' }),
  deadlines: Type.Array(Type.Object({
    what: Type.String({ description: 'what happens or must happen then' }),
    at: IsoTime(),
  }, { additionalProperties: false }), { description: 'instants that matter: when a record stops counting, a listing\'s statutory end, a source\'s deadline to answer a dispute' }),
}, {
  additionalProperties: true,
  description: 'What happened, why, under which basis, the rights and the deadlines (the fields every kind has), and, besides these, fields that vary by kind (hence further properties are allowed): '
    + 'record.adverse: record, recordType, recordTitle, source, sourceName, occurredAt, pendingReview; '
    + 'grade.dropped: scheme, from and to ({ grade, label, score }); '
    + 'list.entered: list, listTitle, cause, from, until; '
    + 'measure.in-force: measure, measureTitle, effect, crossContext; '
    + 'dispute.opened (to a source): case, record, statement; '
    + 'dispute.outcome: to the subject case, record, decision, outcome, counts and reason (optional), to a provider decisions and outcome; '
    + 'review.outcome: case, record, outcome, reason (optional); '
    + 'restoration.outcome: case, record, list, listTitle, outcome, reason; '
    + 'listing.ending: list, listTitle, cause, until, measuresEnding.',
});

const EXAMPLE_NOTICE = {
  id: 'ntc_00m7q3x2kAbCdEfGhIjKl0', seq: 42, subject: '371082198503120211', recipient: 'subject', kind: 'record.adverse',
  createdAt: '2026-03-01T09:30:00.000Z', readAt: null,
  body: {
    summary: 'Rongcheng People\'s Court reported "Dishonest judgment debtor" about you (2026-02-27).',
    reasons: [{ code: 'ADVERSE_RECORD', record: 'rongcheng-court/2026-0012', recordType: 'court.judgment_default', source: 'rongcheng-court' }],
    legalBasis: 'Provisions of the Supreme People\'s Court on Publishing the List of Dishonest Judgment Debtors, Art. 1',
    rights: [{ right: 'dispute', how: 'You may dispute this record.', answerDays: 30 }, { right: 'access', how: 'You may see every record held about you.' }],
    deadlines: [{ what: 'stops counting', at: '2029-02-27T00:00:00.000Z' }],
    record: 'rongcheng-court/2026-0012', recordType: 'court.judgment_default', recordTitle: 'Dishonest judgment debtor',
    source: 'rongcheng-court', sourceName: 'Rongcheng People\'s Court', occurredAt: '2026-02-27T00:00:00.000Z', pendingReview: false,
  },
};

export const NoticeOut = Type.Object({
  id: Type.String({ description: 'the notice id (ntc_...); also the webhook-id of its deliveries' }),
  seq: Type.Integer({ description: 'position in the outbox; page with after=' }),
  subject: Type.String({ description: 'whom the notice is about' }),
  recipient: Type.String({ description: '"subject" (the subject\'s own inbox), "provider:<id>" or "source:<id>"' }),
  kind: NoticeKind,
  createdAt: IsoTime(),
  readAt: IsoTimeOrNull('when the recipient first marked it read; null while unread'),
  body: NoticeBody,
}, { additionalProperties: false, description: 'a notice', examples: [EXAMPLE_NOTICE] });

export const noticeDto = (n: NoticeView): Static<typeof NoticeOut> => ({
  id: n.id, seq: n.seq, subject: n.subject, recipient: n.recipient, kind: n.kind as Static<typeof NoticeKind>, createdAt: n.createdAt, readAt: n.readAt,
  body: n.body as Static<typeof NoticeBody>,
});

const Next = (description = 'pass as after= for the next page; null at the end') => Nullable(Type.Integer({ description }));

export const InboxQuery = Type.Object({
  unread: Type.Optional(Type.Boolean({ description: 'true: the unread notices only' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'the notices after this seq (the next of the page before)' })),
  limit: Type.Optional(Limit),
}, { additionalProperties: false });

export const SubjectInboxOut = Type.Object({
  subject: Type.String(),
  unread: Type.Integer({ description: 'unread notices in the inbox (all of them, not this page\'s)' }),
  items: Type.Array(NoticeOut, { description: 'oldest first' }),
  next: Next(),
}, { additionalProperties: false, description: 'a page of the subject\'s inbox, oldest first' });

export const NoticeParams = Type.Object({
  id: SubjectIdString,
  notice: Type.String({ minLength: 1, maxLength: 60, pattern: '^ntc_[A-Za-z0-9_-]+$', description: 'the notice id (ntc_...)' }),
}, { additionalProperties: false });

export const PartyInboxQuery = Type.Object({
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'the notices after this seq (the next of the page before)' })),
  limit: Type.Optional(Limit),
}, { additionalProperties: false });

/** The inbox of a provider or a source: `{ provider | source, items, next }`. */
export const PartyInboxOut = (party: 'provider' | 'source') => Type.Object({
  [party]: Type.String({ description: `the ${party} id` }),
  items: Type.Array(NoticeOut, { description: 'oldest first' }),
  next: Next(),
}, { additionalProperties: false, description: `a page of the ${party}'s inbox, oldest first` });

export const PartyParams = (party: 'provider' | 'source') => Type.Object({
  [party]: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', description: `the ${party} id` }),
}, { additionalProperties: false });

// ---------------------------------------------------------------------------------------------
// Webhook endpoints and their deliveries.

const endpointProperties = {
  id: Type.String({ description: 'the endpoint id (wh_...)' }),
  url: Type.String({ description: 'the http(s) URL the signed POSTs go to' }),
  recipient: Type.String({ description: '"subject" (notices to subjects), "provider:<id>", "source:<id>" or "*"' }),
  kinds: Nullable(Type.Array(Type.String(), { description: 'the notice kinds it takes; null for all' })),
  description: Type.String({ description: 'free text given at registration ("" when none)' }),
  createdAt: IsoTime(),
  disabledAt: IsoTimeOrNull('when it was disabled; null while in use'),
  cursor: Type.Integer({ description: 'notices up to this seq have been considered for it' }),
  pending: Type.Integer({ description: 'deliveries on their way' }),
  delivered: Type.Integer({ description: 'deliveries answered with a 2xx' }),
  dead: Type.Integer({ description: 'the dead-letter list: deliveries that ran out of retries' }),
};

const EXAMPLE_ENDPOINT = {
  id: 'wh_00m7q3x2kq3ZbN8vW', url: 'https://bureau.example/hooks/credence', recipient: 'subject', kinds: ['record.adverse', 'list.entered'],
  description: 'citizen app relay', createdAt: '2026-03-01T09:30:00.000Z', disabledAt: null, cursor: 41, pending: 0, delivered: 12, dead: 1,
};

export const EndpointOut = Type.Object(endpointProperties, { additionalProperties: false, description: 'a webhook endpoint with its delivery counts (never the secret)', examples: [EXAMPLE_ENDPOINT] });

export const EndpointCreatedOut = Type.Object({
  ...endpointProperties,
  secret: Type.String({ description: 'the signing secret (whsec_...): shown once, in this answer only; verify signatures with it' }),
}, { additionalProperties: false, description: 'the endpoint registered, with its signing secret (shown once)' });

export const EndpointListOut = Type.Object({ items: Type.Array(EndpointOut) }, { additionalProperties: false, description: 'webhook endpoints, disabled ones included (never the secrets)' });

export const endpointDto = (e: EndpointView): Static<typeof EndpointOut> => ({
  id: e.id, url: e.url, recipient: e.recipient, kinds: e.kinds === null ? null : [...e.kinds], description: e.description, createdAt: e.createdAt,
  disabledAt: e.disabledAt, cursor: e.cursor, pending: e.pending, delivered: e.delivered, dead: e.dead,
});

export const EndpointIn = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL the signed POSTs go to (no credentials in it)' }),
  recipient: Type.Optional(Type.String({ maxLength: 120, description: '"subject" (default), "provider:<id>", "source:<id>" or "*"; a provider\'s or source\'s key registers its own notices only' })),
  kinds: Type.Optional(Type.Array(NoticeKind, { minItems: 1, maxItems: NOTICE_KINDS.length, description: 'the notice kinds it takes; all when absent' })),
  description: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false, examples: [{ url: 'https://bureau.example/hooks/credence', recipient: 'subject', kinds: ['record.adverse', 'list.entered'], description: 'citizen app relay' }] });

export const EndpointParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 60, pattern: '^wh_[A-Za-z0-9_-]+$', description: 'the endpoint id (wh_...)' }) }, { additionalProperties: false });

export const DeliveriesQuery = Type.Object({
  status: Type.Optional(DeliveryStatus),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'the deliveries of notices after this seq (the next of the page before)' })),
  limit: Type.Optional(Limit),
}, { additionalProperties: false });

export const DeliveryOut = Type.Object({
  endpoint: Type.String({ description: 'the endpoint id' }),
  notice: Type.String({ description: 'the notice id: the webhook-id of every attempt' }),
  noticeSeq: Type.Integer({ description: 'the notice\'s seq; page with after=' }),
  status: DeliveryStatus,
  attempts: Type.Integer({ description: 'attempts made (reset by a replay)' }),
  nextAt: IsoTimeOrNull('when the next attempt is due; null once delivered or dead'),
  lastStatus: Nullable(Type.Integer({ description: 'HTTP status of the last attempt; null when there was none or no answer' })),
  lastError: Nullable(Type.String({ description: 'why the last attempt failed; null when it did not' })),
  createdAt: IsoTime(),
  deliveredAt: IsoTimeOrNull('when a 2xx answer delivered it; null until then'),
}, { additionalProperties: false, description: 'one notice on its way to one endpoint' });

export const DeliveriesOut = Type.Object({
  items: Type.Array(DeliveryOut, { description: 'by notice seq' }),
  next: Next(),
}, { additionalProperties: false, description: 'a page of an endpoint\'s deliveries, by notice seq' });

export const deliveryDto = (d: DeliveryView): Static<typeof DeliveryOut> => ({
  endpoint: d.endpoint, notice: d.notice, noticeSeq: d.noticeSeq, status: d.status, attempts: d.attempts, nextAt: d.nextAt,
  lastStatus: d.lastStatus, lastError: d.lastError, createdAt: d.createdAt, deliveredAt: d.deliveredAt,
});

export const ReplayIn = Type.Object({
  status: Type.Optional(StringEnum(['dead', 'delivered'] as const, 'which deliveries to send again: dead (default) or delivered')),
  fromSeq: Type.Optional(Type.Integer({ minimum: 0, description: 'only the deliveries of notices from this seq on' })),
}, { additionalProperties: false, description: 'optional: without a body, every dead delivery is sent again', examples: [{ status: 'dead', fromSeq: 40 }] });

export const ReplayOut = Type.Object({
  endpoint: Type.String({ description: 'the endpoint id' }),
  replayed: Type.Integer({ description: 'deliveries put back to pending, due now' }),
}, { additionalProperties: false, description: 'how many deliveries are on their way again', examples: [{ endpoint: 'wh_00m7q3x2kq3ZbN8vW', replayed: 3 }] });

// ---------------------------------------------------------------------------------------------
// A subject's e-mail contacts (endpoints of recipient subject:<id> and a mailto: URL).

export const ContactOut = Type.Object({
  id: Type.String({ description: 'the contact id (wh_...)' }),
  email: Type.String({ description: 'the address the subject\'s notices are e-mailed to' }),
  createdAt: IsoTime(),
  pending: Type.Integer({ description: 'e-mails on their way' }),
  delivered: Type.Integer({ description: 'e-mails handed to the mail server' }),
  dead: Type.Integer({ description: 'e-mails that ran out of retries' }),
}, { additionalProperties: false, description: 'an e-mail contact of the subject, with delivery counts', examples: [{ id: 'wh_00m7q3x2kq3ZbN8vW', email: 'li.na@example.org', createdAt: '2026-03-01T09:30:00.000Z', pending: 0, delivered: 3, dead: 0 }] });

export const contactDto = (e: EndpointView): Static<typeof ContactOut> => ({
  id: e.id, email: e.url.slice('mailto:'.length), createdAt: e.createdAt, pending: e.pending, delivered: e.delivered, dead: e.dead,
});

export const ContactListOut = Type.Object({
  subject: Type.String(),
  items: Type.Array(ContactOut),
}, { additionalProperties: false, description: 'the addresses the subject\'s notices are e-mailed to' });

export const ContactIn = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254, description: 'where the subject\'s notices are e-mailed from now on' }),
  onBehalfReason: Type.Optional(OnBehalfReason),
}, { additionalProperties: false, examples: [{ email: 'li.na@example.org' }] });

export const ContactParams = Type.Object({
  id: SubjectIdString,
  contact: Type.String({ minLength: 1, maxLength: 60, pattern: '^wh_[A-Za-z0-9_-]+$', description: 'the contact id (wh_...)' }),
}, { additionalProperties: false });

export const OnBehalfIn = Type.Object({ onBehalfReason: Type.Optional(OnBehalfReason) }, { additionalProperties: false, description: 'optional: a subject sends no body; an operator states onBehalfReason' });
