// Sessions rebuilt from their markers: a start, maybe an end, maybe crashes and errors. Outcome:
//   crashed   a crash event carries the session's id;
//   errored   ended cleanly, with at least one error;
//   healthy   ended cleanly, no error;
//   abnormal  no end and no crash, and a later session of the same device has started (the app
//             was killed, the machine lost power, or a crash went unrecorded);
//   open      no end yet and no later session: still running, or not heard from since.
import { ask, runSync, type Marker, type Reads, type Slice } from './reader.js';
import { readerOf } from './rollup-reader.js';
import type { Statements } from './store.js';

export type SessionOutcome = 'healthy' | 'errored' | 'crashed' | 'abnormal' | 'open';

export interface SessionRecord {
  session: string;
  device: string;
  user: string;
  version: string;
  start: number;
  /** Length from session.end, when it ended cleanly. */
  durationMs: number | null;
  errors: number;
  crashes: number;
  outcome: SessionOutcome;
}

/** Sessions that started in the window (and, if given, on the version). Ends, crashes and errors
 *  are looked for from the window's start to `until` (default: the window's end). */
export function* sessionsOf(s: Slice, until = s.window.to): Reads<SessionRecord[]> {
  const after: Slice = { window: { ...s.window, to: Math.max(until, s.window.to) }, version: null };
  const starts: Marker[] = yield* ask('markers', 'start', after);
  const ends = new Map((yield* ask('sessionEnds', after)).map((e) => [e.session, e]));
  const crashes = countBySession(yield* ask('markers', 'crash', after));
  const errors = countBySession(yield* ask('markers', 'error', after));
  const laterStart = new Map<string, number>(); // device -> newest start
  for (const m of starts) laterStart.set(m.device, Math.max(laterStart.get(m.device) ?? 0, m.ts));
  const out: SessionRecord[] = [];
  for (const m of starts) {
    if (m.ts >= s.window.to || (s.version !== null && m.version !== s.version)) continue;
    const end = ends.get(m.session);
    const c = crashes.get(m.session) ?? 0;
    const e = errors.get(m.session) ?? 0;
    const outcome: SessionOutcome = c > 0 ? 'crashed' : end ? (e > 0 ? 'errored' : 'healthy') : laterStart.get(m.device)! > m.ts ? 'abnormal' : 'open';
    out.push({ session: m.session, device: m.device, user: m.user, version: m.version, start: m.ts, durationMs: end?.durationMs ?? null, errors: e, crashes: c, outcome });
  }
  return out;
}

/** sessionsOf on a SQLite connection's statements (the dashboard's and the console's call). */
export function sessionsIn(st: Statements, s: Slice, until = s.window.to): SessionRecord[] {
  return runSync(sessionsOf(s, until), readerOf(st));
}

function countBySession(ms: { session: string }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of ms) out.set(m.session, (out.get(m.session) ?? 0) + 1);
  return out;
}

/** Median of the numbers (null for none). */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
