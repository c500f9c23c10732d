// The one interface through which the uploader reads and changes the device's store: what is
// pending, mark sent, dead-letter, and when new events were committed.
import type { TelemetryService } from '../service/telemetry-service.js';
import { UploadQueue, type DeadLetter, type PendingDeletion, type PendingEvent, type UploadLogEntry } from './queue.js';
import type { BuiltBatch, ClientHealth } from './request.js';

export interface UploadStore {
  /** The oldest pending shared events after `afterRowid`, at most `limit`. */
  pending(limit: number, afterRowid: number): PendingEvent[];
  /** If the store can: the next batch read, built and compressed away from the app's thread
   *  (null: nothing pending after `afterRowid`; undefined: do it here with pending()). */
  buildBatch?(limit: number, afterRowid: number, health: ClientHealth, sentAt: number): Promise<BuiltBatch | null | undefined>;
  pendingCount(): number;
  /** Marks delivered rows sent; rows no longer pending (deleted, consent lowered) are left alone. */
  markSent(rowids: readonly number[]): void;
  deadLetter(items: readonly { rowid: number; id: string }[], status: number, reason: string, at: number): void;
  pendingDeletions(): PendingDeletion[];
  markDeletionsSent(requestIds: readonly string[], at: number): void;
  log(entry: UploadLogEntry): void;
  recentUploads(limit?: number): UploadLogEntry[];
  deadLetters(limit?: number): DeadLetter[];
  addCounters(deltas: Map<string, number>): void;
  counters(): Record<string, number>;
  /** Called after each commit with the number of newly queued shared events; returns an unsubscribe. */
  onCommit(listener: (sharedEvents: number) => void): () => void;
  /** Commits what the app has tracked but not yet written. */
  flush(): void;
}

/** The upload store over a TelemetryService's database (which changes if a corrupt file was
 *  replaced). With a writer thread, the heavy parts (reading and building batches, marking them
 *  sent, the log) are done there, in order with the commits; the rest reads this thread's connection. */
export function serviceUploadStore(service: TelemetryService): UploadStore {
  let current: { store: unknown; queue: UploadQueue } | null = null;
  const q = (): UploadQueue => {
    const store = service.eventStore;
    if (current?.store !== store) current = { store, queue: new UploadQueue(store) };
    return current.queue;
  };
  return {
    pending: (limit, after) => q().pending(limit, after),
    buildBatch: async (limit, afterRowid, health, sentAt) => {
      const answer = service.writerRequest({ op: 'batch', limit, afterRowid, health, sentAt });
      if (answer === null) return undefined;
      const a = await answer;
      if (!a.ok) return undefined;
      const b = a.batch ?? null;
      return b === null ? null : { events: b.events, body: Buffer.from(b.body.buffer, b.body.byteOffset, b.body.byteLength), rawBytes: b.rawBytes };
    },
    pendingCount: () => q().pendingCount(),
    markSent: (rowids) => {
      if (service.writerRequest({ op: 'markSent', rowids: [...rowids] }) === null) q().markSent(rowids);
    },
    deadLetter: (items, status, reason, at) => {
      if (service.writerRequest({ op: 'deadLetter', items: items.map((i) => ({ rowid: i.rowid, id: i.id })), status, reason, at }) === null) q().deadLetter(items, status, reason, at);
    },
    pendingDeletions: () => q().pendingDeletions(),
    markDeletionsSent: (ids, at) => {
      q().markDeletionsSent(ids, at);
      service.deletionsConfirmed();
    },
    log: (entry) => {
      if (service.writerRequest({ op: 'log', entry }) === null) q().log(entry);
    },
    recentUploads: (limit) => q().recentUploads(limit),
    deadLetters: (limit) => q().deadLetters(limit),
    addCounters: (deltas) => {
      if (service.writerRequest({ op: 'addCounters', deltas: [...deltas] }) === null) service.eventStore.addCounters(deltas);
    },
    counters: () => service.counters(),
    onCommit: (listener) => service.onCommit(listener),
    flush: () => service.flush(),
  };
}
