// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit
// crosses the threshold and copies ~1000 pages with an fsync: 9-20 ms measured here, which is a
// visible hitch in the app. Instead, the app's connection never checkpoints, and a worker thread
// with its own connection runs PASSIVE checkpoints (they never block the writer) every second.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './database.js';

/** Often enough that the WAL stays a few MB even at 100k events/s. */
const CHECKPOINT_INTERVAL_MS = 1000;
/** If the worker cannot run (or dies), the connection goes back to SQLite's own checkpoints. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 1000;

// Plain CommonJS, evaluated as-is, so the worker loads under any TypeScript loader or test runner.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 100');
const run = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { parentPort.postMessage({ error: String(e && e.message) }); } };
const timer = setInterval(run, workerData.intervalMs);
const done = new Int32Array(workerData.done);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  parentPort.close();
});
`;

/** How long close() may wait for the worker to let go of the file (it is between checkpoints
 *  almost always, so this is sub-millisecond in practice). */
const STOP_WAIT_MS = 1000;

export interface Checkpointer {
  /** Synchronous so that close() stays synchronous (the crash path needs that): once it returns,
   *  the worker's connection is closed and the app's connection is the last one, so its own close
   *  checkpoints and removes the WAL with no other thread touching the files afterwards. */
  stop(): void;
}

export function startCheckpointer(db: SqliteDatabase, path: string): Checkpointer | null {
  if (path === ':memory:' || db.memory) return null;
  let worker: Worker;
  const done = new SharedArrayBuffer(4);
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path, intervalMs: CHECKPOINT_INTERVAL_MS, done },
    });
  } catch {
    return null;
  }
  db.pragma('wal_autocheckpoint = 0');
  worker.unref();
  const fallBack = () => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  let exited = false;
  worker.once('exit', () => (exited = true));
  return {
    stop: () => {
      if (exited) return;
      worker.postMessage('stop');
      // A worker still starting up gets the message once loaded; the wait is bounded either way.
      Atomics.wait(new Int32Array(done), 0, 0, STOP_WAIT_MS);
    },
  };
}
