// Wire shapes of a subject's data (GET /v1/subjects/{id}...). Times are ISO-8601 strings on the
// wire. Every answer is built field by field by a DTO below and serialised by its response
// schema (Fastify drops any property a schema does not name), so a field the domain adds
// (src/domain/explain.ts, types.ts) reaches the wire only when it is added here too. (A
// provider's decision answer is in decisions.ts.)
import { Type, type Static } from '@sinclair/typebox';
import { REASON_PRECEDENCE, type Decision } from '../../../domain/decide.ts';
import type { NextGradePath, Reason, TimelineStep } from '../../../domain/explain.ts';
import type { ListEntry, Measure, RecordStatus, ScoreView, StoredRecord, Subject } from '../../../domain/types.ts';
import { iso } from '../context.ts';
import { IsoTime, IsoTimeOrNull, Nullable, StringEnum } from './common.ts';

const SUBJECT_EXAMPLE = '371082198503120211';
const AT_EXAMPLE = '2026-03-01T09:30:00.000Z';
const Points = (description: string) => Type.Number({ description });

// ---------------------------------------------------------------------------------------
// Profile and scores

export const SubjectOut = Type.Object({
  id: Type.String({ description: 'the canonical identifier' }),
  kind: StringEnum(['person', 'organisation'] as const),
  idScheme: Type.String({ description: 'identifier scheme: cn-rid (GB 11643), cn-uscc (GB 32100) or an operator-named scheme' }),
  displayName: Nullable(Type.String({ description: 'the name a source gave when the subject was first seen, or null' })),
  createdAt: IsoTime('when the first record about the subject was stored'),
}, { additionalProperties: false, description: 'who the subject is' });

export const ScoreOut = Type.Object({
  scheme: Type.String({ description: 'the scheme version evaluated, ID@VERSION' }),
  score: Points('the score under this scheme version'),
  grade: Type.String({ description: 'the grade, after any direct grading' }),
  gradeLabel: Type.String({ description: 'the grade\'s label as the scheme names it' }),
  bandGrade: Type.String({ description: 'the grade of the score\'s band, before any direct grading' }),
  directGrading: Nullable(Type.Object({
    grade: Type.String({ description: 'the grade is at most this one while the direct grading lasts' }),
    ground: Type.String({ description: 'the stated ground of the direct grading' }),
    from: IsoTime('start of the direct grading'),
    until: IsoTime('end of the direct grading (exclusive)'),
  }, { additionalProperties: false, description: 'a direct grading capping the grade, or null' })),
  nextChangeAt: IsoTimeOrNull('the next instant the score or grade changes by time alone (an expiry), or null'),
}, { additionalProperties: false, description: 'score and grade under one scheme version' });

const SCORE_EXAMPLE: Static<typeof ScoreOut> = { scheme: 'rongcheng@1', score: 960, grade: 'A', gradeLabel: 'A (honest)', bandGrade: 'A', directGrading: null, nextChangeAt: '2028-03-01T09:30:00.000Z' };

export const SubjectProfileOut = Type.Object({
  subject: SubjectOut,
  asOf: IsoTime('the instant evaluated'),
  scores: Type.Array(ScoreOut, { description: 'one per scheme evaluated' }),
}, {
  additionalProperties: false,
  description: 'the subject, and the score and grade under each scheme',
  examples: [{ subject: { id: SUBJECT_EXAMPLE, kind: 'person', idScheme: 'cn-rid', displayName: null, createdAt: '2026-01-05T08:00:00.000Z' }, asOf: AT_EXAMPLE, scores: [SCORE_EXAMPLE] }],
});

export const SubjectScoresOut = Type.Object({
  subject: Type.String({ description: 'the canonical identifier' }),
  asOf: IsoTime('the instant evaluated'),
  scores: Type.Array(ScoreOut, { description: 'one per scheme evaluated' }),
}, { additionalProperties: false, description: 'score and grade per scheme', examples: [{ subject: SUBJECT_EXAMPLE, asOf: AT_EXAMPLE, scores: [SCORE_EXAMPLE] }] });

