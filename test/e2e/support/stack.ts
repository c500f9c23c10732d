// What the end-to-end tests run against: a real collector on 127.0.0.1 (embedded SQLite) and this
// device's real local stack (TelemetryService, uploader, bridge handlers, browser host serving the
// built dashboard), each on files in a fresh temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLocalAnalysis } from '../../../src/analyzer/local-analysis.js';
import { createCollector, type Collector } from '../../../src/collector/server.js';
import type { SqliteCollectorStore } from '../../../src/collector/sqlite-store.js';
import { startLocalStack, type LocalStack } from '../../../src/host/local-stack.js';
import { ensureRendererBuilt } from '../../../scripts/renderer-build.js';

export const API_KEY = 'e2e-key';
export const APP_VERSION = '1.5.0';

export interface E2EStack {
  dir: string;
  stack: LocalStack;
  /** The collector now serving (a new one after restartCollector). */
  collector(): Collector<SqliteCollectorStore> | null;
  stopCollector(): Promise<void>;
  /** A new collector on the same port and the same database file, as after a restart. */
  restartCollector(): Promise<void>;
  /** Reads this device's database file directly, as a person inspecting their disk would. */
  deviceRows(sql: string): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startE2EStack(options: { withCollector?: boolean; prepare?: (dataDir: string) => void } = {}): Promise<E2EStack> {
  const staticDir = await ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-e2e-'));
  const dataDir = join(dir, 'device');
  const collectorDb = join(dir, 'collector.db');
  options.prepare?.(dataDir);
  let collector: Collector<SqliteCollectorStore> | null = options.withCollector === false ? null : await createCollector({ dbPath: collectorDb, apiKeys: [API_KEY], port: 0 });
  const port = collector?.port ?? 0;
  const stack = await startLocalStack({
    dataDir,
    appVersion: APP_VERSION,
    collector: collector ? { url: collector.url, apiKey: API_KEY } : null,
    staticDir,
    createAnalysis: createLocalAnalysis,
    // Small batches go out within a fraction of a second, so tests wait on behaviour, not a timer.
    uploadIntervalMs: 200,
  });
  return {
    dir,
    stack,
    collector: () => collector,
    async stopCollector() {
      await collector?.close();
      collector = null;
    },
    async restartCollector() {
      collector = await createCollector({ dbPath: collectorDb, apiKeys: [API_KEY], port });
    },
    deviceRows(sql) {
      stack.service.flush();
      const db = new Database(join(dataDir, 'telemetry.db'), { readonly: true });
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    async close() {
      await stack.close();
      await collector?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
