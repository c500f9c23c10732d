// The fast path of validation inside track(): a hand-written check that answers "certainly valid"
// for the fields app code passes every day, in a fraction of zod's time (zod was 40% of track()).
// It may only ever say yes to what the zod schemas (schema.ts, the specification) accept; when it
// says no, track() asks zod, which gives the verdict and the message. fields-check.test.ts holds
// it to that over generated inputs.
import { CODE_PATTERN, isContext, LIMITS, NAME_PATTERN, UNITS, type EventType } from './schema.js';

const UNIT_SET: ReadonlySet<unknown> = new Set(UNITS);

const MAX_FEATURE_SECONDS = 7 * 24 * 3600;

function plainObject(o: unknown): o is Record<string, unknown> {
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
  const proto: unknown = Object.getPrototypeOf(o);
  return proto === Object.prototype || proto === null;
}

function isName(v: unknown): boolean {
  return typeof v === 'string' && v.length <= LIMITS.nameMax && NAME_PATTERN.test(v);
}

function isText(v: unknown, max: number): boolean {
  return typeof v === 'string' && v.length <= max;
}

function isCount(v: unknown, max: number): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function optionalContext(v: unknown): boolean {
  return v === undefined || isContext(v, LIMITS.contextInputStringMax);
}

/** Every own key of `o` is one of `allowed` (a strict object's rule). */
function onlyKeys(o: Record<string, unknown>, allowed: readonly string[]): boolean {
  for (const k in o) if (!Object.hasOwn(o, k) || !allowed.includes(k)) return false;
  return true;
}

const APP_KEYS = ['context'];
const FEATURE_KEYS = ['feature_id', 'duration_seconds', 'interaction_count', 'context'];
const PERFORMANCE_KEYS = ['value', 'unit', 'context'];
const NETWORK_KEYS = ['url', 'status_code', 'duration_ms', 'bytes_transferred'];
const ERROR_KEYS = ['error_message', 'error_code', 'stack_trace', 'feature_id'];
const CRASH_KEYS = [...ERROR_KEYS, 'process', 'reason'];

function errorFieldsOk(f: Record<string, unknown>): boolean {
  return (
    isText(f.error_message, LIMITS.errorMessageMax) &&
    (f.error_code === undefined || (isText(f.error_code, LIMITS.nameMax) && CODE_PATTERN.test(f.error_code as string))) &&
    (f.stack_trace === undefined || isText(f.stack_trace, LIMITS.stackTraceMax)) &&
    (f.feature_id === undefined || isName(f.feature_id))
  );
}

/** True only if FIELDS_OF[type] accepts `f` as it is (false means: ask zod). */
export function certainlyValidFields(type: EventType, f: unknown): f is Record<string, unknown> {
  if (!plainObject(f)) return false;
  switch (type) {
    case 'app':
      return onlyKeys(f, APP_KEYS) && optionalContext(f.context);
    case 'feature':
      return (
        onlyKeys(f, FEATURE_KEYS) &&
        isName(f.feature_id) &&
        isFiniteNumber(f.duration_seconds) &&
        f.duration_seconds >= 0 &&
        f.duration_seconds <= MAX_FEATURE_SECONDS &&
        isCount(f.interaction_count, 1_000_000) &&
        optionalContext(f.context)
      );
    case 'performance':
      return onlyKeys(f, PERFORMANCE_KEYS) && isFiniteNumber(f.value) && UNIT_SET.has(f.unit) && optionalContext(f.context);
    case 'network':
      return (
        onlyKeys(f, NETWORK_KEYS) &&
        isText(f.url, LIMITS.urlMax) &&
        isCount(f.status_code, 599) &&
        isFiniteNumber(f.duration_ms) &&
        f.duration_ms >= 0 &&
        isCount(f.bytes_transferred, Number.MAX_SAFE_INTEGER)
      );
    case 'error':
      return onlyKeys(f, ERROR_KEYS) && errorFieldsOk(f);
    case 'crash':
      return onlyKeys(f, CRASH_KEYS) && errorFieldsOk(f) && isName(f.process) && isName(f.reason);
    default:
      return false;
  }
}
