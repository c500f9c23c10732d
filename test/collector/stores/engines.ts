// Real engines for the tests that need them: started from the Debian binaries on free loopback
// ports in a temp folder, stopped by PID (src/collector/engines/processes.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { freePort, startClickHouse, type EngineProcess } from '../../../src/collector/engines/processes.js';
import type { IngestEvent } from '../../../src/collector/store.js';
import type { TelemetryEvent } from '../../../src/telemetry/event/schema.js';

export function engineDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ShardedClickHouse {
  servers: EngineProcess[];
  urls: string[];
  /** Starts shard `i` again on its ports and folder (after kill()). */
  restart(i: number): Promise<void>;
  stop(): Promise<void>;
}

/** `n` ClickHouse servers, each knowing all of them as the cluster `fleet`. */
export async function startShards(dir: string, n: number): Promise<ShardedClickHouse> {
  const ports: { http: number; tcp: number; interserver: number }[] = [];
  for (let i = 0; i < n; i++) ports.push({ http: await freePort(), tcp: await freePort(), interserver: await freePort() });
  const cluster = { shards: ports.map((p) => ({ host: '127.0.0.1', tcpPort: p.tcp })) };
  const start = (i: number): Promise<EngineProcess> => startClickHouse(join(dir, `shard${i + 1}`), { ports: ports[i]!, cluster });
  const servers = await Promise.all(ports.map((_, i) => start(i)));
  return {
    servers,
    urls: servers.map((s) => s.url),
    async restart(i) {
      servers[i] = await start(i);
    },
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

const DEVICE = { user_id: uuidv4(), device_id: uuidv4(), app_version: '1.4.0', os: 'linux-x64' };

/** A mix of event types, `perHour` an hour from `from` on, for `hours` hours, of `people` devices. */
export function eventsOver(from: number, hours: number, perHour: number, people = 3): IngestEvent[] {
  const devices = Array.from({ length: people }, (_, i) => (i === 0 ? DEVICE : { ...DEVICE, user_id: uuidv4(), device_id: uuidv4(), app_version: i % 2 === 0 ? '1.4.0' : '1.5.0' }));
  const out: IngestEvent[] = [];
  let seq = 0;
  for (let h = 0; h < hours; h++) {
    for (let k = 0; k < perHour; k++) {
      const ts = from + h * 3_600_000 + Math.floor((k * 3_600_000) / perHour);
      const d = devices[k % devices.length]!;
      const common = { id: uuidv7({ msecs: ts }), timestamp: new Date(ts).toISOString(), session_id: uuidv4(), seq: ++seq, ...d };
      const kind = k % 5;
      const event: TelemetryEvent =
        kind === 0
          ? { ...common, event_type: 'performance', name: 'api.latency', value: 100 + ((k * 37) % 400), unit: 'ms' }
          : kind === 1
            ? { ...common, event_type: 'feature', name: 'feature.use', feature_id: k % 2 ? 'chat' : 'canvas', duration_seconds: k % 60, interaction_count: k % 7 }
            : kind === 2
              ? { ...common, event_type: 'error', name: 'tool.timeout', error_message: 'timed out', error_code: 'ETIMEDOUT' }
              : kind === 3
                ? { ...common, event_type: 'app', name: 'session.start' }
                : { ...common, event_type: 'network', name: 'http.request', url: 'https://api.example.com/v1', status_code: 200, duration_ms: 20 + (k % 90), bytes_transferred: 1000 };
      out.push({ event, ts, clientTs: null });
    }
  }
  return out;
}
