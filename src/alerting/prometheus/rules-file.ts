// The alert rules as a Prometheus rules file, over the series the collector's /metrics serves, so
// a team that already runs Prometheus and Alertmanager gets the same pages from them. Threshold
// rules translate; anomaly and version-comparison rules need the embedded engine and are listed as
// skipped with the reason (as are filters the series cannot express).
import { stringify } from 'yaml';
import { percentileOf } from '../metric.js';
import type { Rule } from '../rule.js';
import { GAUGE_WINDOWS, type GaugeWindow } from './collector-metrics.js';

export interface ExportedRules {
  yaml: string;
  exported: string[];
  skipped: { id: string; reason: string }[];
}

const OP = { above: '>', at_least: '>=', below: '<', at_most: '<=' } as const;
const TYPES_OF: Record<string, string> = { usage: 'app|feature', performance: 'performance|network', errors: 'error', crashes: 'crash' };
const LATENCY_MEASURE: Record<string, string> = { apiLatency: 'api_latency', llmTimeToFirstToken: 'llm_time_to_first_token', toolCall: 'tool_call', loadTime: 'load_time', syncTime: 'sync_time' };

/** `crash-spike` → `CrashSpike`: Prometheus' naming for alerts. */
export function alertName(id: string): string {
  return id.split(/[^a-zA-Z0-9]+/).filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('') || 'Alert';
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

function quote(v: string): string {
  return JSON.stringify(v);
}

function gaugeWindow(ms: number): GaugeWindow | undefined {
  return (Object.keys(GAUGE_WINDOWS) as GaugeWindow[]).find((w) => GAUGE_WINDOWS[w] === ms);
}

/** The rule's metric as PromQL, or why it cannot be expressed. */
export function promql(rule: Rule): { expr: string } | { skip: string } {
  if (rule.condition.kind !== 'threshold') return { skip: `${rule.condition.kind} conditions run in the embedded engine only` };
  if (rule.metric === 'crash_concentration') return { skip: 'crash concentration is computed from the raw crash rows and session attributes, which /metrics does not carry' };
  const by = rule.groupBy.join(', ');
  const sel = (extra: string[]) => {
    const m = [...extra];
    if (rule.filters.version !== undefined) m.push(`version=${quote(rule.filters.version)}`);
    return `{${m.join(', ')}}`;
  };
  const w = gaugeWindow(rule.windowMs);
  const gaugeOnly = (): string | null => {
    if (w === undefined) return `its window must be one of ${Object.keys(GAUGE_WINDOWS).join(', ')} (the windows /metrics computes)`;
    if (rule.groupBy.includes('os') || rule.filters.os !== undefined) return 'the per-window gauges are per version, not per OS';
    if (rule.filters.category !== undefined || rule.filters.name !== undefined) return 'the per-window gauges count every event, not a category or name';
    return null;
  };
  const sum = (metric: string, extra: string[] = []) => `sum by (${by}) (${metric}${sel(extra)})`;
  const win = [`window=${quote(w ?? '')}`];
  let expr: string;
  const p = percentileOf(rule.metric);
  if (p !== undefined) {
    if (rule.filters.category !== undefined || rule.filters.name !== undefined) return { skip: 'latency histograms have no category or name label' };
    const extra = rule.filters.os !== undefined ? [`os=${quote(rule.filters.os)}`] : [];
    const by2 = ['le', ...rule.groupBy].join(', ');
    if (p.measure === 'memoryBytes') expr = `histogram_quantile(${p.q}, sum by (${by2}) (rate(telemetry_memory_bytes_bucket${sel(extra)}[${seconds(rule.windowMs)}])))`;
    else {
      const measure = LATENCY_MEASURE[p.measure];
      if (measure === undefined) return { skip: `no latency histogram for ${p.measure}` };
      expr = `histogram_quantile(${p.q}, sum by (${by2}) (rate(telemetry_latency_seconds_bucket${sel([`measure=${quote(measure)}`, ...extra])}[${seconds(rule.windowMs)}]))) * 1000`;
    }
  } else if (rule.metric === 'error_rate' || rule.metric === 'event_count') {
    if (rule.groupBy.includes('os') || rule.filters.os !== undefined) return { skip: 'event counters are per version and type, not per OS' };
    if (rule.filters.name !== undefined) return { skip: 'event counters have no name label' };
    const range = `[${seconds(rule.windowMs)}]`;
    const types = rule.filters.category !== undefined ? [`type=~${quote(TYPES_OF[rule.filters.category]!)}`] : [];
    if (rule.metric === 'event_count') expr = `sum by (${by}) (increase(telemetry_events_total${sel(types)}${range}))`;
    else expr = `sum by (${by}) (increase(telemetry_events_total${sel([`type=~"error|crash"`])}${range})) / sum by (${by}) (increase(telemetry_events_total${sel([])}${range}))`;
  } else {
    const why = gaugeOnly();
    if (why !== null) return { skip: why };
    if (rule.metric === 'crash_free_sessions') expr = `1 - ${sum('telemetry_window_crashed_sessions', win)} / ${sum('telemetry_window_sessions', win)}`;
    else if (rule.metric === 'crashed_devices_ratio') expr = `${sum('telemetry_window_crashed_devices', win)} / ${sum('telemetry_window_devices', win)}`;
    else expr = sum('telemetry_window_crashed_devices', win);
  }
  const c = rule.condition;
  let full = `(${expr}) ${OP[c.op]} ${c.value}`;
  // Minimum volume, from the gauges of the same window.
  const v = rule.minVolume;
  const needs: [string, number][] = [];
  if (v.devices > 0) needs.push(['telemetry_window_devices', v.devices]);
  if (v.sessions > 0) needs.push(['telemetry_window_sessions', v.sessions]);
  if (v.affectedDevices > 0) {
    const crash = rule.metric === 'crash_free_sessions' || rule.metric === 'crashed_devices_ratio' || rule.metric === 'crashed_devices';
    needs.push([crash ? 'telemetry_window_crashed_devices' : rule.metric === 'error_rate' ? 'telemetry_window_errored_devices' : 'telemetry_window_devices', v.affectedDevices]);
  }
  if (needs.length > 0) {
    if (w === undefined) return { skip: `a minimum volume needs a window of ${Object.keys(GAUGE_WINDOWS).join(', ')}` };
    if (rule.groupBy.includes('os')) return { skip: 'the volume gauges are per version, not per OS' };
    for (const [metric, n] of needs) full += ` and on (${by}) (${sum(metric, win)} >= ${n})`;
  }
  return { expr: full };
}

export function prometheusRules(rules: readonly Rule[]): ExportedRules {
  const exported: string[] = [];
  const skipped: ExportedRules['skipped'] = [];
  const out = [];
  for (const r of rules) {
    if (!r.enabled) continue;
    const q = promql(r);
    if ('skip' in q) {
      skipped.push({ id: r.id, reason: q.skip });
      continue;
    }
    exported.push(r.id);
    const where = r.groupBy.map((g) => `${g} {{ $labels.${g} }}`).join(', ') || 'the fleet';
    out.push({
      alert: alertName(r.id),
      expr: q.expr,
      for: seconds(r.forMs),
      labels: { severity: r.severity, rule_id: r.id },
      annotations: { summary: `${r.id}: ${r.metric} on ${where} is {{ $value }}`, description: r.description ?? `${r.metric} ${r.condition.kind === 'threshold' ? `${r.condition.op} ${r.condition.value}` : ''}` },
    });
  }
  const header = `# Generated from the collector's alert rules (docs/ALERTING.md). Skipped: ${skipped.length === 0 ? 'none' : skipped.map((s) => `${s.id} (${s.reason})`).join('; ')}\n`;
  return { yaml: header + stringify({ groups: [{ name: 'telemetry', rules: out }] }, { lineWidth: 0 }), exported, skipped };
}
