// The use cases, over the store port: ingest records, read subjects (views, explanations,
// history, export), decide, lists, stats, rescore. Transport layers (CLI, HTTP, bus worker)
// call these; they never touch the store or the domain scoring directly.
import { createHash } from 'node:crypto';
import { chainEntries, verifyChain, type AuditEntryInput } from '../domain/audit-chain.ts';
import { decide, type Decision, type DecisionFacts } from '../domain/decide.ts';
import { iso } from '../domain/duration.ts';
import { nextGrade, reasons, timeline } from '../domain/explain.ts';
import { needsConsent, noConsentRecorded, publishEntries, type PublicationConsent } from '../domain/publication.ts';
import { compileScheme, type CompiledScheme } from '../domain/scheme-compile.ts';
import { applyRecord, canAppend, computeLedger, counts, emptyLedger, evaluate, needsReview, spanOf } from '../domain/scoring.ts';
import type { Catalogue, RecordInput, Scheme, ScoreView, StoredRecord, Subject, SubjectId, SubjectLedger } from '../domain/types.ts';
import type { AuditEntry, CaseRow, PurgeSet, RecordMarks, Store, SubjectState } from '../ports/store.ts';
import { Mutex } from './mutex.ts';
import { RecordValidator, type RecordProblem, type ValidRecord } from './validate-record.ts';
import { recordFingerprint } from '../domain/fingerprint.ts';
import { ingestBySource } from '../domain/transparency.ts';
import { changeNotices, standingOf, type NoticeDraft, type Standing } from '../domain/notices.ts';
import { noticeInputs, noticeView } from './notices.ts';

export type RecordResult =
  /** `review`: the case the record waits in before it counts (a community report; under four eyes a direct grading or a manual entry). */
  | { index: number; status: 'accepted'; id: string; review?: string }
  | { index: number; status: 'duplicate'; id: string }
  | { index: number; status: 'rejected'; code: string; path: string; message: string; conflict?: { held: string; submitted: string } };

