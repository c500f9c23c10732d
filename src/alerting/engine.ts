// The alert engine: on a schedule (an injected clock and timer, so tests run on simulated time),
// every enabled rule is evaluated against the store through the analyzer; each group's alert steps
// through its lifecycle; firing and resolved alerts are delivered to the rule's channels unless a
// silence mutes them; every transition and every delivery outcome goes to the history.
import { RollupReader } from '../analyzer/rollup-reader.js';
import type { Db } from '../analyzer/store.js';
import { systemClock, type Clock } from '../telemetry/ports.js';
import { anomalyVerdict, thresholdVerdict, versionChanges, type AnomalyScorer, type ScorerFactory } from './condition.js';
import type { AlertConfigStore } from './config-store.js';
import { HistoryLog } from './history.js';
import { alertKey, silencing, step, type Alert, type Observation } from './lifecycle.js';
import { readMetric } from './metric.js';
import { deliver, DEFAULT_RETRY, realSleep, type DeliveryOutcome, type RetryPolicy, type Sleep } from './notify/delivery.js';
import { messageOf, slackBody, textOf, titleOf, type AlertMessage } from './notify/message.js';
import { notifierFor, type Notifier } from './notify/notifier.js';
import type { AlertingConfig, Channel, Rule } from './rule.js';

/** Runs `fn` every `ms`; returns a function that stops it. */
export interface TimerPort {
  every(ms: number, fn: () => void): () => void;
}

export const realTimer: TimerPort = {
  every(ms, fn) {
    const h = setInterval(fn, ms);
    h.unref();
    return () => clearInterval(h);
  },
};

/** Rules comparing versions run the whole release comparison; once per this is enough (a release
 *  does not change its verdict from one minute to the next). */
const VERSION_CHANGE_EVERY_MS = 15 * 60_000;
/** A rule is evaluated at most once per this share of its window: a 24 h window moves by 1/60 of
 *  itself in 24 minutes, and scanning a day of raw events every 30 s would hold the collector's
 *  event loop for seconds (bench:alerts). Windows up to 30 minutes are evaluated at every tick. */
const WINDOW_STEP_SHARE = 1 / 60;

export interface AlertEngineOptions {
  db: Db;
  config: AlertConfigStore;
  history?: HistoryLog;
  clock?: Clock;
  /** The streaming anomaly detector (the analyzer's createDetector); anomaly rules need it. */
  scorer?: ScorerFactory;
  notifierFor?: (ch: Channel) => Notifier;
  retry?: RetryPolicy;
  sleep?: Sleep;
  /** Called after each delivery attempt sequence ends (metrics). */
  onDelivery?: (channel: string, outcome: DeliveryOutcome | { status: 'silenced' }) => void;
}

export interface RuleStatus {
  ruleId: string;
  lastEvaluatedAt: number | null;
  lastError: string | null;
}

export class AlertEngine {
  readonly history: HistoryLog;
  private readonly reader: RollupReader;
  private readonly clock: Clock;
  private readonly alerts = new Map<string, Alert>();
  private readonly scorers = new Map<string, { scorer: AnomalyScorer; seen: number }>();
  private readonly versionCache = new Map<string, { at: number; obs: { labels: Alert['labels']; o: Observation }[] }>();
  private readonly status = new Map<string, RuleStatus>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly notifiers = new Map<string, { def: string; n: Notifier }>();
  private stopTimer: (() => void) | null = null;

  constructor(private readonly o: AlertEngineOptions) {
    this.reader = new RollupReader(o.db);
    this.clock = o.clock ?? systemClock;
    this.history = o.history ?? new HistoryLog();
    this.restore();
    // A changed rule starts over: its detector state and cached comparisons belong to the old one.
    o.config.onChange((c) => {
      const ids = new Set(c.rules.map((r) => r.id));
      for (const k of [...this.scorers.keys()]) if (!ids.has(k.split('{')[0]!)) this.scorers.delete(k);
      this.versionCache.clear();
    });
  }

  /** The alerts that were pending or firing when the collector stopped, from the history: a
   *  restart must not page again for a problem already paged, and must still page its resolution. */
  private restore(): void {
    const rules = new Map(this.o.config.get().rules.map((r) => [r.id, r]));
    for (const e of this.history.list({ kind: 'alert', limit: Number.MAX_SAFE_INTEGER }).reverse()) {
      if (e.kind !== 'alert' || !rules.has(e.ruleId)) continue;
      const prev = this.alerts.get(e.key);
      if (e.transition === 'resolved' || e.transition === 'cleared') {
        this.alerts.delete(e.key);
        continue;
      }
      const facts = { value: e.value, reason: e.reason, evidence: e.evidence, sessions: 0, devices: 0, affectedDevices: 0 };
      const base: Alert = prev ?? { key: e.key, ruleId: e.ruleId, severity: rules.get(e.ruleId)!.severity, labels: e.labels, status: 'pending', since: e.at, firingSince: null, resolvedAt: null, lastNotifiedAt: null, ...facts };
      if (e.transition === 'pending') this.alerts.set(e.key, { ...base, ...facts, status: 'pending' });
      else this.alerts.set(e.key, { ...base, ...facts, status: 'firing', firingSince: base.firingSince ?? e.at, lastNotifiedAt: e.at });
    }
  }

