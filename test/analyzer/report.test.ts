// Reports on a generated fleet and on a device's own database: what they say, and that the HTML
// page stands alone (no script, no external asset) with its charts inline.
import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import { buildReport } from '../../src/analyzer/report/build.js';
import { renderReport } from '../../src/analyzer/report/render.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import type { Db } from '../../src/analyzer/store.js';
import { DAY, generateFleet } from './support/fleet.js';
import { END, releaseFleet } from './support/scenarios.js';
import { openStore, StoreWriter } from './support/store.js';
import { HOUR_MS } from '../../src/analyzer/time.js';
import { METRIC } from '../../src/telemetry/event/metric-names.js';

/** `n` crashes within a few minutes of `at`, each on its own device (a bad push, a bad server). */
function injectCrashes(db: Db, at: number, n: number): void {
  const w = new StoreWriter(db, 'collector', 'injected-');
  for (let i = 0; i < n; i++) {
    w.add({ ts: at + i * 5000, type: 'crash', name: METRIC.mainException, session: `s-inj-${i}`, user: `u-inj-${i}`, device: `d-inj-${i}`, version: '1.6.0', os: 'win32-x64', fields: { error_message: 'boom', process: 'main', reason: 'uncaught_exception' } });
  }
  w.flush();
}

let fleet: RollupReader;
let device: Db;

beforeAll(() => {
  const db = openStore('collector');
  generateFleet(db, releaseFleet());
  fleet = new RollupReader(db);
  device = openStore('device');
  generateFleet(device, releaseFleet('device', 1));
}, 180_000); // generating the fleet takes seconds, more on two shared cores

describe('weekly report', () => {
  it('marks as NEW exactly the crash group that first appeared that week, and compares week over week', () => {
    // The week in which 1.6.0, with its new crash, rolled out.
    const m = buildReport(fleet, 'collector', 'weekly', END - 7 * DAY);
    const groups = m.tables.find((t) => t.title === 'Top crash and error groups')!;
    const fresh = groups.rows.filter((r) => r[0] === 'NEW').map((r) => r[2]);
    expect(fresh).toEqual([expect.stringContaining('Object has been destroyed at sendToWindow')]);
    expect(groups.columns).toContain('Previous week');
    expect(m.insights.join('\n')).toContain('1 new crash/error group');
    const sessions = m.headlines.find((h) => h.label === 'Sessions')!;
    expect(sessions.change).toMatch(/^[+-]\d+\.\d%$/);
  });

  it('reports the crash-free drop and the abandoned feature of the regressed release in its insights', () => {
    const m = buildReport(fleet, 'collector', 'weekly', END);
    const text = m.insights.join('\n');
    expect(text).toMatch(/Crash-free sessions fell from/);
    expect(text).toMatch(/Feature canvas: 100% of the devices that tried it used it once and never again/);
  });
});

describe('monthly report on the fleet', () => {
  it('charts daily, weekly and monthly active devices', () => {
    const m = buildReport(fleet, 'collector', 'monthly', END);
    const active = m.charts.find((c) => c.title.startsWith('Active devices'))!;
    expect(active.series.map((s) => s.label)).toEqual(['DAU', 'WAU', 'MAU']);
    const last = (label: string) => active.series.find((s) => s.label === label)!.points.at(-1)!.v!;
    expect(last('MAU')).toBe(200);
    expect(last('WAU')).toBeLessThanOrEqual(200);
    expect(last('DAU')).toBeLessThanOrEqual(last('WAU'));
  });

  it('has one release-health row per version, newest first', () => {
    const m = buildReport(fleet, 'collector', 'monthly', END);
    expect(m.tables.find((t) => t.title === 'Release health by version')!.rows.map((r) => r[0])).toEqual(['1.6.0', '1.5.0', '1.4.0']);
  });
});