export const subjectDto = (s: Subject): Static<typeof SubjectOut> => ({ id: s.id, kind: s.kind, idScheme: s.idScheme, displayName: s.displayName ?? null, createdAt: iso(s.createdAt)! });
export const scoreDto = (v: ScoreView): Static<typeof ScoreOut> => ({
  scheme: v.scheme, score: v.score, grade: v.grade, gradeLabel: v.gradeLabel, bandGrade: v.bandGrade,
  directGrading: v.directGrading ? { grade: v.directGrading.grade, ground: v.directGrading.ground, from: iso(v.directGrading.from)!, until: iso(v.directGrading.until)! } : null,
  nextChangeAt: iso(v.nextChangeAt),
});

// ---------------------------------------------------------------------------------------
// Records

const RECORD_STATUSES = ['active', 'disputed', 'revoked', 'withdrawn', 'expired', 'pending-review', 'rejected'] as const satisfies readonly RecordStatus[];

export const SubjectRecordOut = Type.Object({
  id: Type.String({ description: 'SOURCE/SOURCE_RECORD_ID' }),
  source: Type.String(),
  sourceName: Type.String({ description: 'the source\'s registered name (its id when the catalogue no longer names it)' }),
  type: Type.String({ description: 'record type code (GET /v1/catalogue/record-types)' }),
  typeTitle: Type.String(),
  legalBasis: Type.String({ description: 'the record type\'s citations, rendered for people' }),
  occurredAt: IsoTime('when it happened'),
  recordedAt: IsoTime('when it was stored'),
  status: StringEnum(RECORD_STATUSES, 'its status at asOf: pending-review (waits for a reviewer) and rejected never count; revoked, withdrawn and expired no longer count; disputed counts until the dispute deadline unless confirmed'),
  expiresAt: IsoTimeOrNull('when it stops counting (expiry, revocation, withdrawal, unconfirmed dispute), or null for a record that never counts'),
  payload: Type.Record(Type.String(), Type.Unknown(), { description: 'the record\'s payload, as its type\'s JSON Schema describes it' }),
  evidence: Type.Array(Type.String(), { description: 'evidence references the source gave' }),
  revokes: Nullable(Type.String({ description: 'the record this one corrects and revokes, or null' })),
  revokedBy: Nullable(Type.String({ description: 'the correction that revoked this record, or null' })),
  restoredAt: IsoTimeOrNull('when credit restoration ended the listings this record caused, or null'),
}, { additionalProperties: false });

export const SubjectRecordsOut = Type.Object({
  subject: Type.String(),
  asOf: IsoTime('the instant evaluated'),
  items: Type.Array(SubjectRecordOut, { description: 'every record stored by asOf' }),
}, {
  additionalProperties: false,
  description: 'the records about the subject',
  examples: [{
    subject: SUBJECT_EXAMPLE, asOf: AT_EXAMPLE,
    items: [{ id: 'utilities-bureau/u-1', source: 'utilities-bureau', sourceName: 'Rongcheng utilities bureau', type: 'utilities.theft', typeTitle: 'Theft of utilities', legalBasis: 'Electricity Law, Art. 71', occurredAt: '2026-02-20T00:00:00.000Z', recordedAt: '2026-02-21T08:00:00.000Z', status: 'active', expiresAt: '2029-02-20T00:00:00.000Z', payload: { utility: 'power' }, evidence: ['meter-photo-17'], revokes: null, revokedBy: null, restoredAt: null }],
  }],
});

// `status` is one of RECORD_STATUSES (Credence.records computes it; its type says string).
export const subjectRecordDto = (r: { record: StoredRecord; status: string; expiresAt: number | null; sourceName: string; typeTitle: string; legalBasis: string }): Static<typeof SubjectRecordOut> => ({
  id: r.record.id, source: r.record.source, sourceName: r.sourceName, type: r.record.type, typeTitle: r.typeTitle, legalBasis: r.legalBasis,
  occurredAt: iso(r.record.occurredAt)!, recordedAt: iso(r.record.recordedAt)!, status: r.status as RecordStatus, expiresAt: iso(r.expiresAt),
  payload: r.record.payload, evidence: [...r.record.evidence], revokes: r.record.revokes ?? null, revokedBy: r.record.revokedBy ?? null, restoredAt: iso(r.record.restoredAt ?? null),
});

