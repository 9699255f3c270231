// Summarises a node --cpu-prof output directory: top self-time functions with their share.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './common.ts';

export function summariseCpuProfileDir(dir: string, top = 8): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const self = new Map<string, number>();
  let total = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { nodes: { hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[] };
    for (const n of p.nodes) {
      const hits = n.hitCount ?? 0;
      total += hits;
      const cf = n.callFrame;
      const file = cf.url ? cf.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '').replace(/^.*node_modules\//, '') : '';
      const key = `${cf.functionName || '(anonymous)'} ${file ? `${file}:${cf.lineNumber + 1}` : ''}`.trim();
      self.set(key, (self.get(key) ?? 0) + hits);
    }
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${((100 * v) / Math.max(1, total)).toFixed(1)}% ${k}`);
}