export interface IngestSummary {
  results: RecordResult[];
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** What an annotation writes (see Credence.annotate), and what it answers. */
export interface AnnotationPlan<T> {
  marks: { recordId: string; mark: RecordMarks }[];
  cases: CaseRow[];
  audit: AuditEntryInput[];
  /** Notices the step itself sends (a dispute's outcome); the adverse changes it causes are added by annotate. */
  notices?: NoticeDraft[];
  /** Retention: records, cases and notices of the subject deleted for good; the states are recomputed without those records. */
  purge?: PurgeSet;
  result: T;
}

/** Who asks for a decision: the actor (key:<id>, cli:<user>), the purpose, and for a provider its id and name and the consent used. */
export interface Asker {
  actor: string;
  purpose: string;
  provider?: { id: string; name: string };
  consent?: string | null;
  /** Why an operator asks (the command line's --reason). */
  reason?: string;
}

export class NotFoundError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** A published scheme version and when it came into force. */
export interface SchemeVersion {
  compiled: CompiledScheme;
  publishedAt: number;
}

export interface CredenceOptions {
  store: Store;
  catalogue: Catalogue;
  schemes: CompiledScheme[];
  /** Every published version (default: `schemes`, each in force since the epoch). */
  versions?: SchemeVersion[];
  now: () => number;
  legacyCodes?: readonly string[];
}

/** Provisional seqs of records not yet committed start here (above any real seq, below 2^53). */
const PROVISIONAL_SEQ_BASE = 2 ** 52;

/** A state's snapshot of a ledger at `at`; its stream position is the writer's to add (or the commit's to set). */
const toState = (ledger: SubjectLedger, scheme: CompiledScheme, at: number): Omit<SubjectState, 'position'> => {
  const view = evaluate(ledger, scheme, at);
  return { subject: ledger.subject, scheme: scheme.key, ledger, score: view.score, grade: view.grade, computedAt: at, validUntil: view.nextChangeAt };
};

/** The facts of a validated record as they are stored (the fingerprint covers exactly these). */
function factsOf(id: string, v: ValidRecord): Omit<StoredRecord, 'seq' | 'recordedAt'> {
  const input = v.input;
  return {
    id,
    source: input.source,
    sourceRecordId: input.sourceRecordId,
    subject: v.subject,
    type: input.type,
    occurredAt: v.occurredAt,
    payload: input.payload ?? {},
    evidence: input.evidence ?? [],
    ...(input.revokes ? { revokes: `${input.source}/${input.revokes}` } : {}),
  };
}

/** Days a reviewer has to decide a community record's review item. */
export const REVIEW_DAYS = 10;

/** The id of the review item a record waits in. */
export const reviewCaseId = (recordId: string) => `review:${recordId}`;

/** The review item of a community record, opened when the record is stored. */
export function reviewCase(r: StoredRecord, now: number, actor: string): CaseRow {
  return {
    id: reviewCaseId(r.id),
    kind: 'review',
    subject: r.subject,
    status: 'open',
    dueAt: now + REVIEW_DAYS * 86_400_000,
    assignee: null,
    createdAt: now,
    updatedAt: now,
    body: {
      record: r.id, source: r.source, type: r.type, submittedBy: actor,
      ...(r.fourEyes ? { fourEyes: true } : {}),
      history: [{ at: now, step: 'opened', by: actor, ...(r.fourEyes ? { reason: 'four eyes: a direct grading or a manual entry waits for a second person' } : {}) }],
    },
  };
}

const shortPrint = (f: string) => f.slice(0, 'sha256:'.length + 12);

/** A reused (source, sourceRecordId) with other content: refused, both versions' fingerprints named. */
function conflictResult(index: number, id: string, held: string, submitted: string, where: 'already held' | 'earlier in this batch'): RecordResult {
  return {
    index,
    status: 'rejected',
    code: 'RECORD_CONFLICT',
    path: 'sourceRecordId',
    message: `record ${id} is ${where} with different content (held ${shortPrint(held)}, this one ${shortPrint(submitted)}); a correction is a new record with "revokes"`,
    conflict: { held, submitted },
  };
}

/** By scheme id, then publication time (then version): the last of an id is the one in force. */
function inForceOrder(a: SchemeVersion, b: SchemeVersion): number {
  const x = a.compiled.scheme;
  const y = b.compiled.scheme;
  return x.id < y.id ? -1 : x.id > y.id ? 1 : a.publishedAt - b.publishedAt || x.version - y.version;
}

/** Rounds against concurrent writers (an ingest batch, a state rebuild) before giving up; each re-reads. */
const CONFLICT_ROUNDS_MAX = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Credence {
  readonly store: Store;
  readonly catalogue: Catalogue;
  /** Published scheme versions in force (latest published version of each scheme id). */
  readonly schemes: CompiledScheme[];
  /** Every published version of every scheme, by scheme id then publication time. */
  readonly versions: SchemeVersion[];
  readonly now: () => number;
  private readonly validator: RecordValidator;
  private readonly ingestLock = new Mutex();
  /** Record types a scheme in force grades directly (what four eyes holds). */
  private readonly directGradeTypes: ReadonlySet<string>;
  /** Called after a change in this process stored notices (the server's dispatcher kicks itself). */
  onNotices: (() => void) | null = null;

  constructor(o: CredenceOptions) {
    this.store = o.store;
    this.catalogue = o.catalogue;
    this.schemes = o.schemes;
    this.versions = [...(o.versions ?? o.schemes.map((compiled) => ({ compiled, publishedAt: 0 })))].sort(inForceOrder);
    this.now = o.now;
    this.validator = new RecordValidator(o.catalogue, o.legacyCodes ?? []);
    this.directGradeTypes = new Set(this.schemes.flatMap((s) => s.scheme.rules.filter((r) => r.directGrade).map((r) => r.recordType)));
  }

  /** Opens the use cases on a store that `init` has filled (catalogue and schemes). */
  static async open(store: Store, o: { now: () => number; legacyCodes?: readonly string[] }): Promise<Credence> {
    const catalogue = await store.loadCatalogue();
    if (!catalogue) throw new NotFoundError('STORE_NOT_INITIALISED', 'the database holds no catalogue: run `credence init` first');
    if (catalogue.legalBases.size === 0) {
      throw new NotFoundError('STORE_CATALOGUE_OUTDATED', 'the database holds a catalogue stored before the legal-basis registry (catalogue/legal-bases.yaml): run `credence init` to load the current catalogue');
    }
    if (catalogue.purposes.size === 0) {
      throw new NotFoundError('STORE_CATALOGUE_OUTDATED', 'the database holds a catalogue stored before purposes were declared (measures.yaml `purposes`): run `credence init` to load the current catalogue');
    }
    const versions: SchemeVersion[] = [];
    for (const row of await store.listSchemes()) {
      if (row.publishedAt === null || row.scheme.status !== 'published') continue;
      const s = row.scheme;
      const { compiled, problems } = compileScheme(s, catalogue);
      if (!compiled) throw new Error(`stored scheme ${s.id}@${s.version} no longer compiles: ${problems[0]?.message}`);
      versions.push({ compiled, publishedAt: row.publishedAt });
    }
    // In force: the last version of each scheme in publication order.
    const latest = new Map<string, CompiledScheme>();
    for (const v of versions.sort(inForceOrder)) latest.set(v.compiled.scheme.id, v.compiled);
    const schemes = [...latest.values()];
    return new Credence({ store, catalogue, schemes, versions, now: o.now, legacyCodes: o.legacyCodes });
  }

  scheme(idOrKey: string): CompiledScheme | undefined {
    return this.schemes.find((s) => s.key === idOrKey || s.scheme.id === idOrKey);
  }

  /**
   * The versions a view at `at` evaluates: per scheme in force, the version named in `choose`
   * (`id@version`), else the one in force at `at` (the latest published at or before it; before
   * the first publication, the first version). A past view never answers under a later version.
   */
  schemesAt(at: number, choose: readonly string[] = []): CompiledScheme[] {
    const chosen = new Map<string, CompiledScheme>();
    for (const key of choose) {
      const v = this.versions.find((x) => x.compiled.key === key);
      if (!v) {
        const known = this.versions.map((x) => x.compiled.key).join(', ');
        throw new NotFoundError('SCHEME_NOT_FOUND', `no published scheme version "${key}" (published: ${known})`);
      }
      chosen.set(v.compiled.scheme.id, v.compiled);
    }
    return this.schemes.map((s) => chosen.get(s.scheme.id) ?? this.versionAt(s.scheme.id, at));
  }

  private versionAt(schemeId: string, at: number): CompiledScheme {
    let pick: SchemeVersion | undefined;
    for (const v of this.versions) {
      if (v.compiled.scheme.id !== schemeId) continue;
      if (pick === undefined || v.publishedAt <= at) pick = v;
    }
    return pick!.compiled;
  }

  /** The versions of one scheme with the instants each was in force: [from, until). */
  private periodsOf(schemeId: string): { scheme: CompiledScheme; from: number; until: number }[] {
    const vs = this.versions.filter((v) => v.compiled.scheme.id === schemeId);
    return vs.map((v, i) => ({ scheme: v.compiled, from: i === 0 ? Number.NEGATIVE_INFINITY : v.publishedAt, until: vs[i + 1]?.publishedAt ?? Number.POSITIVE_INFINITY }));
  }

  // ----------------------------------------------------------------------------------------
  // Ingest

  /**
   * Validates and appends a batch. Good records are kept whatever happens to bad ones; a
   * record already held (same source and source record id) with the same content is a
   * duplicate and returns the original's id; with other content it is refused
   * (RECORD_CONFLICT). The batch and its audit entry commit atomically and durably before
   * this resolves; a concurrent writer of the same subjects makes it re-read and retry.
   */
  /**
   * `manual`: the records are entered by hand by an operator (a manual list entry), which the
   * deployment's four eyes holds for a second person's approval.
   */
  async ingest(raw: unknown[], actor = 'system', opts: { manual?: boolean } = {}): Promise<IngestSummary> {
    return this.ingestLock.run(async () => {
      for (let attempt = 1; ; attempt++) {
        const out = await this.tryIngest(raw, actor, opts.manual === true);
        if (out) return out;
        if (attempt >= CONFLICT_ROUNDS_MAX) throw new Error(`ingest conflicted with concurrent writers ${attempt} times in a row; nothing of this batch was written`);
        // Jittered backoff, so two writers of the same subjects stop meeting at the same moment.
        await sleep(Math.random() * Math.min(2 ** attempt, 200));
      }
    });
  }

  /**
   * Validation only (shape, identifiers, permissions, payload schema), for the bus path: the
   * valid records in canonical form, and a rejection for each of the others. Duplicates and
   * revocation targets are checked where the records are applied (the worker).
   */
  validateBatch(raw: unknown[]): { valid: { index: number; id: string; input: RecordInput }[]; rejected: RecordResult[] } {
    const now = this.now();
    const valid: { index: number; id: string; input: RecordInput }[] = [];
    const rejected: RecordResult[] = [];
    raw.forEach((item, index) => {
      const res = this.validator.validate(item, now);
      if (!res.ok) rejected.push({ index, status: 'rejected', ...res.problem });
      else valid.push({ index, id: `${res.record.input.source}/${res.record.input.sourceRecordId}`, input: res.record.input });
    });
    return { valid, rejected };
  }

  /**
   * Whether four eyes holds a new record for a second person: a manual entry, or a record of
   * a type that a scheme in force grades directly (conservatively every record of it, whatever
   * the rule's condition). Off unless the deployment asks for it.
   */
  private heldByFourEyes(type: string, manual: boolean): boolean {
    return this.catalogue.fourEyes === true && (manual || this.directGradeTypes.has(type));
  }

  private async tryIngest(raw: unknown[], actor: string, manual: boolean): Promise<IngestSummary | null> {
    const now = this.now();
    const results: RecordResult[] = new Array(raw.length);
    const valid: { index: number; id: string; v: ValidRecord }[] = [];
    // Fingerprints are computed only where an id is met twice (most batches: never).
    const fingerprintOf = (id: string, v: ValidRecord) => recordFingerprint(factsOf(id, v));
    const seenInBatch = new Map<string, ValidRecord>(); // id -> its first occurrence
    raw.forEach((item, index) => {
      const res = this.validator.validate(item, now);
      if (!res.ok) {
        results[index] = { index, status: 'rejected', ...res.problem };
        return;
      }
      const id = `${res.record.input.source}/${res.record.input.sourceRecordId}`;
      const first = seenInBatch.get(id);
      if (first !== undefined) {
        const [was, is] = [fingerprintOf(id, first), fingerprintOf(id, res.record)];
        results[index] = was === is ? { index, status: 'duplicate', id } : conflictResult(index, id, was, is, 'earlier in this batch');
        return;
      }
      seenInBatch.set(id, res.record);
      valid.push({ index, id, v: res.record });
    });
    // Stream positions first: anything read after them (states, records) is at least as new,
    // so a concurrent write in between shows up as a moved position at commit, never as a lost update.
    const candidateSubjects = [...new Set(valid.map((x) => x.v.subject))];
    const positions = await this.store.streamPositions(candidateSubjects);
    const existing = await this.store.getRecords(valid.map((x) => x.id));
    const fresh = valid.filter((x) => {
      const held = existing.get(x.id);
      if (held === undefined) return true;
      const [was, is] = [recordFingerprint(held), fingerprintOf(x.id, x.v)];
      results[x.index] = was === is ? { index: x.index, status: 'duplicate', id: x.id } : conflictResult(x.index, x.id, was, is, 'already held');
      return false;
    });

    const subjectIds = [...new Set(fresh.map((x) => x.v.subject))];
    const statesByScheme = new Map<string, Map<SubjectId, SubjectState>>();
    for (const s of this.schemes) statesByScheme.set(s.key, await this.store.getStatesFor(subjectIds, s.key));

    // Revocation targets: in the store or earlier in this batch.
    const revokeTargets = fresh.filter((x) => x.v.input.revokes).map((x) => `${x.v.input.source}/${x.v.input.revokes}`);
    const targetRecords = revokeTargets.length > 0 ? await this.store.getRecords([...new Set(revokeTargets)]) : new Map<string, StoredRecord>();

    const recordsCache = new Map<SubjectId, StoredRecord[]>();
    const needRecords = new Set<SubjectId>();
    // First pass: decide which subjects need their records (cannot append in order). A stored
    // subject without a current state (none yet for this scheme version, or one a writer that
    // did not know this version left behind) is recomputed from its records.
    const ledgers = new Map<string, SubjectLedger | null>(); // `${scheme}|${subject}`
    for (const s of this.schemes) {
      for (const sid of subjectIds) {
        const st = statesByScheme.get(s.key)!.get(sid);
        ledgers.set(`${s.key}|${sid}`, st ? st.ledger : positions.has(sid) ? null : emptyLedger(sid, s.key));
      }
    }
    const newRecords: StoredRecord[] = [];
    const revocations: { recordId: string; revokedAt: number; revokedBy: string }[] = [];
    const batchRecords = new Map<string, StoredRecord>();
    let problem: RecordProblem | null = null;
    const accepted: { index: number; record: StoredRecord }[] = [];
    for (const x of fresh) {
      const input = x.v.input;
      const record: StoredRecord = {
        ...factsOf(x.id, x.v),
        // Provisional, until the store assigns the real one: above every stored seq and in
        // arrival order, as the real ones will be, so that scoring orders ties on occurredAt
        // (by seq) the same way now as a later rescore from the stored records does.
        seq: PROVISIONAL_SEQ_BASE + newRecords.length,
        recordedAt: now,
        ...(this.heldByFourEyes(x.v.input.type, manual) ? { fourEyes: true as const } : {}),
      };
      if (record.revokes) {
        const target = batchRecords.get(record.revokes) ?? targetRecords.get(record.revokes);
        problem = !target
          ? { code: 'RECORD_REVOKES_UNKNOWN', path: 'revokes', message: `no record ${input.revokes} from source ${input.source} to revoke` }
          : target.subject !== record.subject
            ? { code: 'RECORD_REVOKES_OTHER_SUBJECT', path: 'revokes', message: `record ${input.revokes} is about another subject` }
            : target.revokedAt !== undefined
              ? { code: 'RECORD_ALREADY_REVOKED', path: 'revokes', message: `record ${input.revokes} was already revoked by ${target.revokedBy}` }
              : null;
        if (problem) {
          results[x.index] = { index: x.index, status: 'rejected', ...problem };
          continue;
        }
        target!.revokedAt = now;
        target!.revokedBy = record.id;
        revocations.push({ recordId: target!.id, revokedAt: now, revokedBy: record.id });
      }
      batchRecords.set(record.id, record);
      accepted.push({ index: x.index, record });
      newRecords.push(record);
    }
    // Records of one subject earlier in this batch move its ledger on before the later ones
    // are applied, so a later record is checked against the latest occurredAt seen so far
    // (else an out-of-order record late in a batch recomputes without the batch's earlier ones).
    const lastInBatch = new Map<string, number>();
    for (const { record } of accepted) {
      for (const s of this.schemes) {
        const k = `${s.key}|${record.subject}`;
        const ledger = ledgers.get(k) ?? null;
        const last = lastInBatch.get(k);
        const probe = ledger && last !== undefined && last > ledger.lastOccurredAt ? { ...ledger, lastOccurredAt: last } : ledger;
        if (!canAppend(probe, record, s)) needRecords.add(record.subject);
        lastInBatch.set(k, Math.max(last ?? Number.NEGATIVE_INFINITY, record.occurredAt));
      }
    }
    // Subjects an accepted record could change adversely (anything but a favourable record, or
    // a revocation): their standing before the batch, for the notices (src/domain/notices.ts).
    const watched = new Set<SubjectId>();
    for (const { record } of accepted) {
      if (record.revokes !== undefined || this.catalogue.recordTypes.get(record.type)?.polarity !== 'favourable') watched.add(record.subject);
    }
    const before = new Map<SubjectId, Standing>();
    for (const sid of watched) {
      if (needRecords.has(sid)) continue; // from its stored records, below
      before.set(sid, this.standing(sid, (s) => ledgers.get(`${s.key}|${sid}`) ?? emptyLedger(sid, s.key), now));
    }
    if (needRecords.size > 0) {
      const revokedNow = new Map(revocations.map((v) => [v.recordId, v] as const));
      const loaded = await this.store.recordsOfSubjects([...needRecords]);
      for (const [sid, recs] of loaded) {
        if (watched.has(sid)) before.set(sid, this.standing(sid, (s) => computeLedger(sid, recs, s, this.catalogue), now));
        // Apply revocations made in this batch to the loaded copies.
        recordsCache.set(
          sid,
          recs.map((r) => {
            const rv = revokedNow.get(r.id);
            return rv ? { ...r, revokedAt: rv.revokedAt, revokedBy: rv.revokedBy } : r;
          }),
        );
      }
    }
    // Second pass: apply in order; subjects needing records get their batch records appended to the cache.
    for (const { record } of accepted) {
      const prev = recordsCache.get(record.subject);
      for (const s of this.schemes) {
        const k = `${s.key}|${record.subject}`;
        // The ledgers were read for this batch alone, so they may be updated in place.
        const next = applyRecord(ledgers.get(k) ?? null, record, () => prev ?? [], s, this.catalogue, { inPlace: true });
        ledgers.set(k, next);
      }
      if (prev) prev.push(record);
      else if (needRecords.has(record.subject)) recordsCache.set(record.subject, [record]);
    }
    const states: Omit<SubjectState, 'position'>[] = [];
    const touched = new Set(accepted.map((a) => a.record.subject));
    for (const s of this.schemes) {
      for (const sid of touched) {
        const ledger = ledgers.get(`${s.key}|${sid}`);
        if (ledger) states.push(toState(ledger, s, now));
      }
    }
    const notices = noticeInputs(this.ingestNotices(watched, before, accepted.map((a) => a.record), ledgers, now), now);
    const subjects: Subject[] = [];
    const firstOf = new Map<string, (typeof fresh)[number]>();
    for (const x of fresh) if (!firstOf.has(x.v.subject)) firstOf.set(x.v.subject, x);
    const expected: Record<SubjectId, number> = {};
    for (const sid of touched) {
      expected[sid] = positions.get(sid) ?? 0;
      if (positions.has(sid)) continue;
      const first = firstOf.get(sid)!;
      subjects.push({ id: sid, kind: first.v.subjectKind, idScheme: first.v.idScheme, ...(first.v.input.subjectName ? { displayName: first.v.input.subjectName } : {}), createdAt: now });
    }
    if (newRecords.length > 0) {
      const digest = createHash('sha256').update(newRecords.map((r) => r.id).join('\n')).digest('hex');
      const audit: AuditEntryInput = { at: now, actor, action: 'records.ingest', detail: { accepted: newRecords.length, first: newRecords[0]!.id, last: newRecords[newRecords.length - 1]!.id, idsSha256: digest, bySource: ingestBySource(newRecords) } };
      // A community source's record waits for a reviewer: its review item opens with it.
      const cases: CaseRow[] = newRecords.filter((r) => needsReview(this.catalogue, r)).map((r) => reviewCase(r, now, actor));
      const res = await this.store.commit({ records: newRecords.map(({ seq: _seq, ...r }) => r), revocations, subjects, states, expected, audit, cases, notices });
      // A concurrent writer took some ids or moved a subject's stream: nothing was written, redo the batch.
      if (res.conflicts.length > 0 || res.stale.length > 0) return null;
      if (notices.length > 0) this.onNotices?.();
    }
    for (const { index, record } of accepted) results[index] = { index, status: 'accepted', id: record.id, ...(needsReview(this.catalogue, record) ? { review: reviewCaseId(record.id) } : {}) };
    let a = 0, d = 0, rj = 0;
    for (const r of results) r.status === 'accepted' ? a++ : r.status === 'duplicate' ? d++ : rj++;
    return { results, accepted: a, duplicates: d, rejected: rj };
  }

  /** A subject's standing at `at` under the schemes in force, from its ledger under each (src/domain/notices.ts). */
  private standing(subject: SubjectId, ledgerOf: (s: CompiledScheme) => SubjectLedger, at: number): Standing {
    return standingOf(subject, this.schemes.map((s) => ({ scheme: s, ledger: ledgerOf(s) })), this.catalogue, at);
  }

  /**
   * The notices of an ingest batch: for each watched subject, its adverse records (with when
   * each stops counting, or that it waits for a reviewer) and the difference between its
   * standing before the batch (`before`; none for a new subject) and after (`ledgers`).
   */
  private ingestNotices(watched: Set<SubjectId>, before: Map<SubjectId, Standing>, accepted: StoredRecord[], ledgers: Map<string, SubjectLedger | null>, now: number): NoticeDraft[] {
    const acceptedOf = new Map<SubjectId, StoredRecord[]>();
    for (const record of accepted) {
      if (!watched.has(record.subject)) continue;
      const list = acceptedOf.get(record.subject);
      if (list) list.push(record);
      else acceptedOf.set(record.subject, [record]);
    }
    const drafts: NoticeDraft[] = [];
    for (const [sid, mine] of acceptedOf) {
      const ledgerOf = (s: CompiledScheme) => ledgers.get(`${s.key}|${sid}`) ?? emptyLedger(sid, s.key);
      const spans = new Map((this.schemes.length > 0 ? ledgerOf(this.schemes[0]!).spans : []).map((x) => [x.recordId, x] as const));
      const added = mine.map((record) => {
        const span = spans.get(record.id);
        return { record, pending: needsReview(this.catalogue, record), expiresAt: span && span.endReason === 'expiry' ? span.until : null };
      });
      drafts.push(...changeNotices(sid, before.get(sid) ?? this.standing(sid, (s) => emptyLedger(sid, s.key), now), this.standing(sid, ledgerOf, now), added, this.catalogue));
    }
    return drafts;
  }

  // ----------------------------------------------------------------------------------------
  // Annotations (due process: disputes, withdrawals, reviews)

  /**
   * Changes a subject without appending a record: `plan` reads the subject's records (and
   * whatever cases it needs, after the stream position was read) and returns the marks, cases
   * and audit entries to write; the states are recomputed from the marked records under every
   * scheme in force and committed with them, optimistically (a concurrent writer of the subject
   * makes it re-read and re-plan). Expected refusals are thrown by `plan` as errors with codes.
   */
  async annotate<T>(subject: SubjectId, plan: (records: StoredRecord[], now: number) => Promise<AnnotationPlan<T>>): Promise<T & { audit: AuditEntry[] }> {
    for (let attempt = 1; ; attempt++) {
      const now = this.now();
      const expected = (await this.store.streamPositions([subject])).get(subject);
      if (expected === undefined) throw new NotFoundError('SUBJECT_NOT_FOUND', `no records are held about ${subject}`);
      const records = (await this.store.recordsOfSubjects([subject])).get(subject) ?? [];
      const p = await plan(records, now);
      // A plan that found nothing to do (a step already taken by another writer) writes nothing.
      const purge = p.purge && p.purge.records.length + p.purge.cases.length + p.purge.notices.length > 0 ? p.purge : undefined;
      if (p.marks.length === 0 && p.cases.length === 0 && p.audit.length === 0 && (p.notices ?? []).length === 0 && !purge) return { ...p.result, audit: [] };
      const marks = new Map(p.marks.map((m) => [m.recordId, m.mark] as const));
      const gone = new Set(purge?.records ?? []);
      const marked = records.filter((r) => !gone.has(r.id)).map((r) => {
        const m = marks.get(r.id);
        if (!m) return r;
        const out = { ...r } as Record<string, unknown>;
        for (const [k, v] of Object.entries(m)) {
          if (v === null) delete out[k];
          else if (v !== undefined) out[k] = v;
        }
        return out as unknown as StoredRecord;
      });
      const afterLedgers = this.schemes.map((s) => ({ scheme: s, ledger: computeLedger(subject, marked, s, this.catalogue) }));
      const states = afterLedgers.map(({ scheme, ledger }) => toState(ledger, scheme, now));
      // The adverse changes the step causes (a record counting again, a grade falling), and what the step itself tells.
      const drafts = [...(p.notices ?? [])];
      if (p.marks.length > 0) {
        const before = this.standing(subject, (s) => computeLedger(subject, records, s, this.catalogue), now);
        drafts.push(...changeNotices(subject, before, standingOf(subject, afterLedgers, this.catalogue, now), [], this.catalogue));
      }
      const notices = noticeInputs(drafts, now);
      const res = await this.store.annotate({ subject, expected, marks: p.marks, cases: p.cases, states, audit: p.audit, notices, ...(purge ? { purge } : {}) });
      if (!res.stale) {
        if (notices.length > 0) this.onNotices?.();
        return { ...p.result, audit: res.audit };
      }
      if (attempt >= CONFLICT_ROUNDS_MAX) throw new Error(`a change of ${subject} conflicted with concurrent writers ${attempt} times in a row; nothing was written`);
      await sleep(Math.random() * Math.min(2 ** attempt, 200));
    }
  }

  // ----------------------------------------------------------------------------------------
  // Reads

  async subject(id: SubjectId): Promise<Subject> {
    const s = await this.store.getSubject(id);
    if (!s) throw new NotFoundError('SUBJECT_NOT_FOUND', `no records are held about ${id}`);
    return s;
  }

  /**
   * Ledger per scheme, under the versions `schemesAt(at, choose)` picks (or exactly `use`); an
   * unknown subject gets empty ledgers (the default grade).
   */
  async ledgers(id: SubjectId, at = this.now(), choose: readonly string[] = [], use?: CompiledScheme[]): Promise<Map<string, { scheme: CompiledScheme; ledger: SubjectLedger }>> {
    const schemes = use ?? this.schemesAt(at, choose);
    const byScheme = await this.currentLedgers([id], schemes);
    const out = new Map<string, { scheme: CompiledScheme; ledger: SubjectLedger }>();
    for (const s of schemes) out.set(s.scheme.id, { scheme: s, ledger: byScheme.get(s.key)!.get(id) ?? emptyLedger(id, s.key) });
    return out;
  }

  async views(id: SubjectId, at: number, choose: readonly string[] = []): Promise<ScoreView[]> {
    const out: ScoreView[] = [];
    for (const { scheme, ledger } of (await this.ledgers(id, at, choose)).values()) out.push(evaluate(ledger, scheme, at));
    return out;
  }

  async explain(id: SubjectId, at: number, choose: readonly string[] = []) {
    const out = [];
    for (const { scheme, ledger } of (await this.ledgers(id, at, choose)).values()) {
      const view = evaluate(ledger, scheme, at);
      out.push({
        scheme: scheme.key,
        score: view.score,
        grade: view.grade,
        gradeLabel: view.gradeLabel,
        reasons: reasons(view),
        timeline: timeline(ledger, scheme, at, 20),
        nextGrade: nextGrade(ledger, scheme, this.catalogue, at),
      });
    }
    return out;
  }

  /** Records about a subject, each with its status at `at`. */
  async records(id: SubjectId, at: number) {
    const recs = (await this.store.recordsOfSubjects([id])).get(id) ?? [];
    return recs
      .filter((r) => r.recordedAt <= at)
      .map((r) => {
        const span = spanOf(r, this.catalogue);
        const status =
          r.rejectedAt !== undefined && r.rejectedAt <= at
            ? 'rejected'
            : !counts(this.catalogue, r) || (r.approvedAt !== undefined && r.approvedAt > at)
              ? 'pending-review'
              : r.revokedAt !== undefined && r.revokedAt <= at
            ? 'revoked'
            : r.withdrawnAt !== undefined && r.withdrawnAt <= at
              ? 'withdrawn'
              : span && at >= span.until
              ? 'expired'
              : r.disputedAt !== undefined && r.disputedAt <= at && (r.confirmedAt === undefined || r.confirmedAt > at)
                ? 'disputed'
                : 'active';
        const source = this.catalogue.sources.get(r.source);
        const type = this.catalogue.recordTypes.get(r.type);
        return { record: r, status, expiresAt: span?.until ?? null, sourceName: source?.name ?? r.source, typeTitle: type?.title ?? r.type, legalBasis: type?.legalBasis ?? '' };
      });
  }

  /**
   * Score and grade per scheme at each change point up to `at` (the history chart), each
   * evaluated under the version in force at that instant (a publication is a change point of
   * its own, `cause: 'version'`), or under the version named in `choose` throughout.
   */
  async history(id: SubjectId, at: number, choose: readonly string[] = []) {
    const out: { scheme: string; points: { at: number; score: number; grade: string; scheme: string; cause: 'records' | 'version' }[] }[] = [];
    const chosen = new Set(choose);
    for (const current of this.schemesAt(at, choose)) {
      const periods = chosen.has(current.key)
        ? [{ scheme: current, from: Number.NEGATIVE_INFINITY, until: Number.POSITIVE_INFINITY }]
        : this.periodsOf(current.scheme.id).filter((p) => p.from <= at);
      const points: { at: number; score: number; grade: string; scheme: string; cause: 'records' | 'version' }[] = [];
      let last: string | null = null;
      for (const p of periods) {
        const ledger = (await this.ledgers(id, at, [], [p.scheme])).get(p.scheme.scheme.id)!.ledger;
        const times = new Set<number>();
        for (const c of ledger.contributions) { times.add(c.from); times.add(c.until); }
        for (const d of ledger.directGradings) { times.add(d.from); times.add(d.until); }
        if (Number.isFinite(p.from)) times.add(p.from);
        for (const t of [...times].filter((t) => t >= p.from && t < p.until && t <= at).sort((a, b) => a - b)) {
          const v = evaluate(ledger, p.scheme, t);
          const sig = `${v.score}|${v.grade}`;
          if (sig !== last) points.push({ at: t, score: v.score, grade: v.grade, scheme: p.scheme.key, cause: t === p.from ? 'version' : 'records' });
          last = sig;
        }
      }
      out.push({ scheme: current.key, points });
    }
    return out;
  }

  /** The facts decisions need about these subjects, from materialised state only. */
  async decisionFactsFor(subjects: SubjectId[], at: number, choose: readonly string[] = []): Promise<DecisionFacts[]> {
    const schemes = this.schemesAt(at, choose);
    const byScheme = await this.currentLedgers(subjects, schemes);
    return subjects.map((subject) => {
      const views = new Map<string, ScoreView>();
      let spans: SubjectLedger['spans'] = [];
      let known = false;
      for (const s of schemes) {
        const held = byScheme.get(s.key)!.get(subject);
        known ||= held !== undefined;
        const ledger = held ?? emptyLedger(subject, s.key);
        views.set(s.scheme.id, evaluate(ledger, s, at, { detail: false }));
        if (spans.length === 0) spans = ledger.spans;
      }
      const disputed = new Set(spans.filter((x) => x.disputed).map((x) => x.recordId));
      return { subject, known, views, spans, disputed };
    });
  }

  async decisionFacts(id: SubjectId, at: number, choose: readonly string[] = []): Promise<DecisionFacts> {
    return (await this.decisionFactsFor([id], at, choose))[0]!;
  }

  measure(id: string) {
    const m = this.catalogue.measures.get(id);
    if (!m) throw new NotFoundError('MEASURE_NOT_FOUND', `no measure "${id}" in the catalogue`);
    return m;
  }

  async decide(subject: SubjectId, measureId: string, at: number, who: Asker, choose: readonly string[] = []): Promise<Decision & { decisionId: number }> {
    return (await this.decideBatch([subject], measureId, at, who, choose))[0]!;
  }

  /**
   * Decisions for many subjects (a whole train), each logged with provider, purpose and
   * outcome, and with what reproduces it (`asOf`, the scheme versions, the catalogue version):
   * the entry's seq is the decision's id (`decisionId`), which `replayDecision` takes.
   */
  async decideBatch(subjects: SubjectId[], measureId: string, at: number, who: Asker, choose: readonly string[] = []): Promise<(Decision & { decisionId: number })[]> {
    const measure = this.measure(measureId);
    const decisions = (await this.decisionFactsFor(subjects, at, choose)).map((f) => decide(f, measure, at));
    const now = this.now();
    const schemes = this.schemesAt(at, choose).map((s) => s.key);
    // Who asked is named in the entry itself (provider id and registered name, the consent
    // used), so the query log reads "Railway bureau", not a key id, even after a key rotates.
    const asker = {
      ...(who.provider ? { provider: who.provider.id, providerName: who.provider.name } : {}),
      ...(who.consent ? { consent: who.consent } : {}),
      ...(who.reason ? { reason: who.reason } : {}),
    };
    const entries = await this.store.appendAudit(decisions.map((d) => ({ at: now, actor: who.actor, action: 'decision', subject: d.subject, detail: { measure: measureId, purpose: who.purpose, outcome: d.outcome, reasons: d.reasons.map((r) => r.code), asOf: at, schemes, catalogue: this.catalogue.version, ...asker } })));
    return decisions.map((d, i) => ({ ...d, decisionId: entries[i]!.seq }));
  }

  /**
   * Takes the decision logged as audit entry `decisionId` again, from what the entry names:
   * the subject, measure, `asOf` and scheme versions (an entry from before these were logged:
   * its own time and the versions in force then). Logs the replay as a read of the subject.
   */
  async replayDecision(decisionId: number, who: { actor: string; reason?: string }) {
    const entry = Number.isSafeInteger(decisionId) && decisionId > 0 ? (await this.store.readAudit(decisionId - 1, 1))[0] : undefined;
    if (!entry || entry.seq !== decisionId || entry.action !== 'decision' || !entry.subject) {
      throw new NotFoundError('DECISION_NOT_FOUND', `audit entry ${decisionId} is not a logged decision`);
    }
    const d = entry.detail as { measure: string; purpose: string; outcome: string; reasons: string[]; asOf?: number; schemes?: string[]; catalogue?: string };
    const assumed = d.asOf === undefined || d.schemes === undefined;
    const asOf = d.asOf ?? entry.at;
    const schemes = d.schemes ?? this.schemesAt(asOf).map((s) => s.key);
    const facts = await this.decisionFactsFor([entry.subject], asOf, schemes);
    const again = decide(facts[0]!, this.measure(d.measure), asOf);
    const reasons = again.reasons.map((r) => r.code);
    const same = again.outcome === d.outcome && JSON.stringify(reasons) === JSON.stringify(d.reasons);
    await this.store.appendAudit([{ at: this.now(), actor: who.actor, action: 'decision.replay', subject: entry.subject, detail: { decision: decisionId, same, ...(who.reason ? { reason: who.reason } : {}) } }]);
    return {
      decisionId,
      subject: entry.subject,
      measure: d.measure,
      purpose: d.purpose,
      decidedAt: entry.at,
      asOf,
      schemes,
      /** True when asOf and the versions were not logged (an entry from an earlier release) and were inferred. */
      assumed,
      catalogue: { logged: d.catalogue ?? null, now: this.catalogue.version },
      logged: { outcome: d.outcome, reasons: d.reasons },
      replayed: again,
      same,
    };
  }

  /** Everything held about one subject (GDPR Art. 15 style export). */
  async export(id: SubjectId, at: number, choose: readonly string[] = []) {
    const subject = await this.subject(id);
    const records = await this.records(id, Number.MAX_SAFE_INTEGER);
    const views = await this.views(id, at, choose);
    const states = await this.store.getStates(id);
    const queries = await this.store.auditOfSubject(id, 10_000);
    const notices = await this.store.listNotices({ subject: id, recipient: 'subject' }, 0, 10_000);
    return {
      exportedAt: iso(at),
      subject,
      records: records.map((r) => ({ ...r.record, occurredAt: iso(r.record.occurredAt), recordedAt: iso(r.record.recordedAt), status: r.status, expiresAt: r.expiresAt === null ? null : iso(r.expiresAt), source: r.record.source, sourceName: r.sourceName, legalBasis: r.legalBasis })),
      scores: views.map((v) => ({ scheme: v.scheme, score: v.score, grade: v.grade, lists: v.lists })),
      ledgers: states.map((s) => ({ scheme: s.scheme, contributions: s.ledger.contributions, directGradings: s.ledger.directGradings, warnings: s.ledger.warnings })),
      queries: queries.map((q) => ({ at: iso(q.at), actor: q.actor, action: q.action, detail: q.detail })),
      notices: notices.map(noticeView),
    };
  }

  /**
   * Every subject's ledger under `schemes`, a page of subjects at a time (subjects with no
   * record of a scheme get the empty ledger): for reports that read the whole population.
   */
  async *allLedgers(schemes: CompiledScheme[], pageSize = 1000): AsyncGenerator<{ scheme: CompiledScheme; ledger: SubjectLedger }[]> {
    for (let after: SubjectId | null = null; ;) {
      const ids = await this.store.listSubjectIds(after, pageSize);
      if (ids.length === 0) return;
      after = ids[ids.length - 1]!;
      const byScheme = await this.currentLedgers(ids, schemes);
      yield schemes.flatMap((s) => ids.map((id) => ({ scheme: s, ledger: byScheme.get(s.key)!.get(id) ?? emptyLedger(id, s.key) })));
      if (ids.length < pageSize) return;
    }
  }

  /** Entries of a list at `at`, across subjects (scans materialised states). */
  async listEntries(list: string, at: number, limit = 1000, choose: readonly string[] = []) {
    if (!this.catalogue.lists.has(list)) throw new NotFoundError('LIST_NOT_FOUND', `no list "${list}" in the catalogue`);
    const entries: { subject: SubjectId; from: number; until: number | null; cause: string; legalBasis: string }[] = [];
    const seen = new Set<string>();
    let after: SubjectId | null = null;
    for (;;) {
      const ids = await this.store.listSubjectIds(after, 1000);
      if (ids.length === 0) break;
      after = ids[ids.length - 1]!;
      const schemes = this.schemesAt(at, choose);
      const byScheme = await this.currentLedgers(ids, schemes);
      for (const s of schemes) {
        for (const ledger of byScheme.get(s.key)!.values()) {
          const v = evaluate(ledger, s, at);
          for (const e of v.lists) {
            const key = `${e.subject}|${e.cause}`;
            if (e.list !== list || seen.has(key)) continue;
            seen.add(key);
            entries.push({ subject: e.subject, from: e.from, until: e.until, cause: e.cause, legalBasis: e.legalBasis });
          }
        }
      }
      if (entries.length >= limit) break;
    }
    return entries.slice(0, limit);
  }

  /**
   * A list as the public sees it (src/domain/publication.ts): null when the list is not
   * public; else its entries masked and shortened, a red list's only for subjects who
   * consented. `consent` answers who did (Consents.publicationConsent; by default nobody).
   * The HTTP public route and `credence lists show --public` both read this.
   */
  async publicListEntries(list: string, at: number, limit = 1000, choose: readonly string[] = [], consent: PublicationConsent = noConsentRecorded) {
    const entries = await this.listEntries(list, at, limit, choose);
    const def = this.catalogue.lists.get(list)!;
    const ids = entries.map((e) => e.subject);
    const [subjects, consented] = await Promise.all([this.store.getSubjects(ids), needsConsent(def) ? consent(list, ids) : new Set<SubjectId>()]);
    return { def, held: entries.length, published: publishEntries(def, entries, subjects, consented) };
  }

  /**
   * The ledger of each stored subject under each scheme (by scheme key, subjects in the order
   * of `ids`): its current state's, or, where the state is missing or behind the subject's
   * stream, computed from the records (read once for all such subjects). Subjects with no
   * records are absent. Every read of ledgers goes through here, so a stale state is never used.
   */
  private async currentLedgers(ids: SubjectId[], schemes: CompiledScheme[]): Promise<Map<string, Map<SubjectId, SubjectLedger>>> {
    const states = new Map<string, Map<SubjectId, SubjectState>>();
    for (const s of schemes) states.set(s.key, await this.store.getStatesFor(ids, s.key));
    const missing = ids.filter((id) => schemes.some((s) => !states.get(s.key)!.has(id)));
    const records = missing.length > 0 ? await this.store.recordsOfSubjects(missing) : new Map<SubjectId, StoredRecord[]>();
    const out = new Map<string, Map<SubjectId, SubjectLedger>>();
    for (const s of schemes) {
      const ledgers = new Map<SubjectId, SubjectLedger>();
      for (const id of ids) {
        const st = states.get(s.key)!.get(id);
        const recs = records.get(id);
        if (st) ledgers.set(id, st.ledger);
        else if (recs !== undefined && recs.length > 0) ledgers.set(id, computeLedger(id, recs, s, this.catalogue));
      }
      out.set(s.key, ledgers);
    }
    return out;
  }

  /** Re-evaluates snapshots whose validity has passed (expiries since the last write). */
  async refreshStale(at: number): Promise<number> {
    let n = 0;
    for (const s of this.schemes) {
      for (;;) {
        const ids = await this.store.staleStates(s.key, at, 1000);
        if (ids.length === 0) break;
        const states = await this.store.getStatesFor(ids, s.key);
        // A state behind its subject's stream is not returned: rebuild those from the records.
        const behind = ids.filter((id) => !states.has(id));
        await this.store.putStates([...states.values()].map((st) => ({ ...toState(st.ledger, s, at), position: st.position })));
        if (behind.length > 0) await this.rebuildStates(behind, s, at);
        n += ids.length;
        if (ids.length < 1000) break;
      }
    }
    return n;
  }

  /**
   * Compares every materialised state (or an evenly spread sample of `sample` subjects) with
   * a rebuild from the records, under every scheme in force: score, grade and list entries
   * at `at`. A subject whose state is behind its stream is counted, not a difference (reads
   * recompute it; `credence init` after an upgrade rebuilds it).
   */
  async checkStates(at: number, opts: { sample?: number; onProgress?: (subjects: number) => void } = {}) {
    const total = await this.store.countSubjects();
    const step = opts.sample !== undefined && opts.sample > 0 && opts.sample < total ? total / opts.sample : 1;
    const differing: { subject: SubjectId; scheme: string; held: { score: number; grade: string; lists: string[] }; rebuilt: { score: number; grade: string; lists: string[] } }[] = [];
    let checked = 0;
    let behind = 0;
    let index = 0;
    let nextPick = 0;
    const summary = (v: ScoreView) => ({ score: v.score, grade: v.grade, lists: v.lists.map((e) => `${e.list}:${e.cause}:${e.from}:${e.until}`).sort() });
    for (let after: SubjectId | null = null; ; ) {
      const page = await this.store.listSubjectIds(after, 2000);
      if (page.length === 0) break;
      after = page[page.length - 1]!;
      const ids: SubjectId[] = [];
      for (const id of page) {
        if (index++ >= nextPick) {
          ids.push(id);
          nextPick += step;
        }
      }
      if (ids.length === 0) continue;
      const records = await this.store.recordsOfSubjects(ids);
      for (const s of this.schemes) {
        const states = await this.store.getStatesFor(ids, s.key);
        for (const id of ids) {
          const st = states.get(id);
          if (!st) {
            behind++;
            continue;
          }
          const held = summary(evaluate(st.ledger, s, at));
          const rebuilt = summary(evaluate(computeLedger(id, records.get(id) ?? [], s, this.catalogue), s, at));
          if (JSON.stringify(held) !== JSON.stringify(rebuilt)) differing.push({ subject: id, scheme: s.key, held, rebuilt });
        }
      }
      checked += ids.length;
      opts.onProgress?.(checked);
    }
    return { at: iso(at), schemes: this.schemes.map((s) => s.key), subjects: total, checked, behind, differing };
  }

  /**
   * Rebuilds, under every scheme in force, the states of stored subjects that have none at
   * their current stream position (after an upgrade from a schema without positions, whose
   * states are not trusted; or a writer that did not know a scheme version). Returns how many
   * states it rebuilt. Reads every subject's state once: for upgrades, not for every start.
   */
  async catchUpStates(at: number, onProgress?: (subjects: number) => void): Promise<number> {
    let rebuilt = 0;
    let seen = 0;
    for (let after: SubjectId | null = null; ; ) {
      const ids = await this.store.listSubjectIds(after, 2000);
      if (ids.length === 0) break;
      after = ids[ids.length - 1]!;
      for (const s of this.schemes) {
        const current = await this.store.getStatesFor(ids, s.key);
        const behind = ids.filter((id) => !current.has(id));
        if (behind.length > 0) await this.rebuildStates(behind, s, at);
        rebuilt += behind.length;
      }
      seen += ids.length;
      onProgress?.(seen);
    }
    return rebuilt;
  }

  /**
   * Recomputes the subjects' states under `scheme` from their records and stores them. Reads
   * positions before records, so a write landing in between makes putStates skip that subject,
   * which is then read again (a few rounds at most: each round needs a new concurrent write).
   */
  private async rebuildStates(ids: SubjectId[], scheme: CompiledScheme, at: number, onState?: (st: SubjectState) => void): Promise<void> {
    let todo = ids;
    for (let round = 1; todo.length > 0; round++) {
      const positions = await this.store.streamPositions(todo);
      const recs = await this.store.recordsOfSubjects(todo);
      const next = todo.filter((id) => positions.has(id)).map((id) => ({ ...toState(computeLedger(id, recs.get(id) ?? [], scheme, this.catalogue), scheme, at), position: positions.get(id)! }));
      const { skipped } = await this.store.putStates(next);
      const skippedSet = new Set(skipped);
      if (onState) for (const st of next) if (!skippedSet.has(st.subject)) onState(st);
      todo = skipped;
      if (round >= CONFLICT_ROUNDS_MAX && todo.length > 0) throw new Error(`states of ${todo.length} subject(s) kept moving while being rebuilt under ${scheme.key}: ${todo.slice(0, 5).join(', ')}`);
    }
  }

  async stats(at: number) {
    await this.refreshStale(at);
    const grades: Record<string, Record<string, number>> = {};
    for (const s of this.schemes) {
      const dist = await this.store.gradeDistribution(s.key);
      const subjects = await this.store.countSubjects();
      const counted = Object.values(dist).reduce((a, b) => a + b, 0);
      // Subjects without a state for this scheme hold the default grade.
      if (subjects > counted) dist[s.scheme.defaultGrade] = (dist[s.scheme.defaultGrade] ?? 0) + subjects - counted;
      const ordered: Record<string, number> = {};
      for (const b of s.scheme.bands) ordered[b.grade] = dist[b.grade] ?? 0;
      grades[s.key] = ordered;
    }
    return { subjects: await this.store.countSubjects(), records: await this.store.countRecords(), grades };
  }

  /**
   * Rebuilds every subject's state under `scheme` from the records. With `dryRun` nothing is
   * written; the grade migration matrix (current grade -> new grade) is returned either way.
   */
  async rescore(scheme: CompiledScheme, opts: { dryRun: boolean; at: number; compareWith?: CompiledScheme; onProgress?: (n: number) => void }) {
    const matrix: Record<string, Record<string, number>> = {};
    const against = opts.compareWith ?? this.schemes.find((s) => s.scheme.id === scheme.scheme.id) ?? scheme;
    let after: SubjectId | null = null;
    let subjects = 0;
    for (;;) {
      const ids = await this.store.listSubjectIds(after, 2000);
      if (ids.length === 0) break;
      after = ids[ids.length - 1]!;
      const current = await this.store.getStatesFor(ids, against.key);
      const recs = await this.store.recordsOfSubjects(ids);
      const count = (st: Omit<SubjectState, 'position'>) => {
        const curLedger = current.get(st.subject)?.ledger ?? computeLedger(st.subject, recs.get(st.subject) ?? [], against, this.catalogue);
        const from = evaluate(curLedger, against, opts.at).grade;
        (matrix[from] ??= {})[st.grade] = (matrix[from]![st.grade] ?? 0) + 1;
      };
      if (opts.dryRun) {
        for (const id of ids) count(toState(computeLedger(id, recs.get(id) ?? [], scheme, this.catalogue), scheme, opts.at));
      } else {
        await this.rebuildStates(ids, scheme, opts.at, count);
      }
      subjects += ids.length;
      opts.onProgress?.(subjects);
    }
    if (!opts.dryRun) {
      await this.store.appendAudit([{ at: this.now(), actor: 'system', action: 'scheme.rescore', detail: { scheme: scheme.key, subjects } }]);
    }
    return { scheme: scheme.key, from: against.key, subjects, matrix };
  }

  /**
   * Verifies the audit log end to end: every entry's hash and link, and that every stored
   * record is covered by the ingest entry of the write that stored it (an entry's `accepted`
   * count, less what `records.purge` entries say was deleted of it under retention, equals the
   * records linked to it). A record written behind the log's back, or one removed without a
   * purge entry, breaks coverage.
   */
  async verifyAudit(pageSize = 5000) {
    let state: { seq: number; hash: string } | undefined;
    let total = 0;
    let after = 0;
    const ingests = new Map<number, number>(); // audit seq -> records it says it stored
    for (;;) {
      const page = await this.store.readAudit(after, pageSize);
      if (page.length === 0) break;
      const v = verifyChain(page, state);
      if (!v.ok) return { ok: false as const, code: 'AUDIT_CHAIN_BROKEN' as const, count: total + v.count, brokenAt: v.brokenAt, reason: v.reason };
      for (const e of page) {
        if (e.action === 'records.ingest' && typeof e.detail.accepted === 'number') ingests.set(e.seq, e.detail.accepted);
        // Records deleted under retention leave their ingest entry: it covers those still stored.
        if (e.action === 'records.purge' && e.detail.byEntry && typeof e.detail.byEntry === 'object') {
          for (const [seq, n] of Object.entries(e.detail.byEntry as Record<string, unknown>)) {
            const k = Number(seq);
            if (typeof n === 'number' && ingests.has(k)) ingests.set(k, ingests.get(k)! - n);
          }
        }
      }
      total += v.count;
      state = v.state;
      after = page[page.length - 1]!.seq;
    }
    const head = await this.store.auditHead();
    if (head && state && head.seq !== state.seq) return { ok: false as const, code: 'AUDIT_CHAIN_BROKEN' as const, count: total, brokenAt: state.seq + 1, reason: 'entries after the verified ones are unreadable' };

    const linked = new Map<number, number>();
    const uncovered: string[] = [];
    let uncoveredCount = 0;
    let records = 0;
    for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
      const page: { rows: import('../ports/store.ts').RecordCoverage[]; next: string | null } = await this.store.recordCoverage(cursor, pageSize);
      for (const r of page.rows) {
        records++;
        if (r.auditSeq === null || !ingests.has(r.auditSeq)) {
          uncoveredCount++;
          if (uncovered.length < 10) uncovered.push(r.id);
        } else linked.set(r.auditSeq, (linked.get(r.auditSeq) ?? 0) + 1);
      }
      cursor = page.next;
    }
    const miscounted = [...ingests].filter(([seq, n]) => (linked.get(seq) ?? 0) !== n).map(([seq, n]) => ({ entry: seq, says: n, found: linked.get(seq) ?? 0 }));
    if (uncoveredCount > 0 || miscounted.length > 0) {
      const parts: string[] = [];
      if (uncoveredCount > 0) parts.push(`${uncoveredCount} stored record(s) are covered by no ingest entry (${uncovered.join(', ')}${uncoveredCount > uncovered.length ? ', ...' : ''})`);
      if (miscounted.length > 0) parts.push(`${miscounted.length} ingest entr${miscounted.length === 1 ? 'y names' : 'ies name'} another number of records than are stored under it (entry ${miscounted[0]!.entry}: says ${miscounted[0]!.says}, found ${miscounted[0]!.found})`);
      return { ok: false as const, code: 'AUDIT_COVERAGE_BROKEN' as const, count: total, records, reason: parts.join('; '), uncovered, miscounted: miscounted.slice(0, 10) };
    }
    return { ok: true as const, count: total, records, head: state?.hash ?? null };
  }
}

export type { AuditEntryInput, RecordInput };
export { chainEntries };
