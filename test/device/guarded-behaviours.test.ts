// Behaviours that a deliberate bug once broke without any test noticing: each test here fails if
// its rule is broken.
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridgeHandlers, type LocalAnalysis } from '../../src/host/bridge-handlers.js';
import { Uploader, type HttpTransport } from '../../src/telemetry/index.js';
import { UPLOAD_STATE } from '../../src/telemetry/store/event-store.js';
import { UploadQueue } from '../../src/telemetry/upload/queue.js';
import { harness, type Harness } from '../support/service.js';

const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;
const DAY = 86_400_000;
let h: Harness;
afterEach(() => h?.cleanup());

/** A collector stand-in answering each request with `answer(decoded body)`. */
function transport(answer: (path: string, body: { events?: { id: string }[]; requests?: { request_id: string }[] }) => { status: number; body: unknown }): HttpTransport {
  return {
    post: async (url, raw) => {
      const r = answer(new URL(url).pathname, JSON.parse(gunzipSync(raw).toString()));
      return { status: r.status, headers: {}, body: JSON.stringify(r.body) };
    },
  };
}

describe('rules no test used to hold', () => {
  it('the write buffer is bounded: while the disk refuses writes, events beyond maxBufferedEvents are dropped as buffer_full', () => {
    h = harness();
    const t = h.open({ maxBufferedEvents: 500 });
    t.setConsent(ALL_SHARED);
    // The disk refuses every commit.
    const store = t.eventStore as unknown as { commit: unknown };
    const commit = store.commit;
    store.commit = () => {
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    };
    const results = Array.from({ length: 520 }, () => t.trackApp('tool.call'));
    t.flush();
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array(20).fill('buffer_full'));
    expect(t.health()).toMatchObject({ buffered: 500, lastStorageError: 'SQLITE_IOERR: disk I/O error' });
    store.commit = commit;
    t.flush();
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 500 }]);
    expect(t.counters()['dropped.buffer_full']).toBe(20);
  });

  it('events the collector rejected are dead-lettered with the reason, not marked sent; the rest are sent', async () => {
    h = harness();
    const t = h.open();
    t.setConsent(ALL_SHARED);
    for (let i = 0; i < 3; i++) t.trackApp('tool.call', { i });
    t.flush();
    const up = new Uploader(t, {
      endpoint: 'http://127.0.0.1:9',
      apiKey: 'k',
      transport: transport((_, b) => ({ status: 200, body: { accepted: b.events!.length - 1, duplicates: 0, rejected: [{ index: 1, reason: 'invalid: context.i' }] } })),
    });
    await up.flush();
    expect(h.rawRows('SELECT state FROM events ORDER BY rowid').map((r) => r.state)).toEqual([UPLOAD_STATE.sent, UPLOAD_STATE.deadLetter, UPLOAD_STATE.sent]);
    expect(up.deadLetters()).toMatchObject([{ reason: 'invalid: context.i' }]);
  });

  it('markSent leaves a row alone that is no longer pending (consent lowered meanwhile), and the queue figures stay true', () => {
    h = harness();
    const t = h.open();
    t.setConsent(ALL_SHARED);
    t.trackApp('tool.call');
    t.flush();
    const [row] = new UploadQueue(t.eventStore).pending(10);
    t.setConsent({ usage: 'local' }); // the row becomes local-only while its batch is in flight
    expect(new UploadQueue(t.eventStore).markSent([row!.rowid])).toBe(0);
    expect(h.rawRows('SELECT state FROM events')).toEqual([{ state: UPLOAD_STATE.localOnly }]);
    expect(t.health().queue).toMatchObject({ pending: 0, sent: 0, localOnly: 1 });
  });

  it('the age limit is in days: rows older than maxAgeDays go, rows days younger stay', () => {
    h = harness();
    const start = h.clock.t;
    const t = h.open({ limits: { maxAgeDays: 3 } });
    t.setConsent({ usage: 'local' });
    t.trackApp('four.days.ago');
    t.flush();
    h.clock.t = start + 1.5 * DAY;
    t.trackApp('two.and.a.half.days.ago');
    t.flush();
    h.clock.t = start + 2 * DAY;
    t.trackApp('two.days.ago');
    t.close();
    h.clock.t = start + 4 * DAY + 1;
    const again = h.open({ limits: { maxAgeDays: 3 } });
    expect(h.rawRows('SELECT name FROM events ORDER BY ts').map((r) => r.name)).toEqual(['two.and.a.half.days.ago', 'two.days.ago']);
    expect(again.counters()['evicted.age.usage']).toBe(1);
  });

  it('a deletion request stays pending until the collector names it done', async () => {
    h = harness();
    const t = h.open();
    t.setConsent(ALL_SHARED);
    t.trackApp('tool.call');
    t.flush();
    t.deleteMyData();
    let done: 'none' | 'other' | 'it' = 'none';
    const up = new Uploader(t, {
      endpoint: 'http://127.0.0.1:9',
      apiKey: 'k',
      random: () => 0,
      transport: transport((path, b) =>
        path === '/v1/deletions'
          ? { status: 200, body: { done: done === 'it' ? b.requests!.map((r) => r.request_id) : done === 'other' ? ['0194aaaa-0000-7000-8000-000000000000'] : [] } }
          : { status: 200, body: { accepted: b.events!.length, duplicates: 0, rejected: [] } },
      ),
    });
    await up.flush();
    expect(t.deletionRequests().map((r) => r.sent_at)).toEqual([null]);
    done = 'other';
    await up.flush();
    expect(t.deletionRequests().map((r) => r.sent_at)).toEqual([null]);
    done = 'it';
    await up.flush();
    expect(t.deletionRequests()[0]!.sent_at).not.toBeNull();
    up.stop();
  });

  it('the bridge handler validates dashboard.range itself: the analysis never sees a bad range', async () => {
    h = harness();
    const t = h.open();
    const seen: unknown[] = [];
    const analysis: LocalAnalysis = {
      dashboard: (q) => {
        seen.push(q.range);
        return {} as never;
      },
      report: () => ({}) as never,
    };
    const handlers = createBridgeHandlers({ service: t, analysis });
    for (const range of ['2y', '', 7, null, { $gt: '' }, '24h; DROP TABLE events']) {
      await expect(handlers.call('dashboard', { range })).rejects.toMatchObject({ code: 'bad_request' });
    }
    expect(seen).toEqual([]);
  });
});
