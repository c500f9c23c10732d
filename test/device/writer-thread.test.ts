// With a writer thread (storeThread: 'worker', createTelemetry's default for a file), the app's
// thread only validates and hands over; everything the device promises must hold exactly as it
// does inline: what is on disk, consent enforced, deletion, the disk refusing writes, the thread
// going away, an app tracking faster than the disk.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelemetryService } from '../../src/telemetry/index.js';
import { harness, type Harness } from '../support/service.js';

const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;
const hs: Harness[] = [];
afterEach(() => {
  for (const h of hs.splice(0)) h.cleanup();
});

function open(mode: 'worker' | 'inline', overrides: Record<string, unknown> = {}): { h: Harness; t: TelemetryService } {
  const h = harness();
  hs.push(h);
  const t = h.open({ storeThread: mode, scrub: { homeDirs: ['/home/alice'], userNames: ['alice'] }, ...overrides });
  t.setConsent(ALL_SHARED);
  return { h, t };
}

/** Made once, so both paths see the same stack traces. */
const ERRORS = Array.from({ length: 24 }, (_, k) => Object.assign(new Error(`ENOENT: open '/home/alice/.config/app/${k}.json' for alice@example.com`), { code: 'ENOENT' }));

/** The same day of an MCP client's telemetry, secrets and paths included. */
function trackDay(t: TelemetryService, n = 1200): void {
  for (let i = 0; i < n; i++) {
    t.trackPerformance('llm.inference', 100 + (i % 700), 'ms', { provider: 'anthropic', model: 'claude-sonnet-4', note: `key sk-ant-api03-${'x'.repeat(30)}${i % 3}` });
    if (i % 5 === 0) t.trackFeature('feature.use', { feature_id: 'tool_picker', duration_seconds: i % 60, interaction_count: i % 7 });
    if (i % 50 === 0) t.trackError('config.read_failed', ERRORS[(i / 50) % ERRORS.length]);
    if (i % 80 === 0) t.trackNetwork('api.request', { url: `https://api.example.com/v1/messages?token=abc${i}&user=alice`, status_code: 200, duration_ms: 80, bytes_transferred: 4096 });
  }
}

/** What the flush timer does: the buffer goes to the writer thread, and nothing waits for it. */
function handOverWithoutWaiting(t: TelemetryService): void {
  (t as unknown as { writes: { commitChunk(): void } }).writes.commitChunk();
}

function dump(h: Harness) {
  return {
    events: h.rawRows('SELECT event_type, name, seq, payload, state FROM events ORDER BY seq'),
    rollups: h.rawRows('SELECT hour, event_type, name, count, measured, sum, min, max, hist FROM rollups ORDER BY hour, event_type, name'),
    features: h.rawRows('SELECT * FROM feature_rollups ORDER BY hour, feature_id'),
    counters: h.rawRows("SELECT key, count FROM counters WHERE key NOT LIKE 'dropped.consent%' ORDER BY key"),
  };
}

