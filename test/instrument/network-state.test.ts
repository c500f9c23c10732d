// The uploader's network port over a polled online flag: changes reach listeners on the next poll
// or an explicit check (resume from sleep); a failing reader changes nothing.
import { describe, expect, it } from 'vitest';
import { NETWORK_POLL_MS, PolledNetworkState } from '../../src/telemetry/instrument/network-state.js';
import { ManualScheduler } from './support.js';

describe('polled network state', () => {
  it('tells listeners of each change once, on the poll that sees it', () => {
    const scheduler = new ManualScheduler();
    let online = true;
    const n = new PolledNetworkState(() => online, scheduler);
    const seen: boolean[] = [];
    n.onChange((o) => seen.push(o));
    n.start();
    expect(scheduler.intervals()).toEqual([NETWORK_POLL_MS]);
    scheduler.fire();
    online = false;
    scheduler.fire();
    scheduler.fire();
    expect(n.isOnline()).toBe(false);
    online = true;
    n.check(); // resume from sleep: no need to wait for the poll
    expect(seen).toEqual([false, true]);
    n.stop();
    expect(scheduler.active).toBe(0);
  });

  it('a reader that throws keeps the last known state', () => {
    let fail = false;
    const n = new PolledNetworkState(() => {
      if (fail) throw new Error('net not ready');
      return false;
    }, new ManualScheduler());
    fail = true;
    n.check();
    expect(n.isOnline()).toBe(false);
  });

  it('an unsubscribed listener hears nothing more', () => {
    let online = true;
    const n = new PolledNetworkState(() => online, new ManualScheduler());
    const seen: boolean[] = [];
    const off = n.onChange((o) => seen.push(o));
    off();
    online = false;
    n.check();
    expect(seen).toEqual([]);
  });
});
