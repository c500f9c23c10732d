// In-memory token buckets: one per API key (requests) and one per device (events). In memory on
// purpose: each copy of a stateless collector limits what reaches it, and a restart forgets.

export interface BucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Most tokens a bucket holds: how much may arrive at once after a quiet spell. */
  burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Idle buckets are forgotten after this long (a full bucket and a missing one behave the same). */
const SWEEP_INTERVAL_MS = 60_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(
    private readonly opts: BucketOptions,
    now: number,
  ) {
    if (!(opts.ratePerSecond > 0) || !(opts.burst >= 1)) throw new Error('rate limit: ratePerSecond must be > 0 and burst >= 1');
    this.lastSweep = now;
  }

  /** Takes `cost` tokens from `key`'s bucket if it holds them. A cost above the burst needs a full
   *  bucket (and empties it), so a large batch is slowed, never refused forever. */
  take(key: string, cost: number, now: number): TakeResult {
    this.sweep(now);
    const { ratePerSecond, burst } = this.opts;
    const need = Math.min(cost, burst);
    const b = this.buckets.get(key) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) * ratePerSecond) / 1000);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= need) {
      b.tokens -= need;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((need - b.tokens) / ratePerSecond)) };
  }

  /** Whether `key`'s bucket holds at least one token, without taking it. */
  check(key: string, now: number): TakeResult {
    const { ratePerSecond, burst } = this.opts;
    const b = this.buckets.get(key);
    if (b === undefined) return { ok: true };
    const tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) * ratePerSecond) / 1000);
    return tokens >= 1 ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / ratePerSecond)) };
  }

  /** Gives back `cost` tokens taken for something that turned out not to count (at most up to the burst). */
  refund(key: string, cost: number): void {
    const b = this.buckets.get(key);
    if (b !== undefined) b.tokens = Math.min(this.opts.burst, b.tokens + cost);
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_INTERVAL_MS) return;
    this.lastSweep = now;
    const { ratePerSecond, burst } = this.opts;
    for (const [k, b] of this.buckets) {
      if (b.tokens + ((now - b.at) * ratePerSecond) / 1000 >= burst) this.buckets.delete(k);
    }
  }
}
