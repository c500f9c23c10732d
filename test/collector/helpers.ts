// A real collector on 127.0.0.1 over a real SQLite file in a fresh temporary folder, and the
// requests a device would send it (fetch, gzip-compressed JSON).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { createCollector, type Collector, type CollectorOptions } from '../../src/collector/server.js';
import type { SqliteCollectorStore } from '../../src/collector/sqlite-store.js';

export const KEY = 'test-key-collector';

export interface Rig {
  collector: Collector<SqliteCollectorStore>;
  store: SqliteCollectorStore;
  dir: string;
  dbPath: string;
  /** POSTs `body` (JSON-encoded and gzipped unless it is already a Buffer) to `path`. */
  post(path: string, body: unknown, opts?: PostOptions): Promise<Answer>;
  batch(events: readonly unknown[], extra?: Partial<Envelope>, opts?: PostOptions): Promise<Answer>;
  close(): Promise<void>;
}

export interface PostOptions {
  /** null: no Authorization header. Default KEY. */
  key?: string | null;
  /** Default true. */
  gzip?: boolean;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  headers: Headers;
  // Whatever the collector answered; each test reads the fields it expects.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface Envelope {
  schema_version: number;
  sent_at: string;
  common: Record<string, unknown>;
  events: readonly unknown[];
  health: unknown;
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'collector-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function startRig(options: Partial<Omit<CollectorOptions, 'store' | 'dbPath'>> = {}): Promise<Rig> {
  const { dir, cleanup } = tempDir();
  const dbPath = join(dir, 'collector.db');
  const collector = await createCollector({ apiKeys: [KEY], ...options, dbPath });
  const rig: Rig = {
    collector,
    store: collector.store,
    dir,
    dbPath,
    post: (path, body, opts) => post(collector.url + path, body, opts),
    batch: (events, extra, opts) => rig.post('/v1/batch', envelope(events, extra), opts),
    async close() {
      await collector.close();
      cleanup();
    },
  };
  return rig;
}

export async function post(url: string, body: unknown, opts: PostOptions = {}): Promise<Answer> {
  const { key = KEY, gzip = true, headers = {} } = opts;
  let bytes: Buffer = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  if (gzip && !Buffer.isBuffer(body)) bytes = gzipSync(bytes);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...headers,
    },
    body: bytes,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** One device: its anonymous ids and a session. */
export function device(): { user_id: string; device_id: string; session_id: string; app_version: string; os: string } {
  return { user_id: uuidv4(), device_id: uuidv4(), session_id: uuidv7(), app_version: '1.4.0', os: 'linux-x64' };
}

const DEFAULT_DEVICE = device();
let seq = 0;

/** A performance event without the fields a batch's `common` carries. */
export function perf(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: uuidv7(),
    event_type: 'performance',
    name: 'llm.inference',
    timestamp: new Date().toISOString(),
    session_id: DEFAULT_DEVICE.session_id,
    seq: ++seq,
    value: 100 + (seq % 50),
    unit: 'ms',
    context: { provider: 'anthropic' },
    ...overrides,
  };
}

export function envelope(events: readonly unknown[], extra: Partial<Envelope> = {}): Envelope {
  return {
    schema_version: 1,
    sent_at: new Date().toISOString(),
    common: { user_id: DEFAULT_DEVICE.user_id, device_id: DEFAULT_DEVICE.device_id, app_version: DEFAULT_DEVICE.app_version, os: DEFAULT_DEVICE.os },
    events,
    health: { queue_depth: events.length, dropped: { invalid_fields: 0 }, evicted: {} },
    ...extra,
  };
}

export const defaultDevice = DEFAULT_DEVICE;
