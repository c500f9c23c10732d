// What is known about each session of a window, for root-cause analysis: the version and OS of its
// start, the string facts its session.start context carries (provider, model, MCP server, GPU,
// memory class, ...), and the features used in it.
import type { Statements } from '../store.js';
import type { Window } from '../time.js';
import { parse } from './occurrences.js';

/** attribute name -> values (features are many per session, the rest one). */
export type Attributes = Map<string, Set<string>>;

/** Context keys whose values are identifiers worth comparing (free numbers are not). */
const MAX_VALUE_LENGTH = 64;

export function sessionAttributes(st: Statements, window: Window): Map<string, Attributes> {
  const out = new Map<string, Attributes>();
  const starts = st
    .get("SELECT session_id, app_version, os, payload FROM events WHERE name = 'session.start' AND ts >= ? AND ts < ?")
    .raw()
    .all(window.from, window.to) as [string, string, string, string][];
  for (const [session, version, os, payload] of starts) {
    const a: Attributes = new Map([
      ['version', new Set([version])],
      ['os', new Set([os])],
    ]);
    const context = parse(payload).context;
    if (typeof context === 'object' && context !== null) {
      for (const [k, v] of Object.entries(context as Record<string, unknown>)) {
        if (typeof v === 'string' && v.length <= MAX_VALUE_LENGTH) a.set(k, new Set([v]));
      }
    }
    out.set(session, a);
  }
  const features = st
    .get("SELECT session_id, json_extract(payload, '$.feature_id') FROM events WHERE event_type = 'feature' AND ts >= ? AND ts < ?")
    .raw()
    .iterate(window.from, window.to) as Iterable<[string, unknown]>;
  for (const [session, feature] of features) {
    const a = out.get(session);
    if (a === undefined || typeof feature !== 'string') continue;
    let f = a.get('feature');
    if (f === undefined) a.set('feature', (f = new Set()));
    f.add(feature);
  }
  return out;
}
