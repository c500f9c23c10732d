// What the console's end-to-end tests run against: a real collector (embedded SQLite) on
// 127.0.0.1 holding the generated console fleet, the fleet console beside it on its own port
// serving the built web app, and the analyzer on the same file, whose numbers the pages must show.
import { createFleetAnalysis, type FleetAnalysis } from '../../../src/analyzer/fleet/fleet-analysis.js';
import { openReadOnly } from '../../../src/analyzer/store.js';
import { createCollector, type Collector } from '../../../src/collector/server.js';
import { startFleetConsole, type FleetConsole } from '../../../src/console/server.js';
import { ensureConsoleBuilt } from '../../../scripts/console-build.js';
import { FLEET_END, fleetDb } from './fleet-db.js';

export interface ConsoleStack {
  collector: Collector;
  console: FleetConsole;
  analysis: FleetAnalysis;
  events: number;
  close(): Promise<void>;
}

/** The console reads "now" as the end of the fleet's last day, so the windows cover the fleet. */
export const CONSOLE_NOW = FLEET_END - 1;

export async function startConsoleStack(devices = 150): Promise<ConsoleStack> {
  const staticDir = await ensureConsoleBuilt();
  const fleet = fleetDb(devices);
  const collector = await createCollector({ dbPath: fleet.path, apiKeys: ['console-e2e'], port: 0, retentionDays: 3650 });
  const clock = { now: () => CONSOLE_NOW };
  const c = await startFleetConsole({ dbPath: fleet.path, staticDir, clock });
  const db = openReadOnly(fleet.path);
  return {
    collector,
    console: c,
    analysis: createFleetAnalysis(db, clock.now),
    events: fleet.events,
    async close() {
      await c.close();
      await collector.close();
      db.close();
      fleet.remove();
    },
  };
}
