// The in-app dashboard's numbers (DashboardData of the bridge contract), from the hourly rollups
// plus the session and crash markers. Buckets: one hour for the 1h, 24h and 7d ranges, one UTC day
// for 30d. The 1h range is read from the rollups too (the current and the previous hour, so 1-2
// points): the numbers then agree with every other range, at the cost of up to an hour of extra
// history in that view.
import { RANGE_MS, type DashboardData, type Known, type MeasuredPercentiles, type TimeRange, type Unknown, type VersionFigure, type VersionRow } from '../telemetry/bridge.js';
import { CATEGORIES, EVENT_TYPES, type Category, type EventType } from '../telemetry/event/schema.js';
import { anomalyRow, SERIES_NEEDS, type WatchedSeries } from './anomalies.js';
import { DEFAULT_COMPARE_OPTIONS } from './compare.js';
import { periodAnomalies, type AnomalyWatchCache } from './hourly-series.js';
import { Histogram } from '../telemetry/rollup/histogram.js';
import { crashedSessionsByVersion, markers, sessionEnds } from './markers.js';
import { DASHBOARD_MEASURES, MEASURES, sourceKey, type MeasureKey } from './measures.js';
import { summarize } from './percentiles.js';
import type { NameTotal, RollupReader, Slice } from './rollup-reader.js';
import { DAY_MS, floorTo, HOUR_MS, windowOf, type Window } from './time.js';
import { crashFreeChange, distributionChange, rateChange, type Change } from './version-change.js';
import { newestFirst } from './versions.js';

export const TOP_FEATURES = 10;

export function bucketMsOf(range: TimeRange): number {
  return range === '30d' ? DAY_MS : HOUR_MS;
}

const zeroCounts = (): Record<EventType, number> => Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;

export interface DashboardQuery {
  range: TimeRange;
  appVersion?: string;
  now: number;
  /** Categories that are off now (consent): what needs them reads "not collected", not 0. */
  notCollected?: readonly Category[];
}

const CATEGORY_NAME: Record<Category, string> = { usage: 'Usage', performance: 'Performance', errors: 'Errors', crashes: 'Crashes' };
export const NO_DATA: Unknown = { reason: 'no_data', text: 'no data in this range' };

/** "not collected: Errors are off" for the categories of `needs` that are off; null when all are on. */
export function notCollected(needs: readonly Category[], off: readonly Category[]): Unknown | null {
  const missing = needs.filter((c) => off.includes(c));
  if (missing.length === 0) return null;
  const names = missing.map((c) => CATEGORY_NAME[c]);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return { reason: 'not_collected', categories: missing, text: `not collected: ${list} ${names.length === 1 && (missing[0] === 'usage' || missing[0] === 'performance') ? 'is' : 'are'} off` };
}

/** A number when its categories are on and it has data; otherwise null and why. */
function known(value: number | null, needs: readonly Category[], off: readonly Category[]): Known {
  const nc = notCollected(needs, off);
  if (nc) return { value: null, unknown: nc };
  return value === null ? { value: null, unknown: NO_DATA } : { value, unknown: null };
}

/** What each dashboard number needs collected. */
const NEEDS = {
  sessions: ['usage'],
  errorRate: ['errors', 'crashes'],
  crashFree: ['usage', 'crashes'],
  errors: ['errors'],
  crashes: ['crashes'],
  measure: ['performance'],
  features: ['usage'],
} as const satisfies Record<string, readonly Category[]>;

/** The by-version table's measures (p95s) and their bridge field names. */
const VERSION_MEASURES = [
  ['apiLatencyP95', 'apiLatency'],
  ['llmTimeToFirstTokenP95', 'llmTimeToFirstToken'],
  ['memoryP95', 'memoryBytes'],
  ['loadTimeP95', 'loadTime'],
] as const satisfies readonly (readonly [keyof VersionRow, MeasureKey])[];

/** `watch`: the anomaly watchers kept between calls (LocalAnalysis holds one); without it they
 *  learn the two weeks before the range anew. */
