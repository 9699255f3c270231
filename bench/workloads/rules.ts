// Workload 1: rule evaluation. The compiled Rongcheng scheme and synthetic schemes of 200 and
// 5,000 rules over the simulated records, through Credence's real evaluation path
// (CompiledScheme.rulesByType + compiled CEL conditions + requestedPoints, as scoring.ts
// does it), against json-rules-engine, @gorules/zen-engine (both indexed by record type) and
// a hand-written Map<type, closures> (the practical limit). Every variant must produce the
// same total of point deltas.
import { compileScheme, type CompiledScheme } from '../../src/domain/scheme-compile.ts';
import { requestedPoints } from '../../src/domain/scoring.ts';
import type { Catalogue, Scheme, SchemeRule, StoredRecord } from '../../src/domain/types.ts';
import { median, ratioRow, skipRow, type Row } from '../report.ts';
import { now, profileTop, shipped, timeRuns, toStored, townInputs, type BenchOptions } from '../lib/common.ts';

const W = '1 rules';

/** A rule in neutral form, so each engine gets exactly the same rules. */
interface Spec {
  type: string;
  /** Conditions, all of which must hold; empty = always. */
  eq: { field: 'source' | 'level'; value: string }[];
  afterMs: number | null;
  rule: SchemeRule;
}

function specsOf(compiled: CompiledScheme): Spec[] {
  const out: Spec[] = [];
  for (const rule of compiled.scheme.rules) {
    const spec: Spec = { type: rule.recordType, eq: [], afterMs: null, rule };
    const when = rule.when?.trim() ?? '';
    for (const part of when ? when.split('&&').map((p) => p.trim()) : []) {
      let m = /^record\.payload\.level == "([^"]*)"$/.exec(part);
      if (m) { spec.eq.push({ field: 'level', value: m[1]! }); continue; }
      m = /^record\.source == "([^"]*)"$/.exec(part);
      if (m) { spec.eq.push({ field: 'source', value: m[1]! }); continue; }
      m = /^record\.occurredAt >= "([^"]*)"$/.exec(part);
      if (m) { spec.afterMs = Date.parse(m[1]!); continue; }
      throw new Error(`bench cannot translate condition ${when}`);
    }
    out.push(spec);
  }
  return out;
}

/** Points computation shared by the peers (the engines decide the match; this is scoring.ts's arithmetic). */
function pointsOf(rule: SchemeRule, r: StoredRecord): number {
  if (rule.requiresGround) {
    const g = r.payload.ground;
    if (typeof g !== 'string' || g.trim().length < 10) return 0;
  }
  let points: number;
  if ('fixed' in rule.points) points = rule.points.fixed;
  else {
    const v = r.payload[rule.points.field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < rule.points.min || v > rule.points.max) return 0;
    points = v;
  }
  if (rule.per) {
    const n = r.payload[rule.per];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 10_000) return 0;
    points *= n;
  }
  return points;
}

/** A synthetic scheme of n rules over the record types (and their sources) seen in the data. */
function syntheticScheme(n: number, records: StoredRecord[], base: Scheme, catalogue: Catalogue): CompiledScheme {
  const sourcesByType = new Map<string, Set<string>>();
  for (const r of records) {
    if (!catalogue.recordTypes.has(r.type)) continue;
    let s = sourcesByType.get(r.type);
    if (!s) sourcesByType.set(r.type, (s = new Set()));
    s.add(r.source);
  }
  const types = [...sourcesByType.keys()].sort();
  const start = Date.parse('2022-01-01T00:00:00Z');
  const rules: SchemeRule[] = [];
  for (let i = 0; i < n; i++) {
    const type = types[i % types.length]!;
    const sources = [...sourcesByType.get(type)!].sort();
    const source = sources[Math.floor(i / types.length) % sources.length]!;
    const after = new Date(start + ((i * 37) % 1320) * 86_400_000).toISOString();
    const fixed = ((i * 7) % 21) - 10 || 1;
    const when = i % 5 === 4 ? undefined : i % 5 === 3 ? `record.source == "${source}"` : `record.source == "${source}" && record.occurredAt >= "${after}"`;
    rules.push({ id: `r${i}`, recordType: type, title: `Synthetic rule ${i}`, ...(when ? { when } : {}), points: { fixed }, source: 'bench' } as SchemeRule);
  }
  const scheme: Scheme = { ...base, id: `synthetic-${n}`, version: 1, title: `Synthetic ${n} rules`, rules, listRules: [] };
  const { compiled, problems } = compileScheme(scheme, catalogue);
  if (!compiled) throw new Error(`synthetic scheme does not compile: ${JSON.stringify(problems.slice(0, 3))}`);
  return compiled;
}

