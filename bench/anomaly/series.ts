// A labelled series of a benchmark corpus, and its scoring windows laid out the way the Numenta
// Anomaly Benchmark (NAB) lays them out: 10% of the series' length shared equally by its
// anomalies, each window centred on the labelled onset; the first 15% (at most 750 points) is
// the probation where the detector learns and nothing is judged.
export interface LabelledSeries {
  name: string;
  /** What the series shows (its corpus kind), for per-kind scores. */
  kind: string;
  t: number[];
  v: number[];
  /** Indices of the labelled anomaly onsets. */
  anomalies: number[];
  /** Expected range, when a real deployment would know it (a memory limit, a percentage). */
  minValue?: number;
  maxValue?: number;
}

export interface Window {
  start: number;
  end: number;
}

export function probationOf(length: number): number {
  return Math.min(Math.floor(0.15 * length), 750);
}

export function windowsOf(s: LabelledSeries): Window[] {
  if (s.anomalies.length === 0) return [];
  const width = Math.floor((0.1 * s.v.length) / s.anomalies.length);
  const out: Window[] = [];
  for (const a of [...s.anomalies].sort((x, y) => x - y)) {
    const start = Math.max(0, a - Math.floor(width / 2));
    const end = Math.min(s.v.length - 1, start + width - 1);
    const prev = out[out.length - 1];
    if (prev && start <= prev.end) prev.end = Math.max(prev.end, end);
    else out.push({ start, end });
  }
  return out;
}
