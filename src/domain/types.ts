// Domain types shared by every layer. Pure data: no I/O, no clock. Times are epoch
// milliseconds (UTC) inside the domain; ISO-8601 strings only at the edges.
import type { ScreenCategory } from './screen-lexicon.ts';

export type SubjectKind = 'person' | 'organisation';

/** Canonical subject id: the identity number (RID), the USCC, or `scheme:value` for others. */
export type SubjectId = string;

export interface Subject {
  id: SubjectId;
  kind: SubjectKind;
  /** Identifier scheme: `cn-rid` (GB 11643), `cn-uscc` (GB 32100) or an operator-named scheme. */
  idScheme: string;
  displayName?: string;
  createdAt: number;
}

// ---------------------------------------------------------------------------------------
// Catalogue

/** Categories a record type may declare. */
export const ALLOWED_CATEGORIES = [
  'finance',
  'utilities',
  'courts',
  'tax',
  'transport',
  'traffic',
  'civic',
  'commerce',
  'labour',
  'procurement',
  'product-safety',
  'environment',
  'administration',
  'honours',
] as const;
export type Category = (typeof ALLOWED_CATEGORIES)[number];

/** The charter's special categories: refused by the validator whatever else a type says. */
export const SPECIAL_CATEGORIES = [
  'religion',
  'belief',
  'political-opinion',
  'online-speech',
  'ethnicity',
  'health',
  'sex-life',
  'reproduction',
  'family-planning',
  'union-membership',
] as const;

export type Polarity = 'adverse' | 'favourable' | 'neutral';

export interface RecordType {
  code: string;
  title: string;
  /** Chinese title (optional; screened like the English one). */
  titleZh?: string;
  description: string;
  category: Category;
  /** Domain the data is generated in (used to mark measures as cross-context). */
  domain: string;
  subjectKinds: SubjectKind[];
  /** The citations, rendered for people ("<title>, <article>; ..."). */
  legalBasis: string;
  /** The registry entries and articles cited (catalogue/legal-bases.yaml). */
  citations: Citation[];
  polarity: Polarity;
  /** ISO-8601 duration, e.g. P5Y. */
  retention: string;
  /** JSON Schema (draft 2020-12 subset understood by Ajv) for the payload. */
  payloadSchema: Record<string, unknown>;
  /**
   * Special categories this type protects (an employer that dismissed a pregnant worker:
   * `family-planning`). The screen exempts them in the type's code, titles and description
   * and in its records' free text; only organisation-subject adverse types may declare it
   * (docs/safeguards.md).
   */
  protects?: readonly ScreenCategory[];
  /**
   * Days the source has to answer a dispute of one of these records (confirm with evidence,
   * correct or withdraw) before the record stops counting: the shortest `objectionDays` of the
   * registry entries it cites, else 30 (the charter's; also when absent, as in a catalogue
   * stored before it was computed).
   */
  disputeDays?: number;
}

export interface Source {
  id: string;
  name: string;
  kind: 'agency' | 'court' | 'grid-office' | 'enterprise' | 'other';
  domain: string;
  /** The citations, rendered for people ("<title>, <article>; ..."). */
  legalBasis: string;
  /** The registry entries and articles cited (catalogue/legal-bases.yaml). */
  citations: Citation[];
  recordTypes: string[];
  /**
   * A community source (a grid office): its records count only after a human reviewer
   * approves them. Always true for kind `grid-office`; `review: required` sets it for others
   * (absent in a catalogue stored before it was computed: kind `grid-office` decides).
   */
  reviewRequired?: boolean;
}

export interface ListDefinition {
  id: string;
  title: string;
  kind: 'black' | 'red';
  domain: string;
  /** The citations, rendered for people ("<title>, <article>; ..."). */
  legalBasis: string;
  /** The registry entries and articles cited (catalogue/legal-bases.yaml). */
  citations: Citation[];
  /** Entries of a public list may be shown without a key (name, start, statutory end). */
  public: boolean;
  description: string;
  /** Credit restoration: who is listed may apply for an early end (absent: no such way off the list). */
  restoration?: RestorationRule;
}

/**
 * How a subject applies for an early end of a record-triggered listing (NDRC Order 58): not
 * before `after` has passed since the listing began, with proof of remedy; a reviewer decides
 * within `decisionWorkingDays` working days (Monday to Friday, UTC; public holidays are not
 * known to Credence, so the deadline falls no later than the law's).
 */
