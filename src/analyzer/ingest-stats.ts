// What the collector's /metrics reads from its store: the events stored since the last scrape (by
// rowid, so each is counted exactly once, duplicates never), and the queue depths devices report.
import type { EventType } from '../telemetry/event/schema.js';
import type { Statements } from './store.js';

export interface NewEvent {
  rowid: number;
  type: EventType;
  name: string;
  version: string;
  os: string;
  /** performance `value` / network `duration_ms`; null for events without a measure. */
  measure: number | null;
}

/** Events stored after `afterRowid`, oldest first, at most `limit`. */
export function eventsAfter(st: Statements, afterRowid: number, limit: number): NewEvent[] {
  const rows = st
    .get(`SELECT rowid, event_type, name, app_version, os,
      CASE WHEN event_type = 'performance' AND json_valid(payload) THEN json_extract(payload, '$.value')
           WHEN event_type = 'network' AND json_valid(payload) THEN json_extract(payload, '$.duration_ms') END
      FROM events WHERE rowid > ? ORDER BY rowid LIMIT ?`)
    .raw()
    .all(afterRowid, limit) as [number, EventType, string, string, string, unknown][];
  return rows.map(([rowid, type, name, version, os, m]) => ({ rowid, type, name, version, os, measure: typeof m === 'number' && Number.isFinite(m) ? m : null }));
}

export function lastRowid(st: Statements): number {
  return (st.get('SELECT coalesce(max(rowid), 0) FROM events').pluck().get() as number) ?? 0;
}

/** Sum and count of `queue_depth` over the devices that reported since `since` (collector stores). */
export function reportedQueueDepth(st: Statements, since: number): { devices: number; pending: number } {
  const row = st
    .get("SELECT count(*), total(json_extract(health, '$.queue_depth')) FROM client_health WHERE reported_at >= ? AND json_valid(health)")
    .raw()
    .get(since) as [number, number];
  return { devices: row[0], pending: row[1] };
}
