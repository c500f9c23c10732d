// Days of earlier use, recorded in a moment: the simulated person's sessions replayed on a clock
// that runs ahead of real time, through the real TelemetryService, into a real database. The demo
// uses it so the dashboard has a history (and an older version to compare with) from the start.
import { join } from 'node:path';
import type { ConsentUpdate } from '../telemetry/consent/consent.js';
import { createNodeSettings } from '../telemetry/host/node-settings.js';
import type { Clock } from '../telemetry/ports.js';
import { TelemetryService } from '../telemetry/service/telemetry-service.js';
import { SimulatedMcpClient, seededRandom, type BuildProfile } from './simulated-mcp-client.js';

export interface HistoryOptions {
  dataDir: string;
  appVersion: string;
  os: string;
  consent: ConsentUpdate;
  /** [from, to) in ms since the epoch. */
  from: number;
  to: number;
  sessionsPerDay: number;
  seed: number;
  build?: BuildProfile;
}

/** A clock the replay moves forward by hand. */
class ReplayClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

/** Records the history and closes the database; returns how many events it added. */
export function recordHistory(o: HistoryOptions): number {
  const clock = new ReplayClock(o.from);
  const t = TelemetryService.open(
    { databasePath: join(o.dataDir, 'telemetry.db'), appVersion: o.appVersion, os: o.os },
    { settings: createNodeSettings(o.dataDir), clock },
  );
  const before = t.health().rows;
  try {
    t.setConsent(o.consent);
    const rnd = seededRandom(o.seed ^ 0x5f3759df);
    const client = new SimulatedMcpClient(t, o.seed, o.build, clock);
    const dayMs = 86_400_000;
    const sessions = Math.max(1, Math.round(((o.to - o.from) / dayMs) * o.sessionsPerDay));
    const spacing = (o.to - o.from) / sessions;
    for (let s = 0; s < sessions; s++) {
      clock.t = Math.floor(o.from + s * spacing + rnd() * spacing * 0.3);
      client.startApp();
      const turns = 8 + Math.floor(rnd() * 40);
      for (let i = 0; i < turns; i++) {
        clock.t += 15_000 + Math.floor(rnd() * 90_000);
        client.turn();
      }
      clock.t += 5_000;
      // Now and then the app dies without a clean end (the analyzer counts such sessions as abnormal).
      if (rnd() < 0.06) continue;
      client.quitApp();
    }
    t.flush();
    return t.health().rows - before;
  } finally {
    t.close();
  }
}
