// Seeded draws for the corpora: the test suite's generator (mulberry32) plus the few shapes the
// corpora need that it lacks (a Poisson draw valid for large means, Student-t noise).
import { Rng } from '../../test/analyzer/support/rng.js';

export class Draw extends Rng {
  /** Poisson for any mean: inversion for small means, a rounded normal for large ones. */
  count(mean: number): number {
    if (mean <= 0) return 0;
    if (mean < 30) return this.poisson(mean);
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
  }

  /** Student-t with `df` degrees of freedom: heavy-tailed noise. */
  studentT(df: number): number {
    let chi = 0;
    for (let i = 0; i < df; i++) chi += this.normal() ** 2;
    return this.normal() / Math.sqrt(chi / df);
  }

  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}
