// Feature adoption and active devices, from raw rows (both need to know which device did what, which
// the rollups do not keep). For reports and the release comparison, not for the dashboard's 50 ms.
import { ask, runSync, type Reads, type Slice } from './reader.js';
import { readerOf } from './rollup-reader.js';
import { median } from './sessions.js';
import type { Statements } from './store.js';
import { DAY_MS, floorTo } from './time.js';

export interface FeatureAdoption {
  feature: string;
  /** Devices that used it in the window. */
  devices: number;
  /** Of the devices that started a session in the window. */
  deviceShare: number | null;
  uses: number;
  timeSpentSeconds: number;
  medianSecondsPerUse: number | null;
  /** How many devices used it once, 2-5 times, 6 or more times. */
  usesPerDevice: { once: number; few: number; many: number };
  /** Devices that used it exactly once and then started at least `ABANDON_AFTER_SESSIONS` more
   *  sessions without using it again. */
  abandoned: number;
  /** Abandoned / devices that had as many sessions after their first use (null if none had). */
  abandonmentRate: number | null;
  /** The oldest version it was used on in the window. */
  versions: string[];
}

export const ABANDON_AFTER_SESSIONS = 3;

/** featureAdoptionOf on a SQLite connection's statements. */
export function featureAdoption(st: Statements, s: Slice): FeatureAdoption[] {
  return runSync(featureAdoptionOf(s), readerOf(st));
}

export function* featureAdoptionOf(s: Slice): Reads<FeatureAdoption[]> {
  const byFeature = new Map<string, { perDevice: Map<string, number[]>; seconds: number[]; versions: Set<string> }>();
  for (const { device, ts, version, feature, seconds } of yield* ask('featureRows', s)) {
    const id = typeof feature === 'string' ? feature : '(unnamed)';
    let f = byFeature.get(id);
    if (f === undefined) byFeature.set(id, (f = { perDevice: new Map(), seconds: [], versions: new Set() }));
    const uses = f.perDevice.get(device) ?? [];
    uses.push(ts);
    f.perDevice.set(device, uses);
    if (typeof seconds === 'number') f.seconds.push(seconds);
    f.versions.add(version);
  }
  const starts = yield* ask('markers', 'start', s);
  const activeDevices = new Set(starts.map((m) => m.device));
  const startsByDevice = new Map<string, number[]>();
  for (const m of starts) startsByDevice.set(m.device, [...(startsByDevice.get(m.device) ?? []), m.ts]);
  const out: FeatureAdoption[] = [];
  for (const [feature, f] of byFeature) {
    let abandoned = 0;
    let eligible = 0;
    const usesPerDevice = { once: 0, few: 0, many: 0 };
    for (const [device, uses] of f.perDevice) {
      if (uses.length === 1) usesPerDevice.once++;
      else if (uses.length <= 5) usesPerDevice.few++;
      else usesPerDevice.many++;
      const first = Math.min(...uses);
      const later = (startsByDevice.get(device) ?? []).filter((t) => t > first).length;
      if (later >= ABANDON_AFTER_SESSIONS) {
        eligible++;
        if (uses.length === 1) abandoned++;
      }
    }
    const uses = [...f.perDevice.values()].reduce((a, u) => a + u.length, 0);
    out.push({
      feature,
      devices: f.perDevice.size,
      deviceShare: activeDevices.size > 0 ? f.perDevice.size / activeDevices.size : null,
      uses,
      timeSpentSeconds: f.seconds.reduce((a, x) => a + x, 0),
      medianSecondsPerUse: median(f.seconds),
      usesPerDevice,
      abandoned,
      abandonmentRate: eligible > 0 ? abandoned / eligible : null,
      versions: [...f.versions],
    });
  }
  return out.sort((a, b) => b.devices - a.devices || b.uses - a.uses || a.feature.localeCompare(b.feature));
}

export interface ActiveDevices {
  /** Per UTC day of the window: devices seen that day, in the 7 and in the 30 days ending that day. */
  days: { day: number; dau: number; wau: number; mau: number }[];
}

/** activeDevicesOf on a SQLite connection's statements. */
export function activeDevices(st: Statements, s: Slice): ActiveDevices {
  return runSync(activeDevicesOf(s), readerOf(st));
}

/** Daily, weekly and monthly active devices (any event counts as activity). */
export function* activeDevicesOf(s: Slice): Reads<ActiveDevices> {
  const firstDay = floorTo(s.window.from, DAY_MS);
  const rows = yield* ask('deviceDays', firstDay - 29 * DAY_MS, s.window.to, s.version);
  const byDay = new Map<number, string[]>();
  for (const [d, device] of rows) byDay.set(d, [...(byDay.get(d) ?? []), device]);
  const days: ActiveDevices['days'] = [];
  for (let day = firstDay / DAY_MS; day * DAY_MS < s.window.to; day++) {
    const span = (n: number) => {
      const set = new Set<string>();
      for (let d = day - n + 1; d <= day; d++) for (const x of byDay.get(d) ?? []) set.add(x);
      return set.size;
    };
    days.push({ day: day * DAY_MS, dau: byDay.get(day)?.length ?? 0, wau: span(7), mau: span(30) });
  }
  return { days };
}
