// How long the dashboard takes over a device database of 1,000,000 events (issue 5's target:
// <= 50 ms p95). Not a test (timings do not belong in tests): run by hand,
//   node_modules/.bin/tsx test/analyzer/dashboard-1m.bench.ts [path-of-a-db-to-reuse]
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import { TIME_RANGES } from '../../src/telemetry/bridge.js';
import { generateFleet, type VersionSpec } from './support/fleet.js';
import { openStore } from './support/store.js';

const path = process.argv[2] ?? join(tmpdir(), 'analyzer-1m.db');
const end = Date.UTC(2026, 10, 28, 12, 0, 0);
if (!existsSync(path)) {
  const db = openStore('device', path);
  const v = (version: string, fromDay: number): VersionSpec => ({
    version, fromDay, crashPerSession: 0.02, errorsPerSession: 3, apiLatencyMs: 300, memoryBytes: 200e6, loadMs: 800,
    crashes: ['nullConfig', 'raceDispose'], errors: ['toolTimeout', 'badJson'],
    features: [{ id: 'chat', perSession: 0.9 }, { id: 'tool_picker', perSession: 0.5 }, { id: 'history_search', perSession: 0.2 }],
  });
  const t0 = performance.now();
  const { events } = generateFleet(db, { seed: 1, kind: 'device', end, days: 30, devices: 1, sessionsPerDevicePerDay: 34, requestsPerSession: 360, versions: [v('1.3.0', 0), v('1.4.0', 10), v('1.5.0', 22)] });
  db.close();
  console.log(`generated ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${path}`);
}
const db = new Database(path);
const n = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
const rollups = db.prepare('SELECT count(*) FROM rollups').pluck().get() as number;
console.log(`${n} events, ${rollups} rollup rows`);
const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1]!;
const all: number[] = [];
for (const range of TIME_RANGES) {
  for (const appVersion of [undefined, '1.5.0']) {
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      // A fresh analysis each time: statements prepared anew, as after a restart of the app.
      const a = createLocalAnalysis(db);
      const t = performance.now();
      a.dashboard({ range, appVersion, now: end - 1 });
      times.push(performance.now() - t);
    }
    all.push(...times);
    console.log(`${range.padEnd(3)} ${(appVersion ?? 'all').padEnd(5)} p50 ${p(times, 0.5).toFixed(1)} ms  p95 ${p(times, 0.95).toFixed(1)} ms`);
  }
}
console.log(`every range and filter: p95 ${p(all, 0.95).toFixed(1)} ms, max ${Math.max(...all).toFixed(1)} ms`);
// What the app does: one analysis for the app's life, polled every few seconds; the anomaly
// watchers are kept between calls (AnomalyWatchCache) and fed only the hours completed since.
const polled: number[] = [];
for (const range of TIME_RANGES) {
  for (const appVersion of [undefined, '1.5.0']) {
    const a = createLocalAnalysis(db);
    a.dashboard({ range, appVersion, now: end - 1 });
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      a.dashboard({ range, appVersion, now: end - 1 + i * 5000 });
      times.push(performance.now() - t);
    }
    polled.push(...times);
    console.log(`polled ${range.padEnd(3)} ${(appVersion ?? 'all').padEnd(5)} p50 ${p(times, 0.5).toFixed(1)} ms  p95 ${p(times, 0.95).toFixed(1)} ms`);
  }
}
console.log(`polled, every range and filter: p95 ${p(polled, 0.95).toFixed(1)} ms, max ${Math.max(...polled).toFixed(1)} ms`);
