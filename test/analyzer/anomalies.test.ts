// Anomalies within a period: exactly the injected bucket is flagged, ordinary noise is not.
import { describe, expect, it } from 'vitest';
import { errorRateAnomalies, volumeAnomalies, type VolumePoint } from '../../src/analyzer/anomalies.js';
import { SimulatedPerson } from '../../src/demo/simulated-person.js';
import { seededRandom } from '../../src/demo/simulated-mcp-client.js';

const HOUR = 3_600_000;

/** Events per bucket drawn around `mean`, errors drawn with probability `rate` per event. */
function series(rnd: () => number, n: number, mean: number, rate: number): { t: number; all: number; bad: number }[] {
  return Array.from({ length: n }, (_, i) => {
    const all = Math.round(mean * (0.8 + 0.4 * rnd()));
    let bad = 0;
    for (let k = 0; k < all; k++) if (rnd() < rate) bad++;
    return { t: i * HOUR, all, bad };
  });
}

describe('error-rate anomalies', () => {
  it('flag exactly the hour whose error rate jumped, with the evidence', () => {
    const s = series(seededRandom(1), 24, 1000, 0.005);
    s[17] = { t: 17 * HOUR, all: 1000, bad: 40 };
    const found = errorRateAnomalies(s);
    expect(found.map((a) => a.t)).toEqual([17 * HOUR]);
    expect(found[0]!.value).toBeCloseTo(0.04);
    expect(found[0]!.evidence).toMatch(/40 errors in 1000 events .* p = /);
  });

  it('raise a false alarm in at most 1 of 200 periods of ordinary noise (0.1% per period by design)', () => {
    let periodsFlagged = 0;
    for (let seed = 1; seed <= 200; seed++) if (errorRateAnomalies(series(seededRandom(seed), 24, 400, 0.01)).length > 0) periodsFlagged++;
    expect(periodsFlagged).toBeLessThanOrEqual(1);
  });

  it('say nothing when there is too little to compare', () => {
    expect(errorRateAnomalies([{ t: 0, all: 10, bad: 5 }, { t: HOUR, all: 10, bad: 0 }])).toEqual([]);
  });
});

describe('volume anomalies', () => {
  const steady = (rnd: () => number, n: number) => Array.from({ length: n }, (_, i) => ({ t: i * HOUR, v: Math.round(500 * (0.9 + 0.2 * rnd())) }));

  it('flag a burst and a silence in the middle of use, not the quiet before and after it', () => {
    const s = steady(seededRandom(3), 24);
    s[5]!.v = 6000;
    s[12]!.v = 0;
    s[0]!.v = 0;
    s[23]!.v = 0;
    const found = volumeAnomalies(s);
    expect(found.map((a) => [a.kind, a.t])).toEqual([['volume_spike', 5 * HOUR], ['volume_drop', 12 * HOUR]]);
  });

  it('flag nothing in 200 periods of steady use', () => {
    let flagged = 0;
    for (let seed = 1; seed <= 200; seed++) flagged += volumeAnomalies(steady(seededRandom(seed), 24)).length;
    expect(flagged).toBe(0);
  });
});

describe('volume anomalies judged only while the app was in use', () => {
  /** A day of the demo's simulated person (sessions of minutes to hours, idle gaps): events and
   *  time in use per hour, with the client's events per turn (an LLM call, its API request, 0-3
   *  tool calls, a feature use, memory samples) drawn as the simulated client draws them. */
  function personDay(seed: number): VolumePoint[] {
    const clock = { t: Date.UTC(2026, 10, 28), now() { return this.t; } };
    const rnd = seededRandom(seed * 7919);
    const events: number[] = [];
    const spans: [number, number][] = [];
    let open = 0;
    const app = {
      startApp: () => { open = clock.t; events.push(clock.t, clock.t, clock.t, clock.t); },
      quitApp: () => { spans.push([open, clock.t]); events.push(clock.t, clock.t); },
      turn: () => { const n = 3 + (rnd() < 0.55 ? 1 + Math.floor(rnd() * 3) * 2 : 0) + (rnd() < 0.5 ? 1 : 0) + (rnd() < 0.25 ? 3 : 0); for (let i = 0; i < n; i++) events.push(clock.t); },
    };
    const person = new SimulatedPerson(app, clock, seed);
    const start = clock.t;
    for (; clock.t < start + 24 * HOUR; clock.t += 10_000) person.step();
    person.quit();
    return Array.from({ length: 24 }, (_, h) => {
      const [from, to] = [start + h * HOUR, start + (h + 1) * HOUR];
      const inUseMs = spans.reduce((a, [s, e]) => a + Math.max(0, Math.min(e, to) - Math.max(s, from)), 0);
      return { t: from, v: events.filter((t) => t >= from && t < to).length, inUseMs };
    });
  }

  it('the step from "not in use" to "in use" and hours used for a few minutes are no anomaly; a silence while in use is', () => {
    const day = personDay(1);
    expect(day.some((p) => p.inUseMs === 0)).toBe(true);
    expect(day.some((p) => p.inUseMs! > 0 && p.inUseMs! < HOUR / 2)).toBe(true);
    expect(volumeAnomalies(day, { bucketMs: HOUR })).toEqual([]);
    const full = day.findIndex((p) => p.inUseMs === HOUR);
    const silent = day.map((p, i) => (i === full ? { ...p, v: 0 } : p));
    expect(volumeAnomalies(silent, { bucketMs: HOUR }).map((a) => [a.kind, a.t])).toEqual([['volume_drop', day[full]!.t]]);
  });

  it('raise at most 1 false alarm in 200 days of the demo\'s simulated person', () => {
    let flagged = 0;
    let countsAlone = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const day = personDay(seed);
      if (volumeAnomalies(day, { bucketMs: HOUR }).length > 0) flagged++;
      if (volumeAnomalies(day.map((p) => ({ t: p.t, v: p.v }))).length > 0) countsAlone++;
    }
    // Judged on counts alone (the gaps between sessions and the partly used hours as if they were
    // silences), the same days raise many alarms: what the issue saw.
    expect(countsAlone).toBeGreaterThan(10);
    expect(flagged).toBeLessThanOrEqual(1);
  });
});
