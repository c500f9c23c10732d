// Post-release comparison of two versions over one window. A change is a regression only when it is
// both statistically significant (exact Poisson rate test for rates, Mann-Whitney U on the
// histogram buckets for distributions; Bonferroni-corrected over the tests that had enough data)
// AND larger than the configured effect size. Every finding carries its evidence: counts, effect,
// p-value, so a person can check the verdict.
import type { Percentiles } from '../telemetry/bridge.js';
import { errorGroupsOf, type ErrorGroup } from './groups.js';
import { MEASURES, sourceKey, type MeasureKey } from './measures.js';
import { summarize } from './percentiles.js';
import { healthOf, type VersionHealth } from './release-health.js';
import { ask, runSync, type AnalyzerReader, type Reads, type Slice } from './reader.js';
import { sessionsOf } from './sessions.js';
import { poissonRateTest } from './stats.js';
import type { Window } from './time.js';
import { featureAdoptionOf, type FeatureAdoption } from './usage.js';
import { crashFreeChange, distributionChange, rateChange } from './version-change.js';
import { Histogram } from '../telemetry/rollup/histogram.js';

export interface CompareOptions {
  /** Family-wise significance level, split evenly over the tests run (Bonferroni). */
  alpha: number;
  /** Largest acceptable drop of crash-free sessions (and users), absolute: 0.01 = one point. */
  maxCrashFreeDrop: number;
  /** Largest acceptable relative increase of the error rate: 0.25 = +25%. */
  maxErrorRateIncrease: number;
  /** Largest acceptable relative increase of a latency's p95 (or drop of a throughput's median). */
  maxP95LatencyIncrease: number;
  /** Largest acceptable relative increase of memory p95. */
  maxMemoryIncrease: number;
  /** Fewer sessions than this on either side: not enough data to judge crash-free rates. */
  minSessions: number;
  /** Fewer measurements than this on either side: a distribution is not compared. */
  minSamples: number;
  /** A crash signature never seen on the baseline is a regression on its own when it affects at
   *  least this many of the candidate's sessions... */
  newCrashMinSessions: number;
  /** ...or at least this share of the candidate's devices. */
  newCrashMinDeviceShare: number;
}

export const DEFAULT_COMPARE_OPTIONS: CompareOptions = {
  alpha: 0.01,
  maxCrashFreeDrop: 0.01,
  maxErrorRateIncrease: 0.25,
  maxP95LatencyIncrease: 0.2,
  maxMemoryIncrease: 0.2,
  minSessions: 50,
  minSamples: 50,
  // Three sessions: one crash is an accident, three of a signature the baseline never had is a bug.
  newCrashMinSessions: 3,
  newCrashMinDeviceShare: 0.05,
};

/** A crash signature seen on the candidate and never on the baseline. */
export interface NewCrash {
  group: ErrorGroup;
  /** The candidate's sessions and devices with it, and the share of the candidate's devices. */
  sessions: number;
  devices: number;
  deviceShare: number | null;
  /** True when it affects at least `newCrashMinSessions` sessions or `newCrashMinDeviceShare` of devices. */
  regression: boolean;
}

export interface Finding {
  metric: string;
  /** Whether the release gate judges on it (crash-free sessions, error rate, latencies, memory). */
  gating: boolean;
  baseline: number | null;
  candidate: number | null;
  /** How much worse the candidate is, in the unit of `effectUnit` (negative = better). */
  effect: number | null;
  effectUnit: 'points' | 'relative';
  threshold: number;
  pValue: number;
  /** The per-test level after the correction. */
  alpha: number;
  enoughData: boolean;
  significant: boolean;
  exceedsThreshold: boolean;
  regression: boolean;
  /** Counts behind the numbers, for a person to check. */
  evidence: string;
}

