// A real collector on 127.0.0.1, a fault proxy in front of it, and a real device (service +
// uploader on a real SQLite file) sending through the proxy.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, vi } from 'vitest';
import { createCollector, type Collector } from '../../src/collector/server.js';
import { ManualNetworkState, Uploader, type TelemetryService, type UploaderOptions } from '../../src/telemetry/index.js';
import { FaultProxy } from './fault-proxy.js';
import { harness, type Harness } from './service.js';

export const API_KEY = 'test-key-7f3a';
export const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;

export interface SyncRig {
  device: Harness;
  service: TelemetryService;
  uploader: Uploader;
  network: ManualNetworkState;
  proxy: FaultProxy;
  collector: Collector;
  collectorDb: string;
  /** Replaces the collector with a new one on the same database (after a kill or a restart). */
  setCollectorUrl(url: string): void;
  /** What the collector holds: id, seq and device of every stored event. */
  stored(): { id: string; seq: number; device_id: string; event_type: string }[];
  close(): Promise<void>;
}

export async function syncRig(options: Partial<UploaderOptions> = {}, consent: Parameters<TelemetryService['setConsent']>[0] = ALL_SHARED): Promise<SyncRig> {
  const device = harness();
  // The device's clock must be real here: the collector checks timestamps against its own clock.
  device.clock.t = Date.now();
  const service = device.open({ flushIntervalMs: 20 });
  service.setConsent(consent);
  const collectorDb = join(device.dir, 'collector.db');
  const collector = await createCollector({ dbPath: collectorDb, apiKeys: [API_KEY] });
  let target = collector.url;
  const proxy = new FaultProxy(() => target);
  await proxy.start();
  const network = new ManualNetworkState(true);
  const uploader = new Uploader(service, {
    endpoint: proxy.url,
    apiKey: API_KEY,
    network,
    // Tiny backoff, so a fault costs milliseconds; Retry-After is still honoured in full.
    random: () => 0.01,
    requestTimeoutMs: 2000,
    uploadIntervalMs: 50,
    ...options,
  });
  return {
    device,
    service,
    uploader,
    network,
    proxy,
    collector,
    collectorDb,
    setCollectorUrl: (url) => {
      target = url;
    },
    stored() {
      const db = new Database(collectorDb, { readonly: true, fileMustExist: true });
      try {
        return db.prepare('SELECT id, seq, device_id, event_type FROM events ORDER BY seq').all() as never;
      } finally {
        db.close();
      }
    },
    async close() {
      uploader.stop();
      await proxy.stop();
      await collector.close().catch(() => {});
      device.cleanup();
    },
  };
}

/** Tracks a realistic mix of n events of every type; returns the ids of those accepted. */
export function trackMix(service: TelemetryService, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    let r;
    switch (i % 6) {
      case 0: r = service.trackPerformance('llm.inference', 100 + i, 'ms', { provider: 'anthropic', model: 'claude-sonnet-4' }); break;
      case 1: r = service.trackFeature('feature.use', { feature_id: 'tool_picker', duration_seconds: i % 30, interaction_count: 2 }); break;
      case 2: r = service.trackNetwork('api.request', { url: `https://api.example.com/v1/items/${i}?token=abc`, status_code: 200, duration_ms: 40, bytes_transferred: 900 }); break;
      case 3: r = service.trackApp('window.focus', { window: 'main' }); break;
      case 4: r = service.trackError('mcp.tool_failed', new Error(`tool failed ${i}`)); break;
      default: r = service.trackCrash('renderer.gone', new Error('gone'), { process: 'renderer', reason: 'crashed' });
    }
    if (r.ok) ids.push(r.id);
  }
  service.flush();
  return ids;
}

/** Waits until the device has nothing pending, then checks the collector holds exactly `ids`:
 *  none lost, none twice, seq without gaps. */
export async function expectExactlyDelivered(rig: SyncRig, ids: readonly string[], timeoutMs = 20_000): Promise<void> {
  await vi.waitFor(() => expect(rig.service.health().queue.pending).toBe(0), { timeout: timeoutMs, interval: 25 });
  const stored = rig.stored();
  const storedIds = stored.map((s) => s.id);
  expect(new Set(storedIds).size, 'duplicates at the collector').toBe(storedIds.length);
  expect([...storedIds].sort(), 'the collector holds exactly the tracked shared events').toEqual([...ids].sort());
  const seqs = stored.map((s) => s.seq);
  expect(seqs, 'seq without gaps').toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
}
