// A subject's data: profile, scores, records, history, explanation, improvement path, lists,
// measures in force and the query log. Readable by operators and by the subject's own token;
// the query log also by auditors. Every read appends a `subject.read` audit entry. Every answer
// is built by the DTOs of schemas/subjects.ts and serialised by its response schema.
import type { TSchema } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { decide } from '../../../domain/decide.ts';
import { asOfParam, iso, LIMITS, readSubject, subjectParam, type HttpContext } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { AsOfQuery, Limit, Purpose, schemeKeys, secured, SubjectParams } from '../schemas/common.ts';
import {
  historyDto, listEntryDto, measureInForceDto, nextGradeDto, reasonDto, scoreDto, subjectDto, subjectRecordDto, timelineStepDto,
  SubjectExplanationOut, SubjectHistoryOut, SubjectImprovementOut, SubjectListsOut, SubjectMeasuresOut, SubjectProfileOut, SubjectQueriesOut, SubjectRecordsOut, SubjectScoresOut,
} from '../schemas/subjects.ts';

/** What every subject view may refuse, beyond the generic 4XX/5XX: said once, in each description. */
const READ_REFUSALS = 'Open to operator keys and to the subject\'s own subject token. 400 SUBJECT_ID_INVALID when the identifier is malformed (length, characters, birth date, check character), 400 REQUEST_INVALID for a malformed asOf or scheme; 403 FORBIDDEN_OBJECT when a subject token asks about another subject; 404 SCHEME_NOT_FOUND when scheme names a version never published. Every read is logged in the subject\'s query log (with purpose, when given).';
const VIEW_RESPONSES = {
  403: problemResponse('FORBIDDEN_OBJECT: a subject token reads only its own subject (FORBIDDEN_ROLE: the key\'s role may not read subjects)'),
  404: problemResponse('SCHEME_NOT_FOUND: `scheme` names a version that was never published'),
};

interface View {
  operationId: string;
  summary: string;
  description: string;
  response: TSchema;
  /** Extra refusals of this view (e.g. 404 SUBJECT_NOT_FOUND of the profile). */
  refusals?: Record<number, unknown>;
}

