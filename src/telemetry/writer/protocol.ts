// What the app's thread and the writer thread (writer/thread.ts) say to each other. Every request
// carries a number; the writer answers each in order and then raises the shared counter to it,
// so the app's thread can wait for any answer synchronously (flush, close, a crash) or take it
// as a message later (the background commits and uploads).
import type { MessagePort } from 'node:worker_threads';
import type { ScrubberOptions } from '../scrub/scrub.js';
import type { ClientHealth } from '../upload/request.js';
import type { UploadLogEntry } from '../upload/queue.js';
import type { BufferedEvent, StoreLimits } from '../store/event-store.js';

export interface WriterData {
  path: string;
  limits: StoreLimits;
  scrub: ScrubberOptions;
  /** Int32Array over it: [0] the number of the last request answered. */
  answered: SharedArrayBuffer;
  /** Requests come in and answers go out on it (not on the worker's own port, which
   *  receiveMessageOnPort cannot read). */
  port: MessagePort;
  driver: string;
}

export type WriterRequest =
  | { n: number; op: 'commit'; events: BufferedEvent[]; deltas: [string, number][]; seq: number }
  /** After the app's thread wrote to the database itself: read the totals again, drop caches. */
  | { n: number; op: 'resync' }
  /** After a failed commit, later commits are refused until this (so none lands out of order). */
  | { n: number; op: 'resume' }
  | { n: number; op: 'batch'; limit: number; afterRowid: number; health: ClientHealth; sentAt: number }
  | { n: number; op: 'markSent'; rowids: number[] }
  | { n: number; op: 'deadLetter'; items: { rowid: number; id: string }[]; status: number; reason: string; at: number }
  | { n: number; op: 'log'; entry: UploadLogEntry }
  | { n: number; op: 'addCounters'; deltas: [string, number][] }
  /** Let go of the file (it is being moved aside), then open the new one at the same path. */
  | { n: number; op: 'release' }
  | { n: number; op: 'reopen' }
  | { n: number; op: 'stop' };

/** A batch built on the writer thread: what the uploader needs of each event, and the gzip body. */
export interface WrittenBatch {
  events: { rowid: number; id: string; category: BufferedEvent['category'] }[];
  body: Uint8Array;
  rawBytes: number;
}

export type WriterAnswer =
  | {
      n: number;
      ok: true;
      /** What the request did to the running totals (EventStore.totals() after minus before). */
      totals: number[];
      /** commit: the shared events queued. */
      shared?: number;
      batch?: WrittenBatch | null;
    }
  | { n: number; ok: false; skipped: boolean; error: string; code: string | null; corrupt: boolean };
