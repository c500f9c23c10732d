// Grouping the errors and crashes of a generated fleet: four bugs, thrown on three operating systems
// and three builds with moving line numbers, make exactly four groups.
import { describe, expect, it } from 'vitest';
import { issues } from '../../src/analyzer/fleet/issues.js';
import { errorGroups } from '../../src/analyzer/groups.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import { Statements } from '../../src/analyzer/store.js';
import { DAY_MS, windowOf } from '../../src/analyzer/time.js';
import { generateFleet } from './support/fleet.js';
import { END, releaseFleet } from './support/scenarios.js';
import { openStore } from './support/store.js';

describe('error and crash groups of a fleet', () => {
  it('one group per bug, across builds and operating systems, with first/last seen, devices and versions', () => {
    const db = openStore('collector');
    generateFleet(db, releaseFleet('collector', 60));
    const groups = errorGroups(new Statements(db), { window: windowOf(END - 30 * DAY_MS, END), version: null });
    const summary = groups.map((g) => `${g.kind} ${g.frames[0]} [${g.versions.map((v) => v.version).join(' ')}] ${g.oses.length} OSes`).sort();
    expect(summary).toEqual([
      'crash loadServers (main/config.js) [1.4.0 1.5.0 1.6.0] 3 OSes',
      'crash sendToWindow (main/windows.js) [1.6.0] 3 OSes',
      'error callTool (mcp/client.js) [1.4.0 1.5.0 1.6.0] 3 OSes',
      'error parseHistory (history/store.js) [1.4.0 1.5.0 1.6.0] 3 OSes',
    ]);
    const total = db.prepare("SELECT count(*) FROM events WHERE event_type IN ('error', 'crash')").pluck().get() as number;
    expect(groups.reduce((a, g) => a + g.count, 0)).toBe(total);
    for (const g of groups) {
      expect(g.firstSeen).toBeLessThanOrEqual(g.lastSeen);
      expect(g.devices).toBeGreaterThan(0);
      expect(g.devices).toBeLessThanOrEqual(60);
    }
  });

  it('narrows to one version', () => {
    const db = openStore('collector');
    generateFleet(db, releaseFleet('collector', 30));
    const groups = errorGroups(new Statements(db), { window: windowOf(END - 30 * DAY_MS, END), version: '1.4.0' });
    expect(groups.some((g) => g.frames[0] === 'sendToWindow (main/windows.js)')).toBe(false);
    expect(groups.every((g) => g.versions.length === 1 && g.versions[0]!.version === '1.4.0')).toBe(true);
  });
});

describe('rows the grouping cannot read', () => {
  it('a payload that is not JSON, or a stack that is not a string, is grouped by what is left and never fails the list', () => {
    const db = openStore('collector');
    const insert = db.prepare("INSERT INTO events (id, event_type, category, name, ts, client_ts, session_id, user_id, app_version, os, device_id, seq, payload, received_at) VALUES (?, 'error', 'errors', 'mcp.tool_failed', ?, NULL, 's', 'u', '1.0.0', 'linux-x64', 'd', ?, ?, ?)");
    insert.run('bad-1', END - 1000, 1, 'not json {', END);
    insert.run('bad-2', END - 900, 2, JSON.stringify({ error_message: 'x failed', stack_trace: { frames: 1 } }), END);
    insert.run('ok-3', END - 800, 3, JSON.stringify({ error_message: 'x failed' }), END);
    const window = windowOf(END - DAY_MS, END);
    const groups = errorGroups(new Statements(db), { window, version: null });
    expect(groups.reduce((a, g) => a + g.count, 0)).toBe(3);
    // The stack that is an object counts as no stack: the same group as the row without one.
    expect(groups.map((g) => g.count).sort()).toEqual([1, 2]);
    expect(issues(new RollupReader(db), window).map((i) => i.count).sort()).toEqual([1, 2]);
  });
});
