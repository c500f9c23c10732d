// One process per database file. Two app instances on one file would each count `seq` and the
// queue totals on their own (seen: 31,600 duplicate seq numbers, a pending count of −21,900).
// main/ holds Electron's single-instance lock, but the SDK protects itself: a lock file beside the
// database names the process that has it; a second opener gets a clear error, and a lock left by
// a process that no longer runs (a crash, a SIGKILL) is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { TelemetryConfigError } from '../config/config.js';

export class DatabaseInUseError extends TelemetryConfigError {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(
      `The telemetry database ${path} is in use by ${pid === process.pid ? 'another TelemetryService in this process' : `process ${pid}`}. ` +
        'Only one process may open it at a time: close the other instance (or give this one its own databasePath).',
    );
  }
}

/** Paths this process holds (a second service in the same process is refused too). */
const held = new Set<string>();

export interface InstanceLock {
  release(): void;
}

export function acquireInstanceLock(dbPath: string): InstanceLock {
  const lockPath = `${dbPath}.lock`;
  if (held.has(lockPath)) throw new DatabaseInUseError(dbPath, process.pid);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
      closeSync(fd);
      held.add(lockPath);
      let released = false;
      return {
        release: () => {
          if (released) return;
          released = true;
          held.delete(lockPath);
          rmSync(lockPath, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        // A folder where no lock file can be written (read-only media): the database itself will
        // say what it can do; the lock is a protection, not a precondition.
        return { release: () => {} };
      }
      const owner = readOwner(lockPath);
      if (owner !== null && owner !== process.pid && isRunning(owner)) throw new DatabaseInUseError(dbPath, owner);
      // Left behind by a process that is gone (or unreadable): take it over.
      rmSync(lockPath, { force: true });
    }
  }
  return { release: () => {} };
}

function readOwner(lockPath: string): number | null {
  try {
    const pid = (JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