// ---- the variants ------------------------------------------------------------------------

function credenceSum(scheme: CompiledScheme, records: StoredRecord[]): number {
  let sum = 0;
  for (const r of records) {
    const rules = scheme.rulesByType.get(r.type);
    if (!rules) continue;
    const ctx = {}; // the condition input, built once per record as scoring.ts does
    for (const cr of rules) {
      const p = requestedPoints(cr, r, ctx);
      if (typeof p === 'number') sum += p;
    }
  }
  return sum;
}

function handWritten(specs: Spec[]): (records: StoredRecord[]) => number {
  type Fn = (r: StoredRecord) => number;
  const byType = new Map<string, Fn[]>();
  for (const s of specs) {
    const src = s.eq.find((e) => e.field === 'source')?.value;
    const level = s.eq.find((e) => e.field === 'level')?.value;
    const after = s.afterMs;
    const rule = s.rule;
    const fn: Fn = (r) =>
      (src === undefined || r.source === src) && (level === undefined || r.payload.level === level) && (after === null || r.occurredAt >= after) ? pointsOf(rule, r) : 0;
    const list = byType.get(s.type) ?? [];
    list.push(fn);
    byType.set(s.type, list);
  }
  return (records) => {
    let sum = 0;
    for (const r of records) {
      const fns = byType.get(r.type);
      if (fns) for (const f of fns) sum += f(r);
    }
    return sum;
  };
}

async function jsonRulesEngine(specs: Spec[]): Promise<(records: StoredRecord[]) => Promise<number>> {
  const { Engine } = await import('json-rules-engine');
  const engines = new Map<string, InstanceType<typeof Engine>>();
  specs.forEach((s, i) => {
    let e = engines.get(s.type);
    if (!e) engines.set(s.type, (e = new Engine([], { allowUndefinedFacts: true })));
    const all: { fact: string; operator: string; value: unknown }[] = s.eq.map((c) => ({ fact: c.field, operator: 'equal', value: c.value }));
    if (s.afterMs !== null) all.push({ fact: 'occurredAt', operator: 'greaterThanInclusive', value: s.afterMs });
    if (all.length === 0) all.push({ fact: 'always', operator: 'equal', value: true });
    e.addRule({ conditions: { all }, event: { type: 'hit', params: { i } } });
  });
  return async (records) => {
    let sum = 0;
    for (const r of records) {
      const e = engines.get(r.type);
      if (!e) continue;
      const { events } = await e.run({ source: r.source, occurredAt: r.occurredAt, level: r.payload.level ?? null, always: true });
      for (const ev of events) sum += pointsOf(specs[ev.params!.i as number]!.rule, r);
    }
    return sum;
  };
}

const ZEN_CONCURRENCY = 64;

