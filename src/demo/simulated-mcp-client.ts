// A person using the MCP client, as telemetry sees it: sessions, features, LLM requests with
// realistic latency distributions, MCP tool calls, API requests, memory samples, the odd error and
// crash. Deterministic for a given seed, so the demo and tests see the same shape every run. It
// records only through the TelemetryService API, exactly as the app's own instrumentation does.
import { METRIC } from '../telemetry/event/metric-names.js';
import { createMcpClientTelemetry, type McpClientTelemetry } from '../telemetry/instrument/mcp-client.js';
import { systemClock, type Clock } from '../telemetry/ports.js';
import type { TelemetryService } from '../telemetry/service/telemetry-service.js';

/** mulberry32: small, fast, good enough for simulated behaviour. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = [
  { provider: 'anthropic', model: 'claude-sonnet-4', ttft: 550, tps: 75, weight: 0.55 },
  { provider: 'openai', model: 'gpt-4o', ttft: 450, tps: 85, weight: 0.3 },
  { provider: 'ollama', model: 'llama3.1-8b', ttft: 1400, tps: 28, weight: 0.15 },
] as const;
const TOOLS = [
  { server: 'filesystem', tool: 'read_file', ms: 18, fail: 0.01 },
  { server: 'filesystem', tool: 'list_directory', ms: 12, fail: 0.005 },
  { server: 'github', tool: 'search_issues', ms: 420, fail: 0.03 },
  { server: 'browser', tool: 'fetch_page', ms: 850, fail: 0.06 },
  { server: 'postgres', tool: 'query', ms: 95, fail: 0.02 },
] as const;
/** What the app declares to its MCP helpers: anything else would be recorded as `other`. */
const CATALOG = {
  llm: { anthropic: ['claude-sonnet-4'], openai: ['gpt-4o'], ollama: ['llama3.1-8b'] },
  tools: { filesystem: ['read_file', 'list_directory'], github: ['search_issues'], browser: ['fetch_page'], postgres: ['query'] },
} as const;
const FEATURES = ['chat', 'tool_picker', 'server_settings', 'history_search', 'prompt_library', 'model_switcher'] as const;

/** What differs between two builds of the app (the demo's 1.5.0 is a little slower to first token
 *  and has a new crash, so the release comparison has something true to find). */
export interface BuildProfile {
  ttftFactor: number;
  extraCrashRate: number;
  memoryBaseMb: number;
}
export const STEADY_BUILD: BuildProfile = { ttftFactor: 1, extraCrashRate: 0, memoryBaseMb: 240 };

export class SimulatedMcpClient {
  private readonly rnd: () => number;
  private readonly mcp: McpClientTelemetry<typeof CATALOG>;
  private turns = 0;
  /** Turns of the current session: memory grows within a session and starts over with the app. */
  private sessionTurns = 0;
  /** Session time not yet spent in a feature: a feature use lasts at most this long, so the
   *  feature time of a session can never exceed the session's length (by construction). */
  private featureFreeSince = 0;

  constructor(
    private readonly t: TelemetryService,
    seed = 42,
    private readonly build: BuildProfile = STEADY_BUILD,
    /** The clock the service records with (a replay or compressed clock in the demo). */
    private readonly clock: Clock = systemClock,
  ) {
    this.rnd = seededRandom(seed);
    this.mcp = createMcpClientTelemetry(t, CATALOG);
  }

  /** The app starts: a new session, start-up and window load times. */
  startApp(): void {
    this.featureFreeSince = this.clock.now();
    this.sessionTurns = 0;
    this.t.startSession();
    this.t.trackApp(METRIC.appStart, { cold: this.rnd() < 0.3 });
    this.t.trackPerformance(METRIC.startupTime, this.lognormal(900, 0.3), 'ms');
    this.t.trackPerformance(METRIC.windowLoad, this.lognormal(380, 0.25), 'ms');
  }

  /** The app quits cleanly. */
  quitApp(): void {
    this.t.trackApp(METRIC.appStop);
    this.t.endSession();
  }

