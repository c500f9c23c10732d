// npm run bench:dashboard [-- --json] [--events 1000000] [--runs 5]
// The dashboard over a database of 1,000,000 events spread over 30 days (two app versions):
//  - query_ms_p95: the bridge calls the dashboard makes (dashboard for each range, recentEvents,
//    diagnostics), through the same handlers the hosts use, p95 over repeated rounds;
//  - first_render_ms: Debian's Chromium opens the dashboard from the browser host against that
//    database until the tiles show numbers (the page's own performance mark, from navigation start),
//    median over fresh browser contexts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalAnalysis } from '../src/analyzer/local-analysis.js';
import { startLocalStack } from '../src/host/local-stack.js';
import { METRIC } from '../src/telemetry/event/metric-names.js';
import { TelemetryService, createNodeSettings, type Clock } from '../src/telemetry/index.js';
import { launchChromium } from '../test/e2e/support/browser.js';
import { ensureRendererBuilt } from '../scripts/renderer-build.js';
import { printReport } from './report.js';

const { values: args } = parseArgs({
  options: { json: { type: 'boolean', default: false }, events: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' }, rounds: { type: 'string', default: '20' } },
});
const EVENTS = Number(args.events);
const RUNS = Number(args.runs);
const ROUNDS = Number(args.rounds);
const TARGET_QUERY_MS = 50;
const TARGET_RENDER_MS = 1500;
const DAY = 86_400_000;
const log = (s: string) => process.stderr.write(`${s}\n`);

class BenchClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

function p(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}
const round1 = (x: number) => Math.round(x * 10) / 10;

/** An MCP client's day in proportions: sessions, LLM and tool calls, memory, features, some errors. */
function trackOne(t: TelemetryService, i: number): void {
  switch (i % 20) {
    case 0:
      if (i % 400 === 0) t.startSession();
      else t.trackPerformance(METRIC.memoryRss, 180e6 + (i % 5000) * 40_000, 'bytes', { process: 'main' });
      break;
    case 1: case 2: case 3:
      t.trackPerformance(METRIC.llmInference, 400 + (i % 6000), 'ms', { provider: 'anthropic' });
      break;
    case 4: case 5:
      t.trackPerformance(METRIC.llmTimeToFirstToken, 150 + (i % 1500), 'ms', { provider: 'anthropic' });
      break;
    case 6: case 7:
      t.trackPerformance(METRIC.llmTokensPerSecond, 20 + (i % 90), 'tokens_per_s');
      break;
    case 8: case 9: case 10:
      t.trackPerformance(METRIC.mcpToolCall, 5 + (i % 400), 'ms', { server: 'filesystem', tool: 'read_file' });
      break;
    case 11: case 12: case 13:
      t.trackFeature('feature.used', { feature_id: ['chat', 'tool_picker', 'model_switcher', 'history_search'][i % 4]!, duration_seconds: (i % 60) + 0.5, interaction_count: i % 7 });
      break;
    case 14: case 15:
      t.trackNetwork(METRIC.apiRequest, { url: 'https://api.anthropic.com/v1/messages', status_code: i % 97 === 0 ? 529 : 200, duration_ms: 80 + (i % 900), bytes_transferred: 4096 });
      break;
    case 16:
      t.trackPerformance(METRIC.syncTime, 40 + (i % 500), 'ms');
      break;
    case 17:
      if (i % 200 === 17) t.trackPerformance(METRIC.windowLoad, 300 + (i % 1200), 'ms');
      else t.trackApp('window.focus', { window: 'main' });
      break;
    case 18:
      if (i % 60 === 18) t.trackError(METRIC.mcpToolFailed, new Error('connect ECONNREFUSED 127.0.0.1:7777'), 'ECONNREFUSED');
      else t.trackPerformance(METRIC.memoryHeapUsed, 60e6 + (i % 3000) * 10_000, 'bytes');
      break;
    default:
      if (i % 20_000 === 19) t.trackCrash(METRIC.rendererGone, new Error('render process gone'), { process: 'renderer', reason: 'oom' });
      else t.trackApp('window.blur', { window: 'main' });
  }
}

/** Fills the device database through the real service (validation, scrubbing, rollups), on a clock
 *  that walks the last 30 days; the older half of the events is app version 1.4.0. */
function fill(dataDir: string, now: number): number {
  const from = now - 30 * DAY + 60_000;
  const step = (now - 60_000 - from) / EVENTS;
  const clock = new BenchClock(from);
  let i = 0;
  for (const [version, count] of [['1.4.0', Math.floor(EVENTS / 2)], ['1.5.0', EVENTS - Math.floor(EVENTS / 2)]] as const) {
    const t = TelemetryService.open(
      // Caps above the bench's size, so none of the million is evicted while filling.
      { databasePath: join(dataDir, 'telemetry.db'), appVersion: version, os: 'linux-x64', limits: { maxRows: EVENTS * 2, maxBytes: 4 * 1024 ** 3 } },
      { settings: createNodeSettings(dataDir), clock },
    );
    t.setConsent({ usage: 'local', performance: 'local', errors: 'local', crashes: 'local' });
    for (let n = 0; n < count; n++, i++) {
      clock.t = Math.floor(from + i * step);
      trackOne(t, i);
    }
    t.close();
  }
  return i;
}

async function main(): Promise<void> {
  const staticDir = await ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
  const dataDir = join(dir, 'device');
  mkdirSync(dataDir);
  try {
    const now = Date.now();
    const t0 = performance.now();
    fill(dataDir, now);
    const fillS = (performance.now() - t0) / 1000;
    log(`filled ${EVENTS.toLocaleString('en-US')} events in ${fillS.toFixed(1)} s`);

    const stack = await startLocalStack({ dataDir, appVersion: '1.5.0', collector: null, staticDir, createAnalysis: createLocalAnalysis });
    try {
      const rows = stack.service.health().rows;
      if (rows !== EVENTS) throw new Error(`expected ${EVENTS} stored events, found ${rows}`);

      // ---- query_ms_p95: every call the dashboard's views make, through the bridge handlers.
      const queries: [string, string, unknown][] = [
        ...(['1h', '24h', '7d', '30d'] as const).map((range): [string, string, unknown] => [`dashboard ${range}`, 'dashboard', { range }]),
        ['dashboard 7d, one version', 'dashboard', { range: '7d', appVersion: '1.4.0' }],
        ['recentEvents 200', 'recentEvents', { limit: 200 }],
        ['recentEvents filtered', 'recentEvents', { types: ['error'], text: 'ECONNREFUSED', limit: 200 }],
        ['diagnostics', 'diagnostics', undefined],
        ['recentUploads', 'recentUploads', { limit: 50 }],
      ];
      for (const [, m, a] of queries) await stack.handlers.call(m, a); // warm-up: statement caches, page cache
      const per = new Map<string, number[]>(queries.map(([l]) => [l, []]));
      const all: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        for (const [label, m, a] of queries) {
          const s = performance.now();
          await stack.handlers.call(m, a);
          const ms = performance.now() - s;
          per.get(label)!.push(ms);
          all.push(ms);
        }
      }
      const queryP95 = p(all, 0.95);
      // The same without diagnostics: its health() scans every row (see the report), the rest read rollups and indexes.
      const withoutDiagnostics = [...per].filter(([l]) => l !== 'diagnostics').flatMap(([, xs]) => xs);

      // ---- first_render_ms: fresh browser contexts (no cache), page's own mark when tiles show numbers.
      const browser = await launchChromium();
      const renders: number[] = [];
      try {
        for (let r = 0; r < RUNS + 1; r++) {
          const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          const page = await context.newPage();
          await page.goto(stack.host.url);
          await page.locator('[data-testid="tiles"][data-ready="true"]').waitFor({ timeout: 30_000 });
          const mark = (await page.evaluate("performance.getEntriesByName('dashboard-tiles-ready')[0]?.startTime ?? -1")) as number;
          if (mark < 0) throw new Error('the dashboard never marked its tiles as ready');
          if (r > 0) renders.push(mark); // the first run warms Chromium's own start-up, not the page
          await context.close();
        }
      } finally {
        await browser.close();
      }
      const renderMedian = p(renders, 0.5);

      const rowsOut: [string, number | string, string, boolean | null][] = [
        ['events in database', EVENTS, '', null],
        ['fill time (s)', round1(fillS), '', null],
        ...[...per].map(([label, xs]): [string, number, string, boolean | null] => [`${label} p95 (ms)`, round1(p(xs, 0.95)), '', null]),
        ['query_ms_p95', round1(queryP95), `<= ${TARGET_QUERY_MS}`, queryP95 <= TARGET_QUERY_MS],
        ['query_ms_p95 without diagnostics', round1(p(withoutDiagnostics, 0.95)), `<= ${TARGET_QUERY_MS}`, p(withoutDiagnostics, 0.95) <= TARGET_QUERY_MS],
        ['query ratio to target', Math.round((queryP95 / TARGET_QUERY_MS) * 100) / 100, '<= 1', queryP95 <= TARGET_QUERY_MS],
        ['first_render_ms (median)', Math.round(renderMedian), `<= ${TARGET_RENDER_MS}`, renderMedian <= TARGET_RENDER_MS],
        ['first_render_ms (max)', Math.round(Math.max(...renders)), '', null],
        ['render ratio to target', Math.round((renderMedian / TARGET_RENDER_MS) * 100) / 100, '<= 1', renderMedian <= TARGET_RENDER_MS],
      ];
      printReport(`bench:dashboard — ${EVENTS.toLocaleString('en-US')} events, ${ROUNDS} rounds of ${queries.length} queries, ${RUNS} renders`, rowsOut, {
        events: EVENTS,
        query_ms_p95: round1(queryP95),
        query_ratio: Math.round((queryP95 / TARGET_QUERY_MS) * 100) / 100,
        query_ms_p95_without_diagnostics: round1(p(withoutDiagnostics, 0.95)),
        first_render_ms: Math.round(renderMedian),
        first_render_ms_max: Math.round(Math.max(...renders)),
        render_ratio: Math.round((renderMedian / TARGET_RENDER_MS) * 100) / 100,
        per_query_p95_ms: Object.fromEntries([...per].map(([l, xs]) => [l, round1(p(xs, 0.95))])),
      }, args.json);
    } finally {
      await stack.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