async function zenEngine(specs: Spec[]): Promise<(records: StoredRecord[]) => Promise<number>> {
  const { ZenEngine } = (await import('@gorules/zen-engine')) as typeof import('@gorules/zen-engine');
  const engine = new ZenEngine();
  const byType = new Map<string, { spec: Spec; i: number }[]>();
  specs.forEach((spec, i) => {
    const l = byType.get(spec.type) ?? [];
    l.push({ spec, i });
    byType.set(spec.type, l);
  });
  const decisions = new Map<string, ReturnType<typeof engine.createDecision>>();
  for (const [type, list] of byType) {
    const content = {
      nodes: [
        { id: 'in', type: 'inputNode', name: 'input', position: { x: 0, y: 0 } },
        {
          id: 'table',
          type: 'decisionTableNode',
          name: 'rules',
          position: { x: 200, y: 0 },
          content: {
            hitPolicy: 'collect',
            inputs: [
              { id: 'c_source', name: 'source', field: 'source' },
              { id: 'c_level', name: 'level', field: 'level' },
              { id: 'c_at', name: 'occurredAt', field: 'occurredAt' },
            ],
            outputs: [{ id: 'o_rule', name: 'rule', field: 'rule' }],
            rules: list.map(({ spec, i }) => ({
              _id: `r${i}`,
              c_source: spec.eq.find((e) => e.field === 'source') ? JSON.stringify(spec.eq.find((e) => e.field === 'source')!.value) : '',
              c_level: spec.eq.find((e) => e.field === 'level') ? JSON.stringify(spec.eq.find((e) => e.field === 'level')!.value) : '',
              c_at: spec.afterMs !== null ? `>= ${spec.afterMs}` : '',
              o_rule: String(i),
            })),
          },
        },
        { id: 'out', type: 'outputNode', name: 'output', position: { x: 400, y: 0 } },
      ],
      edges: [
        { id: 'e1', sourceId: 'in', targetId: 'table', type: 'edge' },
        { id: 'e2', sourceId: 'table', targetId: 'out', type: 'edge' },
      ],
    };
    decisions.set(type, engine.createDecision(content));
  }
  return async (records) => {
    let sum = 0;
    for (let at = 0; at < records.length; at += ZEN_CONCURRENCY) {
      const chunk = records.slice(at, at + ZEN_CONCURRENCY);
      const outs = await Promise.all(
        chunk.map((r) => {
          const d = decisions.get(r.type);
          return d ? d.evaluate({ source: r.source, occurredAt: r.occurredAt, level: r.payload.level ?? null }) : null;
        }),
      );
      outs.forEach((o, k) => {
        if (!o) return;
        const hits = (o.result ?? []) as { rule: number }[];
        for (const h of hits) sum += pointsOf(specs[h.rule]!.rule, chunk[k]!);
      });
    }
    return sum;
  };
}

// ---- the workload ---------------------------------------------------------------------------

