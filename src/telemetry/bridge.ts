// The bridge contract between the dashboard (renderer) and its host: Electron's main process over
// IPC (preload/ exposes it as `window.telemetry`), or the plain-Node browser host over HTTP. This
// module is the only part of src/ the renderer may import, and only its types (a lint rule holds
// that). Hosts validate every argument with the schemas below before any handler runs.
import { z } from 'zod';
import type { ConsentState } from './consent/consent.js';
import type { Category, EventType } from './event/schema.js';
import type { DataExport, HealthReport } from './service/telemetry-service.js';
import type { StoredEvent } from './store/event-store.js';
import type { DeadLetter, UploadLogEntry } from './upload/queue.js';
import type { UploaderStatus } from './upload/uploader.js';

const level = z.enum(['off', 'local', 'shared']);
const category = z.enum(['usage', 'performance', 'errors', 'crashes']);
const eventType = z.enum(['app', 'feature', 'performance', 'network', 'error', 'crash']);
const shortText = z.string().max(200);

export const TIME_RANGES = ['1h', '24h', '7d', '30d'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];
export const RANGE_MS: Record<TimeRange, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** Every method: its arguments (one object, or none) as a zod schema. */
export const BRIDGE_ARGS = {
  getConsent: z.undefined(),
  setConsent: z.strictObject({ usage: level.optional(), performance: level.optional(), errors: level.optional(), crashes: level.optional() }),
  dashboard: z.strictObject({ range: z.enum(TIME_RANGES), appVersion: shortText.optional() }),
  recentEvents: z.strictObject({
    types: z.array(eventType).max(6).optional(),
    categories: z.array(category).max(4).optional(),
    names: z.array(shortText).max(20).optional(),
    text: shortText.optional(),
    beforeRowid: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).optional(),
  }),
  diagnostics: z.undefined(),
  recentUploads: z.strictObject({ limit: z.number().int().min(1).max(500).optional() }),
  exportData: z.undefined(),
  deleteMyData: z.undefined(),
  report: z.strictObject({ kind: z.enum(['daily', 'weekly', 'monthly']) }),
  reportRendererError: z.strictObject({
    kind: z.enum(['error', 'unhandledrejection']),
    message: z.string().max(2000),
    stack: z.string().max(16_000).optional(),
  }),
} as const;

export type BridgeMethod = keyof typeof BRIDGE_ARGS;
export const BRIDGE_METHODS = Object.keys(BRIDGE_ARGS) as BridgeMethod[];
export type BridgeArgs<M extends BridgeMethod> = z.input<(typeof BRIDGE_ARGS)[M]>;

/** A percentile summary of a measure; null fields when nothing was measured. */
export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Why a number is not known. `not_collected`: a category it needs is off, so nothing could be
 *  recorded; `no_data`: collection is on but nothing was recorded in the range. `text` is what a
 *  person reads in place of the number ("not collected: Errors are off", "no data in this range"). */
export type Unknown = { reason: 'not_collected'; categories: Category[]; text: string } | { reason: 'no_data'; text: string };

/** A number, or why there is none: `value` is null exactly when `unknown` says why, so "unknown"
 *  can never be read as 0. */
export type Known<T = number> = { value: T; unknown: null } | { value: null; unknown: Unknown };

/** Percentiles of a measure together with why they are missing (count 0), when they are. */
export type MeasuredPercentiles = Percentiles & { unknown: Unknown | null };

/** A version's figure in the by-version table, with its change against the version before it. */
export type VersionFigure = Known & {
  /** Against the next older version in the range; null for the oldest one or when either is unknown. */
  change: VersionChange | null;
};

export interface VersionChange {
  /** The version compared with (the one before). */
  against: string;
  /** Relative change (0.1 = +10%) or, for crash-free sessions, the difference in points (0..1). */
  delta: number;
  unit: 'relative' | 'points';
  /** The release gate's test (src/analyzer/compare.ts): p-value below its corrected level. */
  significant: boolean;
  /** True when the change is for the worse (higher latency, lower crash-free...). */
  worse: boolean;
  pValue: number;
}

export interface VersionRow {
  version: string;
  events: number;
  sessions: Known;
  errors: Known;
  crashes: Known;
  errorRate: VersionFigure;
  crashFreeSessions: VersionFigure;
  apiLatencyP95: VersionFigure;
  llmTimeToFirstTokenP95: VersionFigure;
  memoryP95: VersionFigure;
  loadTimeP95: VersionFigure;
}

/** The dashboard's numbers, all computed from the hourly rollups (and the few session markers),
 *  so they stay fast over millions of events. Rates are 0..1; times in ms. A number that is not
 *  known (category off, or nothing in the range) is `null` with its reason, never 0. */
