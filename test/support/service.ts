// Opening a real TelemetryService on a real SQLite file in a fresh temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MemorySettings, TelemetryService, type Clock, type SettingsPort, type TelemetryConfigInput } from '../../src/telemetry/index.js';

export function tempDir(prefix = 'telemetry-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public t = Date.UTC(2026, 10, 28, 12, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Harness {
  dir: string;
  dbPath: string;
  settings: SettingsPort;
  clock: ManualClock;
  open(overrides?: Partial<TelemetryConfigInput>): TelemetryService;
  /** Reads the database file directly, as a person inspecting their disk would. */
  rawRows(sql: string, ...args: unknown[]): Record<string, unknown>[];
  cleanup(): void;
}

export function harness(): Harness {
  const { dir, cleanup } = tempDir();
  const dbPath = join(dir, 'telemetry.db');
  const settings = new MemorySettings();
  const clock = new ManualClock();
  const opened: TelemetryService[] = [];
  return {
    dir,
    dbPath,
    settings,
    clock,
    open(overrides = {}) {
      const s = TelemetryService.open({ databasePath: dbPath, appVersion: '1.4.0', os: 'linux-x64', ...overrides }, { settings, clock });
      opened.push(s);
      return s;
    },
    rawRows(sql, ...args) {
      const db = new Database(dbPath, { readonly: true });
      try {
        return db.prepare(sql).all(...args) as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    cleanup() {
      for (const s of opened) s.close();
      cleanup();
    },
  };
}
