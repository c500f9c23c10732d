// The significance tests against values computed independently (R: binom.test, poisson.test,
// wilcox.test), and their behaviour at the edges a release comparison meets.
import { describe, expect, it } from 'vitest';
import { binomialLowerTail, binomialUpperTail, logGamma, mannWhitney, normalCdf, poissonRateTest } from '../../src/analyzer/stats.js';

describe('exact binomial tails', () => {
  it('match the exact sums of small binomials', () => {
    // P(X >= 8), X ~ Bin(10, 0.5) = (45 + 10 + 1) / 1024
    expect(binomialUpperTail(8, 10, 0.5)).toBeCloseTo(56 / 1024, 12);
    // P(X <= 2), X ~ Bin(10, 0.5) = 56 / 1024
    expect(binomialLowerTail(2, 10, 0.5)).toBeCloseTo(56 / 1024, 12);
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
  });

  it('stay accurate for large counts far into the tail', () => {
    // Reference: every term of Bin(10000, 0.05) by the pmf recurrence, summed from k = 600 up.
    const n = 10_000;
    const p = 0.05;
    let pmf = Math.pow(1 - p, n);
    let ref = 0;
    for (let k = 0; k <= n; k++) {
      if (k >= 600) ref += pmf;
      pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
    }
    expect(Math.abs(binomialUpperTail(600, n, p) - ref) / ref).toBeLessThan(1e-9);
    // Below the mean the upper tail is close to 1, computed as 1 - lower tail.
    expect(binomialUpperTail(480, n, p)).toBeGreaterThan(0.8);
  });

  it('log-gamma gives factorials', () => {
    expect(Math.exp(logGamma(11))).toBeCloseTo(3_628_800, 3);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
});

describe('Poisson rate comparison', () => {
  it('finds a doubled crash rate significant and an equal one not', () => {
    const doubled = poissonRateTest({ count: 50, exposure: 10_000 }, { count: 100, exposure: 10_000 });
    // R: poisson.test(c(100, 50), c(1e4, 1e4), alternative = "greater")$p.value ≈ 2.6e-5
    expect(doubled.pValue).toBeLessThan(1e-4);
    expect(doubled.pValue).toBeGreaterThan(1e-6);
    expect(doubled.relativeChange).toBeCloseTo(1, 10);
    const same = poissonRateTest({ count: 50, exposure: 10_000 }, { count: 52, exposure: 10_400 });
    expect(same.pValue).toBeGreaterThan(0.3);
  });

  it('accounts for unequal exposure', () => {
    // Same rate (1%), ten times the sessions: nothing to see.
    expect(poissonRateTest({ count: 10, exposure: 1000 }, { count: 100, exposure: 10_000 }).pValue).toBeGreaterThan(0.3);
  });

  it('cannot find anything without data, and says so with p = 1', () => {
    expect(poissonRateTest({ count: 0, exposure: 100 }, { count: 0, exposure: 100 }).pValue).toBe(1);
    expect(poissonRateTest({ count: 3, exposure: 0 }, { count: 3, exposure: 100 }).pValue).toBe(1);
  });
});

describe('Mann-Whitney on histogram buckets', () => {
  it('agrees with the textbook U for a small untied sample', () => {
    // Candidate {4, 5, 6} vs baseline {1, 2, 3}: U = 9, the largest possible.
    const r = mannWhitney([1, 2, 3].map((value) => ({ value, count: 1 })), [4, 5, 6].map((value) => ({ value, count: 1 })));
    expect(r.u).toBe(9);
    expect(r.probabilityOfSuperiority).toBe(1);
    expect(r.pValue).toBeLessThan(0.05);
  });

  it('treats values in one bucket as ties, so identical histograms show no shift', () => {
    const h = [{ value: 100, count: 500 }, { value: 120, count: 300 }, { value: 200, count: 50 }];
    const r = mannWhitney(h, h);
    expect(r.probabilityOfSuperiority).toBeCloseTo(0.5, 10);
    expect(r.pValue).toBeGreaterThan(0.4);
  });

  it('detects a shift to slower buckets in the candidate, one-sided', () => {
    const base = [{ value: 100, count: 800 }, { value: 200, count: 200 }];
    const slower = [{ value: 100, count: 650 }, { value: 200, count: 350 }];
    expect(mannWhitney(base, slower).pValue).toBeLessThan(1e-6);
    expect(mannWhitney(base, slower, 'lower').pValue).toBeGreaterThan(0.99);
  });

  it('normal CDF is right at the usual quantiles', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-2.326348)).toBeCloseTo(0.01, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
  });
});
