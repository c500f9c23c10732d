// The device clock set back an hour in the middle of a stream: every event reaches the collector
// at the time it really happened, those recorded before the change and those after.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { createCollector, type Collector } from '../../src/collector/server.js';
import { MemorySettings, TelemetryService, Uploader } from '../../src/telemetry/index.js';
import { tempDir } from '../support/service.js';

const HOUR = 3_600_000;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('events before and after a one-hour set-back inside one batch are all stored at their real time', async () => {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  const collector: Collector = await createCollector({ dbPath: join(tmp.dir, 'collector.db'), apiKeys: ['k'] });
  cleanups.push(() => collector.close());
  let offset = 0;
  const clock = { now: () => Date.now() + offset, monotonic: () => performance.now() };
  const service = TelemetryService.open({ databasePath: join(tmp.dir, 'device.db'), appVersion: '1.0.0', os: 'linux-x64' }, { settings: new MemorySettings(), clock });
  cleanups.push(() => service.close());
  service.setConsent({ usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' });

  const real: Record<string, number> = {};
  const track = (name: string) => {
    real[name] = Date.now();
    service.trackApp(name);
  };
  track('before.one');
  track('before.two');
  service.flush(); // one committed before the change...
  track('before.three'); // ...one still in the write buffer
  offset = -HOUR; // the clock is set back an hour
  track('after.one');
  track('after.two');

  const uploader = new Uploader(service, { endpoint: collector.url, apiKey: 'k', clock });
  cleanups.push(() => uploader.stop());
  await uploader.flush();
  const db = new Database(join(tmp.dir, 'collector.db'), { readonly: true });
  const rows = db.prepare('SELECT name, ts FROM events').all() as { name: string; ts: number }[];
  db.close();
  expect(rows).toHaveLength(5);
  for (const r of rows) expect(Math.abs(r.ts - real[r.name]!), r.name).toBeLessThan(60_000);
  expect(service.counters()['clock.set_back']).toBe(1);
});