describe('anomalies', () => {
  it('every report has an Anomalies table whose rows say when, what, where, since when and how sure', () => {
    for (const kind of ['daily', 'weekly', 'monthly'] as const) {
      const t = buildReport(fleet, 'collector', kind, END).tables.find((x) => x.title === 'Anomalies')!;
      expect(t.columns).toEqual(['When', 'What', 'Where', 'Since', 'Value', 'Expected', 'How sure', 'Evidence']);
      for (const r of t.rows) {
        expect(r[2]).toBe('all versions');
        expect(r[6]).toMatch(/^about 1 in 10\^\d+\.\d$/);
        expect(r[7]).toMatch(/ UTC.*under its past\.$/);
      }
    }
  });

  it('the streaming watcher finds an hour of crashes injected into the fleet, in the table and the insights', () => {
    const db = openStore('collector');
    generateFleet(db, releaseFleet());
    const at = END - 5 * HOUR_MS - 20 * 60_000;
    injectCrashes(db, at, 40);
    const m = buildReport(new RollupReader(db), 'collector', 'daily', END);
    const rows = m.tables.find((x) => x.title === 'Anomalies')!.rows;
    const hour = `${new Date(Math.floor(at / HOUR_MS) * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const mine = rows.filter((r) => r[0] === hour);
    expect(mine.map((r) => r[1])).toEqual(expect.arrayContaining(['Crashes: spike']));
    expect(m.insights.some((i) => i.startsWith('Anomaly: crashes per hour (all versions) was 4'))).toBe(true);
  });
});

describe('error rate by type and severity', () => {
  it('lists crashes as fatal before errors, each with its rate per 1,000 events, and the new crash has no previous rate', () => {
    const m = buildReport(fleet, 'collector', 'weekly', END - 7 * DAY);
    const t = m.tables.find((x) => x.title.startsWith('Error rate by type and severity'))!;
    expect(t.rows.length).toBeGreaterThan(1);
    const severities = t.rows.map((r) => r[0]);
    expect(severities.indexOf('error')).toBeGreaterThan(severities.lastIndexOf('fatal'));
    for (const r of t.rows) expect(Number(r[3])).toBeGreaterThan(0);
    const total = t.rows.reduce((n, r) => n + Number(r[2]!.replace(/,/g, '')), 0);
    const events = Number(m.headlines.find((h) => h.label === 'Events')!.value.replace(/,/g, ''));
    const rateOfAll = t.rows.reduce((n, r) => n + Number(r[3]), 0);
    expect(rateOfAll).toBeCloseTo((total / events) * 1000, 0);
  });
});

describe('rendering', () => {
  it('makes a self-contained HTML page with inline SVG charts and a Markdown twin', () => {
    const r = renderReport(buildReport(fleet, 'collector', 'daily', END));
    expect(r.html).toMatch(/^<!doctype html>/);
    expect(r.html).toContain('<svg');
    expect(r.html).not.toMatch(/<script|<link|<img|\bsrc=|@import|url\(/i);
    expect(r.markdown).toMatch(/^# Daily health: /);
    expect(r.markdown).toContain('| Version | Sessions | Crash-free sessions');
  });

  it('escapes what came from the data (titles of error groups) in HTML', () => {
    const r = renderReport(buildReport(fleet, 'collector', 'daily', END));
    expect(r.html).toContain('Cannot read properties of undefined (reading &#39;servers&#39;)');
  });
});

describe('LocalAnalysis.report on the device database', () => {
  it('renders each kind for the dashboard, saying it is this device', () => {
    const analysis = createLocalAnalysis(device);
    for (const kind of ['daily', 'weekly', 'monthly'] as const) {
      const r = analysis.report(kind, END);
      expect(r.kind).toBe(kind);
      expect(r.markdown).toContain('This device');
      expect(r.html).toContain('<svg');
    }
  });

  it('says so when nothing was recorded', () => {
    const r = createLocalAnalysis(openStore('device')).report('daily', END);
    expect(r.markdown).toContain('Nothing was recorded in this day.');
    expect(r.html).toContain('No data for this chart.');
  });
});
