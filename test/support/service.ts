// Opening a real TelemetryService on a real SQLite file in a fresh temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MemorySettings, TelemetryService, type Clock, type SettingsPort, type TelemetryConfigInput, type TelemetryPorts } from '../../src/telemetry/index.js';

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
  open(overrides?: Partial<TelemetryConfigInput>, ports?: Partial<TelemetryPorts>): TelemetryService;
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
    open(overrides = {}, ports = {}) {
      const s = TelemetryService.open({ databasePath: dbPath, appVersion: '1.4.0', os: 'linux-x64', ...overrides }, { settings, clock, ...ports });
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

/** Timers on a ManualClock: nothing fires until the test moves time with advance(). */
export class ManualTimers {
  private readonly due: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  /** `busy`: whether work started by a timer is still under way (an upload pass waiting for
   *  compression on the thread pool, say); advance() lets it finish before moving time on. */
  constructor(
    private readonly clock: ManualClock,
    private readonly busy: () => boolean = () => false,
  ) {}
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.due.push({ at: this.clock.t + Math.max(0, ms), fn, id });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    const i = this.due.findIndex((d) => d.id === handle);
    if (i >= 0) this.due.splice(i, 1);
  };
  /** Moves the clock by `ms`, firing each timer at its own time and letting the promises it
   *  started settle before the next one fires. */
  async advance(ms: number): Promise<void> {
    const end = this.clock.t + ms;
    for (;;) {
      await this.settle();
      this.due.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.due[0];
      if (next === undefined || next.at > end) break;
      this.due.shift();
      this.clock.t = Math.max(this.clock.t, next.at);
      next.fn();
    }
    this.clock.t = end;
    await this.settle();
  }
  private async settle(): Promise<void> {
    await settle();
    // Real I/O (the thread pool, sockets) completes in real time: wait for it, not for a duration.
    for (let i = 0; i < 2000 && this.busy(); i++) {
      await new Promise<void>((r) => setTimeout(r, 1));
      await settle();
    }
  }
  get armed(): number[] {
    return this.due.map((d) => d.at);
  }
}

/** Lets pending promise callbacks and immediates run (the uploader yields with setImmediate). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}
