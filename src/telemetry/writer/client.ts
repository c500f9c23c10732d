// The app's side of the writer thread (writer/thread.ts): posts requests in order, hands each
// answer to the callback given with its request (as a message, off the caller's path), and can
// wait synchronously until every request so far is answered, for flush(), close() and the crash
// path, which must not return before the events are on disk.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { WriterAnswer, WriterData, WriterRequest } from './protocol.js';

/** A request without its number (the client numbers them). */
export type WriterCall = WriterRequest extends infer R ? (R extends { n: number } ? Omit<R, 'n'> : never) : never;

type OnAnswer = (a: WriterAnswer) => void;

/** How long a synchronous wait may last: a commit of a full batch takes milliseconds; this is
 *  for a thread that stopped answering, after which the caller goes on without it. */
export const WRITER_WAIT_MS = 10_000;

export class WriterClient {
  private posted = 0;
  private readonly answered: Int32Array;
  private readonly callbacks = new Map<number, OnAnswer>();
  private dead: string | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    shared: SharedArrayBuffer,
    private readonly onDeath: (why: string) => void,
  ) {
    this.answered = new Int32Array(shared);
    port.on('message', (a: WriterAnswer) => this.deliver(a));
    port.unref();
    worker.on('error', (e) => this.die(`the writer thread failed: ${e.message}`));
    worker.on('exit', (code) => this.die(`the writer thread exited (code ${code})`));
    // The thread must not keep the app alive by itself: close() stops it; a crash kills it.
    worker.unref();
  }

  /** Starts the thread over the database at `path` (already created and migrated by the caller). */
  static start(data: Omit<WriterData, 'answered' | 'driver' | 'port'>, onDeath: (why: string) => void): WriterClient {
    const answered = new SharedArrayBuffer(4);
    const require = createRequire(import.meta.url);
    // A channel of its own rather than the worker's default one: receiveMessageOnPort needs a port.
    const { port1, port2 } = new MessageChannel();
    const workerData: WriterData = { ...data, answered, port: port2, driver: require.resolve('better-sqlite3') };
    return new WriterClient(spawn(workerData, [port2]), port1, answered, onDeath);
  }

  get alive(): boolean {
    return this.dead === null;
  }

  /** Posts a request; `onAnswer` gets its answer later, in order with every other answer. */
  post(req: WriterCall, onAnswer?: OnAnswer, transfer: ArrayBuffer[] = []): number {
    const n = ++this.posted;
    if (onAnswer) this.callbacks.set(n, onAnswer);
    if (this.dead !== null) {
      this.answerDead(n);
      return n;
    }
    this.port.postMessage({ ...req, n }, transfer);
    return n;
  }

  /** Blocks until every request posted so far is answered, and runs their callbacks. False if
   *  the thread did not answer within `timeoutMs` (the callbacks of what it did answer ran). */
  waitAll(timeoutMs = WRITER_WAIT_MS): boolean {
    return this.waitFor(this.posted, timeoutMs);
  }

  /** Blocks until request `target` (and every one before it) is answered; see waitAll. */
  waitFor(target: number, timeoutMs = WRITER_WAIT_MS): boolean {
    const deadline = Date.now() + timeoutMs;
    let last: number;
    while (this.dead === null && (last = Atomics.load(this.answered, 0)) < target) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.answered, 0, last, left);
    }
    this.drain();
    return this.callbacks.size === 0 || [...this.callbacks.keys()].every((n) => n > target);
  }

  /** Closes the thread's connection and stops it, synchronously. */
  stop(timeoutMs = WRITER_WAIT_MS): void {
    if (this.dead !== null) return;
    this.post({ op: 'stop' });
    this.waitAll(timeoutMs);
    this.dead = 'stopped';
    void this.worker.terminate();
  }

  /** Takes the answers already sent, synchronously (the ones the event loop has not delivered). */
  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m !== undefined; m = receiveMessageOnPort(this.port)) this.deliver(m.message as WriterAnswer);
  }

  private deliver(a: WriterAnswer): void {
    const cb = this.callbacks.get(a.n);
    if (cb === undefined) return;
    this.callbacks.delete(a.n);
    cb(a);
  }

  private answerDead(n: number): void {
    this.deliver({ n, ok: false, skipped: false, error: this.dead ?? 'the writer thread is gone', code: 'WRITER_UNAVAILABLE', corrupt: false });
  }

  private die(why: string): void {
    if (this.dead !== null) return;
    this.dead = why;
    this.drain();
    // What it never answered did not happen: every waiting caller hears so, in order.
    for (const n of [...this.callbacks.keys()].sort((a, b) => a - b)) this.answerDead(n);
    this.onDeath(why);
  }
}

/** The compiled thread next to this file; from TypeScript sources (tests, `tsx`), the thread
 *  loads them through tsx's CommonJS hook, since a worker does not inherit the caller's loader. */
function spawn(workerData: WriterData, transferList: MessagePort[]): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./thread.js', here), { workerData, transferList });
  const require = createRequire(here);
  const source = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();\nrequire(${JSON.stringify(fileURLToPath(new URL('./thread.ts', here)))});`;
  return new Worker(source, { eval: true, workerData, transferList });
}
