// npm run demo: a plain-Node stand-in for the app until the Electron shell and dashboard exist.
// Simulates an MCP client session with realistic telemetry, records it into a local database,
// then prints what the device keeps: consent, counts, percentiles from the rollups, self-health.
import { mkdirSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { createNodeSettings, Histogram, TelemetryService, type RollupRow } from '../src/telemetry/index.js';

const dataDir = resolve(process.env.TELEMETRY_DEMO_DIR ?? '.data/demo');
mkdirSync(dataDir, { recursive: true });
const dbPath = join(dataDir, 'telemetry.db');

const t = TelemetryService.open(
  { databasePath: dbPath, appVersion: '1.4.0', os: `${process.platform}-${process.arch}`, scrub: { homeDirs: [homedir()], userNames: [userInfo().username] } },
  { settings: createNodeSettings(dataDir) },
);
// The simulated person agreed to keep usage and performance on this device and to share errors and crashes.
t.setConsent({ usage: 'local', performance: 'local', errors: 'shared', crashes: 'shared' });

// A deterministic pseudo-random stream, so the demo prints the same shape each run.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const lognormal = (median: number, sigma: number) => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd()));
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const MODELS = [['anthropic', 'claude-sonnet-4'], ['openai', 'gpt-4o'], ['ollama', 'llama3.1-8b']] as const;
const TOOLS = [['filesystem', 'read_file'], ['filesystem', 'list_directory'], ['github', 'search_issues'], ['browser', 'fetch_page']] as const;
const FEATURES = ['chat', 'tool_picker', 'server_settings', 'history_search', 'prompt_library'] as const;

const started = Date.now();
for (let session = 0; session < 12; session++) {
  t.startSession();
  t.trackPerformance('app.startup', lognormal(850, 0.3), 'ms');
  t.trackPerformance('window.load', lognormal(420, 0.25), 'ms');
  for (let turn = 0; turn < 40; turn++) {
    const [provider, model] = pick(MODELS);
    const outTokens = Math.round(lognormal(400, 0.6));
    const duration = lognormal(provider === 'ollama' ? 9000 : 3500, 0.5);
    t.trackPerformance('llm.inference', duration, 'ms', { provider, model, input_tokens: Math.round(lognormal(1200, 0.8)), output_tokens: outTokens });
    t.trackPerformance('llm.time_to_first_token', lognormal(provider === 'ollama' ? 1500 : 600, 0.4), 'ms', { provider, model });
    t.trackPerformance('llm.tokens_per_s', outTokens / (duration / 1000), 'tokens_per_s', { provider, model });
    for (let k = 0; k < 3; k++) {
      const [server, tool] = pick(TOOLS);
      const failed = rnd() < 0.04;
      t.trackPerformance('mcp.tool_call', lognormal(server === 'browser' ? 900 : 60, 0.7), 'ms', { server, tool, outcome: failed ? 'error' : 'ok' });
      if (failed) {
        const err = Object.assign(new Error(`MCP error -32603: tool ${tool} failed reading ${join(homedir(), 'projects', 'notes.md')}`), { code: 'MCP_TOOL_ERROR' });
        t.trackError('mcp.tool_failed', err);
      }
    }
    t.trackFeature('feature.use', { feature_id: pick(FEATURES), duration_seconds: lognormal(20, 1), interaction_count: 1 + Math.floor(rnd() * 8) });
    t.trackNetwork('api.request', { url: `https://api.${provider}.example/v1/messages?key=sk-demo${session}${turn}`, status_code: rnd() < 0.02 ? 529 : 200, duration_ms: duration, bytes_transferred: outTokens * 4 });
  }
  t.trackPerformance('memory.rss', lognormal(210e6, 0.15), 'bytes', { process: 'main' });
  t.trackPerformance('sync.duration', lognormal(300, 0.5), 'ms');
  if (session === 7) t.trackCrash('renderer.gone', new Error('Render process gone'), { process: 'renderer', reason: 'oom' });
  t.endSession();
}
t.flush();
const tracked = t.health().rows;
const ms = Date.now() - started;

// ---- what the device keeps, from the rollups ----
const hour = 3_600_000;
const rollups = t.rollups({ from: started - hour, to: Date.now() + hour });
const byName = new Map<string, RollupRow[]>();
for (const r of rollups) byName.set(`${r.event_type}/${r.name}`, [...(byName.get(`${r.event_type}/${r.name}`) ?? []), r]);

console.log(`\nLocal-first telemetry demo: ${dbPath}`);
console.log(`consent: ${JSON.stringify(t.getConsent().categories)}`);
console.log(`stored ${tracked} events in ${ms} ms (buffered, committed in batches, PII scrubbed)\n`);
console.log(`${'event'.padEnd(38)} ${'count'.padStart(6)} ${'p50'.padStart(10)} ${'p95'.padStart(10)}`);
for (const [key, rows] of [...byName].sort()) {
  const count = rows.reduce((a, r) => a + r.count, 0);
  const h = new Histogram();
  for (const r of rows) if (r.hist) h.mergeData(JSON.parse(r.hist));
  const fmt = (v: number | null) => (v === null ? '' : v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v.toFixed(1));
  console.log(`${key.padEnd(38)} ${String(count).padStart(6)} ${fmt(h.quantile(0.5)).padStart(10)} ${fmt(h.quantile(0.95)).padStart(10)}`);
}
const health = t.health();
console.log(`\nqueue: ${health.queue.pending} pending upload (errors, crashes: shared), ${health.queue.localOnly} on this device only`);
console.log(`dropped/evicted: ${JSON.stringify(health.counters)}`);
const sample = t.recentEvents({ types: ['error'], limit: 1 })[0];
if (sample) console.log(`\na stored error, scrubbed:\n${JSON.stringify(sample.event, null, 2)}`);
t.close();
