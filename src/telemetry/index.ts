// The public API of the telemetry core (documented in docs/API.md).
export { assignVariant, EXPOSURE_EVENT, type VariantSpec } from './experiments/index.js';
export { createTelemetry, type Telemetry, type CreateTelemetryConfig, type CreateTelemetryPorts, type DeliveryState } from './entry/create-telemetry.js';
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
export { DatabaseInUseError } from './store/instance-lock.js';
export { EVICTION_ORDER, type StoredEvent, type EventFilter, type RollupRow, type RollupQuery, type Identity } from './store/event-store.js';
export { systemClock, systemTimers, createScaledClock, MemorySettings, type Clock, type Timers, type ScaledClockSpec, type SettingsPort } from './ports.js';
export { createNodeSettings } from './host/node-settings.js';
export { captureCrashes } from './host/crash-capture.js';
export { Uploader, type UploaderOptions, type UploaderStatus, type UploaderWaiting } from './upload/uploader.js';
export type { UploadStore } from './upload/store-port.js';
export { alwaysOnline, ManualNetworkState, type NetworkState } from './upload/network.js';
export { createNodeTransport, type HttpTransport, type HttpResponse } from './upload/transport.js';
export type { UploadLogEntry, DeadLetter } from './upload/queue.js';
