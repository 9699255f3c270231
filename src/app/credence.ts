// The use cases, over the store port: ingest records, read subjects (views, explanations,
// history, export), decide, lists, stats, rescore. Transport layers (CLI, HTTP, bus worker)
// call these; they never touch the store or the domain scoring directly.
import { createHash } from 'node:crypto';
import { chainEntries, verifyChain, type AuditEntryInput } from '../domain/audit-chain.ts';
import { decide, type Decision, type DecisionFacts } from '../domain/decide.ts';
import { iso } from '../domain/duration.ts';
import { nextGrade, reasons, timeline } from '../domain/explain.ts';
import { compileScheme, type CompiledScheme } from '../domain/scheme-compile.ts';
import { applyRecord, canAppend, computeLedger, emptyLedger, evaluate, spanOf } from '../domain/scoring.ts';
import type { Catalogue, RecordInput, Scheme, ScoreView, StoredRecord, Subject, SubjectId, SubjectLedger } from '../domain/types.ts';
import type { Store, SubjectState } from '../ports/store.ts';
import { Mutex } from './mutex.ts';
import { RecordValidator, type RecordProblem } from './validate-record.ts';

export type RecordResult =
  | { index: number; status: 'accepted'; id: string }
  | { index: number; status: 'duplicate'; id: string }
  | { index: number; status: 'rejected'; code: string; path: string; message: string };

export interface IngestSummary {
  results: RecordResult[];
  accepted: number;
  duplicates: number;
  rejected: number;
}

export class NotFoundError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface CredenceOptions {
  store: Store;
  catalogue: Catalogue;
  schemes: CompiledScheme[];
  now: () => number;
  legacyCodes?: readonly string[];
}

/** Provisional seqs of records not yet committed start here (above any real seq, below 2^53). */
const PROVISIONAL_SEQ_BASE = 2 ** 52;

const toState = (ledger: SubjectLedger, scheme: CompiledScheme, at: number): SubjectState => {
  const view = evaluate(ledger, scheme, at);
  return { subject: ledger.subject, scheme: scheme.key, ledger, score: view.score, grade: view.grade, computedAt: at, validUntil: view.nextChangeAt };
};

export class Credence {
  readonly store: Store;
  readonly catalogue: Catalogue;
  /** Published scheme versions in force (latest published version of each scheme id). */
  readonly schemes: CompiledScheme[];
  readonly now: () => number;
  private readonly validator: RecordValidator;
  private readonly ingestLock = new Mutex();

  constructor(o: CredenceOptions) {
    this.store = o.store;
    this.catalogue = o.catalogue;
    this.schemes = o.schemes;
    this.now = o.now;
    this.validator = new RecordValidator(o.catalogue, o.legacyCodes ?? []);
  }

  /** Opens the use cases on a store that `init` has filled (catalogue and schemes). */
  static async open(store: Store, o: { now: () => number; legacyCodes?: readonly string[] }): Promise<Credence> {
    const catalogue = await store.loadCatalogue();
    if (!catalogue) throw new NotFoundError('STORE_NOT_INITIALISED', 'the database holds no catalogue: run `credence init` first');
    const rows = await store.listSchemes();
    const latest = new Map<string, Scheme>();
    for (const row of rows) if (row.publishedAt !== null && row.scheme.status === 'published') latest.set(row.scheme.id, row.scheme);
    const schemes: CompiledScheme[] = [];
    for (const s of latest.values()) {
      const { compiled, problems } = compileScheme(s, catalogue);
      if (!compiled) throw new Error(`stored scheme ${s.id}@${s.version} no longer compiles: ${problems[0]?.message}`);
      schemes.push(compiled);
    }
    return new Credence({ store, catalogue, schemes, now: o.now, legacyCodes: o.legacyCodes });
  }

  scheme(idOrKey: string): CompiledScheme | undefined {
    return this.schemes.find((s) => s.key === idOrKey || s.scheme.id === idOrKey);
  }

  // ----------------------------------------------------------------------------------------
  // Ingest

