// The public streaming detector for any series: a score in [0, 1] per point, causal.
// The score is the model's surprise squashed into [0, 1], with one rule on top that an on-call
// engineer would ask for: an anomaly is news once. While the surprise stays at or below the
// largest one of the last `restPoints` points (plus a margin), the score is held down, so a
// level shift or a stopped collector raises one alarm, not one per point; a clearly larger
// surprise still gets through at once.
import { SeriesModel, type Assessment, type ModelOptions } from './model.js';

export type DetectorOptions = ModelOptions;

export interface Detector {
  /** Scores the point (0 = ordinary, 1 = as anomalous as it gets) and then learns from it. */
  update(timestampMs: number, value: number): number;
}

/** Surprise (decimal digits) at which the score is one half. */
const HALF_SCORE_SURPRISE = 6;
/** A new alarm within the rest period needs 10x less likely evidence than the last one. */
const RENEW_MARGIN = 1;
/** Held-down scores keep this share of their surprise (still ordered, far below an alarm). */
const HELD_SHARE = 0.25;

export function scoreOfSurprise(surprise: number): number {
  return surprise > 0 ? surprise / (surprise + HALF_SCORE_SURPRISE) : 0;
}

/** The rest period after an alarm, in points: about half a warm-up, between 20 and 400. */
export function restPointsFor(warmupPoints: number | undefined): number {
  return Math.round(Math.min(400, Math.max(20, (warmupPoints ?? 400) / 2)));
}

/** Holds repeated evidence of the same episode down; shared by the detector and the watcher. */
export class Rest {
  // A sliding-window maximum (monotonic deque of [index, surprise]): O(1) per point.
  private readonly window: [number, number][] = [];
  private head = 0;
  private i = 0;

  constructor(private readonly points: number) {}

  /** The surprise to report for this one, given the surprises of the points before. */
  admit(surprise: number): { surprise: number; fresh: boolean } {
    const w = this.window;
    while (this.head < w.length && w[this.head]![0] < this.i - this.points) this.head++;
    const max = this.head < w.length ? w[this.head]![1] : 0;
    while (w.length > this.head && w[w.length - 1]![1] <= surprise) w.pop();
    w.push([this.i++, surprise]);
    if (this.head > 1024) {
      w.splice(0, this.head);
      this.head = 0;
    }
    if (surprise > max + RENEW_MARGIN || max === 0) return { surprise, fresh: true };
    return { surprise: surprise * HELD_SHARE, fresh: false };
  }
}

export function createDetector(options: DetectorOptions = {}): Detector {
  const model = new SeriesModel(options);
  const rest = new Rest(restPointsFor(options.warmupPoints));
  return {
    update(timestampMs: number, value: number): number {
      if (!Number.isFinite(timestampMs) || !Number.isFinite(value)) return 0;
      const a: Assessment = model.update(timestampMs, value);
      return scoreOfSurprise(rest.admit(a.surprise).surprise);
    },
  };
}
