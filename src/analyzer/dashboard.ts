// The in-app dashboard's numbers (DashboardData of the bridge contract), from the hourly rollups
// plus the session and crash markers. Buckets: one hour for the 1h, 24h and 7d ranges, one UTC day
// for 30d. The 1h range is read from the rollups too (the current and the previous hour, so 1-2
// points): the numbers then agree with every other range, at the cost of up to an hour of extra
// history in that view.
import { RANGE_MS, type DashboardData, type Percentiles, type TimeRange } from '../telemetry/bridge.js';
import { EVENT_TYPES, type EventType } from '../telemetry/event/schema.js';
import { Histogram } from '../telemetry/rollup/histogram.js';
import { crashedSessionsByVersion, markers, sessionEnds } from './markers.js';
import { DASHBOARD_MEASURES, MEASURES, sourceKey, type MeasureKey } from './measures.js';
import { summarize } from './percentiles.js';
import type { NameTotal, RollupReader, Slice } from './rollup-reader.js';
import { DAY_MS, floorTo, HOUR_MS, windowOf } from './time.js';
import { newestFirst } from './versions.js';

export const TOP_FEATURES = 10;

export function bucketMsOf(range: TimeRange): number {
  return range === '30d' ? DAY_MS : HOUR_MS;
}

const zeroCounts = (): Record<EventType, number> => Object.fromEntries(EVENT_TYPES.map((t) => [t, 0])) as Record<EventType, number>;

export function computeDashboard(reader: RollupReader, q: { range: TimeRange; appVersion?: string; now: number }): DashboardData {
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
  const byVersion = versions.map((v) => {
    const x = byVersionMap.get(v)!;
    return { version: v, ...x, errorRate: x.events > 0 ? (x.errors + x.crashes) / x.events : null, crashFreeSessions: crashFree(x.sessions, crashed.get(v) ?? 0) };
  });

  // The selected slice: one version or all of them.
  const inSlice = versions.filter((v) => version === null || v === version);
  const sum = (f: (x: (typeof byVersion)[number]) => number) => byVersion.filter((x) => inSlice.includes(x.version)).reduce((a, x) => a + f(x), 0);
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
  const tile = (m: MeasureKey): Percentiles => {
    const merged = new Histogram();
    for (const h of perBucket(m).values()) merged.merge(h);
    return summarize(merged);
  };
  const apiBuckets = perBucket('apiLatency');
  const memBuckets = perBucket('memoryBytes');
  const series: DashboardData['series'] = {
    eventsByType: points.map((t) => ({ t, counts: counts.get(t)! })),
    errorRate: points.map((t) => {
      const c = counts.get(t)!;
      const n = EVENT_TYPES.reduce((a, k) => a + c[k], 0);
      return { t, rate: n > 0 ? (c.error + c.crash) / n : null };
    }),
    apiLatency: points.map((t) => {
      const s = summarize(apiBuckets.get(t / bucketMs));
      return { t, p50: s.p50, p95: s.p95, p99: s.p99 };
    }),
    memoryBytes: points.map((t) => {
      const s = summarize(memBuckets.get(t / bucketMs));
      return { t, p50: s.p50, p95: s.p95 };
    }),
  };

  const topFeatures = reader
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
    tiles: {
      sessions,
      activeTimeMs: activeTime(reader, slice, q.now),
      errorRate: events > 0 ? sum((x) => x.errors + x.crashes) / events : null,
      crashFreeSessions: crashFree(sessions, crashedSessions),
      apiLatency: tile('apiLatency'),
      llmTokensPerSecond: tile('llmTokensPerSecond'),
      llmTimeToFirstToken: tile('llmTimeToFirstToken'),
      memoryBytes: tile('memoryBytes'),
      loadTime: tile('loadTime'),
      syncTime: tile('syncTime'),
    },
    series,
    topFeatures,
    byVersion,
  };
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
