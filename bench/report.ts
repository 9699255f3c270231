// Report: rows with Credence's figure, the peer's or limit's figure from the same run, their
// ratio, the target and whether it is met; medians of several runs; the machine described.
// Written as bench/results/latest.{md,json} (and full-<date>.* for a full run).
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export interface Row {
  /** Workload group, e.g. "1 rules". */
  workload: string;
  name: string;
  /** Credence's figure (higher is better unless `unit` says seconds or bytes). */
  credence: number | null;
  baseline: number | null;
  baselineName: string;
  unit: string;
  /** credence / baseline for throughputs; limit / credence for costs (>= target is met). */
  ratio: number | null;
  target: string;
  met: boolean | null;
  note?: string;
  /** Top self-time functions when a target is missed. */
  profile?: string[];
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function machine() {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const m = /model name\s*:\s*(.+)/.exec(info);
    if (m) model = m[1]!.trim();
  } catch { /* not Linux */ }
  return {
    cpu: model,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** A throughput row: ratio = credence / baseline, met when ratio >= minRatio. */
export function ratioRow(o: Omit<Row, 'ratio' | 'met' | 'target'> & { minRatio: number; target?: string }): Row {
  const ratio = o.credence !== null && o.baseline !== null && o.baseline > 0 ? o.credence / o.baseline : null;
  const { minRatio, ...rest } = o;
  return { ...rest, target: o.target ?? `>= ${minRatio}x`, ratio, met: ratio === null ? null : ratio >= minRatio };
}

export function skipRow(workload: string, name: string, unit: string, target: string, note: string, baselineName = '', baseline: number | null = null): Row {
  return { workload, name, credence: null, baseline, baselineName, unit, ratio: null, target, met: null, note };
}

const fmt = (x: number | null): string => {
  if (x === null) return '—';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-GB');
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toPrecision(3);
};

export function toMarkdown(rows: Row[], meta: Record<string, unknown>): string {
  const m = meta.machine as ReturnType<typeof machine>;
  const lines = [
    `# Credence benchmarks (${meta.mode})`,
    '',
    `Run ${meta.startedAt} (${meta.seconds} s). Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
    `Figures are medians of ${meta.runs} runs, peer and limit measured in the same run; these machines are shared and noisy, so read the ratios, not the absolute numbers.`,
    '',
    '| workload | row | Credence | peer / limit | ratio | target | met | unit |',
    '|---|---|---:|---:|---:|---|:---:|---|',
  ];
  for (const r of rows) {
    const met = r.met === null ? '—' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.workload} | ${r.name} | ${fmt(r.credence)} | ${fmt(r.baseline)}${r.baselineName ? ` (${r.baselineName})` : ''} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}x`} | ${r.target} | ${met} | ${r.unit} |`);
  }
  const notes = rows.filter((r) => r.note);
  if (notes.length) {
    lines.push('', '## Notes', '');
    for (const r of notes) lines.push(`- **${r.name}**: ${r.note}`);
  }
  const profiled = rows.filter((r) => r.profile?.length);
  if (profiled.length) {
    lines.push('', '## Profiles of missed targets (top self time, node --cpu-prof)', '');
    for (const r of profiled) {
      lines.push(`- **${r.name}**:`);
      for (const p of r.profile!) lines.push(`  - ${p}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function writeReport(dir: string, rows: Row[], meta: Record<string, unknown>, extraBase?: string): void {
  mkdirSync(dir, { recursive: true });
  const md = toMarkdown(rows, meta);
  const json = JSON.stringify({ ...meta, rows }, null, 2);
  for (const base of ['latest', ...(extraBase ? [extraBase] : [])]) {
    writeFileSync(path.join(dir, `${base}.md`), md);
    writeFileSync(path.join(dir, `${base}.json`), `${json}\n`);
  }
}
