// The release monitor: on a schedule, the newest version in the fleet is compared with the one
// before it by the release gate's comparison (its tests, Bonferroni correction and effect sizes),
// while its adoption grows. A regression found on `confirmations` consecutive checks is confirmed:
// it is paged once and the rollback hook is called once with the evidence. A clean release stays
// quiet. What it saw (adoption curve, verdicts, detection time) is in status() and the history.
import { runGate } from '../../analyzer/gate.js';
import { RollupReader } from '../../analyzer/rollup-reader.js';
import type { Db } from '../../analyzer/store.js';
import { windowEnding, windowOf } from '../../analyzer/time.js';
import { newestFirst } from '../../analyzer/versions.js';
import { firstSeenAt, windowStats } from '../../analyzer/window-stats.js';
import { systemClock, type Clock } from '../../telemetry/ports.js';
import type { AlertConfigStore } from '../config-store.js';
import type { TimerPort } from '../engine.js';
import type { HistoryLog } from '../history.js';
import { DEFAULT_RETRY, realSleep, type RetryPolicy, type Sleep } from '../notify/delivery.js';
import type { AlertMessage } from '../notify/message.js';
import { alertingConfigSchema } from '../rule.js';
import { callRollbackHook, type RollbackOutcome } from './rollback-hook.js';

const DAY_MS = 86_400_000;

export interface AdoptionPoint {
  at: number;
  /** Share of the devices active in the last 24 h that ran the candidate. */
  deviceShare: number;
  devices: number;
  sessions: number;
}

export interface ReleaseWatch {
  version: string;
  baseline: string;
  firstSeenAt: number;
  adoption: AdoptionPoint[];
  lastCheckAt: number;
  lastVerdict: 'pass' | 'regression' | 'not enough data';
  /** Watched for settleAfterMs without a confirmed regression: no longer compared. */
  settled: boolean;
  /** Consecutive checks that found a regression. */
  consecutive: number;
  confirmedAt: number | null;
  /** Metrics that regressed when it was confirmed. */
  regressions: string[];
  rollback: (RollbackOutcome & { at: number }) | null;
}

export type Evidence = {
  version: string;
  baseline: string;
  firstSeenAt: string;
  detectedAt: string;
  hoursFromReleaseToDetection: number;
  adoption: AdoptionPoint[];
  regressions: { metric: string; baseline: number | null; candidate: number | null; effect: number | null; pValue: number; alpha: number; evidence: string }[];
  newSignatures: { title: string; count: number; devices: number }[];
  gate: string;
};

export interface ReleaseMonitorOptions {
  db: Db;
  config: AlertConfigStore;
  history: HistoryLog;
  clock?: Clock;
  /** Pages the confirmed regression (the engine's notifyAll). */
  notify: (m: AlertMessage) => void;
  sleep?: Sleep;
  retry?: RetryPolicy;
  /** Runs the hook (tests may pass their own); default callRollbackHook. */
  rollback?: typeof callRollbackHook;
}

export class ReleaseMonitor {
  private readonly reader: RollupReader;
  private readonly clock: Clock;
  private readonly watches = new Map<string, ReleaseWatch>();
  /** Versions whose rollback hook was already called (from the history too: once, across restarts). */
  private readonly rolledBack = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private stopTimer: (() => void) | null = null;

  constructor(private readonly o: ReleaseMonitorOptions) {
    this.reader = new RollupReader(o.db);
    this.clock = o.clock ?? systemClock;
    for (const e of o.history.list({ kind: 'release', limit: 10_000 })) if (e.kind === 'release' && (e.event === 'regression' || e.event === 'rollback')) this.rolledBack.add(e.version);
  }

  private settings() {
    return this.o.config.get().releaseMonitor ?? alertingConfigSchema.parse({ releaseMonitor: {} }).releaseMonitor!;
  }