export interface RestorationRule {
  /** ISO-8601 duration: the minimum time on the list before an application is taken. */
  after: string;
  decisionWorkingDays: number;
  legalBasis: string;
  citations: Citation[];
}

export type MeasureEffect = 'deny' | 'allow_with_conditions' | 'waive_deposit' | 'priority';

export type MeasureTrigger =
  | { list: string }
  | { grades: string[]; scheme: string }
  | { recordType: string };

export interface Measure {
  id: string;
  title: string;
  /** Optional plain-language description for the public catalogue. */
  description?: string;
  domain: string;
  trigger: MeasureTrigger;
  effect: MeasureEffect;
  /** Conditions attached when the effect is allow_with_conditions, or when a reward is not granted. */
  conditions?: string[];
  /** The citations, rendered for people ("<title>, <article>; ..."). */
  legalBasis: string;
  /** The registry entries and articles cited (catalogue/legal-bases.yaml). */
  citations: Citation[];
  /** Derived at load: the trigger's domain differs from the measure's domain. */
  crossContext: boolean;
  /** How a subject contests a decision under this measure. */
  contest: string;
  /** The purposes a provider may state when it asks about this measure (ids of `Catalogue.purposes`). */
  purposes: string[];
}

/**
 * Why a look-up may be made (catalogue/measures.yaml, `purposes`):
 * - `subject-initiated`: the subject started it (buys a ticket, registers at a library);
 * - `consent`: the subject did not start it, or the law asks for written consent (a credit
 *   report for a loan, a landlord, an employer's screening, a prospective in-law): a
 *   look-up needs a consent token the subject issued (`CONSENT_REQUIRED`);
 * - `statutory`: a public body's legal duty (a court reviewing a decision); no consent.
 */
export const PURPOSE_KINDS = ['subject-initiated', 'consent', 'statutory'] as const;
export type PurposeKind = (typeof PURPOSE_KINDS)[number];

export interface Purpose {
  id: string;
  title: string;
  description?: string;
  kind: PurposeKind;
  /** A provider stating this purpose may ask about a past instant (`asOf`); otherwise the present only. */
  pastDates: boolean;
  /** The citations, rendered for people ("<title>, <article>; ..."). */
  legalBasis: string;
  citations: Citation[];
}

export interface Catalogue {
  version: string;
  recordTypes: Map<string, RecordType>;
  sources: Map<string, Source>;
  lists: Map<string, ListDefinition>;
  measures: Map<string, Measure>;
  /** Why a provider may look a subject up (measures.yaml `purposes`), by id. */
  purposes: Map<string, Purpose>;
  /** The legal-basis registry (catalogue/legal-bases.yaml) every object cites. */
  legalBases: Map<string, LegalBasisEntry>;
  /**
   * The deployment asks for four eyes (CREDENCE_FOUR_EYES at `credence init`, kept until set
   * again): direct gradings and manual list entries wait for a second person's approval, and
   * a dispute's or a restoration's decision takes two reviewers. Absent: off.
   */
  fourEyes?: boolean;
}

// ---------------------------------------------------------------------------------------
// Legal-basis registry (catalogue/legal-bases.yaml; src/domain/legal-bases.ts)

export const LEGAL_BASIS_KINDS = [
  'law',
  'administrative-regulation',
  'departmental-rule',
  'judicial-interpretation',
  'normative-document',
  'local-document',
  'reported-practice',
] as const;
export type LegalBasisKind = (typeof LEGAL_BASIS_KINDS)[number];

/** What a statute (or one of its articles) allows a catalogue or scheme to do. */
export interface Authorisation {
  /** Record-type categories whose records it allows collecting and delivering. */
  categories?: Category[];
  /** Points a scheme rule citing it may give (per unit for a `per` rule). */
  points?: { min: number; max: number };
  /** Grades a rule citing it may set directly. */
  directGrades?: string[];
  /** Lists it allows, with the longest listing and the kinds of source that may deliver a listing. */
  lists?: { list: string; maxPeriod?: string; sourceKinds?: Source['kind'][] }[];
  /** Cross-context measures it allows: trigger context (or domain) -> measure context (or domain). */
  crossContext?: { from: string; to: string }[];
  /** Special categories it protects (a protection statute: record types may declare `protects`). */
  protects?: ScreenCategory[];
}

