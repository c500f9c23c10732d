// The event mix the benchmarks track: what an MCP client records, in realistic proportions.
import type { TelemetryService } from '../src/telemetry/index.js';

/** A realistic mix for an MCP client: mostly metrics and feature use, some network, a few errors. */
const ERR = Object.assign(new Error("ENOENT: no such file or directory, open '/home/alice/.config/app/servers.json'"), { code: 'ENOENT' });
/** What the workload calls: our tracking API, or a peer SDK behind the same five methods. */
export type Tracker = Pick<TelemetryService, 'trackPerformance' | 'trackFeature' | 'trackNetwork' | 'trackApp' | 'trackError'>;

export function trackOne(t: Tracker, i: number): void {
  switch (i % 10) {
    case 0: case 1: case 2:
      t.trackPerformance('llm.inference', 200 + (i % 3000), 'ms', { provider: 'anthropic', model: 'claude-sonnet-4', output_tokens: 512 });
      break;
    case 3: case 4:
      t.trackPerformance('mcp.tool_call', 5 + (i % 400), 'ms', { server: 'filesystem', tool: 'read_file', outcome: 'ok' });
      break;
    case 5: case 6:
      t.trackFeature('feature.use', { feature_id: 'tool_picker', duration_seconds: (i % 60) + 0.5, interaction_count: i % 7 });
      break;
    case 7:
      t.trackNetwork('api.request', { url: 'https://api.anthropic.com/v1/messages?beta=true', status_code: 200, duration_ms: 80 + (i % 900), bytes_transferred: 4096 });
      break;
    case 8:
      t.trackApp('window.focus', { window: 'main' });
      break;
    default:
      if (i % 100 === 9) t.trackError('config.read_failed', ERR);
      else t.trackPerformance('memory.rss', 180e6 + i, 'bytes', { process: 'main' });
  }
}