  /** One turn of a conversation: an LLM request, maybe tool calls, feature use, a memory sample. */
  turn(): void {
    this.turns++;
    this.sessionTurns++;
    // The feature this turn happens in (if any): errors and crashes of the turn carry it.
    const feature = this.rnd() < 0.5 ? FEATURES[Math.floor(this.rnd() ** 1.6 * FEATURES.length)]! : null;
    this.t.setActiveFeature(feature);
    const m = this.pickWeighted(MODELS);
    const input = Math.round(this.lognormal(1500, 0.8));
    const output = Math.round(this.lognormal(380, 0.6));
    const ttft = this.lognormal(m.ttft * this.build.ttftFactor, 0.35);
    const tps = Math.max(3, m.tps * (0.8 + 0.4 * this.rnd()));
    const duration = ttft + (output / tps) * 1000;
    const failed = this.rnd() < 0.015;
    this.mcp.llmInference({ provider: m.provider, model: m.model, inputTokens: input, outputTokens: failed ? 0 : output, timeToFirstTokenMs: failed ? undefined : ttft, durationMs: failed ? ttft : duration, outcome: failed ? 'error' : 'ok' });
    if (!failed) {
      this.t.trackNetwork(METRIC.apiRequest, {
        url: m.provider === 'ollama' ? 'http://127.0.0.1:11434/api/chat' : `https://api.${m.provider}.com/v1/messages`,
        status_code: 200,
        duration_ms: duration,
        bytes_transferred: Math.round(output * 4.2 + 800),
      });
    }
    const calls = this.rnd() < 0.55 ? 1 + Math.floor(this.rnd() * 3) : 0;
    for (let i = 0; i < calls; i++) this.toolCall();
    if (feature !== null) {
      const now = this.clock.now();
      const seconds = Math.min(this.lognormal(12, 0.9), Math.max(0, now - this.featureFreeSince) / 1000);
      this.featureFreeSince = now;
      this.t.trackFeature('feature.use', { feature_id: feature, duration_seconds: seconds, interaction_count: 1 + Math.floor(this.rnd() * 6) });
    }
    if (this.turns % 4 === 0) this.sampleMemory();
    if (this.turns % 10 === 0) this.mcp.sync({ durationMs: this.lognormal(160, 0.5), outcome: 'ok', items: 1 + Math.floor(this.rnd() * 20) });
    if (this.rnd() < this.build.extraCrashRate) this.rendererCrash('gpu_context_lost');
    this.t.setActiveFeature(null);
  }

  /** The renderer process dies (the main process records it and reloads the window). */
  rendererCrash(reason = 'crashed'): void {
    const err = new Error(`Render process gone: ${reason}`);
    err.stack = `Error: Render process gone: ${reason}\n    at WebContents.<anonymous> (/opt/McpClient/resources/app.asar/dist/main/window.js:88:21)\n    at WebContents.emit (node:events:519:28)`;
    this.t.trackCrash(METRIC.rendererGone, err, { process: 'renderer', reason });
  }

  private toolCall(): void {
    const tool = TOOLS[Math.floor(this.rnd() * TOOLS.length)]!;
    const ok = this.rnd() >= tool.fail;
    // A failed call is also recorded as an `mcp.tool_failed` error by the helper.
    this.mcp.toolCall({ server: tool.server, tool: tool.tool, durationMs: this.lognormal(tool.ms, 0.6), outcome: ok ? 'ok' : this.rnd() < 0.3 ? 'timeout' : 'error' });
  }

  private sampleMemory(): void {
    const base = this.build.memoryBaseMb * 1e6;
    const rss = base + Math.min(this.sessionTurns, 400) * 0.4e6 + this.lognormal(20e6, 0.5);
    this.t.trackPerformance(METRIC.memoryRss, rss, 'bytes', { process: 'main' });
    this.t.trackPerformance(METRIC.memoryHeapUsed, rss * 0.35, 'bytes', { process: 'main' });
    this.t.trackPerformance(METRIC.memoryAppTotal, rss * 2.6, 'bytes');
  }

  private lognormal(median: number, sigma: number): number {
    const u = Math.max(this.rnd(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rnd());
    return median * Math.exp(sigma * z);
  }

  private pickWeighted<T extends { weight: number }>(xs: readonly T[]): T {
    let r = this.rnd();
    for (const x of xs) if ((r -= x.weight) <= 0) return x;
    return xs[xs.length - 1]!;
  }
}
