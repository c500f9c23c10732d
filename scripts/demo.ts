// npm run demo: the whole system on this machine. A collector (embedded SQLite) on 127.0.0.1, a
// small fleet of simulated devices that synced their history to it, and this device: the app's
// telemetry host with a simulated person using the MCP client live (sessions of minutes to hours
// with idle gaps between them, LLM and tool calls, errors, a renderer crash), serving the dashboard.
// The live part runs on compressed simulated time (--speed, default 60: a simulated minute per
// second), labelled as such on the dashboard, so a viewer sees hours of ordinary use in minutes.
// Sync has something real to diagnose: an offline spell, a 503 window from the collector (a proxy
// in front of it) and one event the collector rejects (it accepts smaller events than the device).
//
// With --fleet the collector stores into ClickHouse (two shards behind a Distributed table, started
// from the Debian package as plain processes, as `npm run fleet` does) instead of SQLite; reports
// and the gate then read it with --store clickhouse://... (the fleet console reads SQLite only).
//
//   npm run demo [-- --port 4400] [--duration 60] [--keep] [--no-open] [--data-dir .data/demo] [--fleet-size 6] [--speed 60] [--fleet]
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLocalAnalysis } from '../src/analyzer/local-analysis.js';
import { freePort, hasBinary, PACKAGE_OF, startClickHouse, type EngineProcess } from '../src/collector/engines/processes.js';
import { createCollector, type Collector } from '../src/collector/server.js';
import type { SqliteCollectorStore } from '../src/collector/sqlite-store.js';
import { ClickHouseCollectorStore } from '../src/collector/stores/clickhouse/clickhouse-store.js';
import { recordHistory } from '../src/demo/history.js';
import { startOutageProxy } from '../src/demo/outage-proxy.js';
import { SimulatedMcpClient, type BuildProfile } from '../src/demo/simulated-mcp-client.js';
import { SimulatedPerson } from '../src/demo/simulated-person.js';
import { startFleetConsole } from '../src/console/server.js';
import { startLocalStack } from '../src/host/local-stack.js';
import { ManualNetworkState, TelemetryService, Uploader, createNodeSettings } from '../src/telemetry/index.js';
import { createScaledClock } from '../src/telemetry/ports.js';
import { ensureConsoleBuilt } from './console-build.js';
import { ensureRendererBuilt } from './renderer-build.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '4400' },
    duration: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-open': { type: 'boolean', default: false },
    'fleet-size': { type: 'string', default: '6' },
    'data-dir': { type: 'string', default: '.data/demo' },
    speed: { type: 'string', default: '60' },
    fleet: { type: 'boolean', default: false },
  },
});

const root = resolve(args['data-dir']);
if (!args.keep) rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
const API_KEY = 'demo-key';
const OS = `${process.platform}-${process.arch}`;
const DAY = 86_400_000;
const now = Date.now();
const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;
/** 1.5.0 is slower to first token and has a new GPU crash: the release comparison's true finding. */
const V150: BuildProfile = { ttftFactor: 1.35, extraCrashRate: 0.004, memoryBaseMb: 262 };

const log = (s: string) => process.stdout.write(`${s}\n`);

// ---- the collector, with what a few other devices sent it ---------------------------------------
// The collector keeps a week of raw events and refuses older ones: this device's first session,
// recorded a little more than a week ago, is refused on upload (timestamp_out_of_range), a real
// rejection for Diagnostics to show.
const RETENTION_DAYS = 7;
const engines: EngineProcess[] = [];
let collector: Collector<SqliteCollectorStore | ClickHouseCollectorStore>;
let clickhouseSpec: string | null = null;
if (args.fleet) {
  if (!hasBinary('clickhouse-server')) {
    process.stderr.write(`demo --fleet: clickhouse-server is missing. Install with:\n  apt-get update && apt-get install -y --no-install-recommends ${PACKAGE_OF['clickhouse-server']}\n`);
    process.exit(1);
  }
  // Two shards that know each other as the cluster `fleet`, as `npm run fleet` starts them.
  const ports = [];
  for (let i = 0; i < 2; i++) ports.push({ http: await freePort(), tcp: await freePort(), interserver: await freePort() });
  const cluster = { shards: ports.map((p) => ({ host: '127.0.0.1', tcpPort: p.tcp })) };
  engines.push(...(await Promise.all(ports.map((p, i) => startClickHouse(join(root, `clickhouse-${i + 1}`), { ports: p, cluster })))));
  const store = await ClickHouseCollectorStore.open({ shards: engines.map((e) => e.url) });
  collector = await createCollector({ store, apiKeys: [API_KEY], port: 0, retentionDays: RETENTION_DAYS });
  clickhouseSpec = `clickhouse://${engines.map((e) => new URL(e.url).host).join(',')}/telemetry`;
  log(`collector        ${collector.url}  (ClickHouse: ${engines.map((e, i) => `shard ${i + 1} ${e.url} pid ${e.pid}`).join(', ')})`);
} else {
  collector = await createCollector({ dbPath: join(root, 'collector.db'), apiKeys: [API_KEY], port: 0, retentionDays: RETENTION_DAYS });
  log(`collector        ${collector.url}  (SQLite: ${join(root, 'collector.db')})`);
}

