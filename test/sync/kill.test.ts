// Processes killed without warning, on either side of the wire.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it, vi } from 'vitest';
import { startTs, type Child } from '../support/processes.js';
import { API_KEY, expectExactlyDelivered, syncRig, trackMix, type SyncRig } from '../support/sync.js';

const root = join(import.meta.dirname, '../..');
let rig: SyncRig;
const children: Child[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) await c.kill();
  await rig?.close();
});

function startCollector(dbPath: string): Child {
  const c = startTs(join(root, 'src/collector/cli.ts'), ['--port', '0', '--db', dbPath, '--api-key', API_KEY]);
  children.push(c);
  return c;
}

it('the collector killed with SIGKILL mid-batch and restarted: every event stored once', async () => {
  rig = await syncRig();
  await rig.collector.close();
  let collector = startCollector(rig.collectorDb);
  rig.setCollectorUrl((await collector.waitFor(/collector listening on (\S+)/))[1]!);
  const ids = trackMix(rig.service, 30_000);
  rig.uploader.start();
  await vi.waitFor(() => expect(rig.stored().length).toBeGreaterThan(2000), { timeout: 20_000, interval: 10 });
  // The next batch reaches the collector half sent; the kill lands while it is reading it.
  const midBatch = rig.proxy.halfForwarded();
  rig.proxy.inject({ kind: 'half_forward', count: 1 });
  await midBatch;
  await collector.kill('SIGKILL');
  expect(rig.stored().length).toBeLessThan(30_000);
  collector = startCollector(rig.collectorDb);
  rig.setCollectorUrl((await collector.waitFor(/collector listening on (\S+)/))[1]!);
  await expectExactlyDelivered(rig, ids, 60_000);
});

it('the client killed with SIGKILL mid-upload and restarted: every event stored once', async () => {
  rig = await syncRig();
  const dbPath = join(rig.device.dir, 'client.db');
  // The collector stores the first batch, but the answer never comes before the kill.
  rig.proxy.inject({ kind: 'slow', delayMs: 5000, count: 1 });
  const client = startTs(join(import.meta.dirname, 'child-client.ts'), ['track', dbPath, rig.device.dir, rig.proxy.url, API_KEY, '3000']);
  children.push(client);
  await client.waitFor(/tracked/);
  await vi.waitFor(() => expect(rig.stored().length).toBeGreaterThan(0), { timeout: 10_000, interval: 10 });
  await client.kill('SIGKILL');
  const restarted = startTs(join(import.meta.dirname, 'child-client.ts'), ['drain', dbPath, rig.device.dir, rig.proxy.url, API_KEY]);
  children.push(restarted);
  await restarted.waitFor(/drained/, 30_000);

  const db = new Database(dbPath, { readonly: true });
  const tracked = (db.prepare('SELECT id FROM events').pluck().all() as string[]).sort();
  db.close();
  expect(tracked).toHaveLength(3000);
  const stored = rig.stored();
  expect(stored.map((s) => s.id).sort()).toEqual(tracked);
  expect(stored.map((s) => s.seq)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
});
