// The collector's embedded default store: one SQLite file (better-sqlite3, WAL), prepared
// statements, one transaction per batch. The rollups are folded by the device's own RollupWriter
// into a table with the device's exact DDL, so one analyzer reads both databases.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database, { type Statement } from 'better-sqlite3';
import { CATEGORY_OF, measureOf, type Category, type TelemetryEvent } from '../telemetry/event/schema.js';
import { rebuildRollups, rollupKeysOf, type RollupKey } from '../telemetry/rollup/rebuild.js';
import { HOUR_MS, RollupWriter, type RollupInput } from '../telemetry/rollup/rollup-writer.js';
import type { SqliteDatabase } from '../telemetry/store/database.js';
import { eventFromRow, type EventRow as DeviceEventRow, type RollupRow } from '../telemetry/store/event-store.js';
import { migrate, readMigrations } from '../telemetry/store/migrate.js';
import { startCheckpointer, type Checkpointer } from '../telemetry/store/checkpointer.js';
import type { CollectorStore, DeletionRequest, ForgetResult, IngestEvent, IngestResult } from './store.js';

/** The same relative path holds from src/collector and from dist/collector. */
export const COLLECTOR_MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../migrations/collector');

/** A stored event as read back (tests, tools): `event.timestamp` is the skew-corrected time. */
export interface CollectorEventRow {
  event: TelemetryEvent;
  category: Category;
  /** The device's own timestamp when it was corrected for clock skew, else null. */
  clientTimestamp: string | null;
  receivedAt: number;
}

export interface DeletionLogRow {
  request_id: string;
  first_done_at: number;
  last_done_at: number;
  times: number;
  deleted_events: number;
}

/** The collector's events row: the device's columns (one row-to-event function reads both),
 *  without the upload state, plus when it was received and the device's own time if corrected. */
/** The file at the store's path is not a database this collector can read. It is never
 *  overwritten: it may hold the fleet's only copy of what was acknowledged. */
export class UnreadableStoreError extends Error {
  constructor(
    readonly path: string,
    readonly sqliteCode: string,
  ) {
    super(`${path} is not a readable SQLite database (${sqliteCode}: its header or pages are damaged). It was left exactly as it is. Restore it from a backup, or move it aside to start with an empty store.`);
    this.name = 'UnreadableStoreError';
  }
}

const UNREADABLE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

type EventRow = Omit<DeviceEventRow, 'rowid' | 'state'> & { client_ts: number | null; received_at: number };

export class SqliteCollectorStore implements CollectorStore {
  readonly db: SqliteDatabase;
  private readonly rollupWriter: RollupWriter;
  /** WAL checkpoints on a worker thread, as on the device: not inside a batch's commit. */
  private readonly checkpointer: Checkpointer | null;
  private readonly s: {
    insert: Statement;
    forgetEvents: Statement;
    forgetHealth: Statement;
    logDeletion: Statement;
    upsertHealth: Statement;
    prune: Statement;
  };
  private readonly ingestTx: (events: readonly IngestEvent[], receivedAt: number) => IngestResult;
  private readonly forgetTx: (requests: readonly DeletionRequest[], at: number) => ForgetResult;

