// The analyzer's fleet queries on a generated fleet with known properties: what was injected is
// found, with the right status, size and significance; what was not is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFleetAnalysis, type FleetAnalysis } from '../../src/analyzer/fleet/fleet-analysis.js';
import { flowOf, funnelOf } from '../../src/analyzer/fleet/journeys.js';
import { openReadOnly, type Db } from '../../src/analyzer/store.js';
import { EXPERIMENT, JOURNEY, JOURNEY_NEXT } from './support/console-fleet.js';
import { FLEET_END, fleetDb } from './support/fleet-db.js';

let fleet: ReturnType<typeof fleetDb>;
let db: Db;
let a: FleetAnalysis;

beforeAll(() => {
  fleet = fleetDb(150);
  db = openReadOnly(fleet.path);
  a = createFleetAnalysis(db, () => FLEET_END - 1);
}, 180_000);
afterAll(() => {
  db?.close();
  fleet?.remove();
});

describe('issues', () => {
  it('are in priority order, and each injected group has its status', () => {
    const issues = a.issues(30);
    for (let i = 1; i < issues.length; i++) expect(issues[i - 1]!.priority).toBeGreaterThanOrEqual(issues[i]!.priority);
    const by = (text: string) => issues.find((i) => i.title.includes(text))!;
    expect(by('Unexpected token')).toMatchObject({ status: 'regressed', statusVersion: '1.6.0' });
    expect(by("reading 'servers'")).toMatchObject({ status: 'resolved', statusVersion: '1.5.0' });
    expect(by("reading 'servers'").resolvedAt).toBe(Math.min(...a.releases(30).filter((v) => v.version === '1.5.0').map(() => by("reading 'servers'").resolvedAt!)));
    expect(by('Object has been destroyed')).toMatchObject({ status: 'new', kind: 'crash' });
    expect(by('Request timed out')).toMatchObject({ status: 'ongoing' });
    // A resolved group no longer happens, so it is last to work on.
    expect(issues.at(-1)!.status).toBe('resolved');
    expect(by("reading 'servers'").priority).toBe(0);
  });

  it('sum their daily series to their counts', () => {
    for (const i of a.issues(30)) expect(i.daily.reduce((x, y) => x + y, 0)).toBe(i.count);
  });

  it('find the root cause of the out-of-memory crash: win32-x64 with 8 GB, significant', () => {
    const oom = a.issues(30).find((i) => i.title.includes('oom'))!;
    const rc = a.issue(oom.id, 30)!.rootCause;
    const top = rc.suspects[0]!;
    expect(top.attributes.map((x) => `${x.name}=${x.value}`).sort()).toEqual(['memory_class=8gb', 'os=win32-x64']);
    expect(top.affectedShare).toBeGreaterThan(0.8);
    expect(top.baselineShare).toBeLessThan(0.2);
    expect(top.pValue).toBeLessThan(1e-10);
    // Nothing about the model or the provider explains it on its own.
    expect(rc.suspects.filter((s) => s.attributes.length === 1 && ['provider', 'model'].includes(s.attributes[0]!.name))).toEqual([]);
  });

  it('find no root cause for an error that hits everyone alike', () => {
    const timeout = a.issues(30).find((i) => i.title.includes('Request timed out'))!;
    const rc = a.issue(timeout.id, 30)!.rootCause;
    expect(rc.suspects.filter((s) => s.attributes.some((x) => x.name === 'os' || x.name === 'memory_class'))).toEqual([]);
  });

  it('show a group\'s newest events first, raw, and a representative stack', () => {
    const race = a.issues(30).find((i) => i.title.includes('destroyed'))!;
    const d = a.issue(race.id, 30)!;
    expect(d.representativeStack).toMatch(/^Error: Object has been destroyed\n\s+at sendToWindow/);
    const ts = d.events.map((e) => Date.parse(String(e.timestamp)));
    expect(ts).toEqual([...ts].sort((x, y) => y - x));
    expect(d.events[0]).toMatchObject({ event_type: 'crash', app_version: '1.6.0', process: 'main' });
    expect(a.issue('ffffffffffffffff', 30)).toBeNull();
  });
});

