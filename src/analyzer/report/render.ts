// A report as Markdown and as one self-contained HTML page (inline CSS and SVG; no script, no
// external asset), so it can be mailed, attached to a CI run or shown in the dashboard's frame.
import type { RenderedReport } from '../../telemetry/bridge.js';
import { isoMinute } from '../time.js';
import type { ReportModel, Table } from './model.js';
import { chartSvg, esc, formatValue, sparkline } from './svg.js';

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function mdTable(t: Table): string {
  if (t.rows.length === 0) return `_${t.empty}_\n`;
  return [`| ${t.columns.map(mdCell).join(' | ')} |`, `|${t.columns.map(() => ' --- ').join('|')}|`, ...t.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n') + '\n';
}

export function toMarkdown(m: ReportModel): string {
  const out: string[] = [];
  out.push(`# ${m.title}`, '', `_${m.store === 'collector' ? 'Fleet (collector store)' : 'This device'}; generated ${isoMinute(m.generatedAt)} UTC; compared with the period starting ${isoMinute(m.previousFrom)} UTC._`, '');
  out.push('## Insights', '', ...(m.insights.length ? m.insights.map((i) => `- ${i}`) : ['- Nothing stands out.']), '');
  if (m.release) out.push(`## ${m.release.table.title}`, '', mdTable(m.release.table));
  out.push(`## Headline numbers (this ${m.period} vs the previous ${m.period}, all versions)`, '', mdTable({ title: '', columns: headlineColumns(m), rows: m.headlines.map((h) => [h.label, h.value, h.previous, `${h.change}${h.worse ? ' ⚠' : ''}`]), empty: '' }));
  out.push('## Trends', '');
  for (const c of m.charts) {
    for (const s of c.series) {
      const vs = s.points.map((p) => p.v);
      const xs = vs.filter((v): v is number => v !== null);
      const range = xs.length ? `${formatValue(c.unit, Math.min(...xs))} .. ${formatValue(c.unit, Math.max(...xs))}` : 'no data';
      out.push(`- **${c.title}${c.series.length > 1 ? ` (${s.label})` : ''}**: \`${sparkline(vs)}\` ${range}`);
    }
  }
  out.push('');
  for (const t of m.tables) out.push(`## ${t.title}`, '', mdTable(t));
  return out.join('\n');
}

function headlineColumns(m: ReportModel): string[] {
  return ['Metric', `This ${m.period}`, `Previous ${m.period}`, `Change vs previous ${m.period}`];
}

// Colours meet WCAG AA contrast in both schemes; the page follows the reader's dark preference
// (the dashboard's report frame and a saved file alike).
const CSS = `:root{color-scheme:light dark;--fg:#111;--bg:#fff;--muted:#4b5563;--line:#e5e7eb;--head:#f3f4f6;--bad:#b91c1c}
@media (prefers-color-scheme:dark){:root{--fg:#e5e7eb;--bg:#121417;--muted:#a1a1aa;--line:#2f3338;--head:#1c1f23;--bad:#f87171}}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);max-width:1100px;margin:24px auto;padding:0 16px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid var(--line);padding-bottom:4px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--head)}.worse{color:var(--bad);font-weight:600}.meta{color:var(--muted)}.charts{display:flex;flex-wrap:wrap;gap:16px}
figure{margin:0}figcaption{font-weight:600;margin-bottom:4px}.none{color:var(--muted);font-style:italic}.new{color:var(--bad);font-weight:700}
svg{max-width:100%;height:auto}svg text{fill:var(--muted)}`;

function htmlTable(t: Table): string {
  if (t.rows.length === 0) return `<p class="none">${esc(t.empty)}</p>`;
  const cell = (s: string) => (s === 'NEW' ? `<td class="new">NEW</td>` : s === 'REGRESSION' ? `<td class="worse">REGRESSION</td>` : `<td>${esc(s)}</td>`);
  return `<table><thead><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

export function toHtml(m: ReportModel): string {
  const b: string[] = [];
  b.push(`<h1>${esc(m.title)}</h1>`);
  b.push(`<p class="meta">${m.store === 'collector' ? 'Fleet (collector store)' : 'This device'}; generated ${esc(isoMinute(m.generatedAt))} UTC; compared with the period starting ${esc(isoMinute(m.previousFrom))} UTC.</p>`);
  b.push('<h2>Insights</h2>', `<ul>${(m.insights.length ? m.insights : ['Nothing stands out.']).map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`);
  if (m.release) b.push(`<h2>${esc(m.release.table.title)}</h2>`, htmlTable(m.release.table));
  b.push(`<h2>Headline numbers (this ${esc(m.period)} vs the previous ${esc(m.period)}, all versions)</h2>`);
  b.push(`<table><thead><tr>${headlineColumns(m).map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${m.headlines.map((h) => `<tr><td>${esc(h.label)}</td><td>${esc(h.value)}</td><td>${esc(h.previous)}</td><td${h.worse ? ' class="worse"' : ''}>${esc(h.change)}</td></tr>`).join('')}</tbody></table>`);
  b.push('<h2>Trends</h2>', `<div class="charts">${m.charts.map((c) => `<figure><figcaption>${esc(c.title)}</figcaption>${chartSvg(c)}</figure>`).join('')}</div>`);
  for (const t of m.tables) b.push(`<h2>${esc(t.title)}</h2>`, htmlTable(t));
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(m.title)}</title><style>${CSS}</style></head><body><main>${b.join('\n')}</main></body></html>\n`;
}

export function renderReport(m: ReportModel): RenderedReport {
  return { kind: m.kind, markdown: toMarkdown(m), html: toHtml(m) };
}
