// What is pending on disk, and what happened to it: the upload queue over the device store.
// (glean's "directory": the one place to read to know what will be sent next.)
import type { Statement } from 'better-sqlite3';
import type { Category, TelemetryEvent } from '../event/schema.js';
import type { SqliteDatabase } from '../store/database.js';
import { UPLOAD_STATE, toStoredEvent, type EventRow, type EventStore } from '../store/event-store.js';

/** The newest upload attempts kept for "What was sent" and the sync history. */
const UPLOAD_LOG_ROWS = 500;

/** The columns of a stored event the wire needs. */
export type PendingRow = Omit<EventRow, 'state' | 'bytes'>;

/** A row waiting for upload, as stored: buildBatch writes its wire JSON straight from the row. */
export interface PendingEvent {
  rowid: number;
  category: Category;
  id: string;
  row: PendingRow;
}

export interface PendingDeletion {
  request_id: string;
  user_id: string;
  device_id: string;
  requested_at: number;
}

export interface UploadLogEntry {
  at: number;
  kind: 'events' | 'deletions';
  events: number;
  wire_bytes: number;
  categories: Category[];
  outcome: 'sent' | 'partial' | 'retry' | 'dead_letter' | 'paused' | 'split';
  status: number | null;
  detail: string | null;
  accepted: number;
  duplicates: number;
}

export interface DeadLetter {
  event_id: string;
  at: number;
  status: number;
  reason: string;
  event: TelemetryEvent | null;
}

export class UploadQueue {
  private readonly s: Record<'pending' | 'sentTotals' | 'markSent' | 'deadLetter' | 'deadLetterRow' | 'log' | 'trimLog' | 'pendingDeletions' | 'deletionSent', Statement>;

  private readonly db: SqliteDatabase;

  /** Over the store's database; every state change is reported to the store's running totals. */
  constructor(private readonly store: EventStore) {
    const db = store.db;
    this.db = db;
    this.s = {
      // Only what the wire needs (docs/PROTOCOL.md); the bench showed building objects of every column dominating.
      pending: db.prepare(`SELECT rowid, id, event_type, category, name, ts, session_id, user_id, app_version, os, device_id, seq, payload FROM events
        WHERE state = ${UPLOAD_STATE.pending} AND rowid > ? ORDER BY rowid LIMIT ?`),
      // A whole batch in two set-based statements rather than one UPDATE per row.
      sentTotals: db.prepare(`SELECT count(*) AS n, total(bytes) AS bytes FROM events WHERE rowid IN (SELECT value FROM json_each(?)) AND state = ${UPLOAD_STATE.pending}`),
      markSent: db.prepare(`UPDATE events SET state = ${UPLOAD_STATE.sent} WHERE rowid IN (SELECT value FROM json_each(?)) AND state = ${UPLOAD_STATE.pending}`),
      deadLetterRow: db.prepare(`UPDATE events SET state = ${UPLOAD_STATE.deadLetter} WHERE rowid = ? AND state = ${UPLOAD_STATE.pending} RETURNING bytes`).pluck(),
      deadLetter: db.prepare('INSERT OR REPLACE INTO dead_letters (event_id, at, status, reason) VALUES (?, ?, ?, ?)'),
      log: db.prepare(`INSERT INTO uploads (at, kind, events, wire_bytes, categories, outcome, status, detail, accepted, duplicates)
        VALUES (@at, @kind, @events, @wire_bytes, @categories, @outcome, @status, @detail, @accepted, @duplicates)`),
      trimLog: db.prepare(`DELETE FROM uploads WHERE rowid <= (SELECT max(rowid) FROM uploads) - ${UPLOAD_LOG_ROWS}`),
      pendingDeletions: db.prepare('SELECT request_id, user_id, device_id, requested_at FROM deletion_requests WHERE sent_at IS NULL ORDER BY requested_at'),
      deletionSent: db.prepare('UPDATE deletion_requests SET sent_at = ? WHERE request_id = ?'),
    };
  }

  /** The oldest pending events (after `afterRowid`), in the order they were tracked. */
  pending(limit: number, afterRowid = 0): PendingEvent[] {
    return (this.s.pending.all(afterRowid, limit) as PendingRow[]).map((row) => ({ rowid: row.rowid, category: row.category, id: row.id, row }));
  }

  pendingCount(): number {
    return this.store.pending;
  }

  /** Marks delivered events sent (kept on the device for the dashboard). A row whose consent was
   *  lowered meanwhile (no longer pending) is left as it is. */
  readonly markSent = (rowids: readonly number[]): number =>
    this.db.transaction(() => {
      const list = JSON.stringify(rowids);
      const { n, bytes } = this.s.sentTotals.get(list) as { n: number; bytes: number };
      this.s.markSent.run(list);
      this.store.noteStateChange(UPLOAD_STATE.pending, UPLOAD_STATE.sent, n, bytes);
      return n;
    })();

  readonly deadLetter = (items: readonly { rowid: number; id: string }[], status: number, reason: string, at: number): void =>
    this.db.transaction(() => {
      for (const i of items) {
        const b = this.s.deadLetterRow.get(i.rowid) as number | undefined;
        if (b === undefined) continue;
        this.store.noteStateChange(UPLOAD_STATE.pending, UPLOAD_STATE.deadLetter, 1, b);
        this.s.deadLetter.run(i.id, at, status, reason.slice(0, 300));
      }
    })();

  log(entry: UploadLogEntry): void {
    this.s.log.run({ ...entry, categories: JSON.stringify(entry.categories) });
    this.s.trimLog.run();
  }

  recentUploads(limit = 50): UploadLogEntry[] {
    const rows = this.db.prepare('SELECT * FROM uploads ORDER BY rowid DESC LIMIT ?').all(limit) as (UploadLogEntry & { categories: string })[];
    return rows.map((r) => ({ ...r, categories: JSON.parse(r.categories) as Category[] }));
  }

  deadLetters(limit = 200): DeadLetter[] {
    const rows = this.db
      .prepare(`SELECT d.event_id, d.at, d.status, d.reason, e.rowid AS rowid FROM dead_letters d LEFT JOIN events e ON e.id = d.event_id ORDER BY d.at DESC LIMIT ?`)
      .all(limit) as { event_id: string; at: number; status: number; reason: string; rowid: number | null }[];
    const byRowid = this.db.prepare('SELECT * FROM events WHERE rowid = ?');
    return rows.map((r) => ({
      event_id: r.event_id,
      at: r.at,
      status: r.status,
      reason: r.reason,
      event: r.rowid === null ? null : toStoredEvent(byRowid.get(r.rowid) as EventRow).event,
    }));
  }

  pendingDeletions(): PendingDeletion[] {
    return this.s.pendingDeletions.all() as PendingDeletion[];
  }

  readonly markDeletionsSent = (requestIds: readonly string[], at: number): void =>
    this.db.transaction(() => {
      for (const id of requestIds) this.s.deletionSent.run(at, id);
    })();
}
