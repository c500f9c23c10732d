// The hourly series the watcher judges (anomalies.ts), read from the rollups and the session
// markers of a store, the same way on a device and on the collector: events, errors and crashes,
// the p95 of API latency, and the time the app was in use in each hour; and what the watcher finds
// in a window of them (reports and the in-app dashboard).
import { byTime, DEFAULT_WATCH_WARMUP, hourlyAnomalies, HourlyWatch, WATCH_HISTORY_MS, type Anomaly, type HourlyPoint, type WatchedSeries } from './anomalies.js';
import { MEASURES, sourceKey } from './measures.js';
import { summarize } from './percentiles.js';
import type { RollupReader, Slice } from './rollup-reader.js';
import { sessionsIn, type SessionRecord } from './sessions.js';
import { DAY_MS, floorTo, HOUR_MS, windowOf, type Window } from './time.js';

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
  // Sessions that began up to a day before the window may still be in use in its first hours.
  const inUse = inUseByHour(sessionsIn(reader.st, { window: windowOf(slice.window.from - DAY_MS, window.to), version }), hours, window.to);
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

interface Kept {
  watch: HourlyWatch;
  /** The first hour fed. */
  start: number;
  /** Hours before this were fed (complete hours only). */
  fedUntil: number;
  /** The rollups of the fed hours when they were read: a change (a deletion, a late event) means
   *  the watchers learned from numbers that are no longer true, and start over. */
  stamp: string;
  found: Anomaly[];
}

/** Learning that began this much earlier than a fresh computation would begin is still fine. */
const MAX_EXTRA_HISTORY_MS = 2 * 24 * HOUR_MS;

/**
 * periodAnomalies for a dashboard that asks again every few seconds: the watchers of each slice are
 * kept and fed only the hours completed since the last call. The hour in progress is not judged
 * (its counts are still growing); it is once it is complete.
 */
export class AnomalyWatchCache {
  private readonly kept = new Map<string, Kept>();

  constructor(private readonly reader: RollupReader) {}

  anomalies(window: Window, where: string, o: { version: string | null; series: readonly WatchedSeries[] }): Anomaly[] {
    const key = `${o.version ?? ''}\u0000${o.series.join(',')}\u0000${where}`;
    const start = floorTo(window.from - WATCH_HISTORY_MS, HOUR_MS);
    const complete = floorTo(window.to, HOUR_MS);
    let k = this.kept.get(key);
    if (k !== undefined && (k.start > start || start - k.start > MAX_EXTRA_HISTORY_MS || k.fedUntil > complete || this.stampOf(k.start, k.fedUntil, o.version) !== k.stamp)) k = undefined;
    if (k === undefined) {
      k = { watch: new HourlyWatch({ where, series: o.series, warmupPoints: DEFAULT_WATCH_WARMUP }), start, fedUntil: start, stamp: '', found: [] };
      this.kept.set(key, k);
    }
    if (complete > k.fedUntil) {
      for (const p of hourlySeries(this.reader, windowOf(k.fedUntil, complete), o.version)) k.found.push(...k.watch.update(p));
      k.fedUntil = complete;
      k.stamp = this.stampOf(k.start, k.fedUntil, o.version);
    }
    return byTime(k.found.filter((a) => a.at >= window.from && a.at < window.to));
  }

  private stampOf(from: number, to: number, version: string | null): string {
    const sql = `SELECT count(*), total(count) FROM rollups WHERE hour >= ? AND hour < ?${version === null ? '' : ' AND app_version = ?'}`;
    const args: (number | string)[] = [from / HOUR_MS, to / HOUR_MS, ...(version === null ? [] : [version])];
    const [rows, events] = this.reader.st.get(sql).raw().get(...args) as [number, number];
    return `${rows}:${events}`;
  }
}
