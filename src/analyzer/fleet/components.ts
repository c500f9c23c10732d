// Performance by component: latency and throughput percentiles per LLM provider and model, per MCP
// server and tool (from the context the instrumentation gives those events: src/telemetry/
// instrument/mcp-client.ts), and per operation (every measure, from the rollups), each per version
// so versions can be compared side by side.
import { METRIC } from '../../telemetry/event/metric-names.js';
import { Histogram } from '../../telemetry/rollup/histogram.js';
import { MEASURES, sourceKey } from '../measures.js';
import { summarize } from '../percentiles.js';
import type { RollupReader } from '../rollup-reader.js';
import type { Window } from '../time.js';
import { compareVersions, newestFirst } from '../versions.js';

export type ComponentKind = 'llm' | 'mcp' | 'operation';

export interface ComponentRow {
  kind: ComponentKind;
  /** `anthropic / claude-sonnet`, `github / create_issue`, or a measure's label. */
  component: string;
  version: string;
  metric: string;
  unit: string;
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

const LLM_NAMES = [METRIC.llmInference, METRIC.llmTimeToFirstToken, METRIC.llmTokensPerSecond] as const;

export function componentPerformance(reader: RollupReader, window: Window): ComponentRow[] {
  const hists = new Map<string, { kind: ComponentKind; component: string; version: string; metric: string; h: Histogram }>();
  const add = (kind: ComponentKind, component: string, version: string, metric: string, value: number) => {
    const k = `${kind}\u0000${component}\u0000${version}\u0000${metric}`;
    let e = hists.get(k);
    if (e === undefined) hists.set(k, (e = { kind, component, version, metric, h: new Histogram() }));
    e.h.add(value);
  };
  const names = [...LLM_NAMES, METRIC.mcpToolCall];
  const rows = reader.st
    .get(
      `SELECT name, app_version, json_extract(payload, '$.value'), json_extract(payload, '$.context.provider'), json_extract(payload, '$.context.model'),
              json_extract(payload, '$.context.server'), json_extract(payload, '$.context.tool')
       FROM events WHERE event_type = 'performance' AND name IN (${names.map(() => '?').join(',')}) AND ts >= ? AND ts < ?`,
    )
    .raw()
    .iterate(...names, window.from, window.to) as Iterable<[string, string, unknown, unknown, unknown, unknown, unknown]>;
  for (const [name, version, value, provider, model, server, tool] of rows) {
    if (typeof value !== 'number') continue;
    if (name === METRIC.mcpToolCall) {
      if (typeof server === 'string') add('mcp', `${server} / ${typeof tool === 'string' ? tool : '(any tool)'}`, version, name, value);
    } else if (typeof provider === 'string') {
      add('llm', `${provider} / ${typeof model === 'string' ? model : '(any model)'}`, version, name, value);
    }
  }
  const out: ComponentRow[] = [...hists.values()].map((e) => ({ kind: e.kind, component: e.component, version: e.version, metric: e.metric, unit: unitOf(e.metric), ...summarize(e.h) }));
  // Operations: every measure per version, straight from the rollups' histograms.
  const slice = { window, version: null };
  for (const version of newestFirst(reader.versions(slice))) {
    const byMeasure = reader.histograms({ window, version }, Object.values(MEASURES).flatMap((m) => m.sources));
    for (const m of Object.values(MEASURES)) {
      const src = m.sources.find((s) => (byMeasure.get(sourceKey(s.type, s.name))?.get(0)?.count ?? 0) > 0);
      if (src === undefined) continue;
      const p = summarize(byMeasure.get(sourceKey(src.type, src.name))?.get(0));
      out.push({ kind: 'operation', component: m.label, version, metric: src.name, unit: m.unit, ...p });
    }
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.component.localeCompare(b.component) || a.metric.localeCompare(b.metric) || compareVersions(b.version, a.version));
}

function unitOf(metric: string): string {
  return metric === METRIC.llmTokensPerSecond ? 'tokens/s' : 'ms';
}
