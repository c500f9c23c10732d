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

/** The answer to a batch of events. */
export function classifyBatchResponse(res: HttpResponse, sent: number, retryAfterMs: number | null): BatchOutcome {
  const s = res.status;
  if (s >= 200 && s < 300) {
    const parsed = parseBody(res.body, batchResponseSchema);
    // An answer that does not account for every event proves nothing: send again (ids make it safe).
    if (parsed === null || parsed.accepted + parsed.duplicates + parsed.rejected.length !== sent || parsed.rejected.some((r) => r.index >= sent)) {
      return { kind: 'retry', reason: 'unreadable response', status: s, retryAfterMs };
    }
    return { kind: 'processed', ...parsed };
  }
  return classifyFailure(res, retryAfterMs);
}

export type DeletionOutcome =
  /** The collector confirmed these requests (a request it did not name stays pending). */
  | { kind: 'done'; requestIds: string[] }
  | Extract<BatchOutcome, { kind: 'retry' | 'paused' }>;

const deletionResponseSchema = z.object({ done: z.array(z.string()) });

/** The answer to deletion requests. A deletion request is never given up (it is the person's
 *  right): what would dead-letter or split an event batch is retried here. */
export function classifyDeletionResponse(res: HttpResponse, sentIds: readonly string[], retryAfterMs: number | null): DeletionOutcome {
  const s = res.status;
  if (s >= 200 && s < 300) {
    const parsed = parseBody(res.body, deletionResponseSchema);
    const done = parsed === null ? [] : sentIds.filter((id) => parsed.done.includes(id));
    if (done.length === 0) return { kind: 'retry', reason: 'deletion response named no request as done', status: s, retryAfterMs };
    return { kind: 'done', requestIds: done };
  }
  const o = classifyFailure(res, retryAfterMs);
  if (o.kind === 'paused' || o.kind === 'retry') return o;
  return { kind: 'retry', reason: `deletion request: HTTP ${s}`, status: s, retryAfterMs };
}

/** A non-2xx answer, the same for every kind of request. */
function classifyFailure(res: HttpResponse, retryAfterMs: number | null): BatchOutcome {
  const s = res.status;
  if (s === 401 || s === 403) return { kind: 'paused', status: s, reason: s === 401 ? 'missing API key' : 'API key refused' };
  if (s === 413) return { kind: 'split', status: s };
  if (s === 408 || s === 429 || s >= 500) return { kind: 'retry', reason: `HTTP ${s}`, status: s, retryAfterMs };
  if (s >= 400) return { kind: 'dead_letter', status: s, reason: `HTTP ${s}: ${errorText(res.body)}` };
  return { kind: 'retry', reason: `unexpected HTTP ${s}`, status: s, retryAfterMs };
}

function parseBody<T>(body: string, schema: z.ZodType<T>): T | null {
  try {
    const r = schema.safeParse(JSON.parse(body));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
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
