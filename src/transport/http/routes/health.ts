// Liveness, readiness (store reachable, migrations applied) and Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import { DueProcess } from '../../../app/due-process.ts';
import type { HttpContext } from '../context.ts';
import { problem } from '../problem.ts';

export async function healthRoutes(app: FastifyInstance, ctx: HttpContext) {
  app.get('/healthz', { config: { auth: 'public' }, schema: { tags: ['health'], summary: 'the process is alive' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { auth: 'public' }, schema: { tags: ['health'], summary: 'the store is reachable and its migrations applied' } }, async () => {
    let pending: number;
    try {
      pending = await ctx.store.pendingMigrations();
    } catch {
      throw problem('NOT_READY', 'the store is not reachable');
    }
    if (pending !== 0) throw problem('NOT_READY', `${pending} schema migrations are not applied`);
    return { status: 'ready' };
  });
  app.get('/metrics', { config: { auth: 'public' }, schema: { tags: ['health'], summary: 'Prometheus metrics (text format 0.0.4)' } }, async (_req, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    // Read from the store at scrape time: true across processes (a CLI ingest, a second server).
    const [pending, dead, queue] = await Promise.all([
      ctx.store.countDeliveries({ status: 'pending' }), ctx.store.countDeliveries({ status: 'dead' }), new DueProcess(ctx.state.credence).reviewerQueue(ctx.now()),
    ]);
    const gauges = [
      '# HELP credence_webhook_deliveries Webhook deliveries of notices, by status (dead: the dead-letter list, until replayed)',
      '# TYPE credence_webhook_deliveries gauge',
      `credence_webhook_deliveries{status="pending"} ${pending}`,
      `credence_webhook_deliveries{status="dead"} ${dead}`,
      '# HELP credence_cases_waiting Cases waiting for a reviewer, by kind (dispute, review, restoration)',
      '# TYPE credence_cases_waiting gauge',
      ...queue.map((q) => `credence_cases_waiting{kind="${q.kind}"} ${q.waiting}`),
      '# HELP credence_cases_overdue Cases waiting for a reviewer past their deadline, by kind',
      '# TYPE credence_cases_overdue gauge',
      ...queue.map((q) => `credence_cases_overdue{kind="${q.kind}"} ${q.overdue}`),
    ].join('\n');
    return `${ctx.metrics.render()}${gauges}\n`;
  });
}
