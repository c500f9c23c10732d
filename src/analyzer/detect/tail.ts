// How surprising is a value of a non-negative statistic (|z|, a windowed mean, a run length),
// judged against every value the statistic took before? The answer is a surprise in decimal
// digits, -log10 P(X >= x): comparable across series whatever their noise looks like, so one
// threshold serves a whole fleet.
// - Inside the observed range the probability is empirical (a histogram in a Fenwick tree, so a
//   query costs O(log bins)); a heavy-tailed series thus learns that its big values are normal.
// - Beyond the few largest values seen it extrapolates with an exponential tail fitted to them
//   (peaks over threshold, as in SPOT, Siffer et al. 2017), so a value twice the largest ever
//   seen is more surprising than one just above it.
// - A prior of a few pseudo-observations from an exponential tail keeps the first points sane.

/** Histogram resolution: fine enough that neighbouring bins differ little in probability. */
const BIN_WIDTH = 0.05;
const BINS = 1024;
/** How many of the largest values the tail fit uses: few enough to be the tail, enough to fit. */
const TOP = 12;
/** Pseudo-observations of the prior. */
const PRIOR_WEIGHT = 8;

export class TailEstimator {
  private readonly tree = new Float64Array(BINS + 1);
  private readonly top: number[] = [];
  private n = 0;

  /**
   * @param priorScale the statistic's typical size, e.g. 1 for a z-score.
   * @param minTailScale the steepest the fitted tail may fall (per e-fold), e.g. one step of a
   *   discrete statistic, so a value one step beyond the largest seen is not deemed impossible.
   */
  constructor(
    private readonly priorScale = 1,
    private readonly minTailScale = 0,
  ) {}

  get count(): number {
    return this.n;
  }

  add(x: number): void {
    if (!Number.isFinite(x) || x < 0) return;
    this.n++;
    for (let i = binOf(x) + 1; i <= BINS; i += i & -i) this.tree[i]! += 1;
    if (this.top.length < TOP || x > this.top[this.top.length - 1]!) {
      let i = this.top.length;
      this.top.push(x);
      while (i > 0 && this.top[i - 1]! < x) {
        this.top[i] = this.top[i - 1]!;
        i--;
      }
      this.top[i] = x;
      if (this.top.length > TOP) this.top.pop();
    }
  }

  /** -log10 of the probability of a value at least as large as x. */
  surprise(x: number): number {
    if (!(x > 0)) return 0;
    const prior = PRIOR_WEIGHT * Math.exp(-x / this.priorScale);
    const total = this.n + PRIOR_WEIGHT;
    const u = this.top.length === TOP ? this.top[TOP - 1]! : Infinity;
    let p: number;
    if (x <= u) {
      p = (this.countAtLeast(x) + prior) / total;
    } else {
      // Mean excess over u of the largest values: the exponential tail's scale.
      let sum = 0;
      for (const t of this.top) sum += t - u;
      const scale = Math.max(sum / TOP, 0.05 * u, 0.02 * this.priorScale, this.minTailScale);
      p = (TOP * Math.exp(-(x - u) / scale) + prior) / total;
    }
    return -Math.log10(Math.min(1, Math.max(p, 1e-300)));
  }

  private countAtLeast(x: number): number {
    // Everything minus what lies in bins below x's bin (x's own bin counts as "at least").
    let below = 0;
    for (let i = binOf(x); i > 0; i -= i & -i) below += this.tree[i]!;
    return this.n - below;
  }
}

function binOf(x: number): number {
  return Math.min(BINS - 1, Math.floor(x / BIN_WIDTH));
}
