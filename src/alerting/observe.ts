// What each due rule sees in the store now: its metric per group, judged by its condition (with the
// group's anomaly detector, or the release comparison), with the volume behind it. Pure reading and
// scoring, no lifecycle and no pages, so it can run on the collector's thread (tests, an in-memory
// store) or in the evaluation worker on its own read-only connection (observe-worker.ts).
import { RollupReader } from '../analyzer/rollup-reader.js';
import type { Db } from '../analyzer/store.js';
import { anomalyVerdict, thresholdVerdict, versionChanges, type AnomalyScorer, type ScorerFactory } from './condition.js';
import { alertKey, type Alert, type Observation } from './lifecycle.js';
import { readMetric } from './metric.js';
import type { Rule } from './rule.js';

export interface ObserveRequest {
  /** The rules due now (enabled, their step since the last evaluation passed). */
  rules: Rule[];
  /** Every enabled rule's id: detectors of the others are dropped. */
  liveIds: string[];
  /** Moves on every config change: cached comparisons belong to the old config. */
  generation: number;
  evaluateEveryMs: number;
  now: number;
}

export type ObservedRule = { ruleId: string; observations: { labels: Alert['labels']; o: Observation }[] } | { ruleId: string; error: string };

/** Rules comparing versions run the whole release comparison; once per this is enough (a release
 *  does not change its verdict from one minute to the next). */
const VERSION_CHANGE_EVERY_MS = 15 * 60_000;

export class RuleObserver {
  private readonly reader: RollupReader;
  private readonly scorers = new Map<string, { scorer: AnomalyScorer; seen: number }>();
  private readonly versionCache = new Map<string, { at: number; obs: { labels: Alert['labels']; o: Observation }[] }>();
  private generation = -1;

  constructor(
    db: Db,
    private readonly scorer?: ScorerFactory,
  ) {
    this.reader = new RollupReader(db);
  }

  observe(req: ObserveRequest): ObservedRule[] {
    if (req.generation !== this.generation) {
      // A changed rule starts over: its detector state and cached comparisons belong to the old one.
      const ids = new Set(req.liveIds);
      for (const k of [...this.scorers.keys()]) if (!ids.has(k.split('{')[0]!)) this.scorers.delete(k);
      this.versionCache.clear();
      this.generation = req.generation;
    }
    return req.rules.map((rule) => {
      try {
        return { ruleId: rule.id, observations: this.observeRule(rule, req.evaluateEveryMs, req.now) };
      } catch (e) {
        // One broken rule (or a store hiccup) must not stop the others; the status shows it.
        return { ruleId: rule.id, error: (e as Error).message };
      }
    });
  }

  private observeRule(rule: Rule, stepMs: number, now: number): { labels: Alert['labels']; o: Observation }[] {
    const c = rule.condition;
    if (c.kind === 'change_vs_previous_version') {
      const cached = this.versionCache.get(rule.id);
      if (cached !== undefined && now - cached.at < VERSION_CHANGE_EVERY_MS) return cached.obs;
      const obs = versionChanges(this.reader, rule, now).map((v) => ({
        labels: { version: v.version },
        o: withVolume(rule, { holds: v.holds, value: v.finding?.candidate ?? null, reason: v.reason, evidence: v.finding?.evidence ?? '', sessions: v.sessions, devices: v.devices, affectedDevices: v.devices }),
      }));
      this.versionCache.set(rule.id, { at: now, obs });
      return obs;
    }
    return readMetric(this.reader.st, rule, now).map((p) => {
      const base = { value: p.value, evidence: p.evidence, sessions: p.sessions, devices: p.devices, affectedDevices: p.affectedDevices };
      if (c.kind === 'threshold') return { labels: p.labels, o: withVolume(rule, { ...base, ...thresholdVerdict(c, p.value) }) };
      const s = this.scorerFor(rule, alertKey(rule.id, p.labels), p.labels, now, stepMs);
      if (p.value === null) return { labels: p.labels, o: { ...base, holds: false, reason: 'no data' } };
      const score = s.scorer.update(now, p.value);
      s.seen++;
      return { labels: p.labels, o: withVolume(rule, { ...base, ...anomalyVerdict(c, score, s.seen) }) };
    });
  }

  /** A detector per rule and group, taught the group's recent past from the store first, so a new
   *  rule (or a restarted collector) judges at once instead of after warmupPoints evaluations. */
  private scorerFor(rule: Rule, key: string, labels: Alert['labels'], now: number, stepMs: number): { scorer: AnomalyScorer; seen: number } {
    let s = this.scorers.get(key);
    if (s !== undefined) return s;
    if (this.scorer === undefined) throw new Error(`rule "${rule.id}" needs an anomaly scorer and none is configured`);
    const warmup = rule.condition.kind === 'anomaly' ? rule.condition.warmupPoints : 0;
    s = { scorer: this.scorer({ warmupPoints: warmup, ...(rule.metric.includes('ratio') || rule.metric === 'error_rate' || rule.metric === 'crash_free_sessions' ? { minValue: 0, maxValue: 1 } : { minValue: 0 }) }), seen: 0 };
    const one = { ...rule, filters: { ...rule.filters, ...labels }, groupBy: [] };
    for (let k = warmup; k >= 1; k--) {
      const at = now - k * stepMs;
      const v = readMetric(this.reader.st, one, at)[0]?.value ?? null;
      if (v === null) continue;
      s.scorer.update(at, v);
      s.seen++;
    }
    this.scorers.set(key, s);
    return s;
  }
}

export function withVolume(rule: Rule, o: Observation): Observation {
  const { sessions, devices, affectedDevices } = rule.minVolume;
  if (o.holds && (o.sessions < sessions || o.devices < devices || o.affectedDevices < affectedDevices)) {
    return { ...o, holds: false, reason: `${o.reason}, but below the minimum volume (${o.devices} devices of ${devices}, ${o.affectedDevices} affected of ${affectedDevices}, ${o.sessions} sessions of ${sessions})` };
  }
  return o;
}