describe('product', () => {
  it('features: canvas abandoned, settings_sync avoided, chat neither', () => {
    const f = a.features(30).features;
    const by = (id: string) => f.find((x) => x.feature === id)!;
    expect(by('canvas').abandonmentRate).toBeGreaterThan(0.9);
    expect(by('settings_sync')).toMatchObject({ avoided: true });
    expect(by('chat')).toMatchObject({ avoided: false, abandoned: 0 });
    for (const x of f) expect(Math.max(...x.dailyDevices)).toBeLessThanOrEqual(x.devices);
  });

  it('journeys: the funnel converts as injected, and the flow counts every transition', () => {
    const [s1, s2, s3] = a.funnel(30, JOURNEY, null);
    expect(s1!.conversion).toBe(1);
    expect(s2!.sessions / s1!.sessions).toBeCloseTo(JOURNEY_NEXT[0], 1);
    expect(s3!.sessions / s2!.sessions).toBeCloseTo(JOURNEY_NEXT[1], 1);
    expect(s3!.dropOff).toBeCloseTo(1 - s3!.sessions / s2!.sessions, 10);
    const flow = a.flow(30, null);
    expect(flow.transitions.find((t) => t.from === JOURNEY[0] && t.to === JOURNEY[1])!.count).toBeGreaterThanOrEqual(s2!.sessions * 0.9);
  });

  it('journeys: funnels and flows of handmade paths', () => {
    const paths = new Map([
      ['s1', ['a', 'b', 'c']],
      ['s2', ['a', 'x', 'b']],
      ['s3', ['b', 'a']],
      ['s4', ['a']],
    ]);
    expect(funnelOf(paths, ['a', 'b', 'c']).map((s) => s.sessions)).toEqual([4, 2, 1]);
    const f = flowOf(paths);
    expect(f.sessions).toBe(4);
    expect(f.transitions.find((t) => t.from === '(start)' && t.to === 'a')).toMatchObject({ count: 3, share: 0.75 });
    expect(f.transitions.find((t) => t.from === 'a' && t.to === '(end)')).toMatchObject({ count: 2 });
  });

  it('experiments: the tour lifts conversion significantly, the split is fair, crash-freedom unchanged', () => {
    const [x] = a.experiments(30, 'share');
    expect(x!.experiment).toBe(EXPERIMENT);
    expect(x!.control).toBe('control');
    const conv = x!.comparisons.find((c) => c.metric === 'conversion')!;
    expect(conv).toMatchObject({ variant: 'tour', significant: true });
    expect(conv.result.low!).toBeGreaterThan(0);
    expect(x!.srm.mismatch).toBe(false);
    expect(x!.variants.reduce((n, v) => n + v.units, 0) + x!.mixedUnits).toBeGreaterThan(100);
    // Without a goal, only the unit-level crash-free comparison.
    expect(a.experiments(30, null)[0]!.comparisons.map((c) => c.metric)).toEqual(['crash-free units']);
  });
});

describe('log search', () => {
  it('matches every word in message, stack or code, case-insensitively, newest first, with a histogram of all', () => {
    const r = a.logs({ days: 30, text: 'PARSEHISTORY json' });
    expect(r.total).toBeGreaterThan(0);
    expect(r.hits.every((h) => h.message.includes('JSON'))).toBe(true);
    expect(r.histogram.reduce((n, b) => n + b.count, 0)).toBe(r.total);
    const ts = r.hits.map((h) => h.ts);
    expect(ts).toEqual([...ts].sort((x, y) => y - x));
    expect(a.logs({ days: 30, text: 'json nosuchword' }).total).toBe(0);
  });

  it('finds a Windows path with its backslashes, and narrows by OS, type and group', () => {
    const win = a.logs({ days: 30, text: 'app.asar\\dist\\main' });
    expect(win.total).toBeGreaterThan(0);
    expect(new Set(win.hits.map((h) => h.os))).toEqual(new Set(['win32-x64']));
    const all = a.logs({ days: 30, text: 'destroyed', limit: 1000 });
    const linux = a.logs({ days: 30, text: 'destroyed', os: 'linux-x64', kind: 'crash', limit: 1000 });
    expect(linux.total).toBe(all.hits.filter((h) => h.os === 'linux-x64' && h.kind === 'crash').length);
    const group = all.hits[0]!.group;
    expect(a.logs({ days: 30, text: '', group, limit: 1000 }).total).toBe(a.issues(30).find((i) => i.id === group)!.count);
  });

  it('finds by event name too', () => {
    expect(a.logs({ days: 30, text: 'renderer.gone' }).total).toBe(a.issues(30).find((i) => i.title.includes('oom'))!.count);
  });
});
