// What each consent category and level means, in the words the Privacy view shows. The examples
// are real shapes of events the app records (event names from src/telemetry/event/metric-names.ts).
import type { Category, ConsentLevel } from '../../transport/contract';

export interface CategoryText {
  title: string;
  covers: string;
  example: Record<string, unknown>;
}

export const CATEGORY_TEXT: Record<Category, CategoryText> = {
  usage: {
    title: 'Usage',
    covers: 'When the app starts and stops, which features you open and for how long. Never what you type or what the assistant answers.',
    example: { event_type: 'feature', name: 'feature.used', feature_id: 'tool_picker', duration_seconds: 42, interaction_count: 7 },
  },
  performance: {
    title: 'Performance',
    covers: 'How fast and how heavy the app is: start-up and load times, memory, model and tool-call latency, sync time, network request timings.',
    example: { event_type: 'performance', name: 'llm.time_to_first_token', value: 640, unit: 'ms', context: { provider: 'local' } },
  },
  errors: {
    title: 'Errors',
    covers: 'Problems the app recovered from, with the error message and stack trace after names, paths, emails and keys are removed.',
    example: { event_type: 'error', name: 'mcp.tool_failed', error_code: 'ECONNREFUSED', error_message: 'connect ECONNREFUSED 127.0.0.1:<port>' },
  },
  crashes: {
    title: 'Crashes',
    covers: 'When a window or the whole app stopped unexpectedly, which process it was and why.',
    example: { event_type: 'crash', name: 'renderer.gone', process: 'renderer', reason: 'oom', error_message: 'render process gone' },
  },
};

export const LEVEL_TEXT: Record<ConsentLevel, { label: string; hint: string }> = {
  off: { label: 'Off', hint: 'Nothing is recorded. Choosing this deletes what was kept.' },
  local: { label: 'On this device only', hint: 'Kept here for this dashboard. Never sent.' },
  shared: { label: 'Share', hint: 'Kept here and sent anonymously to help improve the app.' },
};
