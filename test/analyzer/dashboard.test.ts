// The dashboard's numbers on a small dataset recorded through the real TelemetryService, where
// every expected value can be counted by hand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import type { TelemetryService } from '../../src/telemetry/index.js';
import { harness, type Harness } from '../support/service.js';

const HOUR = 3_600_000;
let h: Harness;
let t: TelemetryService;

beforeEach(() => {
  h = harness();
  t = h.open();
  t.setConsent({ usage: 'local', performance: 'local', errors: 'local', crashes: 'local' });
});
afterEach(() => h.cleanup());

/** Two sessions on 1.4.0 (one crashes), then one on 1.5.0 running now. */
function record(): void {
  t.startSession();
  for (const ms of [100, 200, 300, 400]) t.trackNetwork('api.request', { url: 'https://api.example.com/v1', status_code: 200, duration_ms: ms, bytes_transferred: 10 });
  t.trackFeature('feature.use', { feature_id: 'chat', duration_seconds: 30, interaction_count: 3 });
  t.trackFeature('feature.use', { feature_id: 'chat', duration_seconds: 10, interaction_count: 1 });
  t.trackFeature('feature.use', { feature_id: 'tool_picker', duration_seconds: 5, interaction_count: 2 });
  t.trackError('mcp.tool_failed', new Error('tool failed'));
  h.clock.advance(10 * 60_000);
  t.endSession(); // 10 minutes
  t.startSession();
  t.trackPerformance('memory.rss', 200e6, 'bytes');
  t.trackCrash('renderer.gone', new Error('Render process gone'), { process: 'renderer', reason: 'oom' });
  t.flush();
  t.close();
  h.clock.advance(HOUR);
  t = h.open({ appVersion: '1.5.0' });
  t.startSession();
  t.trackPerformance('memory.rss', 300e6, 'bytes');
  h.clock.advance(5 * 60_000);
  t.flush();
}

describe('dashboard()', () => {
  it('counts sessions, active time, error rate and crash-free sessions over the last 24 hours', () => {
    record();
    const d = createLocalAnalysis(t.eventStore.db).dashboard({ range: '24h', now: h.clock.now() });
    // 3 session starts, 1 session end, 4 network, 3 feature, 1 error, 2 memory, 1 crash.
    const events = 3 + 1 + 4 + 3 + 1 + 2 + 1;
    expect(d.empty).toBe(false);
    expect(d.versions).toEqual(['1.5.0', '1.4.0']);
    expect(d.tiles.sessions).toBe(3);
    expect(d.tiles.errorRate).toBeCloseTo(2 / events, 10);
    expect(d.tiles.crashFreeSessions).toBeCloseTo(2 / 3, 10);
    // The ended session's 10 minutes, plus the running one's 5; the crashed one's length is unknown.
    expect(d.tiles.activeTimeMs).toBe(15 * 60_000);
    expect(d.tiles.apiLatency.count).toBe(4);
    expect(Math.abs(d.tiles.apiLatency.p50! - 200) / 200).toBeLessThan(0.02);
    expect(Math.abs(d.tiles.apiLatency.p95! - 400) / 400).toBeLessThan(0.02);
    expect(d.tiles.memoryBytes.count).toBe(2);
    expect(d.tiles.syncTime).toEqual({ count: 0, p50: null, p95: null, p99: null });
    expect(d.topFeatures).toEqual([
      { name: 'chat', uses: 2, timeSpentSeconds: 40 },
      { name: 'tool_picker', uses: 1, timeSpentSeconds: 5 },
    ]);
    expect(d.byVersion).toEqual([
      { version: '1.5.0', events: 2, sessions: 1, errors: 0, crashes: 0, errorRate: 0, crashFreeSessions: 1 },
      { version: '1.4.0', events: events - 2, sessions: 2, errors: 1, crashes: 1, errorRate: 2 / (events - 2), crashFreeSessions: 0.5 },
    ]);
  });

  it('draws hourly points for 24 hours and daily points for 30 days, with every event counted once', () => {
    record();
    const analysis = createLocalAnalysis(t.eventStore.db);
    for (const range of ['1h', '24h', '7d', '30d'] as const) {
      const d = analysis.dashboard({ range, now: h.clock.now() });
      expect(d.bucketMs).toBe(range === '30d' ? 24 * HOUR : HOUR);
      const total = d.series.eventsByType.reduce((a, p) => a + Object.values(p.counts).reduce((x, y) => x + y, 0), 0);
      expect(total).toBe(15);
      expect(d.series.errorRate.length).toBe(d.series.eventsByType.length);
      for (const p of d.series.eventsByType) expect(p.t % d.bucketMs).toBe(0);
    }
    expect(analysis.dashboard({ range: '24h', now: h.clock.now() }).series.eventsByType).toHaveLength(25);
  });

  it('narrows tiles, series and features to one version while the version table keeps all of them', () => {
    record();
    const d = createLocalAnalysis(t.eventStore.db).dashboard({ range: '7d', appVersion: '1.5.0', now: h.clock.now() });
    expect(d.appVersion).toBe('1.5.0');
    expect(d.tiles.sessions).toBe(1);
    expect(d.tiles.errorRate).toBe(0);
    expect(d.tiles.crashFreeSessions).toBe(1);
    expect(d.tiles.activeTimeMs).toBe(5 * 60_000);
    expect(d.tiles.apiLatency.count).toBe(0);
    expect(d.tiles.memoryBytes.count).toBe(1);
    expect(d.topFeatures).toEqual([]);
    expect(d.byVersion.map((v) => v.version)).toEqual(['1.5.0', '1.4.0']);
  });

  it('says the range is empty when nothing was recorded, with null rates rather than zeros', () => {
    const d = createLocalAnalysis(t.eventStore.db).dashboard({ range: '24h', now: h.clock.now() });
    expect(d.empty).toBe(true);
    expect(d.tiles.errorRate).toBeNull();
    expect(d.tiles.crashFreeSessions).toBeNull();
    expect(d.versions).toEqual([]);
  });

  it('forgets feature use when usage consent is withdrawn', () => {
    record();
    t.setConsent({ usage: 'off' });
    const d = createLocalAnalysis(t.eventStore.db).dashboard({ range: '24h', now: h.clock.now() });
    expect(d.topFeatures).toEqual([]);
    expect(d.tiles.sessions).toBe(0);
  });
});
