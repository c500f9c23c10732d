// The writer thread: a worker that owns a second connection to the device database and does the
// heavy, steady work there instead of on the app's event loop: scrubbing, commits with their
// rollups and caps, reading what is pending, building and compressing upload batches, and marking
// them sent. The app's thread keeps its own connection for what a person asks for (the dashboard,
// consent changes, deletion, export), and waits for this thread to be idle before it writes
// (writer/client.ts). Requests are answered strictly in order.
import { workerData } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { scrubEventFields } from '../scrub/event-fields.js';
import { createScrubber } from '../scrub/scrub.js';
import { isCorruptionError } from '../store/database.js';
import { EventStore, type BufferedEvent } from '../store/event-store.js';
import { UploadQueue } from '../upload/queue.js';
import { assembleBatch } from '../upload/request.js';
import { unpackEvents, type WriterAnswer, type WriterData, type WriterRequest, type WrittenBatch } from './protocol.js';

const data = workerData as WriterData;
const port = data.port;
const answered = new Int32Array(data.answered);
const SqliteDatabase = createRequire(import.meta.url)(data.driver) as typeof Database;
const scrubber = createScrubber(data.scrub);

let db: Database.Database | null = null;
let store: EventStore | null = null;
let queue: UploadQueue | null = null;
/** A commit failed: later ones are refused until the app's thread says `resume`. */
let refusing = false;

function open(): void {
  db = new SqliteDatabase(data.path, { fileMustExist: true });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // The checkpointer (store/checkpointer.ts) checkpoints off every app-facing connection.
  db.pragma('wal_autocheckpoint = 0');
  store = new EventStore(db, data.limits);
  queue = new UploadQueue(store);
}

function close(): void {
  try {
    db?.close();
  } catch {
    // already unusable
  }
  db = null;
  store = null;
  queue = null;
}

function commit(events: BufferedEvent[], deltas: Map<string, number>, seq: number): number {
  let truncated = 0;
  let shared = 0;
  for (const e of events) {
    if (e.scrubbed !== true) truncated += scrubEventFields(scrubber, e.type, e.fields);
    if (e.shared) shared++;
  }
  if (truncated > 0) deltas.set('truncated.after_scrub', (deltas.get('truncated.after_scrub') ?? 0) + truncated);
  store!.commit(events, deltas, seq);
  return shared;
}

function batch(limit: number, afterRowid: number, health: Parameters<typeof assembleBatch>[1], sentAt: number): WrittenBatch | null {
  const pending = queue!.pending(limit, afterRowid);
  if (pending.length === 0) return null;
  const { events, envelope } = assembleBatch(pending, health, sentAt, limit);
  // A buffer of its own (never a slice of a pooled one), so it can be transferred, not copied.
  const body = new Uint8Array(gzipSync(envelope));
  return { events: events.map((e) => ({ rowid: e.rowid, id: e.id, category: e.category })), body, rawBytes: envelope.length };
}

function handle(m: WriterRequest): WriterAnswer {
  if (m.op === 'reopen') {
    // A file this thread cannot open ends the thread (the throw): the app's thread then hears
    // that everything unanswered failed, and writes itself from then on.
    open();
    return { n: m.n, ok: true, totals: [] };
  }
  if (m.op === 'release' || m.op === 'stop') {
    close();
    return { n: m.n, ok: true, totals: [] };
  }
  if (m.op === 'resume') {
    refusing = false;
    return { n: m.n, ok: true, totals: [] };
  }
  if (store === null || queue === null) return { n: m.n, ok: false, skipped: false, error: 'the writer thread has no database open', code: 'WRITER_UNAVAILABLE', corrupt: false };
  if (m.op === 'commit' && refusing) return { n: m.n, ok: false, skipped: true, error: 'an earlier commit failed', code: null, corrupt: false };
  const before = store.totals();
  let shared: number | undefined;
  let built: WrittenBatch | null | undefined;
  try {
    switch (m.op) {
      case 'commit':
        shared = commit(unpackEvents(m.events), new Map(m.deltas), m.seq);
        break;
      case 'totals':
        return { n: m.n, ok: true, totals: store.totals() };
      case 'resync':
        store.resync();
        // Read from the table: the app's thread takes them as they are.
        return { n: m.n, ok: true, totals: store.totals() };
      case 'batch':
        built = batch(m.limit, m.afterRowid, m.health, m.sentAt);
        break;
      case 'markSent':
        queue.markSent(m.rowids);
        break;
      case 'deadLetter':
        queue.deadLetter(m.items, m.status, m.reason, m.at);
        break;
      case 'log':
        queue.log(m.entry);
        break;
      case 'addCounters':
        store.addCounters(new Map(m.deltas));
        break;
    }
  } catch (e) {
    if (m.op === 'commit') refusing = true;
    const err = e as { code?: unknown; message?: unknown };
    return { n: m.n, ok: false, skipped: false, error: String(err?.message ?? e), code: typeof err?.code === 'string' ? err.code : null, corrupt: isCorruptionError(e) };
  }
  const after = store.totals();
  return { n: m.n, ok: true, totals: after.map((v, i) => v - before[i]!), shared, batch: built };
}

// If the file cannot be opened here, the thread ends (the throw) and the app's thread writes.
open();
port.on('message', (m: WriterRequest) => {
  const answer = handle(m);
  const transfer = answer.ok && answer.batch ? [answer.batch.body.buffer as ArrayBuffer] : [];
  port.postMessage(answer, transfer);
  // After the answer is on its way: whoever waits on the counter finds it there.
  Atomics.store(answered, 0, m.n);
  Atomics.notify(answered, 0);
  if (m.op === 'stop') port.close();
});
