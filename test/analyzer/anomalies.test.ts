// Anomalies within a period: exactly the injected bucket is flagged, ordinary noise is not.
import { describe, expect, it } from 'vitest';
import { errorRateAnomalies, volumeAnomalies } from '../../src/analyzer/anomalies.js';
import { seededRandom } from '../../src/demo/simulated-mcp-client.js';

const HOUR = 3_600_000;

/** Events per bucket drawn around `mean`, errors drawn with probability `rate` per event. */
function series(rnd: () => number, n: number, mean: number, rate: number): { t: number; all: number; bad: number }[] {
  return Array.from({ length: n }, (_, i) => {
    const all = Math.round(mean * (0.8 + 0.4 * rnd()));
    let bad = 0;
    for (let k = 0; k < all; k++) if (rnd() < rate) bad++;
    return { t: i * HOUR, all, bad };
  });
}

describe('error-rate anomalies', () => {
  it('flag exactly the hour whose error rate jumped, with the evidence', () => {
    const s = series(seededRandom(1), 24, 1000, 0.005);
    s[17] = { t: 17 * HOUR, all: 1000, bad: 40 };
    const found = errorRateAnomalies(s);
    expect(found.map((a) => a.t)).toEqual([17 * HOUR]);
    expect(found[0]!.value).toBeCloseTo(0.04);
    expect(found[0]!.evidence).toMatch(/40 errors in 1000 events .* p = /);
  });

  it('raise a false alarm in at most 1 of 200 periods of ordinary noise (0.1% per period by design)', () => {
    let periodsFlagged = 0;
    for (let seed = 1; seed <= 200; seed++) if (errorRateAnomalies(series(seededRandom(seed), 24, 400, 0.01)).length > 0) periodsFlagged++;
    expect(periodsFlagged).toBeLessThanOrEqual(1);
  });

  it('say nothing when there is too little to compare', () => {
    expect(errorRateAnomalies([{ t: 0, all: 10, bad: 5 }, { t: HOUR, all: 10, bad: 0 }])).toEqual([]);
  });
});

describe('volume anomalies', () => {
  const steady = (rnd: () => number, n: number) => Array.from({ length: n }, (_, i) => ({ t: i * HOUR, v: Math.round(500 * (0.9 + 0.2 * rnd())) }));

  it('flag a burst and a silence in the middle of use, not the quiet before and after it', () => {
    const s = steady(seededRandom(3), 24);
    s[5]!.v = 6000;
    s[12]!.v = 0;
    s[0]!.v = 0;
    s[23]!.v = 0;
    const found = volumeAnomalies(s);
    expect(found.map((a) => [a.kind, a.t])).toEqual([['volume_spike', 5 * HOUR], ['volume_drop', 12 * HOUR]]);
  });

  it('flag nothing in 200 periods of steady use', () => {
    let flagged = 0;
    for (let seed = 1; seed <= 200; seed++) flagged += volumeAnomalies(steady(seededRandom(seed), 24)).length;
    expect(flagged).toBe(0);
  });
});
