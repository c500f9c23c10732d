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

/** The dashboard's numbers, all computed from the hourly rollups (and the few session markers),
 *  so they stay fast over millions of events. Rates are 0..1; times in ms; null = no data. */
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
  tiles: {
    sessions: number;
    activeTimeMs: number;
    /** Error and crash events / all events. */
    errorRate: number | null;
    /** Sessions without a crash / sessions. */
    crashFreeSessions: number | null;
    apiLatency: Percentiles;
    llmTokensPerSecond: Percentiles;
    llmTimeToFirstToken: Percentiles;
    memoryBytes: Percentiles;
    loadTime: Percentiles;
    syncTime: Percentiles;
  };
  series: {
    /** One point per bucket: event counts by type. */
    eventsByType: { t: number; counts: Record<EventType, number> }[];
    /** Error and crash events / all events in the bucket. */
    errorRate: { t: number; rate: number | null }[];
    apiLatency: { t: number; p50: number | null; p95: number | null; p99: number | null }[];
    memoryBytes: { t: number; p50: number | null; p95: number | null }[];
  };
  topFeatures: { name: string; uses: number; timeSpentSeconds: number }[];
  byVersion: { version: string; events: number; sessions: number; errors: number; crashes: number; errorRate: number | null; crashFreeSessions: number | null }[];
}

export interface Diagnostics {
  now: number;
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
