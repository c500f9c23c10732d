import { readFileSync, existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { harness, type Harness } from '../../../test/support/service.js';
import { TelemetryConfigError, TelemetryService, MemorySettings, telemetryEventSchema } from '../index.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

const allShared = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;

function trackOneOfEach(t: TelemetryService): void {
  t.trackApp('app.start', { cold: true });
  t.trackFeature('feature.use', { feature_id: 'tool_picker', duration_seconds: 4.2, interaction_count: 3 });
  t.trackPerformance('llm.inference', 1234, 'ms', { provider: 'anthropic', model: 'claude-sonnet' });
  t.trackNetwork('api.request', { url: 'https://api.example.com/v1/items?q=secret', status_code: 200, duration_ms: 87, bytes_transferred: 5120 });
  t.trackError('api.failure', new Error('request failed'));
  t.trackCrash('renderer.gone', new Error('renderer crashed'), { process: 'renderer', reason: 'crashed' });
}

describe('consent gates what reaches the disk', () => {
  it('on first run every category is off and nothing tracked reaches the database file', () => {
    const t = h.open();
    expect(t.getConsent()).toMatchObject({ categories: { usage: 'off', performance: 'off', errors: 'off', crashes: 'off' }, needsPrompt: true });
    trackOneOfEach(t);
    t.close();
    expect(h.rawRows('SELECT * FROM events')).toEqual([]);
    expect(h.rawRows('SELECT * FROM rollups')).toEqual([]);
    // Not even a trace of the names in the file or its journal.
    for (const f of [h.dbPath, `${h.dbPath}-wal`]) {
      if (existsSync(f)) expect(readFileSync(f).includes('llm.inference')).toBe(false);
    }
  });

  it('an event of a category that is off is not even counted on disk, only in this run', () => {
    const t = h.open();
    t.trackApp('app.start');
    expect(t.health().counters['dropped.consent_off']).toBe(1);
    t.close();
    expect(h.rawRows('SELECT * FROM counters')).toEqual([]);
  });

  it('a local category is stored on the device but never queued for upload', () => {
    const t = h.open();
    t.setConsent({ usage: 'local' });
    trackOneOfEach(t);
    t.flush();
    const rows = h.rawRows('SELECT event_type, state FROM events ORDER BY rowid');
    expect(rows).toEqual([
      { event_type: 'app', state: 0 },
      { event_type: 'feature', state: 0 },
    ]);
  });

  it('a shared category is stored and queued for upload', () => {
    const t = h.open();
    t.setConsent({ errors: 'shared' });
    trackOneOfEach(t);
    t.flush();
    expect(h.rawRows('SELECT event_type, state FROM events')).toEqual([{ event_type: 'error', state: 1 }]);
  });

  it('lowering shared to local leaves nothing of that category pending upload, and keeps its rows', () => {
    const t = h.open();
    t.setConsent(allShared);
    trackOneOfEach(t);
    t.flush();
    t.setConsent({ performance: 'local' });
    const rows = h.rawRows('SELECT category, state FROM events ORDER BY rowid');
    expect(rows.filter((r) => r.category === 'performance')).toEqual([
      { category: 'performance', state: 0 },
      { category: 'performance', state: 0 },
    ]);
    expect(rows.filter((r) => r.category !== 'performance').every((r) => r.state === 1)).toBe(true);
  });

  it('turning a category off deletes its rows and rollups; the other categories keep theirs', () => {
    const t = h.open();
    t.setConsent(allShared);
    trackOneOfEach(t);
    t.flush();
    t.setConsent({ usage: 'off' });
    expect(h.rawRows("SELECT count(*) AS n FROM events WHERE category = 'usage'")).toEqual([{ n: 0 }]);
    expect(h.rawRows("SELECT count(*) AS n FROM rollups WHERE event_type IN ('app', 'feature')")).toEqual([{ n: 0 }]);
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 4 }]);
    expect(h.rawRows('SELECT count(*) AS n FROM rollups')).toEqual([{ n: 4 }]);
  });

  it('events still in the write buffer when their category is turned off are never written', () => {
    const t = h.open();
    t.setConsent({ usage: 'shared' });
    t.trackApp('app.start');
    t.setConsent({ usage: 'off' });
    t.close();
    expect(h.rawRows('SELECT * FROM events')).toEqual([]);
  });

  it('events still buffered when shared is lowered to local are written as local only', () => {
    const t = h.open();
    t.setConsent({ usage: 'shared' });
    t.trackApp('app.start');
    t.setConsent({ usage: 'local' });
    t.flush();
    expect(h.rawRows('SELECT state FROM events')).toEqual([{ state: 0 }]);
  });

  it('withdrawing everything rotates the anonymous ids and records a deletion request that survives a restart', () => {
    const t = h.open();
    t.setConsent(allShared);
    const before = t.getIdentity();
    trackOneOfEach(t);
    t.flush();
    t.setConsent({ usage: 'off', performance: 'off', errors: 'off', crashes: 'off' });
    const after = t.getIdentity();
    expect(after.userId).not.toBe(before.userId);
    expect(after.deviceId).not.toBe(before.deviceId);
    t.close();
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    const t2 = h.open();
    expect(t2.getIdentity()).toEqual(after);
    expect(t2.deletionRequests()).toMatchObject([{ user_id: before.userId, device_id: before.deviceId, sent_at: null }]);
  });

  it('consent is persisted through the settings port and restored on the next start', () => {
    const t = h.open();
    t.setConsent({ usage: 'local', crashes: 'shared' });
    t.close();
    const t2 = h.open();
    expect(t2.getConsent()).toMatchObject({ categories: { usage: 'local', performance: 'off', errors: 'off', crashes: 'shared' }, policyVersion: '1', needsPrompt: false });
  });

  it('a new policy version asks again', () => {
    const t1 = h.open();
    t1.setConsent({ usage: 'local' });
    t1.close();
    const t2 = h.open({ policyVersion: '2' });
    expect(t2.getConsent().needsPrompt).toBe(true);
  });

  it('if the app died after saving a lowered consent but before deleting, the next start deletes', () => {
    const t = h.open();
    t.setConsent(allShared);
    trackOneOfEach(t);
    t.close();
    // The settings say off, the database still holds rows: as after a crash between the two steps.
    const record = h.settings.get('telemetry.consent') as { categories: Record<string, string> };
    record.categories.usage = 'off';
    h.settings.set('telemetry.consent', record);
    h.open();
    expect(h.rawRows("SELECT count(*) AS n FROM events WHERE category = 'usage'")).toEqual([{ n: 0 }]);
  });

  it('a malformed consent update is a clear error', () => {
    const t = h.open();
    expect(() => t.setConsent({ usage: 'yes' as never })).toThrow(TelemetryConfigError);
    expect(() => t.setConsent({ telemetry: 'shared' } as never)).toThrow(/Invalid consent update/);
  });
});

