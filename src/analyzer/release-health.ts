// Release health per app version: crash-free sessions and users, how sessions ended, session
// length, error rate, and adoption (share of sessions and devices on each version over the last 24 h).
import { ask, runSync, type Reads } from './reader.js';
import type { RollupReader } from './rollup-reader.js';
import { median, sessionsOf, type SessionOutcome, type SessionRecord } from './sessions.js';
import { DAY_MS, windowOf, type Window } from './time.js';
import { newestFirst } from './versions.js';

export interface VersionHealth {
  version: string;
  sessions: number;
  users: number;
  devices: number;
  /** Sessions without a crash / sessions; null without sessions. */
  crashFreeSessions: number | null;
  /** Users without a crash on this version / users. */
  crashFreeUsers: number | null;
  outcomes: Record<SessionOutcome, number>;
  medianSessionMs: number | null;
  events: number;
  errors: number;
  crashes: number;
  /** (error + crash events) / events. */
  errorRate: number | null;
  /** Over the 24 h before the window's end: share of sessions / devices on this version. */
  adoption: { sessionShare: number | null; deviceShare: number | null };
}

export function releaseHealth(reader: RollupReader, window: Window): VersionHealth[] {
  return runSync(releaseHealthOf(window), reader);
}

export function* releaseHealthOf(window: Window): Reads<VersionHealth[]> {
  const all = yield* sessionsOf({ window, version: null });
  const last24 = windowOf(window.to - DAY_MS, window.to);
  const recent = yield* sessionsOf({ window: last24, version: null });
  const recentDevices = new Set(recent.map((r) => r.device));
  const totals = yield* ask('totals', { window, version: null });
  const versions = newestFirst([...totals.map((t) => t.version), ...all.map((s) => s.version)]);
  return versions.map((version) => {
    const mine = all.filter((s) => s.version === version);
    const events = totals.filter((t) => t.version === version).reduce((a, t) => a + t.count, 0);
    const errors = totals.filter((t) => t.version === version && t.type === 'error').reduce((a, t) => a + t.count, 0);
    const crashes = totals.filter((t) => t.version === version && t.type === 'crash').reduce((a, t) => a + t.count, 0);
    const recentMine = recent.filter((s) => s.version === version);
    return {
      version,
      ...healthOf(mine),
      events,
      errors,
      crashes,
      errorRate: events > 0 ? (errors + crashes) / events : null,
      adoption: {
        sessionShare: recent.length > 0 ? recentMine.length / recent.length : null,
        deviceShare: recentDevices.size > 0 ? new Set(recentMine.map((s) => s.device)).size / recentDevices.size : null,
      },
    };
  });
}

/** The session-based numbers of a set of sessions. */
export function healthOf(sessions: readonly SessionRecord[]): Pick<VersionHealth, 'sessions' | 'users' | 'devices' | 'crashFreeSessions' | 'crashFreeUsers' | 'outcomes' | 'medianSessionMs'> {
  const outcomes: Record<SessionOutcome, number> = { healthy: 0, errored: 0, crashed: 0, abnormal: 0, open: 0 };
  const users = new Set<string>();
  const crashedUsers = new Set<string>();
  for (const s of sessions) {
    outcomes[s.outcome]++;
    users.add(s.user);
    if (s.outcome === 'crashed') crashedUsers.add(s.user);
  }
  const n = sessions.length;
  return {
    sessions: n,
    users: users.size,
    devices: new Set(sessions.map((s) => s.device)).size,
    crashFreeSessions: n > 0 ? 1 - outcomes.crashed / n : null,
    crashFreeUsers: users.size > 0 ? 1 - crashedUsers.size / users.size : null,
    outcomes,
    medianSessionMs: median(sessions.flatMap((s) => (s.durationMs === null ? [] : [s.durationMs]))),
  };
}