  start(timer: TimerPort): void {
    if (this.stopTimer !== null) return;
    this.stopTimer = timer.every(this.settings().checkEveryMs, () => void this.check());
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  status(): ReleaseWatch[] {
    return [...this.watches.values()];
  }

  /** One check at `now`; returns the watch of the newest version, if there are two to compare. */
  check(now = this.clock.now()): ReleaseWatch | null {
    const s = this.settings();
    if (!s.enabled) return null;
    const recentWindow = windowEnding(now, s.windowMs);
    const versions = newestFirst(this.reader.versions({ window: recentWindow, version: null }));
    if (versions.length < 2) return null;
    const [version, baseline] = versions as [string, string];
    let w = this.watches.get(version);
    if (w === undefined) {
      w = { version, baseline, firstSeenAt: firstSeenAt(this.reader.st, version) ?? now, adoption: [], lastCheckAt: now, lastVerdict: 'not enough data', settled: false, consecutive: 0, confirmedAt: null, regressions: [], rollback: null };
      this.watches.set(version, w);
    }
    // Both versions over one window that starts windowMs before the release: the baseline keeps
    // its data from before the candidate replaced it, however far the rollout has gone.
    const window = windowOf(w.firstSeenAt - s.windowMs, now);
    w.baseline = baseline;
    w.lastCheckAt = now;
    const recent = windowStats(this.reader.st, { from: now - DAY_MS, to: now }, ['version']);
    const mine = recent.find((r) => r.key[0] === version)?.stats;
    const allDevices = recent.reduce((a, r) => a + r.stats.devices, 0);
    w.adoption.push({ at: now, deviceShare: allDevices > 0 ? (mine?.devices ?? 0) / allDevices : 0, devices: mine?.devices ?? 0, sessions: mine?.sessions ?? 0 });
    if (w.confirmedAt !== null || w.settled) return w;
    if (now - w.firstSeenAt > s.settleAfterMs) {
      w.settled = true;
      return w;
    }

    const gate = runGate(this.reader, 'collector', window, baseline, version);
    w.lastVerdict = gate.verdict;
    const regressions = gate.comparison.findings.filter((f) => f.gating && f.regression);
    w.consecutive = regressions.length > 0 ? w.consecutive + 1 : 0;
    if (w.consecutive < s.confirmations || this.rolledBack.has(version)) return w;

    w.confirmedAt = now;
    w.regressions = regressions.map((f) => f.metric);
    this.rolledBack.add(version);
    const evidence: Evidence = {
      version,
      baseline,
      firstSeenAt: new Date(w.firstSeenAt).toISOString(),
      detectedAt: new Date(now).toISOString(),
      hoursFromReleaseToDetection: Math.round(((now - w.firstSeenAt) / 3_600_000) * 10) / 10,
      adoption: w.adoption,
      regressions: regressions.map((f) => ({ metric: f.metric, baseline: f.baseline, candidate: f.candidate, effect: f.effect, pValue: f.pValue, alpha: f.alpha, evidence: f.evidence })),
      newSignatures: gate.comparison.newSignatures.slice(0, 5).map((g) => ({ title: g.title, count: g.count, devices: g.devices })),
      gate: gate.text,
    };
    const summary = `${version} regressed against ${baseline}: ${w.regressions.join(', ')} (${s.confirmations} checks in a row; ${(w.adoption.at(-1)!.deviceShare * 100).toFixed(0)}% of devices on it)`;
    this.o.history.append({ kind: 'release', at: now, version, baseline, event: 'regression', detail: summary });
    this.o.notify({
      id: `release:${version}@${now}`,
      status: 'firing',
      alertKey: `release-regression{version=${version}}`,
      rule: { id: 'release-regression', metric: w.regressions.join(', '), severity: 'critical', description: summary },
      labels: { version },
      value: null,
      reason: regressions.map((f) => `${f.metric} ${f.baseline} -> ${f.candidate}, p = ${f.pValue.toExponential(2)}`).join('; '),
      evidence: regressions.map((f) => f.evidence).join('; '),
      sessions: mine?.sessions ?? 0,
      devices: allDevices,
      affectedDevices: mine?.devices ?? 0,
      since: w.firstSeenAt,
      at: now,
    });
    const hook = s.rollbackHook;
    if (hook !== undefined) {
      const p = (this.o.rollback ?? callRollbackHook)(hook, evidence, this.o.retry ?? DEFAULT_RETRY, this.o.sleep ?? realSleep).then((out) => {
        const at = this.clock.now();
        w.rollback = { ...out, at };
        this.o.history.append({ kind: 'release', at, version, baseline, event: 'rollback', detail: out.detail, status: out.status });
      });
      const tracked = p.finally(() => this.inFlight.delete(tracked));
      this.inFlight.add(tracked);
    }
    return w;
  }
}
