// POST /v1/deletions: forgetting withdrawn anonymous ids.
import { v4 as uuidv4 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { device, perf, startRig, type Rig } from './helpers.js';

let rig: Rig;
const logLines: string[] = [];
beforeAll(async () => {
  // A real logger, captured: deletions must be logged without the ids they name.
  rig = await startRig({ logger: { level: 'info', stream: { write: (line: string) => logLines.push(line) } } });
});
afterAll(async () => {
  await rig.close();
});

function commonOf(d: ReturnType<typeof device>): Record<string, string> {
  return { user_id: d.user_id, device_id: d.device_id, app_version: d.app_version, os: d.os };
}

function deletion(requests: { request_id: string; user_id: string; device_id: string }[]): object {
  const now = new Date().toISOString();
  return { schema_version: 1, sent_at: now, requests: requests.map((r) => ({ ...r, requested_at: now })) };
}

describe('a deletion request', () => {
  it('deletes every row carrying the user id or the device id, keeps the others, is idempotent, and logs no ids', async () => {
    const gone = device();
    const sameUserOtherDevice = { ...device(), user_id: gone.user_id };
    const sameDeviceOtherUser = { ...device(), device_id: gone.device_id };
    const kept = device();
    for (const d of [gone, sameUserOtherDevice, sameDeviceOtherUser, kept]) {
      expect((await rig.batch([perf(), perf()], { common: commonOf(d), health: { queue_depth: 1 } })).body.accepted).toBe(2);
    }
    expect(rig.store.latestClientHealth(gone.device_id)).toEqual({ queue_depth: 1 });
    const keptIds = rig.store.events({ deviceId: kept.device_id }).map((s) => s.event.id);
    const total = rig.store.count();

    const requestId = uuidv4();
    const body = deletion([{ request_id: requestId, user_id: gone.user_id, device_id: gone.device_id }]);
    const res = await rig.post('/v1/deletions', body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ done: [requestId], deleted_events: 6 });
    expect(rig.store.count()).toBe(total - 6);
    for (const d of [gone, sameUserOtherDevice, sameDeviceOtherUser]) {
      expect(rig.store.events({ deviceId: d.device_id })).toEqual([]);
    }
    expect(rig.store.events({ userId: gone.user_id })).toEqual([]);
    expect(rig.store.events({ deviceId: kept.device_id }).map((s) => s.event.id)).toEqual(keptIds);
    expect(rig.store.latestClientHealth(gone.device_id)).toBeUndefined();
    expect(rig.store.latestClientHealth(kept.device_id)).toEqual({ queue_depth: 1 });

    // Again: nothing more to delete, still done.
    const again = await rig.post('/v1/deletions', body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ done: [requestId], deleted_events: 0 });
    expect(rig.store.count()).toBe(total - 6);

    // The log table and the log lines hold the request id and the count, never the ids.
    const log = rig.store.deletionsLog().filter((r) => r.request_id === requestId);
    expect(log).toEqual([{ request_id: requestId, first_done_at: expect.any(Number), last_done_at: expect.any(Number), times: 2, deleted_events: 6 }]);
    const dump = JSON.stringify(rig.store.db.prepare('SELECT * FROM deletions_log').all()) + logLines.join('\n');
    expect(logLines.join('\n')).toContain(requestId);
    for (const id of [gone.user_id, gone.device_id]) expect(dump).not.toContain(id);
  });

  it('answers 400 for a malformed request, 401 without a key, and deletes nothing', async () => {
    const d = device();
    await rig.batch([perf()], { common: commonOf(d) });
    const total = rig.store.count();
    expect((await rig.post('/v1/deletions', deletion([{ request_id: 'r1', user_id: 'not-a-uuid', device_id: d.device_id }]))).status).toBe(400);
    expect((await rig.post('/v1/deletions', { ...deletion([{ request_id: 'r1', user_id: d.user_id, device_id: d.device_id }]), schema_version: 9 })).status).toBe(400);
    expect((await rig.post('/v1/deletions', deletion([]))).status).toBe(400);
    expect((await rig.post('/v1/deletions', deletion([{ request_id: 'r1', user_id: d.user_id, device_id: d.device_id }]), { key: null })).status).toBe(401);
    expect(rig.store.count()).toBe(total);
  });
});
