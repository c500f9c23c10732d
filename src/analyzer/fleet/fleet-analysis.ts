// The fleet console's one entry into the analyzer: every question its three dashboards ask, over
// a collector's store, each for a window of whole days ending now. The console never reads the
// store but through this.
import { releaseHealth, type VersionHealth } from '../release-health.js';
import { RollupReader } from '../rollup-reader.js';
import type { Db } from '../store.js';
import { DAY_MS, windowOf, type Window } from '../time.js';
import { newestFirst } from '../versions.js';
import { adoptionCurve, type AdoptionCurve } from './adoption.js';
import { componentPerformance, type ComponentRow } from './components.js';
import { executiveSummary, type ExecutiveSummary, type Period } from './executive.js';
import { experiments, type ExperimentResult } from './experiments.js';
import { featureUsage, type FeatureUsageReport } from './features.js';
import { issues, type Issue } from './issues.js';
import { featurePaths, flowOf, funnelOf, type Flow, type FunnelStep } from './journeys.js';
import { rawEvent, searchLogs, type LogQuery, type LogResult } from './log-search.js';
import { occurrences } from './occurrences.js';
import { rootCause, type RootCause } from './root-cause.js';
import { sessionAttributes } from './session-attributes.js';

export interface IssueDetail {
  issue: Issue;
  /** The newest occurrence's stack, as stored. */
  representativeStack: string | null;
  /** The newest events of the group, raw and scrubbed. */
  events: Record<string, unknown>[];
  byVersion: { version: string; count: number; devices: number }[];
  byOs: { os: string; count: number }[];
  rootCause: RootCause;
}

/** Raw events shown on a group's page. */
export const ISSUE_SAMPLE_EVENTS = 20;

export interface FleetAnalysis {
  /** The version of the data: changes whenever a row is added or deleted (for caches). */
  dataVersion(): string;
  versions(days: number): string[];
  executive(period: Period): ExecutiveSummary;
  issues(days: number): Issue[];
  issue(id: string, days: number): IssueDetail | null;
  components(days: number): ComponentRow[];
  releases(days: number): VersionHealth[];
  adoption(days: number): AdoptionCurve;
  features(days: number): FeatureUsageReport;
  flow(days: number, version: string | null): Flow;
  funnel(days: number, steps: readonly string[], version: string | null): FunnelStep[];
  experiments(days: number, goal: string | null): ExperimentResult[];
  logs(q: Omit<LogQuery, 'window'> & { days: number }): LogResult;
}

export function createFleetAnalysis(db: Db, now: () => number = Date.now): FleetAnalysis {
  const reader = new RollupReader(db);
  const st = reader.st;
  const windowOfDays = (days: number): Window => windowOf(now() - days * DAY_MS, now() + 1);
  return {
    // data_version moves on every commit by another connection (the collector's); the newest
    // rowid covers writes through this very connection (tests).
    dataVersion: () => `${db.pragma('data_version', { simple: true }) as number}:${(st.get('SELECT max(rowid) FROM events').pluck().get() as number | null) ?? 0}`,
    versions: (days) => newestFirst(reader.versions({ window: windowOfDays(days), version: null })),
    executive: (period) => executiveSummary(reader, period, now(), issues(reader, windowOfDays(30))),
    issues: (days) => issues(reader, windowOfDays(days)),
    issue(id, days) {
      const window = windowOfDays(days);
      const issue = issues(reader, window).find((i) => i.id === id);
      if (issue === undefined) return null;
      const mine = occurrences(st, { window, version: null }, [issue.kind]).filter((o) => o.group === id);
      mine.sort((a, b) => b.ts - a.ts || b.rowid - a.rowid);
      const byOs = new Map<string, number>();
      for (const o of mine) byOs.set(o.os, (byOs.get(o.os) ?? 0) + 1);
      const stack = mine.find((o) => typeof o.payload.stack_trace === 'string')?.payload.stack_trace;
      return {
        issue,
        representativeStack: typeof stack === 'string' ? stack : null,
        events: mine.slice(0, ISSUE_SAMPLE_EVENTS).map(rawEvent),
        byVersion: issue.versions,
        byOs: [...byOs].map(([os, count]) => ({ os, count })).sort((a, b) => b.count - a.count),
        rootCause: rootCause(sessionAttributes(st, window), new Set(mine.map((o) => o.session))),
      };
    },
    components: (days) => componentPerformance(reader, windowOfDays(days)),
    releases: (days) => releaseHealth(reader, windowOfDays(days)),
    adoption: (days) => adoptionCurve(st, windowOfDays(days)),
    features: (days) => featureUsage(reader, windowOfDays(days)),
    flow: (days, version) => flowOf(featurePaths(st, windowOfDays(days), version)),
    funnel: (days, steps, version) => funnelOf(featurePaths(st, windowOfDays(days), version), steps),
    experiments: (days, goal) => experiments(st, windowOfDays(days), goal),
    logs: ({ days, ...q }) => searchLogs(st, { ...q, window: windowOfDays(days) }),
  };
}
