// Consent upstream: only `shared` categories ever reach the collector, and a withdrawal's
// deletion request removes the old ids' rows there.
import { afterEach, expect, it, vi } from 'vitest';
import { CATEGORY_OF, type EventType } from '../../src/telemetry/index.js';
import { expectExactlyDelivered, syncRig, trackMix, type SyncRig } from '../support/sync.js';

let rig: SyncRig;
afterEach(async () => {
  await rig?.close();
});

it('nothing of a local or off category ever reaches the collector', async () => {
  rig = await syncRig({}, { usage: 'local', performance: 'shared', errors: 'off', crashes: 'shared' });
  trackMix(rig.service, 1200);
  rig.uploader.start();
  await vi.waitFor(() => expect(rig.service.health().queue.pending).toBe(0));
  await rig.uploader.flush();
  const stored = rig.stored();
  expect(stored.length).toBe(600); // performance + network + crash: 3 of every 6
  expect(new Set(stored.map((s) => CATEGORY_OF[s.event_type as EventType]))).toEqual(new Set(['performance', 'crashes']));
  // The local events are still on the device, never queued.
  expect(rig.service.health().queue.localOnly).toBe(400);
});

it('events shared, then the category lowered to local before upload: none of them is sent', async () => {
  rig = await syncRig();
  trackMix(rig.service, 600);
  rig.service.setConsent({ usage: 'local' });
  rig.uploader.start();
  await vi.waitFor(() => expect(rig.service.health().queue.pending).toBe(0));
  expect(rig.stored().some((s) => s.event_type === 'app' || s.event_type === 'feature')).toBe(false);
});

it('withdrawing everything sends a deletion request that removes the old ids\' rows upstream', async () => {
  rig = await syncRig();
  const ids = trackMix(rig.service, 600);
  rig.uploader.start();
  await expectExactlyDelivered(rig, ids);
  const old = rig.service.getIdentity();
  rig.service.setConsent({ usage: 'off', performance: 'off', errors: 'off', crashes: 'off' });
  await rig.uploader.flush();
  await vi.waitFor(() => expect(rig.service.deletionRequests()[0]?.sent_at).not.toBeNull());
  expect(rig.stored().filter((s) => s.device_id === old.deviceId)).toEqual([]);
  // A new start under new ids is delivered as usual.
  rig.service.setConsent({ crashes: 'shared' });
  const after = trackMix(rig.service, 60);
  await rig.uploader.flush();
  await expectExactlyDelivered(rig, after);
});

it('the batch tells the collector the device\'s self-health', async () => {
  rig = await syncRig();
  rig.service.trackApp('Not a valid name');
  const ids = trackMix(rig.service, 10);
  rig.uploader.start();
  await expectExactlyDelivered(rig, ids);
  const health = rig.collector.store.latestClientHealth?.(rig.service.getIdentity().deviceId);
  expect(health).toMatchObject({ dropped: { invalid_name: 1 } });
});
