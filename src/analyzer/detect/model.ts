// One causal model of one series: each point is judged against what the past says, then learned.
// It weighs four kinds of evidence, each as a surprise in decimal digits (-log10 of how often the
// past produced something at least as extreme), so they compare with each other and across series:
// - point: the value against its one-step prediction (spikes, dips, a broken daily pattern);
// - shift (short and long window): the recent mean against the usual level for this hour
//   (level shifts, bursts of rare events, slow drifts such as a leak);
// - flat: a run of identical values in a series that normally moves (a collector that stopped).
// A confirmed level shift re-anchors the level, so a new normal stops being news.
import { Baseline, type Prediction, type Season } from './baseline.js';
import { TailEstimator } from './tail.js';

export type EvidenceKind = 'spike' | 'dip' | 'shift_up' | 'shift_down' | 'flat_line';

export interface Evidence {
  kind: EvidenceKind;
  /** -log10 of the probability of something at least this extreme under the past. */
  surprise: number;
  /** When the deviation began (ms): the point itself, a window's start, a run's start. */
  since: number;
  /** What the model expected (one-step prediction, or the usual level for the shift kinds). */
  expected: number;
  /** What it saw (the value, or the window's mean). */
  observed: number;
  /** How many points the evidence covers. */
  points: number;
  /** Shift kinds: how many of the latest points lie on the shift's side without a break. */
  run?: number;
}

export interface Assessment {
  t: number;
  v: number;
  /** The strongest evidence's surprise (0 while nothing stands out). */
  surprise: number;
  evidence: Evidence | null;
  /** Every evidence weighed for this point (the strongest is `evidence`). */
  all: Evidence[];
  /** Which seasonal baseline judged this point. */
  season: Season;
}

export interface ModelOptions {
  warmupPoints?: number;
  minValue?: number;
  maxValue?: number;
}

/** Windows of the shift evidence: a short one for bursts, a long one for drifts. */
const SHIFT_WINDOWS = [8, 32] as const;
/** A short-window shift this surprising (1 in 100,000) for a whole window re-anchors the level. */
const REANCHOR_SURPRISE = 5;
/** A baseline replaces the current one only when it predicts this much better (hysteresis). */
const SWITCH_GAIN = 0.9;
/** Gaussian sigma per mean absolute deviation. */
const SIGMA_PER_MAD = 1.2533;
/** Two or three equal readings in a row happen; a flat line is at least four. */
const MIN_REPEATS = 3;
/** Beyond 1 in 10^12 a probability says more about the model than about the series. */
const MAX_SURPRISE = 12;
/** Points of the series before any evidence is weighed at all. */
const MIN_POINTS = 10;

export class SeriesModel {
  private readonly baselines: Baseline[];
  /** The baseline of the one-step prediction (point evidence). */
  private current = 0;
  /** The baseline of the usual level for this hour (shift evidence). */
  private usual = 0;
  private readonly pointTail = new TailEstimator(1);
  private readonly shiftTails = SHIFT_WINDOWS.map((m) => new TailEstimator(1 / Math.sqrt(m)));
  private readonly devRing: Float64Array[];
  private readonly timeRing: Float64Array;
  private ringCount = 0;
  private ringPos = 0;
  private n = 0;
  private prevT = NaN;
  private prevV = NaN;
  private readonly steps: number[] = [];
  private stepMs = 60_000;
  private resolution = Infinity;
  private runLength = 0;
  private runStart = NaN;
  private readonly runCounts: number[] = [];
  private repeats = 0;
  /** The lowest value before the previous point. */
  private lowestBefore = Infinity;
  private runBefore = { longest: 0, goesOn: 0.5, atFloor: false };
  private readonly rangeFloor: number;

