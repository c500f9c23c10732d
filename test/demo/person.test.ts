// The demo's simulated person behaves like a person: sessions of minutes to hours, hundreds of
// events an hour while in use, idle gaps between sessions, and feature time that never exceeds
// session time. Recorded through the real TelemetryService on a clock the test moves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import { buildReport } from '../../src/analyzer/report/build.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import { SimulatedMcpClient } from '../../src/demo/simulated-mcp-client.js';
import { SimulatedPerson } from '../../src/demo/simulated-person.js';
import type { TelemetryService } from '../../src/telemetry/index.js';
import { harness, type Harness } from '../support/service.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
let h: Harness;
let t: TelemetryService;
let start: number;

beforeAll(() => {
  h = harness();
  t = h.open({ appVersion: '1.5.0' });
  t.setConsent({ usage: 'local', performance: 'local', errors: 'local', crashes: 'local' });
  const person = new SimulatedPerson(new SimulatedMcpClient(t, 9, undefined, h.clock), h.clock, 9);
  start = h.clock.now();
  // Two days, looked at every 15 simulated seconds (the demo's tick at 60x).
  for (; h.clock.now() < start + 48 * HOUR; h.clock.advance(15_000)) person.step();
  person.quit();
  t.flush();
}, 120_000);
afterAll(() => h.cleanup());

const sessions = () =>
  h.rawRows(`SELECT s.session_id AS id, s.ts AS start, e.ts AS end, (SELECT count(*) FROM events x WHERE x.session_id = s.session_id) AS events,
                    (SELECT total(json_extract(payload, '$.duration_seconds')) FROM events f WHERE f.session_id = s.session_id AND f.event_type = 'feature') AS featureSeconds
             FROM events s JOIN events e ON e.session_id = s.session_id AND e.name = 'session.end' WHERE s.name = 'session.start' ORDER BY s.ts`) as { id: string; start: number; end: number; events: number; featureSeconds: number }[];

describe('the simulated person', () => {
  it('uses the app in sessions of minutes to hours, with idle gaps between them', () => {
    const s = sessions();
    expect(s.length).toBeGreaterThanOrEqual(8);
    expect(s.length).toBeLessThanOrEqual(40);
    const lengths = s.map((x) => x.end - x.start).sort((a, b) => a - b);
    expect(lengths[0]!).toBeGreaterThanOrEqual(3 * MIN - 15_000);
    expect(lengths.at(-1)!).toBeLessThanOrEqual(4 * HOUR + 15_000);
    const median = lengths[lengths.length >> 1]!;
    expect(median).toBeGreaterThan(15 * MIN);
    expect(median).toBeLessThan(2 * HOUR);
    for (let i = 1; i < s.length; i++) expect(s[i]!.start - s[i - 1]!.end).toBeGreaterThanOrEqual(10 * MIN - 15_000);
  });

  it('records hundreds of events per hour of use, not thousands', () => {
    const s = sessions();
    const perHour = s.reduce((a, x) => a + x.events, 0) / (s.reduce((a, x) => a + (x.end - x.start), 0) / HOUR);
    expect(perHour).toBeGreaterThan(100);
    expect(perHour).toBeLessThan(1000);
  });

  it('never spends more time in features than in the session, in any session', () => {
    for (const x of sessions()) expect(x.featureSeconds * 1000).toBeLessThanOrEqual(x.end - x.start);
    const d = createLocalAnalysis(t.eventStore.db).dashboard({ range: '7d', now: h.clock.now() });
    const featureMs = d.topFeatures.reduce((a, f) => a + f.timeSpentSeconds * 1000, 0);
    expect(featureMs).toBeGreaterThan(0);
    expect(featureMs).toBeLessThanOrEqual(d.tiles.activeTimeMs.value!);
  });

  it('gives a daily report without "event bursts" or drops: idle hours are not anomalies', () => {
    const m = buildReport(new RollupReader(t.eventStore.db), 'device', 'daily', h.clock.now());
    const anomalies = m.tables.find((x) => x.title === 'Anomalies')!;
    expect(anomalies.rows.filter((r) => r[1] === 'Event burst' || r[1] === 'Event drop')).toEqual([]);
    // Crash-free sessions of an ordinary day of use, not 40%.
    const crashFree = m.headlines.find((x) => x.label === 'Crash-free sessions')!;
    expect(Number.parseFloat(crashFree.value)).toBeGreaterThan(80);
  });
});
