// Auto-instrumentation for the Electron main process, in plain Node: main/ feeds it Electron's
// events and readers; everything here is unit-tested with a fake clock and scheduler.
export { systemScheduler, type Scheduler } from './scheduler.js';
export type { TelemetrySink } from './sink.js';
export { SessionManager, SESSION_IDLE_MS, type SessionEndReason } from './session-manager.js';
export { AppLifecycle } from './app-lifecycle.js';
export { MemorySampler, appMetricsTotalBytes, MEMORY_SAMPLE_INTERVAL_MS, type MemoryReaders, type ProcessMemoryMetric } from './memory-sampler.js';
export { describeProcessGone, trackProcessGone, type ProcessGoneDetails, type ProcessGoneReason, type CrashDescription } from './process-gone.js';
export { listMinidumps, reportNewMinidumps, MINIDUMPS_SEEN_KEY, type DumpFile } from './minidumps.js';
export { createMcpClientTelemetry, OTHER, type McpCatalog, type McpClientTelemetry, type LlmInference, type ToolCall, type SyncRun, type Outcome } from './mcp-client.js';
export { checkNativeSqlite, explainNativeLoadError, rememberNativeFailure, reportRememberedNativeFailure, REBUILD_HINT, NATIVE_FAILURE_KEY, NATIVE_FAILURE_EVENT, type NativeCheck } from './native-check.js';
export { PolledNetworkState, NETWORK_POLL_MS } from './network-state.js';
