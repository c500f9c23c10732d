// Log search over the fleet store's error and crash events (the seed's Elasticsearch and Kibana):
// every word of the query must appear, case-insensitively, in the message, the stack trace or the
// error code; filters narrow by time, version, OS, event type and group. Matches come newest first,
// each with its raw (already scrubbed) event, plus a time histogram of every match. Served by the
// partial indexes on error and crash rows, so its cost follows the number of errors, not of events.
import type { Statements } from '../store.js';
import { DAY_MS, HOUR_MS, type Window } from '../time.js';
import { occurrences, type Occurrence } from './occurrences.js';

export interface LogQuery {
  text: string;
  window: Window;
  version?: string | null;
  os?: string | null;
  kind?: 'error' | 'crash' | null;
  group?: string | null;
  /** Results returned (every match is still counted in the histogram). */
  limit?: number;
}

export interface LogHit {
  id: string;
  ts: number;
  kind: 'error' | 'crash';
  name: string;
  version: string;
  os: string;
  group: string;
  message: string;
  /** The event as stored, scrubbed: common fields and the type's fields. */
  raw: Record<string, unknown>;
}

export interface LogResult {
  total: number;
  hits: LogHit[];
  bucketMs: number;
  histogram: { t: number; count: number }[];
  tookMs: number;
}

export const DEFAULT_LOG_LIMIT = 100;
export const MAX_LOG_LIMIT = 1000;
/** Longer than this is not a search, it is a paste. */
export const MAX_QUERY_LENGTH = 200;

export function searchLogs(st: Statements, q: LogQuery, now: () => number = Date.now): LogResult {
  const started = now();
  const terms = q.text.slice(0, MAX_QUERY_LENGTH).toLowerCase().split(/\s+/).filter((t) => t !== '');
  const kinds = q.kind ? [q.kind] : (['error', 'crash'] as const);
  const matches: Occurrence[] = occurrences(st, { window: q.window, version: q.version ?? null }, kinds, terms.flatMap(likePattern)).filter((o) => {
    if (q.os && o.os !== q.os) return false;
    if (q.group && o.group !== q.group) return false;
    if (terms.length === 0) return true;
    const text = `${str(o.payload.error_message)}\n${str(o.payload.stack_trace)}\n${str(o.payload.error_code)}\n${o.name}`.toLowerCase();
    return terms.every((t) => text.includes(t));
  });
  matches.sort((a, b) => b.ts - a.ts || b.rowid - a.rowid);
  const span = q.window.to - q.window.from;
  const bucketMs = span > 2 * DAY_MS ? DAY_MS : HOUR_MS;
  const counts = new Map<number, number>();
  for (const m of matches) {
    const t = Math.floor(m.ts / bucketMs) * bucketMs;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const histogram: LogResult['histogram'] = [];
  for (let t = Math.floor(q.window.from / bucketMs) * bucketMs; t < q.window.to; t += bucketMs) histogram.push({ t, count: counts.get(t) ?? 0 });
  const limit = Math.max(1, Math.min(MAX_LOG_LIMIT, q.limit ?? DEFAULT_LOG_LIMIT));
  const hits = matches.slice(0, limit).map((o) => ({
    id: o.id,
    ts: o.ts,
    kind: o.kind,
    name: o.name,
    version: o.version,
    os: o.os,
    group: o.group,
    message: str(o.payload.error_message),
    raw: rawEvent(o),
  }));
  return { total: matches.length, hits, bucketMs, histogram, tookMs: now() - started };
}

/** A word as a LIKE pattern over the stored JSON, or none when JSON escaping could hide it (a
 *  quote, a backslash, a control character): the exact check below still applies to every row. */
function likePattern(term: string): string[] {
  // Printable ASCII only (no control or non-ASCII character), and no quote or backslash.
  if (!/^[\u0020-\u007e]*$/.test(term) || /["\\]/.test(term)) return [];
  return [`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`];
}

export function rawEvent(o: Occurrence): Record<string, unknown> {
  return { id: o.id, event_type: o.kind, name: o.name, timestamp: new Date(o.ts).toISOString(), session_id: o.session, app_version: o.version, os: o.os, device_id: o.device, ...o.payload };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