export function computeDashboard(reader: RollupReader, q: DashboardQuery, watch?: AnomalyWatchCache): DashboardData {
  const off = q.notCollected ?? [];
  const bucketMs = bucketMsOf(q.range);
  const from = floorTo(q.now - RANGE_MS[q.range], bucketMs);
  const window = windowOf(from, q.now + 1);
  const version = q.appVersion ?? null;
  const all: Slice = { window, version: null };
  const slice: Slice = { window, version };

  // Totals per version (byVersion and the version list always cover every version).
  const totals = reader.totals(all);
  const byVersionMap = new Map<string, { events: number; sessions: number; errors: number; crashes: number }>();
  for (const t of totals) {
    const v = byVersionMap.get(t.version) ?? { events: 0, sessions: 0, errors: 0, crashes: 0 };
    v.events += t.count;
    if (t.type === 'error') v.errors += t.count;
    if (t.type === 'crash') v.crashes += t.count;
    if (t.type === 'app' && t.name === 'session.start') v.sessions += t.count;
    byVersionMap.set(t.version, v);
  }
  const versions = newestFirst(byVersionMap.keys());
  const crashed = crashedSessionsByVersion(reader.st, all);
  const crashFree = (sessions: number, crashedSessions: number) => (sessions > 0 ? Math.max(0, 1 - crashedSessions / sessions) : null);

  // The selected slice: one version or all of them.
  const inSlice = versions.filter((v) => version === null || v === version);
  const sum = (f: (x: { events: number; sessions: number; errors: number; crashes: number }) => number) => inSlice.reduce((a, v) => a + f(byVersionMap.get(v)!), 0);
  const events = sum((x) => x.events);
  const sessions = sum((x) => x.sessions);
  const crashedSessions = inSlice.reduce((a, v) => a + (crashed.get(v) ?? 0), 0);

  // Series: counts per bucket and type.
  const points: number[] = [];
  for (let t = from; t <= q.now; t += bucketMs) points.push(t);
  const counts = new Map<number, Record<EventType, number>>(points.map((t) => [t, zeroCounts()]));
  for (const c of reader.countsByBucket(slice, bucketMs)) {
    const p = counts.get(c.bucket * bucketMs);
    if (p) p[c.type] += c.count;
  }

  // Percentiles: one read of every dashboard measure's histograms, per bucket; tiles merge the buckets.
  const chosen = chooseSources(totals.filter((t) => version === null || t.version === version), DASHBOARD_MEASURES);
  const hists = reader.histograms(slice, [...chosen.values()], bucketMs);
  const perBucket = (m: MeasureKey): Map<number, Histogram> => {
    const src = chosen.get(m);
    return (src && hists.get(sourceKey(src.type, src.name))) ?? new Map();
  };
  const measureUnknown = (count: number): Unknown | null => notCollected(NEEDS.measure, off) ?? (count === 0 ? NO_DATA : null);
  const tile = (m: MeasureKey): MeasuredPercentiles => {
    const merged = new Histogram();
    for (const h of perBucket(m).values()) merged.merge(h);
    const s = summarize(merged);
    const unknown = measureUnknown(s.count);
    // Not collected: nothing may be shown, even if rows of an earlier consent were still there.
    return unknown?.reason === 'not_collected' ? { count: 0, p50: null, p95: null, p99: null, unknown } : { ...s, unknown };
  };
  const apiBuckets = perBucket('apiLatency');
  const memBuckets = perBucket('memoryBytes');

  const tiles: DashboardData['tiles'] = {
    sessions: known(sessions, NEEDS.sessions, off),
    activeTimeMs: known(sessions > 0 || events > 0 ? activeTime(reader, slice, q.now) : null, NEEDS.sessions, off),
    errorRate: known(events > 0 ? sum((x) => x.errors + x.crashes) / events : null, NEEDS.errorRate, off),
    crashFreeSessions: known(crashFree(sessions, crashedSessions), NEEDS.crashFree, off),
    apiLatency: tile('apiLatency'),
    llmTokensPerSecond: tile('llmTokensPerSecond'),
    llmTimeToFirstToken: tile('llmTimeToFirstToken'),
    memoryBytes: tile('memoryBytes'),
    loadTime: tile('loadTime'),
    syncTime: tile('syncTime'),
  };
  const series: DashboardData['series'] = {
    eventsByType: points.map((t) => ({ t, counts: counts.get(t)! })),
    errorRate: points.map((t) => {
      const c = counts.get(t)!;
      const n = EVENT_TYPES.reduce((a, k) => a + c[k], 0);
      return { t, rate: tiles.errorRate.unknown || n === 0 ? null : (c.error + c.crash) / n };
    }),
    apiLatency: points.map((t) => {
      const s = tiles.apiLatency.unknown ? summarize(undefined) : summarize(apiBuckets.get(t / bucketMs));
      return { t, p50: s.p50, p95: s.p95, p99: s.p99 };
    }),
    memoryBytes: points.map((t) => {
      const s = tiles.memoryBytes.unknown ? summarize(undefined) : summarize(memBuckets.get(t / bucketMs));
      return { t, p50: s.p50, p95: s.p95 };
    }),
    // A chart and its tile come from the same numbers, so they say the same thing when empty.
    unknown: {
      eventsByType: events > 0 ? null : notCollected(CATEGORIES, off) ?? NO_DATA,
      errorRate: tiles.errorRate.unknown,
      apiLatency: tiles.apiLatency.unknown,
      memoryBytes: tiles.memoryBytes.unknown,
    },
  };

  const featuresOff = notCollected(NEEDS.features, off);
  const topFeatures = featuresOff
    ? []
    : reader
        .features(slice)
        .sort((a, b) => b.uses - a.uses || a.feature.localeCompare(b.feature))
        .slice(0, TOP_FEATURES)
        .map((f) => ({ name: f.feature, uses: f.uses, timeSpentSeconds: f.seconds }));

  return {
    range: q.range,
    from,
    to: q.now,
    bucketMs,
    appVersion: version,
    versions,
    empty: events === 0,
    notCollected: CATEGORIES.filter((c) => off.includes(c)),
    tiles,
    series,
    topFeatures,
    topFeaturesUnknown: featuresOff ?? (topFeatures.length === 0 ? NO_DATA : null),
    byVersion: byVersionRows(reader, window, versions, byVersionMap, crashed, off),
    anomalies: dashboardAnomalies(reader, window, version, off, watch),
  };
}

