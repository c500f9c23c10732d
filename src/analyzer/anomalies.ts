// Anomalies in a store's hourly series, found by the streaming watcher (detect/watcher.ts): the
// same causal detector the alert rules use, fed the hours before a period (to learn what is usual,
// daily cycle included) and then the period itself, which is where its findings are kept. Reports
// (on a device and on the fleet) and the in-app dashboard call this one function, so they agree.
// Each finding says what (the series and the kind), where (which slice of the store), since when,
// by how much and how sure, in words and numbers.
import { createWatcher, type Finding } from './detect/watcher.js';
import { num, pct } from './format.js';
import { HOUR_MS, isoMinute } from './time.js';
import type { Category } from '../telemetry/event/schema.js';

export type WatchedSeries = 'error_rate' | 'events' | 'crashes' | 'api_latency_p95';

export interface HourlyPoint {
  /** Start of the hour, ms. */
  t: number;
  events: number;
  /** Error and crash events. */
  bad: number;
  crashes: number;
  /** Time the app was in use in the hour, summed over devices (ms); undefined when unknown. */
  inUseMs?: number;
  /** p95 of API latency in the hour (ms), null without measurements. */
  apiP95?: number | null;
}

export interface Anomaly extends Finding {
  series: WatchedSeries;
  /** What was watched, for a table's "What" column ("Error rate"). */
  label: string;
  /** Which slice of the store ("all versions", "this device"). */
  where: string;
}

export interface WatchOptions {
  /** Findings raised before this (the learning hours) are not returned. */
  from: number;
  where?: string;
  /** Points each series learns from before it is judged (default 72: three days of hours). */
  warmupPoints?: number;
  /** Digits of surprise a finding needs (default 4, the watcher's: about 1 in 10,000 points of an
   *  ordinary series; an hour of use with no event at all, after two weeks of ~500, is 4.7). */
  minSurprise?: number;
  /** A rate needs this many events in its hour (fewer say little about it). */
  minEvents?: number;
  series?: readonly WatchedSeries[];
}

export const DEFAULT_WATCH_WARMUP = 72;
export const DEFAULT_WATCH_SURPRISE = 4;
/** The hours before a period the watcher learns from. */
export const WATCH_HISTORY_MS = 14 * 24 * HOUR_MS;
const DEFAULT_MIN_EVENTS = 20;

interface SeriesDef {
  label: string;
  name: (where: string) => string;
  unit: string;
  range: { minValue: number; maxValue?: number };
  /** The point's value, or null when the hour says nothing about this series. */
  value: (p: HourlyPoint, minEvents: number) => number | null;
  /** Rates are shown as percentages. */
  percent?: boolean;
}

const SERIES: Record<WatchedSeries, SeriesDef> = {
  error_rate: {
    label: 'Error rate',
    name: (w) => `the error rate (errors and crashes / events, ${w})`,
    unit: '',
    range: { minValue: 0, maxValue: 1 },
    value: (p, min) => (p.events >= min ? p.bad / p.events : null),
    percent: true,
  },
  // Per hour of use: the step from "not in use" to "in use", or an hour used for ten minutes, is no
  // anomaly; a silence while the app was open is. Hours used less than a quarter are not judged.
  events: {
    label: 'Events per hour of use',
    name: (w) => `events per hour of use (${w})`,
    unit: '',
    range: { minValue: 0 },
    value: (p) => (p.inUseMs === undefined ? p.events : p.inUseMs >= HOUR_MS / 4 ? p.events / (p.inUseMs / HOUR_MS) : null),
  },
  crashes: {
    label: 'Crashes',
    name: (w) => `crashes per hour (${w})`,
    unit: '',
    range: { minValue: 0 },
    value: (p) => (p.events > 0 ? p.crashes : null),
  },
  api_latency_p95: {
    label: 'API latency p95',
    name: (w) => `the p95 of API latency (${w})`,
    unit: 'ms',
    range: { minValue: 0 },
    value: (p) => p.apiP95 ?? null,
  },
};

