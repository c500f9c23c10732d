// What the app's thread and the writer thread (writer/thread.ts) say to each other. Every request
// carries a number; the writer answers each in order and then raises the shared counter to it,
// so the app's thread can wait for any answer synchronously (flush, close, a crash) or take it
// as a message later (the background commits and uploads).
import type { MessagePort } from 'node:worker_threads';
import type { ScrubberOptions } from '../scrub/scrub.js';
import type { ClientHealth } from '../upload/request.js';
import type { UploadLogEntry } from '../upload/queue.js';
import { CATEGORY_OF, measureOf, type EventType } from '../event/schema.js';
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

/** A batch of buffered events by column: a structured clone of objects costs the app's thread
 *  ~2 µs an event, columns about half (bench measured). Values the same for every event of the
 *  batch (session, ids, version, OS) go once. */
export interface PackedEvents {
  id: string[];
  type: EventType[];
  name: string[];
  ts: Float64Array;
  seq: Float64Array;
  fields: Record<string, unknown>[];
  /** bit 0: shared, bit 1: scrubbed */
  flags: Uint8Array;
  sessionId: string | string[];
  userId: string | string[];
  deviceId: string | string[];
  appVersion: string | string[];
  os: string | string[];
}

type SameKey = 'sessionId' | 'userId' | 'deviceId' | 'appVersion' | 'os';

function column(events: readonly BufferedEvent[], key: SameKey): string | string[] {
  const first = events[0]?.[key] ?? '';
  for (const e of events) if (e[key] !== first) return events.map((x) => x[key]);
  return first;
}

export function packEvents(events: readonly BufferedEvent[]): PackedEvents {
  const n = events.length;
  const p: PackedEvents = {
    id: new Array<string>(n),
    type: new Array<EventType>(n),
    name: new Array<string>(n),
    ts: new Float64Array(n),
    seq: new Float64Array(n),
    fields: new Array<Record<string, unknown>>(n),
    flags: new Uint8Array(n),
    sessionId: column(events, 'sessionId'),
    userId: column(events, 'userId'),
    deviceId: column(events, 'deviceId'),
    appVersion: column(events, 'appVersion'),
    os: column(events, 'os'),
  };
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    p.id[i] = e.id;
    p.type[i] = e.type;
    p.name[i] = e.name;
    p.ts[i] = e.ts;
    p.seq[i] = e.seq;
    p.fields[i] = e.fields;
    p.flags[i] = (e.shared ? 1 : 0) | (e.scrubbed === true ? 2 : 0);
  }
  return p;
}

export function unpackEvents(p: PackedEvents): BufferedEvent[] {
  const at = (c: string | string[], i: number): string => (typeof c === 'string' ? c : c[i]!);
  const out = new Array<BufferedEvent>(p.id.length);
  for (let i = 0; i < p.id.length; i++) {
    const type = p.type[i]!;
    const fields = p.fields[i]!;
    out[i] = {
      id: p.id[i]!,
      type,
      category: CATEGORY_OF[type],
      name: p.name[i]!,
      ts: p.ts[i]!,
      sessionId: at(p.sessionId, i),
      userId: at(p.userId, i),
      deviceId: at(p.deviceId, i),
      seq: p.seq[i]!,
      appVersion: at(p.appVersion, i),
      os: at(p.os, i),
      fields,
      measure: measureOf(type, fields),
      shared: (p.flags[i]! & 1) === 1,
      scrubbed: (p.flags[i]! & 2) === 2,
    };
  }
  return out;
}

export type WriterRequest =
  | { n: number; op: 'commit'; events: PackedEvents; deltas: [string, number][]; seq: number }
  /** After the app's thread wrote to the database itself: read the totals again, drop caches. */
  | { n: number; op: 'resync' }
  /** The running totals as this thread read them at its start (the app's thread does not scan). */
  | { n: number; op: 'totals' }
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
      /** What the request did to the running totals (EventStore.totals() after minus before);
       *  for `totals` and `resync`, the totals themselves. */
      totals: number[];
      /** commit: the shared events queued. */
      shared?: number;
      batch?: WrittenBatch | null;
    }
  | { n: number; ok: false; skipped: boolean; error: string; code: string | null; corrupt: boolean };
