// Crash concentration: a crash signature whose sessions are over-represented on one platform,
// version or configuration ("81% of the sessions with this crash ran linux-x64, vs 33% of all
// sessions"). For each crash group of the window, the root-cause test (root-cause.ts: share among
// the crashed sessions vs among all sessions, lift, exact binomial test, Bonferroni over the values
// tested) on the session's version, OS and the string facts of its session.start context, never
// on the features used (that is root cause, not a platform). A finding needs a minimum volume
// (crashed sessions and distinct devices with the attribute, so one device crashing again and again
// concentrates nothing), a lift, and significance after a second Bonferroni over the groups tested.
import { pct } from '../format.js';
import type { Statements } from '../store.js';
import type { Window } from '../time.js';
import { fingerprint } from '../fingerprint.js';
import { occurrences, str } from './occurrences.js';
import { rootCause, type Suspect } from './root-cause.js';
import { sessionAttributes, type Attributes } from './session-attributes.js';

export interface CrashConcentration {
  group: string;
  title: string;
  /** One attribute (`os = linux-x64`) or a pair. */
  attributes: { name: string; value: string }[];
  /** Crashed sessions of the group with the attribute(s) / crashed sessions of the group. */
  affectedShare: number;
  affectedSessions: number;
  /** Distinct devices among those sessions. */
  affectedDevices: number;
  groupSessions: number;
  /** All sessions of the window with the attribute(s) / all sessions. */
  baselineShare: number;
  lift: number;
  /** Bonferroni over the values tested in the group and over the groups tested. */
  pValue: number;
  /** In words: what, where, how much, how sure. */
  text: string;
}

export interface ConcentrationOptions {
  /** Crashed sessions of a group before it is tested (default 10). */
  minSessions?: number;
  /** Distinct devices among the crashed sessions with the attribute (default 5). */
  minDevices?: number;
  /** Default 2: "twice as common among these crashes as among all sessions". */
  minLift?: number;
  /** Default 0.01, after both corrections. */
  alpha?: number;
  /** Only these versions' rows (a version filter of an alert rule); null = all. */
  version?: string | null;
  os?: string | null;
}

export const DEFAULT_CONCENTRATION: Required<Omit<ConcentrationOptions, 'version' | 'os'>> = { minSessions: 10, minDevices: 5, minLift: 2, alpha: 0.01 };

/** Attributes that describe where a session ran, not what the person did in it. */
function platformOnly(all: ReadonlyMap<string, Attributes>): Map<string, Attributes> {
  const out = new Map<string, Attributes>();
  for (const [s, a] of all) out.set(s, new Map([...a].filter(([name]) => name !== 'feature')));
  return out;
}

export function crashConcentrations(st: Statements, window: Window, o: ConcentrationOptions = {}): CrashConcentration[] {
  const opt = { ...DEFAULT_CONCENTRATION, ...o };
  const crashes = occurrences(st, { window, version: o.version ?? null }, ['crash']).filter((c) => o.os == null || c.os === o.os);
  const byGroup = new Map<string, { sessions: Map<string, string>; sample: (typeof crashes)[number] }>();
  for (const c of crashes) {
    const g = byGroup.get(c.group) ?? { sessions: new Map(), sample: c };
    g.sessions.set(c.session, c.device);
    byGroup.set(c.group, g);
  }
  const tested = [...byGroup.values()].filter((g) => g.sessions.size >= opt.minSessions);
  if (tested.length === 0) return [];
  let all = platformOnly(sessionAttributes(st, window));
  // A filtered rule compares within its population: the version's (or OS's) sessions only.
  if (o.version != null || o.os != null) all = new Map([...all].filter(([, a]) => (o.version == null || a.get('version')?.has(o.version)) && (o.os == null || a.get('os')?.has(o.os))));
  const out: CrashConcentration[] = [];
  for (const g of tested) {
    const rc = rootCause(all, new Set(g.sessions.keys()));
    for (const s of rc.suspects) {
      const pValue = Math.min(1, s.pValue * tested.length);
      if (pValue >= opt.alpha || s.lift < opt.minLift) continue;
      const devices = devicesWith(s, g.sessions, all);
      if (s.affected < opt.minSessions || devices < opt.minDevices) continue;
      const title = titleOf(g.sample);
      const where = s.attributes.map((a) => `${a.name} = ${a.value}`).join(' & ');
      out.push({
        group: g.sample.group,
        title,
        attributes: s.attributes,
        affectedShare: s.affectedShare,
        affectedSessions: s.affected,
        affectedDevices: devices,
        groupSessions: rc.affectedSessions,
        baselineShare: s.baselineShare,
        lift: s.lift,
        pValue,
        text: `${pct(s.affectedShare, 0)} of the ${rc.affectedSessions} sessions with the crash "${title}" ran ${where} (${s.affected} sessions on ${devices} devices), vs ${pct(s.baselineShare, 0)} of all ${rc.sessions} sessions: ${s.lift.toFixed(1)}x as common; p = ${pValue.toExponential(1)} (Bonferroni over the values and the ${tested.length} crash group${tested.length === 1 ? '' : 's'} tested).`,
      });
    }
  }
  // A pair shown only when it says more than its parts: keep it if no single attribute of it was found.
  const singles = new Set(out.filter((c) => c.attributes.length === 1).map((c) => `${c.group}\u0000${c.attributes[0]!.name}\u0000${c.attributes[0]!.value}`));
  return out
    .filter((c) => c.attributes.length === 1 || !c.attributes.every((a) => singles.has(`${c.group}\u0000${a.name}\u0000${a.value}`)))
    .sort((a, b) => a.pValue - b.pValue || b.lift - a.lift);
}

function devicesWith(s: Suspect, sessions: ReadonlyMap<string, string>, all: ReadonlyMap<string, Attributes>): number {
  const devices = new Set<string>();
  for (const [session, device] of sessions) {
    const a = all.get(session);
    if (a && s.attributes.every((x) => a.get(x.name)?.has(x.value))) devices.add(device);
  }
  return devices.size;
}

function titleOf(c: { kind: 'error' | 'crash'; name: string; payload: Record<string, unknown> }): string {
  const p = c.payload;
  return fingerprint({ eventType: c.kind, name: c.name, message: str(p.error_message) ?? '', code: str(p.error_code), stack: str(p.stack_trace), process: str(p.process), reason: str(p.reason) }).title;
}
