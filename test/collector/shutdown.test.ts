// Graceful shutdown: what is in flight finishes and is stored; what arrives after is told to come
// back later (503 + Retry-After); then the port closes.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCollector } from '../../src/collector/server.js';
import { SqliteCollectorStore } from '../../src/collector/sqlite-store.js';
import type { CollectorStore } from '../../src/collector/store.js';
import { envelope, KEY, perf, post, tempDir } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** The real store, whose ingest waits until the test opens the gate: a batch held in flight. */
function gatedStore(): { store: CollectorStore; dbPath: string; entered: Promise<void>; release: () => void } {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const dbPath = join(dir, 'collector.db');
  const real = new SqliteCollectorStore(dbPath);
  let enter!: () => void;
  let release!: () => void;
  const entered = new Promise<void>((r) => (enter = r));
  const gate = new Promise<void>((r) => (release = r));
  const store: CollectorStore = {
    async ingest(events, at) {
      enter();
      await gate;
      return real.ingest(events, at);
    },
    forget: (r, at) => real.forget(r, at),
    recordClientHealth: (d, h, at) => real.recordClientHealth(d, h, at),
    close: () => real.close(),
  };
  return { store, dbPath, entered, release };
}

function storedIds(dbPath: string): string[] {
  const reader = new SqliteCollectorStore(dbPath);
  try {
    return reader.ids();
  } finally {
    reader.close();
  }
}

describe('close()', () => {
  it('lets a batch in flight finish with 200 and its rows stored, then the port refuses', async () => {
    const g = gatedStore();
    const c = await createCollector({ store: g.store, apiKeys: [KEY] });
    const events = [perf(), perf(), perf()];
    const inFlight = post(`${c.url}/v1/batch`, envelope(events));
    await g.entered;
    const closing = c.close();
    let closed = false;
    void closing.then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed, 'close() waits for the batch in flight').toBe(false);
    g.release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    await closing;
    expect(storedIds(g.dbPath)).toEqual(events.map((e) => e.id));
    await expect(fetch(`${c.url}/healthz`)).rejects.toThrow();
    await expect(post(`${c.url}/v1/batch`, envelope([perf()]))).rejects.toThrow();
  });

  it('while draining, answers new batches and /healthz with 503 and Retry-After', async () => {
    const g = gatedStore();
    const c = await createCollector({ store: g.store, apiKeys: [KEY], drainDelayMs: 1000 });
    const inFlight = post(`${c.url}/v1/batch`, envelope([perf()]));
    await g.entered;
    const closing = c.close();

    const health = await fetch(`${c.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false });
    const late = await post(`${c.url}/v1/batch`, envelope([perf()]));
    expect(late.status).toBe(503);
    expect(late.body).toMatchObject({ error: 'shutting_down' });
    expect(Number(late.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    g.release();
    expect((await inFlight).status).toBe(200);
    await closing;
    expect(storedIds(g.dbPath)).toHaveLength(1);
  });

  it('is idempotent', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const c = await createCollector({ dbPath: join(dir, 'c.db'), apiKeys: [KEY] });
    await Promise.all([c.close(), c.close()]);
    await c.close();
  });
});
