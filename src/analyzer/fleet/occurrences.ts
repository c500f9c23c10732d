// Every error and crash event of a window with its group (fingerprint), read once through the
// partial indexes on error and crash rows: the fleet console's issue list, root cause and log
// search all start from these rows.
import { fingerprint, type Fingerprint } from '../fingerprint.js';
import type { Slice } from '../rollup-reader.js';
import type { Statements } from '../store.js';

export interface Occurrence {
  rowid: number;
  id: string;
  kind: 'error' | 'crash';
  name: string;
  ts: number;
  version: string;
  os: string;
  device: string;
  session: string;
  group: string;
  payload: Record<string, unknown>;
}

/** Fingerprints kept per call: one bug repeats its stack text; a flood of distinct texts must not
 *  hold the memory. */
const MEMO_LIMIT = 50_000;

/** `payloadLike`: patterns the raw payload (or the event name) must all match (SQL LIKE, case-insensitive for ASCII),
 *  so a search fingerprints only the rows that can match. */
export function occurrences(st: Statements, s: Slice, kinds: readonly ('error' | 'crash')[] = ['error', 'crash'], payloadLike: readonly string[] = []): Occurrence[] {
  const memo = new Map<string, Fingerprint>();
  const out: Occurrence[] = [];
  for (const kind of kinds) {
    const args: (string | number)[] = [s.window.from, s.window.to];
    let sql = `SELECT rowid, id, ts, name, app_version, os, device_id, session_id, payload FROM events WHERE event_type = '${kind}' AND ts >= ? AND ts < ?`;
    if (s.version !== null) {
      sql += ' AND app_version = ?';
      args.push(s.version);
    }
    for (const p of payloadLike) {
      sql += " AND (payload LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')";
      args.push(p, p);
    }
    for (const [rowid, id, ts, name, version, os, device, session, text] of st.get(sql).raw().iterate(...args) as Iterable<[number, string, number, string, string, string, string, string, string]>) {
      const payload = parse(text);
      const input = { eventType: kind, name, message: str(payload.error_message) ?? '', code: str(payload.error_code), stack: str(payload.stack_trace), process: str(payload.process), reason: str(payload.reason) };
      const key = `${kind}\u0000${name}\u0000${input.message}\u0000${input.code}\u0000${input.stack}\u0000${input.process}\u0000${input.reason}`;
      let fp = memo.get(key);
      if (fp === undefined) {
        fp = fingerprint(input);
        if (memo.size < MEMO_LIMIT) memo.set(key, fp);
      }
      out.push({ rowid, id, kind, name, ts, version, os, device, session, group: fp.id, payload });
    }
  }
  return out;
}

export function parse(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
