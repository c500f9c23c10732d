// The numbers of a short, recent window (minutes to hours), read from the raw rows: what alert
// rules and the collector's /metrics evaluate every minute. The rollups cannot answer these: they
// are hourly and have no OS. Every query is a range scan of the `events_ts` index, so its cost is
// the number of events in the window, not in the store.
import type { EventType } from '../telemetry/event/schema.js';
import { Histogram } from '../telemetry/rollup/histogram.js';
import type { Statements } from './store.js';

export interface WindowFilter {
  /** [from, to) in ms. */
  from: number;
  to: number;
  version?: string;
  os?: string;
  /** Restrict the counted events (not the population of sessions and devices) to a category / name. */
  category?: string;
  name?: string;
}

export interface WindowStats {
  /** Events of the population (version / OS filters only). */
  events: number;
  /** Events that also match the category / name filters. */
  matching: number;
  /** Error and crash events among the matching ones. */
  errors: number;
  crashes: number;
  sessions: number;
  devices: number;
  crashedSessions: number;
  crashedDevices: number;
  /** Devices with an error or a crash. */
  erroredDevices: number;
}

export type GroupKey = 'version' | 'os';

const COLUMN: Record<GroupKey, string> = { version: 'app_version', os: 'os' };

function where(f: WindowFilter): { sql: string; args: (string | number)[] } {
  const args: (string | number)[] = [f.from, f.to];
  let sql = 'ts >= ? AND ts < ?';
  if (f.version !== undefined) {
    sql += ' AND app_version = ?';
    args.push(f.version);
  }
  if (f.os !== undefined) {
    sql += ' AND os = ?';
    args.push(f.os);
  }
  return { sql, args };
}

function matchSql(f: WindowFilter): { sql: string; args: string[] } {
  const parts: string[] = [];
  const args: string[] = [];
  if (f.category !== undefined) {
    parts.push('category = ?');
    args.push(f.category);
  }
  if (f.name !== undefined) {
    parts.push('name = ?');
    args.push(f.name);
  }
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), args };
}

/** The window's numbers, one row per group (by version and/or OS; none = one row, key []). */
export function windowStats(st: Statements, f: WindowFilter, groupBy: readonly GroupKey[] = []): { key: string[]; stats: WindowStats }[] {
  const w = where(f);
  const m = matchSql(f);
  const cols = groupBy.map((g) => COLUMN[g]);
  const select = cols.length > 0 ? `${cols.join(', ')}, ` : '';
  const group = cols.length > 0 ? ` GROUP BY ${cols.join(', ')}` : '';
  const sql = `SELECT ${select}count(*), total(${m.sql}), total(${m.sql} AND event_type = 'error'), total(${m.sql} AND event_type = 'crash'),
    count(DISTINCT session_id), count(DISTINCT device_id),
    count(DISTINCT CASE WHEN event_type = 'crash' THEN session_id END), count(DISTINCT CASE WHEN event_type = 'crash' THEN device_id END),
    count(DISTINCT CASE WHEN event_type IN ('error', 'crash') THEN device_id END)
    FROM events WHERE ${w.sql}${group}`;
  // The match expression appears three times in the select list, before the WHERE arguments.
  const rows = st.get(sql).raw().all(...m.args, ...m.args, ...m.args, ...w.args) as (string | number)[][];
  const out = rows.map((r) => {
    const n = cols.length;
    const [events, matching, errors, crashes, sessions, devices, crashedSessions, crashedDevices, erroredDevices] = r.slice(n) as number[];
    return { key: r.slice(0, n).map(String), stats: { events: events!, matching: matching!, errors: errors!, crashes: crashes!, sessions: sessions!, devices: devices!, crashedSessions: crashedSessions!, crashedDevices: crashedDevices!, erroredDevices: erroredDevices! } };
  });
  // An empty window still has one (all-zero) row when nothing is grouped: "no events" is a value.
  if (out.length === 0 && cols.length === 0) out.push({ key: [], stats: { events: 0, matching: 0, errors: 0, crashes: 0, sessions: 0, devices: 0, crashedSessions: 0, crashedDevices: 0, erroredDevices: 0 } });
  return out;
}

/** The measured values (performance `value`, network `duration_ms`) of one (type, name) in the
 *  window, merged into a histogram per group. */
export function windowHistograms(st: Statements, f: WindowFilter, source: { type: EventType; name: string }, groupBy: readonly GroupKey[] = []): { key: string[]; histogram: Histogram }[] {
  const w = where(f);
  const cols = groupBy.map((g) => COLUMN[g]);
  const field = source.type === 'network' ? '$.duration_ms' : source.type === 'feature' ? '$.duration_seconds' : '$.value';
  const select = cols.length > 0 ? `${cols.join(', ')}, ` : '';
  const rows = st
    .get(`SELECT ${select}json_extract(payload, '${field}') FROM events WHERE ${w.sql} AND event_type = ? AND name = ? AND json_valid(payload)`)
    .raw()
    .all(...w.args, source.type, source.name) as unknown[][];
  const byKey = new Map<string, { key: string[]; histogram: Histogram }>();
  for (const r of rows) {
    const key = r.slice(0, cols.length).map(String);
    const k = key.join('\u0000');
    let g = byKey.get(k);
    if (g === undefined) byKey.set(k, (g = { key, histogram: new Histogram() }));
    const v = r[cols.length];
    if (typeof v === 'number') g.histogram.add(v);
  }
  return [...byKey.values()];
}

/** When a version was first seen (the start of its first hour in the rollups), or null. */
export function firstSeenAt(st: Statements, version: string): number | null {
  const hour = st.get('SELECT min(hour) FROM rollups WHERE app_version = ?').pluck().get(version) as number | null;
  return hour === null ? null : hour * 3_600_000;
}