/** The watchers of every series of one slice, fed an hour at a time (oldest first): what the
 *  dashboard keeps between calls, so a poll feeds only the hours completed since the last one. */
export class HourlyWatch {
  private readonly watchers: { series: WatchedSeries; def: SeriesDef; watcher: ReturnType<typeof createWatcher> }[];
  private readonly minEvents: number;
  readonly where: string;

  constructor(o: Omit<WatchOptions, 'from'>) {
    this.where = o.where ?? 'all versions';
    this.minEvents = o.minEvents ?? DEFAULT_MIN_EVENTS;
    this.watchers = (o.series ?? (Object.keys(SERIES) as WatchedSeries[])).map((series) => {
      const def = SERIES[series];
      const watcher = createWatcher({ warmupPoints: o.warmupPoints ?? DEFAULT_WATCH_WARMUP, minSurprise: o.minSurprise ?? DEFAULT_WATCH_SURPRISE, name: def.name(this.where), unit: def.unit, ...(def.percent ? { format: (x: number) => `${(x * 100).toFixed(2)}%` } : {}), ...def.range });
      return { series, def, watcher };
    });
  }

  /** Judges the hour on every series, learns from it, and returns what it raised. */
  update(p: HourlyPoint): Anomaly[] {
    const out: Anomaly[] = [];
    for (const { series, def, watcher } of this.watchers) {
      const v = def.value(p, this.minEvents);
      if (v === null) continue;
      for (const f of watcher.update(p.t, v)) out.push({ ...f, series, label: def.label, where: this.where });
    }
    return out;
  }
}

export function hourlyAnomalies(points: readonly HourlyPoint[], o: WatchOptions): Anomaly[] {
  const watch = new HourlyWatch(o);
  const out: Anomaly[] = [];
  for (const p of [...points].sort((a, b) => a.t - b.t)) for (const a of watch.update(p)) if (a.at >= o.from) out.push(a);
  return byTime(out);
}

export function byTime(xs: Anomaly[]): Anomaly[] {
  return xs.sort((a, b) => a.at - b.at || a.series.localeCompare(b.series));
}

/** "1 in 10^5.2": how sure, for a table. */
export function howSure(a: Pick<Finding, 'surprise'>): string {
  return `about 1 in 10^${a.surprise.toFixed(1)}`;
}

/** The consent categories each series is computed from: a series whose category is off is not
 *  watched (its hours would read as silence). */
export const SERIES_NEEDS: Record<WatchedSeries, readonly Category[]> = {
  error_rate: ['errors', 'crashes'],
  events: ['usage'],
  crashes: ['crashes'],
  api_latency_p95: ['performance'],
};

const KIND_LABEL: Record<Finding['kind'], string> = { spike: 'spike', dip: 'dip', level_shift: 'level shift', flat_line: 'flat line', approaching_limit: 'approaching its limit' };

/** An anomaly as a person reads it in a table (a report's, the dashboard's): every field a string. */
export interface AnomalyRow {
  at: number;
  when: string;
  what: string;
  where: string;
  since: string;
  value: string;
  expected: string;
  howSure: string;
  explanation: string;
}

export function anomalyRow(a: Anomaly): AnomalyRow {
  const shown = (x: number) => (!Number.isFinite(x) ? 'n/a' : a.series === 'error_rate' ? pct(x, 2) : a.series === 'api_latency_p95' ? num(x, 'ms') : num(x, ''));
  const direction = a.kind === 'level_shift' && a.direction !== null ? ` ${a.direction}` : '';
  return {
    at: a.at,
    when: `${isoMinute(a.at)} UTC`,
    what: `${a.label}: ${KIND_LABEL[a.kind]}${direction}`,
    where: a.where,
    since: `${isoMinute(a.since)} UTC`,
    value: shown(a.observed),
    expected: shown(a.expected),
    howSure: howSure(a),
    explanation: a.explanation,
  };
}