export async function run(o: BenchOptions): Promise<Row[]> {
  const { catalogue, schemes } = await shipped();
  const subjects = Math.round(100_000 * o.scale);
  const records = toStored(townInputs(subjects, 1320), Date.parse('2026-01-01T00:00:00Z'));
  const n = records.length;
  const rongcheng = schemes.get('rongcheng')!;
  const variants: { label: string; scheme: CompiledScheme }[] = [
    { label: 'Rongcheng', scheme: rongcheng },
    { label: '200 rules', scheme: syntheticScheme(200, records, rongcheng.scheme, catalogue) },
    { label: '5,000 rules', scheme: syntheticScheme(5000, records, rongcheng.scheme, catalogue) },
  ];
  const every = (xs: StoredRecord[], k: number) => xs.filter((_, i) => i % Math.max(1, Math.round(xs.length / k)) === 0);
  const jreSample = every(records, 20_000 * o.scale);
  const zenSample = every(records, 100_000 * o.scale);
  // 5,000 rules cost about 100 rule evaluations a record; to keep the run bounded that
  // variant runs on a fixed sample (1/20 of the records), the same sample for every variant.
  const bigSample = every(records, n / 20);
  const rows: Row[] = [];
  for (const v of variants) {
    const specs = specsOf(v.scheme);
    const big = v.scheme.scheme.rules.length > 1000;
    const set = big ? bigSample : records;
    const setJre = big ? every(jreSample, jreSample.length / 4) : jreSample;
    const setZen = big ? every(zenSample, zenSample.length / 4) : zenSample;
    const hand = handWritten(specs);
    const expected = credenceSum(v.scheme, set);
    const handSum = hand(set);
    // Interleave Credence and the hand-written limit run by run.
    const tc: number[] = [];
    const th: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      let t = now();
      credenceSum(v.scheme, set);
      tc.push((now() - t) / 1000);
      t = now();
      hand(set);
      th.push((now() - t) / 1000);
    }
    const credRate = set.length / median(tc);
    const handRate = set.length / median(th);
    const sumNote = `${set.length.toLocaleString('en-GB')} records${big ? ` (fixed sample, every 20th of ${n.toLocaleString('en-GB')})` : ''}, ${specs.length} rules; point total Credence ${expected}, hand-written ${handSum}${expected === handSum ? ' (equal)' : ' (DIFFERENT: check failed)'}`;
    const handRow = ratioRow({ workload: W, name: `${v.label}: Credence vs hand-written Map+closures`, credence: credRate, baseline: handRate, baselineName: 'hand-written', unit: 'records/s', minRatio: 0.5, note: sumNote });
    if (expected !== handSum) handRow.met = false;
    rows.push(handRow);

    // json-rules-engine on a fixed sample, scaled to records/s.
    try {
      const jre = await jsonRulesEngine(specs);
      const credSample = credenceSum(v.scheme, setJre);
      const jreSum = await jre(setJre);
      const tj = await timeRuns(Math.min(o.runs, 3), () => jre(setJre), false);
      const tcs = await timeRuns(o.runs, () => credenceSum(v.scheme, setJre), false);
      const row = ratioRow({
        workload: W,
        name: `${v.label}: Credence vs json-rules-engine`,
        credence: setJre.length / median(tcs),
        baseline: setJre.length / median(tj),
        baselineName: 'json-rules-engine',
        unit: 'records/s',
        minRatio: 10,
        note: `json-rules-engine indexed by record type (one Engine per type, allowUndefinedFacts); evaluated on a fixed sample of ${setJre.length.toLocaleString('en-GB')} records (every ${Math.round(n / setJre.length)}th) and both sides timed on that sample; point total on the sample Credence ${credSample}, json-rules-engine ${jreSum}${credSample === jreSum ? ' (equal)' : ' (DIFFERENT: check failed)'}`,
      });
      if (credSample !== jreSum) row.met = false;
      rows.push(row);
    } catch (err) {
      rows.push(skipRow(W, `${v.label}: Credence vs json-rules-engine`, 'records/s', '>= 10x', `not measured: json-rules-engine failed: ${(err as Error).message}`));
    }

    // zen-engine: one decision table per record type, hit policy collect.
    try {
      const zen = await zenEngine(specs);
      const credSample = credenceSum(v.scheme, setZen);
      const zenSum = await zen(setZen);
      const tz = await timeRuns(Math.min(o.runs, 3), () => zen(setZen), false);
      const tcs = await timeRuns(o.runs, () => credenceSum(v.scheme, setZen), false);
      const row = ratioRow({
        workload: W,
        name: `${v.label}: Credence vs zen-engine`,
        credence: setZen.length / median(tcs),
        baseline: setZen.length / median(tz),
        baselineName: '@gorules/zen-engine',
        unit: 'records/s',
        minRatio: 10,
        note: `zen-engine (native) with one decision table per record type (hit policy collect), ${ZEN_CONCURRENCY} evaluations in flight (its async API runs on native threads, so it may use more than one core); sample of ${setZen.length.toLocaleString('en-GB')} records; point total on the sample Credence ${credSample}, zen ${zenSum}${credSample === zenSum ? ' (equal)' : ' (DIFFERENT: check failed)'}`,
      });
      if (credSample !== zenSum) row.met = false;
      rows.push(row);
    } catch (err) {
      rows.push(skipRow(W, `${v.label}: Credence vs zen-engine`, 'records/s', '>= 10x', `not measured: @gorules/zen-engine could not run on this machine: ${(err as Error).message}`));
    }
  }
  // One profile per scheme variant with a missed target, on a bounded sample.
  for (const v of variants) {
    const missed = rows.filter((r) => r.met === false && r.name.startsWith(`${v.label}:`));
    if (missed.length === 0) continue;
    const sample = v.scheme.scheme.rules.length > 1000 ? every(bigSample, bigSample.length / 2) : records;
    const profile = await profileTop(() => credenceSum(v.scheme, sample));
    for (const r of missed) r.profile = profile;
  }
  return rows;
}
