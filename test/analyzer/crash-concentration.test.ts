// Crash concentration on a generated fleet: a crash signature injected on one OS is found with its
// lift, share and significance, in the analyzer, in the report and as an alert rule's metric; a
// clean fleet (every version and OS crashing alike) has none.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { AlertConfigStore } from '../../src/alerting/config-store.js';
import { AlertEngine } from '../../src/alerting/engine.js';
import { readMetric } from '../../src/alerting/metric.js';
import { ruleSchema } from '../../src/alerting/rule.js';
import { crashConcentrations } from '../../src/analyzer/fleet/crash-concentration.js';
import { buildReport } from '../../src/analyzer/report/build.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import type { Db } from '../../src/analyzer/store.js';
import { windowOf } from '../../src/analyzer/time.js';
import { METRIC } from '../../src/telemetry/event/metric-names.js';
import { DAY, generateFleet, type FleetSpec } from './support/fleet.js';
import { END, releaseFleet } from './support/scenarios.js';
import { openStore, StoreWriter } from './support/store.js';

/** releaseFleet with every version the same app: crashes spread evenly over versions and OSes. */
function cleanFleet(): FleetSpec {
  const f = releaseFleet();
  const first = f.versions[0]!;
  return { ...f, versions: f.versions.map((v) => ({ ...first, version: v.version, fromDay: v.fromDay })) };
}

/** A GPU driver crash in `n` sessions of linux-x64 devices in the last week, each on its own
 *  device, and in `elsewhere` sessions of other OSes: a crash that concentrates on one platform. */
function injectLinuxCrash(db: Db, n: number, elsewhere: number): void {
  const starts = db.prepare("SELECT session_id, device_id, user_id, app_version, os, ts FROM events WHERE name = 'session.start' AND ts >= ? GROUP BY device_id ORDER BY ts").raw().all(END - 7 * DAY) as [string, string, string, string, string, number][];
  const linux = starts.filter((s) => s[4] === 'linux-x64').slice(0, n);
  const other = starts.filter((s) => s[4] !== 'linux-x64').slice(0, elsewhere);
  const w = new StoreWriter(db, 'collector', 'gpu-');
  for (const [session, device, user, version, os, ts] of [...linux, ...other]) {
    w.add({ ts: ts + 60_000, type: 'crash', name: METRIC.mainException, session, device, user, version, os, fields: { error_message: 'GPU process lost context', stack_trace: 'Error: GPU process lost context\n    at initCanvas (app/renderer/gl.js:10:5)\n    at mount (app/renderer/canvas.js:20:3)', process: 'gpu', reason: 'crashed' } });
  }
  w.flush();
}

// Two fleets of 200 devices over 30 days are generated first: seconds on shared cores.
vi.setConfig({ hookTimeout: 120_000, testTimeout: 60_000 });

const week = windowOf(END - 7 * DAY, END);
const st = (db: Db) => new RollupReader(db).st;
let clean: Db;
let injected: Db;

beforeAll(() => {
  clean = openStore('collector');
  generateFleet(clean, cleanFleet());
  injected = openStore('collector');
  generateFleet(injected, cleanFleet());
  injectLinuxCrash(injected, 20, 2);
});

describe('crash concentration', () => {
  it('finds the crash injected on linux-x64, with its share, lift and significance, and nothing else', () => {
    const found = crashConcentrations(st(injected), week);
    expect(found.map((c) => c.attributes)).toEqual([[{ name: 'os', value: 'linux-x64' }]]);
    const c = found[0]!;
    expect(c.title).toBe("main uncaught exception (crashed) in renderer/gl.js");
    expect(c.affectedSessions).toBe(20);
    expect(c.groupSessions).toBe(22);
    expect(c.affectedDevices).toBe(20);
    expect(c.affectedShare).toBeCloseTo(20 / 22, 5);
    expect(c.baselineShare).toBeGreaterThan(0.25);
    expect(c.baselineShare).toBeLessThan(0.42);
    expect(c.lift).toBeGreaterThan(2);
    expect(c.pValue).toBeLessThan(0.01);
    expect(c.text).toMatch(/^91% of the 22 sessions with the crash "main uncaught exception \(crashed\) in renderer\/gl\.js" ran os = linux-x64 \(20 sessions on 20 devices\), vs 3\d% of all \d+ sessions: \d\.\dx as common; p = /);
  });

  it('finds none on a clean fleet, nor when too few devices share the crash', () => {
    expect(crashConcentrations(st(clean), week)).toEqual([]);
    const few = openStore('collector');
    generateFleet(few, cleanFleet());
    injectLinuxCrash(few, 4, 0);
    expect(crashConcentrations(st(few), week)).toEqual([]);
  });

  it('the weekly report lists it in its table and its insights; the clean fleet\'s table is empty', () => {
    const m = buildReport(new RollupReader(injected), 'collector', 'weekly', END);
    const t = m.tables.find((x) => x.title === 'Crash concentration')!;
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0]!.slice(1, 3)).toEqual(['os = linux-x64', '91%']);
    expect(m.insights.some((i) => i.startsWith('Crash concentration: 91% of the 22 sessions'))).toBe(true);
    expect(buildReport(new RollupReader(clean), 'collector', 'weekly', END).tables.find((x) => x.title === 'Crash concentration')!.rows).toEqual([]);
  });

  it('as an alert rule\'s metric, it fires on the injected fleet and stays quiet on the clean one', () => {
    const rule = ruleSchema.parse({ id: 'crash-concentration', metric: 'crash_concentration', windowMs: 7 * DAY, condition: { kind: 'threshold', op: 'at_least', value: 2 }, minVolume: { affectedDevices: 5 }, severity: 'warning' });
    const [p] = readMetric(st(injected), rule, END);
    expect(p!.value).toBeGreaterThan(2);
    expect(p!.affectedDevices).toBe(20);
    expect(p!.evidence).toMatch(/ran os = linux-x64/);
    expect(readMetric(st(clean), rule, END)[0]!.value).toBe(0);
    for (const [db, firing] of [[injected, 1], [clean, 0]] as const) {
      const engine = new AlertEngine({ db, config: AlertConfigStore.inMemory({ rules: [rule] }), clock: { now: () => END } });
      engine.evaluate(END);
      expect(engine.active().filter((a) => a.status === 'firing')).toHaveLength(firing);
    }
  });
});
