// The write path: the buffer of tracked events and counters, when it is written, and by whom.
// Inline, a batch of up to flushMaxEvents is committed on this thread after the app's current
// task (or in line when a loop never yields). With a writer thread (writer/), the buffer is handed
// over after the app's task; what the thread refuses comes back in order; if it dies, this thread
// writes from then on. flush() is synchronous either way: the crash path relies on it.
import type { TelemetryConfig } from '../config/config.js';
import type { Clock } from '../ports.js';
import { isCorruptionError } from '../store/database.js';
import type { BufferedEvent, EventStore } from '../store/event-store.js';
import { WriterClient, type WriterCall } from '../writer/client.js';
import { packEvents, unpackEvents, type PackedEvents, type WriterAnswer } from '../writer/protocol.js';
import { describeThrown, storageErrorText } from './thrown-values.js';

/** With this many events waiting (a burst that never yields), commit in line after all. */
const INLINE_COMMIT_FACTOR = 4;

/** What the write path needs from the service around it. */
export interface WritePathHost {
  readonly config: TelemetryConfig;
  readonly clock: Clock;
  /** The current store (a corrupt file is replaced by a fresh one). */
  store(): EventStore;
  /** Whether this thread owes the database writes of its own before the next batch (start-up
   *  repairs, a clock shift, the age limit), and making them (throws on a storage error). */
  owesWrites(now: number): boolean;
  writeOwed(now: number): void;
  /** Moves a corrupt file aside and opens a fresh one (the store changes); false if only memory is left. */
  reopenAfterCorruption(cause: unknown): boolean;
  /** Writes succeed again after a refusal. */
  diskRecovered(): void;
  scrub(e: BufferedEvent): void;
  incident(kind: string, detail: string): void;
  closed(): boolean;
}

/** A batch handed to the writer thread: request `n`, not yet answered. */
interface Inflight {
  n: number;
  /** The batch as it was sent (by column: far fewer objects for the app's heap to keep). */
  events: PackedEvents;
  deltas: Map<string, number>;
}

export class WritePath {
  buffer: BufferedEvent[] = [];
  readonly counterDeltas = new Map<string, number>();
  /** The disk's last refusal, until a write succeeds again. */
  lastStorageError: string | null = null;
  private readonly commitListeners = new Set<(sharedEvents: number) => void>();
  private commitScheduled = false;
  /** The writer thread, when the config asks for one (storeThread: 'worker'); null: all inline. */
  private writer: WriterClient | null = null;
  /** Batches handed to the writer thread and not yet answered, oldest first. */
  private inflight: Inflight[] = [];
  private inflightEvents = 0;
  /** A commit on the writer thread failed: it refuses the next until told to resume. */
  private writerRefusing = false;
  /** The writer thread found the file corrupt: recovered (on this thread) before the next hand-over. */
  private writerCorrupt: unknown = null;
  /** Writes succeed again after a refusal: the host's recovery is due before the next hand-over. */
  private recoveryDue = false;
  /** The last request that writes (or orders writes): what settle() waits for. Reads (the totals,
   *  an upload batch) are not waited for: nothing this thread does conflicts with them. */
  private lastWrite = 0;
  /** The request that brings the running totals from the writer thread; 0 once they are here. */
  private totalsRequest = 0;

  constructor(private readonly host: WritePathHost) {}

  /** True while a writer thread does the database work (see config.storeThread). */
  get usesWriterThread(): boolean {
    return this.writer !== null;
  }

  /** Events tracked and not yet on disk (buffered here or in the writer thread's hands). */
  get waiting(): number {
    return this.buffer.length + this.inflightEvents;
  }

  /** Whether tracked events are scrubbed on this thread (inline) or by the writer thread. */
  get scrubsHere(): boolean {
    return this.writer === null;
  }

  count(key: string, n = 1): void {
    this.counterDeltas.set(key, (this.counterDeltas.get(key) ?? 0) + n);
  }

  /** The counters not yet on disk: buffered here, and handed to the writer thread. */
  *pendingCounters(): Iterable<[string, number]> {
    yield* this.counterDeltas;
    for (const b of this.inflight) yield* b.deltas;
  }

