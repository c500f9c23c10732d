// A second corpus shaped unlike telemetry, to check that the detectors are general rather than
// fitted to the first one: random steps (1 minute to 1 hour), scales (thousandths to millions),
// lengths (1,500 to 5,000 points) and noise (Gaussian, heavy-tailed, counts), and no daily cycle
// unless the kind says so:
// walk_spike       random walk; one or two isolated spikes of 6-12 step sizes
// noise_shift      white noise; the level moves by 1.5-4 noise sigmas
// variance_change  white noise; its spread triples
// trend_change     a linear trend with noise; the slope changes (sign or size)
// sine_change      a periodic signal; its amplitude or period changes
// heavy_spike      Student-t(3) noise; one far larger excursion
// count_burst      low Poisson counts; a burst at several times the rate
// clean_walk       random walk, no anomaly
// clean_noise      heavy-tailed or sinusoidal noise, no anomaly
import { Draw } from './random.js';
import type { LabelledSeries } from './series.js';

const STEPS = [60_000, 300_000, 600_000, 3_600_000];
const T0 = Date.UTC(2025, 5, 1);

interface Frame {
  t: number[];
  n: number;
  scale: number;
  offset: number;
}

function frame(d: Draw): Frame {
  const n = 1500 + d.int(3500);
  const step = d.pick(STEPS);
  return { t: Array.from({ length: n }, (_, i) => T0 + i * step), n, scale: 10 ** d.between(-3, 6), offset: d.between(-2, 8) };
}

/** Onsets in the judged part, apart from each other. */
function onsets(d: Draw, n: number, count: number): number[] {
  const lo = Math.floor(0.25 * n);
  const out: number[] = [];
  const span = Math.floor((0.95 * n - lo) / count);
  for (let k = 0; k < count; k++) out.push(lo + k * span + d.int(Math.max(1, Math.floor(span * 0.6))));
  return out;
}

function finish(kind: string, i: number, f: Frame, raw: number[], anomalies: number[], counts = false): LabelledSeries {
  const v = counts ? raw : raw.map((x) => (x + f.offset) * f.scale);
  return { name: `${kind}_${i}`, kind, t: f.t, v, anomalies };
}

const makers: Record<string, (d: Draw, i: number) => LabelledSeries> = {
  walk_spike(d, i) {
    const f = frame(d);
    const a = onsets(d, f.n, 1 + d.int(2));
    let x = 0;
    const raw = f.t.map((_, k) => (x += 0.05 * d.normal()) + (a.includes(k) ? d.pick([-1, 1]) * d.between(0.3, 0.6) : 0));
    return finish('walk_spike', i, f, raw, a);
  },
  noise_shift(d, i) {
    const f = frame(d);
    const a = onsets(d, f.n, 1);
    const jump = d.pick([-1, 1]) * d.between(1.5, 4);
    const raw = f.t.map((_, k) => d.normal() * 0.2 + (k >= a[0]! ? jump * 0.2 : 0));
    return finish('noise_shift', i, f, raw, a);
  },
  variance_change(d, i) {
    const f = frame(d);
    const a = onsets(d, f.n, 1);
    const raw = f.t.map((_, k) => d.normal() * (k >= a[0]! ? 0.6 : 0.2));
    return finish('variance_change', i, f, raw, a);
  },
  trend_change(d, i) {
    const f = frame(d);
    const a = onsets(d, f.n, 1);
    const s1 = d.between(-1, 1) / f.n;
    const s2 = s1 + d.pick([-1, 1]) * d.between(20, 40) / f.n;
    let x = 0;
    const raw = f.t.map((_, k) => (x += k < a[0]! ? s1 : s2) + 0.05 * d.normal());
    return finish('trend_change', i, f, raw, a);
  },
  sine_change(d, i) {
    const f = frame(d);
    const a = onsets(d, f.n, 1);
    const period = d.between(30, 200);
    const amp = d.pick([true, false]);
    let phase = 0;
    const raw = f.t.map((_, k) => {
      phase += (2 * Math.PI) / (k >= a[0]! && !amp ? period / 3 : period);
      return Math.sin(phase) * (k >= a[0]! && amp ? 2.5 : 1) + 0.1 * d.normal();
    });
    return finish('sine_change', i, f, raw, a);
  },
  heavy_spike(d, i) {
    const f = frame(d);
    const a = onsets(d, f.n, 1);
    const raw = f.t.map((_, k) => 0.1 * d.studentT(3) + (k >= a[0]! && k < a[0]! + 3 ? d.pick([-1, 1]) * 3 : 0));
    return finish('heavy_spike', i, f, raw, a);
  },
  count_burst(d, i) {
    const f = frame(d);
    const a = onsets(d, f.n, 1 + d.int(2));
    const rate = d.between(0.2, 3);
    const raw = f.t.map((_, k) => d.count(a.some((o) => k >= o && k < o + 10) ? rate * 5 + 3 : rate));
    return finish('count_burst', i, f, raw, a, true);
  },
  clean_walk(d, i) {
    const f = frame(d);
    let x = 0;
    return finish('clean_walk', i, f, f.t.map(() => (x += 0.05 * d.normal())), []);
  },
  clean_noise(d, i) {
    const f = frame(d);
    const period = d.between(20, 300);
    return finish('clean_noise', i, f, f.t.map((_, k) => (i % 2 ? 0.1 * d.studentT(4) : Math.sin((2 * Math.PI * k) / period) + 0.2 * d.normal())), []);
  },
};

export function genericCorpus(seed = 7, perKind = 4): LabelledSeries[] {
  const out: LabelledSeries[] = [];
  Object.values(makers).forEach((make, k) => {
    for (let i = 0; i < perKind; i++) out.push(make(new Draw(seed * 1000 + k * 100 + i), i));
  });
  return out;
}
