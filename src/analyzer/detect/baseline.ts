// What a series "should" be at a moment, learned causally: a slow level, plus (for a seasonal
// baseline) the usual offset of this hour of the day or of the week, plus a share of the last
// deviation (an AR(1) term, so a random walk is predicted by its last value and white noise by its
// level). One instance per candidate season; the model keeps whichever predicts best.

import { DAY_MS, HOUR_MS, WEEK_MS } from '../time.js';

export type Season = 'none' | 'day' | 'week';

/** Memory of the prediction-error average that picks the best baseline, in points. */
const ERROR_MEMORY = 200;
/** Memory of the seasonal profile, in cycles: long enough to average, short enough to follow. */
const PROFILE_CYCLES = { day: 4, week: 2 } as const;
/** A profile is trusted once it has seen this many whole cycles. */
const PROFILE_MIN_CYCLES = 2;
/** A residual counts at most this many times the current error scale (spikes do not blow it up). */
const HUBER = 4;

export interface Prediction {
  /** Expected value from the level and the season only (what the series normally is now). */
  base: number;
  /** One-step prediction: base plus the persisting share of the last deviation. */
  next: number;
}

export class Baseline {
  level = NaN;
  /** Mean absolute one-step error (Huberized). */
  mae = 0;
  /** Mean absolute deviation from `base` (Huberized): the scale of slow departures. */
  mad = 0;
  private readonly profile: Float64Array;
  private readonly visits: Float64Array;
  private lastDev = 0;
  private cov = 0;
  private varDev = 0;
  private t0 = NaN;
  private points = 0;

  constructor(
    readonly season: Season,
    private readonly levelAlpha: number,
  ) {
    const bins = season === 'week' ? 168 : season === 'day' ? 24 : 1;
    this.profile = new Float64Array(bins);
    this.visits = new Float64Array(bins);
  }

  /** Whether this baseline has seen enough to be trusted. */
  ready(t: number): boolean {
    if (this.points < 8) return false;
    if (this.season === 'none') return true;
    return t - this.t0 >= PROFILE_MIN_CYCLES * (this.season === 'week' ? WEEK_MS : DAY_MS);
  }

  predict(t: number): Prediction {
    if (Number.isNaN(this.level)) return { base: NaN, next: NaN };
    const base = this.level + this.offset(t);
    return { base, next: base + this.phi() * this.lastDev };
  }

  /** Learns from (t, v); `pred` is what predict(t) returned before. */
  learn(t: number, v: number, pred: Prediction, stepMs: number): void {
    this.points++;
    if (Number.isNaN(this.level)) {
      this.level = v;
      this.t0 = t;
      return;
    }
    const err = v - pred.next;
    const dev = v - pred.base;
    const errAlpha = 1 / Math.min(ERROR_MEMORY, this.points);
    this.mae += errAlpha * (huber(Math.abs(err), this.mae) - this.mae);
    this.mad += errAlpha * (huber(Math.abs(dev), this.mad) - this.mad);
    // The level follows the deseasonalised value; a clipped deviation keeps one spike from moving it.
    const clipped = Math.sign(dev) * huber(Math.abs(dev), this.mad);
    this.level += this.levelAlpha * clipped;
    this.cov += errAlpha * (clipped * this.lastDev - this.cov);
    this.varDev += errAlpha * (this.lastDev * this.lastDev - this.varDev);
    this.lastDev = clipped;
    if (this.season !== 'none') {
      const bin = this.bin(t);
      const visitsPerCycle = Math.max(1, HOUR_MS / Math.max(stepMs, 1));
      const alpha = Math.max(1 / (PROFILE_CYCLES[this.season] * visitsPerCycle), 1 / ++this.visits[bin]!);
      this.profile[bin]! += alpha * (clipped + this.offset(t) - this.profile[bin]!);
    }
  }

  /** Moves the level by `delta` at once (after a confirmed level shift). */
  shift(delta: number): void {
    this.level += delta;
    this.lastDev = 0;
  }

  private phi(): number {
    return this.varDev > 0 ? Math.max(0, Math.min(1, this.cov / this.varDev)) : 0;
  }

  private offset(t: number): number {
    return this.season === 'none' ? 0 : this.profile[this.bin(t)]!;
  }

  private bin(t: number): number {
    const hour = Math.floor(t / HOUR_MS);
    return this.season === 'week' ? (((hour + 72) % 168) + 168) % 168 : ((hour % 24) + 24) % 24;
  }
}

function huber(x: number, scale: number): number {
  return scale > 0 ? Math.min(x, HUBER * scale) : x;
}
