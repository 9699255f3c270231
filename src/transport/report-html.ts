// The transparency report as one self-contained HTML page (no script, no external file):
// tables for every figure and SVG bar charts (scales from d3-scale) for the ones a reader
// compares at a glance. Printed by `credence report transparency --html` and served at
// GET /v1/reports/transparency?format=html.
import { scaleBand, scaleLinear } from 'd3-scale';
import type { TransparencyReport } from '../app/transparency.ts';

const esc = (s: unknown): string => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)} %`);

/** A horizontal bar chart of labelled values, with a title for screen readers. */
export function barChart(title: string, bars: { label: string; value: number }[], o: { format?: (v: number) => string } = {}): string {
  if (bars.length === 0) return `<p class="empty">${esc(title)}: nothing in this period.</p>`;
  const fmt = o.format ?? ((v: number) => String(v));
  const width = 640;
  const labelW = 220;
  const valueW = 70;
  const rowH = 22;
  const height = bars.length * rowH + 24;
  const max = Math.max(...bars.map((b) => b.value), 0);
  const x = scaleLinear().domain([0, max === 0 ? 1 : max]).nice().range([0, width - labelW - valueW]);
  const y = scaleBand().domain(bars.map((_, i) => String(i))).range([0, bars.length * rowH]).padding(0.2);
  const ticks = x.ticks(4);
  const parts: string[] = [];
  parts.push(`<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">`);
  parts.push(`<title>${esc(title)}</title>`);
  for (const t of ticks) {
    const tx = labelW + x(t);
    parts.push(`<line x1="${tx}" x2="${tx}" y1="0" y2="${bars.length * rowH}" stroke="#ddd"/><text x="${tx}" y="${bars.length * rowH + 16}" font-size="11" text-anchor="middle" fill="#555">${esc(fmt(t))}</text>`);
  }
  bars.forEach((b, i) => {
    const by = y(String(i))!;
    const bw = Math.max(0, x(b.value));
    parts.push(`<text x="${labelW - 6}" y="${by + y.bandwidth() / 2 + 4}" font-size="12" text-anchor="end">${esc(b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label)}</text>`);
    parts.push(`<rect x="${labelW}" y="${by}" width="${bw}" height="${y.bandwidth()}" fill="#3b6ea5"><title>${esc(b.label)}: ${esc(fmt(b.value))}</title></rect>`);
    parts.push(`<text x="${labelW + bw + 4}" y="${by + y.bandwidth() / 2 + 4}" font-size="12">${esc(fmt(b.value))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function table(head: string[], rows: (string | number)[][]): string {
  if (rows.length === 0) return '<p class="empty">None in this period.</p>';
  return `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

export function transparencyHtml(r: TransparencyReport): string {
  const period = `${r.period.from.slice(0, 10)} – ${r.period.to.slice(0, 10)}`;
  const s: string[] = [];
  s.push('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">');
  s.push(`<title>Transparency report ${esc(period)}</title>`);
  s.push('<style>body{font:15px/1.45 system-ui,sans-serif;max-width:52rem;margin:1.5rem auto;padding:0 1rem;color:#111}h2{margin-top:2rem;border-bottom:1px solid #ccc}table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}td:not(:first-child){text-align:right}.empty,.note{color:#555}</style></head><body>');
  s.push(`<h1>Transparency report</h1><p>Period ${esc(period)} (to exclusive), generated ${esc(r.generatedAt)}. Counts only: no person, record or statement appears here. ${esc(r.entries.count)} audit log entries in the period${r.entries.firstSeq !== null ? ` (seq ${esc(r.entries.firstSeq)}–${esc(r.entries.lastSeq)})` : ''}.</p>`);

  s.push('<h2>Subjects per grade</h2><p class="note">At the end of the period, as the records held today score them.</p>');
  for (const g of r.grades) {
    s.push(`<h3>${esc(g.scheme)} (${esc(g.subjects)} subjects)</h3>`);
    s.push(barChart(`Subjects per grade, ${g.scheme}`, Object.entries(g.counts).map(([label, value]) => ({ label, value }))));
  }

  s.push('<h2>Sanctions</h2><h3>Refusals per measure</h3>');
  s.push(barChart('Refusals per measure', r.sanctions.measures.filter((m) => m.deny > 0).map((m) => ({ label: m.title, value: m.deny }))));
  s.push(table(['measure', 'answers', 'refused', 'with conditions'], r.sanctions.measures.map((m) => [m.title, m.total, m.deny, m.conditions])));
  s.push('<h3>Deductions per rule</h3><p class="note">Deductions that started counting in the period; ended early: revoked, withdrawn or a dispute left unconfirmed.</p>');
  s.push(table(['scheme', 'rule', 'deductions', 'points', 'ended early'], r.sanctions.rules.map((x) => [x.scheme, x.title, x.deductions, x.points, x.ended])));

  s.push('<h2>Decisions per provider and purpose</h2>');
  s.push(barChart('Decisions per provider and purpose', r.decisions.map((d) => ({ label: `${d.providerName ?? d.provider ?? 'operators'} · ${d.purpose}`, value: d.total }))));
  s.push(table(['provider', 'purpose', 'answers', 'allow', 'with conditions', 'deny'], r.decisions.map((d) => [d.providerName ?? d.provider ?? 'operators', d.purpose, d.total, d.outcomes.allow ?? 0, d.outcomes.allow_with_conditions ?? 0, d.outcomes.deny ?? 0])));

  s.push('<h2>Disputes, reviews and restorations</h2>');
  s.push(`<p>${esc(r.disputes.opened)} disputes opened (${esc(r.disputes.ofRecords)} of records, ${esc(r.disputes.ofDecisions)} of decisions).</p>`);
  s.push(barChart('Disputes closed, by outcome', Object.entries(r.disputes.closed).map(([label, value]) => ({ label, value }))));
  s.push(`<p>Community reports reviewed: ${esc(r.reviews.approved)} approved, ${esc(r.reviews.rejected)} rejected. Restorations: ${esc(r.restorations.applied)} applied for, ${esc(r.restorations.granted)} granted, ${esc(r.restorations.refused)} refused.</p>`);

  s.push(`<h2>Sources</h2><p class="note">Late: sent more than ${esc(r.method.reportedLateDays)} days after the conduct. Overturned: a dispute closed ${esc(r.method.overturningOutcomes.join(', '))}. Shares are of the records received in the period.</p>`);
  s.push(barChart('Share of records overturned on dispute, per source', r.sources.filter((x) => x.overturnedShare !== null).map((x) => ({ label: x.name, value: x.overturnedShare! })), { format: (v) => pct(v) }));
  s.push(table(['source', 'records', 'late', 'late share', 'disputed', 'overturned', 'overturned share'], r.sources.map((x) => [x.name, x.records, x.late, pct(x.lateShare), x.disputed, x.overturned, pct(x.overturnedShare)])));

  s.push('<h2>Retention</h2>');
  s.push(`<p>${esc(r.retention.records)} records deleted past their retention.</p>`);
  s.push(table(['record type', 'deleted'], Object.entries(r.retention.byType)));

  s.push(`<h2>Method</h2><p class="note">From the audit log (anyone holding it recomputes them): ${esc(r.method.fromLog.join(', '))}. From the records held today: ${esc(r.method.fromRecords.join(', '))}.</p>`);
  s.push('</body></html>');
  return s.join('\n');
}