/** The reports' anomalies (the streaming watcher on the hourly series) for the range, newest
 *  first; a series whose category is off now is not watched. */
function dashboardAnomalies(reader: RollupReader, window: Window, version: string | null, off: readonly Category[], watch: AnomalyWatchCache | undefined): DashboardData['anomalies'] {
  const series = (Object.keys(SERIES_NEEDS) as WatchedSeries[]).filter((k) => notCollected(SERIES_NEEDS[k], off) === null);
  if (series.length === 0) return [];
  const where = version === null ? 'this device' : `this device, ${version}`;
  const found = watch ? watch.anomalies(window, where, { version, series }) : periodAnomalies(reader, window, where, { version, series });
  return found.map(anomalyRow).reverse();
}

/**
 * One row per version, newest first, each figure with its change against the next older version
 * by the release gate's tests (Bonferroni over the tests of that pair with enough data, at the
 * gate's default level and sample minimums), so "did this version make things worse?" needs no
 * flipping of filters.
 */
function byVersionRows(
  reader: RollupReader,
  window: Window,
  versions: readonly string[],
  counts: Map<string, { events: number; sessions: number; errors: number; crashes: number }>,
  crashed: Map<string, number>,
  off: readonly Category[],
): VersionRow[] {
  const o = DEFAULT_COMPARE_OPTIONS;
  const measureOff = notCollected(NEEDS.measure, off);
  const hist = new Map<string, Map<MeasureKey, Histogram | undefined>>();
  if (!measureOff) {
    for (const v of versions) {
      const slice: Slice = { window, version: v };
      const chosen = chooseSources(reader.totals(slice, ['performance', 'network']), VERSION_MEASURES.map(([, k]) => k));
      const hs = reader.histograms(slice, [...chosen.values()]);
      hist.set(v, new Map(VERSION_MEASURES.map(([, k]) => [k, hs.get(sourceKey(chosen.get(k)!.type, chosen.get(k)!.name))?.get(0)])));
    }
  }
  const rows = versions.map((v): VersionRow => {
    const x = counts.get(v)!;
    const crashedSessions = crashed.get(v) ?? 0;
    const figure = (k: Known): VersionFigure => ({ ...k, change: null });
    const p95 = (k: MeasureKey): VersionFigure => {
      if (measureOff) return { value: null, unknown: measureOff, change: null };
      const s = summarize(hist.get(v)?.get(k));
      return s.p95 === null ? { value: null, unknown: NO_DATA, change: null } : { value: s.p95, unknown: null, change: null };
    };
    return {
      version: v,
      events: x.events,
      sessions: known(x.sessions, NEEDS.sessions, off),
      errors: known(x.errors, NEEDS.errors, off),
      crashes: known(x.crashes, NEEDS.crashes, off),
      errorRate: figure(known(x.events > 0 ? (x.errors + x.crashes) / x.events : null, NEEDS.errorRate, off)),
      crashFreeSessions: figure(known(x.sessions > 0 ? Math.max(0, 1 - crashedSessions / x.sessions) : null, NEEDS.crashFree, off)),
      apiLatencyP95: p95('apiLatency'),
      llmTimeToFirstTokenP95: p95('llmTimeToFirstToken'),
      memoryP95: p95('memoryBytes'),
      loadTimeP95: p95('loadTime'),
    };
  });

  for (let i = 0; i + 1 < rows.length; i++) {
    const cur = rows[i]!;
    const prev = rows[i + 1]!;
    const c = counts.get(cur.version)!;
    const p = counts.get(prev.version)!;
    type Pending = { field: 'errorRate' | 'crashFreeSessions' | (typeof VERSION_MEASURES)[number][0]; change: Change; enough: boolean; unit: 'relative' | 'points'; higherIsWorse: boolean };
    const tests: Pending[] = [];
    if (cur.errorRate.value !== null && prev.errorRate.value !== null) {
      tests.push({ field: 'errorRate', change: rateChange({ count: p.errors + p.crashes, exposure: p.events }, { count: c.errors + c.crashes, exposure: c.events }), enough: true, unit: 'relative', higherIsWorse: true });
    }
    if (cur.crashFreeSessions.value !== null && prev.crashFreeSessions.value !== null) {
      const ch = crashFreeChange({ count: crashed.get(prev.version) ?? 0, exposure: p.sessions }, { count: crashed.get(cur.version) ?? 0, exposure: c.sessions });
      tests.push({ field: 'crashFreeSessions', change: ch, enough: p.sessions >= o.minSessions && c.sessions >= o.minSessions, unit: 'points', higherIsWorse: false });
    }
    for (const [field, key] of VERSION_MEASURES) {
      if (cur[field].value === null || prev[field].value === null) continue;
      const hb = hist.get(prev.version)?.get(key);
      const hc = hist.get(cur.version)?.get(key);
      const ch = distributionChange(MEASURES[key], hb, hc);
      tests.push({ field, change: ch, enough: (hb?.count ?? 0) >= o.minSamples && (hc?.count ?? 0) >= o.minSamples, unit: 'relative', higherIsWorse: true });
    }
    const level = o.alpha / Math.max(1, tests.filter((t) => t.enough).length);
    for (const t of tests) {
      const effect = t.change.effect;
      if (effect === null || !Number.isFinite(effect)) continue;
      const worse = effect > 0;
      const pValue = worse ? t.change.pValue : t.change.pBetter;
      // delta as a person reads it: crash-free sessions in points (up is better), others relative (up is worse).
      const delta = t.unit === 'points' ? -effect : effect;
      cur[t.field].change = { against: prev.version, delta, unit: t.unit, significant: t.enough && effect !== 0 && pValue < level, worse, pValue };
    }
  }
  return rows;
}

