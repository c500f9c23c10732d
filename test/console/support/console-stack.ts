// What the console's end-to-end tests run against: a real collector (embedded SQLite) on
// 127.0.0.1 holding the generated console fleet, the fleet console beside it on its own port
// serving the built web app, and the analyzer on the same file, whose numbers the pages must show.
import { createFleetAnalysis, type FleetAnalysis } from '../../../src/analyzer/fleet/fleet-analysis.js';
import { openReadOnly } from '../../../src/analyzer/store.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCollectorAlerting, type CollectorAlerting } from '../../../src/collector/alerting.js';
import { createCollector, type Collector } from '../../../src/collector/server.js';
import { startFleetConsole, type FleetConsole } from '../../../src/console/server.js';
import { ensureConsoleBuilt } from '../../../scripts/console-build.js';
import { FLEET_END, fleetDb } from './fleet-db.js';

export interface ConsoleStack {
  collector: Collector;
  console: FleetConsole;
  analysis: FleetAnalysis;
  events: number;
  /** The collector's alerting (engine, release monitor, config), on the console's clock; the engine
   *  and the monitor run when the test says (no timer). */
  alerting: CollectorAlerting;
  close(): Promise<void>;
}

export const CONSOLE_ADMIN_KEY = 'console-e2e-admin';

/** The console reads "now" as the end of the fleet's last day, so the windows cover the fleet. */
export const CONSOLE_NOW = FLEET_END - 1;

export async function startConsoleStack(devices = 150): Promise<ConsoleStack> {
  const staticDir = await ensureConsoleBuilt();
  const fleet = fleetDb(devices);
  const clock = { now: () => CONSOLE_NOW };
  const alertsDir = mkdtempSync(join(tmpdir(), 'console-alerts-'));
  // The fleet's newest version appeared 10 days before its end: watch releases for 30 days, so the
  // monitor still compares it.
  writeFileSync(join(alertsDir, 'alerts.json'), JSON.stringify({ releaseMonitor: { settleAfterMs: 30 * 86_400_000 } }));
  const alerting = createCollectorAlerting({ configPath: join(alertsDir, 'alerts.json'), adminKeys: [CONSOLE_ADMIN_KEY], timer: null, clock });
  const collector = await createCollector({ dbPath: fleet.path, apiKeys: ['console-e2e'], port: 0, retentionDays: 3650, plugins: [alerting.plugin] });
  const c = await startFleetConsole({ dbPath: fleet.path, staticDir, clock, alerting: { url: collector.url, adminKey: CONSOLE_ADMIN_KEY } });
  const db = openReadOnly(fleet.path);
  return {
    collector,
    console: c,
    analysis: createFleetAnalysis(db, clock.now),
    events: fleet.events,
    alerting,
    async close() {
      await c.close();
      await collector.close();
      db.close();
      fleet.remove();
      rmSync(alertsDir, { recursive: true, force: true });
    },
  };
}
