// Generated fleets with known properties: each version has its own crash rate, error rate,
// latency, memory and load time, its own crash and error signatures, and features that are kept or
// abandoned. Seeded, so every run writes exactly the same rows.
import { METRIC } from '../../../src/telemetry/event/metric-names.js';
import type { StoreKind } from '../../../src/analyzer/store.js';
import { Rng } from './rng.js';
import { StoreWriter, type RawEvent } from './store.js';
import type { Db } from '../../../src/analyzer/store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface FeatureSpec {
  id: string;
  /** Chance that a session uses it. */
  perSession: number;
  /** Devices try it once and never again. */
  abandoned?: boolean;
}

export interface VersionSpec {
  version: string;
  /** Devices move to this version from this day of the simulation on (0 = first day). */
  fromDay: number;
  crashPerSession: number;
  errorsPerSession: number;
  /** Share of sessions that just stop: no end, no crash (killed, power loss). */
  abnormalPerSession?: number;
  apiLatencyMs: number;
  memoryBytes: number;
  loadMs: number;
  /** Signature names (see STACKS) of the crashes and errors this version produces. */
  crashes: string[];
  errors: string[];
  features: FeatureSpec[];
}

export interface FleetSpec {
  seed: number;
  kind: StoreKind;
  /** The simulation ends here (exclusive); it runs for `days` before. */
  end: number;
  days: number;
  devices: number;
  sessionsPerDevicePerDay: number;
  /** API requests per session; the other measures scale with it. */
  requestsPerSession: number;
  versions: VersionSpec[];
}

const OSES = ['win32-x64', 'darwin-arm64', 'linux-x64'] as const;

export function generateFleet(db: Db, spec: FleetSpec): { events: number } {
  const rng = new Rng(spec.seed);
  const w = new StoreWriter(db, spec.kind);
  const start = spec.end - spec.days * DAY;
  const versions = [...spec.versions].sort((a, b) => a.fromDay - b.fromDay);
  const abandonedSeen = new Set<string>();
  for (let d = 0; d < spec.devices; d++) {
    const device = rng.uuid();
    const user = rng.uuid();
    const os = OSES[d % OSES.length]!;
    const lag = rng.next() * 2;
    // Session start times over the whole period, in order.
    const n = rng.poisson(spec.sessionsPerDevicePerDay * spec.days);
    const starts = Array.from({ length: n }, () => start + rng.next() * spec.days * DAY).sort((a, b) => a - b);
    for (let s = 0; s < starts.length; s++) {
      let t = Math.floor(starts[s]!);
      const day = (t - start) / DAY;
      const v = [...versions].reverse().find((x) => x.fromDay + (x.fromDay > 0 ? lag : 0) <= day) ?? versions[0]!;
      const session = rng.uuid();
      const next = s + 1 < starts.length ? starts[s + 1]! : spec.end;
      const lengthMs = Math.min(rng.lognormal(20 * 60_000, 0.8), next - t - 1000, spec.end - t - 1000);
      if (lengthMs < 60_000) continue;
      const sessionStart = t;
      const ev = (type: RawEvent['type'], name: string, fields: Record<string, unknown>, at = t) =>
        w.add({ ts: Math.floor(at), type, name, session, user, device, version: v.version, os, fields });
      const at = () => sessionStart + rng.next() * lengthMs * 0.9;
      ev('app', METRIC.sessionStart, {});
      ev('performance', METRIC.startupTime, { value: rng.lognormal(v.loadMs, 0.25), unit: 'ms' }, sessionStart + 1);
      ev('performance', METRIC.memoryRss, { value: rng.lognormal(v.memoryBytes, 0.15), unit: 'bytes' }, at());
      ev('performance', METRIC.memoryRss, { value: rng.lognormal(v.memoryBytes, 0.15), unit: 'bytes' }, at());
      for (let r = 0; r < spec.requestsPerSession; r++) {
        const when = at();
        ev('network', METRIC.apiRequest, { url: 'https://api.example.com/v1/messages', status_code: 200, duration_ms: rng.lognormal(v.apiLatencyMs, 0.5), bytes_transferred: 2048 }, when);
        ev('performance', METRIC.llmTimeToFirstToken, { value: rng.lognormal(600, 0.4), unit: 'ms' }, when);
        ev('performance', METRIC.llmTokensPerSecond, { value: rng.lognormal(60, 0.3), unit: 'tokens_per_s' }, when);
        ev('performance', METRIC.mcpToolCall, { value: rng.lognormal(80, 0.7), unit: 'ms' }, when);
      }
      for (const f of v.features) {
        if (f.abandoned) {
          const key = `${device}/${f.id}`;
          if (abandonedSeen.has(key) || rng.next() > f.perSession) continue;
          abandonedSeen.add(key);
        } else if (rng.next() > f.perSession) continue;
        ev('feature', 'feature.use', { feature_id: f.id, duration_seconds: rng.lognormal(30, 0.8), interaction_count: 1 + rng.int(6) }, at());
      }
      for (let e = rng.poisson(v.errorsPerSession); e > 0 && v.errors.length > 0; e--) {
        const sig = rng.pick(v.errors);
        ev('error', 'mcp.tool_failed', { error_message: STACKS[sig]!.message, error_code: 'E_TOOL', stack_trace: stackOf(sig, v.version, os, rng) }, at());
      }
      const roll = rng.next();
      if (roll < v.crashPerSession && v.crashes.length > 0) {
        const sig = rng.pick(v.crashes);
        t = sessionStart + lengthMs;
        ev('crash', METRIC.mainException, { error_message: STACKS[sig]!.message, stack_trace: stackOf(sig, v.version, os, rng), process: 'main', reason: 'uncaught_exception' }, t);
      } else if (roll < v.crashPerSession + (v.abnormalPerSession ?? 0)) {
        // Just stops.
      } else {
        ev('app', METRIC.sessionEnd, { context: { duration_ms: Math.round(lengthMs) } }, sessionStart + lengthMs);
      }
    }
  }
  w.flush();
  return { events: w.written };
}

