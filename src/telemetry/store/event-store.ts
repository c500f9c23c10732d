// The durable queue and local aggregate store: a handful of prepared statements and one
// transaction function per operation (the better-sqlite3 way). SQL lives in migrations/ and here
// as named statements; nothing is built from strings at run time except fixed filter shapes.
import type { Statement } from 'better-sqlite3';
import { TYPES_OF, type Category, type EventType, type TelemetryEvent } from '../event/schema.js';
import { HOUR_MS, RollupWriter } from '../rollup/rollup-writer.js';
import { rebuildRollups } from '../rollup/rebuild.js';
import type { SqliteDatabase } from './database.js';

/** An event that passed consent, validation and scrubbing, waiting in the write buffer. */
export interface BufferedEvent {
  id: string;
  type: EventType;
  category: Category;
  name: string;
  ts: number;
  sessionId: string;
  userId: string;
  deviceId: string;
  seq: number;
  appVersion: string;
  os: string;
  /** Type-specific fields, already scrubbed. */
  fields: Record<string, unknown>;
  /** The number a rollup aggregates (value, duration), if the type has one. */
  measure: number | null;
  /** Consented as `shared` when tracked: queued for upload. */
  shared: boolean;
  /** The fields went through the scrubber already (on the app's thread); otherwise the writer
   *  thread scrubs them before they reach the disk. */
  scrubbed?: boolean;
}

/** events.state: where a row stands in the upload queue (3 is added by migrations/002_upload.sql). */
export const UPLOAD_STATE = { localOnly: 0, pending: 1, sent: 2, deadLetter: 3 } as const;

/** Columns and indexes cost roughly this much beyond the payload; counted against the byte cap. */
const ROW_OVERHEAD_BYTES = 220;
/** Evicting down to this share of a cap frees room for many commits at once, so eviction runs
 *  rarely instead of on every commit once the store is full. */
const EVICTION_TARGET = 0.95;
/** Usage goes first, crashes last: a crash is the rarest and most valuable thing we keep. */
export const EVICTION_ORDER: readonly Category[] = ['usage', 'performance', 'errors', 'crashes'];

export interface StoreLimits {
  maxRows: number;
  maxBytes: number;
  maxAgeDays: number;
}

export interface StoredEvent {
  rowid: number;
  category: Category;
  upload_state: 'local' | 'pending' | 'sent' | 'dead_letter';
  event: TelemetryEvent;
}

export interface EventFilter {
  types?: EventType[];
  categories?: Category[];
  names?: string[];
  /** Substring of the name or the scrubbed payload. */
  text?: string;
  from?: number;
  to?: number;
  /** Only rows with a smaller rowid (for paging newest-first). */
  beforeRowid?: number;
  limit?: number;
}

export interface RollupRow {
  hour: number;
  event_type: EventType;
  name: string;
  app_version: string;
  count: number;
  measured: number;
  sum: number;
  min: number | null;
  max: number | null;
  hist: string | null;
}

export interface RollupQuery {
  from: number;
  to: number;
  types?: EventType[];
  names?: string[];
  appVersion?: string;
}

export interface EventRow {
  rowid: number;
  id: string;
  event_type: EventType;
  category: Category;
  name: string;
  ts: number;
  session_id: string;
  user_id: string;
  app_version: string;
  os: string;
  device_id: string;
  seq: number;
  payload: string;
  state: number;
}

export interface Identity {
  userId: string;
  deviceId: string;
}

const STATE_NAME = ['local', 'pending', 'sent', 'dead_letter'] as const;

export class EventStore {
  /** Bumped whenever rows leave the upload queue other than by upload (consent, eviction, age,
   *  deletion): a batch prepared before such a change must not be sent. */
  private changes = 0;
  private rowCount = 0;
  private byteCount = 0;
  /** Rows and bytes per upload state (index = events.state), kept in step with every write so
   *  that the queue's figures never need a scan of the table (diagnostics asks every second). */
  private readonly stateRows = [0, 0, 0, 0];
  private readonly stateBytes = [0, 0, 0, 0];
  private readonly s: {
    insert: Statement;
    counterAdd: Statement;
    metaGet: Statement;
    metaSet: Statement;
    evictOldest: Statement;
    olderThanByCategory: Statement;
    anyOlderThan: Statement;
    deleteOlderThan: Statement;
    deleteCategory: Statement;
    demoteCategory: Statement;
    addDeletionRequest: Statement;
    totals: Statement;
    oldestPending: Statement;
  };

