// createTelemetry: one config, one object; what an app developer does on the first try works.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCollector, type Collector } from '../../src/collector/server.js';
import { createTelemetry, MemorySettings, TelemetryConfigError, type HttpTransport, type Telemetry } from '../../src/telemetry/index.js';
import { ManualClock, ManualTimers, tempDir } from '../support/service.js';

const KEY = 'create-telemetry-key';
const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

async function collector(d: string): Promise<Collector> {
  const c = await createCollector({ dbPath: join(d, 'collector.db'), apiKeys: [KEY] });
  cleanups.push(() => c.close());
  return c;
}

function stored(d: string): { name: string; event_type: string }[] {
  const db = new Database(join(d, 'collector.db'), { readonly: true });
  try {
    return db.prepare('SELECT name, event_type FROM events ORDER BY seq').all() as never;
  } finally {
    db.close();
  }
}

describe('createTelemetry', () => {
  it('one config; track, then drain delivers everything shared to the collector and says so', async () => {
    const d = dir();
    const c = await collector(d);
    const t = createTelemetry({ databasePath: join(d, 'telemetry.db'), appVersion: '2.0.0', os: 'linux-x64', endpoint: c.url, apiKey: KEY, captureCrashes: false });
    cleanups.push(() => t.shutdown(100));
    t.setConsent(ALL_SHARED);
    t.trackApp('app.start');
    t.trackFeature('feature.used', { feature_id: 'chat', duration_seconds: 3, interaction_count: 2, context: { model: 'claude-sonnet-4' } });
    t.trackError('tool.failed', new Error('boom'));
    const left = await t.drain(Date.now() + 10_000);
    expect(left).toMatchObject({ delivered: true, pending: 0, pendingDeletions: 0 });
    expect(stored(d).map((e) => e.name)).toEqual(['app.start', 'feature.used', 'tool.failed']);
  });

  it('shutdown delivers what is pending within its budget, closes the store, and later calls are refused without throwing', async () => {
    const d = dir();
    const c = await collector(d);
    const t = createTelemetry({ databasePath: join(d, 'telemetry.db'), appVersion: '2.0.0', os: 'linux-x64', endpoint: c.url, apiKey: KEY, captureCrashes: false });
    t.setConsent(ALL_SHARED);
    for (let i = 0; i < 50; i++) t.trackApp('tool.call', { i });
    expect(await t.shutdown(5000)).toMatchObject({ delivered: true, pending: 0 });
    expect(stored(d)).toHaveLength(50);
    expect(t.trackApp('after.close')).toEqual({ ok: false, reason: 'closed' });
    await expect(t.flush()).resolves.toBeUndefined();
  });

  it('drain with the collector down returns at the deadline with what is left, and why', async () => {
    const d = dir();
    const clock = new ManualClock();
    let t: Telemetry | null = null;
    const timers = new ManualTimers(clock, () => t?.syncStatus()?.inFlight === true);
    let posts = 0;
    const down: HttpTransport = {
      post: async () => {
        posts++;
        return { status: 503, headers: {}, body: '' };
      },
    };
    t = createTelemetry(
      { databasePath: join(d, 'telemetry.db'), appVersion: '2.0.0', os: 'linux-x64', endpoint: 'https://telemetry.example.com', apiKey: KEY, captureCrashes: false },
      { settings: new MemorySettings(), clock, timers, transport: down },
    );
    const tel = t;
    cleanups.push(() => tel.shutdown(0));
    t.setConsent(ALL_SHARED);
    for (let i = 0; i < 10; i++) t.trackApp('tool.call');
    const result = t.drain(clock.now() + 60_000);
    await timers.advance(61_000);
    expect(await result).toMatchObject({ delivered: false, pending: 10, lastError: 'HTTP 503' });
    expect(posts).toBeGreaterThanOrEqual(3);
  });

  it('without an endpoint it keeps everything on the device and says why nothing is delivered', async () => {
    const d = dir();
    const t = createTelemetry({ databasePath: join(d, 'telemetry.db'), appVersion: '2.0.0', os: 'linux-x64', captureCrashes: false });
    cleanups.push(() => t.shutdown(0));
    t.setConsent(ALL_SHARED);
    t.trackApp('app.start');
    expect(await t.drain(Date.now())).toMatchObject({ delivered: false, pending: 1, waiting: 'no_endpoint' });
    expect(t.syncStatus()).toBeNull();
  });

  it.each([
    ['an endpoint without an API key', { endpoint: 'https://t.example.com' }, /needs an `apiKey`/],
    ['an API key without an endpoint', { apiKey: 'k' }, /without an `endpoint`/],
    ['plain http to a remote host', { endpoint: 'http://t.example.com', apiKey: 'k' }, /must use https/],
    ['a relative database path', { databasePath: 'telemetry.db' }, /databasePath/],
    ['an unknown option', { endpiont: 'https://t.example.com' }, /endpiont/],
  ])('refuses %s with a clear TelemetryConfigError, before anything is written', (_, override, message) => {
    const d = dir();
    const make = () => createTelemetry({ databasePath: join(d, 'telemetry.db'), appVersion: '2.0.0', os: 'linux-x64', captureCrashes: false, ...override } as never);
    expect(make).toThrow(TelemetryConfigError);
    expect(make).toThrow(message);
    expect(existsSync(join(d, 'telemetry.db'))).toBe(false);
  });

  it('records an uncaught exception as a crash, synchronously, by default', async () => {
    const d = dir();
    const t: Telemetry = createTelemetry({ databasePath: join(d, 'telemetry.db'), appVersion: '2.0.0', os: 'linux-x64', processName: 'main' });
    cleanups.push(() => t.shutdown(0));
    t.setConsent(ALL_SHARED);
    (process.emit as (event: string, ...args: unknown[]) => boolean)('uncaughtExceptionMonitor', new Error('kaboom'), 'uncaughtException');
    const db = new Database(join(d, 'telemetry.db'), { readonly: true });
    const rows = db.prepare("SELECT name, payload FROM events WHERE event_type = 'crash'").all() as { payload: string }[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.payload)).toMatchObject({ process: 'main', reason: 'uncaught_exception' });
  });
});

describe('experiments', () => {
  it('a person stays in one variant until the ids rotate, and an exposure is a usage event under its consent', () => {
    const d = dir();
    const t = createTelemetry({ databasePath: join(d, 'telemetry.db'), appVersion: '2.0.0', os: 'linux-x64', captureCrashes: false });
    cleanups.push(() => t.shutdown(0));
    const variants = ['control', 'tour'];
    const first = t.assignVariant('onboarding_tour', variants);
    expect(Array.from({ length: 5 }, () => t.assignVariant('onboarding_tour', variants))).toEqual(Array(5).fill(first));
    expect(t.trackExposure('onboarding_tour', first)).toEqual({ ok: false, reason: 'consent_off' });
    t.setConsent({ usage: 'local' });
    expect(t.trackExposure('onboarding_tour', first)).toMatchObject({ ok: true });
    expect(t.trackExposure('onboarding tour!', first)).toEqual({ ok: false, reason: 'invalid_fields' });
  });
});
