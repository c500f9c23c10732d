// User journeys: the paths people take between features within a session. The flow is every
// transition between consecutive feature uses (with the session's start and end as nodes), counted
// once per occurrence; a funnel is a sequence of steps a session reaches in order (other features
// may come between), with the conversion and drop-off at each step.
import type { Statements } from '../store.js';
import type { Window } from '../time.js';

export const START = '(start)';
export const END = '(end)';

export interface Transition {
  from: string;
  to: string;
  count: number;
  /** count / every transition leaving `from`. */
  share: number;
}

export interface Flow {
  sessions: number;
  transitions: Transition[];
}

/** The most common transitions shown in the flow diagram: more than this is unreadable. */
export const MAX_TRANSITIONS = 30;

/** Feature ids per session in time order (consecutive repeats kept: a step to itself is a loop). */
export function featurePaths(st: Statements, window: Window, version: string | null = null): Map<string, string[]> {
  const args: (string | number)[] = [window.from, window.to];
  let sql = "SELECT session_id, json_extract(payload, '$.feature_id') FROM events WHERE event_type = 'feature' AND ts >= ? AND ts < ?";
  if (version !== null) {
    sql += ' AND app_version = ?';
    args.push(version);
  }
  sql += ' ORDER BY session_id, ts, rowid';
  const paths = new Map<string, string[]>();
  for (const [session, f] of st.get(sql).raw().iterate(...args) as Iterable<[string, unknown]>) {
    if (typeof f !== 'string') continue;
    let p = paths.get(session);
    if (p === undefined) paths.set(session, (p = []));
    p.push(f);
  }
  return paths;
}

export function flowOf(paths: ReadonlyMap<string, readonly string[]>, limit = MAX_TRANSITIONS): Flow {
  const counts = new Map<string, number>();
  const leaving = new Map<string, number>();
  for (const p of paths.values()) {
    const nodes = [START, ...p, END];
    for (let i = 0; i + 1 < nodes.length; i++) {
      const k = `${nodes[i]}\u0000${nodes[i + 1]}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      leaving.set(nodes[i]!, (leaving.get(nodes[i]!) ?? 0) + 1);
    }
  }
  const transitions = [...counts]
    .map(([k, count]) => {
      const [from, to] = k.split('\u0000') as [string, string];
      return { from, to, count, share: count / leaving.get(from)! };
    })
    .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
    .slice(0, limit);
  return { sessions: paths.size, transitions };
}

export interface FunnelStep {
  feature: string;
  /** Sessions that reached this step (and every one before it, in order). */
  sessions: number;
  /** sessions / sessions at the first step. */
  conversion: number | null;
  /** 1 - sessions / sessions at the step before (null for the first). */
  dropOff: number | null;
}

/** Sessions that reach each step in order. The first step counts sessions that used it at all. */
export function funnelOf(paths: ReadonlyMap<string, readonly string[]>, steps: readonly string[]): FunnelStep[] {
  const reached = steps.map(() => 0);
  for (const p of paths.values()) {
    let at = 0;
    for (const f of p) {
      if (at < steps.length && f === steps[at]) {
        reached[at]!++;
        at++;
      }
    }
  }
  return steps.map((feature, i) => ({
    feature,
    sessions: reached[i]!,
    conversion: reached[0]! > 0 ? reached[i]! / reached[0]! : null,
    dropOff: i === 0 ? null : reached[i - 1]! > 0 ? 1 - reached[i]! / reached[i - 1]! : null,
  }));
}
