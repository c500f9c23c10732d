// What an alert rule is: a metric the analyzer computes, filters, a window, a condition, the volume
// below which it stays silent (one device must not page anyone), a severity. The zod schemas are the
// one definition: the config file, the HTTP API and the Prometheus export all read them.
import { z } from 'zod';

/** Every metric a rule may watch. Rates are ratios in [0, 1]; latencies are in ms; memory in bytes. */
export const METRICS = [
  'crash_free_sessions',
  'crashed_devices_ratio',
  'crashed_devices',
  'error_rate',
  'event_count',
  'api_latency_p50',
  'api_latency_p95',
  'api_latency_p99',
  'llm_time_to_first_token_p95',
  'tool_call_p95',
  'load_time_p95',
  'sync_time_p95',
  'memory_p95',
  /** The lift of the crash signature most over-represented on one platform, version or
   *  configuration (significant, with its minimum volume), 0 when none is: src/analyzer/fleet/crash-concentration.ts. */
  'crash_concentration',
] as const;
export type MetricName = (typeof METRICS)[number];

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, "_", "." or "-" (at most 64)');
const label = z.string().min(1).max(128);
/** Durations in ms; at least a minute (the evaluation step) and at most 30 days. */
const windowMs = z.number().int().min(60_000).max(30 * 86_400_000);

export const filtersSchema = z.strictObject({
  version: label.optional(),
  os: label.optional(),
  category: z.enum(['usage', 'performance', 'errors', 'crashes']).optional(),
  name: label.optional(),
});

export const conditionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('threshold'), op: z.enum(['above', 'at_least', 'below', 'at_most']), value: z.number().finite() }),
  z.strictObject({
    kind: z.literal('anomaly'),
    /** The scorer's output (0..1) at or above which the point is anomalous. */
    minScore: z.number().min(0).max(1).default(0.9),
    /** Points the scorer learns from before it is believed (backfilled from the store). */
    warmupPoints: z.number().int().min(0).max(10_000).default(60),
  }),
  z.strictObject({
    kind: z.literal('change_vs_previous_version'),
    /** Effect size beyond which a significant change is a regression (the gate's default when absent). */
    maxChange: z.number().positive().optional(),
    alpha: z.number().positive().max(0.5).optional(),
  }),
]);

export const ruleSchema = z.strictObject({
  id,
  description: z.string().max(500).optional(),
  metric: z.enum(METRICS),
  filters: filtersSchema.default({}),
  /** One alert per value of these (e.g. per version): "1.6.0 crashes", not "something crashes". */
  groupBy: z.array(z.enum(['version', 'os'])).max(2).default([]),
  windowMs,
  condition: conditionSchema,
  /** Below these the rule does not judge: sessions and devices in the window, and devices affected
   *  (with a crash for crash metrics, with an error or crash for error_rate). */
  minVolume: z
    .strictObject({ sessions: z.number().int().min(0).default(0), devices: z.number().int().min(0).default(0), affectedDevices: z.number().int().min(0).default(0) })
    .default({ sessions: 0, devices: 0, affectedDevices: 0 }),
  /** How long the condition must hold before the alert fires (0: at the first evaluation). */
  forMs: z.number().int().min(0).max(86_400_000).default(0),
  /** While firing, notify again this often (0: never). */
  repeatMs: z.number().int().min(0).default(0),
  severity: z.enum(['critical', 'warning', 'info']),
  /** Channel names to notify (default: every channel). */
  channels: z.array(id).optional(),
  enabled: z.boolean().default(true),
});
export type Rule = z.infer<typeof ruleSchema>;
export type RuleInput = z.input<typeof ruleSchema>;
export type Condition = z.infer<typeof conditionSchema>;

export const silenceSchema = z.strictObject({
  id,
  /** Every given matcher must equal the alert's value; an empty matcher set silences everything. */
  matchers: z.strictObject({ rule: id.optional(), severity: z.enum(['critical', 'warning', 'info']).optional(), version: label.optional(), os: label.optional() }),
  startsAt: z.number().int(),
  endsAt: z.number().int(),
  comment: z.string().max(500).default(''),
  createdBy: z.string().max(128).default('unknown'),
}).refine((s) => s.endsAt > s.startsAt, { message: 'endsAt must be after startsAt', path: ['endsAt'] });
export type Silence = z.infer<typeof silenceSchema>;

export const channelSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('webhook'), name: id, url: z.url() }),
  z.strictObject({
    kind: z.literal('email'),
    name: id,
    /** e.g. smtp://user:pass@mail.example.com:587 (nodemailer's connection URL). */
    smtpUrl: z.string().min(1),
    from: z.string().min(3),
    to: z.array(z.string().min(3)).min(1),
  }),
]);
export type Channel = z.infer<typeof channelSchema>;

export const rollbackHookSchema = z.discriminatedUnion('kind', [
  /** Run with the evidence as JSON on stdin and ROLLBACK_VERSION / ROLLBACK_BASELINE in the environment. */
  z.strictObject({ kind: z.literal('command'), command: z.string().min(1), args: z.array(z.string()).default([]), timeoutMs: z.number().int().positive().default(60_000) }),
  /** POSTed the evidence as JSON. */
  z.strictObject({ kind: z.literal('webhook'), url: z.url() }),
]);
export type RollbackHook = z.infer<typeof rollbackHookSchema>;

export const alertingConfigSchema = z.strictObject({
  rules: z.array(ruleSchema).default([]),
  silences: z.array(silenceSchema).default([]),
  channels: z.array(channelSchema).default([]),
  /** How often the rules are evaluated. */
  evaluateEveryMs: z.number().int().min(1_000).default(30_000),
  releaseMonitor: z
    .strictObject({
      enabled: z.boolean().default(true),
      checkEveryMs: z.number().int().min(60_000).default(3_600_000),
      /** Consecutive checks that must agree before a regression is confirmed. */
      confirmations: z.number().int().min(1).default(2),
      /** How far before the release the comparison starts (both versions over the same window). */
      windowMs: z.number().int().min(3_600_000).default(7 * 86_400_000),
      /** A release clean this long after it first appeared is settled and no longer compared. */
      settleAfterMs: z.number().int().min(3_600_000).default(7 * 86_400_000),
      rollbackHook: rollbackHookSchema.optional(),
    })
    .optional(),
}).superRefine((c, ctx) => {
  const dup = (xs: string[], path: string) => {
    const seen = new Set<string>();
    xs.forEach((x, i) => {
      if (seen.has(x)) ctx.addIssue({ code: 'custom', message: `duplicate id "${x}"`, path: [path, i, path === 'channels' ? 'name' : 'id'] });
      seen.add(x);
    });
  };
  dup(c.rules.map((r) => r.id), 'rules');
  dup(c.silences.map((s) => s.id), 'silences');
  dup(c.channels.map((ch) => ch.name), 'channels');
});
export type AlertingConfig = z.infer<typeof alertingConfigSchema>;
export type AlertingConfigInput = z.input<typeof alertingConfigSchema>;

/** zod's issues as `path: message`, for a person who wrote the file or the request. */
export function describeConfigIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}
