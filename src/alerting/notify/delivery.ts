// Delivering one message to one channel: retried with exponential backoff while the failure may
// pass, and the outcome recorded either way, so a page that could not be delivered is visible in
// the history (and counted), never silently dropped.
import { DeliveryError, type Notifier } from './notifier.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubled each time, up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** 1 s, 2 s, 4 s, 8 s, 16 s between six attempts: ~31 s in all, so a page still arrives inside the
 *  two-minute budget when the receiver blips, and gives up before the next evaluations pile up. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, firstDelayMs: 1_000, maxDelayMs: 30_000 };

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export interface DeliveryOutcome {
  status: 'delivered' | 'failed';
  attempts: number;
  error?: string;
}

export async function deliver(n: Notifier, payload: Parameters<Notifier['send']>[0], policy: RetryPolicy, sleep: Sleep): Promise<DeliveryOutcome> {
  let delay = policy.firstDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await n.send(payload);
      return { status: 'delivered', attempts: attempt };
    } catch (e) {
      const retriable = e instanceof DeliveryError ? e.retriable : true;
      if (!retriable || attempt >= policy.attempts) return { status: 'failed', attempts: attempt, error: (e as Error).message };
      await sleep(delay);
      delay = Math.min(delay * 2, policy.maxDelayMs);
    }
  }
}