  private readonly rollupWriter: RollupWriter;

  /** `countLater`: the running totals are not read now (a scan of the table, ~300 ms at 500k
   *  rows) but given later with setTotals(), by the writer thread that reads them off the app's
   *  thread. */
  constructor(
    readonly db: SqliteDatabase,
    private limits: StoreLimits,
    options: { countLater?: boolean } = {},
  ) {
    this.rollupWriter = new RollupWriter(db);
    this.s = {
      insert: db.prepare(`INSERT INTO events (id, event_type, category, name, ts, session_id, user_id, app_version, os, device_id, seq, payload, state, bytes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      counterAdd: db.prepare('INSERT INTO counters (key, count) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET count = count + excluded.count'),
      metaGet: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      metaSet: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      evictOldest: db.prepare('DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE category = ? ORDER BY rowid LIMIT ?) RETURNING bytes, state'),
      olderThanByCategory: db.prepare('SELECT category, state, count(*) AS n, total(bytes) AS bytes FROM events WHERE ts < ? GROUP BY category, state'),
      // One seek in the ts index: the grouped query above scans the whole table (~280 ms for 500k
      // rows here), so it runs only when something is old enough to go.
      anyOlderThan: db.prepare('SELECT 1 FROM events INDEXED BY events_ts WHERE ts < ? LIMIT 1').pluck(),
      deleteOlderThan: db.prepare('DELETE FROM events WHERE ts < ?'),
      deleteCategory: db.prepare('DELETE FROM events WHERE category = ?'),
      demoteCategory: db.prepare(`UPDATE events SET state = ${UPLOAD_STATE.localOnly} WHERE category = ? AND state = ${UPLOAD_STATE.pending}`),
      addDeletionRequest: db.prepare('INSERT INTO deletion_requests (request_id, user_id, device_id, requested_at) VALUES (?, ?, ?, ?)'),
      totals: db.prepare('SELECT state, count(*) AS n, total(bytes) AS bytes FROM events GROUP BY state'),
      oldestPending: db.prepare(`SELECT ts FROM events WHERE state = ${UPLOAD_STATE.pending} ORDER BY rowid LIMIT 1`).pluck(),
    };
    if (options.countLater !== true) this.recount();
  }

  setLimits(limits: StoreLimits): void {
    this.limits = limits;
  }

  get rows(): number {
    return this.rowCount;
  }

  get bytes(): number {
    return this.byteCount;
  }

  // ---- meta -------------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return this.s.metaGet.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.s.metaSet.run(key, value);
  }

  // ---- the commit: one transaction per flush ----------------------------------------------

  /** Inserts the events, folds them into the rollups, adds the counter deltas and records the
   *  last sequence number, all in one transaction; then applies the caps. */
  readonly commit = (events: readonly BufferedEvent[], counterDeltas: ReadonlyMap<string, number>, lastSeq: number): void => {
    try {
      this.commitTx(events, counterDeltas, lastSeq);
    } catch (e) {
      // Rolled back: the running totals and cached histograms must not keep what it added.
      this.recount();
      this.rollupWriter.reset();
      throw e;
    }
  };

  private readonly commitTx = (events: readonly BufferedEvent[], counterDeltas: ReadonlyMap<string, number>, lastSeq: number): void => {
    this.db.transaction(() => {
      const insert = this.s.insert;
      let bytes = 0;
      for (const e of events) {
        const payload = JSON.stringify(e.fields);
        const rowBytes = payload.length + ROW_OVERHEAD_BYTES;
        bytes += rowBytes;
        const state = e.shared ? UPLOAD_STATE.pending : UPLOAD_STATE.localOnly;
        insert.run(e.id, e.type, e.category, e.name, e.ts, e.sessionId, e.userId, e.appVersion, e.os, e.deviceId, e.seq, payload, state, rowBytes);
        this.stateRows[state]!++;
        this.stateBytes[state]! += rowBytes;
      }
      this.rollupWriter.fold(events);
      for (const [key, n] of counterDeltas) this.s.counterAdd.run(key, n);
      if (events.length > 0) this.s.metaSet.run('seq', String(lastSeq));
      this.rowCount += events.length;
      this.byteCount += bytes;
      if (this.rowCount > this.limits.maxRows || this.byteCount > this.limits.maxBytes) this.evictToCaps();
    })();
  };

  /** Adds to the self-health counters (the uploader's outcomes). */
  readonly addCounters = (deltas: ReadonlyMap<string, number>): void =>
    this.db.transaction(() => {
      for (const [key, n] of deltas) if (n !== 0) this.s.counterAdd.run(key, n);
    })();

  // ---- limits ----------------------------------------------------------------------------

  /** Deletes the oldest rows, category by category in EVICTION_ORDER, until both caps hold with
   *  headroom. Each evicted row is counted as `evicted.<cap>.<category>`. Runs inside a transaction. */
  private evictToCaps(): void {
    this.changes++;
    const cap = this.rowCount > this.limits.maxRows ? 'rows_cap' : 'bytes_cap';
    const targetRows = Math.floor(this.limits.maxRows * EVICTION_TARGET);
    const targetBytes = Math.floor(this.limits.maxBytes * EVICTION_TARGET);
    for (const category of EVICTION_ORDER) {
      while (this.rowCount > targetRows || this.byteCount > targetBytes) {
        const avg = this.rowCount > 0 ? this.byteCount / this.rowCount : ROW_OVERHEAD_BYTES;
        const need = Math.max(this.rowCount - targetRows, Math.ceil((this.byteCount - targetBytes) / avg), 1);
        const freed = this.s.evictOldest.all(category, Math.min(need, 10_000)) as { bytes: number; state: number }[];
        if (freed.length === 0) break;
        for (const f of freed) this.forgetRow(f.state, f.bytes);
        this.s.counterAdd.run(`evicted.${cap}.${category}`, freed.length);
      }
    }
  }

  /** Deletes rows older than the age limit, counted as `evicted.age.<category>`. */
  enforceMaxAge(now: number): number {
    const cutoff = now - this.limits.maxAgeDays * 24 * HOUR_MS;
    if (this.s.anyOlderThan.get(cutoff) === undefined) return 0;
    return this.db.transaction(() => {
      const old = this.s.olderThanByCategory.all(cutoff) as { category: Category; state: number; n: number; bytes: number }[];
      if (old.length === 0) return 0;
      this.changes++;
      this.s.deleteOlderThan.run(cutoff);
      let n = 0;
      for (const o of old) {
        this.s.counterAdd.run(`evicted.age.${o.category}`, o.n);
        this.forgetRow(o.state, o.bytes, o.n);
        n += o.n;
      }
      return n;
    })();
  }

  // ---- consent enforcement -------------------------------------------------------------------

  /** Removes what a category may no longer keep: `off` deletes its rows and rollups; `local`
   *  takes its rows out of the upload queue. One transaction. */
  readonly restrict = (offCategories: readonly Category[], localCategories: readonly Category[]): { deleted: number; demoted: number } =>
    this.db.transaction(() => {
      this.changes++;
      let deleted = 0;
      let demoted = 0;
      for (const c of offCategories) {
        const r = this.s.deleteCategory.run(c);
        deleted += r.changes;
        // Every row of the category is gone: its rollups are rebuilt from none (src/telemetry/rollup/rebuild.ts).
        rebuildRollups(this.db, { types: TYPES_OF[c] }, this.rollupWriter);
      }
      for (const c of localCategories) demoted += this.s.demoteCategory.run(c).changes;
      if (deleted > 0 || demoted > 0) this.recount();
      return { deleted, demoted };
    })();

  /** Records a request to delete upstream everything under the given ids. Never evicted. */
  addDeletionRequest(requestId: string, old: Identity, at: number): void {
    this.s.addDeletionRequest.run(requestId, old.userId, old.deviceId, at);
  }

  /** Moves the stored pending events by `deltaMs` (into the frame of a wall clock that was set
   *  back), so that the events of one batch share one clock. */
  shiftPendingTimestamps(deltaMs: number): void {
    this.db.prepare(`UPDATE events SET ts = ts + ? WHERE state = ${UPLOAD_STATE.pending}`).run(Math.round(deltaMs));
  }

  /** Puts back a request the settings store remembered (the database was replaced). */
  restoreDeletionRequest(r: { request_id: string; user_id: string; device_id: string; requested_at: number }): void {
    this.db.prepare('INSERT OR IGNORE INTO deletion_requests (request_id, user_id, device_id, requested_at) VALUES (?, ?, ?, ?)').run(r.request_id, r.user_id, r.device_id, r.requested_at);
  }

  deletionRequests(): { request_id: string; user_id: string; device_id: string; requested_at: number; sent_at: number | null }[] {
    return this.db.prepare('SELECT request_id, user_id, device_id, requested_at, sent_at FROM deletion_requests ORDER BY requested_at').all() as never;
  }

  /** The running totals from the table itself (at open, and after bulk changes that are rare). */
  private recount(): void {
    this.stateRows.fill(0);
    this.stateBytes.fill(0);
    for (const r of this.s.totals.all() as { state: number; n: number; bytes: number }[]) {
      if (r.state >= 0 && r.state < this.stateRows.length) {
        this.stateRows[r.state] = r.n;
        this.stateBytes[r.state] = r.bytes;
      }
    }
    this.rowCount = this.stateRows.reduce((a, b) => a + b, 0);
    this.byteCount = this.stateBytes.reduce((a, b) => a + b, 0);
  }

  private forgetRow(state: number, bytes: number, n = 1): void {
    this.rowCount -= n;
    this.byteCount -= bytes;
    this.stateRows[state]! -= n;
    this.stateBytes[state]! -= bytes;
  }

  /** The running totals as numbers: rows and bytes per upload state, then the generation. A
   *  second connection (the writer thread, store/writer-thread.ts) reports the difference its
   *  writes made, and the first applies it (applyTotals), so both agree without a scan. */
  totals(): number[] {
    return [...this.stateRows, ...this.stateBytes, this.changes];
  }

  applyTotals(delta: readonly number[]): void {
    for (let i = 0; i < 4; i++) {
      this.stateRows[i]! += delta[i]!;
      this.stateBytes[i]! += delta[4 + i]!;
    }
    this.rowCount = this.stateRows.reduce((a, b) => a + b, 0);
    this.byteCount = this.stateBytes.reduce((a, b) => a + b, 0);
    this.changes += delta[8]!;
  }

  /** The totals as another connection read them (see totals()). */
  setTotals(t: readonly number[]): void {
    for (let i = 0; i < 4; i++) {
      this.stateRows[i] = t[i]!;
      this.stateBytes[i] = t[4 + i]!;
    }
    this.rowCount = this.stateRows.reduce((a, b) => a + b, 0);
    this.byteCount = this.stateBytes.reduce((a, b) => a + b, 0);
    this.changes = t[8]!;
  }

  /** Another connection changed the tables: totals read again, cached histograms forgotten. */
  resync(): void {
    this.recount();
    this.rollupWriter.reset();
  }

  /** Rows moved from one upload state to another (the upload queue's writes). */
  noteStateChange(from: number, to: number, n: number, bytes: number): void {
    this.stateRows[from]! -= n;
    this.stateBytes[from]! -= bytes;
    this.stateRows[to]! += n;
    this.stateBytes[to]! += bytes;
  }

  /** Deletes every event and rollup ("Delete my data"). Counters and deletion requests stay. */
  readonly deleteAllEvents = (): number =>
    this.db.transaction(() => {
      this.changes++;
      const n = this.db.prepare('DELETE FROM events').run().changes;
      rebuildRollups(this.db, { all: true }, this.rollupWriter);
      this.recount();
      return n;
    })();

  // ---- reads ---------------------------------------------------------------------------------

  /** Feature use by feature id (kept by migrations/003's triggers), for "Export my data". */
  featureRollups(): Record<string, unknown>[] {
    return this.db.prepare('SELECT * FROM feature_rollups ORDER BY hour, feature_id, app_version').all() as Record<string, unknown>[];
  }

  /** Events waiting for upload (a running total: no query). */
  get pending(): number {
    return this.stateRows[UPLOAD_STATE.pending]!;
  }

  /** See `changes`: equal generations mean no pending row was removed or demoted in between. */
  get generation(): number {
    return this.changes;
  }

  counters(): Record<string, number> {
    const rows = this.db.prepare('SELECT key, count FROM counters ORDER BY key').all() as { key: string; count: number }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.count]));
  }

  incidents(): { at: number; kind: string; detail: string }[] {
    return this.db.prepare('SELECT at, kind, detail FROM incidents ORDER BY rowid').all() as never;
  }

  queueStats(): { pending: number; pendingBytes: number; oldestPendingTs: number | null; localOnly: number; sent: number; deadLettered: number } {
    const pending = this.stateRows[UPLOAD_STATE.pending]!;
    return {
      pending,
      pendingBytes: this.stateBytes[UPLOAD_STATE.pending]!,
      // The first entry of the partial index of pending rows: one lookup, however long the queue.
      oldestPendingTs: pending > 0 ? ((this.s.oldestPending.get() as number | undefined) ?? null) : null,
      localOnly: this.stateRows[UPLOAD_STATE.localOnly]!,
      sent: this.stateRows[UPLOAD_STATE.sent]!,
      deadLettered: this.stateRows[UPLOAD_STATE.deadLetter]!,
    };
  }

  /** Newest first. */
  recentEvents(f: EventFilter = {}): StoredEvent[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const inList = (col: string, values: readonly string[] | undefined) => {
      if (!values || values.length === 0) return;
      where.push(`${col} IN (${values.map(() => '?').join(',')})`);
      args.push(...values);
    };
    inList('event_type', f.types);
    inList('category', f.categories);
    inList('name', f.names);
    if (f.text) {
      where.push(`(instr(name, ?) > 0 OR instr(payload, ?) > 0)`);
      args.push(f.text, f.text);
    }
    if (f.from !== undefined) {
      where.push('ts >= ?');
      args.push(f.from);
    }
    if (f.to !== undefined) {
      where.push('ts < ?');
      args.push(f.to);
    }
    if (f.beforeRowid !== undefined) {
      where.push('rowid < ?');
      args.push(f.beforeRowid);
    }
    const limit = Math.max(1, Math.min(f.limit ?? 100, 10_000));
    const sql = `SELECT * FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY rowid DESC LIMIT ${limit}`;
    return (this.db.prepare(sql).all(...args) as EventRow[]).map(toStoredEvent);
  }

  /** All events in rowid order (export). */
  *allEvents(): Generator<StoredEvent> {
    for (const r of this.db.prepare('SELECT * FROM events ORDER BY rowid').iterate() as Iterable<EventRow>) yield toStoredEvent(r);
  }

  rollups(q: RollupQuery): RollupRow[] {
    const where = ['hour >= ?', 'hour <= ?'];
    const args: unknown[] = [Math.floor(q.from / HOUR_MS), Math.floor((q.to - 1) / HOUR_MS)];
    if (q.types?.length) {
      where.push(`event_type IN (${q.types.map(() => '?').join(',')})`);
      args.push(...q.types);
    }
    if (q.names?.length) {
      where.push(`name IN (${q.names.map(() => '?').join(',')})`);
      args.push(...q.names);
    }
    if (q.appVersion !== undefined) {
      where.push('app_version = ?');
      args.push(q.appVersion);
    }
    return this.db.prepare(`SELECT * FROM rollups WHERE ${where.join(' AND ')} ORDER BY hour, event_type, name, app_version`).all(...args) as RollupRow[];
  }
}

/** The event a stored row holds: its columns plus the type's fields from the payload. The
 *  device's and the collector's `events` tables share these columns. */
export function eventFromRow(r: Pick<EventRow, 'id' | 'event_type' | 'name' | 'ts' | 'session_id' | 'user_id' | 'app_version' | 'os' | 'device_id' | 'seq' | 'payload'>): TelemetryEvent {
  return {
    id: r.id,
    event_type: r.event_type,
    name: r.name,
    timestamp: new Date(r.ts).toISOString(),
    session_id: r.session_id,
    user_id: r.user_id,
    app_version: r.app_version,
    os: r.os,
    device_id: r.device_id,
    seq: r.seq,
    ...(JSON.parse(r.payload) as object),
  } as TelemetryEvent;
}

export function toStoredEvent(r: EventRow): StoredEvent {
  return { rowid: r.rowid, category: r.category, upload_state: STATE_NAME[r.state as 0 | 1 | 2 | 3], event: eventFromRow(r) };
}

