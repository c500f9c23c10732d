// The reports' former volume test, kept here only as the benchmark's "report method" peer: the
// reports now use the streaming watcher (src/analyzer/anomalies.ts). An event count far from the
// period's median (robust z-score on the median absolute deviation), judged on a finished period.

export interface Anomaly {
  kind: 'volume_spike' | 'volume_drop';
  t: number;
  value: number;
  expected: number;
  evidence: string;
}

export interface AnomalyOptions {
  volumeZ?: number;
  volumeRatio?: number;
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
