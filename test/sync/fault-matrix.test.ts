// The fault matrix: whatever the network or the collector does, the collector ends up holding
// exactly the shared events that were tracked: 0 lost, 0 duplicates, seq without gaps.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_IN_FLIGHT } from '../../src/telemetry/upload/policy.js';
import { ManualClock, ManualTimers } from '../support/service.js';
import { expectExactlyDelivered, syncRig, trackMix, type SyncRig } from '../support/sync.js';

let rig: SyncRig;
afterEach(async () => {
  await rig?.close();
});

describe('every fault is survived', () => {
  it('the collector down for a while, then up: everything arrives once', async () => {
    rig = await syncRig();
    await rig.proxy.stop();
    const ids = trackMix(rig.service, 1200);
    rig.uploader.start();
    await vi.waitFor(() => expect(rig.uploader.status().attempt).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    expect(rig.stored()).toHaveLength(0);
    expect(rig.service.health().queue.pending).toBe(1200);
    await rig.proxy.restart();
    await expectExactlyDelivered(rig, ids);
  });

  it('bursts of 500, 502, 503 and 504 are retried until they pass', async () => {
    rig = await syncRig();
    rig.proxy.inject(
      { kind: 'status', status: 500, count: 2 },
      { kind: 'status', status: 502, count: 2 },
      { kind: 'status', status: 503, count: 2 },
      { kind: 'status', status: 504, count: 2 },
    );
    const ids = trackMix(rig.service, 1200);
    rig.uploader.start();
    await expectExactlyDelivered(rig, ids);
    expect(rig.proxy.requests.filter((r) => typeof r.answered === 'number' && r.answered >= 500)).toHaveLength(8);
    expect(rig.service.health().counters['upload.retries']).toBe(8);
  });

  it('a 429 with Retry-After is honoured: nothing is sent before the server said', async () => {
    // The uploader's time moves by hand: what it sends before and after the 1 s is exact.
    const clock = new ManualClock(Date.now());
    let uploader: SyncRig['uploader'] | null = null;
    const timers = new ManualTimers(clock, () => uploader?.status().inFlight === true);
    rig = await syncRig({ clock, timers });
    uploader = rig.uploader;
    rig.proxy.inject({ kind: 'status', status: 429, count: 1, retryAfter: 1 });
    const ids = trackMix(rig.service, 600);
    rig.service.flush();
    rig.uploader.start();
    await timers.advance(0);
    const [throttled, ...ahead] = rig.proxy.requests;
    expect(throttled!.answered).toBe(429);
    // Batches already on their way (docs/PROTOCOL.md: at most MAX_IN_FLIGHT at once) may arrive
    // just after the 429 went out; nothing else comes before the second is over.
    expect(ahead.length).toBeLessThanOrEqual(MAX_IN_FLIGHT - 1);
    await timers.advance(999);
    expect(rig.proxy.requests).toHaveLength(1 + ahead.length);
    expect(rig.uploader.status()).toMatchObject({ waiting: 'retry_after' });
    await timers.advance(1);
    await expectExactlyDelivered(rig, ids);
    expect(rig.proxy.requests.length).toBeGreaterThan(1 + ahead.length);
  });

  it('responses slower than the timeout: the batch is stored, resent, and counted once', async () => {
    rig = await syncRig({ requestTimeoutMs: 300 });
    rig.proxy.inject({ kind: 'slow', delayMs: 800, count: 2 });
    const ids = trackMix(rig.service, 1000);
    rig.uploader.start();
    await expectExactlyDelivered(rig, ids);
    expect(rig.service.health().counters['upload.duplicates']).toBeGreaterThan(0);
  });

  it('the connection reset mid-body, and reset after the collector stored the batch', async () => {
    rig = await syncRig();
    rig.proxy.inject({ kind: 'reset_mid_body', count: 2 }, { kind: 'reset_after_store', count: 2 });
    const ids = trackMix(rig.service, 1500);
    rig.uploader.start();
    await expectExactlyDelivered(rig, ids);
    // The faults really happened: four connections were cut, and the uploader saw each as a retry.
    expect(rig.proxy.requests.filter((r) => r.answered === 'reset')).toHaveLength(4);
    expect(rig.service.health().counters['upload.retries']).toBeGreaterThanOrEqual(4);
  });

  it('a 413 splits the batch until it fits', async () => {
    rig = await syncRig();
    rig.proxy.inject({ kind: 'too_large_over', maxEvents: 100 });
    const ids = trackMix(rig.service, 700);
    rig.uploader.start();
    await expectExactlyDelivered(rig, ids);
    expect(rig.proxy.requests.some((r) => r.answered === 413)).toBe(true);
    expect(rig.proxy.requests.filter((r) => r.answered === 200).every((r) => r.events <= 100)).toBe(true);
  });

  it('an answer that is not the protocol (a proxy error page with 200) is not trusted: resent, stored once', async () => {
    rig = await syncRig();
    rig.proxy.inject({ kind: 'garbage_response', count: 3 });
    const ids = trackMix(rig.service, 1200);
    rig.uploader.start();
    await expectExactlyDelivered(rig, ids);
  });

  it('a 200 with garbage from something that never forwarded the batch (a captive portal) is not taken as delivery', async () => {
    rig = await syncRig();
    rig.proxy.inject({ kind: 'garbage_instead', count: 3 });
    const ids = trackMix(rig.service, 1200);
    rig.uploader.start();
    await expectExactlyDelivered(rig, ids);
    expect(rig.proxy.requests.filter((r) => r.answered === 200 && r.events > 0).length).toBeGreaterThanOrEqual(3);
    expect(rig.service.health().counters['upload.retries']).toBeGreaterThanOrEqual(3);
  });

  it('the network-state port flapping while events are tracked: all arrive once', async () => {
    rig = await syncRig();
    rig.uploader.start();
    const ids: string[] = [];
    for (let round = 0; round < 20; round++) {
      rig.network.set(round % 2 === 0 ? false : true);
      ids.push(...trackMix(rig.service, 97));
      await new Promise((r) => setTimeout(r, 15));
    }
    rig.network.set(true);
    await expectExactlyDelivered(rig, ids);
  });
});

describe('what the uploader does with refusals', () => {
  it('a reconnect signal resets the backoff and sends at once', async () => {
    rig = await syncRig({ random: () => 0.999 });
    await rig.proxy.stop();
    const ids = trackMix(rig.service, 300);
    rig.uploader.start();
    await vi.waitFor(() => expect(rig.uploader.status().attempt).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
    await rig.proxy.restart();
    // The backoff alone would wait for seconds; going offline and online again sends now.
    rig.network.set(false);
    rig.network.set(true);
    await expectExactlyDelivered(rig, ids, 1500);
  });

  it('401 and 403 pause uploads until the configuration changes; nothing is lost', async () => {
    rig = await syncRig({ apiKey: 'wrong-key' });
    const ids = trackMix(rig.service, 300);
    rig.uploader.start();
    await vi.waitFor(() => expect(rig.uploader.status().paused).toBe('API key refused'));
    const sentWhilePaused = rig.proxy.requests.length;
    // Paused: no attempt is scheduled, and even an explicit flush sends nothing.
    expect(rig.uploader.status()).toMatchObject({ waiting: 'paused', nextAttemptAt: null });
    await rig.uploader.flush();
    expect(rig.proxy.requests.length).toBe(sentWhilePaused);
    expect(rig.service.health().queue.pending).toBe(300);
    rig.uploader.configure({ apiKey: 'test-key-7f3a' });
    await expectExactlyDelivered(rig, ids);
  });

  it('another 4xx puts the batch in the dead-letter table, visible with its reason, and the rest goes on', async () => {
    rig = await syncRig();
    rig.proxy.inject({ kind: 'status', status: 404, count: 1 });
    const ids = trackMix(rig.service, 700);
    rig.uploader.start();
    await vi.waitFor(() => expect(rig.service.health().queue.pending).toBe(0), { timeout: 10_000 });
    const dead = rig.uploader.deadLetters(1000);
    expect(dead).toHaveLength(500);
    expect(dead[0]).toMatchObject({ status: 404, reason: expect.stringMatching(/HTTP 404/) });
    expect(dead[0]!.event).not.toBeNull();
    const storedIds = rig.stored().map((s) => s.id).sort();
    expect(storedIds).toEqual(ids.slice(500).sort());
    expect(rig.service.health().queue.deadLettered).toBe(500);
  });

  it('on quit, one bounded attempt: it returns within the budget even if the collector hangs', async () => {
    const clock = new ManualClock(Date.now());
    const timers = new ManualTimers(clock);
    rig = await syncRig({ requestTimeoutMs: 30_000, clock, timers });
    rig.proxy.inject({ kind: 'slow', delayMs: 10_000, count: 1 });
    trackMix(rig.service, 100);
    let returned = false;
    const quitting = rig.uploader.quit(500).then(() => (returned = true));
    await vi.waitFor(() => expect(rig.proxy.requests).toHaveLength(1));
    await timers.advance(499);
    expect(returned).toBe(false);
    await timers.advance(1);
    await quitting;
    expect(returned).toBe(true);
    // The collector has not answered: the budget, not the request, ended the wait.
    expect(rig.proxy.requests[0]!.answered).not.toBe(200);
  });
});
