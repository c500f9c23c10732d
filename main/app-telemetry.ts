// The app's telemetry, composed: service on userData, uploader on Electron's network state, the
// shared bridge handlers on the local analysis, and the auto-instrumentation. Electron facts come
// in as plain values and functions, so this file has no electron import and is tested in Node with
// the real service and SQLite; main.ts only connects Electron's events to what this returns.
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { createBridgeHandlers, type BridgeHandlers, type LocalAnalysis } from '../src/host/bridge-handlers.js';
import { AppLifecycle } from '../src/telemetry/instrument/app-lifecycle.js';
import { createMcpClientTelemetry, type McpCatalog, type McpClientTelemetry } from '../src/telemetry/instrument/mcp-client.js';
import { MemorySampler, type ProcessMemoryMetric } from '../src/telemetry/instrument/memory-sampler.js';
import { listMinidumps, reportNewMinidumps } from '../src/telemetry/instrument/minidumps.js';
import { reportRememberedNativeFailure } from '../src/telemetry/instrument/native-check.js';
import { PolledNetworkState } from '../src/telemetry/instrument/network-state.js';
import { systemScheduler, type Scheduler } from '../src/telemetry/instrument/scheduler.js';
import { SessionManager } from '../src/telemetry/instrument/session-manager.js';
import { systemClock, type Clock, type SettingsPort } from '../src/telemetry/ports.js';
import { TelemetryService } from '../src/telemetry/service/telemetry-service.js';
import { withLearnedEnvironment } from '../src/telemetry/scrub/environment.js';
import { Uploader } from '../src/telemetry/upload/uploader.js';
import type { CollectorConfig } from './settings.js';

export interface AppTelemetryDeps<C extends McpCatalog> {
  /** app.getPath('userData'): holds telemetry.db. */
  dataDir: string;
  appVersion: string;
  settings: SettingsPort;
  collector: CollectorConfig | null;
  /** app.getPath('crashDumps'). */
  crashDumpsDir: string;
  /** app.getAppMetrics. */
  readAppMetrics: () => readonly ProcessMemoryMetric[];
  /** net.isOnline. */
  isOnline: () => boolean;
  /** performance.timeOrigin: when the OS started the process. */
  processStartedAt: number;
  createAnalysis: (db: BetterSqlite3.Database) => LocalAnalysis;
  /** Scrubbed wherever they appear in error text. */
  homeDir: string;
  userName: string;
  mcpCatalog: C;
  clock?: Clock;
  scheduler?: Scheduler;
}

export interface AppTelemetry<C extends McpCatalog> {
  service: TelemetryService;
  uploader: Uploader | null;
  handlers: BridgeHandlers;
  sessions: SessionManager;
  lifecycle: AppLifecycle;
  network: PolledNetworkState;
  mcp: McpClientTelemetry<C>;
  /** before-quit: app.stop and the session end committed, then one bounded upload attempt. */
  quit(budgetMs: number): Promise<void>;
}

export function startAppTelemetry<const C extends McpCatalog>(d: AppTelemetryDeps<C>): AppTelemetry<C> {
  const clock = d.clock ?? systemClock;
  const scheduler = d.scheduler ?? systemScheduler;
  const service = TelemetryService.open(
    {
      databasePath: join(d.dataDir, 'telemetry.db'),
      appVersion: d.appVersion,
      os: `${process.platform}-${process.arch}`,
      endpoint: d.collector?.url,
      scrub: withLearnedEnvironment({ homeDirs: [d.homeDir], userNames: [d.userName] }),
      // The main process's event loop carries every window's IPC: the database work gets its own thread.
      storeThread: 'worker',
    },
    { settings: d.settings, clock },
  );
  reportRememberedNativeFailure(service, d.settings);
  const dumps = listMinidumps(d.crashDumpsDir);
  if (dumps !== null) reportNewMinidumps(service, d.settings, dumps, clock.now());

  const network = new PolledNetworkState(d.isOnline, scheduler);
  network.start();
  const uploader = d.collector ? new Uploader(service, { endpoint: d.collector.url, apiKey: d.collector.apiKey, network, clock }) : null;
  uploader?.start();

  const sessions = new SessionManager(service, clock);
  const shared = createBridgeHandlers({ service, uploader, endpoint: d.collector?.url ?? null, clock, analysis: analysisOn(service, d.createAnalysis) });
  const handlers: BridgeHandlers = {
    async call(method, args) {
      const usageBefore = service.getConsent().categories.usage;
      const result = await shared.call(method, args);
      // On first run the app starts before the person answers: their session begins with the yes.
      if (method === 'setConsent' && usageBefore === 'off' && service.getConsent().categories.usage !== 'off') sessions.consentGranted();
      return result;
    },
  };

  const lifecycle = new AppLifecycle(service, clock, sessions, d.processStartedAt);
  const sampler = new MemorySampler(service, { process: () => process.memoryUsage(), appMetrics: d.readAppMetrics }, scheduler);
  lifecycle.started();
  sampler.start();

  let quitting: Promise<void> | null = null;
  return {
    service,
    uploader,
    handlers,
    sessions,
    lifecycle,
    network,
    mcp: createMcpClientTelemetry(service, d.mcpCatalog),
    quit(budgetMs) {
      quitting ??= (async () => {
        lifecycle.stopping();
        sampler.stop();
        network.stop();
        // Committed before the upload attempt: a slow or failed upload loses nothing.
        service.flush();
        try {
          if (uploader) await uploader.quit(budgetMs);
        } finally {
          uploader?.stop();
          service.close();
        }
      })();
      return quitting;
    },
  };
}

/** The analysis reads through the service's current connection, which changes after a
 *  corrupt-file recovery (as in src/host/local-stack.ts). */
function analysisOn(service: TelemetryService, create: (db: BetterSqlite3.Database) => LocalAnalysis): LocalAnalysis {
  let db: BetterSqlite3.Database | null = null;
  let analysis: LocalAnalysis | null = null;
  const current = () => {
    if (analysis === null || db !== service.eventStore.db) {
      db = service.eventStore.db;
      analysis = create(db);
    }
    return analysis;
  };
  return { dashboard: (q) => current().dashboard(q), report: (kind, now) => current().report(kind, now) };
}
