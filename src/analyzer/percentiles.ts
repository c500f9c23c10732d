// Percentiles from the rollups' mergeable histograms (src/telemetry/rollup/histogram.ts): hourly
// histograms add up to any window, version or fleet, each percentile within 1% of the exact one.
import type { Percentiles } from '../telemetry/bridge.js';
import { ALPHA, Histogram, type HistogramData } from '../telemetry/rollup/histogram.js';

export function summarize(h: Histogram | undefined): Percentiles {
  if (h === undefined || h.count === 0) return { count: 0, p50: null, p95: null, p99: null };
  return { count: h.count, p50: h.quantile(0.5), p95: h.quantile(0.95), p99: h.quantile(0.99) };
}

/** Adds a stored `rollups.hist` to `h` (creating it when absent); returns it. */
export function mergeStored(h: Histogram | undefined, hist: string | null): Histogram {
  const target = h ?? new Histogram();
  if (hist) target.mergeData(JSON.parse(hist) as HistogramData);
  return target;
}

/** The buckets of a histogram in value order, each with its representative value: what the
 *  distribution tests compare. */
export function bucketsOf(h: Histogram): { value: number; count: number }[] {
  const d = h.toData();
  const out: { value: number; count: number }[] = [];
  const gamma = (1 + ALPHA) / (1 - ALPHA);
  const rep = (i: number) => (2 * Math.pow(gamma, i)) / (gamma + 1);
  for (const k in d.n ?? {}) out.push({ value: -rep(Number(k)), count: d.n![k]! });
  if (d.z) out.push({ value: 0, count: d.z });
  for (const k in d.p) out.push({ value: rep(Number(k)), count: d.p[k]! });
  return out.sort((a, b) => a.value - b.value);
}
