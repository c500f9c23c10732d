// A collector database file holding the console's fleet, in a fresh temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../analyzer/support/store.js';
import { consoleFleetSpec, generateConsoleFleet } from './console-fleet.js';

/** The fleet's simulated "now": the end of its last day. */
export const FLEET_END = Date.UTC(2026, 10, 28);

export function fleetDb(devices: number): { dir: string; path: string; events: number; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'console-fleet-'));
  const path = join(dir, 'collector.db');
  const db = openStore('collector', path);
  const { events } = generateConsoleFleet(db, consoleFleetSpec(FLEET_END, devices));
  db.close();
  return { dir, path, events, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock the test moves by hand. */
export function manualClock(t: number): { now(): number; advance(ms: number): void } {
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}
