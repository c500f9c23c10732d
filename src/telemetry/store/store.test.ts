import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, tempDir, type Harness } from '../../../test/support/service.js';
import { DEVICE_MIGRATIONS_DIR, migrate, readMigrations } from './migrate.js';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

const allLocal = { usage: 'local', performance: 'local', errors: 'local', crashes: 'local' } as const;

describe('caps and eviction', () => {
  it('over the row cap, usage is evicted first and crashes last, and every eviction is counted', () => {
    const t = h.open({ limits: { maxRows: 100 } });
    t.setConsent(allLocal);
    for (let i = 0; i < 10; i++) t.trackCrash('process.crash', new Error('boom'), { process: 'main', reason: 'crashed' });
    for (let i = 0; i < 20; i++) t.trackError('api.failure', new Error('nope'));
    for (let i = 0; i < 30; i++) t.trackPerformance('api.latency', i, 'ms');
    for (let i = 0; i < 60; i++) t.trackApp('app.tick');
    t.flush();
    const left = Object.fromEntries(h.rawRows('SELECT category, count(*) AS n FROM events GROUP BY category').map((r) => [r.category, r.n]));
    // 120 rows against a cap of 100: evicted down to 95, all of it from usage.
    expect(left).toEqual({ usage: 35, performance: 30, errors: 20, crashes: 10 });
    expect(t.health().counters).toMatchObject({ 'evicted.rows_cap.usage': 25 });
    expect(t.health().rows).toBe(95);
  });

  it('when usage is gone, performance goes next, then errors; crashes survive longest', () => {
    const t = h.open({ limits: { maxRows: 100 } });
    t.setConsent(allLocal);
    for (let i = 0; i < 50; i++) t.trackCrash('process.crash', new Error('boom'), { process: 'main', reason: 'crashed' });
    for (let i = 0; i < 40; i++) t.trackError('api.failure', new Error('nope'));
    for (let i = 0; i < 20; i++) t.trackPerformance('api.latency', i, 'ms');
    for (let i = 0; i < 5; i++) t.trackApp('app.tick');
    t.flush();
    const c = t.health().counters;
    expect(c).toMatchObject({ 'evicted.rows_cap.usage': 5, 'evicted.rows_cap.performance': 15 });
    expect(c['evicted.rows_cap.crashes']).toBeUndefined();
    expect(h.rawRows("SELECT count(*) AS n FROM events WHERE category = 'crashes'")).toEqual([{ n: 50 }]);
  });

  it('the oldest rows of a category go first', () => {
    const t = h.open({ limits: { maxRows: 100 } });
    t.setConsent(allLocal);
    for (let i = 0; i < 110; i++) t.trackApp(`app.n${i}`);
    t.flush();
    const names = h.rawRows('SELECT name FROM events ORDER BY rowid').map((r) => r.name);
    expect(names[0]).toBe('app.n15');
    expect(names.at(-1)).toBe('app.n109');
  });

  it('the byte cap evicts in the same order', () => {
    const t = h.open({ limits: { maxBytes: 64 * 1024 } });
    t.setConsent(allLocal);
    for (let i = 0; i < 40; i++) t.trackError('api.failure', 'e'.repeat(500));
    for (let i = 0; i < 400; i++) t.trackApp('app.tick');
    t.flush();
    expect(t.health().bytes).toBeLessThanOrEqual(64 * 1024);
    expect(t.health().counters['evicted.bytes_cap.usage']).toBeGreaterThan(0);
    expect(h.rawRows("SELECT count(*) AS n FROM events WHERE category = 'errors'")).toEqual([{ n: 40 }]);
  });

  it('rows older than the age limit are deleted at start-up and counted; rollups keep their aggregates', () => {
    const t = h.open({ limits: { maxAgeDays: 7 } });
    t.setConsent(allLocal);
    t.trackPerformance('api.latency', 5, 'ms');
    t.close();
    h.clock.advance(8 * 24 * 3_600_000);
    const t2 = h.open({ limits: { maxAgeDays: 7 } });
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    expect(t2.health().counters).toMatchObject({ 'evicted.age.performance': 1 });
    expect(h.rawRows('SELECT count FROM rollups')).toEqual([{ count: 1 }]);
  });

  it('deletion requests are never evicted', () => {
    const t = h.open({ limits: { maxRows: 100 } });
    t.setConsent(allLocal);
    t.trackApp('app.start');
    t.setConsent({ usage: 'off', performance: 'off', errors: 'off', crashes: 'off' });
    t.setConsent(allLocal);
    for (let i = 0; i < 300; i++) t.trackCrash('process.crash', new Error('boom'), { process: 'main', reason: 'crashed' });
    t.flush();
    expect(t.deletionRequests()).toHaveLength(1);
  });
});

