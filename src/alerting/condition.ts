// Whether a rule's condition holds for one group: a threshold, an anomaly score from an injected
// streaming scorer, or the release gate's comparison of a version with the one before it.
import { compareVersions, type CompareOptions, type Finding } from '../analyzer/compare.js';
import type { RollupReader } from '../analyzer/rollup-reader.js';
import { windowEnding } from '../analyzer/time.js';
import { newestFirst } from '../analyzer/versions.js';
import type { MetricName, Rule } from './rule.js';

/** The anomaly detector's port (the analyzer's `createDetector` fits it): causal, one point at a
 *  time, a score in [0, 1] per point. */
export interface AnomalyScorer {
  update(timestampMs: number, value: number): number;
}
export type ScorerFactory = (options?: { warmupPoints?: number; minValue?: number; maxValue?: number }) => AnomalyScorer;

export interface Verdict {
  holds: boolean;
  /** What was compared, in words and numbers: "0.021 above 0.01", "score 0.97 >= 0.9". */
  reason: string;
}

export function thresholdVerdict(condition: Extract<Rule['condition'], { kind: 'threshold' }>, value: number | null): Verdict {
  if (value === null) return { holds: false, reason: 'no data' };
  const v = condition.value;
  const holds = condition.op === 'above' ? value > v : condition.op === 'at_least' ? value >= v : condition.op === 'below' ? value < v : value <= v;
  return { holds, reason: `${fmt(value)} ${holds ? '' : 'not '}${condition.op.replace('_', ' ')} ${fmt(v)}` };
}

export function anomalyVerdict(condition: Extract<Rule['condition'], { kind: 'anomaly' }>, score: number, seen: number): Verdict {
  if (seen <= condition.warmupPoints) return { holds: false, reason: `learning (${seen} of ${condition.warmupPoints} points)` };
  const holds = score >= condition.minScore;
  return { holds, reason: `anomaly score ${score.toFixed(3)} ${holds ? '>=' : '<'} ${condition.minScore}` };
}

/** The gate's finding that answers for each metric (compare.ts names them). */
const FINDING: Partial<Record<MetricName, string>> = {
  crash_free_sessions: 'crash-free sessions',
  error_rate: 'error rate',
  api_latency_p95: 'API latency p95',
  llm_time_to_first_token_p95: 'LLM time to first token p95',
  tool_call_p95: 'MCP tool call p95',
  load_time_p95: 'Load time p95',
  sync_time_p95: 'Sync time p95',
  memory_p95: 'Memory p95',
};

export function supportsVersionChange(metric: MetricName): boolean {
  return FINDING[metric] !== undefined;
}

function optionsFor(metric: MetricName, condition: Extract<Rule['condition'], { kind: 'change_vs_previous_version' }>): Partial<CompareOptions> {
  const o: Partial<CompareOptions> = {};
  if (condition.alpha !== undefined) o.alpha = condition.alpha;
  if (condition.maxChange !== undefined) {
    if (metric === 'crash_free_sessions') o.maxCrashFreeDrop = condition.maxChange;
    else if (metric === 'error_rate') o.maxErrorRateIncrease = condition.maxChange;
    else if (metric === 'memory_p95') o.maxMemoryIncrease = condition.maxChange;
    else o.maxP95LatencyIncrease = condition.maxChange;
  }
  return o;
}

export interface VersionChange extends Verdict {
  version: string;
  baseline: string;
  finding: Finding | null;
  /** The candidate's volume in the window. */
  sessions: number;
  devices: number;
}

/** Each version in the window against the version before it (newest first order), on the gate's
 *  test for the rule's metric. */
export function versionChanges(reader: RollupReader, rule: Rule, now: number): VersionChange[] {
  if (rule.condition.kind !== 'change_vs_previous_version') return [];
  const window = windowEnding(now, rule.windowMs);
  const versions = newestFirst(reader.versions({ window, version: null }));
  const wanted = rule.filters.version === undefined ? versions : versions.filter((v) => v === rule.filters.version);
  const out: VersionChange[] = [];
  for (const version of wanted) {
    const baseline = versions[versions.indexOf(version) + 1];
    if (baseline === undefined) continue;
    const c = compareVersions(reader, window, baseline, version, optionsFor(rule.metric, rule.condition));
    const finding = c.findings.find((f) => f.metric === FINDING[rule.metric]) ?? null;
    const volume = { sessions: c.health.candidate.sessions, devices: c.health.candidate.devices };
    if (finding === null || !finding.enoughData) {
      out.push({ version, baseline, finding, ...volume, holds: false, reason: `not enough data to compare ${version} with ${baseline}` });
      continue;
    }
    const effect = finding.effectUnit === 'points' ? `${((finding.effect ?? 0) * 100).toFixed(2)} points worse` : `${((finding.effect ?? 0) * 100).toFixed(1)}% worse`;
    out.push({
      version,
      baseline,
      finding,
      ...volume,
      holds: finding.regression,
      reason: `${finding.metric} ${fmt(finding.baseline)} on ${baseline} -> ${fmt(finding.candidate)} on ${version}: ${effect}, p = ${finding.pValue.toExponential(2)} (level ${finding.alpha.toExponential(2)}); ${finding.evidence}`,
    });
  }
  return out;
}

export function fmt(x: number | null): string {
  if (x === null) return 'n/a';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : String(Number(x.toPrecision(3)));
}
