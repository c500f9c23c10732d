// The detectors the committed one is compared with, each behind the same streaming interface.
// - report method: the reports' former volume test (report-method.ts, robust z on the median
//   absolute deviation, flagged at |z| >= 5) run on the trailing day of points ending at each one;
//   a point scores 1 when that test flags it. It was written for a finished period, not a stream.
// - windowed Gaussian: NAB's baseline, the tail probability of the value under the mean and
//   standard deviation of the last 6,400 points (re-estimated every 100 points).
import { volumeAnomalies } from './report-method.js';
import type { Detector } from '../../src/analyzer/detect/detector.js';

export function reportMethod(window = 96): Detector {
  const recent: { t: number; v: number }[] = [];
  return {
    update(t, v) {
      recent.push({ t, v });
      if (recent.length > window) recent.shift();
      const flagged = volumeAnomalies(recent);
      return flagged.some((a) => a.t === t) ? 1 : 0;
    },
  };
}

export function windowedGaussian(windowSize = 6400, stepSize = 100): Detector {
  const buffer: number[] = [];
  let mean = 0;
  let sd = 1;
  let sinceFit = 0;
  return {
    update(_t, v) {
      let score = 0;
      if (buffer.length > 1) score = 1 - normalTail(Math.abs(v - mean) / (sd || 1e-9));
      buffer.push(v);
      if (buffer.length > windowSize) buffer.shift();
      if (++sinceFit >= stepSize || buffer.length < stepSize) {
        sinceFit = 0;
        mean = buffer.reduce((a, b) => a + b, 0) / buffer.length;
        sd = Math.sqrt(buffer.reduce((a, b) => a + (b - mean) ** 2, 0) / buffer.length);
      }
      return score;
    },
  };
}

/** Two-sided tail probability of a standard normal beyond |z| (Abramowitz-Stegun 7.1.26, erfc
 * directly: stats.normalCdf would round tails below 1e-16 to 0, and the learned peer ranks them). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return erfc;
}
