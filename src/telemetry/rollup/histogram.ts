// A mergeable log-bucket histogram (the DDSketch idea): bucket i holds values in
// (gamma^(i-1), gamma^i], so any value reported for a bucket is within ALPHA of every value in it.
// Histograms merge by adding bucket counts, which is what lets hourly rollups add up to a day, a
// release or a fleet without keeping raw values.

/** Relative accuracy of every percentile read from a histogram. The issue asks for <= 2%; 1%
 *  leaves headroom and still needs only ~700 buckets to span 1 µs .. 1 hour in ms. */
export const ALPHA = 0.01;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const LN_GAMMA = Math.log(GAMMA);
/** Values this close to zero (in absolute terms) share one bucket: below any unit we measure. */
const ZERO_THRESHOLD = 1e-9;

/** Serialised form, as stored in `rollups.hist`: positive buckets, negative buckets (by |v|), zeros. */
export interface HistogramData {
  p: Record<string, number>;
  n?: Record<string, number>;
  z?: number;
}

export class Histogram {
  private readonly pos = new Map<number, number>();
  private readonly neg = new Map<number, number>();
  private zeros = 0;
  count = 0;

  static from(data: HistogramData | string | null | undefined): Histogram {
    const h = new Histogram();
    if (data != null) h.mergeData(typeof data === 'string' ? (JSON.parse(data) as HistogramData) : data);
    return h;
  }

  add(value: number, times = 1): void {
    if (!Number.isFinite(value)) return;
    this.count += times;
    if (Math.abs(value) <= ZERO_THRESHOLD) {
      this.zeros += times;
      return;
    }
    const map = value > 0 ? this.pos : this.neg;
    const i = Math.ceil(Math.log(Math.abs(value)) / LN_GAMMA);
    map.set(i, (map.get(i) ?? 0) + times);
  }

  merge(other: Histogram): void {
    for (const [i, c] of other.pos) this.pos.set(i, (this.pos.get(i) ?? 0) + c);
    for (const [i, c] of other.neg) this.neg.set(i, (this.neg.get(i) ?? 0) + c);
    this.zeros += other.zeros;
    this.count += other.count;
  }

  mergeData(data: HistogramData): void {
    for (const k in data.p) this.addBucket(this.pos, Number(k), data.p[k]!);
    if (data.n) for (const k in data.n) this.addBucket(this.neg, Number(k), data.n[k]!);
    if (data.z) {
      this.zeros += data.z;
      this.count += data.z;
    }
  }

  private addBucket(map: Map<number, number>, i: number, c: number): void {
    map.set(i, (map.get(i) ?? 0) + c);
    this.count += c;
  }

  /** The q-quantile (0..1) by nearest rank, within ALPHA relative error; null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(0, Math.min(this.count - 1, Math.ceil(q * this.count) - 1));
    let seen = 0;
    const negKeys = [...this.neg.keys()].sort((a, b) => b - a);
    for (const i of negKeys) {
      seen += this.neg.get(i)!;
      if (seen > rank) return -bucketValue(i);
    }
    seen += this.zeros;
    if (seen > rank) return 0;
    const posKeys = [...this.pos.keys()].sort((a, b) => a - b);
    for (const i of posKeys) {
      seen += this.pos.get(i)!;
      if (seen > rank) return bucketValue(i);
    }
    return bucketValue(posKeys[posKeys.length - 1] ?? 0);
  }

  toData(): HistogramData {
    const data: HistogramData = { p: Object.fromEntries(this.pos) };
    if (this.neg.size > 0) data.n = Object.fromEntries(this.neg);
    if (this.zeros > 0) data.z = this.zeros;
    return data;
  }

  toJSON(): string {
    return JSON.stringify(this.toData());
  }
}

/** The representative of bucket i: equidistant (relatively) from both bounds, so error <= ALPHA. */
function bucketValue(i: number): number {
  return (2 * Math.pow(GAMMA, i)) / (GAMMA + 1);
}
