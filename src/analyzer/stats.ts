// The significance tests of the release comparison, small enough to own: an exact binomial tail,
// the exact conditional test of two Poisson rates built on it, and the Mann-Whitney U test on
// histogram buckets (values in one bucket are ties) for latency-like distributions.

/** ln Γ(x), Lanczos approximation (g = 7, n = 9): ~15 significant digits for x > 0. */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function logBinomPmf(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 0 : -Infinity;
  if (p === 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** Sum of pmf(i) for i from `from` stepping by `step` while in [0, n]; terms shrink away from the
 *  mode, so the sum stops once they no longer matter. */
function tailSum(from: number, step: 1 | -1, n: number, p: number): number {
  let sum = 0;
  for (let i = from; i >= 0 && i <= n; i += step) {
    const term = Math.exp(logBinomPmf(i, n, p));
    sum += term;
    if (term < sum * 1e-17 && (step === 1 ? i > n * p : i < n * p)) break;
  }
  return sum;
}

/** P(X >= k) for X ~ Binomial(n, p), exactly (up to floating point). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  // Sum whichever side of the mode `k` is on, away from the mode, so every term shrinks.
  if (k > n * p) return Math.min(1, tailSum(k, 1, n, p));
  return Math.max(0, 1 - tailSum(k - 1, -1, n, p));
}

/** P(X <= k) for X ~ Binomial(n, p). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  return binomialUpperTail(n - k, n, 1 - p);
}

export interface RateTest {
  /** Events and exposure (events, sessions, users, ...) of each side. */
  baseline: { count: number; exposure: number };
  candidate: { count: number; exposure: number };
  baselineRate: number | null;
  candidateRate: number | null;
  /** Candidate rate / baseline rate - 1 (Infinity when the baseline had none). */
  relativeChange: number | null;
  /** One-sided p-value of "the candidate's rate is higher". */
  pValue: number;
}

/**
 * Exact test that the candidate's Poisson rate exceeds the baseline's: given k = k1 + k2 events
 * in total, k2 ~ Binomial(k, e2 / (e1 + e2)) if both rates are equal (the conditional test of
 * Przyborowski and Wilenski). Also serves proportions of rare events (crashed sessions).
 */
export function poissonRateTest(baseline: { count: number; exposure: number }, candidate: { count: number; exposure: number }, direction: 'higher' | 'lower' = 'higher'): RateTest {
  const r1 = baseline.exposure > 0 ? baseline.count / baseline.exposure : null;
  const r2 = candidate.exposure > 0 ? candidate.count / candidate.exposure : null;
  const k = baseline.count + candidate.count;
  const share = candidate.exposure / (baseline.exposure + candidate.exposure);
  let pValue = 1;
  if (k > 0 && baseline.exposure > 0 && candidate.exposure > 0) {
    pValue = direction === 'higher' ? binomialUpperTail(candidate.count, k, share) : binomialLowerTail(candidate.count, k, share);
  }
  const relativeChange = r1 === null || r2 === null ? null : r1 === 0 ? (r2 === 0 ? 0 : Infinity) : r2 / r1 - 1;
  return { baseline, candidate, baselineRate: r1, candidateRate: r2, relativeChange, pValue };
}

/** Φ(z), the standard normal CDF (via erfc, Numerical Recipes' erfcc: |error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

export interface Bucketed {
  value: number;
  count: number;
}

export interface DistributionTest {
  n1: number;
  n2: number;
  /** Mann-Whitney U of the candidate. */
  u: number;
  /** P(candidate value > baseline value) + P(equal) / 2: 0.5 = no shift. */
  probabilityOfSuperiority: number;
  /** One-sided p-value of "the candidate's values are larger" (or smaller, if asked). */
  pValue: number;
}

/**
 * Mann-Whitney U on two bucketed samples (normal approximation with the tie correction, which is
 * accurate at the sample sizes where a histogram is worth testing). Values in the same bucket are
 * ties: the histogram cannot order them, and the test stays exact about that.
 */
export function mannWhitney(baseline: readonly Bucketed[], candidate: readonly Bucketed[], direction: 'higher' | 'lower' = 'higher'): DistributionTest {
  const byValue = new Map<number, [number, number]>();
  for (const b of baseline) {
    const e = byValue.get(b.value) ?? [0, 0];
    e[0] += b.count;
    byValue.set(b.value, e);
  }
  for (const b of candidate) {
    const e = byValue.get(b.value) ?? [0, 0];
    e[1] += b.count;
    byValue.set(b.value, e);
  }
  const n1 = baseline.reduce((a, b) => a + b.count, 0);
  const n2 = candidate.reduce((a, b) => a + b.count, 0);
  if (n1 === 0 || n2 === 0) return { n1, n2, u: 0, probabilityOfSuperiority: 0.5, pValue: 1 };
  let below = 0; // observations ranked so far
  let rankSum2 = 0;
  let tieTerm = 0;
  for (const [, [c1, c2]] of [...byValue].sort((a, b) => a[0] - b[0])) {
    const t = c1 + c2;
    const midRank = below + (t + 1) / 2;
    rankSum2 += c2 * midRank;
    tieTerm += t * t * t - t;
    below += t;
  }
  const n = n1 + n2;
  const u = rankSum2 - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const z = variance > 0 ? (u - mean - (direction === 'higher' ? 0.5 : -0.5)) / Math.sqrt(variance) : 0;
  const pValue = variance > 0 ? (direction === 'higher' ? normalCdf(-z) : normalCdf(z)) : 1;
  return { n1, n2, u, probabilityOfSuperiority: u / (n1 * n2), pValue };
}
