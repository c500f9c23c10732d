// Percentiles read by the analyzer from hourly rollups, merged over hours and versions, against the
// exact percentiles of the raw values: within 2% (the histogram's bound is 1%).
import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../src/analyzer/compare.js';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import { windowOf } from '../../src/analyzer/time.js';
import { METRIC } from '../../src/telemetry/event/metric-names.js';
import { HOUR } from './support/fleet.js';
import { Rng } from './support/rng.js';
import { openStore, StoreWriter } from './support/store.js';

/** Nearest rank, as the histogram defines its quantiles. */
const exact = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
const relErr = (got: number | null, want: number) => Math.abs(got! - want) / want;

const NOW = Date.UTC(2026, 10, 28, 12);

function store(seed: number) {
  const rng = new Rng(seed);
  const db = openStore('device');
  const w = new StoreWriter(db, 'device');
  const values: Record<string, number[]> = { '1.0.0': [], '1.1.0': [] };
  // 20,000 API latencies over 6 days, two versions, two shapes (one with a long tail), so the
  // histograms of ~150 hours and both versions must merge.
  for (let i = 0; i < 20_000; i++) {
    const version = i % 3 === 0 ? '1.1.0' : '1.0.0';
    const v = version === '1.0.0' ? rng.lognormal(250, 0.6) : rng.lognormal(400, 1.1);
    values[version]!.push(v);
    w.add({ ts: NOW - Math.floor(rng.next() * 6 * 24 * HOUR), type: 'network', name: METRIC.apiRequest, session: 's', user: 'u', device: 'd', version, os: 'linux-x64', fields: { url: 'https://x', status_code: 200, duration_ms: v, bytes_transferred: 1 } });
  }
  w.flush();
  return { db, values };
}

describe('percentiles from rollups', () => {
  it('the dashboard p50/p95/p99 over a week are within 2% of the exact ones, for all versions and for one', () => {
    const { db, values } = store(11);
    const analysis = createLocalAnalysis(db);
    const all = [...values['1.0.0']!, ...values['1.1.0']!].sort((a, b) => a - b);
    const d = analysis.dashboard({ range: '7d', now: NOW });
    expect(d.tiles.apiLatency.count).toBe(all.length);
    expect(relErr(d.tiles.apiLatency.p50, exact(all, 0.5))).toBeLessThanOrEqual(0.02);
    expect(relErr(d.tiles.apiLatency.p95, exact(all, 0.95))).toBeLessThanOrEqual(0.02);
    expect(relErr(d.tiles.apiLatency.p99, exact(all, 0.99))).toBeLessThanOrEqual(0.02);
    const one = [...values['1.1.0']!].sort((a, b) => a - b);
    const v = analysis.dashboard({ range: '7d', now: NOW, appVersion: '1.1.0' });
    expect(relErr(v.tiles.apiLatency.p95, exact(one, 0.95))).toBeLessThanOrEqual(0.02);
  });

  it('the release comparison reads each version percentiles within 2% too', () => {
    const { db, values } = store(12);
    const c = compareVersions(new RollupReader(db), windowOf(NOW - 7 * 24 * HOUR, NOW + 1), '1.0.0', '1.1.0');
    const api = c.percentiles.find((p) => p.key === 'apiLatency')!;
    for (const [side, version] of [['baseline', '1.0.0'], ['candidate', '1.1.0']] as const) {
      const sorted = [...values[version]!].sort((a, b) => a - b);
      for (const q of ['p50', 'p95', 'p99'] as const) {
        expect(relErr(api[side][q], exact(sorted, Number(q.slice(1)) / 100))).toBeLessThanOrEqual(0.02);
      }
    }
  });

  it('each hourly point of the series is within 2% of that hour exact p95', () => {
    const { db } = store(13);
    const d = createLocalAnalysis(db).dashboard({ range: '24h', now: NOW });
    const raw = db.prepare("SELECT ts, json_extract(payload, '$.duration_ms') AS v FROM events WHERE ts >= ?").all(d.from) as { ts: number; v: number }[];
    for (const p of d.series.apiLatency) {
      const hour = raw.filter((r) => r.ts >= p.t && r.ts < p.t + HOUR).map((r) => r.v).sort((a, b) => a - b);
      if (hour.length === 0) expect(p.p95).toBeNull();
      else expect(relErr(p.p95, exact(hour, 0.95))).toBeLessThanOrEqual(0.02);
    }
  });
});