describe('bad input never throws into the app', () => {
  it('invalid events are dropped, counted by reason, and the counts survive a restart', () => {
    const t = h.open();
    t.setConsent(allShared);
    const results = [
      t.trackApp('User asked: what is my bank password?'),
      t.trackApp(42 as never),
      t.trackPerformance('memory.rss', Number.NaN, 'bytes'),
      t.trackPerformance('memory.rss', 10, 'furlongs' as never),
      t.trackApp('app.start', { prompt: 'x'.repeat(70_000) }),
      t.trackApp('app.start', Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]))),
      t.trackFeature('feature.use', null as never),
      t.track('nonsense' as never, 'a.b', {} as never),
    ];
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'invalid_name', 'invalid_name', 'invalid_fields', 'invalid_fields', 'invalid_fields', 'invalid_fields', 'invalid_fields', 'invalid_fields',
    ]);
    expect(t.health().lastInvalid?.issue).toMatch(/fields|feature_id|context|invalid/i);
    t.trackApp('app.start');
    t.close();
    expect(h.rawRows('SELECT name FROM events')).toEqual([{ name: 'app.start' }]);
    const t2 = h.open();
    expect(t2.health().counters).toMatchObject({ 'dropped.invalid_name': 2, 'dropped.invalid_fields': 6 });
  });

  it('tracking after close is dropped as closed, not thrown', () => {
    const t = h.open();
    t.setConsent(allShared);
    t.close();
    expect(t.trackApp('app.start')).toEqual({ ok: false, reason: 'closed' });
  });

  it('a configuration mistake is a clear, thrown error naming the field', () => {
    expect(() => h.open({ databasePath: 'relative/telemetry.db' })).toThrow(/absolute.*databasePath/s);
    expect(() => h.open({ flushIntervalMs: 1000 })).toThrow(/flushIntervalMs/);
    expect(() => h.open({ appVersion: '' })).toThrow(TelemetryConfigError);
    expect(() => TelemetryService.open({ databasePath: h.dbPath, appVersion: '1', os: 'x' }, {} as never)).toThrow(/settings/);
  });
});

