import type { RenderedReport } from '../../telemetry/bridge.js';
import type { ReportModel } from './build.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function renderReport(m: ReportModel): RenderedReport {
  return {
    kind: m.kind,
    markdown: `# ${m.kind} report\n\n${m.lines.map((l) => `- ${l}`).join('\n')}\n`,
    html: `<!doctype html><meta charset="utf-8"><title>${m.kind} report</title><h1>${m.kind} report</h1><ul>${m.lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`,
  };
}
