// A subject's data: profile, scores, records, history, explanation, improvement path, lists,
// measures in force and the query log. Readable by operators and by the subject's own token;
// the query log also by auditors. Every read appends a `subject.read` audit entry.
import type { FastifyInstance } from 'fastify';
import { decide } from '../../../domain/decide.ts';
import { asOfParam, iso, readSubject, subjectParam, type HttpContext } from '../context.ts';
import { AsOfQuery, schemeKeys, secured, SubjectParams } from '../schemas/common.ts';
import { listEntryDto, scoreDto, subjectDto, wireTimes } from '../schemas/subjects.ts';
import { Type } from '@sinclair/typebox';
import { LIMITS } from '../context.ts';
import { Limit, Purpose } from '../schemas/common.ts';

export async function subjectRoutes(app: FastifyInstance, ctx: HttpContext) {
  const c = () => ctx.state.credence;
  const route = (path: string, summary: string, handler: (id: string, at: number, choose: string[]) => Promise<unknown>) =>
    app.get(`/subjects/:id${path}`, {
      config: { auth: ['operator', 'subject'] },
      schema: { tags: ['subjects'], summary, security: secured, params: SubjectParams, querystring: AsOfQuery },
    }, async (req) => {
      const id = subjectParam(ctx, (req.params as { id: string }).id);
      const q = req.query as { asOf?: string; scheme?: string; purpose?: string };
      const at = asOfParam(q.asOf, ctx.now());
      const choose = schemeKeys(q.scheme);
      c().schemesAt(at, choose); // an unknown version is a 404 before anything is read or logged
      await readSubject(ctx, req, id, q.purpose);
      return handler(id, at, choose);
    });

  route('', 'profile: who, and the score and grade under each scheme', async (id, at, choose) => ({
    subject: subjectDto(await c().subject(id)),
    asOf: iso(at),
    scores: (await c().views(id, at, choose)).map(scoreDto),
  }));
  route('/scores', 'score and grade per scheme, under the version in force at asOf or the one named in scheme (default grade for a subject without records)', async (id, at, choose) => ({ subject: id, asOf: iso(at), scores: (await c().views(id, at, choose)).map(scoreDto) }));
  route('/records', 'every record with its source, status and expiry', async (id, at) => ({
    subject: id,
    asOf: iso(at),
    items: (await c().records(id, at)).map((r) => ({
      id: r.record.id, source: r.record.source, sourceName: r.sourceName, type: r.record.type, typeTitle: r.typeTitle, legalBasis: r.legalBasis,
      occurredAt: iso(r.record.occurredAt), recordedAt: iso(r.record.recordedAt), status: r.status, expiresAt: iso(r.expiresAt),
      payload: r.record.payload, evidence: [...r.record.evidence], revokes: r.record.revokes ?? null, revokedBy: r.record.revokedBy ?? null, restoredAt: iso(r.record.restoredAt ?? null),
    })),
  }));
  route('/history', 'score and grade at each change up to asOf, each point under the scheme version in force then (cause "version" marks a publication), or under the one named in scheme', async (id, at, choose) => ({ subject: id, asOf: iso(at), schemes: (await c().history(id, at, choose)).map((h) => ({ scheme: h.scheme, points: h.points.map((p) => ({ at: iso(p.at), score: p.score, grade: p.grade, scheme: p.scheme, cause: p.cause })) })) }));
  route('/explanation', 'ranked reasons behind each grade and what changes when', async (id, at, choose) => ({
    subject: id,
    asOf: iso(at),
    schemes: (await c().explain(id, at, choose)).map((e) => ({ scheme: e.scheme, score: e.score, grade: e.grade, gradeLabel: e.gradeLabel, reasons: wireTimes(e.reasons), timeline: wireTimes(e.timeline) })),
  }));
  route('/improvement', 'the way to the next grade: expiries, legitimate actions, points needed', async (id, at, choose) => ({
    subject: id,
    asOf: iso(at),
    schemes: (await c().explain(id, at, choose)).map((e) => ({ scheme: e.scheme, grade: e.grade, nextGrade: wireTimes(e.nextGrade) })),
  }));
  route('/lists', 'list memberships at asOf, with legal basis and statutory end', async (id, at, choose) => {
    const seen = new Set<string>();
    const items = [];
    for (const v of await c().views(id, at, choose)) for (const e of v.lists) {
      const k = `${e.list}|${e.cause}`;
      if (!seen.has(k)) { seen.add(k); items.push(listEntryDto(e)); }
    }
    return { subject: id, asOf: iso(at), items };
  });
  route('/measures', 'measures in force: every catalogue measure whose trigger applies', async (id, at, choose) => {
    const facts = await c().decisionFacts(id, at, choose);
    const items = [];
    for (const m of c().catalogue.measures.values()) {
      const d = decide(facts, m, at);
      const lead = d.reasons[0]?.code;
      if (lead === 'NOT_TRIGGERED' || lead === 'NOT_QUALIFIED') continue;
      items.push({ measure: m.id, title: m.title, domain: m.domain, outcome: d.outcome, effect: d.effect, reasons: d.reasons.map((r) => ({ code: r.code, message: r.message, until: iso(r.until ?? null) })), conditions: d.conditions, legalBasis: d.legalBasis, contest: d.contest, crossContext: d.crossContext });
    }
    return { subject: id, asOf: iso(at), items };
  });

  app.get('/subjects/:id/queries', {
    config: { auth: ['operator', 'subject', 'auditor'] },
    schema: {
      tags: ['subjects'], summary: 'query log: every decision and read about the subject (who, when, purpose, answer), newest first', security: secured,
      params: SubjectParams, querystring: Type.Object({ limit: Type.Optional(Limit), purpose: Type.Optional(Purpose) }, { additionalProperties: false }),
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