// ---------------------------------------------------------------------------------------
// History

export const HistoryPointOut = Type.Object({
  at: IsoTime('the instant of the change'),
  score: Points('the score from then'),
  grade: Type.String({ description: 'the grade from then' }),
  scheme: Type.String({ description: 'the scheme version this point was evaluated under, ID@VERSION' }),
  cause: StringEnum(['records', 'version'] as const, 'records: a record started or stopped counting; version: a scheme version was published then'),
}, { additionalProperties: false });

export const SubjectHistoryOut = Type.Object({
  subject: Type.String(),
  asOf: IsoTime('the instant evaluated'),
  schemes: Type.Array(Type.Object({
    scheme: Type.String({ description: 'the scheme version in force at asOf (or the one named), ID@VERSION' }),
    points: Type.Array(HistoryPointOut, { description: 'each change of score or grade up to asOf, oldest first' }),
  }, { additionalProperties: false })),
}, {
  additionalProperties: false,
  description: 'score and grade at each change, per scheme',
  examples: [{ subject: SUBJECT_EXAMPLE, asOf: AT_EXAMPLE, schemes: [{ scheme: 'rongcheng@1', points: [{ at: '2026-02-20T00:00:00.000Z', score: 950, grade: 'B', scheme: 'rongcheng@1', cause: 'records' }] }] }],
});

export const historyDto = (h: { scheme: string; points: { at: number; score: number; grade: string; scheme: string; cause: 'records' | 'version' }[] }): Static<typeof SubjectHistoryOut>['schemes'][number] => ({
  scheme: h.scheme,
  points: h.points.map((p) => ({ at: iso(p.at)!, score: p.score, grade: p.grade, scheme: p.scheme, cause: p.cause })),
});

// ---------------------------------------------------------------------------------------
// Explanation (src/domain/explain.ts)

export const ReasonOut = Type.Object({
  code: StringEnum(['DIRECT_GRADE', 'LIST_ENTRY', 'RULE_POINTS'] as const satisfies readonly Reason['code'][], 'DIRECT_GRADE: a direct grading caps the grade; LIST_ENTRY: a list entry; RULE_POINTS: the points of one scheme rule'),
  points: Points('effect in points (0 for a direct grading or a list entry)'),
  ruleId: Type.Optional(Type.String({ description: 'the scheme rule' })),
  title: Type.String({ description: 'what it is, in words' }),
  recordIds: Type.Array(Type.String(), { description: 'the records behind it' }),
  until: IsoTimeOrNull('the latest instant at which it stops counting, or null when open-ended'),
}, { additionalProperties: false, description: 'a reason behind the grade' });

const TIMELINE_EVENT_KINDS = ['starts', 'expires', 'revoked', 'withdrawn', 'dispute_unconfirmed', 'listing_ends', 'direct_grade_ends'] as const satisfies readonly TimelineStep['events'][number]['kind'][];

export const TimelineEventOut = Type.Object({
  kind: StringEnum(TIMELINE_EVENT_KINDS, 'starts: a record starts counting; expires, revoked, withdrawn, dispute_unconfirmed: it stops counting, and why; listing_ends: a list entry reaches its end; direct_grade_ends: a direct grading ends'),
  recordId: Type.String({ description: 'the record concerned' }),
  ruleId: Type.Optional(Type.String({ description: 'the scheme rule (not for listing_ends)' })),
  points: Type.Optional(Points('the points that start (+) or stop counting (starts, expires, revoked, withdrawn, dispute_unconfirmed)')),
  list: Type.Optional(Type.String({ description: 'listing_ends: the list' })),
}, { additionalProperties: false });

export const TimelineStepOut = Type.Object({
  at: IsoTime('when it changes'),
  change: Points('points that start (+) or stop (-) counting then'),
  events: Type.Array(TimelineEventOut),
  scoreAfter: Points('the score from then'),
  gradeAfter: Type.String({ description: 'the grade from then' }),
}, { additionalProperties: false, description: 'a change after asOf by time alone (no new records)' });

