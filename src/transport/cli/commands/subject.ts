// `credence subject show|explain|history ID`: what is held about a subject, why it is graded
// as it is, and how its score moved.
import { classifyIdentifier } from '../../../domain/identifiers.ts';
import { EXIT, type CliCommand } from '../command.ts';
import { asOf, day, guard, json, logCliRead, parse, readReason, schemeChoice, UsageError, withCredence } from '../common.ts';

export function canonicalSubject(value: string, legacy: readonly string[]): string {
  const c = classifyIdentifier(value, { legacyCodes: new Set(legacy) });
  if (!c.verdict.valid) throw new UsageError(`"${value}" is not a valid identifier: ${c.verdict.reason}`);
  return c.canonical;
}

const sign = (n: number) => (n > 0 ? `+${n}` : `${n}`);

export const subjectCommand: CliCommand = {
  name: 'subject',
  help: `usage: credence subject show ID --reason TEXT [--as-of DATE] [--scheme ID@VERSION] [--json]
       credence subject explain ID --reason TEXT [--as-of DATE] [--scheme ID@VERSION] [--json]
       credence subject history ID --reason TEXT [--as-of DATE] [--scheme ID@VERSION] [--json]

show     score and grade under each scheme, list entries, and every record with its
         source, status (active, disputed, revoked, expired) and expiry
explain  the ranked reasons behind each grade (at most four, largest effect first), what
         changes when (expiries), and what it takes to reach the next grade
history  score and grade at each change up to --as-of

ID is a resident identity number, a Unified Social Credit Code or scheme:value.
--as-of DATE shows the view as Credence held it then (end of that day, UTC), under the
scheme version in force then: a later publication never rewrites a past answer.
--scheme ID@VERSION evaluates under that published version instead (comma-separated for
several schemes); history then uses it throughout, else each point names the version in
force at it and a publication is a point of its own.
--reason TEXT says why the operator reads the subject's data (a hotline call, a case
number); the read goes to the subject's query log with the operator (cli:<user>) and the
reason before anything is shown. CREDENCE_READ_REASON gives one for a session of work.

exit codes: 0 shown; 4 no records are held about ID; 2 usage (a missing --reason included)`,
  run: (argv, ctx) =>
    guard(ctx, async () => {
      const { values, positionals } = parse(argv, { 'as-of': { type: 'string' }, scheme: { type: 'string' }, reason: { type: 'string' }, json: { type: 'boolean' } });
      const choose = schemeChoice(values.scheme);
      const [verb, raw] = positionals;
      if (!verb || !['show', 'explain', 'history'].includes(verb) || !raw || positionals.length > 2) {
        throw new UsageError('subject takes show|explain|history and one ID');
      }
      const id = canonicalSubject(raw, ctx.config.legacyCodes);
      const reason = readReason(ctx, values.reason, `subject ${verb}`);
      return withCredence(ctx, async (c, store) => {
        const at = asOf(values['as-of'], ctx.now());
        await logCliRead(store, ctx, id, `subject ${verb}`, reason, { asOf: at, ...(choose.length ? { schemes: choose } : {}) });
        const subject = await c.subject(id);
        if (verb === 'show') {
          const views = await c.views(id, at, choose);
          const records = await c.records(id, at);
          if (values.json) {
            json(ctx, { subject, at: new Date(at).toISOString(), scores: views.map((v) => ({ scheme: v.scheme, score: v.score, grade: v.grade, label: v.gradeLabel, lists: v.lists })), records: records.map((r) => ({ id: r.record.id, type: r.record.type, title: r.typeTitle, source: r.record.source, occurredAt: new Date(r.record.occurredAt).toISOString(), status: r.status, expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(), legalBasis: r.legalBasis })) });
            return EXIT.OK;
          }
          ctx.io.out(`${subject.id} (${subject.kind}${subject.displayName ? `, ${subject.displayName}` : ''}) as of ${day(at)}`);
          for (const v of views) {
            ctx.io.out(`  ${v.scheme}: ${v.score} points, grade ${v.grade} (${v.gradeLabel})${v.directGrading ? ` [direct grading until ${day(v.directGrading.until)}]` : ''}`);
          }
          const lists = new Map(views.flatMap((v) => v.lists.map((l) => [`${l.list}|${l.cause}`, l] as const)));
          for (const l of lists.values()) ctx.io.out(`  on list ${l.list} since ${day(l.from)}${l.until ? `, statutory end ${day(l.until)}` : ''} (${l.legalBasis})`);
          ctx.io.out(`  records (${records.length}):`);
          for (const r of records) {
            ctx.io.out(`    ${day(r.record.occurredAt)}  ${r.record.type.padEnd(38)} ${r.status.padEnd(8)} expires ${day(r.expiresAt)}  from ${r.sourceName}  [${r.record.id}]`);
          }
          return EXIT.OK;
        }
        if (verb === 'explain') {
          const ex = await c.explain(id, at, choose);
          if (values.json) {
            json(ctx, { subject: id, at: new Date(at).toISOString(), explanations: ex });
            return EXIT.OK;
          }
          for (const e of ex) {
            ctx.io.out(`${e.scheme}: ${e.score} points, grade ${e.grade} (${e.gradeLabel})`);
            if (e.reasons.length === 0) ctx.io.out('  no records count: the base score and default grade apply');
            e.reasons.forEach((r, i) => ctx.io.out(`  ${i + 1}. ${r.code === 'RULE_POINTS' ? `${sign(r.points)} ` : ''}${r.title} (${r.recordIds.length} record${r.recordIds.length === 1 ? '' : 's'}, counts until ${day(r.until)})`));
            const upcoming = e.timeline.slice(0, 5);
            if (upcoming.length > 0) {
              ctx.io.out('  what changes when:');
              for (const s of upcoming) ctx.io.out(`    ${day(s.at)}: ${sign(s.change)} -> ${s.scoreAfter} (${s.gradeAfter})`);
            }
            const ng = e.nextGrade;
            if (ng.target) {
              ctx.io.out(`  to reach ${ng.target}: ${ng.pointsNeeded} more points${ng.blockedUntil ? `; direct grading holds the grade until ${day(ng.blockedUntil)}` : ''}${ng.byExpiryAt ? `; by expiries alone on ${day(ng.byExpiryAt)}` : ''}`);
              for (const f of ng.favourable.slice(0, 4)) ctx.io.out(`    ${sign(f.points)} ${f.title}${f.cap ? ` (at most ${f.cap.points} per ${f.cap.period})` : ''}`);
            } else {
              ctx.io.out('  already at the best grade');
            }
          }
          return EXIT.OK;
        }
        const hist = await c.history(id, at, choose);
        if (values.json) {
          json(ctx, { subject: id, history: hist.map((h) => ({ scheme: h.scheme, points: h.points.map((p) => ({ at: new Date(p.at).toISOString(), score: p.score, grade: p.grade, scheme: p.scheme, cause: p.cause })) })) });
          return EXIT.OK;
        }
        for (const h of hist) {
          ctx.io.out(`${h.scheme}:`);
          if (h.points.length === 0) ctx.io.out('  no change: base score and default grade throughout');
          for (const p of h.points) ctx.io.out(`  ${day(p.at)}  ${String(p.score).padStart(5)}  ${p.grade}${p.scheme !== h.scheme || p.cause === 'version' ? `  (${p.cause === 'version' ? 'from here ' : ''}under ${p.scheme})` : ''}`);
        }
        return EXIT.OK;
      });
    }),
};
