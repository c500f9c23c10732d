// The one line the collector's CLI runs: start the fleet console beside it when
// COLLECTOR_CONSOLE is set (`127.0.0.1:4319`, or `on` for that default), and print the way in.
// Off by default, so a collector facing the internet exposes nothing but ingestion.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { startFleetConsole, type FleetConsole } from './server.js';

export const CONSOLE_DIST = resolve('dist/console');
export const DEFAULT_CONSOLE_PORT = 4319;

/** `collectorUrl`: where the collector answers, so the console can reach its alerting API with the
 *  first of COLLECTOR_ADMIN_KEYS (without them the Alerts view says alerting is off). */
export async function startConsoleFromEnv(dbPath: string, env: NodeJS.ProcessEnv, print: (line: string) => void, collectorUrl?: string): Promise<FleetConsole | null> {
  const spec = env.COLLECTOR_CONSOLE;
  if (spec === undefined || spec === '' || spec === 'off') return null;
  if (dbPath === ':memory:') {
    print('Fleet console: unavailable (the store is in memory; give --db a file)');
    return null;
  }
  const m = /^(?:(.+):)?(\d+)$/.exec(spec);
  const host = spec === 'on' ? '127.0.0.1' : (m?.[1] ?? '127.0.0.1');
  const port = spec === 'on' ? DEFAULT_CONSOLE_PORT : Number(m?.[2] ?? NaN);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`COLLECTOR_CONSOLE must be "on" or [host:]port, not ${JSON.stringify(spec)}`);
  const adminKey = (env.COLLECTOR_ADMIN_KEYS ?? '').split(',').map((k) => k.trim()).find((k) => k !== '');
  const alerting = collectorUrl !== undefined && adminKey !== undefined ? { url: collectorUrl, adminKey } : null;
  const c = await startFleetConsole({ dbPath, host, port, staticDir: existsSync(CONSOLE_DIST) ? CONSOLE_DIST : null, alerting });
  print(`Fleet console: ${c.loginUrl}`);
  return c;
}
