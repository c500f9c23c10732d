// The fleet console's API contract: every path, its query, and the analyzer's answer type. The web
// app (console/) imports these as types only; the server (api-routes.ts) answers them.
export type { AdoptionCurve } from '../analyzer/fleet/adoption.js';
export type { ComponentRow } from '../analyzer/fleet/components.js';
import type { RuleStatus } from '../alerting/engine.js';
import type { Alert } from '../alerting/lifecycle.js';
import type { ReleaseWatch } from '../alerting/release/monitor.js';
export type { Alert, ReleaseWatch, RuleStatus };
export type { HistoryEntry } from '../alerting/history.js';
export type { Rule, RuleInput, Silence } from '../alerting/rule.js';
export type { ExecutiveSummary, PeriodNumbers, Period } from '../analyzer/fleet/executive.js';
export type { ExperimentResult, VariantComparison, VariantResult } from '../analyzer/fleet/experiments.js';
export type { FeatureUsage, FeatureUsageReport } from '../analyzer/fleet/features.js';
export type { IssueDetail } from '../analyzer/fleet/fleet-analysis.js';
export type { Issue, IssueStatus } from '../analyzer/fleet/issues.js';
export type { Flow, FunnelStep, Transition } from '../analyzer/fleet/journeys.js';
export type { LogHit, LogResult } from '../analyzer/fleet/log-search.js';
export type { RootCause, Suspect } from '../analyzer/fleet/root-cause.js';
export type { ProportionDifference, SampleRatioCheck } from '../analyzer/fleet/significance.js';
export type { VersionHealth } from '../analyzer/release-health.js';

/** Where the API lives, under the console's origin. */
export const CONSOLE_API = '/api';

export interface SessionInfo {
  csrf: string;
  expiresAt: number;
}

export interface ApiError {
  error: { code: 'unauthorized' | 'forbidden' | 'bad_request' | 'not_found' | 'internal'; message: string };
}

/** GET /api/alerts (the collector's GET /v1/alerts, forwarded). */
export interface AlertsOverview {
  alerts: (Alert & { silencedBy: string | null })[];
  rules: RuleStatus[];
  release: ReleaseWatch[] | null;
}
