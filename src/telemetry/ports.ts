// The small interfaces through which the host (Electron's main process, or plain Node) hands the
// core the facts that vary: time, persisted settings.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** A clock that never jumps (performance.now()), if the host has one: with it the service
   *  notices the wall clock being set back and keeps the events recorded before in step. */
  monotonic?(): number;
}

export const systemClock: Clock = { now: () => Date.now(), monotonic: () => performance.now() };

/** A clock that runs `factor` times faster than the system clock from `originMs` on (the demo
 *  compresses a person's hours into minutes). A pure function of real time, described by plain
 *  data, so the same clock can be rebuilt in a worker thread from its spec. */
export interface ScaledClockSpec {
  /** The simulated time at `realOriginMs`. */
  originMs: number;
  /** The real (system) time at which the simulated time was `originMs`. */
  realOriginMs: number;
  factor: number;
}

export function createScaledClock(spec: ScaledClockSpec): Clock & { readonly spec: ScaledClockSpec } {
  const { originMs, realOriginMs, factor } = spec;
  return { spec: { ...spec }, now: () => Math.floor(originMs + (Date.now() - realOriginMs) * factor) };
}

/** Key/value settings persisted across restarts. electron-store (main/) and conf (plain Node)
 *  both satisfy this as they are. */
export interface SettingsPort {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Settings held in memory only: for tests and for hosts that keep consent elsewhere. */
export class MemorySettings implements SettingsPort {
  private readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return structuredClone(this.values.get(key));
  }
  set(key: string, value: unknown): void {
    this.values.set(key, structuredClone(value));
  }
}

/** Timers, so a test can move time by hand. Handles are opaque; the system timers are unref'd
 *  (a pending upload never keeps the app alive). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
