// The few raw rows the analyzer reads besides the rollups: session starts and ends, crashes and
// errors (without their payloads, except a session end's length). Each query is served by a
// partial index of migrations/003_analyzer_indexes.sql, so its cost follows the number of markers,
// not the number of events.
import { range } from './raw-rows.js';
import type { Marker, MarkerKind, SessionEnd, Slice } from './reader.js';
import type { Statements } from './store.js';

export type { Marker, MarkerKind, SessionEnd } from './reader.js';

const KIND_WHERE: Record<MarkerKind, string> = {
  crash: "event_type = 'crash'",
  error: "event_type = 'error'",
  start: "name = 'session.start'",
};

export function markers(st: Statements, kind: MarkerKind, s: Slice): Marker[] {
  const r = range(s);
  const rows = st.get(`SELECT ts, app_version, session_id, device_id, user_id FROM events WHERE ${KIND_WHERE[kind]} AND ${r.sql}`).raw().all(...r.args) as [number, string, string, string, string][];
  return rows.map(([ts, version, session, device, user]) => ({ ts, version, session, device, user }));
}

export function sessionEnds(st: Statements, s: Slice): SessionEnd[] {
  const r = range(s);
  const rows = st
    .get(`SELECT ts, app_version, session_id, device_id, user_id, json_extract(payload, '$.context.duration_ms') FROM events WHERE name = 'session.end' AND ${r.sql}`)
    .raw()
    .all(...r.args) as [number, string, string, string, string, unknown][];
  return rows.map(([ts, version, session, device, user, d]) => ({ ts, version, session, device, user, durationMs: typeof d === 'number' && Number.isFinite(d) && d >= 0 ? d : null }));
}

/** Distinct sessions with a crash, per version. */
export function crashedSessionsByVersion(st: Statements, s: Slice): Map<string, number> {
  const r = range(s);
  const rows = st.get(`SELECT app_version, count(DISTINCT session_id) FROM events WHERE event_type = 'crash' AND ${r.sql} GROUP BY app_version`).raw().all(...r.args) as [string, number][];
  return new Map(rows);
}
