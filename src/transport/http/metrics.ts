// Prometheus metrics through prom-client: this app's counters and histograms, gauges read from
// the store when scraped (true across processes), and the process's own metrics (CPU, memory,
// event-loop lag, GC), registered once per process. prom-client escapes label values.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

let processRegistry: Registry | null = null;
/** The process's metrics (process_*, nodejs_*: event-loop lag, heap, GC), one set per process. */
function processMetrics(): Registry {
  if (processRegistry === null) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });
  }
  return processRegistry;
}

export class Metrics {
  private readonly registry = new Registry();
  private readonly registers = [this.registry];
  readonly recordsAccepted = new Counter({ name: 'credence_records_accepted_total', help: 'Records accepted (new) over HTTP', registers: this.registers });
  readonly recordsDuplicate = new Counter({ name: 'credence_records_duplicate_total', help: 'Records already held (idempotent resubmission)', registers: this.registers });
  readonly recordsRejected = new Counter({ name: 'credence_records_rejected_total', help: 'Records rejected, by code', labelNames: ['code'], registers: this.registers });
  readonly decisions = new Counter({ name: 'credence_decisions_total', help: 'Decisions answered, by outcome', labelNames: ['outcome'], registers: this.registers });
  readonly requests = new Counter({ name: 'credence_http_requests_total', help: 'HTTP responses, by status class', labelNames: ['status'], registers: this.registers });
  readonly decisionLatency = new Histogram({ name: 'credence_decision_duration_seconds', help: 'Time to answer one decision request (single or batch)', buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: this.registers });
  readonly ingestLatency = new Histogram({ name: 'credence_ingest_batch_duration_seconds', help: 'Time to validate and commit one ingest request', buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: this.registers });

  /** The Content-Type of render()'s text. */
  readonly contentType = this.registry.contentType;

  /**
   * A gauge whose values are read when scraped (`read` gives one value per label set), e.g.
   * from the store, so that it is true whichever process changed them.
   */
  gauge<L extends string>(name: string, help: string, labelNames: readonly L[], read: () => Promise<{ labels: Record<L, string>; value: number }[]>): void {
    new Gauge({
      name, help, labelNames, registers: this.registers,
      async collect() {
        this.reset();
        for (const v of await read()) this.set(v.labels as never, v.value);
      },
    });
  }

  /** Every metric, in the Prometheus text format. */
  async render(): Promise<string> {
    return Registry.merge([this.registry, processMetrics()]).metrics();
  }
}