const fleet = Number(args['fleet-size']);
for (let d = 0; d < fleet; d++) {
  const dir = join(root, `fleet-device-${d}`);
  mkdirSync(dir, { recursive: true });
  const os = ['darwin-arm64', 'win32-x64', 'linux-x64'][d % 3]!;
  // Most devices moved to 1.5.0 a day and a half ago; the rest are still on 1.4.0.
  recordHistory({ dataDir: dir, appVersion: '1.4.0', os, consent: ALL_SHARED, from: now - 7 * DAY, to: now - 1.5 * DAY, sessionsPerDay: 5, seed: 100 + d });
  if (d < fleet - 2) recordHistory({ dataDir: dir, appVersion: '1.5.0', os, consent: ALL_SHARED, from: now - 1.5 * DAY, to: now - 60_000, sessionsPerDay: 5, seed: 200 + d, build: V150 });
  const t = TelemetryService.open({ databasePath: join(dir, 'telemetry.db'), appVersion: '1.5.0', os }, { settings: createNodeSettings(dir) });
  const up = new Uploader(t, { endpoint: collector.url, apiKey: API_KEY });
  await up.flush();
  t.close();
}
// ClickHouse's rollups are rebuilt every few seconds; build them now so the first report sees them.
if (collector.store instanceof ClickHouseCollectorStore) await collector.store.flushRollups();
log(`fleet            ${fleet} simulated devices synced ${await collector.store.count()} events of the past week`);

// ---- this device: a week of history, then the live app -----------------------------------------
const appDir = join(root, 'app');
mkdirSync(appDir, { recursive: true });
const history =
  recordHistory({ dataDir: appDir, appVersion: '1.4.0', os: OS, consent: ALL_SHARED, from: now - RETENTION_DAYS * DAY - 45 * 60_000, to: now - RETENTION_DAYS * DAY + 15 * 60_000, sessionsPerDay: 1, seed: 6 }) +
  recordHistory({ dataDir: appDir, appVersion: '1.4.0', os: OS, consent: ALL_SHARED, from: now - 7 * DAY + 15 * 60_000, to: now - 1.5 * DAY, sessionsPerDay: 6, seed: 7 }) +
  recordHistory({ dataDir: appDir, appVersion: '1.5.0', os: OS, consent: ALL_SHARED, from: now - 1.5 * DAY, to: now - 120_000, sessionsPerDay: 6, seed: 8, build: V150 });
const network = new ManualNetworkState(true);
const proxy = await startOutageProxy(collector.url);
const speed = Number(args.speed);
if (!Number.isFinite(speed) || speed < 1 || speed > 3600) throw new Error(`--speed must be 1..3600, got ${args.speed}`);
const realStart = Date.now();
const clock = createScaledClock({ originMs: realStart, realOriginMs: realStart, factor: speed });
const clockNote = speed === 1 ? undefined : `Demo: simulated time, ${speed}× real time`;
const stack = await startLocalStack({
  dataDir: appDir,
  appVersion: '1.5.0',
  os: OS,
  collector: { url: proxy.url, apiKey: API_KEY },
  clock,
  clockNote,
  staticDir: await ensureRendererBuilt(),
  createAnalysis: createLocalAnalysis,
  port: Number(args.port),
  network,
  uploadIntervalMs: 2_000,
});
log(`this device      ${history} events of history recorded; the live session starts now`);
log('');
log(`  Dashboard:  ${stack.host.url}`);
// The fleet console reads a SQLite store (docs/CONSOLE.md); on ClickHouse the reports and the gate do.
const fleetConsole = clickhouseSpec === null ? await startFleetConsole({ dbPath: join(root, 'collector.db'), staticDir: await ensureConsoleBuilt() }) : null;
if (fleetConsole) log(`  Fleet console: ${fleetConsole.loginUrl}`);
else {
  log(`  Fleet report:  npm run report -- weekly --store ${clickhouseSpec}`);
  log(`  Release gate:  npm run gate -- --store ${clickhouseSpec} --baseline 1.4.0 --candidate 1.5.0`);
}
log('');
log('The simulated person has opted in to all four categories (Privacy tab: change it live).');
if (clockNote) log(`Live time is compressed: ${speed} simulated seconds per real second (the dashboard says so).`);
log('Sync problems to diagnose: at 20 s the network drops for 15 s; at 50 s the collector answers');
log('503 for 15 s; the oldest events of this device are past the collector\'s retention and refused.');
log('Ctrl-C stops everything.');

if (!args['no-open'] && process.env.DISPLAY) {
  // Best effort: open the dashboard in the person's browser.
  spawn('xdg-open', [stack.host.url], { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
}

// ---- the live session ---------------------------------------------------------------------------
const client = new SimulatedMcpClient(stack.service, 2026, V150, clock);
const person = new SimulatedPerson(client, clock, 2026);
let crashed = false;
const timer = setInterval(() => {
  person.step();
  const elapsed = (Date.now() - realStart) / 1000;
  if (!crashed && elapsed > 40 && person.using) {
    crashed = true;
    client.rendererCrash('crashed');
  }
  if (elapsed > 20 && elapsed < 35 && network.isOnline()) {
    network.set(false);
    log('network: offline (events queue on disk)');
  }
  if (elapsed >= 35 && !network.isOnline()) {
    network.set(true);
    log('network: back online (the uploader sends at once)');
  }
  if (elapsed > 50 && elapsed < 65) proxy.setOutage(true);
  else proxy.setOutage(false);
}, 250);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  person.quit();
  await stack.close();
  await fleetConsole?.close();
  await proxy.close();
  await collector.close();
  await Promise.all(engines.map((e) => e.stop()));
  log(`stopped. Data kept in ${root} (the next run starts afresh unless --keep).`);
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
if (args.duration) setTimeout(() => void stop(), Number(args.duration) * 1000);
