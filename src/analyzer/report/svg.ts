// Inline SVG charts for the HTML report: no script, no external asset, readable without CSS.
import { bytes, duration, int, pct } from '../format.js';
import { isoDay, isoMinute, DAY_MS } from '../time.js';
import type { Chart } from './model.js';

const W = 640;
const H = 180;
const PAD = { left: 64, right: 12, top: 12, bottom: 28 };
const COLORS = ['#2563eb', '#d97706', '#059669', '#dc2626'];

export function formatValue(unit: Chart['unit'], v: number): string {
  switch (unit) {
    case 'percent':
      return pct(v, v < 0.1 ? 2 : 1);
    case 'ms':
      return duration(v);
    case 'bytes':
      return bytes(v);
    default:
      return int(v);
  }
}

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function chartSvg(c: Chart): string {
  const values = c.series.flatMap((s) => s.points.map((p) => p.v)).filter((v): v is number => v !== null);
  const ts = c.series[0]?.points.map((p) => p.t) ?? [];
  if (values.length === 0 || ts.length === 0) return `<p class="none">No data for this chart.</p>`;
  let lo = c.kind === 'bar' || c.unit !== 'percent' ? 0 : Math.min(...values);
  let hi = Math.max(...values);
  if (c.unit === 'percent' && c.kind === 'line') {
    lo = Math.max(0, lo - (hi - lo) * 0.1 - 0.001);
    hi = Math.min(1, hi + (hi - lo) * 0.1 + 0.001);
  }
  if (hi === lo) hi = lo + 1;
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (ts.length === 1 ? iw / 2 : (i / (ts.length - 1)) * iw);
  const y = (v: number) => PAD.top + ih - ((v - lo) / (hi - lo)) * ih;
  const parts: string[] = [];
  parts.push(`<line x1="${PAD.left}" y1="${PAD.top + ih}" x2="${W - PAD.right}" y2="${PAD.top + ih}" stroke="#999"/>`);
  for (const v of [lo, (lo + hi) / 2, hi]) {
    parts.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11" fill="#555">${esc(formatValue(c.unit, v))}</text>`);
    parts.push(`<line x1="${PAD.left}" y1="${y(v)}" x2="${W - PAD.right}" y2="${y(v)}" stroke="#eee"/>`);
  }
  const label = (t: number) => (c.bucketMs >= DAY_MS ? isoDay(t).slice(5) : isoMinute(t).slice(11));
  for (const i of [...new Set([0, Math.floor((ts.length - 1) / 2), ts.length - 1])]) {
    parts.push(`<text x="${x(i)}" y="${H - 8}" text-anchor="middle" font-size="11" fill="#555">${esc(label(ts[i]!))}</text>`);
  }
  c.series.forEach((s, si) => {
    const color = COLORS[si % COLORS.length]!;
    if (c.kind === 'bar') {
      const bw = Math.max(1, (iw / ts.length) * 0.8);
      s.points.forEach((p, i) => {
        if (p.v === null) return;
        parts.push(`<rect x="${(x(i) - bw / 2).toFixed(1)}" y="${y(p.v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(PAD.top + ih - y(p.v)).toFixed(1)}" fill="${color}"><title>${esc(`${label(p.t)}: ${formatValue(c.unit, p.v)}`)}</title></rect>`);
      });
      return;
    }
    // A line broken where there is no data, and a dot on each point so a lone point shows.
    let d = '';
    let pen = false;
    s.points.forEach((p, i) => {
      if (p.v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.v).toFixed(1)}`;
      pen = true;
    });
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    s.points.forEach((p, i) => {
      if (p.v !== null) parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="2" fill="${color}"><title>${esc(`${s.label} ${label(p.t)}: ${formatValue(c.unit, p.v)}`)}</title></circle>`);
    });
  });
  const legend = c.series.length > 1 ? c.series.map((s, i) => `<tspan fill="${COLORS[i % COLORS.length]}">■ ${esc(s.label)}</tspan>`).join(' ') : '';
  if (legend) parts.push(`<text x="${PAD.left + 4}" y="${PAD.top + 10}" font-size="11">${legend}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(c.title)}">${parts.join('')}</svg>`;
}

/** A one-line text sparkline for Markdown. */
export function sparkline(values: (number | null)[]): string {
  const xs = values.filter((v): v is number => v !== null);
  if (xs.length === 0) return '';
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const bars = '▁▂▃▄▅▆▇█';
  return values.map((v) => (v === null ? ' ' : bars[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * 7)]!)).join('');
}
