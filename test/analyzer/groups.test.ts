// Grouping the errors and crashes of a generated fleet: four bugs, thrown on three operating systems
// and three builds with moving line numbers, make exactly four groups.
import { describe, expect, it } from 'vitest';
import { errorGroups } from '../../src/analyzer/groups.js';
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
