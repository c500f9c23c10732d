// The uploader's network-state port for Electron: main/ gives it net.isOnline, which has no change
// event in the main process, so it is polled (cheap: a flag read) and re-checked at once when the
// machine resumes from sleep. A change to online makes the uploader send straight away.
import type { NetworkState } from '../upload/network.js';
import type { Scheduler } from './scheduler.js';

export const NETWORK_POLL_MS = 10_000;

export class PolledNetworkState implements NetworkState {
  private online: boolean;
  private readonly listeners = new Set<(online: boolean) => void>();
  private stopTimer: (() => void) | null = null;

  constructor(
    private readonly read: () => boolean,
    private readonly scheduler: Scheduler,
    private readonly pollMs = NETWORK_POLL_MS,
  ) {
    this.online = this.safeRead(true);
  }

  start(): void {
    this.stopTimer ??= this.scheduler.every(this.pollMs, () => this.check());
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** Reads now and tells the listeners if it changed (powerMonitor resume, a failed request...). */
  check(): void {
    const now = this.safeRead(this.online);
    if (now === this.online) return;
    this.online = now;
    for (const l of [...this.listeners]) l(now);
  }

  isOnline(): boolean {
    return this.online;
  }

  onChange(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A reader that throws changes nothing: better to keep trying than to stall the queue. */
  private safeRead(fallback: boolean): boolean {
    try {
      return this.read() === true;
    } catch {
      return fallback;
    }
  }
}
