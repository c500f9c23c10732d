// The adoption curve of each version: per UTC day, the share of the devices that started a session
// that day which ran the version (read through the session.start markers' partial index).
import type { Statements } from '../store.js';
import { DAY_MS, type Window } from '../time.js';
import { newestFirst } from '../versions.js';

export interface AdoptionCurve {
  /** Newest first. */
  versions: string[];
  days: { day: number; devices: number; byVersion: Record<string, { devices: number; share: number }> }[];
}

export function adoptionCurve(st: Statements, window: Window): AdoptionCurve {
  const rows = st
    .get(`SELECT ts / ${DAY_MS} AS d, app_version, count(DISTINCT device_id) FROM events WHERE name = 'session.start' AND ts >= ? AND ts < ? GROUP BY d, app_version`)
    .raw()
    .all(window.from, window.to) as [number, string, number][];
  const totals = new Map<number, number>(
    (st.get(`SELECT ts / ${DAY_MS} AS d, count(DISTINCT device_id) FROM events WHERE name = 'session.start' AND ts >= ? AND ts < ? GROUP BY d`).raw().all(window.from, window.to) as [number, number][]).map(([d, n]) => [d, n]),
  );
  const days = new Map<number, AdoptionCurve['days'][number]>();
  for (const [d, version, devices] of rows) {
    const total = totals.get(d) ?? 0;
    const day = days.get(d) ?? { day: d * DAY_MS, devices: total, byVersion: {} };
    day.byVersion[version] = { devices, share: total > 0 ? devices / total : 0 };
    days.set(d, day);
  }
  return { versions: newestFirst([...new Set(rows.map((r) => r[1]))]), days: [...days.values()].sort((a, b) => a.day - b.day) };
}