export interface Comparison {
  baseline: string;
  candidate: string;
  window: Window;
  options: CompareOptions;
  health: { baseline: Omit<VersionHealth, 'adoption'>; candidate: Omit<VersionHealth, 'adoption'> };
  findings: Finding[];
  regressions: Finding[];
  /** Per error/crash event name: rate per 1000 events on each side. */
  errorTypes: { kind: 'error' | 'crash'; name: string; baselinePer1000: number | null; candidatePer1000: number | null; pValue: number; regression: boolean }[];
  percentiles: { key: MeasureKey; label: string; unit: string; baseline: Percentiles; candidate: Percentiles }[];
  /** Error and crash groups seen on the candidate and never on the baseline. */
  newSignatures: ErrorGroup[];
  /** Crash groups of the candidate never seen on the baseline, judged on their own. */
  newCrashes: NewCrash[];
  features: { feature: string; baseline: FeatureAdoption | null; candidate: FeatureAdoption | null; baselineUsesPerSession: number | null; candidateUsesPerSession: number | null }[];
  /** Features used on the candidate and not on the baseline. */
  newFeatures: FeatureAdoption[];
  engagement: { baseline: Engagement; candidate: Engagement };
  /** True when the core numbers (sessions, events) suffice on both sides. */
  enoughData: boolean;
  notes: string[];
}

export interface Engagement {
  sessionsPerDevice: number | null;
  medianSessionMs: number | null;
  featureUsesPerSession: number | null;
}

const COMPARED: MeasureKey[] = ['apiLatency', 'llmTimeToFirstToken', 'llmTokensPerSecond', 'llmInference', 'toolCall', 'memoryBytes', 'loadTime', 'syncTime'];

/** comparisonOf on a synchronous reader (SQLite): the alert rules' and the release monitor's call. */
export function compareVersions(reader: AnalyzerReader, window: Window, baseline: string, candidate: string, options: Partial<CompareOptions> = {}): Comparison {
  return runSync(comparisonOf(window, baseline, candidate, options), reader);
}