  constructor(options: ModelOptions = {}) {
    const warmup = Math.max(20, options.warmupPoints ?? 400);
    // The level remembers about half a warm-up: long enough to be a baseline, short enough to follow.
    const levelAlpha = 1 / Math.min(500, Math.max(30, warmup / 2));
    this.baselines = (['none', 'day', 'week'] as const).map((s) => new Baseline(s, levelAlpha));
    const longest = SHIFT_WINDOWS[SHIFT_WINDOWS.length - 1]!;
    this.devRing = this.baselines.map(() => new Float64Array(longest));
    this.timeRing = new Float64Array(longest);
    const range = (options.maxValue ?? NaN) - (options.minValue ?? NaN);
    // A known range bounds how small a meaningful change can be: a thousandth of it.
    this.rangeFloor = Number.isFinite(range) && range > 0 ? range * 1e-3 : 0;
  }

  update(t: number, v: number): Assessment {
    this.observeStep(t, v);
    const preds = this.baselines.map((b) => b.predict(t));
    this.choose(t);
    const b = this.baselines[this.current]!;
    const p = preds[this.current]!;
    const evidence: Evidence[] = [];
    if (this.n > MIN_POINTS && !Number.isNaN(p.next)) {
      const floor = this.floor(b.level);
      const z = (v - p.next) / (SIGMA_PER_MAD * Math.max(b.mae, floor));
      evidence.push({ kind: z >= 0 ? 'spike' : 'dip', surprise: this.pointTail.surprise(Math.abs(z)), since: t, expected: p.next, observed: v, points: 1 });
      this.pointTail.add(Math.abs(z));
    }
    this.pushDeviations(t, v, preds);
    if (this.n > MIN_POINTS) this.shiftEvidence(evidence, preds[this.usual]!.base);
    const flat = this.flatEvidence(v);
    if (flat) evidence.push(flat);

    for (let i = 0; i < this.baselines.length; i++) this.baselines[i]!.learn(t, v, preds[i]!, this.stepMs);
    let best: Evidence | null = null;
    for (const e of evidence) {
      e.surprise = Math.min(e.surprise, MAX_SURPRISE);
      if (!best || e.surprise > best.surprise) best = e;
    }
    if (best && (best.kind === 'shift_up' || best.kind === 'shift_down') && best.points === SHIFT_WINDOWS[0] && best.surprise >= REANCHOR_SURPRISE) this.reanchor();
    this.prevT = t;
    this.prevV = v;
    return { t, v, surprise: best ? best.surprise : 0, evidence: best, all: evidence, season: b.season };
  }

  private observeStep(t: number, v: number): void {
    this.n++;
    if (!Number.isNaN(this.prevT)) {
      const dt = t - this.prevT;
      if (dt > 0 && this.steps.length < 31) {
        this.steps.push(dt);
        const sorted = [...this.steps].sort((a, b) => a - b);
        this.stepMs = sorted[Math.floor(sorted.length / 2)]!;
      }
      const dv = Math.abs(v - this.prevV);
      if (dv > 0 && dv < this.resolution) this.resolution = dv;
    }
  }

  /** Picks the baseline that predicts the next point best, and the one that explains levels best. */
  private choose(t: number): void {
    this.current = this.pick(t, this.current, (b) => b.mae);
    this.usual = this.pick(t, this.usual, (b) => b.mad);
  }

  private pick(t: number, current: number, error: (b: Baseline) => number): number {
    let best = current;
    for (let i = 0; i < this.baselines.length; i++) {
      const c = this.baselines[i]!;
      if (i !== best && c.ready(t) && error(c) < SWITCH_GAIN * error(this.baselines[best]!)) best = i;
    }
    return best;
  }

  private floor(level: number): number {
    const res = Number.isFinite(this.resolution) ? this.resolution / 2 : 0;
    return Math.max(res, this.rangeFloor, 1e-9 * Math.abs(level), 1e-12);
  }

  private pushDeviations(t: number, v: number, preds: Prediction[]): void {
    const size = this.timeRing.length;
    for (let i = 0; i < this.baselines.length; i++) {
      const b = this.baselines[i]!;
      const dev = Number.isNaN(preds[i]!.base) ? 0 : (v - preds[i]!.base) / (SIGMA_PER_MAD * Math.max(b.mad, this.floor(b.level)));
      this.devRing[i]![this.ringPos] = dev;
    }
    this.timeRing[this.ringPos] = t;
    this.ringPos = (this.ringPos + 1) % size;
    this.ringCount = Math.min(size, this.ringCount + 1);
  }

