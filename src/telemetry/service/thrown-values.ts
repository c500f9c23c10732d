// What the app throws, made into an error event's fields: any value at all (null-prototype
// objects, Proxies whose traps throw, getters that throw, symbols, 10 MB messages) gives fields,
// never an exception, so track*() keeps its promise never to throw into the app.
import { CODE_PATTERN, LIMITS } from '../event/schema.js';

/** Reads a property of anything thrown, where a getter or a Proxy trap may throw in turn. */
function read(o: unknown, key: string): unknown {
  if ((typeof o !== 'object' && typeof o !== 'function') || o === null) return undefined;
  try {
    return (o as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** A thrown value as text, for any value: String() throws for null-prototype objects and some
 *  Proxies, and a Symbol's description may be what it has. */
export function describeThrown(v: unknown): string {
  try {
    if (typeof v === 'string') return v;
    if (typeof v === 'symbol') return v.toString();
    return String(v);
  } catch {
    try {
      return Object.prototype.toString.call(v);
    } catch {
      return '<unprintable value>';
    }
  }
}

export function errorFieldsOf(error: unknown, code?: string): { error_message: string; error_code?: string; stack_trace?: string } {
  const rawMessage = read(error, 'message');
  const rawName = read(error, 'name');
  const rawCode = read(error, 'code');
  const rawStack = read(error, 'stack');
  // Clipped before anything else looks at it: a 10 MB message costs no more than a short one.
  const message = typeof rawMessage === 'string' ? rawMessage.slice(0, LIMITS.errorMessageMax) : describeThrown(error).slice(0, LIMITS.errorMessageMax);
  const name = typeof rawName === 'string' && rawName !== 'Error' ? `${rawName.slice(0, 100)}: ` : '';
  const out: { error_message: string; error_code?: string; stack_trace?: string } = {
    error_message: (name + message).slice(0, LIMITS.errorMessageMax),
  };
  const errCode = code ?? (typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode) : undefined);
  if (typeof errCode === 'string' && errCode.length <= LIMITS.nameMax && CODE_PATTERN.test(errCode)) out.error_code = errCode;
  if (typeof rawStack === 'string') out.stack_trace = rawStack.slice(0, LIMITS.stackTraceMax);
  return out;
}

export function storageErrorText(e: unknown): string {
  return `${(e as { code?: string }).code ?? 'error'}: ${(e as Error).message}`;
}
