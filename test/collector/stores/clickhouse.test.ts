// The collector's store on ClickHouse 18.16 (Debian's clickhouse-server), two local shards behind
// a Distributed table: the same numbers as the SQLite store, redeliveries counted once, deletion
// honoured, retention by dropped partitions, and a shard down answered 503 naming the shard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasBinary } from '../../../src/collector/engines/processes.js';
import { createCollector, type Collector } from '../../../src/collector/server.js';
import { SqliteCollectorStore } from '../../../src/collector/sqlite-store.js';
import { ClickHouseCollectorStore } from '../../../src/collector/stores/clickhouse/clickhouse-store.js';
import { envelope, KEY, perf, post } from '../helpers.js';
import { engineDir, eventsOver, startShards, type ShardedClickHouse } from './engines.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.skipIf(!hasBinary('clickhouse-server'))('the ClickHouse store (two shards)', () => {
  let shards: ShardedClickHouse;
  let cleanup: () => void;
  let n = 0;
  /** A fresh database on the same servers for each test. */
  const open = (): Promise<ClickHouseCollectorStore> => ClickHouseCollectorStore.open({ shards: shards.urls, database: `t${++n}`, rollupRefreshMs: 0 });

  beforeAll(async () => {
    const d = engineDir('clickhouse-test');
    cleanup = d.cleanup;
    shards = await startShards(d.dir, 2);
  }, 120_000);
  afterAll(async () => {
    await shards?.stop();
    cleanup?.();
  });

  it('spreads inserts over both shards, reads both, and counts a redelivered event once', async () => {
    const store = await open();
    try {
      const events = eventsOver(Date.UTC(2026, 10, 1), 4, 250);
      expect(await store.ingest(events, Date.now())).toEqual({ accepted: 1000, duplicates: 0 });
      await store.ingest(events.slice(0, 300), Date.now()); // redelivered
      const perShard = await store.rowsPerShard();
      expect(perShard.every((rows) => rows > 300)).toBe(true);
      expect(perShard.reduce((a, b) => a + b, 0)).toBe(1000);
      expect(await store.count()).toBe(1000);
      expect(new Set(await store.ids()).size).toBe(1000);
    } finally {
      await store.close();
    }
  });

  it('builds the same rollups and feature rollups as the SQLite store, redelivery included', async () => {
    const store = await open();
    const sqlite = new SqliteCollectorStore(':memory:');
    try {
      const events = eventsOver(Date.UTC(2026, 10, 2), 6, 120);
      for (let i = 0; i < events.length; i += 200) {
        await store.ingest(events.slice(i, i + 200), 1);
        sqlite.ingest(events.slice(i, i + 200), 1);
      }
      await store.ingest(events.slice(100, 400), 2);
      sqlite.ingest(events.slice(100, 400), 2);
      await store.flushRollups();
      expect(await store.rollups()).toEqual(sqlite.rollups());
      expect(await store.featureRollups()).toEqual(sqlite.db.prepare('SELECT * FROM feature_rollups ORDER BY hour, feature_id, app_version').all());
    } finally {
      await store.close();
      sqlite.close();
    }
  });

  it('honours a deletion: the rows are gone on every shard and the rollups equal SQLite after the same deletion', async () => {
    const store = await open();
    const sqlite = new SqliteCollectorStore(':memory:');
    try {
      const events = eventsOver(Date.UTC(2026, 10, 3), 3, 90, 3);
      await store.ingest(events, 1);
      sqlite.ingest(events, 1);
      await store.flushRollups();
      const gone = events[0]!.event;
      const request = { request_id: 'r-1', user_id: gone.user_id, device_id: gone.device_id, requested_at: 5 };
      const result = await store.forget([request], 5);
      expect(result).toEqual(sqlite.forget([request], 5));
      expect(result.deletedEvents).toBe(90);
      expect(await store.count()).toBe(180);
      expect((await store.rows<{ n: number }>(`SELECT count() AS n FROM ${store.db}.events WHERE user_id = '${gone.user_id}' OR device_id = '${gone.device_id}'`))[0]!.n).toBe(0);
      expect(await store.rollups()).toEqual(sqlite.rollups());
    } finally {
      await store.close();
      sqlite.close();
    }
  });

  it('retention drops expired months of raw events and rollups; the kept window reads the same', async () => {
    const store = await open();
    try {
      const old = eventsOver(Date.UTC(2026, 7, 10), 2, 50);
      const kept = eventsOver(Date.UTC(2026, 10, 10), 2, 50);
      await store.ingest([...old, ...kept], 1);
      await store.flushRollups();
      const keptRollups = (await store.rollups()).filter((r) => r.hour * HOUR >= Date.UTC(2026, 10, 1));
      // 90 days before 2026-12-01: August has wholly expired, November has not.
      const cutoff = Date.UTC(2026, 11, 1) - 90 * DAY;
      expect(await store.pruneBefore(cutoff)).toBe(100);
      expect(await store.pruneRollupsBefore(cutoff)).toBeGreaterThan(0);
      expect(await store.count()).toBe(100);
      expect((await store.ids()).sort()).toEqual(kept.map((e) => e.event.id).sort());
      expect(await store.rollups()).toEqual(keptRollups);
    } finally {
      await store.close();
    }
  });

  it('with a shard down, the collector answers 503 with Retry-After naming the shard; after it is back the batch is stored', async () => {
    const store = await open();
    let collector: Collector | undefined;
    try {
      collector = await createCollector({ apiKeys: [KEY], store });
      const batch = envelope([perf(), perf(), perf()]);
      expect((await post(`${collector.url}/v1/batch`, batch)).status).toBe(200);
      await shards.servers[1]!.kill();
      const next = envelope(Array.from({ length: 20 }, () => perf()));
      const down = await post(`${collector.url}/v1/batch`, next);
      expect(down.status).toBe(503);
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(down.body).toEqual({ error: 'store_unavailable', detail: expect.stringContaining(`clickhouse shard 2 (${shards.urls[1]}) is down`) });
      await shards.restart(1);
      const again = await post(`${collector.url}/v1/batch`, next);
      expect(again.status).toBe(200);
      expect(await store.count()).toBe(23);
    } finally {
      if (collector) await collector.close();
      else await store.close();
    }
  }, 120_000);
});
