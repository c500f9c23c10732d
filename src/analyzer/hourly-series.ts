// The hourly series the watcher judges (anomalies.ts), read from the rollups and the session
// markers of a store, the same way on a device and on the collector: events, errors and crashes,
// the p95 of API latency, and the time the app was in use in each hour; and what the watcher finds
// in a window of them (reports and the in-app dashboard).
import { DEFAULT_WATCH_WARMUP, hourlyAnomalies, WATCH_HISTORY_MS, type Anomaly, type HourlyPoint, type WatchedSeries } from './anomalies.js';
import { MEASURES, sourceKey } from './measures.js';
import { summarize } from './percentiles.js';
import type { RollupReader, Slice } from './rollup-reader.js';
import { sessionsIn, type SessionRecord } from './sessions.js';
import { floorTo, HOUR_MS, windowOf, type Window } from './time.js';

/** One point per hour of the window, oldest first. `version`: only that version's rows. */
export function hourlySeries(reader: RollupReader, window: Window, version: string | null = null): HourlyPoint[] {
  const slice: Slice = { window: windowOf(floorTo(window.from, HOUR_MS), window.to), version };
  const hours: number[] = [];
  for (let t = slice.window.from; t < window.to; t += HOUR_MS) hours.push(t);
  const points = new Map<number, HourlyPoint>(hours.map((t) => [t, { t, events: 0, bad: 0, crashes: 0, apiP95: null }]));
  for (const c of reader.countsByBucket(slice, HOUR_MS)) {
    const p = points.get(c.bucket * HOUR_MS);
    if (!p) continue;
    p.events += c.count;
    if (c.type === 'error' || c.type === 'crash') p.bad += c.count;
    if (c.type === 'crash') p.crashes += c.count;
  }
  // API latency has one source (network/api.request): no choice of source to make.
  const src = MEASURES.apiLatency.sources[0]!;
  const h = reader.histograms(slice, [src], HOUR_MS).get(sourceKey(src.type, src.name));
  for (const p of points.values()) {
    const s = summarize(h?.get(p.t / HOUR_MS));
    p.apiP95 = s.count > 0 ? s.p95 : null;
  }
  const inUse = inUseByHour(sessionsIn(reader.st, slice), hours, window.to);
  for (const p of points.values()) p.inUseMs = inUse.get(p.t) ?? 0;
  return [...points.values()];
}

/**
 * Time in use per hour: each session from its start to its end (session.end's length); a session
 * whose length is unknown (crashed, killed, still open) counts to the end of the hour it started
 * in, no further, so a guess never makes an idle hour look in use. Several devices in use at once
 * add up: the volume expected follows the devices using the app.
 */
export function inUseByHour(sessions: readonly SessionRecord[], hours: readonly number[], until: number): Map<number, number> {
  const out = new Map<number, number>(hours.map((t) => [t, 0]));
  if (hours.length === 0) return out;
  const first = hours[0]!;
  for (const s of sessions) {
    const end = Math.min(until, s.durationMs !== null ? s.start + s.durationMs : floorTo(s.start, HOUR_MS) + HOUR_MS);
    for (let t = Math.max(first, floorTo(s.start, HOUR_MS)); t < end; t += HOUR_MS) {
      const overlap = Math.min(end, t + HOUR_MS) - Math.max(s.start, t);
      if (overlap > 0 && out.has(t)) out.set(t, out.get(t)! + overlap);
    }
  }
  return out;
}

/** The watcher's findings inside the window, after learning from the two weeks before it. */
export function periodAnomalies(reader: RollupReader, window: Window, where: string, o: { version?: string | null; series?: readonly WatchedSeries[] } = {}): Anomaly[] {
  const points = hourlySeries(reader, windowOf(window.from - WATCH_HISTORY_MS, window.to), o.version ?? null);
  return hourlyAnomalies(points, { from: window.from, where, warmupPoints: DEFAULT_WATCH_WARMUP, ...(o.series ? { series: o.series } : {}) });
}
