// A rule's metric over its window, per group, read from the store through the analyzer: the value
// and the volume behind it (sessions, devices), so a rule can refuse to judge a handful of devices.
import { crashConcentrations } from '../analyzer/fleet/crash-concentration.js';
import { MEASURES, type MeasureKey } from '../analyzer/measures.js';
import { windowOf } from '../analyzer/time.js';
import type { Statements } from '../analyzer/store.js';
import { windowHistograms, windowStats, type GroupKey, type WindowFilter, type WindowStats } from '../analyzer/window-stats.js';
import type { MetricName, Rule } from './rule.js';

export interface MetricPoint {
  /** Group values in the order of the rule's groupBy (e.g. { version: '1.6.0' }). */
  labels: Partial<Record<GroupKey, string>>;
  /** null: nothing to compute it from (no sessions, no measurements). */
  value: number | null;
  sessions: number;
  devices: number;
  /** Devices the metric's problem touched (crashed, or errored for error_rate); all devices otherwise. */
  affectedDevices: number;
  /** The counts behind the value, for the person reading the alert. */
  evidence: string;
}

const PERCENTILE: Partial<Record<MetricName, { measure: MeasureKey; q: number }>> = {
  api_latency_p50: { measure: 'apiLatency', q: 0.5 },
  api_latency_p95: { measure: 'apiLatency', q: 0.95 },
  api_latency_p99: { measure: 'apiLatency', q: 0.99 },
  llm_time_to_first_token_p95: { measure: 'llmTimeToFirstToken', q: 0.95 },
  tool_call_p95: { measure: 'toolCall', q: 0.95 },
  load_time_p95: { measure: 'loadTime', q: 0.95 },
  sync_time_p95: { measure: 'syncTime', q: 0.95 },
  memory_p95: { measure: 'memoryBytes', q: 0.95 },
};

export function percentileOf(metric: MetricName): { measure: MeasureKey; q: number } | undefined {
  return PERCENTILE[metric];
}

/** The unit a metric's value is in, for messages. */
export function unitOf(metric: MetricName): 'ratio' | 'count' | 'ms' | 'bytes' {
  if (metric === 'crash_free_sessions' || metric === 'crashed_devices_ratio' || metric === 'error_rate') return 'ratio';
  if (metric === 'crashed_devices' || metric === 'event_count' || metric === 'crash_concentration') return 'count';
  return metric === 'memory_p95' ? 'bytes' : 'ms';
}

function fromStats(metric: MetricName, s: WindowStats): { value: number | null; evidence: string } {
  switch (metric) {
    case 'crash_free_sessions':
      return { value: s.sessions > 0 ? 1 - s.crashedSessions / s.sessions : null, evidence: `${s.crashedSessions} of ${s.sessions} sessions crashed` };
    case 'crashed_devices_ratio':
      return { value: s.devices > 0 ? s.crashedDevices / s.devices : null, evidence: `${s.crashedDevices} of ${s.devices} devices crashed` };
    case 'crashed_devices':
      return { value: s.crashedDevices, evidence: `${s.crashedDevices} of ${s.devices} devices crashed` };
    case 'error_rate':
      return { value: s.events > 0 ? (s.errors + s.crashes) / s.events : null, evidence: `${s.errors} errors and ${s.crashes} crashes in ${s.events} events` };
    default:
      return { value: s.matching, evidence: `${s.matching} matching events of ${s.events}` };
  }
}

function affected(metric: MetricName, s: WindowStats): number {
  if (metric === 'crash_free_sessions' || metric === 'crashed_devices_ratio' || metric === 'crashed_devices') return s.crashedDevices;
  return metric === 'error_rate' ? s.erroredDevices : s.devices;
}

function labelsOf(groupBy: readonly GroupKey[], key: string[]): Partial<Record<GroupKey, string>> {
  const out: Partial<Record<GroupKey, string>> = {};
  groupBy.forEach((g, i) => (out[g] = key[i]));
  return out;
}

/** The rule's metric over [to - windowMs, to), one point per group that has any event. */
export function readMetric(st: Statements, rule: Pick<Rule, 'metric' | 'filters' | 'groupBy' | 'windowMs'>, to: number): MetricPoint[] {
  const f: WindowFilter = { from: to - rule.windowMs, to, ...rule.filters };
  const groups = rule.groupBy;
  const stats = windowStats(st, f, groups);
  if (rule.metric === 'crash_concentration') {
    return stats.map(({ key, stats: s }) => {
      const labels = labelsOf(groups, key);
      const found = crashConcentrations(st, windowOf(f.from, f.to), { version: labels.version ?? rule.filters.version ?? null, os: labels.os ?? rule.filters.os ?? null });
      const top = found[0];
      return {
        labels,
        value: top?.lift ?? 0,
        sessions: s.sessions,
        devices: s.devices,
        affectedDevices: top?.affectedDevices ?? 0,
        evidence: top?.text ?? `no crash signature is over-represented on a platform, version or configuration (${s.crashedSessions} crashed sessions of ${s.sessions})`,
      };
    });
  }
  const p = PERCENTILE[rule.metric];
  if (p === undefined) {
    return stats.map(({ key, stats: s }) => ({ labels: labelsOf(groups, key), ...fromStats(rule.metric, s), sessions: s.sessions, devices: s.devices, affectedDevices: affected(rule.metric, s) }));
  }
  // A percentile: the first of the measure's sources with data in the window (never a mix).
  const sources = MEASURES[p.measure].sources;
  let hists = windowHistograms(st, f, sources[0]!, groups);
  for (let i = 1; i < sources.length && hists.every((h) => h.histogram.count === 0); i++) hists = windowHistograms(st, f, sources[i]!, groups);
  const byKey = new Map(hists.map((h) => [h.key.join('\u0000'), h.histogram]));
  return stats.map(({ key, stats: s }) => {
    const h = byKey.get(key.join('\u0000'));
    const n = h?.count ?? 0;
    return { labels: labelsOf(groups, key), value: n > 0 ? h!.quantile(p.q) : null, sessions: s.sessions, devices: s.devices, affectedDevices: s.devices, evidence: `p${Math.round(p.q * 100)} of ${n} measurements` };
  });
}
