// The public transparency report (src/app/transparency.ts): JSON, or the HTML page with its
// charts. Counts only, so it needs no key; a report reads the whole audit log and every
// subject's ledger, so one per period is kept for a minute (the default period's end is
// rounded up to the next minute for that).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { reportPeriod, transparencyReport, type TransparencyReport } from '../../../app/transparency.ts';
import { transparencyHtml } from '../../report-html.ts';
import type { HttpContext } from '../context.ts';
import { problem } from '../problem.ts';
import { problemResponse } from '../openapi.ts';
import { AsOf, StringEnum } from '../schemas/common.ts';
import { media } from '../openapi.ts';
import { TransparencyOut } from '../schemas/reports.ts';

const CACHE_MS = 60_000;
const CACHE_MAX = 32;

export async function reportRoutes(app: FastifyInstance, ctx: HttpContext) {
  const cache = new Map<string, { at: number; report: Promise<TransparencyReport> }>();
  app.get('/reports/transparency', {
    config: { auth: 'public' },
    schema: {
      tags: ['reports'], operationId: 'getTransparencyReport',
      summary: 'the transparency report of a period: grades, sanctions, decisions, disputes, restorations, sources',
      description: 'Counts only, so public: no key is needed. `from` is a date (that day\'s start) or date-time; `to` a date (that whole day included) or date-time; by default the 365 days up to now. All sections but `grades` and `sanctions.rules` are folded from the audit log (see `method`). `format=html` answers a self-contained HTML page with SVG charts instead of the JSON. 400 REQUEST_INVALID when from or to is not a date or date-time, or from is not before to.',
      security: [],
      querystring: Type.Object({
        from: Type.Optional(Type.String({ ...AsOf, description: 'start of the period: a date (that day\'s start, UTC) or a date-time with its zone; default: 365 days before `to`' })),
        to: Type.Optional(Type.String({ ...AsOf, description: 'end of the period: a date (that whole day included) or a date-time with its zone; default: now' })),
        format: Type.Optional(Type.Unsafe<'json' | 'html'>({ ...StringEnum(['json', 'html'] as const, 'json: the report as JSON; html: a self-contained HTML page with SVG charts'), default: 'json' })),
      }, { additionalProperties: false }),
      response: {
        200: {
          description: 'the report: JSON, or the HTML page with format=html',
          content: {
            'application/json': media(TransparencyOut),
            'text/html': media(Type.String({ description: 'a self-contained HTML page (inline CSS and SVG charts) of the same report' })),
          },
        },
        400: problemResponse('REQUEST_INVALID: from or to is not a date or date-time, or from is not before to'),
      },
    },
  }, async (req, reply) => {
    const q = req.query as { from?: string; to?: string; format?: 'json' | 'html' };
    const now = ctx.now();
    const period = reportPeriod(q.from, q.to, q.to === undefined ? (Math.floor(now / 60_000) + 1) * 60_000 : now);
    if ('error' in period) throw problem('REQUEST_INVALID', period.error, { errors: [{ path: `querystring/${period.field}`, message: period.error }] });
    const key = `${period.from}|${period.to}`;
    let hit = cache.get(key);
    if (!hit || now - hit.at > CACHE_MS) {
      if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
      hit = { at: now, report: transparencyReport(ctx.state.credence, period.from, period.to) };
      hit.report.catch(() => cache.delete(key));
      cache.set(key, hit);
    }
    const report = await hit.report;
    if (q.format === 'html') return reply.type('text/html; charset=utf-8').send(transparencyHtml(report));
    return report;
  });
}