export interface LegalBasisEntry {
  id: string;
  kind: LegalBasisKind;
  title: string;
  titleZh: string;
  issuer: string;
  /** Adopted or issued, YYYY-MM-DD. */
  date: string;
  amended?: string;
  url: string;
  note?: string;
  /** Days the basis gives a source (or bureau) to answer an objection to a record, if it sets them. */
  objectionDays?: number;
  authorises: Authorisation;
  /** Articles with their own authorisation; it replaces the entry-level keys it sets. */
  articles: { article: string; authorises: Authorisation }[];
}

/** One citation of the registry: an entry and the article (or pinpoint) relied on. */
export interface Citation {
  ref: string;
  article: string;
}

/** How a file writes citations: `"<id> <article>"`, `{ref, article}`, or a list of either. */
export type CitationInput = string | Citation | (string | Citation)[];

// ---------------------------------------------------------------------------------------
// Schemes

export interface GradeBand {
  grade: string;
  label: string;
  /** Inclusive lower bound; null = unbounded. */
  min: number | null;
  /** Inclusive upper bound; null = unbounded. */
  max: number | null;
}

export type PointsSpec =
  | { fixed: number }
  /** Points taken from a payload field, bounded (the Rongcheng "other" item: -5 to -50). */
  | { field: string; min: number; max: number };

export interface SchemeRule {
  id: string;
  recordType: string;
  title: string;
  /** CEL condition over `record` (the subject's own record); empty = always. */
  when?: string;
  points: PointsSpec;
  /** Multiply the points by an integer payload field (e.g. months of arrears). */
  per?: string;
  /** Cap on the absolute sum of this rule's points per calendar period. */
  cap?: { period: 'day' | 'month' | 'year'; points: number };
  /** ISO-8601 duration; defaults to the record type's retention. */
  lifetime?: string;
  /** Direct grading: while active, the grade is at most this one. */
  directGrade?: { grade: string; ground: string; legalBasis?: CitationInput };
  /** Requires a stated ground in the payload (field `ground`). */
  requiresGround?: boolean;
  source: string;
  /** What allows these points; absent: the record type's citations. */
  legalBasis?: CitationInput;
}

export interface ListRule {
  list: string;
  /** Grade-triggered listing: on the list while the grade is one of these. */
  grades?: string[];
  /** Record-triggered listing: from the record's occurredAt to its statutory end. */
  recordType?: string;
  /** Payload field holding the statutory end date (ISO date); else `duration` applies. */
  endField?: string;
  duration?: string;
  /** Record types that end a record-triggered listing early (e.g. court delisting). */
  endedBy?: string[];
  legalBasis: CitationInput;
}

export interface Scheme {
  id: string;
  version: number;
  title: string;
  status: 'draft' | 'published';
  source: string;
  base: number;
  /** Optional clamp of the score (e.g. Sesame-style 350-950). */
  range?: { min: number; max: number };
  defaultGrade: string;
  /** Ordered best first. */
  bands: GradeBand[];
  rules: SchemeRule[];
  listRules: ListRule[];
}

