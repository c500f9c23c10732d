// Feature usage for the product dashboard: the analyzer's adoption and abandonment (usage.ts),
// plus adoption over time (devices using each feature per day) and avoidance: a feature most
// active devices never touch, on the versions that have it.
import type { RollupReader } from '../rollup-reader.js';
import { DAY_MS, floorTo, type Window } from '../time.js';
import { featureAdoption, type FeatureAdoption } from '../usage.js';

export interface FeatureUsage extends FeatureAdoption {
  /** Devices active on the versions where the feature was used that never used it / those devices. */
  avoidance: number | null;
  avoided: boolean;
  /** Distinct devices using it per UTC day of the window, oldest first. */
  dailyDevices: number[];
  /** First day of the window on which it was used (ms), for "new features". */
  firstUsed: number;
}

export interface FeatureUsageReport {
  days: number[];
  features: FeatureUsage[];
}

/** A feature that at least this share of the devices that could use it never opens is "avoided":
 *  it is not found, not understood, or not wanted. */
export const AVOIDED_AT = 0.9;

export function featureUsage(reader: RollupReader, window: Window): FeatureUsageReport {
  const adoption = featureAdoption(reader.st, { window, version: null });
  const firstDay = floorTo(window.from, DAY_MS);
  const nDays = Math.max(1, Math.ceil((window.to - firstDay) / DAY_MS));
  const days = Array.from({ length: nDays }, (_, i) => firstDay + i * DAY_MS);
  const perDay = new Map<string, Set<string>[]>();
  const first = new Map<string, number>();
  const rows = reader.st
    .get("SELECT ts, device_id, json_extract(payload, '$.feature_id') FROM events WHERE event_type = 'feature' AND ts >= ? AND ts < ?")
    .raw()
    .iterate(window.from, window.to) as Iterable<[number, string, unknown]>;
  for (const [ts, device, f] of rows) {
    const id = typeof f === 'string' ? f : '(unnamed)';
    let d = perDay.get(id);
    if (d === undefined) perDay.set(id, (d = days.map(() => new Set())));
    d[Math.min(nDays - 1, Math.floor((ts - firstDay) / DAY_MS))]!.add(device);
    first.set(id, Math.min(first.get(id) ?? Infinity, ts));
  }
  // Devices active per version (any session start), to judge avoidance on the versions that have it.
  const active = reader.st
    .get("SELECT app_version, device_id FROM events WHERE name = 'session.start' AND ts >= ? AND ts < ? GROUP BY app_version, device_id")
    .raw()
    .all(window.from, window.to) as [string, string][];
  const devicesOn = new Map<string, Set<string>>();
  for (const [v, d] of active) {
    let s = devicesOn.get(v);
    if (s === undefined) devicesOn.set(v, (s = new Set()));
    s.add(d);
  }
  const features = adoption.map((a): FeatureUsage => {
    const eligible = new Set<string>();
    for (const v of a.versions) for (const d of devicesOn.get(v) ?? []) eligible.add(d);
    const avoidance = eligible.size > 0 ? Math.max(0, 1 - a.devices / eligible.size) : null;
    return { ...a, avoidance, avoided: avoidance !== null && avoidance >= AVOIDED_AT, dailyDevices: (perDay.get(a.feature) ?? []).map((s) => s.size), firstUsed: first.get(a.feature) ?? window.from };
  });
  return { days, features };
}
