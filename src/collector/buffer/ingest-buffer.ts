// The durable ingest buffer PORT (docs/FLEET.md): between stateless collectors and the writers
// that store. A collector acknowledges a device only after the buffer has acknowledged the batch;
// writers store what the buffer delivers, idempotently, and only then acknowledge it to the buffer.
import { createHash } from 'node:crypto';
import type { DeletionRequest, IngestEvent } from '../store.js';

/** What travels through the buffer: a checked batch, or deletion requests (carried out in order
 *  after every batch before them). */
export type BufferedMessage =
  | { kind: 'batch'; receivedAt: number; events: IngestEvent[]; health?: { deviceId: string; health: unknown } }
  | { kind: 'deletions'; at: number; requests: DeletionRequest[] };

export interface PublishResult {
  /** The buffer had this message already (same id within its de-duplication window). */
  duplicate: boolean;
}

export interface IngestBuffer {
  /** Resolves once the buffer has stored the message durably; rejects if it has not. `id` makes a
   *  re-sent message a no-op. */
  publish(id: string, message: BufferedMessage): Promise<PublishResult>;
  close(): Promise<void>;
}

/** The id of a batch: the same events (a device re-sending what was not acknowledged) give the
 *  same id, whichever collector receives them. */
export function batchId(events: readonly IngestEvent[]): string {
  const h = createHash('sha256');
  for (const e of events) h.update(e.event.id).update('\n');
  return h.digest('hex').slice(0, 32);
}
