// What the uploader is allowed to do: batch limits, retry timing. Every number with its reason.

/** At most this many events per request: the collector accepts 1000; half leaves room. */
export const MAX_BATCH_EVENTS = 500;
/** ... and at most this many bytes of JSON before compression (~100 KB on the wire). */
export const MAX_BATCH_BYTES = 512 * 1024;
/** Batches on their way at once while uploads succeed (one after any failure). */
export const MAX_IN_FLIGHT = 3;
/** Exponential backoff with full jitter: delay = random(0, min(cap, base * 2^attempt)). */
export const BACKOFF_BASE_MS = 1000;
/** A server down for a day is retried every ~5 minutes at worst, not every few seconds. */
export const BACKOFF_CAP_MS = 5 * 60 * 1000;
/** A server's Retry-After beyond this is treated as this: a bad header must not stall uploads for days. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;
/** How long one request may take before it counts as failed (and is retried). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** The final attempt on quit may delay the app's exit by at most this much. */
export const QUIT_BUDGET_MS = 2000;
/** With less than a full batch waiting, send at most this often: fewer, fuller requests. */
export const UPLOAD_INTERVAL_MS = 15_000;

export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.max(0, Math.min(ms, MAX_RETRY_AFTER_MS));
}

/** The endpoint must be https, except on this machine's loopback (tests, a local collector). */
export function checkEndpoint(endpoint: string): string | null {
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    return `endpoint is not a URL: ${endpoint}`;
  }
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && isLoopback(u.hostname)) return null;
  return `endpoint must use https: (plain http is allowed only for loopback addresses), got ${u.protocol}//${u.hostname}`;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}
