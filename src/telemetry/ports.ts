// The small interfaces through which the host (Electron's main process, or plain Node) hands the
// core the facts that vary: time, persisted settings.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

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
