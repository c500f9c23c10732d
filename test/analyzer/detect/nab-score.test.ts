// The benchmark's scorer follows the NAB rules: nothing scores 0, a detection at every window's
// start 100, later detections less, each false positive 0.11 of a detection, one threshold chosen
// for the whole corpus.
import { describe, expect, it } from 'vitest';
import { nabScore } from '../../../bench/anomaly/nab-score.js';
import { probationOf, windowsOf, type LabelledSeries } from '../../../bench/anomaly/series.js';

function series(name: string, n: number, anomalies: number[]): LabelledSeries {
  return { name, kind: name, t: Array.from({ length: n }, (_, i) => i * 60_000), v: new Array<number>(n).fill(0), anomalies };
}

const a = series('a', 1000, [600]);
const b = series('b', 2000, [900, 1500]);
const zeros = (s: LabelledSeries) => new Array<number>(s.v.length).fill(0);

describe('NAB scorer', () => {
  it('lays out windows as NAB does: 10% of the length shared by the anomalies, centred, after a 15% probation', () => {
    expect(windowsOf(a)).toEqual([{ start: 550, end: 649 }]);
    expect(windowsOf(b)).toEqual([{ start: 850, end: 949 }, { start: 1450, end: 1549 }]);
    expect(probationOf(1000)).toBe(150);
    expect(probationOf(10_000)).toBe(750);
  });

  it('scores detecting nothing 0 and a detection at every window start about 100', () => {
    expect(nabScore([a, b], [zeros(a), zeros(b)]).score).toBe(0);
    const perfect = [a, b].map((s) => {
      const x = zeros(s);
      for (const w of windowsOf(s)) x[w.start] = 1;
      return x;
    });
    expect(nabScore([a, b], perfect).score).toBeCloseTo(100, 5);
  });

  it('rewards an earlier detection in a window more, and counts only the first one', () => {
    const at = (i: number, j?: number) => {
      const x = zeros(a);
      x[i] = 1;
      if (j !== undefined) x[j] = 1;
      return nabScore([a], [x]).score;
    };
    expect(at(560)).toBeGreaterThan(at(600));
    expect(at(600)).toBeGreaterThan(at(640));
    expect(at(600, 640)).toBeCloseTo(at(600), 10);
  });

  it('charges a false positive 0.11 of a detection, and picks the threshold that pays best for the whole corpus', () => {
    // One detection at the window start plus one false positive far from any window.
    const x = zeros(a);
    x[550] = 1;
    x[300] = 1;
    const r = nabScore([a], [x]);
    expect(r.falsePositives).toBe(1);
    expect(r.score).toBeCloseTo((100 * (2 - 0.11)) / 2, 5);
    // A lower score on the false positive lets the scorer keep the detection alone.
    x[300] = 0.5;
    const better = nabScore([a], [x]);
    expect(better.threshold).toBe(1);
    expect(better.falsePositives).toBe(0);
    expect(better.score).toBeCloseTo(100, 5);
  });

  it('ignores the probation', () => {
    const x = zeros(a);
    x[100] = 1;
    expect(nabScore([a], [x]).falsePositives).toBe(0);
  });
});
