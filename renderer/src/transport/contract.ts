// The renderer's view of the bridge contract: types only (eslint holds this), plus the few constant
// lists the UI needs, restated here because the renderer may not import values from src/.
import type { BridgeArgs, BridgeMethod, BridgeResults, Category, EventType, TelemetryBridge, TimeRange } from '../../../src/telemetry/bridge';

export type { BridgeArgs, BridgeMethod, BridgeResults, Category, EventType, TelemetryBridge, TimeRange };
export type {
  ConsentState,
  DashboardData,
  DataExport,
  DeadLetter,
  Diagnostics,
  Known,
  MeasuredPercentiles,
  Percentiles,
  RenderedReport,
  Unknown,
  VersionChange,
  VersionFigure,
  VersionRow,
  StoredEvent,
  UploadLogEntry,
} from '../../../src/telemetry/bridge';

export type ConsentLevel = BridgeResults['getConsent']['categories'][Category];

export const TIME_RANGES: readonly TimeRange[] = ['1h', '24h', '7d', '30d'];
export const CATEGORIES: readonly Category[] = ['usage', 'performance', 'errors', 'crashes'];
export const EVENT_TYPES: readonly EventType[] = ['app', 'feature', 'performance', 'network', 'error', 'crash'];
export const CONSENT_LEVELS: readonly ConsentLevel[] = ['off', 'local', 'shared'];
