// The raw rows the reports read on SQLite besides the markers: error and crash payloads (their stacks
// are not in the rollups), feature events (who used what), active devices per day and errors per
// feature. Error and crash rows come through the partial indexes of migrations/003 (collector 002),
// the others through the ts index.
import type { ErrorRow, FeatureRow, Slice } from './reader.js';
import type { Statements } from './store.js';
import { DAY_MS } from './time.js';

/** `ts >= ? AND ts < ?` (and the version), with its arguments: the raw rows of a slice. */
export function range(s: Slice): { sql: string; args: (string | number)[] } {
  const args: (string | number)[] = [s.window.from, s.window.to];
  let sql = 'ts >= ? AND ts < ?';
  if (s.version !== null) {
    sql += ' AND app_version = ?';
    args.push(s.version);
  }
  return { sql, args };
}

export function errorRows(st: Statements, kind: 'error' | 'crash', s: Slice): ErrorRow[] {
  const r = range(s);
  const rows = st.get(`SELECT ts, name, app_version, os, device_id, session_id, payload FROM events WHERE event_type = '${kind}' AND ${r.sql}`).raw().all(...r.args) as [number, string, string, string, string, string, string][];
  return rows.map(([ts, name, version, os, device, session, payload]) => ({ ts, name, version, os, device, session, payload }));
}

export function featureRows(st: Statements, s: Slice): FeatureRow[] {
  const r = range(s);
  const rows = st
    .get(`SELECT device_id, ts, app_version, json_extract(payload, '$.feature_id'), json_extract(payload, '$.duration_seconds') FROM events WHERE event_type = 'feature' AND ${r.sql}`)
    .raw()
    .all(...r.args) as [string, number, string, unknown, unknown][];
  return rows.map(([device, ts, version, feature, seconds]) => ({ device, ts, version, feature, seconds }));
}

export function deviceDays(st: Statements, from: number, to: number, version: string | null): [number, string][] {
  return st
    .get(`SELECT ts / ${DAY_MS} AS d, device_id FROM events WHERE ts >= ? AND ts < ?${version !== null ? ' AND app_version = ?' : ''} GROUP BY d, device_id`)
    .raw()
    .all(from, to, ...(version !== null ? [version] : [])) as [number, string][];
}

export function errorsByFeature(st: Statements, s: Slice): Map<string, number> {
  const rows = st
    .get("SELECT json_extract(payload, '$.feature_id') AS f, count(*) FROM events WHERE event_type IN ('error', 'crash') AND ts >= ? AND ts < ? GROUP BY f")
    .raw()
    .all(s.window.from, s.window.to) as [unknown, number][];
  return new Map(rows.filter((r): r is [string, number] => typeof r[0] === 'string'));
}
