// The measures the dashboard, the reports and the release comparison read, as (event type, name)
// pairs of the instrumentation's METRIC list. Where the app may record either of two names for the
// same idea (memory of the whole app or of the main process; time to first window or page load),
// the first one with data in the window is used, never a mix of both.
import { METRIC } from '../telemetry/event/metric-names.js';
import type { EventType } from '../telemetry/event/schema.js';

export interface MeasureSource {
  type: EventType;
  name: string;
}

export interface Measure {
  key: MeasureKey;
  label: string;
  unit: 'ms' | 'bytes' | 'tokens/s';
  /** Candidates in order of preference. */
  sources: MeasureSource[];
  /** True when a larger value is worse (latency, memory); false for throughput. */
  higherIsWorse: boolean;
}

export type MeasureKey = 'apiLatency' | 'llmTokensPerSecond' | 'llmTimeToFirstToken' | 'memoryBytes' | 'loadTime' | 'syncTime' | 'llmInference' | 'toolCall';

const perf = (name: string): MeasureSource => ({ type: 'performance', name });

export const MEASURES: Record<MeasureKey, Measure> = {
  apiLatency: { key: 'apiLatency', label: 'API latency', unit: 'ms', sources: [{ type: 'network', name: METRIC.apiRequest }], higherIsWorse: true },
  llmTokensPerSecond: { key: 'llmTokensPerSecond', label: 'LLM tokens per second', unit: 'tokens/s', sources: [perf(METRIC.llmTokensPerSecond)], higherIsWorse: false },
  llmTimeToFirstToken: { key: 'llmTimeToFirstToken', label: 'LLM time to first token', unit: 'ms', sources: [perf(METRIC.llmTimeToFirstToken)], higherIsWorse: true },
  memoryBytes: { key: 'memoryBytes', label: 'Memory', unit: 'bytes', sources: [perf(METRIC.memoryAppTotal), perf(METRIC.memoryRss)], higherIsWorse: true },
  loadTime: { key: 'loadTime', label: 'Load time', unit: 'ms', sources: [perf(METRIC.startupTime), perf(METRIC.windowLoad)], higherIsWorse: true },
  syncTime: { key: 'syncTime', label: 'Sync time', unit: 'ms', sources: [perf(METRIC.syncTime)], higherIsWorse: true },
  llmInference: { key: 'llmInference', label: 'LLM inference', unit: 'ms', sources: [perf(METRIC.llmInference)], higherIsWorse: true },
  toolCall: { key: 'toolCall', label: 'MCP tool call', unit: 'ms', sources: [perf(METRIC.mcpToolCall)], higherIsWorse: true },
};

export const DASHBOARD_MEASURES: MeasureKey[] = ['apiLatency', 'llmTokensPerSecond', 'llmTimeToFirstToken', 'memoryBytes', 'loadTime', 'syncTime'];

export const ALL_MEASURE_SOURCES: MeasureSource[] = Object.values(MEASURES).flatMap((m) => m.sources);

export function sourceKey(type: string, name: string): string {
  return `${type}/${name}`;
}
