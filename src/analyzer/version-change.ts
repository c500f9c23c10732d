// How one version's figure differs from another's, by the release gate's tests: an exact
// conditional Poisson test for crashed sessions and error rates, a one-sided Mann-Whitney U on the
// histogram buckets for distributions. The gate (compare.ts) and the dashboard's by-version table
// both call these, so a mark on the dashboard means what the gate would find.
import { Histogram } from '../telemetry/rollup/histogram.js';
import type { Measure } from './measures.js';
import { bucketsOf, summarize } from './percentiles.js';
import { mannWhitney, poissonRateTest } from './stats.js';

export interface Change {
  baseline: number | null;
  candidate: number | null;
  /** How much worse the candidate is (negative = better): points of crash-free sessions, or relative. */
  effect: number | null;
  /** One-sided p-value of "the candidate is worse". */
  pValue: number;
  /** One-sided p-value of "the candidate is better" (for marking improvements). */
  pBetter: number;
}

export interface RateCounts {
  count: number;
  exposure: number;
}

/** Crash-free share (1 - crashed / sessions): effect = the drop in points. */
export function crashFreeChange(b: RateCounts, c: RateCounts): Change {
  const t = poissonRateTest(b, c);
  const bFree = b.exposure > 0 ? 1 - b.count / b.exposure : null;
  const cFree = c.exposure > 0 ? 1 - c.count / c.exposure : null;
  return { baseline: bFree, candidate: cFree, effect: bFree === null || cFree === null ? null : bFree - cFree, pValue: t.pValue, pBetter: poissonRateTest(b, c, 'lower').pValue };
}

/** A rate (errors per event): effect = the relative increase. */
export function rateChange(b: RateCounts, c: RateCounts): Change {
  const t = poissonRateTest(b, c);
  return { baseline: t.baselineRate, candidate: t.candidateRate, effect: t.relativeChange, pValue: t.pValue, pBetter: poissonRateTest(b, c, 'lower').pValue };
}

export interface DistributionChange extends Change {
  samples: [number, number];
  u: number;
  probabilityOfSuperiority: number;
}

/** A measure's distribution: the p95 for what people wait on (latency, memory), the median for a
 *  throughput; effect = relative change for the worse. */
export function distributionChange(m: Pick<Measure, 'higherIsWorse'>, b: Histogram | undefined, c: Histogram | undefined): DistributionChange {
  const hb = b ?? new Histogram();
  const hc = c ?? new Histogram();
  const sb = summarize(hb);
  const sc = summarize(hc);
  const worse = m.higherIsWorse ? 'higher' : 'lower';
  const better = m.higherIsWorse ? 'lower' : 'higher';
  const mw = mannWhitney(bucketsOf(hb), bucketsOf(hc), worse);
  const [pb, pc] = m.higherIsWorse ? [sb.p95, sc.p95] : [sb.p50, sc.p50];
  const effect = pb === null || pc === null || pb === 0 ? null : m.higherIsWorse ? pc / pb - 1 : 1 - pc / pb;
  const pBetter = hb.count > 0 && hc.count > 0 ? mannWhitney(bucketsOf(hb), bucketsOf(hc), better).pValue : 1;
  return { baseline: pb, candidate: pc, effect, pValue: mw.pValue, pBetter, samples: [hb.count, hc.count], u: mw.u, probabilityOfSuperiority: mw.probabilityOfSuperiority };
}