/** Signatures: an error type and message, and the in-app frames (function, file) from the top. */
export const STACKS: Record<string, { type: string; message: string; frames: [string, string][] }> = {
  nullConfig: { type: 'TypeError', message: "Cannot read properties of undefined (reading 'servers')", frames: [['loadServers', 'main/config.js'], ['startMcp', 'main/mcp/host.js'], ['App.ready', 'main/index.js']] },
  toolTimeout: { type: 'Error', message: 'MCP error -32001: Request timed out', frames: [['callTool', 'main/mcp/client.js'], ['runTool', 'main/mcp/tools.js'], ['handleTurn', 'main/chat/turn.js']] },
  badJson: { type: 'SyntaxError', message: 'Unexpected token } in JSON at position 1042', frames: [['parseHistory', 'main/history/store.js'], ['loadHistory', 'main/history/index.js']] },
  raceDispose: { type: 'Error', message: 'Object has been destroyed', frames: [['sendToWindow', 'main/windows.js'], ['onTokens', 'main/chat/stream.js'], ['emit', 'main/chat/stream.js']] },
};

function stackOf(sig: string, version: string, os: string, rng: Rng): string {
  const s = STACKS[sig]!;
  const root =
    os.startsWith('win') ? 'C:\\Users\\<user>\\AppData\\Local\\Programs\\mcp-client\\resources\\app.asar\\dist\\' : os.startsWith('darwin') ? '/Applications/MCP Client.app/Contents/Resources/app.asar/dist/' : '/opt/mcp-client/resources/app.asar/dist/';
  const sep = os.startsWith('win') ? '\\' : '/';
  // Line numbers move with every build; columns too.
  const build = version.split('.').reduce((a, x) => a * 31 + Number(x), 7);
  const lines = s.frames.map(([fn, file], i) => `    at ${fn} (${root}${file.replaceAll('/', sep)}:${(build * (i + 3)) % 900 + 10 + rng.int(3)}:${5 + rng.int(40)})`);
  lines.push(`    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`);
  return `${s.type}: ${s.message}\n${lines.join('\n')}`;
}

export { DAY, HOUR };