  /** Opens (creating and migrating if needed) the database at `path` (`:memory:` works too). */
  constructor(path: string, now: number = Date.now()) {
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a committed batch survives the process being killed; only an OS crash
      // can lose the last commits, and the devices re-send what was not acknowledged anyway.
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      migrate(db, readMigrations(COLLECTOR_MIGRATIONS_DIR), now);
    } catch (e) {
      db.close();
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && UNREADABLE_CODES.has(code)) throw new UnreadableStoreError(path, code);
      throw e;
    }
    this.db = db;
    this.checkpointer = path === ':memory:' ? null : startCheckpointer(db, path);
    this.rollupWriter = new RollupWriter(db);
    this.s = {
      insert: db.prepare(`INSERT OR IGNORE INTO events
        (id, event_type, category, name, ts, client_ts, session_id, user_id, app_version, os, device_id, seq, payload, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      forgetEvents: db.prepare('DELETE FROM events WHERE user_id = ? OR device_id = ?'),
      forgetHealth: db.prepare('DELETE FROM client_health WHERE device_id = ?'),
      logDeletion: db.prepare(`INSERT INTO deletions_log (request_id, first_done_at, last_done_at, times, deleted_events) VALUES (?, ?, ?, 1, ?)
        ON CONFLICT (request_id) DO UPDATE SET last_done_at = excluded.last_done_at, times = times + 1, deleted_events = deleted_events + excluded.deleted_events`),
      upsertHealth: db.prepare(`INSERT INTO client_health (device_id, reported_at, health) VALUES (?, ?, ?)
        ON CONFLICT (device_id) DO UPDATE SET reported_at = excluded.reported_at, health = excluded.health`),
      prune: db.prepare('DELETE FROM events WHERE ts < ?'),
      // The rollup keys (without the name: feature rollups are kept per hour and version) that
      // the rows of one deletion request fed.
      // In insertion order: the rebuilt sums add the same numbers in the same order as a fresh fold.
    };
    const s = this.s;
    this.ingestTx = db.transaction((events: readonly IngestEvent[], receivedAt: number): IngestResult => {
      const stored: RollupInput[] = [];
      for (const { event, ts, clientTs } of events) {
        const { id, event_type, name, timestamp: _t, session_id, user_id, app_version, os, device_id, seq, ...fields } = event;
        const info = s.insert.run(id, event_type, CATEGORY_OF[event_type], name, ts, clientTs, session_id, user_id, app_version, os, device_id, seq, JSON.stringify(fields), receivedAt);
        // Folded only when new: a re-sent event must not be counted twice.
        if (info.changes === 1) stored.push({ ts, type: event_type, name, appVersion: app_version, measure: measureOf(event_type, fields), fields });
      }
      this.rollupWriter.fold(stored);
      return { accepted: stored.length, duplicates: events.length - stored.length };
    });
    this.forgetTx = db.transaction((requests: readonly DeletionRequest[], at: number): ForgetResult => {
      let deletedEvents = 0;
      const affected: RollupKey[] = [];
      for (const r of requests) {
        // The keys are read before the rows go, then rebuilt from what remains (the device does the same).
        affected.push(...rollupKeysOf(db, 'user_id = ? OR device_id = ?', [r.user_id, r.device_id]));
        const n = s.forgetEvents.run(r.user_id, r.device_id).changes;
        s.forgetHealth.run(r.device_id);
        s.logDeletion.run(r.request_id, at, at, n);
        deletedEvents += n;
      }
      rebuildRollups(db, { keys: affected }, this.rollupWriter);
      return { done: requests.map((r) => r.request_id), deletedEvents };
    });
  }

  ingest(events: readonly IngestEvent[], receivedAt: number): IngestResult {
    try {
      return this.ingestTx(events, receivedAt);
    } catch (e) {
      this.rollupWriter.reset(); // rolled back: its cached histograms may hold what was not stored
      throw e;
    }
  }

  forget(requests: readonly DeletionRequest[], at: number): ForgetResult {
    try {
      return this.forgetTx(requests, at);
    } catch (e) {
      this.rollupWriter.reset(); // rolled back: its cached histograms may hold the rebuilt ones
      throw e;
    }
  }

  recordClientHealth(deviceId: string, health: unknown, at: number): void {
    this.s.upsertHealth.run(deviceId, at, JSON.stringify(health));
  }

  /** Deletes raw events of the hours that ended before `before`: whole hours only, so every hour
   *  that still has raw rows has all of them, and a deletion can rebuild its rollups from them. */
  pruneBefore(before: number): number {
    return this.s.prune.run(Math.floor(before / HOUR_MS) * HOUR_MS).changes;
  }

  /** Deletes the rollups (and feature rollups) of hours that ended before `before`. */
  pruneRollupsBefore(before: number): number {
    const hour = Math.floor(before / HOUR_MS);
    const n = this.db.prepare('DELETE FROM rollups WHERE hour < ?').run(hour).changes;
    this.db.prepare('DELETE FROM feature_rollups WHERE hour < ?').run(hour);
    this.rollupWriter.reset();
    return n;
  }

  close(): void {
    this.checkpointer?.stop();
    if (this.db.open) this.db.close();
  }

  // ---- reading back (tests, tools, the analyzer later) -------------------------------------------

  count(): number {
    return this.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  }

  /** Stored ids, in insertion order. */
  ids(): string[] {
    return this.db.prepare('SELECT id FROM events ORDER BY rowid').pluck().all() as string[];
  }

  /** Stored events in insertion order, optionally only those of one device or user. */
  events(filter: { deviceId?: string; userId?: string } = {}): CollectorEventRow[] {
    const rows = this.db
      .prepare('SELECT * FROM events WHERE (@d IS NULL OR device_id = @d) AND (@u IS NULL OR user_id = @u) ORDER BY rowid')
      .all({ d: filter.deviceId ?? null, u: filter.userId ?? null }) as EventRow[];
    return rows.map((r) => ({
      event: eventFromRow(r),
      category: r.category,
      clientTimestamp: r.client_ts === null ? null : new Date(r.client_ts).toISOString(),
      receivedAt: r.received_at,
    }));
  }

  rollups(): RollupRow[] {
    return this.db.prepare('SELECT * FROM rollups ORDER BY hour, event_type, name, app_version').all() as RollupRow[];
  }

  deletionsLog(): DeletionLogRow[] {
    return this.db.prepare('SELECT * FROM deletions_log ORDER BY first_done_at, request_id').all() as DeletionLogRow[];
  }

  latestClientHealth(deviceId: string): unknown {
    const json = this.db.prepare('SELECT health FROM client_health WHERE device_id = ?').pluck().get(deviceId) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as unknown);
  }

}
