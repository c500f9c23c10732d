// How a batch is built for the wire (docs/PROTOCOL.md): fields shared by every event are sent
// once in `common`, the rest per event, gzip-compressed.
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';

const gzipAsync = promisify(gzip);
import type { PendingDeletion, PendingEvent, PendingRow } from './queue.js';
import { MAX_BATCH_BYTES, MAX_BATCH_EVENTS } from './policy.js';

export const SCHEMA_VERSION = 1;
/** Fields sent once per batch in `common` (the same for all of a device's events, nearly always). */
type CommonKey = 'user_id' | 'device_id' | 'app_version' | 'os';

export interface ClientHealth {
  queue_depth: number;
  dropped: Record<string, number>;
  evicted: Record<string, number>;
}

/** What the uploader needs to know of each event in a batch it sent. */
export type BatchEvent = Pick<PendingEvent, 'rowid' | 'id' | 'category'>;

export interface BuiltBatch {
  events: BatchEvent[];
  body: Buffer;
  /** JSON bytes before compression. */
  rawBytes: number;
}

/** Takes events from the front of `pending` while the batch stays within the limits. */
export function buildBatch(pending: readonly PendingEvent[], health: ClientHealth, sentAt: number, maxEvents = MAX_BATCH_EVENTS): BuiltBatch {
  const { events, envelope } = assembleBatch(pending, health, sentAt, maxEvents);
  return { events, body: gzipSync(envelope), rawBytes: envelope.length };
}

/** The same batch, compressed on libuv's thread pool rather than on the app's thread. */
export async function buildBatchAsync(pending: readonly PendingEvent[], health: ClientHealth, sentAt: number, maxEvents = MAX_BATCH_EVENTS): Promise<BuiltBatch> {
  const { events, envelope } = assembleBatch(pending, health, sentAt, maxEvents);
  return { events, body: await gzipAsync(envelope), rawBytes: envelope.length };
}

/** The batch's JSON, before compression (the writer thread compresses it there). */
export function assembleBatch(pending: readonly PendingEvent[], health: ClientHealth, sentAt: number, maxEvents: number): { events: PendingEvent[]; envelope: string } {
  const first = pending[0]?.row;
  const common: Partial<Record<CommonKey, string>> = first ? { user_id: first.user_id, device_id: first.device_id, app_version: first.app_version, os: first.os } : {};
  const parts: string[] = [];
  const taken: PendingEvent[] = [];
  let bytes = 200;
  for (const p of pending) {
    if (taken.length >= maxEvents) break;
    const json = wireJson(p.row, common);
    // Always take at least one event, so an oversized one is sent (and refused) rather than stuck.
    if (taken.length > 0 && bytes + json.length + 1 > MAX_BATCH_BYTES) break;
    bytes += json.length + 1;
    parts.push(json);
    taken.push(p);
  }
  const envelope = `{"schema_version":${SCHEMA_VERSION},"sent_at":${JSON.stringify(new Date(sentAt).toISOString())},"common":${JSON.stringify(common)},"health":${JSON.stringify(health)},"events":[${parts.join(',')}]}`;
  return { events: taken, envelope };
}

/** The event as the protocol sends it (docs/PROTOCOL.md), minus what `common` already says. Built
 *  from the stored row: the payload column already holds the type's fields as JSON, so a backlog
 *  is sent without parsing and re-serialising every event (request.test.ts checks the result
 *  equals the stored event). */
function wireJson(r: PendingRow, common: Partial<Record<CommonKey, string>>): string {
  let out = `{"id":${JSON.stringify(r.id)},"event_type":${JSON.stringify(r.event_type)},"name":${JSON.stringify(r.name)},"timestamp":"${new Date(r.ts).toISOString()}","session_id":${JSON.stringify(r.session_id)},"seq":${r.seq}`;
  if (r.user_id !== common.user_id) out += `,"user_id":${JSON.stringify(r.user_id)}`;
  if (r.device_id !== common.device_id) out += `,"device_id":${JSON.stringify(r.device_id)}`;
  if (r.app_version !== common.app_version) out += `,"app_version":${JSON.stringify(r.app_version)}`;
  if (r.os !== common.os) out += `,"os":${JSON.stringify(r.os)}`;
  return r.payload.length > 2 ? `${out},${r.payload.slice(1)}` : `${out}}`;
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
