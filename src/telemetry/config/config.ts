// TelemetryConfig: what a host configures. Validated up front with clear errors, because a wrong
// configuration is a developer's mistake that should fail loudly at start-up, not lose data later.
import { isAbsolute } from 'node:path';
import { z } from 'zod';

export const DEFAULT_LIMITS = {
  /** ~3 months of a heavy user (~10k events a day); the dashboard stays fast at this size. */
  maxRows: 1_000_000,
  /** Bounded disk use on a person's machine, whatever the event mix. */
  maxBytes: 256 * 1024 * 1024,
  /** Raw rows older than this are deleted; hourly rollups keep the aggregates. */
  maxAgeDays: 90,
} as const;

export const telemetryConfigSchema = z.strictObject({
  /** Absolute path of the SQLite file, e.g. `<userData>/telemetry/telemetry.db`; ':memory:' for tests. */
  databasePath: z.string().refine((p) => p === ':memory:' || isAbsolute(p), 'must be an absolute path or ":memory:"'),
  appVersion: z.string().min(1).max(64),
  /** e.g. `linux-x64 6.1`; the host knows best. */
  os: z.string().min(1).max(64),
  /** The consent policy the person is asked to agree to; a new version asks again. */
  policyVersion: z.string().min(1).max(32).default('1'),
  /** The write buffer is committed at least this often. The issue caps it at 200 ms: the most a
   *  crash could cost if the crash path itself cannot run (SIGKILL, power loss). */
  flushIntervalMs: z.number().int().min(5).max(200).default(100),
  /** ... or as soon as this many events wait: one transaction stays ~2 ms, well below a frame. */
  flushMaxEvents: z.number().int().min(1).max(500).default(500),
  /** If the disk refuses writes, at most this many events wait in memory; the rest are dropped and counted. */
  maxBufferedEvents: z.number().int().min(500).max(1_000_000).default(100_000),
  limits: z
    .strictObject({
      maxRows: z.number().int().min(100).default(DEFAULT_LIMITS.maxRows),
      maxBytes: z.number().int().min(64 * 1024).default(DEFAULT_LIMITS.maxBytes),
      maxAgeDays: z.number().min(1).max(3650).default(DEFAULT_LIMITS.maxAgeDays),
    })
    .prefault({}),
  /** Where the database work runs: `worker` (a thread of its own owns the commits, the rollups,
   *  the scrubbing and the upload reads, so the app's event loop only validates and hands over)
   *  or `inline` (all on the calling thread, as simple as it gets: tests, tools, `:memory:`).
   *  createTelemetry() picks `worker` for a database file. */
  storeThread: z.enum(['worker', 'inline']).default('inline'),
  /** Where the uploader sends shared events (used by the sync step). */
  endpoint: z.url({ protocol: /^https?$/ }).optional(),
  /** Facts for the PII scrubber (see scrub/environment.ts, withLearnedEnvironment), replaced wherever they appear. */
  scrub: z
    .strictObject({
      homeDirs: z.array(z.string()).default([]),
      userNames: z.array(z.string()).default([]),
      fullNames: z.array(z.string()).default([]),
      hostNames: z.array(z.string()).default([]),
      profileDirs: z.array(z.string()).default([]),
    })
    .prefault({}),
});

export type TelemetryConfigInput = z.input<typeof telemetryConfigSchema>;
export type TelemetryConfig = z.output<typeof telemetryConfigSchema>;

export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';
}

export function parseConfig(input: unknown): TelemetryConfig {
  const r = telemetryConfigSchema.safeParse(input);
  if (!r.success) throw new TelemetryConfigError(`Invalid telemetry configuration:\n${z.prettifyError(r.error)}`);
  return r.data;
}
