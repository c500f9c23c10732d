// The two measuring sticks under the detectors: how surprising a value is against its own past
// (calibrated whatever the noise), and when a growing series reaches its limit.
import { describe, expect, it } from 'vitest';
import { TailEstimator } from '../../../src/analyzer/detect/tail.js';
import { TrendToLimit } from '../../../src/analyzer/detect/trend.js';
import { Draw } from '../../../bench/anomaly/random.js';

describe('TailEstimator', () => {
  it('is calibrated on the past: a value exceeded by 1% of 20,000 draws is about 2 digits surprising', () => {
    const d = new Draw(3);
    const tail = new TailEstimator(1);
    const xs = Array.from({ length: 20_000 }, () => -Math.log(d.next() + 1e-12) * 3);
    for (const x of xs) tail.add(x);
    const sorted = [...xs].sort((p, q) => q - p);
    expect(tail.surprise(sorted[200]!)).toBeCloseTo(2, 0);
    expect(tail.surprise(sorted[2000]!)).toBeCloseTo(1, 0);
  });

  it('keeps growing beyond the largest value seen, so twice the record is news and the record itself is not', () => {
    const d = new Draw(4);
    const tail = new TailEstimator(1);
    for (let i = 0; i < 5000; i++) tail.add(Math.abs(d.normal()));
    const record = 4;
    expect(tail.surprise(record)).toBeLessThan(5);
    expect(tail.surprise(2 * record)).toBeGreaterThan(tail.surprise(record) + 2);
  });

  it('learns that a heavy-tailed series has big values: the same value surprises it less', () => {
    const d = new Draw(5);
    const gaussian = new TailEstimator(1);
    const heavy = new TailEstimator(1);
    for (let i = 0; i < 5000; i++) {
      gaussian.add(Math.abs(d.normal()));
      heavy.add(Math.abs(d.studentT(2)));
    }
    expect(heavy.surprise(6)).toBeLessThan(gaussian.surprise(6) - 1);
  });
});

describe('TrendToLimit', () => {
  const step = 15 * 60_000;

  it('projects the time to the limit of a steady leak under noise and a GC sawtooth', () => {
    const d = new Draw(6);
    const trend = new TrendToLimit(1536, 48);
    let last = null;
    // 10 MB per 15 minutes from 500 MB.
    for (let i = 0; i < 60; i++) last = trend.update(i * step, 500 + 10 * i + 25 * ((i % 8) / 8) + 8 * d.normal());
    const truth = ((1536 - (500 + 10 * 59 + 12)) / 10) * step;
    expect(last).not.toBeNull();
    expect(Math.abs(last!.timeToLimitMs - truth)).toBeLessThan(0.1 * truth + step);
    expect(last!.slopePerMs * 3_600_000).toBeCloseTo(40, -1);
  });

  it('gives no countdown for a series that only wobbles', () => {
    const d = new Draw(7);
    const trend = new TrendToLimit(1536, 48);
    const out = [];
    for (let i = 0; i < 500; i++) out.push(trend.update(i * step, 500 + 25 * ((i % 8) / 8) + 8 * d.normal()));
    expect(out.filter((p) => p !== null).length).toBeLessThan(5);
  });
});
