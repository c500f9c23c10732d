// The console's statistics, against values from tables and from their definitions.
import { describe, expect, it } from 'vitest';
import { chiSquareUpperTail, normalQuantile, proportionDifference, sampleRatioCheck } from '../../src/analyzer/fleet/significance.js';

describe('significance', () => {
  it('normal quantiles match the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });

  it('chi-square tails match the tables', () => {
    expect(chiSquareUpperTail(3.841459, 1)).toBeCloseTo(0.05, 5);
    expect(chiSquareUpperTail(11.0705, 5)).toBeCloseTo(0.05, 4);
    expect(chiSquareUpperTail(6.634897, 1)).toBeCloseTo(0.01, 5);
    expect(chiSquareUpperTail(0, 3)).toBe(1);
  });

  it('a difference of proportions has the Wald interval and the pooled z test', () => {
    const d = proportionDifference({ successes: 100, n: 1000 }, { successes: 150, n: 1000 });
    expect(d.difference).toBeCloseTo(0.05, 10);
    const se = Math.sqrt((0.1 * 0.9) / 1000 + (0.15 * 0.85) / 1000);
    expect(d.low).toBeCloseTo(0.05 - 1.959964 * se, 5);
    expect(d.high).toBeCloseTo(0.05 + 1.959964 * se, 5);
    expect(d.pValue).toBeGreaterThan(0.0005);
    expect(d.pValue).toBeLessThan(0.001); // z = 3.38
    expect(proportionDifference({ successes: 0, n: 0 }, { successes: 3, n: 10 })).toMatchObject({ difference: null, pValue: null });
  });

  it('the sample-ratio check flags a broken split and passes a fair one', () => {
    expect(sampleRatioCheck([5012, 4988])).toMatchObject({ mismatch: false, df: 1 });
    expect(sampleRatioCheck([5500, 4500])).toMatchObject({ mismatch: true });
    expect(sampleRatioCheck([900, 100], [9, 1]).mismatch).toBe(false);
    expect(sampleRatioCheck([0, 0])).toMatchObject({ pValue: null, mismatch: false });
  });
});
