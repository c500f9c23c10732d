// What the bridge answers the dashboard when a category is off or a range holds nothing: the real
// TelemetryService and the real analysis behind the handlers, so "not collected" comes from the
// person's consent and never reads as 0.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import { createBridgeHandlers, type BridgeHandlers } from '../../src/host/bridge-handlers.js';
import type { DashboardData, RenderedReport } from '../../src/telemetry/bridge.js';
import type { TelemetryService } from '../../src/telemetry/index.js';
import { harness, type Harness } from '../support/service.js';

let h: Harness;
let t: TelemetryService;
let bridge: BridgeHandlers;

beforeEach(() => {
  h = harness();
  t = h.open();
  bridge = createBridgeHandlers({ service: t, analysis: createLocalAnalysis(t.eventStore.db), clock: h.clock });
});
afterEach(() => h.cleanup());

const dashboard = async (range = '24h') => (await bridge.call('dashboard', { range })) as DashboardData;

/** A session with API calls and memory samples; errors and crashes only if their category is on. */
function use(): void {
  t.startSession();
  for (const ms of [120, 180, 240]) t.trackNetwork('api.request', { url: 'https://api.example.com/v1', status_code: 200, duration_ms: ms, bytes_transferred: 10 });
  t.trackPerformance('memory.rss', 250e6, 'bytes');
  t.trackError('mcp.tool_failed', new Error('tool failed'));
  t.trackCrash('renderer.gone', new Error('Render process gone'), { process: 'renderer', reason: 'crashed' });
  h.clock.advance(60_000);
}

describe('the dashboard over the bridge: unknown is not zero', () => {
  it('with errors and crashes off, error rate and crash-free sessions say "not collected", in the tile and the chart', async () => {
    await bridge.call('setConsent', { usage: 'local', performance: 'local', errors: 'off', crashes: 'off' });
    use();
    const d = await dashboard();
    expect(d.tiles.errorRate).toEqual({ value: null, unknown: { reason: 'not_collected', categories: ['errors', 'crashes'], text: 'not collected: Errors and Crashes are off' } });
    expect(d.tiles.crashFreeSessions.value).toBeNull();
    expect(d.tiles.crashFreeSessions.unknown?.text).toBe('not collected: Crashes are off');
    expect(d.series.unknown.errorRate?.text).toBe('not collected: Errors and Crashes are off');
    expect(d.byVersion[0]!.errorRate.unknown?.reason).toBe('not_collected');
    // What is collected keeps its numbers.
    expect(d.tiles.sessions).toEqual({ value: 1, unknown: null });
    expect(d.tiles.apiLatency.count).toBe(3);
  });

  it('with performance off, every measure says "not collected: Performance is off"', async () => {
    await bridge.call('setConsent', { usage: 'local', performance: 'off', errors: 'local', crashes: 'local' });
    use();
    const d = await dashboard();
    for (const m of [d.tiles.apiLatency, d.tiles.memoryBytes, d.tiles.loadTime, d.tiles.llmTimeToFirstToken]) {
      expect(m).toMatchObject({ count: 0, p95: null, unknown: { reason: 'not_collected', text: 'not collected: Performance is off' } });
    }
    expect(d.series.unknown.apiLatency?.reason).toBe('not_collected');
    expect(d.tiles.errorRate.value).toBeCloseTo(2 / 3, 10); // the error and the crash of 3 events (with session.start)
  });

  it('after Delete my data, tiles, charts and the version table all say "no data in this range"', async () => {
    await bridge.call('setConsent', { usage: 'local', performance: 'local', errors: 'local', crashes: 'local' });
    use();
    expect((await dashboard()).tiles.memoryBytes.p95).not.toBeNull();
    await bridge.call('deleteMyData', undefined);
    const d = await dashboard();
    const noData = { reason: 'no_data', text: 'no data in this range' };
    expect(d.tiles.apiLatency).toEqual({ count: 0, p50: null, p95: null, p99: null, unknown: noData });
    expect(d.tiles.memoryBytes.unknown).toEqual(noData);
    expect(d.tiles.errorRate.unknown).toEqual(noData);
    expect(d.series.unknown).toEqual({ eventsByType: noData, errorRate: noData, apiLatency: noData, memoryBytes: noData });
    expect(d.series.errorRate.every((p) => p.rate === null)).toBe(true);
    expect(d.byVersion).toEqual([]);
  });

  it('the device\'s report says "not collected" for the numbers of a category that is off', async () => {
    await bridge.call('setConsent', { usage: 'local', performance: 'local', errors: 'off', crashes: 'off' });
    use();
    const r = (await bridge.call('report', { kind: 'daily' })) as RenderedReport;
    expect(r.markdown).toMatch(/\| Error rate \| not collected: Errors and Crashes are off \|/);
    expect(r.markdown).toMatch(/\| Crash-free sessions \| not collected: Crashes are off \|/);
    expect(r.markdown).not.toMatch(/\| Error rate \| 0\.00%/);
  });
});
