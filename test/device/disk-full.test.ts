// A full disk never takes the app down: the service opens in a degraded mode, counts what it
// cannot keep, enforces consent before it stores anything once space returns, and shrinks the WAL.
// The disk is real: a small tmpfs filled up with a file, then emptied (needs root to mount).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeSettings, MemorySettings, TelemetryService } from '../../src/telemetry/index.js';

const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;

function tryMount(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const probe = mkdtempSync(join(tmpdir(), 'disk-probe-'));
const canMount = tryMount(probe, '64k');
if (canMount) execFileSync('umount', [probe]);
rmSync(probe, { recursive: true, force: true });

class SmallDisk {
  readonly dir = mkdtempSync(join(tmpdir(), 'small-disk-'));
  constructor(size = '16m') {
    if (!tryMount(this.dir, size)) throw new Error('cannot mount a tmpfs');
    mkdirSync(join(this.dir, 'db'));
  }
  get dbPath(): string {
    return join(this.dir, 'db', 'telemetry.db');
  }
  /** Fills every free byte with a file: the next write that needs space gets ENOSPC. */
  fill(): void {
    const fd = openSync(join(this.dir, 'filler'), 'a');
    const chunk = Buffer.alloc(64 * 1024);
    try {
      for (;;) writeSync(fd, chunk);
    } catch {
      // ENOSPC: full. Fill the last bytes too.
      try {
        for (;;) writeSync(fd, chunk.subarray(0, 512));
      } catch {
        /* full */
      }
    } finally {
      closeSync(fd);
    }
  }
  free(): void {
    rmSync(join(this.dir, 'filler'), { force: true });
  }
  rows(sql: string): Record<string, unknown>[] {
    const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  unmount(): void {
    execFileSync('umount', ['-l', this.dir]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function setup(): { disk: SmallDisk; settings: MemorySettings; open: () => TelemetryService } {
  const disk = new SmallDisk();
  cleanups.push(() => disk.unmount());
  const settings = new MemorySettings();
  const open = () => {
    const t = TelemetryService.open({ databasePath: disk.dbPath, appVersion: '1.4.0', os: 'linux-x64' }, { settings });
    cleanups.push(() => t.close());
    return t;
  };
  return { disk, settings, open };
}

describe.skipIf(!canMount)('a full disk', () => {
  it('opening with the disk full, a killed process’s WAL and a consent to enforce does not throw; consent is enforced before anything new is stored, once space returns', () => {
    const disk = new SmallDisk();
    cleanups.push(() => disk.unmount());
    const settingsDir = join(disk.dir, 'settings');
    // An app tracks 2000 usage events and is killed with SIGKILL: its WAL stays behind.
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', `
        import { TelemetryService, createNodeSettings } from ${JSON.stringify(join(import.meta.dirname, '../../src/telemetry/index.ts'))};
        const t = TelemetryService.open({ databasePath: ${JSON.stringify(disk.dbPath)}, appVersion: '1.4.0', os: 'linux-x64' }, { settings: createNodeSettings(${JSON.stringify(settingsDir)}) });
        t.setConsent({ usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' });
        for (let i = 0; i < 2000; i++) t.trackApp('tool.call', { i });
        t.flush();
        process.kill(process.pid, 'SIGKILL');`],
      { cwd: join(import.meta.dirname, '../..'), stdio: 'inherit' },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(statSync(`${disk.dbPath}-wal`).size).toBeGreaterThan(0);
    // The person turned usage off meanwhile (the settings say so, the file does not), and the disk filled up.
    const settings = createNodeSettings(settingsDir);
    const record = settings.get('telemetry.consent') as { categories: Record<string, string> };
    record.categories.usage = 'off';
    settings.set('telemetry.consent', record);
    disk.fill();

    let t!: TelemetryService;
    expect(() => (t = TelemetryService.open({ databasePath: disk.dbPath, appVersion: '1.4.0', os: 'linux-x64' }, { settings }))).not.toThrow();
    cleanups.push(() => t.close());
    expect(t.health().lastStorageError).toMatch(/SQLITE_FULL|SQLITE_IOERR|ENOSPC/);
    expect(t.health().incidents.map((i) => i.kind)).toContain('writes_refused_at_open');
    expect(t.trackError('tool.failed', new Error('x')).ok).toBe(true);
    t.flush();

    disk.free();
    t.flush();
    expect(t.health().lastStorageError).toBeNull();
    expect(disk.rows("SELECT count(*) AS n FROM events WHERE category = 'usage'")[0]!.n).toBe(0);
    expect(disk.rows("SELECT count(*) AS n FROM events WHERE event_type = 'error'")[0]!.n).toBe(1);
    expect(t.health().incidents.map((i) => i.kind)).toContain('writes_refused_at_open');
  });

  it('after the episode the WAL is truncated, not left at its peak size', () => {
    const { disk, open } = setup();
    const t = open();
    t.setConsent(ALL_SHARED);
    disk.fill();
    for (let i = 0; i < 3000; i++) t.trackApp('tool.call', { i, pad: 'x'.repeat(100) });
    t.flush();
    expect(t.health().lastStorageError).not.toBeNull();
    disk.free();
    t.flush();
    expect(t.health().lastStorageError).toBeNull();
    expect(disk.rows('SELECT count(*) AS n FROM events')[0]!.n).toBe(3000);
    expect(statSync(`${disk.dbPath}-wal`).size).toBe(0);
  });

  it('events buffered at close that the disk refused are counted at the next start, not lost silently', () => {
    const { disk, open } = setup();
    const t = open();
    t.setConsent(ALL_SHARED);
    t.flush();
    disk.fill();
    for (let i = 0; i < 37; i++) t.trackApp('tool.call');
    t.close();
    disk.free();
    expect(open().counters()['dropped.unwritable_at_close']).toBe(37);
  });
});
