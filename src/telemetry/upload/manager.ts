// What to do next, decided from the queue's state and the last outcome alone (glean-core's upload
// manager): no timers, no I/O, so every rule below is a plain function a test can call.

/** Why the uploader is not sending at this moment (or that it is). */
export type UploaderWaiting =
  /** A request is on its way. */
  | 'sending'
  /** Nothing pending. */
  | 'idle'
  /** Less than a full batch pending: it leaves at the next interval. */
  | 'interval'
  /** The last attempt failed: waiting out the backoff. */
  | 'backoff'
  /** The server asked to wait (429/503 with Retry-After). */
  | 'retry_after'
  /** The host says the network is down. */
  | 'offline'
  /** The API key was refused: nothing is sent until the configuration changes. */
  | 'paused'
  /** stop() or quit() was called. */
  | 'stopped';

export interface UploadState {
  now: number;
  stopped: boolean;
  /** Why uploads are paused (a refused key), or null. */
  paused: string | null;
  online: boolean;
  /** Shared events waiting on disk. */
  pending: number;
  /** Deletion requests not yet confirmed by the collector. */
  pendingDeletions: number;
  /** Events that make a full batch right now (halved after a 413). */
  batchLimit: number;
  /** After a failure: no attempt before this time (backoff or the server's Retry-After). */
  retryNotBefore: number | null;
  /** Whether retryNotBefore comes from the server's Retry-After (rather than our backoff). */
  serverAskedToWait: boolean;
  /** When the last upload pass ended; null before the first. */
  lastPassAt: number | null;
  /** The last pass sent at least one full batch: events are coming in bulk, and the partial
   *  batch that ends a burst leaves at once rather than an interval later. */
  lastPassFull: boolean;
  /** With less than a full batch pending, send at most this often. */
  intervalMs: number;
}

export type NextStep =
  | { kind: 'upload' }
  | { kind: 'wait'; until: number; why: 'interval' | 'backoff' | 'retry_after' }
  | { kind: 'nothing'; why: 'idle' | 'offline' | 'paused' | 'stopped' };

export function nextStep(s: UploadState): NextStep {
  if (s.stopped) return { kind: 'nothing', why: 'stopped' };
  if (s.paused !== null) return { kind: 'nothing', why: 'paused' };
  if (!s.online) return { kind: 'nothing', why: 'offline' };
  if (s.pending === 0 && s.pendingDeletions === 0) return { kind: 'nothing', why: 'idle' };
  // A failure's wait is honoured whatever is pending: a full batch does not override a backoff.
  if (s.retryNotBefore !== null && s.now < s.retryNotBefore) {
    return { kind: 'wait', until: s.retryNotBefore, why: s.serverAskedToWait ? 'retry_after' : 'backoff' };
  }
  // A retry whose wait is over, a full batch, a deletion request (the person's right), the first
  // pass of a run, or the tail of a burst: now.
  if (s.retryNotBefore !== null || s.pending >= s.batchLimit || s.pendingDeletions > 0 || s.lastPassAt === null || s.lastPassFull) return { kind: 'upload' };
  const due = s.lastPassAt + s.intervalMs;
  return s.now >= due ? { kind: 'upload' } : { kind: 'wait', until: due, why: 'interval' };
}
