// The evaluation worker (observation-source.ts): observes the rules it is sent on its own
// read-only connection to the collector's store, with the analyzer's streaming detector.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { createDetector } from '../analyzer/detect/detector.js';
import type { Db } from '../analyzer/store.js';
import { RuleObserver, type ObserveRequest } from './observe.js';

const data = workerData as { path: string; driver: string; hold: SharedArrayBuffer | null };
const Database = createRequire(import.meta.url)(data.driver) as new (path: string, o: { readonly: boolean; fileMustExist: boolean }) => Db;
const db = new Database(data.path, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 1000');
const observer = new RuleObserver(db, createDetector);

parentPort!.on('message', (m: { id: number; req: ObserveRequest }) => {
  if (data.hold !== null) {
    parentPort!.postMessage('started');
    Atomics.wait(new Int32Array(data.hold), 0, 0);
    Atomics.store(new Int32Array(data.hold), 0, 0);
  }
  try {
    parentPort!.postMessage({ id: m.id, result: observer.observe(m.req) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