/** For each measure, the first of its sources with data in the slice. */
export function chooseSources(totals: readonly NameTotal[], keys: readonly MeasureKey[]): Map<MeasureKey, { type: EventType; name: string }> {
  const measured = new Set(totals.filter((t) => t.measured > 0).map((t) => sourceKey(t.type, t.name)));
  const out = new Map<MeasureKey, { type: EventType; name: string }>();
  for (const k of keys) {
    const src = MEASURES[k].sources.find((s) => measured.has(sourceKey(s.type, s.name))) ?? MEASURES[k].sources[0]!;
    out.set(k, src);
  }
  return out;
}

/**
 * Time spent in the app in the window: the lengths of the sessions that ended in it (clipped to the
 * window), plus, for each device, its newest session if it has neither ended nor crashed: that is
 * the session running now (on the device, this run of the app), counted up to `now`. Other sessions
 * without an end were cut short and their length is unknown; they are not counted.
 */
function activeTime(reader: RollupReader, s: Slice, now: number): number {
  let total = 0;
  const ended = new Set<string>();
  for (const e of sessionEnds(reader.st, s)) {
    ended.add(e.session);
    if (e.durationMs !== null) total += Math.min(e.durationMs, e.ts - s.window.from);
  }
  const crashed = new Set(markers(reader.st, 'crash', s).map((m) => m.session));
  const newest = new Map<string, { ts: number; session: string }>();
  for (const m of markers(reader.st, 'start', { window: s.window, version: null })) {
    const cur = newest.get(m.device);
    if (cur === undefined || m.ts > cur.ts) newest.set(m.device, { ts: m.ts, session: m.session });
  }
  const versionOf = s.version === null ? null : new Set(markers(reader.st, 'start', s).map((m) => m.session));
  for (const { ts, session } of newest.values()) {
    if (ended.has(session) || crashed.has(session)) continue;
    if (versionOf !== null && !versionOf.has(session)) continue;
    total += Math.max(0, now - Math.max(ts, s.window.from));
  }
  return total;
}