  start(timer: TimerPort = realTimer): void {
    if (this.stopTimer !== null) return;
    this.stopTimer = timer.every(this.o.config.get().evaluateEveryMs, () => this.evaluate());
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** Resolves once every delivery started so far has ended (delivered or given up). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Alerts now pending or firing, with the silence that mutes each, if any. */
  active(now = this.clock.now()): (Alert & { silencedBy: string | null })[] {
    const silences = this.o.config.get().silences;
    return [...this.alerts.values()].map((a) => ({ ...a, silencedBy: silencing(silences, a, now)?.id ?? null }));
  }

  rulesStatus(): RuleStatus[] {
    return [...this.status.values()];
  }

  evaluate(now = this.clock.now()): void {
    const cfg = this.o.config.get();
    const live = new Set<string>();
    for (const rule of cfg.rules) {
      if (!rule.enabled) continue;
      live.add(rule.id);
      const st: RuleStatus = this.status.get(rule.id) ?? { ruleId: rule.id, lastEvaluatedAt: null, lastError: null };
      this.status.set(rule.id, st);
      if (st.lastEvaluatedAt !== null && now - st.lastEvaluatedAt < Math.max(cfg.evaluateEveryMs, rule.windowMs * WINDOW_STEP_SHARE)) continue;
      try {
        this.evaluateRule(rule, cfg, now);
        st.lastEvaluatedAt = now;
        st.lastError = null;
      } catch (e) {
        // One broken rule (or a store hiccup) must not stop the others; the status shows it.
        st.lastError = (e as Error).message;
      }
    }
    // Alerts of rules removed or disabled end without a page: nobody asks about them any more.
    for (const [key, a] of this.alerts) {
      if (live.has(a.ruleId)) continue;
      this.alerts.delete(key);
      this.history.append({ kind: 'alert', at: now, key, ruleId: a.ruleId, severity: a.severity, labels: a.labels, transition: 'cleared', value: a.value, reason: 'rule removed or disabled', evidence: a.evidence });
    }
  }

  private observe(rule: Rule, cfg: AlertingConfig, now: number): { labels: Alert['labels']; o: Observation }[] {
    const c = rule.condition;
    if (c.kind === 'change_vs_previous_version') {
      const cached = this.versionCache.get(rule.id);
      if (cached !== undefined && now - cached.at < VERSION_CHANGE_EVERY_MS) return cached.obs;
      const obs = versionChanges(this.reader, rule, now).map((v) => ({
        labels: { version: v.version },
        o: this.withVolume(rule, { holds: v.holds, value: v.finding?.candidate ?? null, reason: v.reason, evidence: v.finding?.evidence ?? '', sessions: v.sessions, devices: v.devices, affectedDevices: v.devices }),
      }));
      this.versionCache.set(rule.id, { at: now, obs });
      return obs;
    }
    return readMetric(this.reader.st, rule, now).map((p) => {
      const base = { value: p.value, evidence: p.evidence, sessions: p.sessions, devices: p.devices, affectedDevices: p.affectedDevices };
      if (c.kind === 'threshold') return { labels: p.labels, o: this.withVolume(rule, { ...base, ...thresholdVerdict(c, p.value) }) };
      const key = alertKey(rule.id, p.labels);
      const s = this.scorerFor(rule, key, p.labels, now, cfg.evaluateEveryMs);
      if (p.value === null) return { labels: p.labels, o: { ...base, holds: false, reason: 'no data' } };
      const score = s.scorer.update(now, p.value);
      s.seen++;
      return { labels: p.labels, o: this.withVolume(rule, { ...base, ...anomalyVerdict(c, score, s.seen) }) };
    });
  }

  /** A detector per rule and group, taught the group's recent past from the store first, so a new
   *  rule (or a restarted collector) judges at once instead of after warmupPoints evaluations. */
  private scorerFor(rule: Rule, key: string, labels: Alert['labels'], now: number, stepMs: number): { scorer: AnomalyScorer; seen: number } {
    let s = this.scorers.get(key);
    if (s !== undefined) return s;
    if (this.o.scorer === undefined) throw new Error(`rule "${rule.id}" needs an anomaly scorer and none is configured`);
    const warmup = rule.condition.kind === 'anomaly' ? rule.condition.warmupPoints : 0;
    s = { scorer: this.o.scorer({ warmupPoints: warmup, ...(rule.metric.includes('ratio') || rule.metric === 'error_rate' || rule.metric === 'crash_free_sessions' ? { minValue: 0, maxValue: 1 } : { minValue: 0 }) }), seen: 0 };
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

  private withVolume(rule: Rule, o: Observation): Observation {
    const { sessions, devices, affectedDevices } = rule.minVolume;
    if (o.holds && (o.sessions < sessions || o.devices < devices || o.affectedDevices < affectedDevices)) {
      return { ...o, holds: false, reason: `${o.reason}, but below the minimum volume (${o.devices} devices of ${devices}, ${o.affectedDevices} affected of ${affectedDevices}, ${o.sessions} sessions of ${sessions})` };
    }
    return o;
  }

  private evaluateRule(rule: Rule, cfg: AlertingConfig, now: number): void {
    const seen = new Set<string>();
    const observations = this.observe(rule, cfg, now);
    // Groups with an alert but no data this time: the condition no longer holds for them.
    for (const a of this.alerts.values()) {
      if (a.ruleId !== rule.id) continue;
      if (!observations.some((x) => alertKey(rule.id, x.labels) === a.key)) observations.push({ labels: a.labels, o: { holds: false, value: null, reason: 'no data', evidence: '', sessions: 0, devices: 0, affectedDevices: 0 } });
    }
    for (const { labels, o } of observations) {
      const key = alertKey(rule.id, labels);
      if (seen.has(key)) continue;
      seen.add(key);
      const prev = this.alerts.get(key);
      const { next, transition } = step(prev, rule, key, labels, o, now);
      if (next === undefined || next.status === 'resolved') this.alerts.delete(key);
      else this.alerts.set(key, next);
      if (transition === null) continue;
      const a = next ?? prev!;
      const silence = silencing(cfg.silences, a, now);
      this.history.append({ kind: 'alert', at: now, key, ruleId: rule.id, severity: rule.severity, labels, transition, value: o.value, reason: o.reason, evidence: o.evidence, ...(silence ? { silencedBy: silence.id } : {}) });
      if (transition === 'firing' || transition === 'repeat' || transition === 'resolved') {
        this.notify(rule, cfg, messageOf(rule, a, transition === 'resolved' ? 'resolved' : 'firing', now), silence?.id);
      }
    }
  }

  /** Sends a message that no rule raised (the release monitor's) to every channel. */
  notifyAll(m: AlertMessage): void {
    const cfg = this.o.config.get();
    this.send(cfg.channels, m.rule.id, m, undefined);
  }

  private notify(rule: Rule, cfg: AlertingConfig, m: AlertMessage, silencedBy: string | undefined): void {
    this.send(cfg.channels.filter((ch) => rule.channels === undefined || rule.channels.includes(ch.name)), rule.id, m, silencedBy);
  }

  private send(channels: readonly Channel[], ruleId: string, m: AlertMessage, silencedBy: string | undefined): void {
    for (const ch of channels) {
      if (silencedBy !== undefined) {
        this.history.append({ kind: 'delivery', at: m.at, key: m.alertKey, ruleId, channel: ch.name, notification: m.id, status: 'silenced', attempts: 0, error: `silenced by ${silencedBy}` });
        this.o.onDelivery?.(ch.name, { status: 'silenced' });
        continue;
      }
      const n = this.notifier(ch);
      const p = deliver(n, { subject: titleOf(m), text: textOf(m), json: slackBody(m) }, this.o.retry ?? DEFAULT_RETRY, this.o.sleep ?? realSleep).then((out) => {
        this.history.append({ kind: 'delivery', at: this.clock.now(), key: m.alertKey, ruleId, channel: ch.name, notification: m.id, status: out.status, attempts: out.attempts, ...(out.error === undefined ? {} : { error: out.error }) });
        this.o.onDelivery?.(ch.name, out);
      });
      const tracked = p.finally(() => this.inFlight.delete(tracked));
      this.inFlight.add(tracked);
    }
  }

  private notifier(ch: Channel): Notifier {
    const def = JSON.stringify(ch);
    const cached = this.notifiers.get(ch.name);
    if (cached !== undefined && cached.def === def) return cached.n;
    const n = (this.o.notifierFor ?? notifierFor)(ch);
    this.notifiers.set(ch.name, { def, n });
    return n;
  }
}
