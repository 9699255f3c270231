// Prometheus text-format metrics, written by hand (a few counters and histograms).
type Labels = Record<string, string>;
const fmt = (l: Labels) => {
  const e = Object.entries(l);
  return e.length === 0 ? '' : `{${e.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}`;
};

class Counter {
  private readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, n = 1) {
    const k = fmt(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + n);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(`${this.name}${k} ${v}`);
    return lines.join('\n');
  }
}

class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(readonly name: string, readonly help: string, private readonly buckets: number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(seconds: number) {
    this.sum += seconds;
    this.count += 1;
    this.buckets.forEach((b, i) => { if (seconds <= b) this.counts[i]! += 1; });
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export class Metrics {
  readonly recordsAccepted = new Counter('credence_records_accepted_total', 'Records accepted (new) over HTTP');
  readonly recordsDuplicate = new Counter('credence_records_duplicate_total', 'Records already held (idempotent resubmission)');
  readonly recordsRejected = new Counter('credence_records_rejected_total', 'Records rejected, by code');
  readonly decisions = new Counter('credence_decisions_total', 'Decisions answered, by outcome');
  readonly requests = new Counter('credence_http_requests_total', 'HTTP responses, by status class');
  readonly decisionLatency = new Histogram('credence_decision_duration_seconds', 'Time to answer one decision request (single or batch)', [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
  readonly ingestLatency = new Histogram('credence_ingest_batch_duration_seconds', 'Time to validate and commit one ingest request', [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

  render(): string {
    return [this.recordsAccepted, this.recordsDuplicate, this.recordsRejected, this.decisions, this.requests, this.decisionLatency, this.ingestLatency].map((m) => m.render()).join('\n') + '\n';
  }
}
