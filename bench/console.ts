// npm run bench:console [-- --json] [--devices 1400] [--runs 3] [--rounds 20]
// The fleet console over a collector's SQLite store of ~1M events (the console fleet of
// test/console/support, ~720 events per device over 30 days):
//  - first_render_ms per dashboard: Debian's Chromium signs in and opens the view until its numbers
//    show, on a freshly started console (nothing cached), median over runs;
//  - api_cold_ms_p95 per endpoint: the analyzer's query behind each API call, uncached;
//  - api_warm_ms_p95 per endpoint: the HTTP call as a dashboard repeats it (answers cached while the
//    store is unchanged), p95 over rounds.
// Targets (issue 15): first render <= 1.5 s, API p95 <= 150 ms on SQLite.
// TODO(fleet): the same over ClickHouse with 10M events (API p95 <= 300 ms) once the collector's
// storage port lands: open the analysis on the ClickHouse store here and add its rows.
import { existsSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFleetAnalysis } from '../src/analyzer/fleet/fleet-analysis.js';
import { openReadOnly } from '../src/analyzer/store.js';
import { startFleetConsole } from '../src/console/server.js';
import { ensureConsoleBuilt } from '../scripts/console-build.js';
import { openStore } from '../test/analyzer/support/store.js';
import { consoleFleetSpec, generateConsoleFleet } from '../test/console/support/console-fleet.js';
import { FLEET_END } from '../test/console/support/fleet-db.js';
import { launchChromium } from '../test/e2e/support/browser.js';
import { printReport, type Row } from './report.js';

const { values: args } = parseArgs({ options: { json: { type: 'boolean', default: false }, devices: { type: 'string', default: '1400' }, runs: { type: 'string', default: '3' }, rounds: { type: 'string', default: '20' } } });
const DEVICES = Number(args.devices);
const RUNS = Number(args.runs);
const ROUNDS = Number(args.rounds);
const TARGET_RENDER_MS = 1500;
const TARGET_API_MS = 150;
const NOW = FLEET_END - 1;
const log = (s: string) => process.stderr.write(`${s}\n`);
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;

