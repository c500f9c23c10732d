// npm run bench:alerts [-- --json] [--devices 2000] [--minutes 120] [--runs 5]
// What alerting costs the collector, on a store of `devices` devices active every minute for the
// last `minutes` (API requests, memory samples, errors, a few crashes; two versions, three OSes):
//  - evaluate_ms: an evaluation tick of the example rule set of docs/ALERTING.md (5 threshold rules
//    over 5 min .. 24 h windows, grouped by version and OS), median of `runs` ticks 30 s apart after
//    a cold first one; the engine blocks the event loop while it evaluates, so the limit is 10% of
//    the 30 s interval;
//  - metrics_ms: a /metrics render every 15 s after a first one (which reads the new events and
//    every window), median of `runs`; the limit is 10% of Prometheus' default 10 s scrape timeout.
import { parseArgs } from 'node:util';
import { AlertConfigStore } from '../src/alerting/config-store.js';
import { AlertEngine } from '../src/alerting/engine.js';
import { createCollectorMetrics } from '../src/alerting/prometheus/collector-metrics.js';
import { Rng } from '../test/analyzer/support/rng.js';
import { openStore, StoreWriter } from '../test/analyzer/support/store.js';
import { printReport } from './report.js';

const { values: args } = parseArgs({ options: { json: { type: 'boolean', default: false }, devices: { type: 'string', default: '2000' }, minutes: { type: 'string', default: '120' }, runs: { type: 'string', default: '5' } } });
const DEVICES = Number(args.devices);
const MINUTES = Number(args.minutes);
const RUNS = Number(args.runs);
const MINUTE = 60_000;
const EVALUATE_EVERY_MS = 30_000;
const LIMIT_EVALUATE_MS = EVALUATE_EVERY_MS * 0.1;
const LIMIT_METRICS_MS = 10_000 * 0.1;
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const OSES = ['win32-x64', 'darwin-arm64', 'linux-x64'];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

const db = openStore('collector');
const w = new StoreWriter(db, 'collector');
const rng = new Rng(42);
const fillStart = performance.now();
for (let m = MINUTES; m > 0; m--) {
  for (let d = 0; d < DEVICES; d++) {
    const ts = NOW - m * MINUTE + Math.floor(rng.next() * MINUTE);
    const base = { session: `s${d}`, user: `u${d}`, device: `d${d}`, version: d % 4 === 0 ? '1.6.0' : '1.5.0', os: OSES[d % 3]! };
    w.add({ ...base, ts, type: 'network', name: 'api.request', fields: { url: 'https://api.example.com', status_code: 200, duration_ms: rng.lognormal(300, 0.5), bytes_transferred: 1000 } });
    if (m % 5 === 0) w.add({ ...base, ts, type: 'performance', name: 'memory.rss', fields: { value: rng.lognormal(200e6, 0.2), unit: 'bytes' } });
    if (rng.next() < 0.02) w.add({ ...base, ts, type: 'error', name: 'mcp.tool_failed', fields: { error_message: 'x', error_code: 'E' } });
    if (rng.next() < 0.0005) w.add({ ...base, ts, type: 'crash', name: 'main.uncaught_exception', fields: { error_message: 'boom', process: 'main', reason: 'uncaught_exception' } });
  }
}
w.flush();
const fillS = (performance.now() - fillStart) / 1000;

const config = AlertConfigStore.inMemory({
  rules: [
    { id: 'crash-spike', metric: 'crashed_devices_ratio', groupBy: ['version'], windowMs: 5 * MINUTE, condition: { kind: 'threshold', op: 'at_least', value: 0.01 }, minVolume: { affectedDevices: 10 }, severity: 'critical' },
    { id: 'error-rate', metric: 'error_rate', groupBy: ['version'], windowMs: 10 * MINUTE, condition: { kind: 'threshold', op: 'above', value: 0.05 }, severity: 'warning' },
    { id: 'api-p95', metric: 'api_latency_p95', groupBy: ['version', 'os'], windowMs: 15 * MINUTE, condition: { kind: 'threshold', op: 'above', value: 2000 }, severity: 'warning' },
    { id: 'crash-free', metric: 'crash_free_sessions', groupBy: ['version'], windowMs: 24 * 60 * MINUTE, condition: { kind: 'threshold', op: 'below', value: 0.99 }, severity: 'critical' },
    { id: 'memory-p95', metric: 'memory_p95', groupBy: ['os'], windowMs: 60 * MINUTE, condition: { kind: 'threshold', op: 'above', value: 2e9 }, severity: 'info' },
  ],
});
// The engine's own schedule: a tick every 30 s. The first tick evaluates every rule (cold); later
// ticks re-evaluate a rule once per 1/60 of its window, so the 24 h rule runs every 24 minutes.
let now = NOW;
const engine = new AlertEngine({ db, config, clock: { now: () => now } });
const cold = time(() => engine.evaluate());
const evaluations = Array.from({ length: RUNS }, () => {
  now += EVALUATE_EVERY_MS;
  return time(() => engine.evaluate());
});
now = NOW;
const errors = engine.rulesStatus().filter((s) => s.lastError !== null);
if (errors.length > 0) throw new Error(`rules failed: ${JSON.stringify(errors)}`);

// Scraped every 15 s (Prometheus' usual interval).
const metrics = createCollectorMetrics(db, { now: () => now });
const renders: number[] = [];
for (let i = 0; i <= RUNS; i++) {
  const t = performance.now();
  await metrics.render();
  renders.push(performance.now() - t);
  now += 15_000;
}
const firstRender = renders.shift()!;
const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
db.close();

const evaluateMs = median(evaluations);
const metricsMs = median(renders);
const r2 = (x: number) => Math.round(x * 100) / 100;
printReport(
  `bench:alerts — ${DEVICES} devices x ${MINUTES} minutes, ${events.toLocaleString('en-US')} events, ${RUNS} runs`,
  [
    ['events in store', events, '', null],
    ['fill time (s)', r2(fillS), '', null],
    ['evaluate cold (ms, every rule)', r2(cold), '', null],
    ['evaluate_ms (30 s ticks, median)', r2(evaluateMs), `<= ${LIMIT_EVALUATE_MS}`, evaluateMs <= LIMIT_EVALUATE_MS],
    ['evaluate ratio to limit', r2(evaluateMs / LIMIT_EVALUATE_MS), '<= 1', evaluateMs <= LIMIT_EVALUATE_MS],
    ['metrics first render (ms, new events, every window)', r2(firstRender), '', null],
    ['metrics_ms (15 s scrapes, median)', r2(metricsMs), `<= ${LIMIT_METRICS_MS}`, metricsMs <= LIMIT_METRICS_MS],
    ['metrics ratio to limit', r2(metricsMs / LIMIT_METRICS_MS), '<= 1', metricsMs <= LIMIT_METRICS_MS],
  ],
  { devices: DEVICES, minutes: MINUTES, events, evaluate_cold_ms: r2(cold), evaluate_ms: r2(evaluateMs), evaluate_ratio: r2(evaluateMs / LIMIT_EVALUATE_MS), metrics_ms: r2(metricsMs), metrics_ratio: r2(metricsMs / LIMIT_METRICS_MS), metrics_first_render_ms: r2(firstRender) },
  args.json,
);
