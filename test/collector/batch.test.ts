// POST /v1/batch against a real collector: what is stored, what is refused, and that the response
// counts agree with the database.
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector } from '../../src/collector/server.js';
import { DEFAULT_BATCH_LIMITS } from '../../src/collector/batch.js';
import { LIMITS, telemetryEventSchema } from '../../src/telemetry/event/schema.js';
import { SqliteCollectorStore } from '../../src/collector/sqlite-store.js';
import type { CollectorStore } from '../../src/collector/store.js';
import { defaultDevice, device, envelope, KEY, perf, post, startRig, tempDir, type Rig } from './helpers.js';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig.close();
});

const HOUR = 3_600_000;

describe('a valid batch', () => {
  it('is stored with the common fields merged in, counted as accepted, and folded into rollups', async () => {
    const before = rig.store.count();
    const events = [perf({ value: 10 }), perf({ value: 30 }), perf({ name: 'app.start', event_type: 'app', value: undefined, unit: undefined, context: { cold: true } })];
    const res = await rig.batch(events);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    expect(rig.store.count()).toBe(before + 3);

    // Read as a person inspecting the file would: every column carries the batch's common fields.
    const db = new Database(rig.dbPath, { readonly: true });
    const rows = db.prepare(`SELECT * FROM events WHERE id IN (${events.map(() => '?').join(',')}) ORDER BY seq`).all(...events.map((e) => e.id)) as Record<string, unknown>[];
    db.close();
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      expect(r).toMatchObject({ user_id: defaultDevice.user_id, device_id: defaultDevice.device_id, app_version: '1.4.0', os: 'linux-x64', client_ts: null });
      expect(typeof r.received_at).toBe('number');
    }
    expect(rows[0]).toMatchObject({ event_type: 'performance', category: 'performance', name: 'llm.inference' });
    expect(JSON.parse(rows[0]!.payload as string)).toEqual({ value: 10, unit: 'ms', context: { provider: 'anthropic' } });
    expect(rows[2]).toMatchObject({ event_type: 'app', category: 'usage', name: 'app.start' });

    const stored = rig.store.events({ deviceId: defaultDevice.device_id }).find((s) => s.event.id === events[0]!.id);
    expect(stored?.event).toMatchObject({ ...events[0], user_id: defaultDevice.user_id, device_id: defaultDevice.device_id });

    const hour = Math.floor(Date.parse(events[0]!.timestamp as string) / HOUR);
    const rollup = rig.store.rollups().find((r) => r.hour === hour && r.name === 'llm.inference');
    expect(rollup).toMatchObject({ event_type: 'performance', app_version: '1.4.0', count: expect.any(Number), measured: expect.any(Number) });
    expect(rollup!.min).toBeLessThanOrEqual(10);
    expect(rollup!.max).toBeGreaterThanOrEqual(30);
    expect(rig.store.rollups().find((r) => r.hour === hour && r.name === 'app.start')).toMatchObject({ count: 1, measured: 0 });
  });

  it('sent again is all duplicates: nothing is stored twice and rollups do not count it again', async () => {
    const events = [perf(), perf(), perf()];
    expect((await rig.batch(events)).body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const count = rig.store.count();
    const rollups = rig.store.rollups();
    const again = await rig.batch(events);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(rig.store.count()).toBe(count);
    expect(rig.store.rollups()).toEqual(rollups);
  });

  it('may repeat an event within itself: the second copy is a duplicate', async () => {
    const e = perf();
    expect((await rig.batch([e, e])).body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
  });

  it('an event field wins over the same field in common', async () => {
    const other = device();
    const e = perf({ device_id: other.device_id, app_version: '2.0.0' });
    expect((await rig.batch([e])).body.accepted).toBe(1);
    expect(rig.store.events({ deviceId: other.device_id })[0]?.event).toMatchObject({ id: e.id, app_version: '2.0.0', user_id: defaultDevice.user_id });
  });

  it('records the device self-health it carries', async () => {
    const health = { queue_depth: 1200, dropped: { invalid_fields: 3 }, evicted: { 'rows_cap.usage': 50 } };
    await rig.batch([perf()], { health });
    expect(rig.store.latestClientHealth(defaultDevice.device_id)).toEqual(health);
  });

  it('is scrubbed again before it is stored (defence in depth)', async () => {
    const e = {
      id: uuidv7(),
      event_type: 'error',
      name: 'api.failed',
      timestamp: new Date().toISOString(),
      session_id: defaultDevice.session_id,
      seq: 1,
      error_message: 'failed for jane.doe@example.com at 10.1.2.3',
      stack_trace: 'Error: x\n    at f (/home/jane/app/main.js:1:2)',
    };
    const n = perf({ event_type: 'network', name: 'api.request', value: undefined, unit: undefined, context: undefined, url: 'https://api.example.com/v1?token=abc', status_code: 200, duration_ms: 5, bytes_transferred: 10 });
    expect((await rig.batch([e, n])).body).toMatchObject({ accepted: 2, rejected: [] });
    const stored = rig.store.events().filter((s) => s.event.id === e.id || s.event.id === n.id).map((s) => s.event);
    const text = JSON.stringify(stored);
    expect(text).not.toContain('jane');
    expect(text).not.toContain('10.1.2.3');
    expect(text).not.toContain('abc');
    expect(text).toContain('<email>');
  });

  it('scrubs the error code and the names in a context too, with the device\'s function', async () => {
    const e = {
      id: uuidv7(),
      event_type: 'error',
      name: 'db.failed',
      timestamp: new Date().toISOString(),
      session_id: defaultDevice.session_id,
      seq: 1,
      error_message: 'refused',
      error_code: '10.0.4.12:5432',
    };
    const a = perf({ event_type: 'app', name: 'app.start', value: undefined, unit: undefined, context: { cache_d41d8cd98f00b204e9800998ecf8427e: 1 } });
    expect((await rig.batch([e, a])).body).toMatchObject({ accepted: 2, rejected: [] });
    const stored = rig.store.events().filter((s) => s.event.id === e.id || s.event.id === a.id).map((s) => s.event as Record<string, unknown>);
    expect(stored.find((s) => s.id === e.id)!.error_code).toBe('<ip>:5432');
    expect(stored.find((s) => s.id === a.id)!.context).toEqual({ 'cache_<hex>': 1 });
  });
});

describe('per-event rejections', () => {
  it('one invalid event among valid ones: 200, that one rejected with its index, id and reason, the others stored', async () => {
    const good1 = perf();
    const bad = perf({ value: 'fast' });
    const good2 = perf();
    const res = await rig.batch([good1, bad, good2]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 2, duplicates: 0, rejected: [{ index: 1, id: bad.id, reason: expect.stringMatching(/^invalid: value: .*expected number/) }] });
    expect(res.body.rejected[0].reason).not.toContain('fast');
    const ids = new Set(rig.store.ids());
    expect(ids.has(good1.id as string) && ids.has(good2.id as string)).toBe(true);
    expect(ids.has(bad.id as string)).toBe(false);
  });

  it('never echoes submitted values or unknown key names in a reason', async () => {
    const res = await rig.batch([perf({ 'jane@example.com': 1 }), perf({ name: 'Jane Doe secret' }), 'not an event', perf({ id: 'jane-doe' })]);
    expect(res.status).toBe(200);
    expect(res.body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1, 2, 3]);
    expect(res.body.rejected[3]).not.toHaveProperty('id');
    expect(JSON.stringify(res.body)).not.toMatch(/jane|Jane/);
  });

  it('an event larger than 64 KiB is rejected as too large', async () => {
    const huge = perf({ context: Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`k${i}`, 'x'.repeat(120)])) });
    expect(JSON.stringify(huge).length).toBeGreaterThan(64 * 1024);
    const ok = perf();
    const res = await rig.batch([ok, huge]);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [{ index: 1, id: huge.id, reason: 'event_too_large' }] });
  });

  it('the largest event the schema allows, in 3-byte UTF-8 throughout, is still under 64 KiB (so valid events need no size check)', () => {
    const wide = (n: number) => '\u20ac'.repeat(n); // 3 bytes each in UTF-8
    const base = { id: uuidv7(), timestamp: new Date().toISOString(), session_id: uuidv7(), user_id: uuidv7(), device_id: uuidv7(), app_version: wide(LIMITS.versionMax), os: wide(LIMITS.osMax), seq: Number.MAX_SAFE_INTEGER, name: 'a'.repeat(LIMITS.nameMax) };
    const context = Object.fromEntries(Array.from({ length: LIMITS.contextMaxKeys }, (_, i) => [`k${i}`.padEnd(LIMITS.contextKeyMax, 'k'), wide(LIMITS.contextStringMax)]));
    const candidates = [
      { ...base, event_type: 'performance', value: -Number.MAX_VALUE, unit: 'tokens_per_s', context },
      { ...base, event_type: 'app', context },
      { ...base, event_type: 'network', url: wide(LIMITS.urlMax), status_code: 599, duration_ms: Number.MAX_VALUE, bytes_transferred: Number.MAX_SAFE_INTEGER },
      { ...base, event_type: 'crash', error_message: wide(LIMITS.errorMessageMax), error_code: 'E'.repeat(LIMITS.nameMax), stack_trace: wide(LIMITS.stackTraceMax), process: 'p'.repeat(LIMITS.nameMax), reason: 'r'.repeat(LIMITS.nameMax) },
    ];
    for (const e of candidates) {
      expect(telemetryEventSchema.safeParse(e).success).toBe(true);
      expect(Buffer.byteLength(JSON.stringify(e))).toBeLessThan(DEFAULT_BATCH_LIMITS.maxEventBytes);
    }
  });

  it('a timestamp 2 days in the future is rejected as out of range, as is one older than the retention', async () => {
    const future = perf({ timestamp: new Date(Date.now() + 2 * 24 * HOUR).toISOString() });
    const ancient = perf({ timestamp: new Date(Date.now() - 91 * 24 * HOUR).toISOString() });
    const res = await rig.batch([future, ancient, perf()]);
    expect(res.body).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 0, id: future.id, reason: 'timestamp_out_of_range' },
        { index: 1, id: ancient.id, reason: 'timestamp_out_of_range' },
      ],
    });
  });

  it('a client clock 1 hour behind: timestamps are corrected by the skew and the original is kept', async () => {
    const now = Date.now();
    const clientNow = now - HOUR;
    const original = new Date(clientNow - 5_000).toISOString();
    const e = perf({ timestamp: original });
    const res = await rig.batch([e], { sent_at: new Date(clientNow).toISOString() });
    expect(res.body.accepted).toBe(1);
    const stored = rig.store.events().find((s) => s.event.id === e.id)!;
    expect(stored.clientTimestamp).toBe(original);
    const corrected = Date.parse(stored.event.timestamp);
    // received_at − sent_at ≈ 1 h (plus the request's own latency).
    expect(corrected - Date.parse(original)).toBeGreaterThanOrEqual(HOUR);
    expect(corrected - Date.parse(original)).toBeLessThan(HOUR + 5_000);
    expect(Math.abs(corrected - (now - 5_000))).toBeLessThan(5_000);
  });

  it('a clock within 2 minutes is trusted as it is', async () => {
    const e = perf();
    await rig.batch([e], { sent_at: new Date(Date.now() - 60_000).toISOString() });
    const stored = rig.store.events().find((s) => s.event.id === e.id)!;
    expect(stored.clientTimestamp).toBeNull();
    expect(stored.event.timestamp).toBe(e.timestamp);
  });
});

describe('a store that fails', () => {
  it('answers 503 with Retry-After and acknowledges nothing', async () => {
    const { dir, cleanup } = tempDir();
    const real = new SqliteCollectorStore(`${dir}/c.db`);
    const failing: CollectorStore = {
      ingest: () => {
        throw new Error('disk I/O error');
      },
      forget: (r, at) => real.forget(r, at),
      recordClientHealth: () => {},
      close: () => real.close(),
    };
    const c = await createCollector({ store: failing, apiKeys: [KEY] });
    try {
      const res = await post(`${c.url}/v1/batch`, envelope([perf()]));
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(res.body).toMatchObject({ error: 'store_unavailable' });
      expect(res.body).not.toHaveProperty('accepted');
    } finally {
      await c.close();
      cleanup();
    }
  });
});
