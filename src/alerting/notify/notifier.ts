// The notification port and its two transports. A transport throws a DeliveryError saying whether
// trying again may help (a timeout, a 5xx, an SMTP 4xx) or not (a 4xx, an SMTP 5xx).
import { createTransport } from 'nodemailer';
import type { Channel } from '../rule.js';

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface Notifier {
  readonly channel: string;
  /** Resolves when the receiver accepted it; rejects with a DeliveryError otherwise. */
  send(payload: { subject: string; text: string; json: Record<string, unknown> }): Promise<void>;
}

/** A webhook request longer than this is abandoned (and retried). */
const WEBHOOK_TIMEOUT_MS = 10_000;

export function webhookNotifier(channel: string, url: string, timeoutMs = WEBHOOK_TIMEOUT_MS): Notifier {
  return {
    channel,
    async send({ json }) {
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json), signal: AbortSignal.timeout(timeoutMs) });
      } catch (e) {
        throw new DeliveryError(`webhook unreachable: ${(e as Error).message}`, true);
      }
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return;
      // 408 and 429 ask to come back later; another 4xx will fail the same way every time.
      const retriable = res.status >= 500 || res.status === 408 || res.status === 429;
      throw new DeliveryError(`webhook answered ${res.status}`, retriable);
    },
  };
}

export function emailNotifier(channel: string, smtpUrl: string, from: string, to: readonly string[]): Notifier {
  const transport = createTransport(smtpUrl);
  return {
    channel,
    async send({ subject, text }) {
      try {
        await transport.sendMail({ from, to: [...to], subject, text });
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        // SMTP 5xx is a permanent refusal (unknown mailbox, policy); 4xx and no answer are temporary.
        throw new DeliveryError(`smtp: ${(e as Error).message}`, code === undefined || code < 500);
      }
    },
  };
}

export function notifierFor(ch: Channel): Notifier {
  return ch.kind === 'webhook' ? webhookNotifier(ch.name, ch.url) : emailNotifier(ch.name, ch.smtpUrl, ch.from, ch.to);
}