  /**
   * Validates and appends a batch. Good records are kept whatever happens to bad ones; a
   * record already held (same source and source record id) is a duplicate and returns the
   * original's id. The batch commits atomically and durably before this resolves.
   */
  async ingest(raw: unknown[], actor = 'system'): Promise<IngestSummary> {
    return this.ingestLock.run(async () => {
      for (let attempt = 0; ; attempt++) {
        const out = await this.tryIngest(raw, actor);
        if (out) return out;
        if (attempt >= 3) throw new Error('ingest kept conflicting with concurrent writers');
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

  private async tryIngest(raw: unknown[], actor: string): Promise<IngestSummary | null> {
    const now = this.now();
    const results: RecordResult[] = new Array(raw.length);
    const valid: { index: number; id: string; v: import('./validate-record.ts').ValidRecord }[] = [];
    const seenInBatch = new Set<string>();
    raw.forEach((item, index) => {
      const res = this.validator.validate(item, now);
      if (!res.ok) {
        results[index] = { index, status: 'rejected', ...res.problem };
        return;
      }
      const id = `${res.record.input.source}/${res.record.input.sourceRecordId}`;
      if (seenInBatch.has(id)) {
        results[index] = { index, status: 'duplicate', id };
        return;
      }
      seenInBatch.add(id);
      valid.push({ index, id, v: res.record });
    });
    const existing = await this.store.existingRecordIds(valid.map((x) => x.id));
    const fresh = valid.filter((x) => {
      if (existing.has(x.id)) {
        results[x.index] = { index: x.index, status: 'duplicate', id: x.id };
        return false;
      }
      return true;
    });

    const subjectIds = [...new Set(fresh.map((x) => x.v.subject))];
    const known = await this.store.getSubjects(subjectIds);
    const statesByScheme = new Map<string, Map<SubjectId, SubjectState>>();
    for (const s of this.schemes) statesByScheme.set(s.key, await this.store.getStatesFor(subjectIds, s.key));

    // Revocation targets: in the store or earlier in this batch.
    const revokeTargets = fresh.filter((x) => x.v.input.revokes).map((x) => `${x.v.input.source}/${x.v.input.revokes}`);
    const targetRecords = new Map<string, StoredRecord>();
    for (const id of new Set(revokeTargets)) {
      const rec = await this.store.getRecord(id);
      if (rec) targetRecords.set(id, rec);
    }

    const recordsCache = new Map<SubjectId, StoredRecord[]>();
    const needRecords = new Set<SubjectId>();
    // First pass: decide which subjects need their records (cannot append in order).
    const ledgers = new Map<string, SubjectLedger | null>(); // `${scheme}|${subject}`
    for (const s of this.schemes) {
      for (const sid of subjectIds) {
        const st = statesByScheme.get(s.key)!.get(sid);
        ledgers.set(`${s.key}|${sid}`, st ? st.ledger : known.has(sid) ? null : emptyLedger(sid, s.key));
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
        id: x.id,
        // Provisional, until the store assigns the real one: above every stored seq and in
        // arrival order, as the real ones will be, so that scoring orders ties on occurredAt
        // (by seq) the same way now as a later rescore from the stored records does.
        seq: PROVISIONAL_SEQ_BASE + newRecords.length,
        source: input.source,
        sourceRecordId: input.sourceRecordId,
        subject: x.v.subject,
        type: input.type,
        occurredAt: x.v.occurredAt,
        recordedAt: now,
        payload: input.payload ?? {},
        evidence: input.evidence ?? [],
        ...(input.revokes ? { revokes: `${input.source}/${input.revokes}` } : {}),
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
    if (needRecords.size > 0) {
      const revokedNow = new Map(revocations.map((v) => [v.recordId, v] as const));
      const loaded = await this.store.recordsOfSubjects([...needRecords]);
      for (const [sid, recs] of loaded) {
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
    const states: SubjectState[] = [];
    const touched = new Set(accepted.map((a) => a.record.subject));
    for (const s of this.schemes) {
      for (const sid of touched) {
        const ledger = ledgers.get(`${s.key}|${sid}`);
        if (ledger) states.push(toState(ledger, s, now));
      }
    }
    const subjects: Subject[] = [];
    const firstOf = new Map<string, (typeof fresh)[number]>();
    for (const x of fresh) if (!firstOf.has(x.v.subject)) firstOf.set(x.v.subject, x);
    for (const sid of touched) {
      if (known.has(sid)) continue;
      const first = firstOf.get(sid)!;
      subjects.push({ id: sid, kind: first.v.subjectKind, idScheme: first.v.idScheme, ...(first.v.input.subjectName ? { displayName: first.v.input.subjectName } : {}), createdAt: now });
    }
    if (newRecords.length > 0) {
      const res = await this.store.commit({ records: newRecords.map(({ seq: _seq, ...r }) => r), revocations, subjects, states });
      if (res.conflicts.length > 0) return null; // a concurrent writer took some ids: redo the batch
      const digest = createHash('sha256').update(newRecords.map((r) => r.id).join('\n')).digest('hex');
      await this.store.appendAudit([{ at: now, actor, action: 'records.ingest', detail: { accepted: newRecords.length, first: newRecords[0]!.id, last: newRecords[newRecords.length - 1]!.id, idsSha256: digest } }]);
    }
    for (const { index, record } of accepted) results[index] = { index, status: 'accepted', id: record.id };
    let a = 0, d = 0, rj = 0;
    for (const r of results) r.status === 'accepted' ? a++ : r.status === 'duplicate' ? d++ : rj++;
    return { results, accepted: a, duplicates: d, rejected: rj };
  }

  // ----------------------------------------------------------------------------------------
  // Reads

  async subject(id: SubjectId): Promise<Subject> {
    const s = await this.store.getSubject(id);
    if (!s) throw new NotFoundError('SUBJECT_NOT_FOUND', `no records are held about ${id}`);
    return s;
  }

  /** Ledger per scheme in force; an unknown subject gets empty ledgers (the default grade). */
  async ledgers(id: SubjectId): Promise<Map<string, { scheme: CompiledScheme; ledger: SubjectLedger }>> {
    const states = await this.store.getStates(id);
    const out = new Map<string, { scheme: CompiledScheme; ledger: SubjectLedger }>();
    let records: StoredRecord[] | null = null;
    for (const s of this.schemes) {
      const st = states.find((x) => x.scheme === s.key);
      let ledger = st?.ledger;
      if (!ledger) {
        records ??= (await this.store.recordsOfSubjects([id])).get(id) ?? [];
        ledger = computeLedger(id, records, s, this.catalogue);
      }
      out.set(s.scheme.id, { scheme: s, ledger });
    }
    return out;
  }

  async views(id: SubjectId, at: number): Promise<ScoreView[]> {
    const out: ScoreView[] = [];
    for (const { scheme, ledger } of (await this.ledgers(id)).values()) out.push(evaluate(ledger, scheme, at));
    return out;
  }

  async explain(id: SubjectId, at: number) {
    const out = [];
    for (const { scheme, ledger } of (await this.ledgers(id)).values()) {
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
          r.revokedAt !== undefined && r.revokedAt <= at
            ? 'revoked'
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

  /** Score and grade per scheme at each change point up to `at` (the history chart). */
  async history(id: SubjectId, at: number) {
    const out: { scheme: string; points: { at: number; score: number; grade: string }[] }[] = [];
    for (const { scheme, ledger } of (await this.ledgers(id)).values()) {
      const times = new Set<number>();
      for (const c of ledger.contributions) { times.add(c.from); times.add(c.until); }
      for (const d of ledger.directGradings) { times.add(d.from); times.add(d.until); }
      const points: { at: number; score: number; grade: string }[] = [];
      let last: string | null = null;
      for (const t of [...times].filter((t) => t <= at).sort((a, b) => a - b)) {
        const v = evaluate(ledger, scheme, t);
        const sig = `${v.score}|${v.grade}`;
        if (sig !== last) points.push({ at: t, score: v.score, grade: v.grade });
        last = sig;
      }
      out.push({ scheme: scheme.key, points });
    }
    return out;
  }

  /** The facts decisions need about these subjects, from materialised state only. */
  async decisionFactsFor(subjects: SubjectId[], at: number): Promise<DecisionFacts[]> {
    const statesBy = new Map<string, Map<SubjectId, SubjectState>>();
    for (const s of this.schemes) statesBy.set(s.key, await this.store.getStatesFor(subjects, s.key));
    return subjects.map((subject) => {
      const views = new Map<string, ScoreView>();
      let spans: SubjectLedger['spans'] = [];
      let known = false;
      for (const s of this.schemes) {
        const st = statesBy.get(s.key)!.get(subject);
        known ||= !!st;
        const ledger = st?.ledger ?? emptyLedger(subject, s.key);
        views.set(s.scheme.id, evaluate(ledger, s, at, { detail: false }));
        if (spans.length === 0) spans = ledger.spans;
      }
      const disputed = new Set(spans.filter((x) => x.disputed).map((x) => x.recordId));
      return { subject, known, views, spans, disputed };
    });
  }

  async decisionFacts(id: SubjectId, at: number): Promise<DecisionFacts> {
    return (await this.decisionFactsFor([id], at))[0]!;
  }

  measure(id: string) {
    const m = this.catalogue.measures.get(id);
    if (!m) throw new NotFoundError('MEASURE_NOT_FOUND', `no measure "${id}" in the catalogue`);
    return m;
  }

  async decide(subject: SubjectId, measureId: string, at: number, who: { actor: string; purpose: string }): Promise<Decision> {
    return (await this.decideBatch([subject], measureId, at, who))[0]!;
  }

  /** Decisions for many subjects (a whole train), each logged with provider, purpose and outcome. */
  async decideBatch(subjects: SubjectId[], measureId: string, at: number, who: { actor: string; purpose: string }): Promise<Decision[]> {
    const measure = this.measure(measureId);
    const decisions = (await this.decisionFactsFor(subjects, at)).map((f) => decide(f, measure, at));
    const now = this.now();
    await this.store.appendAudit(decisions.map((d) => ({ at: now, actor: who.actor, action: 'decision', subject: d.subject, detail: { measure: measureId, purpose: who.purpose, outcome: d.outcome, reasons: d.reasons.map((r) => r.code) } })));
    return decisions;
  }

  /** Everything held about one subject (GDPR Art. 15 style export). */
  async export(id: SubjectId, at: number) {
    const subject = await this.subject(id);
    const records = await this.records(id, Number.MAX_SAFE_INTEGER);
    const views = await this.views(id, at);
    const states = await this.store.getStates(id);
    const queries = await this.store.auditOfSubject(id, 10_000);
    return {
      exportedAt: iso(at),
      subject,
      records: records.map((r) => ({ ...r.record, occurredAt: iso(r.record.occurredAt), recordedAt: iso(r.record.recordedAt), status: r.status, expiresAt: r.expiresAt === null ? null : iso(r.expiresAt), source: r.record.source, sourceName: r.sourceName, legalBasis: r.legalBasis })),
      scores: views.map((v) => ({ scheme: v.scheme, score: v.score, grade: v.grade, lists: v.lists })),
      ledgers: states.map((s) => ({ scheme: s.scheme, contributions: s.ledger.contributions, directGradings: s.ledger.directGradings, warnings: s.ledger.warnings })),
      queries: queries.map((q) => ({ at: iso(q.at), actor: q.actor, action: q.action, detail: q.detail })),
    };
  }

  /** Entries of a list at `at`, across subjects (scans materialised states). */
  async listEntries(list: string, at: number, limit = 1000) {
    if (!this.catalogue.lists.has(list)) throw new NotFoundError('LIST_NOT_FOUND', `no list "${list}" in the catalogue`);
    const entries: { subject: SubjectId; from: number; until: number | null; cause: string; legalBasis: string }[] = [];
    const seen = new Set<string>();
    let after: SubjectId | null = null;
    for (;;) {
      const ids = await this.store.listSubjectIds(after, 1000);
      if (ids.length === 0) break;
      after = ids[ids.length - 1]!;
      for (const s of this.schemes) {
        const states = await this.store.getStatesFor(ids, s.key);
        for (const st of states.values()) {
          const v = evaluate(st.ledger, s, at);
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

  /** Re-evaluates snapshots whose validity has passed (expiries since the last write). */
  async refreshStale(at: number): Promise<number> {
    let n = 0;
    for (const s of this.schemes) {
      for (;;) {
        const ids = await this.store.staleStates(s.key, at, 1000);
        if (ids.length === 0) break;
        const states = await this.store.getStatesFor(ids, s.key);
        await this.store.putStates([...states.values()].map((st) => toState(st.ledger, s, at)));
        n += ids.length;
        if (ids.length < 1000) break;
      }
    }
    return n;
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
      const recs = await this.store.recordsOfSubjects(ids);
      const current = await this.store.getStatesFor(ids, against.key);
      const next: SubjectState[] = [];
      for (const id of ids) {
        const ledger = computeLedger(id, recs.get(id) ?? [], scheme, this.catalogue);
        const st = toState(ledger, scheme, opts.at);
        const curLedger = current.get(id)?.ledger ?? computeLedger(id, recs.get(id) ?? [], against, this.catalogue);
        const from = evaluate(curLedger, against, opts.at).grade;
        (matrix[from] ??= {})[st.grade] = (matrix[from]![st.grade] ?? 0) + 1;
        next.push(st);
      }
      if (!opts.dryRun) await this.store.putStates(next);
      subjects += ids.length;
      opts.onProgress?.(subjects);
    }
    if (!opts.dryRun) {
      await this.store.appendAudit([{ at: this.now(), actor: 'system', action: 'scheme.rescore', detail: { scheme: scheme.key, subjects } }]);
    }
    return { scheme: scheme.key, from: against.key, subjects, matrix };
  }

  async verifyAudit(pageSize = 5000) {
    let state: { seq: number; hash: string } | undefined;
    let total = 0;
    let after = 0;
    for (;;) {
      const page = await this.store.readAudit(after, pageSize);
      if (page.length === 0) break;
      const v = verifyChain(page, state);
      if (!v.ok) return { ok: false as const, count: total + v.count, brokenAt: v.brokenAt, reason: v.reason };
      total += v.count;
      state = v.state;
      after = page[page.length - 1]!.seq;
    }
    const head = await this.store.auditHead();
    if (head && state && head.seq !== state.seq) return { ok: false as const, count: total, brokenAt: state.seq + 1, reason: 'entries after the verified ones are unreadable' };
    return { ok: true as const, count: total, head: state?.hash ?? null };
  }
}

export type { AuditEntryInput, RecordInput };
export { chainEntries };