  private shiftEvidence(out: Evidence[], usual: number): void {
    const ring = this.devRing[this.usual]!;
    const size = ring.length;
    const b = this.baselines[this.usual]!;
    const scale = SIGMA_PER_MAD * Math.max(b.mad, this.floor(b.level));
    SHIFT_WINDOWS.forEach((m, k) => {
      if (this.ringCount < m) return;
      let sum = 0;
      for (let j = 1; j <= m; j++) sum += ring[(this.ringPos - j + size) % size]!;
      const mean = sum / m;
      const tail = this.shiftTails[k]!;
      const surprise = tail.surprise(Math.abs(mean));
      tail.add(Math.abs(mean));
      // Since: the start of the latest unbroken stretch on the shift's side within the window.
      let first = 1;
      while (first < m && Math.sign(ring[(this.ringPos - first - 1 + size) % size]!) === Math.sign(mean)) first++;
      out.push({
        kind: mean >= 0 ? 'shift_up' : 'shift_down',
        surprise,
        since: this.timeRing[(this.ringPos - first + size) % size]!,
        expected: usual,
        observed: usual + mean * scale,
        points: m,
        run: first,
      });
    });
  }

  private flatEvidence(v: number): Evidence | null {
    if (Number.isNaN(this.prevV)) return null;
    const L = v === this.prevV ? this.runLength + 1 : 0;
    if (L === 1) {
      // What the runs before this one say; this run must not vouch for itself. A run at the
      // series' usual floor (zero events, seen before the run) is silence, not a stuck reading:
      // the dip and shift evidence judge whether that silence is unusual. A new low is no floor
      // (a collector that now reports 0 where it never did).
      this.runStart = this.prevT;
      this.runBefore = { longest: this.runCounts.length - 1, goesOn: (this.pointsInRuns(2) + 1) / (this.pointsInRuns(1) + 2), atFloor: v === this.lowestBefore };
    }
    this.runLength = L;
    const atFloor = L > 0 && this.runBefore.atFloor;
    this.lowestBefore = Math.min(this.lowestBefore, this.prevV);
    let evidence: Evidence | null = null;
    if (L >= MIN_REPEATS && !atFloor && this.n > MIN_POINTS) {
      // As often as the past held a value this long, or as likely as L independent repeats; a run
      // longer than any before is rarer by the past's chance that a run goes on, per extra point.
      // A series that is always flat repeats with q near 1 and is never surprising.
      const q = (this.repeats + 1) / (this.n + 1);
      const past = ((this.pointsInRuns(L) + 1) / (this.n + 1)) * Math.pow(this.runBefore.goesOn, Math.max(0, L - this.runBefore.longest));
      const p = Math.max(Math.pow(q, L), past);
      evidence = { kind: 'flat_line', surprise: -Math.log10(p), since: this.runStart, expected: NaN, observed: v, points: L + 1 };
    }
    if (L > 0) this.repeats++;
    if (!atFloor || L === 0) this.runCounts[L] = (this.runCounts[L] ?? 0) + 1;
    return evidence;
  }

  /** Points of the past that were at least `k` repeats into a run. */
  private pointsInRuns(k: number): number {
    let n = 0;
    for (let i = k; i < this.runCounts.length; i++) n += this.runCounts[i] ?? 0;
    return n;
  }

  private reanchor(): void {
    const m = SHIFT_WINDOWS[0];
    const size = this.timeRing.length;
    for (let i = 0; i < this.baselines.length; i++) {
      const b = this.baselines[i]!;
      const ring = this.devRing[i]!;
      let sum = 0;
      for (let j = 1; j <= m; j++) sum += ring[(this.ringPos - j + size) % size]!;
      b.shift((sum / m) * SIGMA_PER_MAD * Math.max(b.mad, this.floor(b.level)));
      ring.fill(0);
    }
    this.ringCount = 0;
  }
}
