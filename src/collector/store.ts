// The collector's storage PORT. The server talks only to this interface; the embedded default is
// SqliteCollectorStore (sqlite-store.ts), and adapters for existing engines can implement it too
// (which is why results may be promises: a network-backed store cannot answer synchronously).
import type { TelemetryEvent } from '../telemetry/event/schema.js';

export type MaybePromise<T> = T | Promise<T>;

/** An event that passed every check of the collector, ready to store. */
export interface IngestEvent {
  /** Validated and scrubbed; `timestamp` is the time as the device sent it. */
  event: TelemetryEvent;
  /** Milliseconds since the epoch, corrected for the device's clock skew (what is stored and aggregated). */
  ts: number;
  /** The device's own timestamp (ms) when a skew correction was applied, else null. */
  clientTs: number | null;
}

/** Forget everything carrying either anonymous id (docs/PROTOCOL.md, `POST /v1/deletions`). */
export interface DeletionRequest {
  request_id: string;
  user_id: string;
  device_id: string;
  /** Milliseconds since the epoch. */
  requested_at: number;
}

export interface IngestResult {
  /** Stored by this call. */
  accepted: number;
  /** Already stored (same id): delivered before, not stored twice. */
  duplicates: number;
}

export interface ForgetResult {
  /** The request ids carried out (all of them: repeating a request is not an error). */
  done: string[];
  deletedEvents: number;
}

export interface CollectorStore {
  /** Stores the events in one transaction, de-duplicated by id, folding rollups for the newly
   *  stored ones only. Throws (or rejects) if nothing was stored. */
  ingest(events: readonly IngestEvent[], receivedAt: number): MaybePromise<IngestResult>;
  /** Deletes every row carrying the user_id OR the device_id of each request; idempotent. Records
   *  the request id and the count, never the ids. */
  forget(requests: readonly DeletionRequest[], at: number): MaybePromise<ForgetResult>;
  /** Keeps the latest self-health a device reported. */
  recordClientHealth(deviceId: string, health: unknown, at: number): MaybePromise<void>;
  /** The latest self-health `deviceId` reported (the object as sent), if any. */
  latestClientHealth?(deviceId: string): MaybePromise<unknown>;
  /** Deletes raw events older than `before` (ms); rollups stay. Returns how many were deleted. */
  pruneBefore?(before: number): MaybePromise<number>;
  /** Deletes rollups of hours that ended before `before` (ms). Returns how many were deleted. */
  pruneRollupsBefore?(before: number): MaybePromise<number>;
  close(): MaybePromise<void>;
}

/** The store (or a part of it: one shard) cannot take writes now. The collector answers 503 with
 *  Retry-After and this message (which names what is down, never request data); nothing of the
 *  batch is acknowledged, so the device sends it again. */
export class StoreUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
