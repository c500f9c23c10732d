// The executive dashboard: active devices and their growth, engagement, overall health against
// targets, and the major issues, for the last week or month against the one before (week over
// week, month over month).
import type { Percentiles } from '../../telemetry/bridge.js';
import { MEASURES, sourceKey, type MeasureKey } from '../measures.js';
import { summarize } from '../percentiles.js';
import type { RollupReader } from '../rollup-reader.js';
import { median, sessionsIn, type SessionRecord } from '../sessions.js';
import { DAY_MS, floorTo, windowOf, type Window } from '../time.js';
import { activeDevices } from '../usage.js';
import type { Issue } from './issues.js';

export type Period = 'week' | 'month';
export const PERIOD_DAYS: Record<Period, number> = { week: 7, month: 30 };

/** p95 targets for the key latencies: what a person notices (a chat answer that starts after
 *  1.5 s feels stuck; an app that takes over 3 s to show a window feels broken). */
export const LATENCY_TARGETS_MS: Partial<Record<MeasureKey, number>> = {
  apiLatency: 1000,
  llmTimeToFirstToken: 1500,
  toolCall: 500,
  loadTime: 3000,
};

export interface PeriodNumbers {
  window: { from: number; to: number };
  dau: number;
  wau: number;
  mau: number;
  sessions: number;
  devices: number;
  sessionsPerDevice: number | null;
  medianSessionMs: number | null;
  /** Total length of the sessions that ended cleanly / devices with a session. */
  timeInAppPerDeviceMs: number | null;
  crashFreeSessions: number | null;
  crashFreeDevices: number | null;
  events: number;
  errorRate: number | null;
  latencies: { key: MeasureKey; label: string; targetMs: number; p95: number | null; count: number; meetsTarget: boolean | null }[];
}

export interface ExecutiveSummary {
  period: Period;
  current: PeriodNumbers;
  previous: PeriodNumbers;
  /** DAU, WAU and MAU for each day of the current period. */
  activeDevices: { day: number; dau: number; wau: number; mau: number }[];
  majorIssues: Issue[];
}

/** Open issues shown on the executive page, by priority; resolved ones in the period come after. */
export const MAJOR_ISSUES = 5;

export function executiveSummary(reader: RollupReader, period: Period, now: number, issues: readonly Issue[]): ExecutiveSummary {
  const len = PERIOD_DAYS[period] * DAY_MS;
  // Whole UTC days, the last one being today (partial).
  const end = floorTo(now, DAY_MS) + DAY_MS;
  const current = windowOf(end - len, end);
  const previous = windowOf(end - 2 * len, end - len);
  const cur = periodNumbers(reader, current);
  const prev = periodNumbers(reader, previous);
  const open = issues.filter((i) => i.status !== 'resolved').slice(0, MAJOR_ISSUES);
  const resolved = issues.filter((i) => i.status === 'resolved' && i.resolvedAt !== null && i.resolvedAt >= current.from);
  return { period, current: cur.numbers, previous: prev.numbers, activeDevices: cur.active, majorIssues: [...open, ...resolved] };
}

function periodNumbers(reader: RollupReader, window: Window): { numbers: PeriodNumbers; active: ExecutiveSummary['activeDevices'] } {
  const slice = { window, version: null };
  const active = activeDevices(reader.st, slice).days;
  const last = active.at(-1) ?? { dau: 0, wau: 0, mau: 0 };
  const sessions = sessionsIn(reader.st, slice);
  const health = crashFree(sessions);
  const totals = reader.totals(slice);
  const events = totals.reduce((a, t) => a + t.count, 0);
  const errors = totals.filter((t) => t.type === 'error' || t.type === 'crash').reduce((a, t) => a + t.count, 0);
  const keys = Object.keys(LATENCY_TARGETS_MS) as MeasureKey[];
  const hists = reader.histograms(slice, keys.flatMap((k) => MEASURES[k].sources));
  const latencies = keys.map((key) => {
    const m = MEASURES[key];
    // The first source with data, never a mix (measures.ts).
    const src = m.sources.find((s) => (hists.get(sourceKey(s.type, s.name))?.get(0)?.count ?? 0) > 0);
    const p: Percentiles = summarize(src ? hists.get(sourceKey(src.type, src.name))?.get(0) : undefined);
    const targetMs = LATENCY_TARGETS_MS[key]!;
    return { key, label: m.label, targetMs, p95: p.p95, count: p.count, meetsTarget: p.p95 === null ? null : p.p95 <= targetMs };
  });
  const devices = new Set(sessions.map((s) => s.device)).size;
  const lengths = sessions.flatMap((s) => (s.durationMs === null ? [] : [s.durationMs]));
  return {
    active,
    numbers: {
      window: { from: window.from, to: window.to },
      dau: last.dau,
      wau: last.wau,
      mau: last.mau,
      sessions: sessions.length,
      devices,
      sessionsPerDevice: devices > 0 ? sessions.length / devices : null,
      medianSessionMs: median(lengths),
      timeInAppPerDeviceMs: devices > 0 ? lengths.reduce((a, x) => a + x, 0) / devices : null,
      ...health,
      events,
      errorRate: events > 0 ? errors / events : null,
      latencies,
    },
  };
}

function crashFree(sessions: readonly SessionRecord[]): { crashFreeSessions: number | null; crashFreeDevices: number | null } {
  const devices = new Set<string>();
  const crashedDevices = new Set<string>();
  let crashed = 0;
  for (const s of sessions) {
    devices.add(s.device);
    if (s.outcome === 'crashed') {
      crashed++;
      crashedDevices.add(s.device);
    }
  }
  return {
    crashFreeSessions: sessions.length > 0 ? 1 - crashed / sessions.length : null,
    crashFreeDevices: devices.size > 0 ? 1 - crashedDevices.size / devices.size : null,
  };
}
