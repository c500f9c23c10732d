// The one interface through which the uploader reads and changes the device's store: what is
// pending, mark sent, dead-letter, and when new events were committed.
import type { TelemetryService } from '../service/telemetry-service.js';
import { UploadQueue, type DeadLetter, type PendingDeletion, type PendingEvent, type UploadLogEntry } from './queue.js';

export interface UploadStore {
  /** The oldest pending shared events after `afterRowid`, at most `limit`. */
  pending(limit: number, afterRowid: number): PendingEvent[];
  pendingCount(): number;
  /** Marks delivered rows sent; rows no longer pending (deleted, consent lowered) are left alone. */
  markSent(rowids: readonly number[]): number;
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

/** The upload store over a TelemetryService's database (which changes if a corrupt file was replaced). */
export function serviceUploadStore(service: TelemetryService): UploadStore {
  let current: { store: unknown; queue: UploadQueue } | null = null;
  const q = (): UploadQueue => {
    const store = service.eventStore;
    if (current?.store !== store) current = { store, queue: new UploadQueue(store) };
    return current.queue;
  };
  return {
    pending: (limit, after) => q().pending(limit, after),
    pendingCount: () => q().pendingCount(),
    markSent: (rowids) => q().markSent(rowids),
    deadLetter: (items, status, reason, at) => q().deadLetter(items, status, reason, at),
    pendingDeletions: () => q().pendingDeletions(),
    markDeletionsSent: (ids, at) => {
      q().markDeletionsSent(ids, at);
      service.deletionsConfirmed();
    },
    log: (entry) => q().log(entry),
    recentUploads: (limit) => q().recentUploads(limit),
    deadLetters: (limit) => q().deadLetters(limit),
    addCounters: (deltas) => service.eventStore.addCounters(deltas),
    counters: () => service.counters(),
    onCommit: (listener) => service.onCommit(listener),
    flush: () => service.flush(),
  };
}