describe('the write buffer', () => {
  it('commits on its own within the flush interval', async () => {
    const t = h.open({ flushIntervalMs: 20 });
    t.setConsent({ usage: 'local' });
    t.trackApp('app.start');
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    await vi.waitFor(() => expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 1 }]), { timeout: 2000, interval: 10 });
  });

  it('commits as soon as 500 events wait, right after the current task, without the timer', async () => {
    const t = h.open({ flushIntervalMs: 200 });
    t.setConsent({ performance: 'local' });
    for (let i = 0; i < 499; i++) t.trackPerformance('api.latency', i, 'ms');
    await new Promise((r) => setImmediate(r));
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    t.trackPerformance('api.latency', 499, 'ms');
    await new Promise((r) => setImmediate(r));
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 500 }]);
  });

  it('a burst that never yields is committed in line, so the buffer stays bounded', () => {
    const t = h.open({ flushIntervalMs: 200 });
    t.setConsent({ performance: 'local' });
    for (let i = 0; i < 5000; i++) expect(t.trackPerformance('api.latency', i, 'ms').ok).toBe(true);
    expect(t.health().buffered).toBeLessThan(2000);
    expect((h.rawRows('SELECT count(*) AS n FROM events')[0] as { n: number }).n).toBeGreaterThan(3000);
  });

  it('numbers events 1, 2, 3... per device, continuing after a restart', () => {
    const t = h.open();
    t.setConsent({ usage: 'local' });
    t.trackApp('a.one');
    t.trackApp('a.two');
    t.close();
    const t2 = h.open();
    t2.trackApp('a.three');
    t2.close();
    expect(h.rawRows('SELECT name, seq FROM events ORDER BY rowid')).toEqual([
      { name: 'a.one', seq: 1 },
      { name: 'a.two', seq: 2 },
      { name: 'a.three', seq: 3 },
    ]);
  });
});

