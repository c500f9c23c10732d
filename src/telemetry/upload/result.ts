// What happened to a request, classified once, so the uploader's reaction is a lookup and a reader
// who wants to know "why was this batch dropped" reads this file.
import { z } from 'zod';
import type { HttpResponse } from './transport.js';

export type BatchOutcome =
  /** The collector answered for every event: these are delivered, those refused for good. */
  | { kind: 'processed'; accepted: number; duplicates: number; rejected: { index: number; reason: string }[] }
  /** Try again later (at least `retryAfterMs` when the server said so). */
  | { kind: 'retry'; reason: string; status: number | null; retryAfterMs: number | null }
  /** Too large: split the batch and try the halves. */
  | { kind: 'split'; status: number }
  /** Refused as a whole for good: dead-letter the events. */
  | { kind: 'dead_letter'; status: number; reason: string }
  /** Our credentials are wrong: stop until the configuration changes. */
  | { kind: 'paused'; status: number; reason: string };

const batchResponseSchema = z.object({
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  rejected: z.array(z.object({ index: z.number().int().min(0), reason: z.string() })),
});

export function classifyBatchResponse(res: HttpResponse, sent: number, retryAfterMs: number | null): BatchOutcome {
  const s = res.status;
  if (s >= 200 && s < 300) {
    let parsed: z.infer<typeof batchResponseSchema> | null = null;
    try {
      const r = batchResponseSchema.safeParse(JSON.parse(res.body));
      if (r.success) parsed = r.data;
    } catch {
      parsed = null;
    }
    // An answer that does not account for every event proves nothing: send again (ids make it safe).
    if (parsed === null || parsed.accepted + parsed.duplicates + parsed.rejected.length !== sent || parsed.rejected.some((r) => r.index >= sent)) {
      return { kind: 'retry', reason: 'unreadable response', status: s, retryAfterMs };
    }
    return { kind: 'processed', ...parsed };
  }
  if (s === 401 || s === 403) return { kind: 'paused', status: s, reason: s === 401 ? 'missing API key' : 'API key refused' };
  if (s === 413) return { kind: 'split', status: s };
  if (s === 408 || s === 429 || s >= 500) return { kind: 'retry', reason: `HTTP ${s}`, status: s, retryAfterMs };
  if (s >= 400) return { kind: 'dead_letter', status: s, reason: `HTTP ${s}: ${errorText(res.body)}` };
  return { kind: 'retry', reason: `unexpected HTTP ${s}`, status: s, retryAfterMs };
}

export function classifyNetworkError(e: unknown): BatchOutcome {
  const code = (e as { code?: string }).code ?? 'ERROR';
  const message = (e as Error).message ?? String(e);
  // Node's messages often start with the code already ("connect ECONNREFUSED ..."): say it once.
  const reason = message.includes(code) ? message : `${code}: ${message}`;
  return { kind: 'retry', reason: reason.slice(0, 200), status: null, retryAfterMs: null };
}

function errorText(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: unknown };
    if (typeof j.error === 'string') return j.error.slice(0, 200);
  } catch {
    // not JSON
  }
  return body.slice(0, 200);
}
