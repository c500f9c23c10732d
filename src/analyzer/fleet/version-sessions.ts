// Sessions per version in a window, with when each version reached its first device: what a
// verdict on a version (an issue resolved or regressed in it) needs. Served by the partial index on
// session starts.
import type { Statements } from '../store.js';
import type { Window } from '../time.js';

export interface VersionSessions {
  version: string;
  sessions: number;
  devices: number;
  firstSeen: number;
}

export function versionSessions(st: Statements, window: Window): VersionSessions[] {
  const rows = st
    .get("SELECT app_version, count(*), count(DISTINCT device_id), min(ts) FROM events WHERE name = 'session.start' AND ts >= ? AND ts < ? GROUP BY app_version")
    .raw()
    .all(window.from, window.to) as [string, number, number, number][];
  return rows.map(([version, sessions, devices, firstSeen]) => ({ version, sessions, devices, firstSeen }));
}
