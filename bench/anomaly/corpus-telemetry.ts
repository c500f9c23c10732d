// The telemetry-shaped corpus: what the fleet's and the device's series look like (15-minute
// buckets over four weeks, daily and weekly cycles of use) with the anomalies an on-call engineer
// must hear about, each labelled at its onset:
// usage_cycle       sessions per bucket; activity at night like a weekday afternoon, or an
//                   afternoon as quiet as a night (normal values, wrong hour)
// latency_shift     p95 API latency; a release makes it 1.3-1.8x slower, for good
// error_bursts      errors per bucket (a few); bursts of many for an hour or so
// memory_leak       app memory with GC sawtooth; a leak grows it to the limit, then the app dies
// crash_platform    crashes on one platform (mostly zero); a bad config push makes it crash often
// feature_avoided   uses of one feature; a broken entry point cuts them to a tenth, for good
// collector_flat    a collector's ingest rate; the collector stops and reports the last value, or 0
// clean             seasonal series without anomalies (every alarm on them is false)
import { Draw } from './random.js';
import type { LabelledSeries } from './series.js';

export const STEP_MS = 15 * 60_000;
const DAYS = 28;
const POINTS = (DAYS * 86_400_000) / STEP_MS;
/** Monday 2026-01-05 00:00 UTC: the weekly cycle starts on a Monday. */
const T0 = Date.UTC(2026, 0, 5);
const PER_DAY = 86_400_000 / STEP_MS;

/** Share of peak activity at time t: quiet nights, busy afternoons, weekends at about half. */
export function activity(t: number, phaseHours = 0): number {
  const hour = ((t / 3_600_000 + phaseHours) % 24 + 24) % 24;
  const day = Math.floor((t - T0) / 86_400_000) % 7;
  const daily = 0.08 + 0.92 * Math.exp(-(((hour - 14.5) / 4.2) ** 2));
  return daily * (day >= 5 ? 0.45 : 1);
}

function times(): number[] {
  return Array.from({ length: POINTS }, (_, i) => T0 + i * STEP_MS);
}

/** An onset after the probation and the first two weeks (so weekly cycles are learnable), on a weekday. */
function onset(d: Draw, from = 15, to = 25, hour?: number): number {
  for (;;) {
    const day = from + d.int(to - from);
    if (day % 7 >= 5) continue;
    const h = hour ?? d.int(24);
    return day * PER_DAY + h * 4 + d.int(4);
  }
}

function usageCycle(d: Draw, i: number): LabelledSeries {
  const t = times();
  const peak = d.between(40, 160);
  const lambda = t.map((x) => peak * activity(x));
  const night = onset(d, 15, 19, 3);
  const afternoon = onset(d, 21, 26, 13);
  for (let k = 0; k < 8; k++) lambda[night + k] = peak * d.between(0.7, 0.9);
  for (let k = 0; k < 12; k++) lambda[afternoon + k] = peak * 0.08;
  return { name: `usage_cycle_${i}`, kind: 'usage_cycle', t, v: lambda.map((l) => d.count(l)), anomalies: [night, afternoon], minValue: 0 };
}

function latencyShift(d: Draw, i: number): LabelledSeries {
  const t = times();
  const base = d.between(150, 900);
  const release = onset(d, 15, 24, 9 + d.int(8));
  const factor = d.between(1.3, 1.8);
  const v = t.map((x, k) => {
    const load = 1 + 0.15 * activity(x);
    return Math.round(base * load * Math.exp(0.12 * d.normal()) * (k >= release ? factor : 1));
  });
  return { name: `latency_shift_${i}`, kind: 'latency_shift', t, v, anomalies: [release], minValue: 0 };
}

function errorBursts(d: Draw, i: number): LabelledSeries {
  const t = times();
  const rate = d.between(1, 5);
  const lambda = t.map((x) => rate * activity(x) + 0.2);
  const bursts = [onset(d, 15, 19), onset(d, 21, 26)];
  for (const b of bursts) {
    const len = 2 + d.int(5);
    const extra = d.between(8, 25);
    for (let k = 0; k < len; k++) lambda[b + k]! += extra;
  }
  return { name: `error_bursts_${i}`, kind: 'error_bursts', t, v: lambda.map((l) => d.count(l)), anomalies: bursts, minValue: 0 };
}