  /** Buffers an event and decides when it is written. */
  push(e: BufferedEvent): void {
    this.buffer.push(e);
    if (this.lastStorageError !== null) return; // while the disk refuses writes, retry on the timer only
    const cfg = this.host.config;
    if (this.writer !== null) {
      // The hand-over happens after the app's current task (a structured clone is not free);
      // only an app tracking faster than the disk can take waits here, for the oldest batches.
      if (this.waiting >= cfg.maxBufferedEvents - 1) this.throttle();
      else if (this.buffer.length >= cfg.flushMaxEvents) this.scheduleCommit();
      return;
    }
    if (this.buffer.length >= cfg.flushMaxEvents) {
      // Committed right after the app's current task, not inside it: the app's own burst and the
      // commit then block the event loop one after the other, never added together. When the app
      // produces faster than one batch per turn, a batch is also committed in line, so the buffer
      // stays bounded even for a loop that never yields.
      if (this.buffer.length >= cfg.flushMaxEvents * INLINE_COMMIT_FACTOR) this.commitUpTo(cfg.flushMaxEvents);
      this.scheduleCommit();
    }
  }

  /** Everything buffered on disk before this returns (or kept, bounded, if the disk refuses). */
  flush(): void {
    this.writeUpTo(Infinity);
    this.settle();
  }

  /** The background commit (the flush timer, or after a burst). Inline: at most flushMaxEvents in
   *  one transaction, the rest in later turns, so no single commit blocks the app for long. (Smaller,
   *  time-budgeted chunks were tried: the buffer then reached the in-line limit under bursts and
   *  the commits landed inside track(), 5x slower per call in bench:peer.) The writer thread takes
   *  everything buffered, in transactions of flushMaxEvents: handing over is cheap. */
  commitChunk(): void {
    this.writeUpTo(this.writer !== null ? Infinity : this.host.config.flushMaxEvents);
    if (this.buffer.length > 0 && this.lastStorageError === null) this.scheduleCommit();
  }

  /** Waits (synchronously) until the writer thread has answered everything handed to it: it is
   *  then idle while this thread writes. Call resync() after writing. */
  settle(): void {
    this.writer?.waitFor(this.lastWrite);
  }

  /** For a caller that must see the true totals (health()): waits for them if the writer thread
   *  has not handed them over yet (only just after opening). */
  totalsKnown(): void {
    if (this.totalsRequest !== 0) this.writer?.waitFor(this.totalsRequest);
  }

  /** This thread wrote to the database: the writer thread reads the totals again (and this
   *  thread takes them: they include whatever it wrote). */
  resync(): void {
    if (this.writer === null) return;
    this.post({ op: 'resync' }, (a) => {
      if (a.ok) this.host.store().setTotals(a.totals);
    });
  }

  /** Posts a request that writes; settle() waits for it. */
  private post(req: WriterCall, onAnswer?: (a: WriterAnswer) => void): number {
    const n = this.writer!.post(req, onAnswer);
    this.lastWrite = n;
    return n;
  }

