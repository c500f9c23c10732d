// The tests the fleet console adds to the analyzer's (stats.ts): a difference of two proportions
// with its confidence interval, and the chi-square goodness-of-fit test behind the sample-ratio-
// mismatch check of an experiment.
import { logGamma, normalCdf } from '../stats.js';

/** Φ⁻¹(p), Acklam's rational approximation (relative error < 1.15e-9), for confidence levels. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('normalQuantile: p must be in (0, 1)');
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

export interface Proportion {
  successes: number;
  n: number;
}

export interface ProportionDifference {
  control: number | null;
  treatment: number | null;
  /** treatment - control, absolute. */
  difference: number | null;
  /** Wald interval of the difference at `confidence` (unpooled standard error). */
  low: number | null;
  high: number | null;
  confidence: number;
  /** Two-sided p-value of the pooled two-proportion z test. */
  pValue: number | null;
}

/** Treatment minus control, with a confidence interval and a two-sided z test. Null where a side
 *  has no units: no difference can be claimed from nothing. */
export function proportionDifference(control: Proportion, treatment: Proportion, confidence = 0.95): ProportionDifference {
  if (control.n === 0 || treatment.n === 0) {
    return { control: control.n > 0 ? control.successes / control.n : null, treatment: treatment.n > 0 ? treatment.successes / treatment.n : null, difference: null, low: null, high: null, confidence, pValue: null };
  }
  const p1 = control.successes / control.n;
  const p2 = treatment.successes / treatment.n;
  const diff = p2 - p1;
  const se = Math.sqrt((p1 * (1 - p1)) / control.n + (p2 * (1 - p2)) / treatment.n);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const pooled = (control.successes + treatment.successes) / (control.n + treatment.n);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / control.n + 1 / treatment.n));
  const pValue = sePooled > 0 ? 2 * normalCdf(-Math.abs(diff) / sePooled) : diff === 0 ? 1 : 0;
  return { control: p1, treatment: p2, difference: diff, low: diff - z * se, high: diff + z * se, confidence, pValue };
}

/** Q(a, x), the regularized upper incomplete gamma function (Numerical Recipes' gammq). */
export function upperGammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPre = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    // Series for P(a, x).
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lnPre));
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.min(1, Math.exp(lnPre) * h);
}

/** P(X² >= x) for a chi-square variable with `df` degrees of freedom. */
export function chiSquareUpperTail(x: number, df: number): number {
  return upperGammaQ(df / 2, x / 2);
}

/** A sample-ratio mismatch is declared below this p-value: strict, because the check runs on every
 *  experiment every time the page is opened, and a false alarm throws away a good experiment. */
export const SRM_ALPHA = 0.001;

export interface SampleRatioCheck {
  observed: number[];
  expected: number[];
  chiSquare: number;
  df: number;
  pValue: number | null;
  mismatch: boolean;
}

/** Chi-square goodness of fit of the units per variant against the intended split (weights). */
export function sampleRatioCheck(observed: readonly number[], weights: readonly number[] = observed.map(() => 1)): SampleRatioCheck {
  const total = observed.reduce((a, x) => a + x, 0);
  const wsum = weights.reduce((a, x) => a + x, 0);
  const expected = weights.map((w) => (total * w) / wsum);
  if (observed.length < 2 || total === 0) return { observed: [...observed], expected, chiSquare: 0, df: Math.max(0, observed.length - 1), pValue: null, mismatch: false };
  let chi = 0;
  for (let i = 0; i < observed.length; i++) chi += (observed[i]! - expected[i]!) ** 2 / expected[i]!;
  const df = observed.length - 1;
  const pValue = chiSquareUpperTail(chi, df);
  return { observed: [...observed], expected, chiSquare: chi, df, pValue, mismatch: pValue < SRM_ALPHA };
}
