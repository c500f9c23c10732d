// How a batch is built for the wire (docs/PROTOCOL.md): fields shared by every event are sent
// once in `common`, the rest per event, gzip-compressed.
import { gzipSync } from 'node:zlib';
import type { TelemetryEvent } from '../event/schema.js';
import type { PendingDeletion, PendingEvent } from './queue.js';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from './policy.js';

export const SCHEMA_VERSION = 1;
const COMMON_KEYS = ['user_id', 'device_id', 'app_version', 'os'] as const;

export interface ClientHealth {
  queue_depth: number;
  dropped: Record<string, number>;
  evicted: Record<string, number>;
}

export interface BuiltBatch {
  events: PendingEvent[];
  body: Buffer;
  /** JSON bytes before compression. */
  rawBytes: number;
}

/** Takes events from the front of `pending` while the batch stays within the limits. */
export function buildBatch(pending: readonly PendingEvent[], health: ClientHealth, sentAt: number, maxEvents = MAX_BATCH_EVENTS): BuiltBatch {
  const first = pending[0]?.event;
  const common: Partial<Record<(typeof COMMON_KEYS)[number], string>> = {};
  if (first) for (const k of COMMON_KEYS) common[k] = first[k];
  const parts: string[] = [];
  const taken: PendingEvent[] = [];
  let bytes = 200;
  for (const p of pending) {
    if (taken.length >= maxEvents) break;
    const json = JSON.stringify(withoutCommon(p.event, common));
    // Always take at least one event, so an oversized one is sent (and refused) rather than stuck.
    if (taken.length > 0 && bytes + json.length + 1 > MAX_BATCH_BYTES) break;
    bytes += json.length + 1;
    parts.push(json);
    taken.push(p);
  }
  const envelope = `{"schema_version":${SCHEMA_VERSION},"sent_at":${JSON.stringify(new Date(sentAt).toISOString())},"common":${JSON.stringify(common)},"health":${JSON.stringify(health)},"events":[${parts.join(',')}]}`;
  return { events: taken, body: gzipSync(envelope), rawBytes: envelope.length };
}

function withoutCommon(e: TelemetryEvent, common: Partial<Record<string, string>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (common[k] !== undefined && common[k] === v) continue;
    out[k] = v;
  }
  return out;
}

export function buildDeletionBody(requests: readonly PendingDeletion[], sentAt: number): Buffer {
  return gzipSync(
    JSON.stringify({
      schema_version: SCHEMA_VERSION,
      sent_at: new Date(sentAt).toISOString(),
      requests: requests.map((r) => ({ request_id: r.request_id, user_id: r.user_id, device_id: r.device_id, requested_at: new Date(r.requested_at).toISOString() })),
    }),
  );
}
