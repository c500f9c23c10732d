// Anomalies of a period, found by the streaming watcher on hourly series after two weeks of
// learning: exactly the injected hour is flagged, with what, where, since when and how sure;
// ordinary noise, daily cycles and a person's idle hours are not.
import { describe, expect, it } from 'vitest';
import { hourlyAnomalies, howSure, type HourlyPoint } from '../../src/analyzer/anomalies.js';
import { SimulatedPerson } from '../../src/demo/simulated-person.js';
import { seededRandom } from '../../src/demo/simulated-mcp-client.js';

const HOUR = 3_600_000;
const DAYS = 15;
/** The period judged: the last day. */
const FROM = (DAYS - 1) * 24 * HOUR;

/** A fleet's hours: a daily cycle of use, errors at `rate` per event, API p95 around 250 ms. */
function fleetHours(rnd: () => number, rate = 0.005): HourlyPoint[] {
  return Array.from({ length: DAYS * 24 }, (_, i) => {
    const cycle = 1 + 0.6 * Math.sin(((i % 24) / 24) * 2 * Math.PI);
    const events = Math.round(1000 * cycle * (0.9 + 0.2 * rnd()));
    let bad = 0;
    for (let k = 0; k < events; k++) if (rnd() < rate) bad++;
    return { t: i * HOUR, events, bad, crashes: 0, inUseMs: 40 * HOUR * cycle, apiP95: 250 * (0.9 + 0.2 * rnd()) };
  });
}

describe('anomalies in the hourly series', () => {
  it('flag exactly the hour whose error rate jumped, saying what, where, since when and how sure', () => {
    const s = fleetHours(seededRandom(1));
    const h = FROM + 17 * HOUR;
    s[h / HOUR] = { ...s[h / HOUR]!, bad: Math.round(s[h / HOUR]!.events * 0.04) };
    const found = hourlyAnomalies(s, { from: FROM, where: 'all versions' });
    expect(found.map((a) => [a.series, a.kind, a.at])).toEqual([['error_rate', 'spike', h]]);
    const a = found[0]!;
    expect(a.since).toBe(h);
    expect(a.observed).toBeCloseTo(0.04, 2);
    expect(a.explanation).toMatch(/^the error rate \(errors and crashes \/ events, all versions\) was \d\.\d\d% at .* UTC where about 0\.\d+% was expected/);
    expect(howSure(a)).toMatch(/^about 1 in 10\^\d+\.\d$/);
  });

  it('find a latency level shift once, as a shift since its start, not as one alarm per hour', () => {
    const s = fleetHours(seededRandom(2));
    const onset = FROM + 6 * HOUR;
    for (const p of s) if (p.t >= onset) p.apiP95 = p.apiP95! * 1.6;
    const found = hourlyAnomalies(s, { from: FROM, series: ['api_latency_p95'] });
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found.length).toBeLessThanOrEqual(2);
    expect(found[0]!.at).toBeLessThan(onset + 4 * HOUR);
    const shift = found.find((a) => a.kind === 'level_shift');
    if (shift) expect(shift.since).toBeGreaterThanOrEqual(onset - HOUR);
    expect(found.every((a) => a.direction === 'up')).toBe(true);
  });

  it('raise a finding in at most 2 of 100 days of ordinary noise with a daily cycle', () => {
    let flagged = 0;
    for (let seed = 1; seed <= 100; seed++) if (hourlyAnomalies(fleetHours(seededRandom(seed * 31)), { from: FROM }).length > 0) flagged++;
    expect(flagged).toBeLessThanOrEqual(2);
  });

  it('learn nothing and say nothing during the warm-up (a new store)', () => {
    const s = fleetHours(seededRandom(3)).slice(0, 48);
    s[40] = { ...s[40]!, bad: s[40]!.events };
    expect(hourlyAnomalies(s, { from: 0 })).toEqual([]);
  });
});

describe('event volume judged per hour of use', () => {
  /** Days of the demo's simulated person (sessions of minutes to hours, idle gaps): events and
   *  time in use per hour, with the client's events per turn drawn as the simulated client draws them. */
  function personHours(seed: number, days: number): HourlyPoint[] {
    const clock = { t: Date.UTC(2026, 10, 1), now() { return this.t; } };
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
    for (; clock.t < start + days * 24 * HOUR; clock.t += 10_000) person.step();
    person.quit();
    const counts = new Map<number, number>();
    for (const t of events) counts.set(Math.floor((t - start) / HOUR), (counts.get(Math.floor((t - start) / HOUR)) ?? 0) + 1);
    return Array.from({ length: days * 24 }, (_, h) => {
      const [from, to] = [start + h * HOUR, start + (h + 1) * HOUR];
      const inUseMs = spans.reduce((a, [s, e]) => a + Math.max(0, Math.min(e, to) - Math.max(s, from)), 0);
      return { t: from, events: counts.get(h) ?? 0, bad: 0, crashes: 0, inUseMs };
    });
  }

  const hours = personHours(1, 30);
  const from = hours[14 * 24]!.t;

  it('the step from "not in use" to "in use" and hours used for a few minutes are no anomaly; a silence while in use is', () => {
    const judged = hours.filter((p) => p.t >= from);
    expect(judged.some((p) => p.inUseMs === 0)).toBe(true);
    expect(judged.some((p) => p.inUseMs! > 0 && p.inUseMs! < HOUR / 2)).toBe(true);
    expect(hourlyAnomalies(hours, { from, series: ['events'] })).toEqual([]);
    const full = hours.findIndex((p) => p.t >= from + 24 * HOUR && p.inUseMs === HOUR);
    const silent = hours.map((p, i) => (i === full ? { ...p, events: 0 } : p));
    const found = hourlyAnomalies(silent, { from, series: ['events'] });
    expect(found.map((a) => [a.kind, a.at])).toEqual([['dip', hours[full]!.t]]);
    expect(found[0]!.explanation).toMatch(/^events per hour of use \(all versions\) was 0\.00 at /);
  });

  it('raise at most 1 finding in 80 days of five simulated people', () => {
    let flagged = 0;
    for (let seed = 2; seed <= 6; seed++) flagged += hourlyAnomalies(personHours(seed, 30), { from: hours[14 * 24]!.t, series: ['events'] }).length;
    expect(flagged).toBeLessThanOrEqual(1);
  });
});
