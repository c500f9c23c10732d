// main/app-telemetry.ts, the composition main.ts hands Electron's facts to, run in Node with the
// real service on SQLite: what a start records, a minidump from the last run, the first-run consent
// case, and quit committing everything before its bounded upload.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAppTelemetry } from '../../main/app-telemetry.js';
import { MCP_CATALOG } from '../../main/mcp-catalog.js';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import { METRIC } from '../../src/telemetry/event/metric-names.js';
import { MemorySettings } from '../../src/telemetry/ports.js';
import { ManualScheduler } from '../instrument/support.js';
import { ManualClock, tempDir } from '../support/service.js';

let dir: string;
let cleanup: () => void;
let settings: MemorySettings;
let clock: ManualClock;
let scheduler: ManualScheduler;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('app-telemetry-'));
  settings = new MemorySettings();
  clock = new ManualClock();
  scheduler = new ManualScheduler();
});
afterEach(() => cleanup());

function start(online = () => true) {
  return startAppTelemetry({
    dataDir: dir,
    appVersion: '0.1.0',
    settings,
    collector: null,
    crashDumpsDir: join(dir, 'Crashpad'),
    readAppMetrics: () => [{ type: 'Browser', memory: { workingSetSize: 100_000 } }],
    isOnline: online,
    processStartedAt: clock.now() - 900,
    createAnalysis: createLocalAnalysis,
    homeDir: '/home/alice',
    userName: 'alice',
    mcpCatalog: MCP_CATALOG,
    clock,
    scheduler,
  });
}

function names(): string[] {
  const db = new Database(join(dir, 'telemetry.db'), { readonly: true });
  try {
    return (db.prepare('SELECT name FROM events ORDER BY rowid').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('app telemetry', () => {
  it('with consent given earlier, a start records app start, a session, memory, a native crash from the last run; quit commits the end', async () => {
    settings.set('telemetry.consent', { schema: 1, policyVersion: '1', categories: { usage: 'local', performance: 'local', errors: 'local', crashes: 'local' }, updatedAt: new Date(clock.now()).toISOString() });
    mkdirSync(join(dir, 'Crashpad', 'completed'), { recursive: true });
    writeFileSync(join(dir, 'Crashpad', 'completed', 'f00d.dmp'), Buffer.alloc(2048));

    const t = start();
    t.lifecycle.firstWindowShown();
    t.mcp.toolCall({ server: 'filesystem', tool: 'read_file', durationMs: 12, outcome: 'ok' });
    clock.advance(60_000);
    scheduler.fire();
    await t.quit(100);

    expect(names()).toEqual([
      METRIC.nativeCrash,
      METRIC.appStart,
      METRIC.sessionStart,
      METRIC.memoryRss, METRIC.memoryHeapUsed, METRIC.memoryAppTotal,
      METRIC.startupTime,
      METRIC.mcpToolCall,
      METRIC.memoryRss, METRIC.memoryHeapUsed, METRIC.memoryAppTotal,
      METRIC.sessionEnd,
      METRIC.appStop,
    ]);
    // Quit stops the timers it started.
    expect(scheduler.active).toBe(0);
  });

  it('on a first run the session starts when the person says yes through the bridge, and the dashboard counts it', async () => {
    const t = start();
    expect(names()).toEqual([]);
    await t.handlers.call('setConsent', { usage: 'local', performance: 'local' });
    const dash = (await t.handlers.call('dashboard', { range: '24h' })) as { tiles: { sessions: { value: number | null } } };
    expect(dash.tiles.sessions.value).toBe(1);
    await t.quit(100);
    expect(names()).toEqual([METRIC.sessionStart, METRIC.sessionEnd, METRIC.appStop]);
  });

  it('the uploader-facing network state follows net.isOnline on each poll', async () => {
    let online = true;
    const t = start(() => online);
    online = false;
    scheduler.fire();
    expect(t.network.isOnline()).toBe(false);
    await t.quit(100);
  });
});
