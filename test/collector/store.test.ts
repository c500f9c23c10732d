// The embedded store: the device's exact rollups table, retention, reopening.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTOR_MIGRATIONS_DIR, SqliteCollectorStore } from '../../src/collector/sqlite-store.js';
import type { IngestEvent } from '../../src/collector/store.js';
import { DEVICE_MIGRATIONS_DIR, migrate, readMigrations } from '../../src/telemetry/store/migrate.js';
import { tempDir } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function ingestEvent(ts: number, value: number): IngestEvent {
  return {
    event: {
      id: uuidv7(),
      event_type: 'performance',
      name: 'llm.inference',
      timestamp: new Date(ts).toISOString(),
      session_id: uuidv7(),
      user_id: uuidv4(),
      app_version: '1.0.0',
      os: 'linux-x64',
      device_id: uuidv4(),
      seq: 1,
      value,
      unit: 'ms',
    },
    ts,
    clientTs: null,
  };
}

describe('the collector store', () => {
  it('has the rollups table (and its index) exactly as the device has it', () => {
    const device = new Database(':memory:');
    migrate(device, readMigrations(DEVICE_MIGRATIONS_DIR));
    const store = new SqliteCollectorStore(':memory:');
    const ddl = (db: Database.Database): unknown[] => db.prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'rollups' ORDER BY name").all();
    expect(ddl(store.db)).toEqual(ddl(device));
    // The table, its index, and the analyzer's trigger that forgets feature use with the feature rollups.
    expect(ddl(store.db)).toHaveLength(3);
    store.close();
    device.close();
  });

  it('folds rollups only for newly stored events, and deletes raw rows past the retention while rollups stay', () => {
    const store = new SqliteCollectorStore(':memory:');
    const old = ingestEvent(Date.UTC(2026, 0, 1, 10), 5);
    const recent = ingestEvent(Date.UTC(2026, 2, 1, 10), 7);
    expect(store.ingest([old, recent], Date.UTC(2026, 2, 1, 11))).toEqual({ accepted: 2, duplicates: 0 });
    expect(store.ingest([old], Date.UTC(2026, 2, 1, 11))).toEqual({ accepted: 0, duplicates: 1 });
    expect(store.rollups().map((r) => [r.count, r.sum])).toEqual([[1, 5], [1, 7]]);
    expect(store.pruneBefore(Date.UTC(2026, 1, 1))).toBe(1);
    expect(store.ids()).toEqual([recent.event.id]);
    expect(store.rollups()).toHaveLength(2);
    store.close();
  });

  it('reopens an existing file without migrating twice, WAL on', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'c.db');
    const a = new SqliteCollectorStore(path);
    a.ingest([ingestEvent(Date.now(), 1)], Date.now());
    a.close();
    const b = new SqliteCollectorStore(path);
    expect(b.count()).toBe(1);
    expect(b.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // Each migration in migrations/collector once, whatever their number.
    expect(b.db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(readMigrations(COLLECTOR_MIGRATIONS_DIR).map((m) => m.version));
    b.close();
  });
});
