// Opening the device database: WAL, migrations, and recovery from a corrupt or unreadable file.
// A telemetry store must never take the app down with it: a file that cannot be used is moved
// aside (kept, for a developer to inspect), a fresh one is started, and the incident is recorded.
import { existsSync, renameSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DEVICE_MIGRATIONS_DIR, migrate, readMigrations } from './migrate.js';

export type SqliteDatabase = Database.Database;

export interface Incident {
  kind: 'corrupt_moved_aside' | 'unreadable_memory_fallback' | 'empty_file_recovered';
  detail: string;
}

export interface OpenedDatabase {
  db: SqliteDatabase;
  /** What went wrong on the way, already recorded in the `incidents` table of the database that was opened. */
  incidents: Incident[];
}

const CORRUPTION_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE']);

export function isCorruptionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CORRUPTION_CODES.has(code);
}

function openAndMigrate(path: string, now: number, migrationsDir: string): SqliteDatabase {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed transaction survives the app being killed (the SIGKILL crash
    // test); only an OS crash or power loss can take the last few. FULL would cost ~30x per commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, readMigrations(migrationsDir), now);
    // Touch every table once, so a file whose header is fine but whose pages are not fails here,
    // at start-up, rather than in the middle of a flush.
    db.prepare('SELECT count(*) FROM events').get();
    db.prepare('SELECT count(*) FROM rollups').get();
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Opens (creating if needed) the database at `path`. Never throws for a bad file: it moves a
 *  corrupt one aside, and if even a fresh file cannot be created it falls back to memory. */
export function openDatabase(path: string, now: number, migrationsDir = DEVICE_MIGRATIONS_DIR): OpenedDatabase {
  const incidents: Incident[] = [];
  // A zero-length file (a disk that filled up, a copy cut short) opens as a fresh database without
  // complaint: it lost everything all the same, so it is recorded like a corrupt one.
  if (path !== ':memory:' && isEmptyFile(path)) incidents.push({ kind: 'empty_file_recovered', detail: `${path} was empty (0 bytes); a fresh database was started` });
  let db: SqliteDatabase | undefined;
  try {
    db = openAndMigrate(path, now, migrationsDir);
  } catch (e) {
    if (path !== ':memory:' && isCorruptionError(e)) {
      const aside = moveAside(path, now);
      incidents.push({ kind: 'corrupt_moved_aside', detail: `${errorText(e)}; moved to ${aside}` });
      try {
        db = openAndMigrate(path, now, migrationsDir);
      } catch (e2) {
        incidents.push({ kind: 'unreadable_memory_fallback', detail: errorText(e2) });
      }
    } else {
      incidents.push({ kind: 'unreadable_memory_fallback', detail: errorText(e) });
    }
  }
  db ??= openAndMigrate(':memory:', now, migrationsDir);
  const record = db.prepare('INSERT INTO incidents (at, kind, detail) VALUES (?, ?, ?)');
  for (const i of incidents) record.run(now, i.kind, i.detail);
  return { db, incidents };
}

/** Renames the file and its WAL/SHM companions to `<path>.corrupt-<time>`; returns the new path. */
export function moveAside(path: string, now: number): string {
  const aside = `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
  return aside;
}

function isEmptyFile(path: string): boolean {
  try {
    return statSync(path).size === 0 && !existsSync(`${path}-wal`);
  } catch {
    return false;
  }
}

function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return `${err.code ?? 'error'}: ${err.message ?? String(e)}`;
}
