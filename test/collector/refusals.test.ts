// Whole-request refusals: each answers its one status (docs/PROTOCOL.md), quickly, and leaves
// what was already stored exactly as it was.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { envelope, perf, startRig, type Rig } from './helpers.js';

let rig: Rig;
let storedBefore: string[];
beforeAll(async () => {
  rig = await startRig();
  expect((await rig.batch([perf(), perf(), perf()])).body.accepted).toBe(3);
  storedBefore = rig.store.ids();
});
afterEach(() => {
  // After every bad request, what was already stored is still there, and nothing else is.
  expect(rig.store.ids()).toEqual(storedBefore);
});
afterAll(async () => {
  await rig.close();
});

const MiB = 1024 * 1024;

describe('a malformed batch answers 400', () => {
  it('when the body is not JSON', async () => {
    const res = await rig.post('/v1/batch', gzipSync('{"schema_version":1,'), {});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'malformed_json' });
  });

  it('when the body says gzip but is not', async () => {
    const res = await rig.post('/v1/batch', Buffer.from(JSON.stringify(envelope([perf()]))), { headers: { 'content-encoding': 'gzip' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'not_gzip', detail: expect.any(String) });
  });

  it('when the schema_version is not 1', async () => {
    const res = await rig.post('/v1/batch', { ...envelope([perf()]), schema_version: 2 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'unsupported_schema_version' });
  });

  it('when the events array is missing or empty', async () => {
    const { events: _e, ...noEvents } = envelope([perf()]);
    const missing = await rig.post('/v1/batch', noEvents);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: 'malformed', detail: expect.stringContaining('events') });
    expect((await rig.post('/v1/batch', envelope([]))).status).toBe(400);
  });

  it('when sent_at is not a time, or common holds a field no event has', async () => {
    expect((await rig.post('/v1/batch', { ...envelope([perf()]), sent_at: 'yesterday' })).status).toBe(400);
    const res = await rig.post('/v1/batch', { ...envelope([perf()]), common: { device_id: 'x', email: 'jane@example.com' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('jane');
  });

  it('when the body is empty, or uses an encoding other than gzip', async () => {
    expect((await rig.post('/v1/batch', Buffer.alloc(0))).status).toBe(400);
    const res = await rig.post('/v1/batch', Buffer.from('x'), { gzip: false, headers: { 'content-encoding': 'br' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'unsupported_content_encoding' });
  });
});

describe('uncompressed JSON', () => {
  it('is accepted too (for curl and debugging)', async () => {
    const res = await rig.post('/v1/batch', envelope([perf({ timestamp: new Date(Date.now() + 3 * 86_400_000).toISOString() })]), { gzip: false });
    // A valid envelope; its one event is refused on its own, so nothing new is stored.
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 0, rejected: [{ index: 0, reason: 'timestamp_out_of_range' }] });
  });
});

describe('authentication', () => {
  it('without a key answers 401, before reading the body', async () => {
    const res = await rig.post('/v1/batch', envelope([perf()]), { key: null });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'missing_api_key' });
    expect((await rig.post('/v1/batch', envelope([perf()]), { key: null, headers: { authorization: 'Basic dXNlcjpwdw==' } })).status).toBe(401);
  });

  it('with a wrong key answers 403, in the same body shape', async () => {
    const res = await rig.post('/v1/batch', envelope([perf()]), { key: 'not-the-key' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'invalid_api_key' });
    expect((await rig.post('/v1/deletions', {}, { key: 'test-key-collectoR' })).status).toBe(403);
  });
});

describe('size limits answer 413', () => {
  it('for a body over 1 MiB', async () => {
    const res = await rig.post('/v1/batch', randomBytes(MiB + 1024), { headers: { 'content-encoding': 'gzip' } });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large' });
  });

  it('for a gzip bomb (50 MiB of zeros in ~50 KB), inflating no further than the limit', async () => {
    // The bomb's trailer is cut off: a collector that inflated all 50 MiB before checking the size
    // would reach the cut and answer 400 not_gzip. Stopping at 10 MiB never gets there.
    const whole = gzipSync(Buffer.alloc(50 * MiB), { level: 9 });
    const bomb = whole.subarray(0, whole.length - 64);
    expect(bomb.length).toBeLessThan(MiB);
    const res = await rig.post('/v1/batch', bomb);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'payload_too_large' });
  });

  it('for more than 1000 events', async () => {
    const events = Array.from({ length: 1001 }, () => perf());
    const res = await rig.post('/v1/batch', envelope(events));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: 'too_many_events' });
  });
});

describe('routes', () => {
  it('an unknown path answers 404 (with a key) and a GET on /v1/batch is not a batch', async () => {
    expect((await rig.post('/v1/nothing', envelope([perf()]))).status).toBe(404);
    const res = await fetch(`${rig.collector.url}/v1/batch`, { headers: { authorization: 'Bearer test-key-collector' } });
    expect(res.status).toBe(404);
  });

  it('GET /healthz answers 200 {ok:true} without a key', async () => {
    const res = await fetch(`${rig.collector.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});