export interface DashboardData {
  range: TimeRange;
  from: number;
  to: number;
  /** Width of one point of the series, ms. */
  bucketMs: number;
  appVersion: string | null;
  /** Every version seen in the range, newest first (for the filter). */
  versions: string[];
  /** True when no event at all is stored in the range. */
  empty: boolean;
  /** The categories that are off now: their numbers read "not collected". */
  notCollected: Category[];
  tiles: {
    sessions: Known;
    activeTimeMs: Known;
    /** Error and crash events / all events. */
    errorRate: Known;
    /** Sessions without a crash / sessions. */
    crashFreeSessions: Known;
    apiLatency: MeasuredPercentiles;
    llmTokensPerSecond: MeasuredPercentiles;
    llmTimeToFirstToken: MeasuredPercentiles;
    memoryBytes: MeasuredPercentiles;
    loadTime: MeasuredPercentiles;
    syncTime: MeasuredPercentiles;
  };
  series: {
    /** One point per bucket: event counts by type. */
    eventsByType: { t: number; counts: Record<EventType, number> }[];
    /** Error and crash events / all events in the bucket. */
    errorRate: { t: number; rate: number | null }[];
    apiLatency: { t: number; p50: number | null; p95: number | null; p99: number | null }[];
    memoryBytes: { t: number; p50: number | null; p95: number | null }[];
    /** Why a chart has nothing to draw (the same reason as its tile); null when it has data. */
    unknown: { eventsByType: Unknown | null; errorRate: Unknown | null; apiLatency: Unknown | null; memoryBytes: Unknown | null };
  };
  topFeatures: { name: string; uses: number; timeSpentSeconds: number }[];
  /** Why there are no features; null when there are. */
  topFeaturesUnknown: Unknown | null;
  byVersion: VersionRow[];
  /** Hours of the range the analyzer's streaming watcher found unusual on this device's own
   *  rollups (the reports' anomalies, src/analyzer/anomalies.ts), newest first. Series whose
   *  category is off are not watched. */
  anomalies: DashboardAnomaly[];
  /** Set when the host's clock is not the wall clock (the demo's compressed time): say it with
   *  every time shown. Added by the host, not the analysis. */
  clockNote?: string | null;
}

/** One anomaly, formatted for people: what, where, since when, how sure. */
export interface DashboardAnomaly {
  at: number;
  when: string;
  what: string;
  where: string;
  since: string;
  value: string;
  expected: string;
  howSure: string;
  explanation: string;
}

export interface Diagnostics {
  now: number;
  /** As DashboardData.clockNote. */
  clockNote?: string | null;
  sync: UploaderStatus & { endpoint: string | null };
  health: HealthReport;
  deadLetters: DeadLetter[];
}

export interface RenderedReport {
  kind: 'daily' | 'weekly' | 'monthly';
  markdown: string;
  html: string;
}

/** What each method resolves to. */
export interface BridgeResults {
  getConsent: ConsentState;
  setConsent: ConsentState;
  dashboard: DashboardData;
  recentEvents: StoredEvent[];
  diagnostics: Diagnostics;
  recentUploads: UploadLogEntry[];
  exportData: DataExport;
  deleteMyData: { deletedEvents: number };
  report: RenderedReport;
  reportRendererError: { accepted: boolean };
}

/** `window.telemetry` in Electron; the HTTP client in the browser host. Every method returns a
 *  promise and rejects with a BridgeError-shaped error on bad input or a host failure. */
export type TelemetryBridge = {
  [M in BridgeMethod]: undefined extends BridgeArgs<M> ? (args?: BridgeArgs<M>) => Promise<BridgeResults[M]> : (args: BridgeArgs<M>) => Promise<BridgeResults[M]>;
};

/** How a refused call is described to the renderer (over IPC and HTTP alike). */
export interface BridgeErrorBody {
  code: 'bad_request' | 'unknown_method' | 'forbidden' | 'too_large' | 'rate_limited' | 'internal';
  message: string;
}

/** Largest serialized argument a host accepts, bytes. */
export const BRIDGE_MAX_ARG_BYTES = 64 * 1024;

/** The HTTP transport of the browser host: `POST {base}/bridge/{method}` with a JSON body
 *  `{ "args": ... }` and `Authorization: Bearer <token>`; answers `{ "result": ... }` (200) or
 *  `{ "error": BridgeErrorBody }` (4xx/5xx). The token reaches the page in the URL fragment
 *  `#token=...`, which browsers never send to a server. */
export const BRIDGE_HTTP_PATH = '/bridge/';

export type { Category, EventType, ConsentState, StoredEvent, UploadLogEntry, DeadLetter, UploaderStatus, HealthReport, DataExport };
