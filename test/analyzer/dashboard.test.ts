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
    expect(d.tiles.sessions).toEqual({ value: 3, unknown: null });
    expect(d.tiles.errorRate.value).toBeCloseTo(2 / events, 10);
    expect(d.tiles.crashFreeSessions.value).toBeCloseTo(2 / 3, 10);
    // The ended session's 10 minutes, plus the running one's 5; the crashed one's length is unknown.
    expect(d.tiles.activeTimeMs.value).toBe(15 * 60_000);
    expect(d.tiles.apiLatency.count).toBe(4);
    expect(Math.abs(d.tiles.apiLatency.p50! - 200) / 200).toBeLessThan(0.02);
    expect(Math.abs(d.tiles.apiLatency.p95! - 400) / 400).toBeLessThan(0.02);
    expect(d.tiles.memoryBytes.count).toBe(2);
    expect(d.tiles.syncTime).toEqual({ count: 0, p50: null, p95: null, p99: null, unknown: { reason: 'no_data', text: 'no data in this range' } });
    expect(d.topFeatures).toEqual([
      { name: 'chat', uses: 2, timeSpentSeconds: 40 },
      { name: 'tool_picker', uses: 1, timeSpentSeconds: 5 },
    ]);
    const row = (r: (typeof d.byVersion)[number]) => ({ version: r.version, events: r.events, sessions: r.sessions.value, errors: r.errors.value, crashes: r.crashes.value, errorRate: r.errorRate.value, crashFreeSessions: r.crashFreeSessions.value });
    expect(d.byVersion.map(row)).toEqual([
      { version: '1.5.0', events: 2, sessions: 1, errors: 0, crashes: 0, errorRate: 0, crashFreeSessions: 1 },
      { version: '1.4.0', events: events - 2, sessions: 2, errors: 1, crashes: 1, errorRate: 2 / (events - 2), crashFreeSessions: 0.5 },
    ]);
    // Memory p95 of each version, with the change against the one before: too few sessions and
    // measurements for the gate's test, so it is not marked significant.
    expect(d.byVersion[0]!.memoryP95.change).toMatchObject({ against: '1.4.0', unit: 'relative', significant: false, worse: true });
    expect(d.byVersion[0]!.memoryP95.change!.delta).toBeCloseTo(0.5, 1);
    expect(d.byVersion[1]!.memoryP95.change).toBeNull();
    expect(d.byVersion[0]!.apiLatencyP95).toEqual({ value: null, unknown: { reason: 'no_data', text: 'no data in this range' }, change: null });
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
    expect(d.tiles.sessions.value).toBe(1);
    expect(d.tiles.errorRate).toEqual({ value: 0, unknown: null });
    expect(d.tiles.crashFreeSessions.value).toBe(1);
    expect(d.tiles.activeTimeMs.value).toBe(5 * 60_000);
    expect(d.tiles.apiLatency.count).toBe(0);
    expect(d.tiles.memoryBytes.count).toBe(1);
    expect(d.topFeatures).toEqual([]);
    expect(d.byVersion.map((v) => v.version)).toEqual(['1.5.0', '1.4.0']);
  });

  it('says the range is empty when nothing was recorded: "no data in this range" rather than zeros, in tiles and charts alike', () => {
    const d = createLocalAnalysis(t.eventStore.db).dashboard({ range: '24h', now: h.clock.now() });
    expect(d.empty).toBe(true);
    const noData = { value: null, unknown: { reason: 'no_data', text: 'no data in this range' } };
    expect(d.tiles.errorRate).toEqual(noData);
    expect(d.tiles.crashFreeSessions).toEqual(noData);
    expect(d.tiles.activeTimeMs).toEqual(noData);
    expect(d.tiles.memoryBytes.unknown).toEqual(noData.unknown);
    expect(d.series.unknown).toEqual({ eventsByType: noData.unknown, errorRate: noData.unknown, apiLatency: noData.unknown, memoryBytes: noData.unknown });
    expect(d.versions).toEqual([]);
  });

  it('says "not collected" for what needs a category that is off, and keeps the numbers of the others', () => {
    record();
    const d = createLocalAnalysis(t.eventStore.db).dashboard({ range: '24h', now: h.clock.now(), notCollected: ['errors', 'crashes'] });
    const off = { value: null, unknown: { reason: 'not_collected', categories: ['errors', 'crashes'], text: 'not collected: Errors and Crashes are off' } };
    expect(d.notCollected).toEqual(['errors', 'crashes']);
    expect(d.tiles.errorRate).toEqual(off);
    expect(d.tiles.crashFreeSessions).toEqual({ value: null, unknown: { reason: 'not_collected', categories: ['crashes'], text: 'not collected: Crashes are off' } });
    expect(d.series.unknown.errorRate).toEqual(off.unknown);
    expect(d.series.errorRate.every((p) => p.rate === null)).toBe(true);
    expect(d.byVersion[1]!.errors).toEqual({ value: null, unknown: { reason: 'not_collected', categories: ['errors'], text: 'not collected: Errors are off' } });
    expect(d.tiles.sessions.value).toBe(3);
    expect(d.tiles.memoryBytes.unknown).toBeNull();
  });

  it('forgets feature use when usage consent is withdrawn', () => {
    record();
    t.setConsent({ usage: 'off' });
    const d = createLocalAnalysis(t.eventStore.db).dashboard({ range: '24h', now: h.clock.now() });
    expect(d.topFeatures).toEqual([]);
    expect(d.tiles.sessions).toEqual({ value: 0, unknown: null });
  });
});