function memoryLeak(d: Draw, i: number): LabelledSeries {
  const t = times();
  const base = d.between(300, 600);
  const limit = 1536;
  const start = onset(d, 15, 22);
  // Reaches the limit in 1 to 3 days: slow next to the noise at first, then obvious.
  const slope = (limit - base) / (PER_DAY * d.between(1, 3));
  let leaked = 0;
  let killed = false;
  const v = t.map((_, k) => {
    if (k >= start && !killed) leaked += slope;
    const m = base + 25 * ((k % 8) / 8) + 8 * d.normal() + leaked;
    if (m >= limit) {
      // The app is killed at the limit and restarts with fresh memory (the leak ends with it).
      killed = true;
      leaked = 0;
    }
    return Math.round(Math.min(m, limit));
  });
  return { name: `memory_leak_${i}`, kind: 'memory_leak', t, v, anomalies: [start], minValue: 0, maxValue: limit };
}

function crashPlatform(d: Draw, i: number): LabelledSeries {
  const t = times();
  const rate = d.between(0.05, 0.3);
  const start = onset(d, 15, 25, 8 + d.int(10));
  const len = PER_DAY / 4 + d.int(PER_DAY / 2);
  const spike = d.between(1.5, 4);
  const v = t.map((x, k) => d.count(rate * (0.3 + activity(x)) + (k >= start && k < start + len ? spike * (0.3 + activity(x)) : 0)));
  return { name: `crash_platform_${i}`, kind: 'crash_platform', t, v, anomalies: [start], minValue: 0 };
}

function featureAvoided(d: Draw, i: number): LabelledSeries {
  const t = times();
  const peak = d.between(15, 60);
  const start = onset(d, 15, 25, 9 + d.int(8));
  const v = t.map((x, k) => d.count(peak * activity(x) * (k >= start ? 0.1 : 1)));
  return { name: `feature_avoided_${i}`, kind: 'feature_avoided', t, v, anomalies: [start], minValue: 0 };
}

function collectorFlat(d: Draw, i: number): LabelledSeries {
  const t = times();
  const peak = d.between(100, 2000);
  const start = onset(d, 15, 25);
  const len = PER_DAY / 4 + d.int(PER_DAY);
  const toZero = i % 2 === 1;
  let last = 0;
  const v = t.map((x, k) => {
    if (k >= start && k < start + len) return toZero ? 0 : last;
    last = Math.round(10 * peak * activity(x) * Math.exp(0.08 * d.normal())) / 10;
    return last;
  });
  return { name: `collector_flat_${i}`, kind: 'collector_flat', t, v, anomalies: [start], minValue: 0 };
}

function clean(d: Draw, i: number): LabelledSeries {
  const t = times();
  const shape = i % 3;
  const peak = d.between(20, 500);
  const v = t.map((x, k) =>
    shape === 0 ? d.count(peak * activity(x)) : shape === 1 ? Math.round(peak * (1 + 0.2 * activity(x)) * Math.exp(0.1 * d.normal())) : Math.round(peak + 20 * ((k % 8) / 8) + 6 * d.normal()),
  );
  return { name: `clean_${i}`, kind: 'clean', t, v, anomalies: [], minValue: 0 };
}

const KINDS = [usageCycle, latencyShift, errorBursts, memoryLeak, crashPlatform, featureAvoided, collectorFlat, clean];

/** `perKind` series of every kind, the same for the same seed. */
export function telemetryCorpus(seed = 14, perKind = 4): LabelledSeries[] {
  const out: LabelledSeries[] = [];
  KINDS.forEach((make, k) => {
    for (let i = 0; i < perKind; i++) out.push(make(new Draw(seed * 1000 + k * 100 + i), i));
  });
  return out;
}
