// When uploads leave, on a clock the test moves by hand: a committed full batch within a second,
// a partial one within the upload interval, and attempts during an outage at the backoff's pace.
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Uploader, type HttpResponse, type HttpTransport, type TelemetryService } from '../../src/telemetry/index.js';
import { UPLOAD_STATE } from '../../src/telemetry/store/event-store.js';
import { MAX_BATCH_EVENTS, UPLOAD_INTERVAL_MS } from '../../src/telemetry/upload/policy.js';
import { harness, ManualTimers, type Harness } from '../support/service.js';

const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;

/** A collector stand-in that records every request (with the clock's time) and answers `status`. */
function recordingTransport(clock: { now(): number }, answer: () => number = () => 200) {
  const requests: { at: number; path: string; events: number }[] = [];
  const transport: HttpTransport = {
    post: async (url, body) => {
      const json = JSON.parse(gunzipSync(body).toString()) as { events?: unknown[]; requests?: { request_id: string }[] };
      const path = new URL(url).pathname;
      requests.push({ at: clock.now(), path, events: json.events?.length ?? 0 });
      const status = answer();
      const res: HttpResponse =
        status !== 200
          ? { status, headers: {}, body: '{"error":"unavailable"}' }
          : path === '/v1/deletions'
            ? { status, headers: {}, body: JSON.stringify({ done: (json.requests ?? []).map((r) => r.request_id) }) }
            : { status, headers: {}, body: JSON.stringify({ accepted: json.events!.length, duplicates: 0, rejected: [] }) };
      return res;
    },
  };
  return { transport, requests };
}

let h: Harness;
let uploader: Uploader | undefined;
afterEach(() => {
  uploader?.stop();
  h?.cleanup();
});

function rig(answer?: () => number): { service: TelemetryService; timers: ManualTimers; requests: { at: number; path: string; events: number }[]; start: number } {
  h = harness();
  const service = h.open();
  service.setConsent(ALL_SHARED);
  const timers = new ManualTimers(h.clock, () => uploader?.status().inFlight === true);
  const { transport, requests } = recordingTransport(h.clock, answer);
  uploader = new Uploader(service, { endpoint: 'http://127.0.0.1:9', apiKey: 'k', transport, clock: h.clock, timers, random: () => 0.5 });
  return { service, timers, requests, start: h.clock.t };
}

function trackShared(service: TelemetryService, n: number): void {
  for (let i = 0; i < n; i++) service.trackApp('tool.call', { i });
}

describe('upload timing', () => {
  it('a full batch committed while the uploader is idle leaves within 1 s, not at the next interval', async () => {
    const { service, timers, requests } = rig();
    uploader!.start();
    await timers.advance(10); // the empty first pass at start
    expect(requests).toHaveLength(0);
    const committedAt = h.clock.t;
    trackShared(service, MAX_BATCH_EVENTS);
    service.flush();
    await timers.advance(1000);
    expect(requests.filter((r) => r.path === '/v1/batch')).toHaveLength(1);
    expect(requests[0]!.events).toBe(MAX_BATCH_EVENTS);
    expect(requests[0]!.at - committedAt).toBeLessThanOrEqual(1000);
  });

  it('a partial batch waits for the upload interval, then leaves', async () => {
    const { service, timers, requests } = rig();
    uploader!.start();
    await timers.advance(10);
    trackShared(service, 10);
    service.flush();
    await timers.advance(UPLOAD_INTERVAL_MS - 100);
    expect(requests).toHaveLength(0);
    await timers.advance(200);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.events).toBe(10);
    expect(uploader!.status()).toMatchObject({ pending: 0, waiting: 'idle' });
  });

  it('during a 503 outage a full batch is attempted at once and retried at the backoff pace, never given up', async () => {
    let down = true;
    const { service, timers, requests } = rig(() => (down ? 503 : 200));
    uploader!.start();
    await timers.advance(10);
    trackShared(service, MAX_BATCH_EVENTS * 2);
    service.flush();
    await timers.advance(1000);
    expect(requests.length).toBeGreaterThanOrEqual(1);
    expect(uploader!.status()).toMatchObject({ waiting: 'backoff', lastError: 'HTTP 503' });
    await timers.advance(60_000);
    const during = requests.length;
    expect(during).toBeGreaterThanOrEqual(4);
    down = false;
    await timers.advance(5 * 60_000);
    expect(uploader!.status()).toMatchObject({ pending: 0, attempt: 0 });
    expect(h.rawRows('SELECT count(*) AS n FROM events WHERE state = ?', UPLOAD_STATE.sent)[0]!.n).toBe(MAX_BATCH_EVENTS * 2);
  });

  it('a deletion request is sent at once, not at the next interval', async () => {
    const { service, timers, requests } = rig();
    trackShared(service, 3);
    service.flush();
    uploader!.start();
    await timers.advance(10);
    expect(requests).toHaveLength(1);
    service.deleteMyData();
    service.flush();
    trackShared(service, 1);
    service.flush();
    await timers.advance(1000);
    expect(requests.map((r) => r.path)).toEqual(['/v1/batch', '/v1/deletions', '/v1/batch']);
  });
});
