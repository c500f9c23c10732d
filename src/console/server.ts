// The fleet console as its own listener beside the collector: the team's console and the devices'
// ingestion endpoint are different audiences, so they get different ports (and can be firewalled
// apart). It reads the collector's SQLite file through its own read-only connection, through the
// analyzer only.
import Fastify from 'fastify';
import { createFleetAnalysis } from '../analyzer/fleet/fleet-analysis.js';
import { openReadOnly, type Db } from '../analyzer/store.js';
import { systemClock, type Clock } from '../telemetry/ports.js';
import { ConsoleAccess } from './access.js';
import type { ConsoleAlerting } from './alerts-proxy.js';
import { fleetConsolePlugin } from './plugin.js';

export interface FleetConsoleOptions {
  /** The collector's SQLite file (opened read-only), or an open database (tests). */
  dbPath?: string;
  db?: Db;
  staticDir?: string | null;
  /** Default 127.0.0.1. Anything else is a deliberate choice to serve a network. */
  host?: string;
  port?: number;
  clock?: Clock;
  /** Fixed for tests; 32 random bytes by default. */
  token?: string;
  logger?: boolean;
  /** The collector's alerting API and an admin key for it (the Alerts and Release views). */
  alerting?: ConsoleAlerting | null;
}

export interface FleetConsole {
  origin: string;
  /** The way in: the origin with the access token in the fragment. Print it once. */
  loginUrl: string;
  close(): Promise<void>;
}

export async function startFleetConsole(options: FleetConsoleOptions): Promise<FleetConsole> {
  const clock = options.clock ?? systemClock;
  const ownDb = options.db === undefined;
  if (ownDb && options.dbPath === undefined) throw new Error('startFleetConsole: a dbPath or a db is required');
  const db = options.db ?? openReadOnly(options.dbPath!);
  const { access, token } = ConsoleAccess.create(clock, options.token);
  let allowed = { hosts: new Set<string>(), origins: new Set<string>() };
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 4096 });
  await app.register(fleetConsolePlugin, { analysis: createFleetAnalysis(db, () => clock.now()), access, clock, staticDir: options.staticDir ?? null, allowed: () => allowed, alerting: options.alerting ?? null });
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ host, port: options.port ?? 0 });
  } catch (e) {
    if (ownDb) db.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const hosts = new Set([`${hostPart}:${port}`]);
  if (host === '127.0.0.1' || host === '::1') hosts.add(`localhost:${port}`);
  allowed = { hosts, origins: new Set([...hosts].map((h) => `http://${h}`)) };
  const origin = `http://${hostPart}:${port}`;
  return {
    origin,
    loginUrl: `${origin}/#token=${token}`,
    async close() {
      await app.close();
      if (ownDb && db.open) db.close();
    },
  };
}