  /** Called after each commit with the number of newly queued (shared) events. Returns an unsubscribe. */
  onCommit(listener: (sharedEvents: number) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  /** Sends a request to the writer thread (the upload store's reads and writes), applying what it
   *  did to this thread's running totals. Null when there is no writer thread. */
  request(req: WriterCall): Promise<WriterAnswer> | null {
    const w = this.writer;
    if (w === null) return null;
    const answer = new Promise<WriterAnswer>((resolve) => {
      const n = w.post(req, resolve);
      if (req.op !== 'batch') this.lastWrite = n;
    });
    return answer.then((a) => {
      if (a.ok && a.totals.length > 0) this.host.store().applyTotals(a.totals);
      return a;
    });
  }

  // ---- the writer thread -------------------------------------------------------------------------

  /** Starts the writer thread. The store's running totals come from it (it scans the table at
   *  its start, off this thread); until then they read 0, and the uploader hears of what was left
   *  from earlier runs when they arrive, as if it had just been committed. */
  startWriter(): void {
    const cfg = this.host.config;
    try {
      this.writer = WriterClient.start({ path: cfg.databasePath, limits: cfg.limits, scrub: cfg.scrub }, (why) => this.writerDied(why));
    } catch (e) {
      this.host.incident('writer_thread_unavailable', describeThrown(e).slice(0, 300));
      this.writer = null;
      this.host.store().resync();
      return;
    }
    this.totalsRequest = this.writer.post({ op: 'totals' }, (a) => {
      this.totalsRequest = 0;
      if (!a.ok) return; // the thread is gone: writerDied counted on this thread
      const store = this.host.store();
      store.setTotals(a.totals);
      if (store.pending > 0) this.notifyCommit(store.pending);
    });
  }

  stopWriter(): void {
    const w = this.writer;
    if (w === null) return;
    this.writer = null;
    w.stop();
  }

  /** The thread is gone (it failed, or could not load): what it never answered came back to the
   *  buffer (its answers ran first), and this thread writes from now on. */
  private writerDied(why: string): void {
    this.writer = null;
    this.writerRefusing = false;
    this.lastStorageError = null;
    this.host.incident('writer_thread_stopped', why.slice(0, 300));
    for (const e of this.buffer) this.host.scrub(e);
    this.host.store().resync();
  }

  // ---- writing -----------------------------------------------------------------------------------

  private scheduleCommit(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    setImmediate(() => {
      this.commitScheduled = false;
      if (!this.host.closed()) this.commitChunk();
    });
  }

  private writeUpTo(max: number): void {
    if (this.writer !== null) this.handOff(max);
    else this.commitUpTo(max);
  }

  /** Commits the oldest `max` buffered events (and the counters) in one transaction, here. */
  private commitUpTo(max: number): void {
    if (this.buffer.length === 0 && this.counterDeltas.size === 0) return;
    const batch = max >= this.buffer.length ? this.buffer : this.buffer.slice(0, max);
    const deltas = new Map(this.counterDeltas);
    const recovering = this.lastStorageError !== null;
    try {
      const now = this.host.clock.now();
      if (this.host.owesWrites(now)) this.host.writeOwed(now);
      // (With no events the sequence number is not written: 0 stands for "unchanged".)
      this.commitWithRecovery(batch, deltas, batch.length > 0 ? batch[batch.length - 1]!.seq : 0);
    } catch (e) {
      this.lastStorageError = storageErrorText(e);
      return;
    }
    if (recovering) this.host.diskRecovered();
    this.buffer = batch === this.buffer ? [] : this.buffer.slice(batch.length);
    for (const [k, n] of deltas) {
      const left = (this.counterDeltas.get(k) ?? 0) - n;
      if (left === 0) this.counterDeltas.delete(k);
      else this.counterDeltas.set(k, left);
    }
    this.lastStorageError = null;
  }

  /** `seq`: the device's sequence number after this batch (what a restart continues from). */
  private commitWithRecovery(batch: BufferedEvent[], deltas: Map<string, number>, seq: number): void {
    try {
      this.host.store().commit(batch, deltas, seq);
    } catch (e) {
      if (!isCorruptionError(e) || this.host.config.databasePath === ':memory:') throw e;
      // The file went bad under us: move it aside, start fresh, and commit there.
      this.host.reopenAfterCorruption(e);
      this.host.store().commit(batch, deltas, seq);
    }
    if (this.commitListeners.size > 0) {
      let shared = 0;
      for (const e of batch) if (e.shared) shared++;
      this.notifyCommit(shared);
    }
  }

  /** Hands the oldest `max` buffered events (and the counters) to the writer thread. Anything
   *  this thread must write itself first (start-up repairs, a clock shift, the age limit, a
   *  corrupt file, the end of a disk-full episode) is done while the thread is idle. */
  private handOff(max: number): void {
    const now = this.host.clock.now();
    if (this.writerCorrupt !== null || this.recoveryDue || this.host.owesWrites(now)) {
      this.settle();
      if (this.writer === null) return this.commitUpTo(max);
      try {
        if (this.writerCorrupt !== null) this.recoverWriterFromCorruption();
        if (this.writer === null) return this.commitUpTo(max);
        if (this.host.owesWrites(now)) this.host.writeOwed(now);
        if (this.recoveryDue) {
          this.recoveryDue = false;
          this.host.diskRecovered();
        }
      } catch (e) {
        this.lastStorageError = storageErrorText(e);
        return;
      }
      this.resync();
    }
    if (this.buffer.length === 0 && this.counterDeltas.size === 0) return;
    if (this.writerRefusing) {
      this.writerRefusing = false;
      this.post({ op: 'resume' });
    }
    const take = Math.min(max, this.buffer.length);
    const size = this.host.config.flushMaxEvents;
    for (let from = 0; from < take || from === 0; from += size) {
      const events = packEvents(this.buffer.slice(from, Math.min(take, from + size)));
      // The counters go with the first transaction.
      const deltas = from === 0 ? new Map(this.counterDeltas) : new Map<string, number>();
      const entry: Inflight = { n: 0, events, deltas };
      this.inflight.push(entry);
      const count = events.id.length;
      this.inflightEvents += count;
      const seq = count > 0 ? events.seq[count - 1]! : 0;
      entry.n = this.post({ op: 'commit', events, deltas: [...deltas], seq }, (a) => this.committed(entry, a));
    }
    this.buffer = take === this.buffer.length ? [] : this.buffer.slice(take);
    this.counterDeltas.clear();
  }

  /** Back-pressure: the app tracks faster than the writer thread commits. Rather than drop what
   *  was agreed to, or hold without bound, the app's thread waits for the oldest batches. */
  private throttle(): void {
    this.handOff(Infinity);
    const low = this.host.config.maxBufferedEvents / 2;
    while (this.writer !== null && this.inflight.length > 0 && this.waiting > low) {
      if (!this.writer.waitFor(this.inflight[0]!.n)) break;
    }
  }

  /** The writer thread's answer to a hand-over. */
  private committed(entry: Inflight, a: WriterAnswer): void {
    const i = this.inflight.indexOf(entry);
    if (i < 0) return; // already given back by an earlier failure
    if (a.ok) {
      this.inflight.splice(i, 1);
      this.inflightEvents -= entry.events.id.length;
      this.host.store().applyTotals(a.totals);
      if (this.lastStorageError !== null) {
        this.lastStorageError = null;
        this.recoveryDue = true;
      }
      this.notifyCommit(a.shared ?? 0);
      return;
    }
    // This batch and every later one come back to the front of the buffer, in order: the thread
    // refuses the later ones, so nothing lands out of order, and the timer retries.
    const back = this.inflight.splice(i);
    this.inflightEvents = this.inflight.reduce((n, b) => n + b.events.id.length, 0);
    this.buffer = [...back.flatMap((b) => unpackEvents(b.events)), ...this.buffer];
    for (const b of back) for (const [k, n] of b.deltas) this.count(k, n);
    if (a.skipped) return;
    this.writerRefusing = true;
    this.lastStorageError = `${a.code ?? 'error'}: ${a.error}`;
    if (a.corrupt) this.writerCorrupt = new Error(a.error);
  }

  /** The file went bad under the writer thread: it lets go, this thread moves the file aside and
   *  starts a fresh one, and the thread opens that. */
  private recoverWriterFromCorruption(): void {
    const w = this.writer!;
    const cause = this.writerCorrupt;
    this.writerCorrupt = null;
    this.post({ op: 'release' });
    w.waitAll();
    if (!this.host.reopenAfterCorruption(cause)) return this.stopWriter();
    this.post({ op: 'reopen' });
    this.lastStorageError = null;
  }

  private notifyCommit(shared: number): void {
    for (const l of this.commitListeners) {
      try {
        l(shared);
      } catch {
        // A listener's bug must not make a committed batch look uncommitted (it would be written twice).
      }
    }
  }
}
