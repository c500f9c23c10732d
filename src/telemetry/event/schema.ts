// The event model of ARCHITECTURE.md, kept exactly: common fields + per-type fields.
// One schema serves the device (validating what app code tracks) and the collector (validating
// what arrives on the wire), so both sides agree on what an event may hold.
import { z } from 'zod';

export const EVENT_TYPES = ['app', 'feature', 'performance', 'network', 'error', 'crash'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CATEGORIES = ['usage', 'performance', 'errors', 'crashes'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Which consent category governs each event type. */
export const CATEGORY_OF: Readonly<Record<EventType, Category>> = {
  app: 'usage',
  feature: 'usage',
  performance: 'performance',
  network: 'performance',
  error: 'errors',
  crash: 'crashes',
};

export const TYPES_OF: Readonly<Record<Category, readonly EventType[]>> = {
  usage: ['app', 'feature'],
  performance: ['performance', 'network'],
  errors: ['error'],
  crashes: ['crash'],
};

/** Limits on what one event may carry. Each is sized for its honest use, and no larger, so that
 *  free text (an LLM prompt or response) has nowhere to go. */
export const LIMITS = {
  /** Dotted lower-case identifiers such as `llm.inference` or `mcp.tool_call`. */
  nameMax: 64,
  /** Enough for a dozen dimensions of a metric with room to spare. */
  contextMaxKeys: 32,
  contextKeyMax: 64,
  /** Short labels (a model name, a provider, an outcome); not room for a sentence of user text.
   *  What app code passes may be longer: it is cut to this after scrubbing (and counted). */
  contextStringMax: 128,
  /** What track() accepts in a context string before scrubbing and cutting: a bound on the work. */
  contextInputStringMax: 65_536,
  /** A long Node/Chromium error message fits; a pasted document does not. */
  errorMessageMax: 1024,
  /** ~60 frames of a deep Electron stack. */
  stackTraceMax: 8192,
  urlMax: 2048,
  versionMax: 64,
  osMax: 64,
} as const;

/** Names: lower-case words joined by `.`, `_`, `-` or `:`. No spaces, so no sentences. */
export const NAME_PATTERN = /^[a-z][a-z0-9]*(?:[._:-][a-z0-9]+)*$/;
/** An error code; after scrubbing it may hold the scrubber's tokens (`EACCES:<user>`). */
export const CODE_PATTERN = /^(?:[A-Za-z0-9]|<[a-z]+>)(?:[A-Za-z0-9_.:-]|<[a-z]+>)*$/;
/** A context key; after scrubbing it may hold the scrubber's tokens (`<user>_files`). */
const CONTEXT_KEY_PATTERN = /^(?:[A-Za-z_]|<[a-z]+>)(?:[A-Za-z0-9_.]|<[a-z]+>)*$/;

export const nameSchema = z.string().max(LIMITS.nameMax).regex(NAME_PATTERN, 'must be a lower-case dotted identifier such as "llm.inference"');
const codeSchema = z.string().max(LIMITS.nameMax).regex(CODE_PATTERN, 'must be an identifier such as "ECONNRESET" or "404"');

export type ContextValue = string | number | boolean | null;
export type Context = Record<string, ContextValue>;

/** A hand-written check rather than z.record(z.union(...)): it runs inside every track() call and
 *  is ~7x faster (116 vs 764 ns for a three-key context, measured here), with the same rules. */
export function isContext(o: unknown, stringMax: number): o is Context {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  let n = 0;
  for (const k in o) {
    if (++n > LIMITS.contextMaxKeys || k.length > LIMITS.contextKeyMax || !CONTEXT_KEY_PATTERN.test(k)) return false;
    const v = (o as Record<string, unknown>)[k];
    switch (typeof v) {
      case 'string':
        if (v.length > stringMax) return false;
        break;
      case 'number':
        if (!Number.isFinite(v)) return false;
        break;
      case 'boolean':
        break;
      default:
        if (v !== null) return false;
    }
  }
  return true;
}
/** A context as stored and sent: strings of at most contextStringMax. */
export const contextSchema = z.custom<Context>(
  (o) => isContext(o, LIMITS.contextStringMax),
  `context must be an object of at most ${LIMITS.contextMaxKeys} identifier keys, each holding a number, a boolean, null or a string of at most ${LIMITS.contextStringMax} characters`,
);
/** A context as app code passes it to track(): longer strings are accepted, and cut after scrubbing. */
export const contextInputSchema = z.custom<Context>(
  (o) => isContext(o, LIMITS.contextInputStringMax),
  `context must be an object of at most ${LIMITS.contextMaxKeys} identifier keys, each holding a number, a boolean, null or a string`,
);

export const UNITS = ['ms', 's', 'bytes', 'count', 'percent', 'tokens', 'tokens_per_s'] as const;
export type Unit = (typeof UNITS)[number];

// Per-type fields: what app code passes to track*() besides the name.
export const appFields = z.strictObject({ context: contextSchema.optional() });
export const featureFields = z.strictObject({
  feature_id: nameSchema,
  duration_seconds: z.number().finite().min(0).max(7 * 24 * 3600),
  interaction_count: z.number().int().min(0).max(1_000_000),
  context: contextSchema.optional(),
});
export const performanceFields = z.strictObject({
  value: z.number().finite(),
  unit: z.enum(UNITS),
  context: contextSchema.optional(),
});
export const networkFields = z.strictObject({
  url: z.string().max(LIMITS.urlMax),
  status_code: z.number().int().min(0).max(599),
  duration_ms: z.number().finite().min(0),
  bytes_transferred: z.number().int().min(0),
});
export const errorFields = z.strictObject({
  error_message: z.string().max(LIMITS.errorMessageMax),
  error_code: codeSchema.optional(),
  stack_trace: z.string().max(LIMITS.stackTraceMax).optional(),
  /** The feature in use when it happened (`setActiveFeature`), so errors can be read per feature. */
  feature_id: nameSchema.optional(),
});
export const crashFields = errorFields.extend({
  /** Which process died: `main`, `renderer`, `gpu`, `utility`, ... */
  process: nameSchema,
  /** Why: `crashed`, `oom`, `killed`, `uncaught_exception`, `unhandled_rejection`, `resource_exhaustion`, ... */
  reason: nameSchema,
});

/** What app code may pass to track*(), per type: as stored, except that context strings may be longer. */
export const FIELDS_OF = {
  app: appFields.extend({ context: contextInputSchema.optional() }),
  feature: featureFields.extend({ context: contextInputSchema.optional() }),
  performance: performanceFields.extend({ context: contextInputSchema.optional() }),
  network: networkFields,
  error: errorFields,
  crash: crashFields,
} as const;

export type AppFields = z.infer<typeof appFields>;
export type FeatureFields = z.infer<typeof featureFields>;
export type PerformanceFields = z.infer<typeof performanceFields>;
export type NetworkFields = z.infer<typeof networkFields>;
export type ErrorFields = z.infer<typeof errorFields>;
export type CrashFields = z.infer<typeof crashFields>;
export type FieldsOf = {
  app: AppFields;
  feature: FeatureFields;
  performance: PerformanceFields;
  network: NetworkFields;
  error: ErrorFields;
  crash: CrashFields;
};

export const commonFields = z.object({
  id: z.uuid({ version: 'v7' }),
  name: nameSchema,
  timestamp: z.iso.datetime({ offset: false }),
  session_id: z.uuid(),
  user_id: z.uuid(),
  app_version: z.string().min(1).max(LIMITS.versionMax),
  os: z.string().min(1).max(LIMITS.osMax),
  device_id: z.uuid(),
  seq: z.number().int().min(1),
});
export type CommonFields = z.infer<typeof commonFields>;

/** A complete event as stored and as sent on the wire. */
export const telemetryEventSchema = z.discriminatedUnion('event_type', [
  commonFields.extend({ event_type: z.literal('app'), ...appFields.shape }).strict(),
  commonFields.extend({ event_type: z.literal('feature'), ...featureFields.shape }).strict(),
  commonFields.extend({ event_type: z.literal('performance'), ...performanceFields.shape }).strict(),
  commonFields.extend({ event_type: z.literal('network'), ...networkFields.shape }).strict(),
  commonFields.extend({ event_type: z.literal('error'), ...errorFields.shape }).strict(),
  commonFields.extend({ event_type: z.literal('crash'), ...crashFields.shape }).strict(),
]);
export type TelemetryEvent = z.infer<typeof telemetryEventSchema>;
export type TelemetryEventOf<T extends EventType> = Extract<TelemetryEvent, { event_type: T }>;

/** The single number a rollup aggregates for an event (sum/min/max/histogram), if it has one. */
export function measureOf(type: EventType, fields: Record<string, unknown>): number | null {
  switch (type) {
    case 'performance':
      return fields.value as number;
    case 'network':
      return fields.duration_ms as number;
    case 'feature':
      return fields.duration_seconds as number;
    default:
      return null;
  }
}
