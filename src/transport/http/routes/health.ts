// Liveness, readiness (store reachable, migrations applied) and Prometheus metrics.
import type { FastifyInstance } from 'fastify';
import { DueProcess } from '../../../app/due-process.ts';
import type { HttpContext } from '../context.ts';
import { problemResponse } from '../openapi.ts';
import { problem } from '../problem.ts';
import { HealthOut, MetricsOut, ReadyOut } from '../schemas/health.ts';

export async function healthRoutes(app: FastifyInstance, ctx: HttpContext) {
  // Read from the store at scrape time: true across processes (a CLI ingest, a second server).
  const deliveries = async () => Promise.all((['pending', 'dead'] as const).map(async (status) => ({ labels: { status }, value: await ctx.store.countDeliveries({ status }) })));
  const queue = () => new DueProcess(ctx.state.credence).reviewerQueue(ctx.now());
  ctx.metrics.gauge('credence_webhook_deliveries', 'Webhook deliveries of notices, by status (dead: the dead-letter list, until replayed)', ['status'], deliveries);
  ctx.metrics.gauge('credence_cases_waiting', 'Cases waiting for a reviewer, by kind (dispute, review, restoration)', ['kind'], async () => (await queue()).map((q) => ({ labels: { kind: q.kind }, value: q.waiting })));
  ctx.metrics.gauge('credence_cases_overdue', 'Cases waiting for a reviewer past their deadline, by kind', ['kind'], async () => (await queue()).map((q) => ({ labels: { kind: q.kind }, value: q.overdue })));

  app.get('/healthz', {
    config: { auth: 'public' },
    schema: {
      tags: ['health'], operationId: 'getHealth', summary: 'the process is alive',
      description: 'Liveness probe: answers {"status":"ok"} while the process runs, without touching the store. Public, and never rate limited.',
      response: { 200: HealthOut },
    },
  }, async () => ({ status: 'ok' }));
  app.get('/readyz', {
    config: { auth: 'public' },
    schema: {
      tags: ['health'], operationId: 'getReadiness', summary: 'the store is reachable and its migrations applied',
      description: 'Readiness probe: answers {"status":"ready"} when the store is reachable and every schema migration is applied; 503 NOT_READY otherwise (the detail says which). Public, and never rate limited.',
      response: { 200: ReadyOut, 503: problemResponse('NOT_READY: the store is not reachable, or schema migrations are not applied') },
    },
  }, async () => {
    let pending: number;
    try {
      pending = await ctx.store.pendingMigrations();
    } catch {
      throw problem('NOT_READY', 'the store is not reachable');
    }
    if (pending !== 0) throw problem('NOT_READY', `${pending} schema migrations are not applied`);
    return { status: 'ready' };
  });
  app.get('/metrics', {
    config: { auth: 'public' },
    schema: {
      tags: ['health'], operationId: 'getMetrics', summary: 'Prometheus metrics (text format 0.0.4)',
      description: 'Prometheus scrape target, text format 0.0.4: request counters of this process, and gauges read from the store at scrape time, so true across processes (webhook deliveries pending and dead, review cases waiting and overdue by kind). Public; rate limited per client address like other keyless routes.',
      response: { 200: MetricsOut },
    },
  }, async (_req, reply) => {
    reply.type(ctx.metrics.contentType);
    return ctx.metrics.render();
  });
}
