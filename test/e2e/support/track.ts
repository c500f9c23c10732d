// What the app records while a person uses it, through the service's track* helpers and the
// instrumentation's metric names, so the dashboard's tiles have the events they read.
import { METRIC } from '../../../src/telemetry/event/metric-names.js';
import type { TelemetryService } from '../../../src/telemetry/index.js';

/** One short session of usage: its start, two features, an app start. Returns how many events it tracked. */
export function useTheApp(t: TelemetryService): number {
  t.startSession();
  t.trackApp(METRIC.appStart);
  t.trackFeature('feature.used', { feature_id: 'tool_picker', duration_seconds: 12, interaction_count: 3 });
  t.trackFeature('feature.used', { feature_id: 'chat', duration_seconds: 95, interaction_count: 14 });
  t.flush();
  return 4;
}

/** Performance and error events, of categories the tests keep off unless they say otherwise. */
export function measureTheApp(t: TelemetryService): void {
  t.trackPerformance(METRIC.llmTimeToFirstToken, 640, 'ms', { provider: 'local' });
  t.trackPerformance(METRIC.memoryRss, 260 * 1024 * 1024, 'bytes');
  t.trackError(METRIC.mcpToolFailed, new Error('connect ECONNREFUSED 127.0.0.1:7777'), 'ECONNREFUSED');
  t.flush();
}
