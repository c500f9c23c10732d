// Where a growing series is heading: a least-squares line through its last points, and when that
// line crosses a limit (memory approaching the configured maximum: "time to limit").
// Only a trend that is clearly there counts (slope at least `minT` standard errors above zero), so
// noise and a GC sawtooth do not produce a countdown.

export interface Projection {
  /** Units per millisecond. */
  slopePerMs: number;
  /** The line's value now. */
  fitted: number;
  /** Slope over its standard error. */
  tStat: number;
  /** Milliseconds until the line reaches the limit (0 if the fitted value is already there). */
  timeToLimitMs: number;
  /** Where the trend began to be this steep: the window's first point. */
  since: number;
}

export class TrendToLimit {
  private readonly ts: number[] = [];
  private readonly vs: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly points = 48,
    private readonly minT = 6,
  ) {}

  update(t: number, v: number): Projection | null {
    this.ts.push(t);
    this.vs.push(v);
    if (this.ts.length > this.points) {
      this.ts.shift();
      this.vs.shift();
    }
    const n = this.ts.length;
    if (n < Math.min(this.points, 12)) return null;
    const t0 = this.ts[0]!;
    let st = 0;
    let sv = 0;
    for (let i = 0; i < n; i++) {
      st += this.ts[i]! - t0;
      sv += this.vs[i]!;
    }
    const mt = st / n;
    const mv = sv / n;
    let stt = 0;
    let stv = 0;
    for (let i = 0; i < n; i++) {
      const dt = this.ts[i]! - t0 - mt;
      stt += dt * dt;
      stv += dt * (this.vs[i]! - mv);
    }
    if (stt <= 0) return null;
    const slope = stv / stt;
    let sse = 0;
    for (let i = 0; i < n; i++) sse += (this.vs[i]! - mv - slope * (this.ts[i]! - t0 - mt)) ** 2;
    const se = Math.sqrt(sse / Math.max(1, n - 2) / stt);
    const tStat = se > 0 ? slope / se : slope > 0 ? Infinity : 0;
    if (!(slope > 0) || tStat < this.minT) return null;
    const fitted = mv + slope * (t - t0 - mt);
    return { slopePerMs: slope, fitted, tStat, timeToLimitMs: Math.max(0, (this.limit - fitted) / slope), since: t0 };
  }
}
