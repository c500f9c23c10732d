// The development dashboard's issue list: every error and crash group of a window, with its
// status (new, ongoing, regressed, resolved), a daily sparkline, and a priority score so the list
// is already in the order to work on.
import { groupsOf, type ErrorGroup } from '../groups.js';
import type { RollupReader } from '../rollup-reader.js';
import { DAY_MS, floorTo, type Window } from '../time.js';
import { compareVersions } from '../versions.js';
import { occurrences, type Occurrence } from './occurrences.js';
import { versionSessions, type VersionSessions } from './version-sessions.js';

export type IssueStatus = 'new' | 'ongoing' | 'regressed' | 'resolved';

export interface Issue extends ErrorGroup {
  status: IssueStatus;
  /** One sentence with the evidence for the status. */
  statusReason: string;
  /** The version that no longer has it (resolved) or has it again (regressed). */
  statusVersion: string | null;
  /** When the fixing version reached its first device (resolved), else null. */
  resolvedAt: number | null;
  /** Events per UTC day of the window, oldest first. */
  daily: number[];
  /** Events per day over the last `RECENT_DAYS` of the window. */
  recentPerDay: number;
  severity: number;
  /** severity × devices affected × recentPerDay. */
  priority: number;
}

/** A version is a verdict on a group only with this many sessions: fewer could miss a bug that
 *  hits one session in fifty by chance alone (the release gate's minimum too). */
export const MIN_VERSION_SESSIONS = 50;
/** "Recent" for the frequency behind the priority, and "new" for a group first seen this late. */
export const RECENT_DAYS = 7;
/** A crash ends the app and loses the person's work; an error is usually recovered from. */
export const SEVERITY = { crash: 10, error: 1 } as const;

export function issues(reader: RollupReader, window: Window): Issue[] {
  // One read of the error and crash rows, each fingerprinted once, makes both the groups and their
  // daily series (the groups were read and fingerprinted a second time before).
  const occ = occurrences(reader.st, { window, version: null }, ['error', 'crash'], [], { withPayload: false });
  return issuesOf(groupsOf(occ), occ, versionSessions(reader.st, window), window);
}

/** The pure part: the groups' status, series and priority from their occurrences. */
export function issuesOf(groups: readonly ErrorGroup[], occ: readonly Occurrence[], versions: VersionSessions[], window: Window): Issue[] {
  const firstDay = floorTo(window.from, DAY_MS);
  const days = Math.max(1, Math.ceil((window.to - firstDay) / DAY_MS));
  const recentFrom = window.to - RECENT_DAYS * DAY_MS;
  const daily = new Map<string, number[]>();
  const recent = new Map<string, number>();
  for (const o of occ) {
    let d = daily.get(o.group);
    if (d === undefined) daily.set(o.group, (d = new Array<number>(days).fill(0)));
    d[Math.min(days - 1, Math.floor((o.ts - firstDay) / DAY_MS))]!++;
    if (o.ts >= recentFrom) recent.set(o.group, (recent.get(o.group) ?? 0) + 1);
  }
  const judged = versions.filter((v) => v.sessions >= MIN_VERSION_SESSIONS).sort((a, b) => compareVersions(a.version, b.version));
  const out = groups.map((g): Issue => {
    const s = statusOf(g, judged, window);
    const severity = SEVERITY[g.kind];
    const recentPerDay = (recent.get(g.id) ?? 0) / RECENT_DAYS;
    return { ...g, ...s, daily: daily.get(g.id) ?? new Array<number>(days).fill(0), recentPerDay, severity, priority: severity * g.devices * recentPerDay };
  });
  return out.sort((a, b) => b.priority - a.priority || b.devices - a.devices || a.id.localeCompare(b.id));
}

function statusOf(g: ErrorGroup, judged: VersionSessions[], window: Window): Pick<Issue, 'status' | 'statusReason' | 'statusVersion' | 'resolvedAt'> {
  const seen = new Set(g.versions.map((v) => v.version));
  const flags = judged.map((v) => seen.has(v.version));
  const first = flags.indexOf(true);
  const newest = judged.at(-1);
  if (newest !== undefined && first >= 0 && !flags.at(-1)) {
    const lastSeen = flags.lastIndexOf(true);
    const fix = judged[lastSeen + 1]!;
    return {
      status: 'resolved',
      statusReason: `not seen on ${fix.version}${fix.version === newest.version ? '' : ` or later`} (${newest.sessions.toLocaleString('en-US')} sessions on ${newest.version}); last seen on ${judged[lastSeen]!.version}`,
      statusVersion: fix.version,
      resolvedAt: fix.firstSeen,
    };
  }
  if (first >= 0 && flags.at(-1)) {
    const gap = flags.slice(first).indexOf(false);
    if (gap >= 0) {
      const absent = judged[first + gap]!;
      const back = judged[first + gap + flags.slice(first + gap).indexOf(true)]!;
      return { status: 'regressed', statusReason: `gone on ${absent.version} (${absent.sessions.toLocaleString('en-US')} sessions), back on ${back.version}`, statusVersion: back.version, resolvedAt: null };
    }
    if (first === judged.length - 1 && judged.length > 1) return { status: 'new', statusReason: `first seen on ${newest!.version}, the newest version`, statusVersion: newest!.version, resolvedAt: null };
  }
  if (g.firstSeen >= window.to - RECENT_DAYS * DAY_MS) return { status: 'new', statusReason: `first seen in the last ${RECENT_DAYS} days`, statusVersion: null, resolvedAt: null };
  return { status: 'ongoing', statusReason: first >= 0 ? `seen on every version since ${judged[first]!.version}` : 'seen only on versions with too few sessions to judge', statusVersion: null, resolvedAt: null };
}