describe('the writer thread', () => {
  it('writes exactly what the inline path writes: the same scrubbed events, rollups, feature rollups and counters', () => {
    const inline = open('inline');
    const worker = open('worker');
    expect(worker.t.usesWriterThread).toBe(true);
    trackDay(inline.t);
    trackDay(worker.t);
    inline.t.flush();
    worker.t.flush();
    const a = dump(inline.h);
    const b = dump(worker.h);
    expect(b.events).toHaveLength(1200 + 240 + 24 + 15);
    expect(b).toEqual(a);
    // Scrubbed before the disk, on the thread that wrote it.
    expect(JSON.stringify(b.events)).not.toMatch(/alice|sk-ant-api03|abc\d/);
    expect(worker.t.health()).toMatchObject({ rows: 1479, buffered: 0, queue: { pending: 1479 } });
  });

  it('a category turned off while its events are in the thread\'s hands leaves nothing of it on disk', () => {
    const { h, t } = open('worker');
    trackDay(t, 600);
    // Handed over (the background commit) but not waited for.
    handOverWithoutWaiting(t);
    t.setConsent({ performance: 'off', usage: 'local' });
    expect(h.rawRows("SELECT count(*) AS n FROM events WHERE category = 'performance'")).toEqual([{ n: 0 }]);
    expect(h.rawRows("SELECT count(*) AS n FROM rollups WHERE event_type IN ('performance', 'network')")).toEqual([{ n: 0 }]);
    expect(h.rawRows("SELECT DISTINCT state FROM events WHERE category = 'usage'")).toEqual([{ state: 0 }]);
    expect(t.health().queue.pending).toBe(h.rawRows('SELECT count(*) AS n FROM events WHERE state = 1')[0]!.n);
  });

  it('Delete my data with batches in the thread\'s hands deletes them too and asks upstream to delete', () => {
    const { h, t } = open('worker');
    trackDay(t, 600);
    t.flush();
    trackDay(t, 300);
    handOverWithoutWaiting(t);
    t.deleteMyData();
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    expect(h.rawRows('SELECT count(*) AS n FROM rollups')).toEqual([{ n: 0 }]);
    expect(h.rawRows('SELECT count(*) AS n FROM deletion_requests')).toEqual([{ n: 1 }]);
    expect(t.health()).toMatchObject({ rows: 0, queue: { pending: 0 } });
    // Tracking goes on, under the new ids, from seq 1.
    t.trackApp('app.start');
    t.flush();
    expect(h.rawRows('SELECT seq FROM events')).toEqual([{ seq: 1 }]);
  });

  it('a commit the disk refuses comes back to the buffer, and is written in order, once, when the disk accepts again', () => {
    const { h, t } = open('worker');
    // The disk's refusal, as the writer thread sees it: every insert into events fails.
    const disk = new Database(h.dbPath);
    disk.exec("CREATE TABLE refuse (on_ INTEGER); INSERT INTO refuse VALUES (1); CREATE TRIGGER refuse_insert BEFORE INSERT ON events WHEN (SELECT on_ FROM refuse) BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
    for (let i = 0; i < 1500; i++) t.trackApp('tool.call', { i });
    t.flush();
    expect(t.health()).toMatchObject({ buffered: 1500, lastStorageError: expect.stringContaining('database or disk is full') });
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    for (let i = 1500; i < 2000; i++) t.trackApp('tool.call', { i });
    disk.exec('UPDATE refuse SET on_ = 0');
    disk.close();
    t.flush();
    expect(t.health()).toMatchObject({ buffered: 0, lastStorageError: null, rows: 2000 });
    const rows = h.rawRows("SELECT seq, json_extract(payload, '$.context.i') AS i FROM events ORDER BY rowid");
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });

  it('if the thread goes away, what it never answered comes back and this thread writes it: nothing lost, nothing twice', async () => {
    const { h, t } = open('worker');
    trackDay(t, 300);
    t.flush();
    trackDay(t, 300);
    handOverWithoutWaiting(t);
    const worker = (t as unknown as { writes: { writer: { worker: { terminate(): Promise<number> } } } }).writes.writer.worker;
    await worker.terminate();
    await new Promise((r) => setImmediate(r));
    expect(t.usesWriterThread).toBe(false);
    trackDay(t, 300);
    t.flush();
    const seqs = h.rawRows('SELECT seq FROM events ORDER BY seq').map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBe(3 * (300 + 60 + 6 + 4));
    expect(JSON.stringify(h.rawRows('SELECT payload FROM events'))).not.toMatch(/alice|sk-ant-api03/);
    expect(t.health().incidents.map((i) => i.kind)).toContain('writer_thread_stopped');
  });

  it('an app tracking faster than the disk waits for it rather than losing events: a loop that never yields keeps every event', () => {
    const { h, t } = open('worker', { maxBufferedEvents: 1000 });
    const results = Array.from({ length: 6000 }, (_, i) => t.trackApp('tool.call', { i }));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(t.health().buffered).toBeLessThanOrEqual(1000);
    t.flush();
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 6000 }]);
  });

  it('a backlog from an earlier run: its totals come from the thread (no scan here), and listeners hear of it as if just committed', () => {
    const h = harness();
    hs.push(h);
    const first = h.open({ storeThread: 'inline' });
    first.setConsent(ALL_SHARED);
    trackDay(first, 600);
    first.close();
    const t = h.open({ storeThread: 'worker' });
    const heard: number[] = [];
    t.onCommit((n) => heard.push(n));
    // Asked at once, health() waits for the thread's count rather than say 0.
    expect(t.health()).toMatchObject({ rows: 740, queue: { pending: 740 } });
    expect(heard).toEqual([600 + 120 + 12 + 8]);
    t.trackApp('app.start');
    t.flush();
    expect(t.health()).toMatchObject({ rows: 741, queue: { pending: 741 } });
  });

  it('an app that reuses and changes its context object after tracking changes nothing already tracked', () => {
    const { h, t } = open('worker');
    const ctx: Record<string, string | number> = { step: 1, model: 'claude-sonnet-4' };
    t.trackPerformance('llm.inference', 100, 'ms', ctx);
    ctx.step = 2;
    ctx.model = 'alice@example.com';
    t.trackFeature('feature.use', { feature_id: 'tool_picker', duration_seconds: 1, interaction_count: 1, context: ctx });
    ctx.step = 3;
    t.flush();
    expect(h.rawRows("SELECT json_extract(payload, '$.context') AS c FROM events ORDER BY seq").map((r) => JSON.parse(r.c as string))).toEqual([
      { step: 1, model: 'claude-sonnet-4' },
      { step: 2, model: '<email>' },
    ]);
  });

  it('close() leaves everything on disk and the thread stopped; later calls are refused without throwing', () => {
    const { h, t } = open('worker');
    trackDay(t, 200);
    t.close();
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 200 + 40 + 4 + 3 }]);
    expect(t.trackApp('app.start')).toEqual({ ok: false, reason: 'closed' });
  });
});
