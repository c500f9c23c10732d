import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Histogram } from './histogram.js';

/** Nearest-rank percentile of raw values: the reference the histogram is held to. */
function exact(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

function lognormal(seed: number, n: number, mu: number, sigma: number): number[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) + 1) / 2 ** 31;
  return Array.from({ length: n }, () => Math.exp(mu + sigma * Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd())));
}

describe('log-bucket histogram', () => {
  it('percentiles of a latency-like distribution are within 2% of the exact ones', () => {
    const values = lognormal(7, 50_000, Math.log(120), 0.9);
    const h = new Histogram();
    for (const v of values) h.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]) {
      expect(Math.abs(h.quantile(q)! - exact(sorted, q)) / exact(sorted, q)).toBeLessThanOrEqual(0.02);
    }
  });

  it('histograms merged from serialised hourly parts give the same percentiles as one over all values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 1e-3, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 200 }), { minLength: 1, maxLength: 8 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (parts, q) => {
          const merged = new Histogram();
          for (const part of parts) {
            const h = new Histogram();
            for (const v of part) h.add(v);
            merged.mergeData(JSON.parse(h.toJSON()));
          }
          const all = parts.flat().sort((a, b) => a - b);
          const got = merged.quantile(q)!;
          expect(merged.count).toBe(all.length);
          expect(Math.abs(got - exact(all, q)) / exact(all, q)).toBeLessThanOrEqual(0.02);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('zeros and negative values are kept in order', () => {
    const h = Histogram.from(null);
    for (const v of [-50, -5, 0, 0, 5, 50]) h.add(v);
    expect(h.quantile(0)).toBeCloseTo(-50, -0.5);
    expect(h.quantile(0.5)).toBe(0);
    expect(Math.abs(h.quantile(1)! - 50) / 50).toBeLessThan(0.02);
  });

  it('an empty histogram has no percentiles, and non-finite values are ignored', () => {
    const h = new Histogram();
    h.add(Number.NaN);
    h.add(Infinity);
    expect(h.quantile(0.5)).toBeNull();
    expect(h.count).toBe(0);
  });
});
