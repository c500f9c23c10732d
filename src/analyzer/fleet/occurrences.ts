// Every error and crash event of a window with its group (fingerprint), read once through the
// partial indexes on error and crash rows: the fleet console's issue list, root cause and log
// search all start from these rows.
import { fingerprint, type Fingerprint } from '../fingerprint.js';
import { FINGERPRINT_FIELDS_SQL } from '../groups.js';
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
  fp: Fingerprint;
  /** The raw payload, parsed; {} when read without it (`withPayload: false`). */
  payload: Record<string, unknown>;
}

/** Fingerprints kept per call: one bug repeats its stack text; a flood of distinct texts must not
 *  hold the memory. */
const MEMO_LIMIT = 50_000;

/** `payloadLike`: patterns the raw payload (or the event name) must all match (SQL LIKE, case-insensitive for ASCII),
 *  so a search fingerprints only the rows that can match. */
export function occurrences(st: Statements, s: Slice, kinds: readonly ('error' | 'crash')[] = ['error', 'crash'], payloadLike: readonly string[] = [], o: { withPayload?: boolean } = {}): Occurrence[] {
  // Without the payload, SQLite extracts the five fields a fingerprint needs: no JSON is parsed here.
  const withPayload = o.withPayload ?? true;
  const fields = withPayload ? 'payload' : FINGERPRINT_FIELDS_SQL;
  const memo = new Map<string, Fingerprint>();
  const out: Occurrence[] = [];
  for (const kind of kinds) {
    const args: (string | number)[] = [s.window.from, s.window.to];
    let sql = `SELECT rowid, id, ts, name, app_version, os, device_id, session_id, ${fields} FROM events WHERE event_type = '${kind}' AND ts >= ? AND ts < ?`;
    if (s.version !== null) {
      sql += ' AND app_version = ?';
      args.push(s.version);
    }
    for (const p of payloadLike) {
      sql += " AND (payload LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')";
      args.push(p, p);
    }
    for (const row of st.get(sql).raw().iterate(...args) as Iterable<[number, string, number, string, string, string, string, string, ...unknown[]]>) {
      const [rowid, id, ts, name, version, os, device, session] = row;
      const payload = withPayload ? parse(row[8] as string) : {};
      const [message, code, stack, proc, reason] = withPayload ? [payload.error_message, payload.error_code, payload.stack_trace, payload.process, payload.reason] : row.slice(8);
      const input = { eventType: kind, name, message: str(message) ?? '', code: str(code), stack: str(stack), process: str(proc), reason: str(reason) };
      const key = `${kind}\u0000${name}\u0000${input.message}\u0000${input.code}\u0000${input.stack}\u0000${input.process}\u0000${input.reason}`;
      let fp = memo.get(key);
      if (fp === undefined) {
        fp = fingerprint(input);
        if (memo.size < MEMO_LIMIT) memo.set(key, fp);
      }
      out.push({ rowid, id, kind, name, ts, version, os, device, session, group: fp.id, fp, payload });
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
