// The in-app dashboard's anomalies: the reports' streaming watcher on the device's own hourly
// rollups. An hour with a burst of errors injected into a device store appears among them, saying
// what, since when and how sure; a store without it shows none, and a category that is off is not
// watched.
import { describe, expect, it } from 'vitest';
import { computeDashboard } from '../../src/analyzer/dashboard.js';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import type { Db } from '../../src/analyzer/store.js';
import { METRIC } from '../../src/telemetry/event/metric-names.js';
import { Rng } from './support/rng.js';
import { openStore, StoreWriter } from './support/store.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const DAYS = 16;

/** One person's device: a working day (09:00-17:00 UTC) of use every day, ~60 events an hour, one
 *  error in ~100 events; optionally 40 extra errors in the hour starting at `burstAt`. */
function deviceStore(burstAt: number | null): Db {
  const db = openStore('device');
  const w = new StoreWriter(db, 'device');
  const rng = new Rng(7);
  const base = { user: 'u1', device: 'd1', version: '1.6.0', os: 'darwin-arm64' };
  for (let d = DAYS; d >= 0; d--) {
    const day = NOW - (NOW % (24 * HOUR)) - d * 24 * HOUR;
    const session = `s${d}`;
    const start = day + 9 * HOUR;
    const end = Math.min(day + 17 * HOUR, NOW - 1);
    if (start >= end) continue;
    w.add({ ...base, session, ts: start, type: 'app', name: METRIC.sessionStart, fields: {} });
    for (let t = start + 60_000; t < end; t += 60_000) {
      if (rng.next() < 0.01) w.add({ ...base, session, ts: t, type: 'error', name: 'mcp.tool_failed', fields: { error_message: 'tool failed', error_code: 'E_TOOL' } });
      else w.add({ ...base, session, ts: t, type: 'network', name: METRIC.apiRequest, fields: { url: 'https://api.example.com/v1', status_code: 200, duration_ms: rng.lognormal(300, 0.3), bytes_transferred: 100 } });
    }
    if (end < NOW - 1) w.add({ ...base, session, ts: end, type: 'app', name: METRIC.sessionEnd, fields: { context: { duration_ms: end - start } } });
  }
  if (burstAt !== null) for (let i = 0; i < 40; i++) w.add({ ...base, session: 's0', ts: burstAt + i * 60_000, type: 'error', name: 'mcp.tool_failed', fields: { error_message: 'tool failed', error_code: 'E_TOOL' } });
  w.flush();
  return db;
}

describe('dashboard anomalies on the device', () => {
  const burst = NOW - (NOW % HOUR) - 2 * HOUR; // 10:00 today
  const on = { range: '24h' as const, now: NOW };

  it('an injected burst of errors appears among the dashboard\'s anomalies, with what, since when and how sure', () => {
    const d = createLocalAnalysis(deviceStore(burst)).dashboard(on);
    const mine = d.anomalies.filter((a) => a.at === burst);
    expect(mine.map((a) => a.what)).toContain('Error rate: spike');
    const a = mine.find((x) => x.what === 'Error rate: spike')!;
    expect(a.where).toBe('this device');
    expect(a.since).toBe('2026-11-28 10:00 UTC');
    expect(a.value).toMatch(/^\d+\.\d\d%$/);
    expect(Number(a.value.slice(0, -1))).toBeGreaterThan(30);
    expect(a.howSure).toMatch(/^about 1 in 10\^\d+\.\d$/);
    expect(a.explanation).toMatch(/^the error rate \(errors and crashes \/ events, this device\) was /);
  });

  it('a device without the burst shows no anomaly, and with errors off the burst is not watched', () => {
    expect(createLocalAnalysis(deviceStore(null)).dashboard(on).anomalies).toEqual([]);
    const off = createLocalAnalysis(deviceStore(burst)).dashboard({ ...on, notCollected: ['errors'] });
    expect(off.anomalies.filter((a) => a.what.startsWith('Error rate'))).toEqual([]);
  });

  it('the version filter watches that version\'s series and says so', () => {
    const d = createLocalAnalysis(deviceStore(burst)).dashboard({ ...on, appVersion: '1.6.0' });
    expect(d.anomalies.find((a) => a.at === burst && a.what === 'Error rate: spike')?.where).toBe('this device, 1.6.0');
  });
});

describe('a polled dashboard keeps its watchers', () => {
  const errorsAt = (db: Db, at: number, n: number, prefix: string) => {
    const w = new StoreWriter(db, 'device', prefix);
    for (let i = 0; i < n; i++) w.add({ ts: at + i * 30_000, type: 'error', name: 'mcp.tool_failed', session: 's0', user: 'u1', device: 'd1', version: '1.6.0', os: 'darwin-arm64', fields: { error_message: 'tool failed', error_code: 'E_TOOL' } });
    w.flush();
  };
  const shown = (d: { anomalies: { at: number; what: string }[] }) => d.anomalies.map((a) => [a.at, a.what]);

  it('a burst in a later hour appears once that hour is complete, the same as a fresh computation', () => {
    const db = deviceStore(null);
    const analysis = createLocalAnalysis(db);
    expect(analysis.dashboard({ range: '24h', now: NOW }).anomalies).toEqual([]);
    const later = NOW + 2 * HOUR;
    errorsAt(db, NOW + 30 * 60_000, 40, 'late-');
    // The hour of the burst is still in progress: not judged yet.
    expect(analysis.dashboard({ range: '24h', now: NOW + 45 * 60_000 }).anomalies).toEqual([]);
    const polled = analysis.dashboard({ range: '24h', now: later });
    expect(shown(polled)).toContainEqual([NOW, 'Error rate: spike']);
    expect(shown(polled)).toEqual(shown(computeDashboard(new RollupReader(db), { range: '24h', now: later })));
  });

  it('when the hours it learned from change, it starts over and agrees with a fresh computation', () => {
    const db = deviceStore(null);
    const analysis = createLocalAnalysis(db);
    expect(analysis.dashboard({ range: '24h', now: NOW }).anomalies).toEqual([]);
    const burst = NOW - 3 * HOUR;
    errorsAt(db, burst, 40, 'past-');
    const polled = analysis.dashboard({ range: '24h', now: NOW });
    expect(shown(polled)).toContainEqual([burst, 'Error rate: spike']);
    expect(shown(polled)).toEqual(shown(computeDashboard(new RollupReader(db), { range: '24h', now: NOW })));
  });
});
