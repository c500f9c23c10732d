import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from '../../../test/support/service.js';
import { UploadQueue } from './queue.js';
import { buildBatch } from './request.js';
import { MAX_BATCH_BYTES } from './policy.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

const health = { queue_depth: 0, dropped: {}, evicted: {} };

function decode(body: Buffer): { common: Record<string, unknown>; events: Record<string, unknown>[]; sent_at: string } {
  return JSON.parse(gunzipSync(body).toString('utf8')) as never;
}

describe('a batch on the wire', () => {
  it('carries every event exactly as stored once `common` is merged back, for every event type', () => {
    const t = h.open({ scrub: { homeDirs: ['/home/alice'] } });
    t.setConsent({ usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' });
    t.trackApp('app.start');
    t.trackApp('window.focus', { window: 'main', label: 'quote " and \\ backslash' });
    t.trackFeature('feature.use', { feature_id: 'tool_picker', duration_seconds: 1.5, interaction_count: 2 });
    t.trackPerformance('llm.inference', 1234.5, 'ms', { provider: 'anthropic' });
    t.trackNetwork('api.request', { url: 'https://api.example.com/v1?q=1', status_code: 200, duration_ms: 10, bytes_transferred: 99 });
    t.trackError('api.failure', Object.assign(new Error('boom\nline two'), { code: 'E_BOOM' }));
    t.trackCrash('renderer.gone', new Error('gone'), { process: 'renderer', reason: 'oom' });
    t.flush();
    const pending = new UploadQueue(t.eventStore).pending(500);
    const { common, events } = decode(buildBatch(pending, health, h.clock.now()).body);
    const stored = [...t.eventStore.allEvents()].map((s) => s.event);
    expect(events.map((e) => ({ ...common, ...e }))).toEqual(stored);
    expect(stored).toHaveLength(7);
    // Hoisted: sent once, not per event.
    expect(Object.keys(events[0]!)).not.toContain('device_id');
  });

  it('stops before 512 KB of JSON, and still sends one event that is larger on its own', () => {
    const t = h.open();
    t.setConsent({ errors: 'shared' });
    const big = new Error('x'.repeat(1000));
    big.stack = `Error: x\n${'    at frame (/app/src/f.ts:1:1)\n'.repeat(250)}`;
    for (let i = 0; i < 200; i++) t.trackError('big.failure', big);
    t.flush();
    const pending = new UploadQueue(t.eventStore).pending(500);
    const batch = buildBatch(pending, health, h.clock.now());
    expect(batch.rawBytes).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(batch.events.length).toBeGreaterThan(1);
    expect(batch.events.length).toBeLessThan(200);
    expect(decode(batch.body).events).toHaveLength(batch.events.length);
  });
});
