// Where rule observations are computed (the engine's port): on the caller's thread, or in a worker
// thread with its own read-only connection to the store file, so an evaluation that reads a day of
// raw events never holds the collector's event loop (ingest keeps answering while it runs).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '../analyzer/store.js';
import type { ScorerFactory } from './condition.js';
import { RuleObserver, type ObservedRule, type ObserveRequest } from './observe.js';

export interface ObservationSource {
  observe(req: ObserveRequest): ObservedRule[] | Promise<ObservedRule[]>;
  close(): Promise<void>;
}

/** On the caller's thread: synchronous (tests on simulated time, in-memory stores). */
export function inThreadSource(db: Db, scorer?: ScorerFactory): ObservationSource {
  const observer = new RuleObserver(db, scorer);
  return { observe: (req) => observer.observe(req), close: async () => {} };
}

export interface WorkerSourceOptions {
  /** The store's file (the worker opens it read-only; WAL lets it read while the collector writes). */
  path: string;
  /** Test hook: the worker posts `started` and then waits until the test stores 1 at index 0
   *  (Atomics), so a test can hold an evaluation open and see what the collector does meanwhile. */
  holdEachEvaluation?: SharedArrayBuffer;
  onStarted?: () => void;
}

const here = import.meta.url;

/** tsx's ESM register API, as a file URL (the package's "import" condition of ./esm/api). */
function tsxApi(): string {
  const pkg = createRequire(here).resolve('tsx/package.json');
  return pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
}

/** In a worker thread, with the analyzer's createDetector as the anomaly scorer. A worker that dies
 *  is started again at the next evaluation; the evaluation it was running reports the error. */
export function workerSource(o: WorkerSourceOptions): ObservationSource {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (r: ObservedRule[]) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  const start = (): Worker => {
    // From source (tsx, vitest) the worker needs a TypeScript loader first
    // (tsx's register(), then the module); the built JavaScript is loaded as it is.
    const fromSource = here.endsWith('.ts');
    const entry = new URL(fromSource ? './observe-worker.ts' : './observe-worker.js', here);
    const workerData = { path: o.path, driver: createRequire(here).resolve('better-sqlite3'), hold: o.holdEachEvaluation ?? null };
    const w = fromSource
      ? new Worker(`import(${JSON.stringify(tsxApi())}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, workerData })
      : new Worker(entry, { workerData });
    w.unref();
    w.on('message', (m: { id: number; result?: ObservedRule[]; error?: string } | 'started') => {
      if (m === 'started') return o.onStarted?.();
      const p = waiting.get(m.id);
      if (p === undefined) return;
      waiting.delete(m.id);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result!);
    });
    w.on('error', (e) => failAll(new Error(`evaluation worker failed: ${e.message}`)));
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      failAll(new Error(`evaluation worker exited (${code})`));
    });
    return w;
  };
  return {
    observe(req) {
      worker ??= start();
      const id = next++;
      return new Promise<ObservedRule[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker!.postMessage({ id, req });
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w !== null) await w.terminate();
    },
  };
}
