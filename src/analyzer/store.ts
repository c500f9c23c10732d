// The two databases the analyzer reads: the device's (migrations/) and the collector's
// (migrations/collector/). Both hold `events` and an identical `rollups` table; the analyzer needs to
// know which it has only to say so in reports and to pick fleet-only numbers (active devices).
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';

export type Db = Database.Database;
export type StoreKind = 'device' | 'collector';

export function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Which kind of store this is, from its tables; throws when it is neither. */
export function detectKind(db: Db): StoreKind {
  if (!hasTable(db, 'events') || !hasTable(db, 'rollups')) throw new Error('not a telemetry database: it has no events and rollups tables');
  if (hasTable(db, 'client_health') || hasTable(db, 'deletions_log')) return 'collector';
  return 'device';
}

/** Opens a database file read-only, for the CLIs: the analyzer never writes to a store. */
export function openReadOnly(path: string): Db {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Prepared statements by SQL text, per connection: the analyzer builds a few shapes of query
 *  (with or without a version filter) and prepares each once. */
export class Statements {
  private readonly cache = new Map<string, Statement>();
  constructor(readonly db: Db) {}

  get(sql: string): Statement {
    let s = this.cache.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }
}
