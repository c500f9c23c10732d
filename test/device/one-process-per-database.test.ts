// Two app instances on one database file would each count seq and the queue on their own: the
// second opener is refused with a clear error, and a lock left by a dead process is taken over.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseInUseError } from '../../src/telemetry/store/instance-lock.js';
import { harness, type Harness } from '../support/service.js';

let h: Harness;
afterEach(() => h?.cleanup());

describe('one process per database file', () => {
  it('a second service on the same file in this process is refused, naming the file; after close it may open', () => {
    h = harness();
    const first = h.open();
    expect(() => h.open()).toThrow(DatabaseInUseError);
    expect(() => h.open()).toThrow(h.dbPath);
    first.close();
    expect(existsSync(`${h.dbPath}.lock`)).toBe(false);
    expect(() => h.open()).not.toThrow();
  });

  it('a file held by another running process is refused with that process id; once it is gone the lock is taken over', async () => {
    h = harness();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((r) => other.once('spawn', r));
    writeFileSync(`${h.dbPath}.lock`, JSON.stringify({ pid: other.pid, at: new Date().toISOString() }));
    expect(() => h.open()).toThrow(`in use by process ${other.pid}`);
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const t = h.open();
    t.setConsent({ usage: 'local' });
    expect(t.trackApp('app.start').ok).toBe(true);
  });

  it('an unreadable lock file (a crash while writing it) does not lock anyone out', () => {
    h = harness();
    writeFileSync(`${h.dbPath}.lock`, '{"pi');
    expect(() => h.open()).not.toThrow();
  });
});
