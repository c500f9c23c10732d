// Anomalies within a period: a bucket (an hour, a day) that stands out from the others. Two kinds,
// each with a test that says how unusual it is, so a report flags few and explains each:
// - error rate: more errors in a bucket than its event count makes plausible at the period's
//   overall rate (exact binomial upper tail, Bonferroni over the buckets, 0.1% per period: a
//   report is read by people, so false alarms must be rare), and at least
//   `minRatio` times that rate;
// - volume: an event count far from the period's median (robust z-score on the median absolute
//   deviation), e.g. a burst of events or a silence while the app was in use around it.
import { binomialUpperTail } from './stats.js';

export interface ErrorBucket {
  t: number;
  /** All events in the bucket. */
  all: number;
  /** Error and crash events in the bucket. */
  bad: number;
}

export interface Anomaly {
  kind: 'error_rate' | 'volume_spike' | 'volume_drop';
  /** Start of the bucket, ms since the epoch. */
  t: number;
  value: number;
  expected: number;
  /** The evidence, in words and numbers. */
  evidence: string;
}

export interface AnomalyOptions {
  alpha?: number;
  /** An error-rate bucket must also be this many times the period's rate. */
  minRatio?: number;
  /** Robust z-score beyond which a count is unusual. */
  volumeZ?: number;
  /** A burst must also be this many times the expected count, a drop this many times below it:
   *  events come in clumps (a conversation turn records several), so a z-score alone flags
   *  ordinary hours of real use. */
  volumeRatio?: number;
  /** Buckets with fewer events say too little about a rate. */
  minEvents?: number;
}

export function errorRateAnomalies(buckets: readonly ErrorBucket[], o: AnomalyOptions = {}): Anomaly[] {
  const alpha = o.alpha ?? 0.001;
  const minRatio = o.minRatio ?? 2;
  const minEvents = o.minEvents ?? 20;
  const all = buckets.reduce((n, b) => n + b.all, 0);
  const bad = buckets.reduce((n, b) => n + b.bad, 0);
  const tested = buckets.filter((b) => b.all >= minEvents);
  if (all === 0 || bad === 0 || tested.length < 3) return [];
  const out: Anomaly[] = [];
  for (const b of tested) {
    // The baseline leaves the bucket itself out, so one large spike cannot hide behind itself.
    const rest = { all: all - b.all, bad: bad - b.bad };
    const p = rest.all > 0 ? Math.max(rest.bad / rest.all, 1 / (rest.all + 1)) : bad / all;
    const rate = b.bad / b.all;
    if (rate < minRatio * p) continue;
    const pValue = binomialUpperTail(b.bad, b.all, p);
    if (pValue * tested.length >= alpha) continue;
    out.push({ kind: 'error_rate', t: b.t, value: rate, expected: p, evidence: `${b.bad} errors in ${b.all} events vs ${(p * 100).toFixed(2)}% elsewhere; p = ${pValue.toExponential(1)} (Bonferroni over ${tested.length} buckets)` });
  }
  return out;
}

export interface VolumePoint {
  t: number;
  /** Events in the bucket. */
  v: number;
  /** How long the app was in use in the bucket (sessions overlapping it), ms. When given, only
   *  buckets in use are judged, each against the period's rate for its time in use (summed over
   *  devices): the step from "not in use" to "in use", or an hour used for ten minutes, is no anomaly. */
  inUseMs?: number;
}

export function volumeAnomalies(points: readonly VolumePoint[], o: AnomalyOptions & { bucketMs?: number } = {}): Anomaly[] {
  const z = o.volumeZ ?? 5;
  const ratio = o.volumeRatio ?? 2;
  const withUse = points.some((p) => p.inUseMs !== undefined);
  let span: { t: number; v: number; use: number }[];
  if (withUse) {
    const bucketMs = o.bucketMs ?? 3_600_000;
    // A bucket used for less than a quarter of its length says too little about a rate.
    span = points.filter((p) => (p.inUseMs ?? 0) >= bucketMs / 4).map((p) => ({ t: p.t, v: p.v, use: (p.inUseMs ?? 0) / bucketMs }));
  } else {
    // Only the stretch between the first and last bucket with events: before and after it the app
    // simply was not in use, which is no anomaly.
    const first = points.findIndex((p) => p.v > 0);
    if (first < 0) return [];
    let last = points.length - 1;
    while (points[last]!.v === 0) last--;
    span = points.slice(first, last + 1).map((p) => ({ t: p.t, v: p.v, use: 1 }));
  }
  if (span.length < 6) return [];
  // Events per full bucket of use.
  const values = span.map((p) => p.v / p.use).sort((a, b) => a - b);
  const median = values[Math.floor(values.length / 2)]!;
  const deviations = values.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  // 1.4826 makes the MAD estimate a standard deviation for normal data; never below 1 event.
  const mad = 1.4826 * deviations[Math.floor(deviations.length / 2)]!;
  const out: Anomaly[] = [];
  for (const p of span) {
    const expected = median * p.use;
    // Poisson noise of the bucket's own expected count is the least spread there is.
    const sigma = Math.max(mad * p.use, 1, Math.sqrt(expected));
    const score = (p.v - expected) / sigma;
    if (Math.abs(score) < z) continue;
    if (score > 0 ? p.v < ratio * expected : p.v * ratio > expected) continue;
    out.push({
      kind: score > 0 ? 'volume_spike' : 'volume_drop',
      t: p.t,
      value: p.v,
      expected: Math.round(expected),
      evidence: `${p.v} events vs ${Math.round(expected)} expected${p.use < 1 ? ` for ${Math.round(p.use * 100)}% of the bucket in use` : ''} (median of the buckets in use); robust z = ${score.toFixed(1)}`,
    });
  }
  return out;
}
