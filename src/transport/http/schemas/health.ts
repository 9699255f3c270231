// Wire shapes of the probes (GET /healthz, /readyz) and of the Prometheus scrape (GET /metrics).
import { Type } from '@sinclair/typebox';
import { StringEnum } from './common.ts';
import { media } from '../openapi.ts';

export const HealthOut = Type.Object({
  status: StringEnum(['ok'] as const, 'always ok: the process answers'),
}, { additionalProperties: false, description: 'the process is alive', examples: [{ status: 'ok' }] });

export const ReadyOut = Type.Object({
  status: StringEnum(['ready'] as const, 'always ready: the store is reachable and every migration applied'),
}, { additionalProperties: false, description: 'the service is ready to take requests', examples: [{ status: 'ready' }] });

/** The Prometheus text exposition format 0.0.4 (a text body, documented here; sent as is). */
export const MetricsOut = {
  description: 'Prometheus text exposition format 0.0.4: this server\'s request counters and latency histograms, the gauges read from the store at scrape time (webhook deliveries by status, cases waiting and overdue by kind), and the process\'s own metrics (process_*, nodejs_*: CPU, memory, event-loop lag, GC)',
  content: {
    'text/plain': media(Type.String({
      description: 'metric families, each with its # HELP and # TYPE lines',
      examples: ['# HELP credence_webhook_deliveries Webhook deliveries of notices, by status (dead: the dead-letter list, until replayed)\n# TYPE credence_webhook_deliveries gauge\ncredence_webhook_deliveries{status="pending"} 0\ncredence_webhook_deliveries{status="dead"} 0\n'],
    })),
  },
};
