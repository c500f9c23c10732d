// Test stores: a device or collector database with its migrations, filled by inserting rows
// directly (as the store and the collector write them) and folding the rollups with the shared
// RollupWriter, so a fleet of a million events takes seconds rather than minutes.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Db, StoreKind } from '../../../src/analyzer/store.js';
import { CATEGORY_OF, measureOf, type EventType } from '../../../src/telemetry/event/schema.js';
import { RollupWriter, type RollupInput } from '../../../src/telemetry/rollup/rollup-writer.js';
import { DEVICE_MIGRATIONS_DIR, migrate, readMigrations } from '../../../src/telemetry/store/migrate.js';

export const COLLECTOR_MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../migrations/collector');

export interface RawEvent {
  ts: number;
  type: EventType;
  name: string;
  session: string;
  user: string;
  device: string;
  version: string;
  os: string;
  /** The type-specific fields, stored as the payload. */
  fields: Record<string, unknown>;
}

export function openStore(kind: StoreKind, path = ':memory:'): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  migrate(db, readMigrations(kind === 'device' ? DEVICE_MIGRATIONS_DIR : COLLECTOR_MIGRATIONS_DIR));
  return db;
}

export class StoreWriter {
  private readonly insert: Database.Statement;
  private readonly rollups: RollupWriter;
  private readonly buffer: RawEvent[] = [];
  private seq = 0;
  written = 0;

  constructor(
    readonly db: Db,
    readonly kind: StoreKind,
    /** Ids are `${idPrefix}${n}`: a second writer on the same store needs its own prefix. */
    private readonly idPrefix = 'e',
  ) {
    this.insert =
      kind === 'device'
        ? db.prepare(`INSERT INTO events (id, event_type, category, name, ts, session_id, user_id, app_version, os, device_id, seq, payload, state, bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 100)`)
        : db.prepare(`INSERT INTO events (id, event_type, category, name, ts, client_ts, session_id, user_id, app_version, os, device_id, seq, payload, received_at)
            VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.rollups = new RollupWriter(db);
  }

  add(e: RawEvent): void {
    this.buffer.push(e);
    if (this.buffer.length >= 20_000) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const events = this.buffer.splice(0);
    this.db.transaction(() => {
      const folded: RollupInput[] = [];
      for (const e of events) {
        const id = `${this.idPrefix}${++this.seq}`;
        const payload = JSON.stringify(e.fields);
        if (this.kind === 'device') this.insert.run(id, e.type, CATEGORY_OF[e.type], e.name, e.ts, e.session, e.user, e.version, e.os, e.device, this.seq, payload);
        else this.insert.run(id, e.type, CATEGORY_OF[e.type], e.name, e.ts, e.session, e.user, e.version, e.os, e.device, this.seq, payload, e.ts);
        folded.push({ ts: e.ts, type: e.type, name: e.name, appVersion: e.version, measure: measureOf(e.type, e.fields), fields: e.fields });
      }
      this.rollups.fold(folded);
    })();
    this.written += events.length;
  }
}

export function tempDbPath(dir: string, name = 'store.db'): string {
  return join(dir, name);
}
