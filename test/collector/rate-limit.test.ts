// Rate limits: a flood is slowed with 429 + Retry-After; a well-behaved device draining a big
// backlog at full speed never is.
import { afterEach, describe, expect, it } from 'vitest';
import { TokenBuckets } from '../../src/collector/rate-limit.js';
import { DEFAULT_RATE_LIMIT } from '../../src/collector/server.js';
import type { Clock } from '../../src/telemetry/ports.js';
import { device, perf, startRig, type Rig } from './helpers.js';

class ManualClock implements Clock {
  constructor(public t = Date.now()) {}
  now(): number {
    return this.t;
  }
}

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a flood', () => {
  it('from one device gets 429 with Retry-After; everything accepted before is still stored; after waiting it is accepted again', async () => {
    const clock = new ManualClock();
    rig = await startRig({ clock, rateLimit: { eventsPerSecondPerDevice: 2, eventBurstPerDevice: 20 } });
    const flooder = device();
    const common = { user_id: flooder.user_id, device_id: flooder.device_id, app_version: '1.4.0', os: 'linux-x64' };
    const accepted: string[] = [];
    let limited: Awaited<ReturnType<Rig['batch']>> | undefined;
    for (let i = 0; i < 10 && limited === undefined; i++) {
      const events = Array.from({ length: 5 }, () => perf());
      const res = await rig.batch(events, { common });
      if (res.status === 429) limited = res;
      else {
        expect(res.body.accepted).toBe(5);
        accepted.push(...events.map((e) => e.id as string));
      }
    }
    expect(accepted).toHaveLength(20);
    expect(limited?.status).toBe(429);
    expect(limited?.body).toMatchObject({ error: 'rate_limited' });
    const retryAfter = limited!.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    // 5 events at 2 per second: 3 seconds.
    expect(Number(retryAfter)).toBe(3);
    expect(rig.store.events({ deviceId: flooder.device_id }).map((s) => s.event.id)).toEqual(accepted);

    // Another device is not slowed by this one.
    expect((await rig.batch([perf()])).status).toBe(200);

    clock.t += Number(retryAfter) * 1000;
    expect((await rig.batch([perf(), perf(), perf(), perf(), perf()], { common })).status).toBe(200);
  });

  it('of requests on one API key gets 429 with Retry-After', async () => {
    rig = await startRig({ rateLimit: { requestsPerSecondPerKey: 0.5, requestBurstPerKey: 3 } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res = await rig.batch([perf()]);
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });
});

describe('the default limits', () => {
  it('never slow a device draining a 100k-event backlog in 500-event batches at full speed', () => {
    let t = 0;
    const events = new TokenBuckets({ ratePerSecond: DEFAULT_RATE_LIMIT.eventsPerSecondPerDevice, burst: DEFAULT_RATE_LIMIT.eventBurstPerDevice }, t);
    const requests = new TokenBuckets({ ratePerSecond: DEFAULT_RATE_LIMIT.requestsPerSecondPerKey, burst: DEFAULT_RATE_LIMIT.requestBurstPerKey }, t);
    // A batch every 2 ms is 250k events/s: faster than the collector can store them.
    for (let i = 0; i < 200; i++, t += 2) {
      expect(requests.take('key', 1, t)).toEqual({ ok: true });
      expect(events.take('device', 500, t)).toEqual({ ok: true });
    }
    // ...and then keeps going at the sustained rate (another 100k at 20k/s).
    for (let i = 0; i < 200; i++, t += 25) expect(events.take('device', 500, t)).toEqual({ ok: true });
  });
});

describe('a token bucket', () => {
  it('refills at its rate, rounds Retry-After up to whole seconds (at least 1), and lets a cost above the burst through on a full bucket', () => {
    const b = new TokenBuckets({ ratePerSecond: 10, burst: 10 }, 0);
    expect(b.take('a', 10, 0)).toEqual({ ok: true });
    expect(b.take('a', 1, 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(b.take('a', 1, 100)).toEqual({ ok: true });
    expect(b.take('a', 10, 100)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(b.take('b', 50, 100)).toEqual({ ok: true });
    expect(b.take('b', 50, 200)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(b.take('b', 50, 1100)).toEqual({ ok: true });
  });

  it('forgets idle buckets, so a fleet of devices does not grow memory for ever', () => {
    const b = new TokenBuckets({ ratePerSecond: 100, burst: 100 }, 0);
    for (let i = 0; i < 1000; i++) b.take(`device-${i}`, 1, 0);
    expect(b.size).toBe(1000);
    b.take('late', 1, 120_000);
    expect(b.size).toBe(1);
  });
});