export function* comparisonOf(window: Window, baseline: string, candidate: string, options: Partial<CompareOptions> = {}): Reads<Comparison> {
  const o = { ...DEFAULT_COMPARE_OPTIONS, ...options };
  const sides = [baseline, candidate] as const;
  const slices = sides.map((version): Slice => ({ window, version }));
  const sessions = [yield* sessionsOf(slices[0]!), yield* sessionsOf(slices[1]!)];
  const totals = [yield* ask('totals', slices[0]!), yield* ask('totals', slices[1]!)];
  const sum = (i: number, f: (t: (typeof totals)[number][number]) => boolean) => totals[i]!.filter(f).reduce((a, t) => a + t.count, 0);
  const health = sides.map((version, i) => {
    const events = sum(i, () => true);
    const errors = sum(i, (t) => t.type === 'error');
    const crashes = sum(i, (t) => t.type === 'crash');
    return { version, ...healthOf(sessions[i]!), events, errors, crashes, errorRate: events > 0 ? (errors + crashes) / events : null };
  });
  const [hb, hc] = health as [(typeof health)[0], (typeof health)[0]];
  const notes: string[] = [];
  const enoughSessions = hb.sessions >= o.minSessions && hc.sessions >= o.minSessions;
  if (!enoughSessions) notes.push(`Crash-free rates need at least ${o.minSessions} sessions on each version (${baseline}: ${hb.sessions}, ${candidate}: ${hc.sessions}).`);
  if (hb.events === 0 || hc.events === 0) notes.push(`No events at all for ${hb.events === 0 ? baseline : candidate} in the window.`);

  // ---- the tests -------------------------------------------------------------------------------
  type Pending = Omit<Finding, 'alpha' | 'significant' | 'regression'>;
  const pending: Pending[] = [];
  const rate = (metric: string, b: { count: number; exposure: number }, c: { count: number; exposure: number }, kind: 'crash-free' | 'relative', threshold: number, enough: boolean, what: string) => {
    const t = kind === 'crash-free' ? crashFreeChange(b, c) : rateChange(b, c);
    pending.push({
      metric,
      gating: metric === 'crash-free sessions' || metric === 'error rate',
      baseline: t.baseline,
      candidate: t.candidate,
      effect: t.effect,
      effectUnit: kind === 'crash-free' ? 'points' : 'relative',
      threshold,
      pValue: t.pValue,
      enoughData: enough,
      exceedsThreshold: t.effect !== null && t.effect > threshold,
      evidence: `${what}: ${c.count}/${c.exposure} on ${candidate} vs ${b.count}/${b.exposure} on ${baseline}`,
    });
  };
  const crashedUsers = (s: typeof hb) => Math.round((1 - (s.crashFreeUsers ?? 1)) * s.users);
  rate('crash-free sessions', { count: hb.outcomes.crashed, exposure: hb.sessions }, { count: hc.outcomes.crashed, exposure: hc.sessions }, 'crash-free', o.maxCrashFreeDrop, enoughSessions, 'crashed sessions');
  rate('crash-free users', { count: crashedUsers(hb), exposure: hb.users }, { count: crashedUsers(hc), exposure: hc.users }, 'crash-free', o.maxCrashFreeDrop, hb.users >= o.minSessions && hc.users >= o.minSessions, 'users with a crash');
  rate('error rate', { count: hb.errors + hb.crashes, exposure: hb.events }, { count: hc.errors + hc.crashes, exposure: hc.events }, 'relative', o.maxErrorRateIncrease, hb.events > 0 && hc.events > 0, 'error and crash events / events');

  const percentiles: Comparison['percentiles'] = [];
  for (const key of COMPARED) {
    const m = MEASURES[key];
    // The first source measured on both sides (the totals of every type are already at hand).
    const src = m.sources.find((x) => totals.every((ts) => ts.some((t) => t.type === x.type && t.name === x.name && t.measured > 0))) ?? m.sources[0]!;
    const h: Histogram[] = [];
    for (const s of slices) h.push((yield* ask('histograms', s, [src])).get(sourceKey(src.type, src.name))?.get(0) ?? new Histogram());
    const [b, c] = h as [Histogram, Histogram];
    const sb = summarize(b);
    const sc = summarize(c);
    percentiles.push({ key, label: m.label, unit: m.unit, baseline: sb, candidate: sc });
    if (b.count === 0 && c.count === 0) continue;
    const worse = m.higherIsWorse ? 'higher' : 'lower';
    const t = distributionChange(m, b, c);
    const threshold = key === 'memoryBytes' ? o.maxMemoryIncrease : o.maxP95LatencyIncrease;
    const stat = m.higherIsWorse ? 'p95' : 'p50';
    pending.push({
      metric: `${m.label} ${stat}`,
      gating: key !== 'llmTokensPerSecond' && key !== 'llmInference',
      baseline: t.baseline,
      candidate: t.candidate,
      effect: t.effect,
      effectUnit: 'relative',
      threshold,
      pValue: t.pValue,
      enoughData: b.count >= o.minSamples && c.count >= o.minSamples,
      exceedsThreshold: t.effect !== null && t.effect > threshold,
      evidence: `${c.count} vs ${b.count} measurements; Mann-Whitney U = ${t.u.toFixed(0)}, P(candidate ${worse === 'higher' ? 'slower/larger' : 'lower'}) = ${t.probabilityOfSuperiority.toFixed(3)}`,
    });
  }

  const tested = pending.filter((p) => p.enoughData).length;
  const alpha = o.alpha / Math.max(1, tested);
  const findings: Finding[] = pending.map((p) => {
    const significant = p.enoughData && p.pValue < alpha;
    return { ...p, alpha, significant, regression: significant && p.exceedsThreshold };
  });

  // ---- error types, signatures, features, engagement ---------------------------------------------
  const names = new Map<string, 'error' | 'crash'>();
  for (const ts of totals) for (const t of ts) if (t.type === 'error' || t.type === 'crash') names.set(t.name, t.type);
  const errorTypes = [...names].map(([name, kind]) => {
    const b = sum(0, (t) => t.name === name && t.type === kind);
    const c = sum(1, (t) => t.name === name && t.type === kind);
    const test = poissonRateTest({ count: b, exposure: hb.events }, { count: c, exposure: hc.events });
    const typeAlpha = o.alpha / Math.max(1, names.size);
    return {
      kind,
      name,
      baselinePer1000: test.baselineRate === null ? null : test.baselineRate * 1000,
      candidatePer1000: test.candidateRate === null ? null : test.candidateRate * 1000,
      pValue: test.pValue,
      regression: test.pValue < typeAlpha && (test.relativeChange ?? 0) > o.maxErrorRateIncrease,
    };
  });
  errorTypes.sort((a, b) => (b.candidatePer1000 ?? 0) - (a.candidatePer1000 ?? 0));

  const groups = yield* errorGroupsOf({ window, version: null });
  const newSignatures = groups.filter((g) => g.versions.some((v) => v.version === candidate) && !g.versions.some((v) => v.version === baseline));
  const onBaseline = new Set((yield* errorGroupsOf(slices[0]!, ['crash'])).map((g) => g.id));
  const newCrashes: NewCrash[] = (yield* errorGroupsOf(slices[1]!, ['crash']))
    .filter((g) => !onBaseline.has(g.id))
    .map((g) => {
      const deviceShare = hc.devices > 0 ? g.devices / hc.devices : null;
      return { group: g, sessions: g.sessions, devices: g.devices, deviceShare, regression: g.sessions >= o.newCrashMinSessions || (deviceShare !== null && deviceShare >= o.newCrashMinDeviceShare) };
    });

  const adoption = [yield* featureAdoptionOf(slices[0]!), yield* featureAdoptionOf(slices[1]!)];
  const featureNames = [...new Set(adoption.flatMap((a) => a.map((f) => f.feature)))].sort();
  const features = featureNames.map((feature) => {
    const b = adoption[0]!.find((f) => f.feature === feature) ?? null;
    const c = adoption[1]!.find((f) => f.feature === feature) ?? null;
    return {
      feature,
      baseline: b,
      candidate: c,
      baselineUsesPerSession: hb.sessions > 0 ? (b?.uses ?? 0) / hb.sessions : null,
      candidateUsesPerSession: hc.sessions > 0 ? (c?.uses ?? 0) / hc.sessions : null,
    };
  });
  const newFeatures = features.filter((f) => f.baseline === null && f.candidate !== null).map((f) => f.candidate!);
  const engagement = (i: number, h: typeof hb): Engagement => ({
    sessionsPerDevice: h.devices > 0 ? h.sessions / h.devices : null,
    medianSessionMs: h.medianSessionMs,
    featureUsesPerSession: h.sessions > 0 ? adoption[i]!.reduce((a, f) => a + f.uses, 0) / h.sessions : null,
  });

  return {
    baseline,
    candidate,
    window,
    options: o,
    health: { baseline: hb, candidate: hc },
    findings,
    regressions: findings.filter((f) => f.regression),
    errorTypes,
    percentiles,
    newSignatures,
    newCrashes,
    features,
    newFeatures,
    engagement: { baseline: engagement(0, hb), candidate: engagement(1, hc) },
    enoughData: enoughSessions && hb.events > 0 && hc.events > 0,
    notes,
  };
}

/** Every regression a comparison found, by name: the gating findings and the new crash
 *  signatures. The gate's verdict and every report's release section read this one list. */
export function regressionNames(c: Comparison): string[] {
  return [...c.findings.filter((f) => f.gating && f.regression).map((f) => f.metric), ...c.newCrashes.filter((n) => n.regression).map((n) => `new crash: ${n.group.title}`)];
}
