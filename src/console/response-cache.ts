// Answers of the console's API kept while the store has not changed (SQLite's data_version moves on
// every commit by another connection) and for at most a short while, since every window ends
// "now". A dashboard opened by five people, each polling, costs one computation.
import type { Clock } from '../telemetry/ports.js';

/** Windows end now and move on: a minute-old answer is still the right picture of a 7-day window. */
export const CACHE_TTL_MS = 60_000;
/** Distinct questions kept (each a few kB to a few hundred kB of JSON). */
export const CACHE_ENTRIES = 200;

export class ResponseCache {
  private readonly entries = new Map<string, { version: string; at: number; value: unknown }>();

  constructor(
    private readonly clock: Clock,
    private readonly dataVersion: () => string,
  ) {}

  get<T>(key: string, compute: () => T): T {
    const version = this.dataVersion();
    const now = this.clock.now();
    const hit = this.entries.get(key);
    if (hit && hit.version === version && now - hit.at < CACHE_TTL_MS) return hit.value as T;
    const value = compute();
    this.entries.delete(key);
    this.entries.set(key, { version, at: now, value });
    if (this.entries.size > CACHE_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