describe('a database file that cannot be used', () => {
  it('a corrupt file is moved aside, a fresh one started, the incident recorded, and tracking goes on', () => {
    writeFileSync(h.dbPath, Buffer.alloc(8192, 0x5a));
    const t = h.open();
    t.setConsent({ usage: 'local' });
    expect(t.trackApp('app.start').ok).toBe(true);
    t.flush();
    const health = t.health();
    expect(health.storage).toBe('file');
    expect(health.incidents).toMatchObject([{ kind: 'corrupt_moved_aside' }]);
    expect(readdirSync(h.dir).some((f) => f.startsWith('telemetry.db.corrupt-'))).toBe(true);
    expect(h.rawRows('SELECT name FROM events')).toEqual([{ name: 'app.start' }]);
  });

  it('a file whose pages are damaged after the header is moved aside too', () => {
    const t = h.open();
    t.setConsent({ usage: 'local' });
    for (let i = 0; i < 2000; i++) t.trackApp('app.tick', { i });
    t.close();
    const db = new Database(h.dbPath);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(h.dbPath);
    bytes.fill(0xff, 4096, bytes.length);
    writeFileSync(h.dbPath, bytes);
    const t2 = h.open();
    expect(t2.health().incidents.map((i) => i.kind)).toEqual(['corrupt_moved_aside']);
    expect(t2.trackApp('app.start').ok).toBe(true);
  });

  it('a path that cannot be opened at all falls back to memory, says so, and the app keeps running', () => {
    const dirAsFile = join(h.dir, 'not-a-file.db');
    mkdirSync(dirAsFile);
    const t = h.open({ databasePath: dirAsFile });
    t.setConsent({ usage: 'local' });
    expect(t.trackApp('app.start').ok).toBe(true);
    t.flush();
    expect(t.health().storage).toBe('memory');
    expect(t.health().incidents[0]?.kind).toBe('unreadable_memory_fallback');
    expect(t.recentEvents()).toHaveLength(1);
  });
});

describe('migrations', () => {
  it('a new database gets every migration, each recorded once, in WAL mode', () => {
    h.open().close();
    const files = readMigrations(DEVICE_MIGRATIONS_DIR);
    expect(h.rawRows('SELECT version FROM schema_migrations ORDER BY version').map((r) => r.version)).toEqual(files.map((f) => f.version));
    expect(h.rawRows('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
  });

  it('an old database gets only the migrations it lacks, keeps its rows, and a second run applies nothing', () => {
    const { dir, cleanup } = tempDir('migrations-');
    try {
      const v1Dir = join(dir, 'v1');
      mkdirSync(v1Dir);
      copyFileSync(join(DEVICE_MIGRATIONS_DIR, '001_initial.sql'), join(v1Dir, '001_initial.sql'));
      const db = new Database(join(dir, 'old.db'));
      expect(migrate(db, readMigrations(v1Dir))).toEqual([1]);
      db.prepare("INSERT INTO meta (key, value) VALUES ('user_id', 'kept')").run();
      const v2Dir = join(dir, 'v2');
      mkdirSync(v2Dir);
      copyFileSync(join(DEVICE_MIGRATIONS_DIR, '001_initial.sql'), join(v2Dir, '001_initial.sql'));
      writeFileSync(join(v2Dir, '002_add_notes.sql'), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);');
      expect(migrate(db, readMigrations(v2Dir))).toEqual([2]);
      expect(migrate(db, readMigrations(v2Dir))).toEqual([]);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'user_id'").pluck().get()).toBe('kept');
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'notes'").pluck().get()).toBe(1);
      db.close();
    } finally {
      cleanup();
    }
  });

  it('the device migrations bring an old database up to date when the service opens it', () => {
    const db = new Database(h.dbPath);
    migrate(db, readMigrations(DEVICE_MIGRATIONS_DIR).filter((m) => m.version === 1));
    db.prepare("INSERT INTO meta (key, value) VALUES ('seq', '41')").run();
    db.close();
    const t = h.open();
    t.setConsent({ usage: 'local' });
    t.trackApp('app.start');
    t.flush();
    expect(h.rawRows('SELECT seq FROM events')).toEqual([{ seq: 42 }]);
    expect(h.rawRows('SELECT count(*) AS n FROM schema_migrations')).toEqual([{ n: readMigrations(DEVICE_MIGRATIONS_DIR).length }]);
  });
});
