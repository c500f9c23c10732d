// Whether the network is up, as the host knows it: Electron's net.isOnline() and powerMonitor in
// main/, "always try" in plain Node. A change to online resets the backoff and sends at once.

export interface NetworkState {
  isOnline(): boolean;
  /** Returns a function that removes the listener. */
  onChange(listener: (online: boolean) => void): () => void;
}

/** Plain Node has no reliable online signal: always try, and let failures back off. */
export const alwaysOnline: NetworkState = { isOnline: () => true, onChange: () => () => {} };

/** A network state the host sets by hand (tests, and hosts that learn it from events). */
export class ManualNetworkState implements NetworkState {
  private readonly listeners = new Set<(online: boolean) => void>();
  constructor(private online = true) {}
  isOnline(): boolean {
    return this.online;
  }
  set(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    for (const l of this.listeners) l(online);
  }
  onChange(listener: (online: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