export async function subjectRoutes(app: FastifyInstance, ctx: HttpContext) {
  const c = () => ctx.state.credence;
  const route = (path: string, view: View, handler: (id: string, at: number, choose: string[]) => Promise<unknown>) =>
    app.get(`/subjects/:id${path}`, {
      config: { auth: ['operator', 'subject'] },
      schema: {
        tags: ['subjects'], operationId: view.operationId, summary: view.summary, description: `${view.description} ${READ_REFUSALS}`,
        security: secured, params: SubjectParams, querystring: AsOfQuery,
        response: { 200: view.response, ...VIEW_RESPONSES, ...(view.refusals ?? {}) },
      },
    }, async (req) => {
      const id = subjectParam(ctx, (req.params as { id: string }).id);
      const q = req.query as { asOf?: string; scheme?: string; purpose?: string };
      const at = asOfParam(q.asOf, ctx.now());
      const choose = schemeKeys(q.scheme);
      c().schemesAt(at, choose); // an unknown version is a 404 before anything is read or logged
      await readSubject(ctx, req, id, q.purpose);
      return handler(id, at, choose);
    });

  route('', {
    operationId: 'getSubject',
    summary: 'profile: who, and the score and grade under each scheme',
    description: 'The subject (kind, identifier scheme, name) and, at asOf, the score and grade under each scheme version evaluated. 404 SUBJECT_NOT_FOUND when no records are held about the subject.',
    response: SubjectProfileOut,
    refusals: { 404: problemResponse('SUBJECT_NOT_FOUND: no records are held about the subject; SCHEME_NOT_FOUND: `scheme` names a version that was never published') },
  }, async (id, at, choose) => ({
    subject: subjectDto(await c().subject(id)),
    asOf: iso(at),
    scores: (await c().views(id, at, choose)).map(scoreDto),
  }));
  route('/scores', {
    operationId: 'getSubjectScores',
    summary: 'score and grade per scheme, under the version in force at asOf or the one named in scheme (default grade for a subject without records)',
    description: 'Score, grade, band grade, any direct grading and the next change by time alone, per scheme version: the version of each scheme in force at asOf, or those named in scheme. A subject without records gets each scheme\'s default grade.',
    response: SubjectScoresOut,
  }, async (id, at, choose) => ({ subject: id, asOf: iso(at), scores: (await c().views(id, at, choose)).map(scoreDto) }));
  route('/records', {
    operationId: 'listSubjectRecords',
    summary: 'every record with its source, status and expiry',
    description: 'Every record about the subject stored by asOf, with its source, type, legal basis, payload, evidence, status at asOf and when it stops counting.',
    response: SubjectRecordsOut,
  }, async (id, at) => ({ subject: id, asOf: iso(at), items: (await c().records(id, at)).map(subjectRecordDto) }));
  route('/history', {
    operationId: 'getSubjectHistory',
    summary: 'score and grade at each change up to asOf, each point under the scheme version in force then (cause "version" marks a publication), or under the one named in scheme',
    description: 'Per scheme, the score and grade at each change up to asOf; each point names the version it was evaluated under and its cause (records, or version at a publication).',
    response: SubjectHistoryOut,
  }, async (id, at, choose) => ({ subject: id, asOf: iso(at), schemes: (await c().history(id, at, choose)).map(historyDto) }));
  route('/explanation', {
    operationId: 'getSubjectExplanation',
    summary: 'ranked reasons behind each grade and what changes when',
    description: 'Per scheme, the score and grade at asOf, at most four ranked reasons behind the grade (a direct grading first, then rule points by size) and the timeline of what changes after asOf by time alone (at most 20 steps).',
    response: SubjectExplanationOut,
  }, async (id, at, choose) => ({
    subject: id,
    asOf: iso(at),
    schemes: (await c().explain(id, at, choose)).map((e) => ({ scheme: e.scheme, score: e.score, grade: e.grade, gradeLabel: e.gradeLabel, reasons: e.reasons.map(reasonDto), timeline: e.timeline.map(timelineStepDto) })),
  }));
  route('/improvement', {
    operationId: 'getSubjectImprovement',
    summary: 'the way to the next grade: expiries, legitimate actions, points needed',
    description: 'Per scheme, the way from the grade at asOf to the next better one: points needed, a direct grading blocking it, when expiries alone reach it, and the favourable record types the scheme rewards.',
    response: SubjectImprovementOut,
  }, async (id, at, choose) => ({
    subject: id,
    asOf: iso(at),
    schemes: (await c().explain(id, at, choose)).map((e) => ({ scheme: e.scheme, grade: e.grade, nextGrade: nextGradeDto(e.nextGrade) })),
  }));
  route('/lists', {
    operationId: 'listSubjectListEntries',
    summary: 'list memberships at asOf, with legal basis and statutory end',
    description: 'The lists the subject is on at asOf (record-triggered and grade-triggered), once per list and cause across schemes, with start, statutory end and legal basis.',
    response: SubjectListsOut,
  }, async (id, at, choose) => {
    const seen = new Set<string>();
    const items = [];
    for (const v of await c().views(id, at, choose)) for (const e of v.lists) {
      const k = `${e.list}|${e.cause}`;
      if (!seen.has(k)) { seen.add(k); items.push(listEntryDto(e)); }
    }
    return { subject: id, asOf: iso(at), items };
  });
  route('/measures', {
    operationId: 'listSubjectMeasures',
    summary: 'measures in force: every catalogue measure whose trigger applies',
    description: 'Every catalogue measure whose trigger applies to the subject at asOf, with what a provider asking would be told: outcome, effect, reasons, conditions, legal basis and how to contest.',
    response: SubjectMeasuresOut,
  }, async (id, at, choose) => {
    const facts = await c().decisionFacts(id, at, choose);
    const items = [];
    for (const m of c().catalogue.measures.values()) {
      const d = decide(facts, m, at);
      const lead = d.reasons[0]?.code;
      if (lead === 'NOT_TRIGGERED' || lead === 'NOT_QUALIFIED') continue;
      items.push(measureInForceDto(m, d));
    }
    return { subject: id, asOf: iso(at), items };
  });

  app.get('/subjects/:id/queries', {
    config: { auth: ['operator', 'subject', 'auditor'] },
    schema: {
      tags: ['subjects'], operationId: 'listSubjectQueries',
      summary: 'query log: every decision and read about the subject (who, when, purpose, answer), newest first', security: secured,
      description: 'The subject\'s query log, newest first: every decision and read about the subject from the audit log, with who asked (the provider by name), the purpose, the measure, the outcome and the consent used. Open to operator and auditor keys and to the subject\'s own subject token; the read is logged too. 400 SUBJECT_ID_INVALID when the identifier is malformed; 403 FORBIDDEN_OBJECT when a subject token asks about another subject.',
      params: SubjectParams, querystring: Type.Object({ limit: Type.Optional(Limit), purpose: Type.Optional(Purpose) }, { additionalProperties: false }),
      response: { 200: SubjectQueriesOut, 403: VIEW_RESPONSES[403] },
    },
  }, async (req) => {
    const id = subjectParam(ctx, (req.params as { id: string }).id);
    const q = req.query as { limit?: number; purpose?: string };
    await readSubject(ctx, req, id, q.purpose);
    const entries = await ctx.store.auditOfSubject(id, q.limit ?? LIMITS.pageSizeDefault);
    // Who asked, by name: a decision's entry names its provider; an older entry (or a read
    // through a provider key) is resolved through the key's binding to the registered name.
    const names = new Map((await ctx.access.listProviders()).map((pr) => [pr.id, pr.name]));
    const keys = new Map<string, string | null>();
    const providerOf = async (e: (typeof entries)[number]): Promise<{ id: string; name: string | null } | null> => {
      if (typeof e.detail.provider === 'string') return { id: e.detail.provider, name: (e.detail.providerName as string | undefined) ?? names.get(e.detail.provider) ?? null };
      const m = /^key:(key_[A-Za-z0-9_-]+)$/.exec(e.actor);
      if (!m) return null;
      if (!keys.has(m[1]!)) {
        const k = await ctx.access.getKey(m[1]!);
        keys.set(m[1]!, k && k.role === 'provider' ? k.binding : null);
      }
      const pid = keys.get(m[1]!);
      return pid ? { id: pid, name: names.get(pid) ?? null } : null;
    };
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const items = [];
    for (const e of entries) {
      items.push({
        seq: e.seq, at: iso(e.at), actor: e.actor, action: e.action,
        provider: await providerOf(e),
        purpose: str(e.detail.purpose),
        measure: str(e.detail.measure),
        outcome: str(e.detail.outcome),
        asOf: typeof e.detail.asOf === 'number' ? iso(e.detail.asOf) : null,
        consent: str(e.detail.consent),
        route: str(e.detail.route),
      });
    }
    return { subject: id, items };
  });
}
