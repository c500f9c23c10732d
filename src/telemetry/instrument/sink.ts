// The part of TelemetryService the instrumentation records through. A structural type, so the
// helpers depend on what they use and nothing more.
import type { TelemetryService } from '../service/telemetry-service.js';

export type TelemetrySink = Pick<TelemetryService, 'trackApp' | 'trackPerformance' | 'trackError' | 'trackCrash' | 'startSession'>;
