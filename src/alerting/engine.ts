// The alert engine: on a schedule (an injected clock and timer, so tests run on simulated time),
// every enabled rule is evaluated against the store through the analyzer; each group's alert steps
// through its lifecycle; firing and resolved alerts are delivered to the rule's channels unless a
// silence mutes them; every transition and every delivery outcome goes to the history.
import type { Db } from '../analyzer/store.js';
import { systemClock, type Clock } from '../telemetry/ports.js';
import type { ScorerFactory } from './condition.js';
import type { AlertConfigStore } from './config-store.js';
import { HistoryLog } from './history.js';
import { alertKey, silencing, step, type Alert, type Observation } from './lifecycle.js';
import { inThreadSource, type ObservationSource } from './observation-source.js';
import type { ObservedRule } from './observe.js';
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
  /** Where observations are computed: default on this thread (synchronous, with `scorer`); the
   *  collector passes a worker (observation-source.ts) so evaluations never hold its event loop. */
  source?: ObservationSource;
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
  private readonly source: ObservationSource;
  private readonly clock: Clock;
  private readonly alerts = new Map<string, Alert>();
  /** Moves on every config change (the observer drops what belonged to the old rules). */
  private generation = 0;
  /** The evaluation in progress off this thread, if any: a tick that finds one skips. */
  private running: Promise<void> | null = null;
  /** Ticks skipped because the previous evaluation was still running. */
  skippedTicks = 0;
  private readonly status = new Map<string, RuleStatus>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly notifiers = new Map<string, { def: string; n: Notifier }>();
  private stopTimer: (() => void) | null = null;

  constructor(private readonly o: AlertEngineOptions) {
    this.source = o.source ?? inThreadSource(o.db, o.scorer);
    this.clock = o.clock ?? systemClock;
    this.history = o.history ?? new HistoryLog();
    this.restore();
    // A changed rule starts over: its detector state and cached comparisons belong to the old one.
    o.config.onChange(() => this.generation++);
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
    this.stopTimer = timer.every(this.o.config.get().evaluateEveryMs, () => this.tick());
  }

  /** One scheduled evaluation; skipped while the previous one is still running off this thread. */
  tick(now = this.clock.now()): void {
    if (this.running !== null) {
      this.skippedTicks++;
      return;
    }
    const r = this.evaluate(now);
    if (r instanceof Promise) {
      const tracked: Promise<void> = r.finally(() => {
        if (this.running === tracked) this.running = null;
      });
      this.running = tracked;
    }
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** Stops the schedule and the evaluation worker, if any. */
  async close(): Promise<void> {
    this.stop();
    await this.running;
    await this.source.close();
  }

  /** Resolves once the evaluation running now, if any, and every delivery started so far have ended. */
  async idle(): Promise<void> {
    while (this.running !== null || this.inFlight.size > 0) await Promise.all([this.running, ...this.inFlight]);
  }

  /** Alerts now pending or firing, with the silence that mutes each, if any. */
  active(now = this.clock.now()): (Alert & { silencedBy: string | null })[] {
    const silences = this.o.config.get().silences;
    return [...this.alerts.values()].map((a) => ({ ...a, silencedBy: silencing(silences, a, now)?.id ?? null }));
  }

  rulesStatus(): RuleStatus[] {
    return [...this.status.values()];
  }

  /** Evaluates the rules due now. Synchronous with the in-thread source; with a worker, returns the
   *  promise of the evaluation (lifecycle and pages happen here, on this thread, when it answers). */
  evaluate(now = this.clock.now()): void | Promise<void> {
    const cfg = this.o.config.get();
    const live = new Set<string>();
    const due: Rule[] = [];
    for (const rule of cfg.rules) {
      if (!rule.enabled) continue;
      live.add(rule.id);
      const st: RuleStatus = this.status.get(rule.id) ?? { ruleId: rule.id, lastEvaluatedAt: null, lastError: null };
      this.status.set(rule.id, st);
      if (st.lastEvaluatedAt !== null && now - st.lastEvaluatedAt < Math.max(cfg.evaluateEveryMs, rule.windowMs * WINDOW_STEP_SHARE)) continue;
      due.push(rule);
    }
    const apply = (results: ObservedRule[]) => {
      const current = this.o.config.get();
      for (const r of results) {
        const rule = due.find((x) => x.id === r.ruleId)!;
        const st = this.status.get(rule.id)!;
        if ('error' in r) {
          st.lastError = r.error;
          continue;
        }
        try {
          this.evaluateRule(rule, current, r.observations, now);
          st.lastEvaluatedAt = now;
          st.lastError = null;
        } catch (e) {
          st.lastError = (e as Error).message;
        }
      }
      // Alerts of rules removed or disabled end without a page: nobody asks about them any more.
      for (const [key, a] of this.alerts) {
        if (live.has(a.ruleId)) continue;
        this.alerts.delete(key);
        this.history.append({ kind: 'alert', at: now, key, ruleId: a.ruleId, severity: a.severity, labels: a.labels, transition: 'cleared', value: a.value, reason: 'rule removed or disabled', evidence: a.evidence });
      }
    };
    const results = this.source.observe({ rules: due, liveIds: [...live], generation: this.generation, evaluateEveryMs: cfg.evaluateEveryMs, now });
    if (!(results instanceof Promise)) return apply(results);
    return results.then(apply, (e: Error) => {
      for (const rule of due) this.status.get(rule.id)!.lastError = e.message;
    });
  }

  private evaluateRule(rule: Rule, cfg: AlertingConfig, observed: readonly { labels: Alert['labels']; o: Observation }[], now: number): void {
    const seen = new Set<string>();
    const observations = [...observed];
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
