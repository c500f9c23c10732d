// The public API of the telemetry core (documented in docs/API.md).
export { TelemetryService, type TrackResult, type DropReason, type TelemetryPorts, type HealthReport } from './service/telemetry-service.js';
export { parseConfig, telemetryConfigSchema, TelemetryConfigError, DEFAULT_LIMITS, type TelemetryConfig, type TelemetryConfigInput } from './config/config.js';
export {
  CONSENT_LEVELS,
  ALL_OFF,
  consentRecordSchema,
  type ConsentLevel,
  type ConsentCategories,
  type ConsentState,
  type ConsentUpdate,
  type ConsentRecord,
} from './consent/consent.js';
export {
  EVENT_TYPES,
  CATEGORIES,
  CATEGORY_OF,
  TYPES_OF,
  LIMITS,
  UNITS,
  telemetryEventSchema,
  type EventType,
  type Category,
  type Context,
  type Unit,
  type TelemetryEvent,
  type TelemetryEventOf,
  type FeatureFields,
  type NetworkFields,
} from './event/schema.js';
export { createScrubber, SCRUB_TOKENS, type Scrubber, type ScrubberOptions } from './scrub/scrub.js';
export { learnScrubEnvironment, withLearnedEnvironment, type EnvironmentSources } from './scrub/environment.js';
export { Histogram, ALPHA as HISTOGRAM_RELATIVE_ERROR, type HistogramData } from './rollup/histogram.js';
export { EVICTION_ORDER, type StoredEvent, type EventFilter, type RollupRow, type RollupQuery, type Identity } from './store/event-store.js';
export { systemClock, MemorySettings, type Clock, type SettingsPort } from './ports.js';
export { createNodeSettings } from './host/node-settings.js';
export { captureCrashes } from './host/crash-capture.js';
export { Uploader, type UploaderOptions, type UploaderStatus } from './upload/uploader.js';
export { alwaysOnline, ManualNetworkState, type NetworkState } from './upload/network.js';
export { createNodeTransport, type HttpTransport, type HttpResponse } from './upload/transport.js';
export type { UploadLogEntry, DeadLetter } from './upload/queue.js';
