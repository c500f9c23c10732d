// The names the instrumentation records and the analyzer reads. One list, so the dashboard's tiles
// and the events that feed them cannot drift apart.
export const METRIC = {
  // usage (app events)
  sessionStart: 'session.start',
  sessionEnd: 'session.end',
  appStart: 'app.start',
  appStop: 'app.stop',
  // performance
  startupTime: 'app.startup', // ms, from process start to the first window shown
  windowLoad: 'window.load', // ms
  memoryRss: 'memory.rss', // bytes, main process
  memoryHeapUsed: 'memory.heap_used', // bytes, main process
  memoryAppTotal: 'memory.app_total', // bytes, working set of every process (app.getAppMetrics)
  llmInference: 'llm.inference', // ms, whole request
  llmTimeToFirstToken: 'llm.time_to_first_token', // ms
  llmTokensPerSecond: 'llm.tokens_per_second', // tokens_per_s, output tokens over generation time
  llmInputTokens: 'llm.input_tokens', // tokens
  llmOutputTokens: 'llm.output_tokens', // tokens
  mcpToolCall: 'mcp.tool_call', // ms
  syncTime: 'sync.duration', // ms
  // network
  apiRequest: 'api.request',
  // errors and crashes
  rendererError: 'renderer.error',
  rendererRejection: 'renderer.unhandled_rejection',
  mainRejection: 'main.unhandled_rejection',
  mainException: 'main.uncaught_exception',
  rendererGone: 'renderer.gone',
  childGone: 'child.gone',
  nativeCrash: 'native.minidump',
  mcpToolFailed: 'mcp.tool_failed',
  llmFailed: 'llm.failed',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