export const SubjectExplanationOut = Type.Object({
  subject: Type.String(),
  asOf: IsoTime('the instant evaluated'),
  schemes: Type.Array(Type.Object({
    scheme: Type.String({ description: 'ID@VERSION' }),
    score: Points('the score at asOf'),
    grade: Type.String(),
    gradeLabel: Type.String(),
    reasons: Type.Array(ReasonOut, { description: 'at most four, ranked: a direct grading first, then points by size' }),
    timeline: Type.Array(TimelineStepOut, { description: 'what changes when after asOf, by time alone, at most 20 steps' }),
  }, { additionalProperties: false })),
}, {
  additionalProperties: false,
  description: 'ranked reasons behind each grade and what changes when',
  examples: [{
    subject: SUBJECT_EXAMPLE, asOf: AT_EXAMPLE,
    schemes: [{
      scheme: 'rongcheng@1', score: 950, grade: 'B', gradeLabel: 'B (relatively honest)',
      reasons: [{ code: 'RULE_POINTS', points: -50, ruleId: 'utilities-theft', title: 'Theft of utilities', recordIds: ['utilities-bureau/u-1'], until: '2029-02-20T00:00:00.000Z' }],
      timeline: [{ at: '2029-02-20T00:00:00.000Z', change: 50, events: [{ kind: 'expires', recordId: 'utilities-bureau/u-1', ruleId: 'utilities-theft', points: -50 }], scoreAfter: 1000, gradeAfter: 'A' }],
    }],
  }],
});

export const reasonDto = (r: Reason): Static<typeof ReasonOut> => ({
  code: r.code, points: r.points, ...(r.ruleId !== undefined ? { ruleId: r.ruleId } : {}), title: r.title, recordIds: [...r.recordIds], until: iso(r.until),
});
export const timelineStepDto = (s: TimelineStep): Static<typeof TimelineStepOut> => ({
  at: iso(s.at)!, change: s.change,
  events: s.events.map((e) => ({
    kind: e.kind, recordId: e.recordId,
    ...(e.ruleId !== undefined ? { ruleId: e.ruleId } : {}), ...(e.points !== undefined ? { points: e.points } : {}), ...(e.list !== undefined ? { list: e.list } : {}),
  })),
  scoreAfter: s.scoreAfter, gradeAfter: s.gradeAfter,
});

// ---------------------------------------------------------------------------------------
// Improvement: the way to the next grade

export const FavourableOut = Type.Object({
  recordType: Type.String({ description: 'a favourable record type this scheme rewards' }),
  title: Type.String({ description: 'the rule\'s title' }),
  ruleId: Type.String(),
  points: Points('points per record (the most a payload-based rule gives)'),
  cap: Type.Optional(Type.Object({
    period: StringEnum(['day', 'month', 'year'] as const),
    points: Points('the most this rule counts per calendar period'),
  }, { additionalProperties: false, description: 'absent: no cap' })),
  countNeeded: Type.Integer({ minimum: 0, description: 'records of this type that would close the gap alone (0: none needed)' }),
}, { additionalProperties: false });

export const NextGradeOut = Type.Object({
  current: Type.String({ description: 'the grade at asOf' }),
  target: Nullable(Type.String({ description: 'the next better grade, or null at the best grade' })),
  pointsNeeded: Points('points from the current score to the target band\'s minimum'),
  blockedUntil: IsoTimeOrNull('a direct grading caps the grade until then, whatever the points; null: none'),
  byExpiryAt: IsoTimeOrNull('when expiries alone reach the target, or null if they do not'),
  favourable: Type.Array(FavourableOut, { description: 'legitimate ways to earn points, most points first' }),
}, { additionalProperties: false, description: 'the way to the next grade' });