/** How a dispute ends; under the first four the disputed record stops counting (its source's record was overturned). */
export const OVERTURNING_OUTCOMES = ['withdrawn', 'corrected', 'upheld', 'lapsed'] as const;
export const DISPUTE_OUTCOMES = [...OVERTURNING_OUTCOMES, 'rejected'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

export type SchemeKey = string; // `${id}@${version}`
export const schemeKey = (s: { id: string; version: number }): SchemeKey => `${s.id}@${s.version}`;

// ---------------------------------------------------------------------------------------
// Records

export type RecordStatus = 'active' | 'disputed' | 'revoked' | 'withdrawn' | 'expired' | 'pending-review' | 'rejected';

/** What a source submits (already parsed from the wire, not yet validated). */
export interface RecordInput {
  source: string;
  sourceRecordId: string;
  subject: SubjectId;
  type: string;
  /** ISO-8601 date or date-time. */
  occurredAt: string;
  payload?: Record<string, unknown>;
  evidence?: string[];
  /** The source record id (same source) of an earlier record this one corrects and revokes. */
  revokes?: string;
  /** Optional hints used when the subject is first seen. */
  subjectKind?: SubjectKind;
  subjectName?: string;
}

/** An accepted, immutable record. */
export interface StoredRecord {
  /** `${source}/${sourceRecordId}`: unique. */
  id: string;
  /** Monotonic arrival order within a store. */
  seq: number;
  /** Position in its subject's stream (1 = the subject's first change), set by the store. */
  position?: number;
  source: string;
  sourceRecordId: string;
  subject: SubjectId;
  type: string;
  occurredAt: number;
  recordedAt: number;
  payload: Record<string, unknown>;
  evidence: string[];
  /** Record id revoked by this one. */
  revokes?: string;
  /** Set when a later record revoked this one. */
  revokedAt?: number;
  revokedBy?: string;
  /**
   * Dispute state: a disputed record stops counting its type's `disputeDays` after disputedAt
   * unless its source (or a reviewer) confirms it by then.
   */
  disputedAt?: number;
  confirmedAt?: number;
  /** Withdrawn by its source (sent in error) or on a dispute upheld: stops counting then. */
  withdrawnAt?: number;
  /** Review of a record from a community source: it counts from approval, never if rejected. */
  approvedAt?: number;
  rejectedAt?: number;
  /**
   * Credit restoration granted (a reviewer's decision on the subject's application): the
   * listings this record caused end then, with the reason RESTORED. The record's other
   * effects (points under a scheme's rules) are not changed by it.
   */
  restoredAt?: number;
  /**
   * Held for a second person under the deployment's four eyes (a direct grading, a manual
   * list entry): like a community record, it counts only once another person approves it.
   * Set when it is stored, so a later change of the setting does not change what it counted.
   */
  fourEyes?: true;
}

// ---------------------------------------------------------------------------------------
// Scoring results

export interface Contribution {
  recordId: string;
  recordType: string;
  ruleId: string;
  delta: number;
  /** Requested delta before a cap clipped it (absent when nothing was clipped). */
  requested?: number;
  occurredAt: number;
  /** When the contribution starts to count (occurredAt). */
  from: number;
  /** When it stops counting (expiry, revocation, unconfirmed dispute): exclusive. */
  until: number;
  /** Why `until` is what it is. */
  endReason: 'expiry' | 'revoked' | 'withdrawn' | 'dispute_unconfirmed';
}

export interface DirectGrading {
  recordId: string;
  ruleId: string;
  grade: string;
  ground: string;
  from: number;
  until: number;
}

export interface ListEntry {
  list: string;
  subject: SubjectId;
  /** Record that caused it, or `grade:<G>` for grade-triggered entries. */
  cause: string;
  from: number;
  /** Statutory end; null for grade-triggered entries (they end when the grade changes). */
  until: number | null;
  legalBasis: string;
  /** Court case reference of a record-triggered entry (a delisting ends the matching one). */
  caseRef?: string;
  /** Record that ended the entry before its statutory end. */
  endedBy?: string;
  /** Why it ended before its statutory end, when not by a record: RESTORED (credit restoration granted). */
  endReason?: 'RESTORED';
}

/** Every record's own lifetime for this subject: when it counts and why it stops. */
export interface RecordSpan {
  recordId: string;
  recordType: string;
  from: number;
  until: number;
  endReason: Contribution['endReason'];
  /** Disputed and not (yet) confirmed by its source. */
  disputed?: boolean;
}

export interface Warning {
  code: string;
  recordId?: string;
  ruleId?: string;
  message: string;
}

/** Everything the scheme derives for a subject: time-independent, evaluated at any `at`. */
export interface SubjectLedger {
  subject: SubjectId;
  scheme: SchemeKey;
  contributions: Contribution[];
  directGradings: DirectGrading[];
  /** Record-triggered list entries (grade-triggered ones are computed at evaluation). */
  recordListings: ListEntry[];
  /** Spans of records that trigger measures directly, and of disputed records (see spanOf). */
  spans: RecordSpan[];
  warnings: Warning[];
  /** Max occurredAt applied so far, and the record ids applied (for the incremental path). */
  lastOccurredAt: number;
  recordCount: number;
}

export interface ScoreView {
  subject: SubjectId;
  scheme: SchemeKey;
  at: number;
  score: number;
  grade: string;
  gradeLabel: string;
  /** Band grade before any direct grading. */
  bandGrade: string;
  directGrading?: DirectGrading;
  /** Contributions counting at `at`, with their rule's title. */
  active: (Contribution & { ruleTitle: string })[];
  lists: ListEntry[];
  /** Next instant at which the view changes by time alone (an expiry), or null. */
  nextChangeAt: number | null;
}