describe('what is stored', () => {
  it('an event is stored with every common field of the schema and a time-ordered UUIDv7 id', () => {
    const t = h.open();
    t.setConsent({ performance: 'local' });
    const r1 = t.trackPerformance('memory.rss', 200e6, 'bytes', { process: 'main' });
    h.clock.advance(5);
    const r2 = t.trackPerformance('memory.rss', 210e6, 'bytes');
    t.flush();
    const [second, first] = t.recentEvents();
    expect(r1.ok && r2.ok).toBe(true);
    expect(first!.event).toEqual({
      id: (r1 as { id: string }).id,
      event_type: 'performance',
      name: 'memory.rss',
      timestamp: new Date(h.clock.t - 5).toISOString(),
      session_id: t.currentSessionId,
      user_id: t.getIdentity().userId,
      app_version: '1.4.0',
      os: 'linux-x64',
      device_id: t.getIdentity().deviceId,
      seq: 1,
      value: 200e6,
      unit: 'bytes',
      context: { process: 'main' },
    });
    expect(first!.event.id[14]).toBe('7');
    expect(first!.event.id < second!.event.id).toBe(true);
  });

  it('errors and crashes carry the feature in use, until the app says none is', () => {
    const t = h.open();
    t.setConsent({ errors: 'local', crashes: 'local' });
    t.setActiveFeature('tool_picker');
    t.trackError('mcp.tool_failed', new Error('tool timed out'));
    t.trackCrash('renderer.gone', 'renderer crashed', { process: 'renderer', reason: 'crashed' });
    t.trackError('llm.failed', new Error('overloaded'), { errorCode: 'E529', featureId: 'chat' });
    t.setActiveFeature(null);
    t.trackError('api.failure', new Error('no feature'));
    t.flush();
    const stored = t.recentEvents().reverse().map((e) => (e.event as { feature_id?: string }).feature_id ?? null);
    expect(stored).toEqual(['tool_picker', 'tool_picker', 'chat', null]);
    for (const e of t.recentEvents()) expect(telemetryEventSchema.safeParse(e.event).success).toBe(true);
  });

  it('an error from an Error keeps its message, code and stack, with the home directory scrubbed', () => {
    const t = h.open({ scrub: { homeDirs: ['/home/alice'], userNames: ['alice'] } });
    t.setConsent({ errors: 'local' });
    const err = Object.assign(new Error("ENOENT: no such file or directory, open '/home/alice/notes/todo.md'"), { code: 'ENOENT' });
    err.stack = `Error: ENOENT\n    at readNotes (/home/alice/app/src/notes.ts:10:5)`;
    t.trackError('fs.read_failed', err);
    t.flush();
    const [e] = t.recentEvents();
    expect(e!.event).toMatchObject({ event_type: 'error', error_code: 'ENOENT' });
    const ev = e!.event as { error_message: string; stack_trace: string };
    expect(ev.error_message).not.toContain('alice');
    expect(ev.error_message).toContain('/notes/todo.md');
    expect(ev.stack_trace).toContain('readNotes (');
    expect(ev.stack_trace).toContain('/app/src/notes.ts:10:5');
    expect(ev.stack_trace).not.toContain('alice');
  });

  it('a network URL is stored without its query values', () => {
    const t = h.open();
    t.setConsent({ performance: 'local' });
    t.trackNetwork('api.request', { url: 'https://api.example.com/v1/search?q=my+diagnosis&key=abc', status_code: 200, duration_ms: 12, bytes_transferred: 100 });
    t.flush();
    const url = (t.recentEvents()[0]!.event as { url: string }).url;
    expect(url.startsWith('https://api.example.com/v1/search')).toBe(true);
    expect(url).not.toContain('diagnosis');
    expect(url).not.toContain('abc');
  });

  it('a value that scrubbing lengthens is clipped to its limit, so what is stored still validates', () => {
    const t = h.open();
    t.setConsent({ errors: 'local', performance: 'local' });
    // 1020 characters of short e-mail addresses: each 6-character address becomes the 7-character `<email>`.
    t.trackError('mail.failed', new Error('a@b.co '.repeat(146)));
    t.trackPerformance('mail.sync', 1, 'ms', { recipient: 'x@y.io '.repeat(18) });
    t.flush();
    const events = t.recentEvents().map((r) => r.event);
    for (const ev of events) expect(telemetryEventSchema.safeParse(ev).success).toBe(true);
    const err = events.find((e) => e.event_type === 'error') as { error_message: string };
    expect(err.error_message).toHaveLength(1024);
    expect(err.error_message).not.toContain('@');
  });

  it('a context value over 128 characters is kept: scrubbed, then cut to 128 and counted, not dropped', () => {
    const t = h.open({ scrub: { userNames: ['alice'] } });
    t.setConsent({ usage: 'local' });
    const long = 'opened by alice from /home/alice/projects/' + 'x'.repeat(200);
    expect(t.trackApp('app.start', { detail: long }).ok).toBe(true);
    t.flush();
    const ev = t.recentEvents()[0]!.event as { context: Record<string, string> };
    expect(telemetryEventSchema.safeParse(ev).success).toBe(true);
    expect(ev.context.detail).toHaveLength(128);
    expect(ev.context.detail!.startsWith('opened by <user> from /home/<user>/projects/x')).toBe(true);
    expect(t.health().counters['truncated.after_scrub']).toBe(1);
  });

  it('an error code and the names in a context are scrubbed like any free text', () => {
    const t = h.open({ scrub: { userNames: ['alice'] } });
    t.setConsent({ errors: 'local', usage: 'local' });
    t.trackError('db.failed', new Error('connection refused'), '10.0.4.12:5432');
    t.trackError('fs.failed', new Error('denied'), 'EACCES:alice');
    t.trackApp('app.start', { alice_projects: 3 });
    t.flush();
    const events = t.recentEvents().map((r) => r.event as Record<string, unknown>);
    for (const ev of events) expect(telemetryEventSchema.safeParse(ev).success).toBe(true);
    expect(events.map((e) => e.error_code).filter((c) => c !== undefined).sort()).toEqual(['<ip>:5432', 'EACCES:<user>']);
    expect(events.find((e) => e.event_type === 'app')!.context).toEqual({ '<user>_projects': 3 });
  });

  it('rollups count, sum, bound and histogram each hour x type x name x version in the same commit', () => {
    const t = h.open();
    t.setConsent({ performance: 'local' });
    for (const v of [10, 20, 30, 40, 1000]) t.trackPerformance('api.latency', v, 'ms');
    t.flush();
    const [r] = t.rollups({ from: h.clock.t - 3_600_000, to: h.clock.t + 1 });
    expect(r).toMatchObject({ event_type: 'performance', name: 'api.latency', app_version: '1.4.0', count: 5, measured: 5, sum: 1100, min: 10, max: 1000 });
    expect(t.counts(h.clock.t - 3_600_000, h.clock.t + 1)).toEqual([{ event_type: 'performance', name: 'api.latency', count: 5 }]);
  });

  it('sessions: start and end are recorded, and events carry the current session id', () => {
    const t = h.open();
    t.setConsent({ usage: 'local' });
    const id = t.startSession();
    t.trackApp('settings.change');
    h.clock.advance(60_000);
    t.endSession();
    expect(t.currentSessionId).not.toBe(id);
    t.flush();
    const events = t.recentEvents().map((e) => e.event).reverse();
    expect(events.map((e) => [e.name, e.session_id === id])).toEqual([
      ['session.start', true],
      ['settings.change', true],
      ['session.end', true],
    ]);
    expect(events[2]).toMatchObject({ context: { duration_ms: 60_000 } });
  });

  it('recent events can be filtered by type, category, name and text, newest first', () => {
    const t = h.open();
    t.setConsent(allShared);
    trackOneOfEach(t);
    t.flush();
    expect(t.recentEvents({ types: ['error', 'crash'] }).map((e) => e.event.name)).toEqual(['renderer.gone', 'api.failure']);
    expect(t.recentEvents({ categories: ['performance'] }).map((e) => e.event.name)).toEqual(['api.request', 'llm.inference']);
    expect(t.recentEvents({ text: 'anthropic' }).map((e) => e.event.name)).toEqual(['llm.inference']);
    expect(t.recentEvents({ limit: 1 }).map((e) => e.event.name)).toEqual(['renderer.gone']);
  });

  it('works with settings held in memory for hosts without a settings file', () => {
    const t = TelemetryService.open({ databasePath: ':memory:', appVersion: '1', os: 'linux' }, { settings: new MemorySettings() });
    t.setConsent({ usage: 'local' });
    expect(t.trackApp('app.start').ok).toBe(true);
    t.close();
  });
});