export const SubjectImprovementOut = Type.Object({
  subject: Type.String(),
  asOf: IsoTime('the instant evaluated'),
  schemes: Type.Array(Type.Object({
    scheme: Type.String({ description: 'ID@VERSION' }),
    grade: Type.String(),
    nextGrade: NextGradeOut,
  }, { additionalProperties: false })),
}, {
  additionalProperties: false,
  description: 'the way to the next grade, per scheme',
  examples: [{
    subject: SUBJECT_EXAMPLE, asOf: AT_EXAMPLE,
    schemes: [{ scheme: 'rongcheng@1', grade: 'B', nextGrade: { current: 'B', target: 'A', pointsNeeded: 40, blockedUntil: null, byExpiryAt: '2029-02-20T00:00:00.000Z', favourable: [{ recordType: 'civic.volunteer_service', title: 'Volunteer service', ruleId: 'volunteer', points: 5, cap: { period: 'year', points: 20 }, countNeeded: 8 }] } }],
  }],
});

export const nextGradeDto = (n: NextGradePath): Static<typeof NextGradeOut> => ({
  current: n.current, target: n.target, pointsNeeded: n.pointsNeeded, blockedUntil: iso(n.blockedUntil), byExpiryAt: iso(n.byExpiryAt),
  favourable: n.favourable.map((f) => ({
    recordType: f.recordType, title: f.title, ruleId: f.ruleId, points: f.points,
    // A rule's cap period is day, month or year (SchemeRule.cap); explain.ts types it as string.
    ...(f.cap ? { cap: { period: f.cap.period as 'day' | 'month' | 'year', points: f.cap.points } } : {}), countNeeded: f.countNeeded,
  })),
});

// ---------------------------------------------------------------------------------------
// Lists

export const SubjectListEntryOut = Type.Object({
  list: Type.String({ description: 'list id (GET /v1/catalogue/lists)' }),
  cause: Type.String({ description: '"record" for a record-triggered entry, or grade:<G> for an entry while the grade is G' }),
  from: IsoTime('start of the entry'),
  until: IsoTimeOrNull('statutory end, or null for a grade-triggered entry (it ends when the grade changes)'),
  legalBasis: Type.String(),
  endedBy: Nullable(Type.String({ description: 'the record that ended the entry before its statutory end, or null' })),
  // OpenAPI 3.0.3: a nullable enum lists null among its values.
  endReason: Type.Unsafe<'RESTORED' | null>({ type: 'string', nullable: true, enum: ['RESTORED', null], description: 'RESTORED: ended by credit restoration; null: not ended that way' }),
}, { additionalProperties: false });

export const SubjectListsOut = Type.Object({
  subject: Type.String(),
  asOf: IsoTime('the instant evaluated'),
  items: Type.Array(SubjectListEntryOut, { description: 'list memberships at asOf, once per list and cause across schemes' }),
}, {
  additionalProperties: false,
  description: 'list memberships',
  examples: [{ subject: SUBJECT_EXAMPLE, asOf: AT_EXAMPLE, items: [{ list: 'judgment-defaulters', cause: 'record', from: '2026-02-25T00:00:00.000Z', until: '2028-06-30T00:00:00.000Z', legalBasis: 'SPC Provisions on the list of dishonest judgment debtors, Art. 1', endedBy: null, endReason: null }] }],
});

export const listEntryDto = (e: ListEntry): Static<typeof SubjectListEntryOut> => ({ list: e.list, cause: e.cause.startsWith('grade:') ? e.cause : 'record', from: iso(e.from)!, until: iso(e.until), legalBasis: e.legalBasis, endedBy: e.endedBy ?? null, endReason: e.endReason ?? null });

// ---------------------------------------------------------------------------------------
// Measures in force: a decision's fields per catalogue measure (see decisions.ts)

