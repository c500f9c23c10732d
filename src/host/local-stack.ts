// The plain-Node host of the app's telemetry: the real TelemetryService on a data folder, the
// uploader towards a collector, the shared bridge handlers, and the browser host serving the
// dashboard. It is what Electron's main process wires together, minus Electron: the demo and the
// end-to-end tests run exactly this.
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { TelemetryService } from '../telemetry/service/telemetry-service.js';
import { Uploader } from '../telemetry/upload/uploader.js';
import type { NetworkState } from '../telemetry/upload/network.js';
import { createNodeSettings } from '../telemetry/host/node-settings.js';
import type { Clock } from '../telemetry/ports.js';
import { withLearnedEnvironment } from '../telemetry/scrub/environment.js';
import { createBridgeHandlers, type BridgeHandlers, type LocalAnalysis } from './bridge-handlers.js';
import { startBrowserHost, type BrowserHost } from './browser-host.js';

export interface LocalStackOptions {
  /** Holds telemetry.db and the settings file. */
  dataDir: string;
  appVersion: string;
  os?: string;
  /** Where shared events go; null = no uploads (everything stays local). */
  collector: { url: string; apiKey: string } | null;
  /** The built renderer (dist/renderer); null = bridge only. */
  staticDir: string | null;
  /** The analyzer on this device's database. */
  createAnalysis: (db: BetterSqlite3.Database) => LocalAnalysis;
  port?: number;
  token?: string;
  clock?: Clock;
  /** Said next to every time the dashboard shows when `clock` is not the wall clock (the demo's
   *  compressed time), e.g. "simulated time, 60x real time". */
  clockNote?: string;
  network?: NetworkState;
  uploadIntervalMs?: number;
  flushIntervalMs?: number;
}

export interface LocalStack {
  service: TelemetryService;
  uploader: Uploader | null;
  handlers: BridgeHandlers;
  host: BrowserHost;
  close(): Promise<void>;
}

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const service = TelemetryService.open(
    {
      databasePath: join(o.dataDir, 'telemetry.db'),
      appVersion: o.appVersion,
      os: o.os ?? `${process.platform}-${process.arch}`,
      flushIntervalMs: o.flushIntervalMs,
      endpoint: o.collector?.url,
      scrub: withLearnedEnvironment({ homeDirs: [homedir()], userNames: [userInfo().username] }),
      // As the Electron main process runs it (main/app-telemetry.ts).
      storeThread: 'worker',
    },
    { settings: createNodeSettings(o.dataDir), clock: o.clock },
  );
  const uploader = o.collector
    ? new Uploader(service, { endpoint: o.collector.url, apiKey: o.collector.apiKey, network: o.network, clock: o.clock, uploadIntervalMs: o.uploadIntervalMs })
    : null;
  uploader?.start();
  // The analysis reads through the service's current connection (it changes after a corrupt-file recovery).
  let analysisDb: BetterSqlite3.Database | null = null;
  let analysis: LocalAnalysis | null = null;
  const currentAnalysis = (): LocalAnalysis => {
    const db = service.eventStore.db;
    if (analysis === null || analysisDb !== db) {
      analysisDb = db;
      analysis = o.createAnalysis(db);
    }
    return analysis;
  };
  const handlers = createBridgeHandlers({
    service,
    uploader,
    endpoint: o.collector?.url ?? null,
    clock: o.clock,
    clockNote: o.clockNote,
    analysis: {
      dashboard: (q) => currentAnalysis().dashboard(q),
      report: (kind, now, notCollected) => currentAnalysis().report(kind, now, notCollected),
    },
  });
  const host = await startBrowserHost({ handlers, staticDir: o.staticDir, port: o.port, token: o.token });
  return {
    service,
    uploader,
    handlers,
    host,
    async close() {
      await host.close();
      if (uploader) await uploader.quit();
      uploader?.stop();
      service.close();
    },
  };
}