const path = join(tmpdir(), `console-bench-${DEVICES}.db`);
if (!existsSync(path)) {
  log(`generating the fleet (${DEVICES} devices) into ${path} ...`);
  const t0 = Date.now();
  const db = openStore('collector', `${path}.tmp`);
  generateConsoleFleet(db, consoleFleetSpec(FLEET_END, DEVICES));
  db.close();
  renameSync(`${path}.tmp`, path);
  log(`  ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const db = openReadOnly(path);
const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
const analysis = createFleetAnalysis(db, () => NOW);
const oom = analysis.issues(30).find((i) => i.title.includes('oom'))!.id;

const ENDPOINTS: [string, string, () => unknown][] = [
  ['executive', '/api/executive?period=week', () => analysis.executive('week')],
  ['issues', '/api/issues?days=30', () => analysis.issues(30)],
  ['issue (root cause)', `/api/issues/${oom}?days=30`, () => analysis.issue(oom, 30)],
  ['components', '/api/components?days=30', () => analysis.components(30)],
  ['releases', '/api/releases?days=30', () => analysis.releases(30)],
  ['log search', '/api/logs?days=30&q=timed%20out', () => analysis.logs({ days: 30, text: 'timed out' })],
  ['features', '/api/features?days=30', () => analysis.features(30)],
  ['flow', '/api/flow?days=30', () => analysis.flow(30, null)],
  ['funnel', '/api/funnel?days=30&steps=search,preview,export', () => analysis.funnel(30, ['search', 'preview', 'export'], null)],
  ['experiments', '/api/experiments?days=30&goal=share', () => analysis.experiments(30, 'share')],
];

const cold: Record<string, number> = {};
for (const [name, , f] of ENDPOINTS) {
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  cold[name] = pct(ts, 0.95);
  log(`cold ${name}: ${cold[name].toFixed(0)} ms`);
}

const staticDir = await ensureConsoleBuilt();
const VIEWS: [string, string, string][] = [
  ['executive', 'executive', '[data-tile="Daily active devices"]'],
  ['development', 'development/issues', 'table[aria-label="Issues by priority"]'],
  ['product', 'product/features', 'table[aria-label="Feature usage"]'],
];
const render: Record<string, number[]> = { executive: [], development: [], product: [] };
const warm: Record<string, number> = {};
const browser = await launchChromium();
try {
  for (let run = 0; run < RUNS; run++) {
    for (const [name, route, ready] of VIEWS) {
      // A fresh console each time: nothing cached, as after the collector starts.
      const c = await startFleetConsole({ dbPath: path, staticDir, clock: { now: () => NOW } });
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const t0 = performance.now();
      await page.goto(c.loginUrl);
      await page.evaluate(`location.hash = ${JSON.stringify(`#/${route}`)}`);
      await page.locator(ready).first().waitFor({ timeout: 120_000 });
      render[name]!.push(performance.now() - t0);
      if (run === RUNS - 1 && name === 'product') {
        const cookie = (await ctx.cookies()).map((k) => `${k.name}=${k.value}`).join('; ');
        for (const [ep, url] of ENDPOINTS) {
          const ts: number[] = [];
          // Primed once: the first call is the cold figure above; these are the repeats.
          await (await fetch(`${c.origin}${url}`, { headers: { cookie } })).arrayBuffer();
          for (let i = 0; i < ROUNDS; i++) {
            const t1 = performance.now();
            const r = await fetch(`${c.origin}${url}`, { headers: { cookie } });
            await r.arrayBuffer();
            ts.push(performance.now() - t1);
          }
          warm[ep] = pct(ts, 0.95);
        }
      }
      await ctx.close();
      await c.close();
      log(`render ${name} run ${run + 1}: ${render[name]!.at(-1)!.toFixed(0)} ms`);
    }
  }
} finally {
  await browser.close();
  db.close();
}

const median = (xs: number[]) => pct(xs, 0.5);
const rows: Row[] = [['events (SQLite)', events.toLocaleString('en-US'), '1,000,000', null]];
for (const [name] of VIEWS) rows.push([`first render: ${name} (ms, median)`, Math.round(median(render[name]!)), `<= ${TARGET_RENDER_MS}`, median(render[name]!) <= TARGET_RENDER_MS]);
for (const [name] of ENDPOINTS) rows.push([`api cold p95: ${name} (ms)`, Math.round(cold[name]!), `<= ${TARGET_API_MS}`, cold[name]! <= TARGET_API_MS]);
for (const [name] of ENDPOINTS) rows.push([`api warm p95: ${name} (ms)`, Math.round(warm[name]!), `<= ${TARGET_API_MS}`, warm[name]! <= TARGET_API_MS]);
rows.push(['ClickHouse, 10M events', 'not run', 'TODO(fleet)', null]);
printReport('bench:console — fleet console over SQLite', rows, {
  events,
  first_render_ms: Object.fromEntries(VIEWS.map(([n]) => [n, Math.round(median(render[n]!))])),
  first_render_ratio_to_target: Object.fromEntries(VIEWS.map(([n]) => [n, +(median(render[n]!) / TARGET_RENDER_MS).toFixed(2)])),
  api_cold_ms_p95: Object.fromEntries(Object.entries(cold).map(([k, v]) => [k, Math.round(v)])),
  api_cold_ratio_to_target: Object.fromEntries(Object.entries(cold).map(([k, v]) => [k, +(v / TARGET_API_MS).toFixed(2)])),
  api_warm_ms_p95: Object.fromEntries(Object.entries(warm).map(([k, v]) => [k, Math.round(v)])),
  api_warm_ratio_to_target: Object.fromEntries(Object.entries(warm).map(([k, v]) => [k, +(v / TARGET_API_MS).toFixed(2)])),
  clickhouse: 'not run: waits for the fleet storage port',
}, args.json);