export const MeasureInForceOut = Type.Object({
  measure: Type.String({ description: 'measure id (GET /v1/catalogue/measures)' }),
  title: Type.String(),
  domain: Type.String({ description: 'the domain the measure is taken in' }),
  outcome: StringEnum(['allow', 'deny', 'allow_with_conditions'] as const, 'what a provider asking about this measure would be told now'),
  effect: StringEnum(['deny', 'allow_with_conditions', 'waive_deposit', 'priority'] as const, 'the measure\'s effect, as the catalogue publishes it'),
  reasons: Type.Array(Type.Object({
    code: StringEnum(REASON_PRECEDENCE, 'reason code, in the precedence of docs/codes.md'),
    message: Type.String({ description: 'neutral text: which condition of the measure is met' }),
    until: IsoTimeOrNull('when this reason stops applying (statutory end, expiry, end of a direct grading), or null when not known'),
  }, { additionalProperties: false })),
  conditions: Type.Array(Type.String(), { description: 'terms of a granted measure, or the standard terms of a reward not granted' }),
  legalBasis: Type.String(),
  contest: Type.String({ description: 'how to contest: the body to apply to and the deadline' }),
  crossContext: Type.Boolean({ description: 'the trigger comes from another context of the domain taxonomy' }),
}, { additionalProperties: false, description: 'a catalogue measure whose trigger applies to the subject' });

export const SubjectMeasuresOut = Type.Object({
  subject: Type.String(),
  asOf: IsoTime('the instant evaluated'),
  items: Type.Array(MeasureInForceOut, { description: 'every measure whose trigger applies (not those NOT_TRIGGERED or NOT_QUALIFIED)' }),
}, {
  additionalProperties: false,
  description: 'measures in force',
  examples: [{
    subject: SUBJECT_EXAMPLE, asOf: AT_EXAMPLE,
    items: [{ measure: 'defaulter.no_g_train', title: 'No G-series high-speed train seats', domain: 'transport', outcome: 'deny', effect: 'deny', reasons: [{ code: 'LIST_ENTRY', message: 'listed on judgment-defaulters', until: '2028-06-30T00:00:00.000Z' }], conditions: [], legalBasis: 'SPC Provisions on restricting high consumption, Art. 3', contest: 'apply to the enforcing court', crossContext: true }],
  }],
});

export const measureInForceDto = (m: Measure, d: Decision): Static<typeof MeasureInForceOut> => ({
  measure: m.id, title: m.title, domain: m.domain, outcome: d.outcome, effect: d.effect,
  reasons: d.reasons.map((r) => ({ code: r.code, message: r.message, until: iso(r.until ?? null) })),
  conditions: [...d.conditions], legalBasis: d.legalBasis, contest: d.contest, crossContext: d.crossContext,
});

// ---------------------------------------------------------------------------------------
// Query log

export const QueryLogEntryOut = Type.Object({
  seq: Type.Integer({ minimum: 1, description: 'the audit log entry (GET /v1/audit/entries/{seq}/proof proves it is in the log)' }),
  at: IsoTime('when'),
  actor: Type.String({ description: 'who: key:<key id>, or the CLI user' }),
  action: Type.String({ description: 'what: decision, subject.read, list.read, ...' }),
  provider: Nullable(Type.Object({
    id: Type.String(),
    name: Nullable(Type.String({ description: 'the registered name, or null when no longer registered' })),
  }, { additionalProperties: false, description: 'the provider that asked (a decision, or a read with a provider key), or null' })),
  purpose: Nullable(Type.String({ description: 'the stated purpose, or null' })),
  measure: Nullable(Type.String({ description: 'a decision: the measure asked about; else null' })),
  outcome: Nullable(Type.String({ description: 'a decision: its outcome; else null' })),
  asOf: IsoTimeOrNull('a decision: the instant decided for; else null'),
  consent: Nullable(Type.String({ description: 'the consent the look-up used, or null' })),
  route: Nullable(Type.String({ description: 'a read: the route read, or null' })),
}, { additionalProperties: false });

export const SubjectQueriesOut = Type.Object({
  subject: Type.String(),
  items: Type.Array(QueryLogEntryOut, { description: 'newest first' }),
}, {
  additionalProperties: false,
  description: 'the subject\'s query log',
  examples: [{ subject: SUBJECT_EXAMPLE, items: [{ seq: 42, at: AT_EXAMPLE, actor: 'key:key_4f9a', action: 'decision', provider: { id: 'railway', name: 'Railway ticketing' }, purpose: 'ticket-sale', measure: 'defaulter.no_g_train', outcome: 'allow', asOf: AT_EXAMPLE, consent: null, route: null }] }],
});
