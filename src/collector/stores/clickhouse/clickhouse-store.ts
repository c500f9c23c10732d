// The collector's store on ClickHouse (docs/FLEET.md): events in a ReplacingMergeTree per shard
// behind one Distributed table, rollups with the same mergeable histograms as SQLite (folded by
// the same RollupWriter), deletions as mutations followed by a rebuild of the hours they touched,
// retention by dropping monthly partitions. Implements the same port as SqliteCollectorStore.
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import Database from 'better-sqlite3';
import { CATEGORY_OF, measureOf, type EventType } from '../../../telemetry/event/schema.js';
import { HOUR_MS, RollupWriter, type RollupInput } from '../../../telemetry/rollup/rollup-writer.js';
import type { RollupRow } from '../../../telemetry/store/event-store.js';
import { migrate, readMigrations } from '../../../telemetry/store/migrate.js';
import { COLLECTOR_MIGRATIONS_DIR } from '../../sqlite-store.js';
import { StoreUnavailableError, type CollectorStore, type DeletionRequest, type ForgetResult, type IngestEvent, type IngestResult } from '../../store.js';
import { CLIENT_HEALTH, DELETIONS_LOG, EVENTS_DISTRIBUTED, EVENTS_LOCAL, FEATURE_ROLLUPS, ROLLUPS } from './schema.js';
import { DEFAULT_CLUSTER, DEFAULT_DATABASE, FINAL_COLUMNS, quote, READ_SETTINGS } from '../../../store-schema/clickhouse.js';

export { quote };

export interface ClickHouseStoreOptions {
  /** The HTTP URL of every shard (e.g. `http://127.0.0.1:8123`); the first is the node this
   *  collector talks to, which also holds the Distributed table and the rollups. Each server's
   *  config must list the same shards, in this order, as the cluster `cluster`. */
  shards: readonly string[];
  /** Default `telemetry`. */
  database?: string;
  /** The `<remote_servers>` name. Default `fleet`. */
  cluster?: string;
  /** How often hours that received events get their rollups rebuilt. Default 5 s; 0 = only on
   *  flushRollups() (and close()). */
  rollupRefreshMs?: number;
}

const DEFAULT_ROLLUP_REFRESH_MS = 5_000;
/** Mutations (ALTER ... DELETE) run in the background on 18.16 (no mutations_sync): poll this often. */
const MUTATION_POLL_MS = 20;
/** A mutation not done after this is reported as a failure (the request is retried by the device). */
const MUTATION_TIMEOUT_MS = 120_000;
/** What a down shard's 503 asks the device to wait. */
const SHARD_DOWN_RETRY_AFTER_S = 10;
const REBUILD_HOURS_PER_READ = 24;
/** Rows in one grouped insert: ~20 device batches, a few MB of JSON. */
const MAX_GROUP_ROWS = 10_000;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface EventRowCH {
  id: string;
  event_type: EventType;
  category: string;
  name: string;
  ts: number;
  client_ts: number | null;
  session_id: string;
  user_id: string;
  app_version: string;
  os: string;
  device_id: string;
  seq: number;
  payload: string;
  received_at: number;
}

export class ClickHouseCollectorStore implements CollectorStore {
  readonly db: string;
  private readonly clients: ClickHouseClient[];
  private readonly dirtyHours = new Set<number>();
  private refreshTimer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> = Promise.resolve();
  private lastBuild = 0;
  private readonly waiting: { rows: EventRowCH[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  private inserting = false;
  /** Where the rollups are folded: an in-memory SQLite with the collector's schema, so the very
   *  RollupWriter (and histogram) of the SQLite store builds them. */
  private readonly fold = new Database(':memory:');

  private constructor(
    readonly options: ClickHouseStoreOptions,
    readonly cluster: string,
  ) {
    this.db = options.database ?? DEFAULT_DATABASE;
    this.clients = options.shards.map((url) => createClient({ url, request_timeout: 60_000, clickhouse_settings: READ_SETTINGS, log: { level: ClickHouseLogLevel.OFF } }));
    migrate(this.fold, readMigrations(COLLECTOR_MIGRATIONS_DIR));
  }

  /** Connects, creates the database and tables where missing, and starts the rollup refresher.
   *  Throws a clear error naming the shard that cannot be reached. */
  static async open(options: ClickHouseStoreOptions): Promise<ClickHouseCollectorStore> {
    if (options.shards.length === 0) throw new Error('clickhouse store: at least one shard URL is required');
    const database = options.database ?? DEFAULT_DATABASE;
    const cluster = options.cluster ?? DEFAULT_CLUSTER;
    if (!NAME.test(database) || !NAME.test(cluster)) throw new Error('clickhouse store: database and cluster must be identifiers');
    const store = new ClickHouseCollectorStore(options, cluster);
    try {
      for (const [i, c] of store.clients.entries()) {
        const ping = await c.ping();
        if (!ping.success) throw new Error(`clickhouse shard ${i + 1} (${options.shards[i]}) is unreachable: ${String(ping.error.message)}`);
        await c.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
        await c.command({ query: EVENTS_LOCAL(database) });
      }
      const head = store.clients[0]!;
      for (const ddl of [EVENTS_DISTRIBUTED(database, cluster), ROLLUPS(database), FEATURE_ROLLUPS(database), CLIENT_HEALTH(database), DELETIONS_LOG(database)]) await head.command({ query: ddl });
    } catch (e) {
      await store.close();
      throw e;
    }
    const every = options.rollupRefreshMs ?? DEFAULT_ROLLUP_REFRESH_MS;
    if (every > 0) {
      store.refreshTimer = setInterval(() => void store.flushRollups().catch(() => undefined), every);
      store.refreshTimer.unref();
    }
    return store;
  }

  private get head(): ClickHouseClient {
    return this.clients[0]!;
  }

  async ingest(events: readonly IngestEvent[], receivedAt: number): Promise<IngestResult> {
    const seen = new Set<string>();
    const rows: EventRowCH[] = [];
    for (const { event, ts, clientTs } of events) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      const { id, event_type, name, timestamp: _t, session_id, user_id, app_version, os, device_id, seq, ...fields } = event;
      rows.push({ id, event_type, category: CATEGORY_OF[event_type], name, ts, client_ts: clientTs, session_id, user_id, app_version, os, device_id, seq, payload: JSON.stringify(fields), received_at: receivedAt });
    }
    if (rows.length > 0) {
      await this.insertGrouped(rows);
      for (const r of rows) this.dirtyHours.add(Math.floor(r.ts / HOUR_MS));
    }
    // Redelivered events are stored again and collapsed by ReplacingMergeTree (every read uses
    // FINAL), so only repeats inside this batch are known to be duplicates here.
    return { accepted: rows.length, duplicates: events.length - rows.length };
  }

  /** Group commit: batches that arrive while an insert is on its way go together in the next one
   *  (ClickHouse wants few large inserts: each makes a part on every shard). Each caller's promise
   *  settles with the insert that carried its rows. */
  private insertGrouped(rows: EventRowCH[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      if (!this.inserting) void this.insertLoop();
    });
  }

  private async insertLoop(): Promise<void> {
    this.inserting = true;
    while (this.waiting.length > 0) {
      const group: typeof this.waiting = [];
      let n = 0;
      while (this.waiting.length > 0 && n < MAX_GROUP_ROWS) {
        const w = this.waiting.shift()!;
        group.push(w);
        n += w.rows.length;
      }
      try {
        // Synchronous through the Distributed table: answered only once every shard has its rows.
        await this.head.insert({ table: `${this.db}.events`, values: group.flatMap((w) => w.rows), format: 'JSONEachRow', clickhouse_settings: { insert_distributed_sync: 1 } });
        for (const w of group) w.resolve();
      } catch (e) {
        const err = await this.unavailable(e);
        for (const w of group) w.reject(err);
      }
    }
    this.inserting = false;
  }

  /** The error to answer with when a write failed: names each shard that does not answer a ping. */
  private async unavailable(e: unknown): Promise<Error> {
    const down: string[] = [];
    await Promise.all(
      this.clients.map(async (c, i) => {
        const ping = await c.ping().catch(() => ({ success: false }) as const);
        if (!ping.success) down.push(`clickhouse shard ${i + 1} (${this.options.shards[i]}) is down`);
      }),
    );
    if (down.length > 0) return new StoreUnavailableError(down.sort().join(', '), SHARD_DOWN_RETRY_AFTER_S);
    return e instanceof Error ? e : new Error(String(e));
  }

  async forget(requests: readonly DeletionRequest[], at: number): Promise<ForgetResult> {
    if (requests.length === 0) return { done: [], deletedEvents: 0 };
    const users = requests.map((r) => quote(r.user_id)).join(', ');
    const devices = requests.map((r) => quote(r.device_id)).join(', ');
    const where = `user_id IN (${users}) OR device_id IN (${devices})`;
    const [counted] = await this.rows<{ n: number }>(`SELECT count() AS n FROM ${this.db}.events FINAL WHERE ${where}`);
    const hours = (await this.rows<{ hour: number }>(`SELECT DISTINCT intDiv(ts, ${HOUR_MS}) AS hour FROM ${this.db}.events WHERE ${where}`)).map((r) => r.hour);
    try {
      await Promise.all(this.clients.map((c) => this.mutate(c, 'events_local', where)));
      await this.mutate(this.head, 'client_health', `device_id IN (${devices})`);
    } catch (e) {
      throw await this.unavailable(e);
    }
    const deletedEvents = counted?.n ?? 0;
    // The count is of the whole call; each request is logged with it (a request names no other).
    await this.head.insert({ table: `${this.db}.deletions_log`, values: requests.map((r) => ({ request_id: r.request_id, done_at: at, deleted_events: deletedEvents })), format: 'JSONEachRow' });
    await this.rebuildRollups(hours);
    return { done: requests.map((r) => r.request_id), deletedEvents };
  }

  /** Runs ALTER TABLE ... DELETE and waits until ClickHouse has applied it. */
  private async mutate(c: ClickHouseClient, table: string, where: string): Promise<void> {
    await c.command({ query: `ALTER TABLE ${this.db}.${table} DELETE WHERE ${where}` });
    const deadline = Date.now() + MUTATION_TIMEOUT_MS;
    for (;;) {
      const r = await c.query({ query: `SELECT count() AS n FROM system.mutations WHERE database = ${quote(this.db)} AND table = ${quote(table)} AND is_done = 0`, format: 'JSONEachRow' });
      const [{ n }] = (await r.json()) as [{ n: number }];
      if (n === 0) return;
      if (Date.now() > deadline) throw new Error(`clickhouse: the deletion on ${table} did not finish within ${MUTATION_TIMEOUT_MS / 1000} s`);
      await new Promise((res) => setTimeout(res, MUTATION_POLL_MS));
    }
  }

  async recordClientHealth(deviceId: string, health: unknown, at: number): Promise<void> {
    await this.head.insert({ table: `${this.db}.client_health`, values: [{ device_id: deviceId, reported_at: at, health: JSON.stringify(health) }], format: 'JSONEachRow' });
  }

  async latestClientHealth(deviceId: string): Promise<unknown> {
    const [row] = await this.rows<{ health: string }>(`SELECT health FROM ${this.db}.client_health FINAL WHERE device_id = ${quote(deviceId)}`);
    return row === undefined ? undefined : (JSON.parse(row.health) as unknown);
  }

  /** Retention: drops every monthly partition whose whole month ended before `before`. */
  async pruneBefore(before: number): Promise<number> {
    let dropped = 0;
    for (const c of this.clients) dropped += await this.dropPartitions(c, 'events_local', before);
    return dropped;
  }

  async pruneRollupsBefore(before: number): Promise<number> {
    await this.dropPartitions(this.head, 'feature_rollups', before);
    return this.dropPartitions(this.head, 'rollups', before);
  }

  private async dropPartitions(c: ClickHouseClient, table: string, before: number): Promise<number> {
    const r = await c.query({ query: `SELECT partition, sum(rows) AS rows FROM system.parts WHERE database = ${quote(this.db)} AND table = ${quote(table)} AND active GROUP BY partition`, format: 'JSONEachRow' });
    let dropped = 0;
    for (const { partition, rows } of (await r.json()) as { partition: string; rows: number }[]) {
      const yyyymm = Number(partition);
      const monthEnd = Date.UTC(Math.floor(yyyymm / 100), yyyymm % 100, 1); // month index = next month
      if (!(monthEnd <= before)) continue;
      await c.command({ query: `ALTER TABLE ${this.db}.${table} DROP PARTITION ${yyyymm}` });
      dropped += rows;
    }
    return dropped;
  }

  /** Rebuilds the rollups of every hour that received events since the last refresh. */
  flushRollups(): Promise<void> {
    const next = this.refreshing.then(async () => {
      const hours = [...this.dirtyHours];
      this.dirtyHours.clear();
      try {
        await this.rebuildRollups(hours);
      } catch (e) {
        for (const h of hours) this.dirtyHours.add(h);
        throw e;
      }
    });
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  /** Folds the hours' remaining raw rows (FINAL: each id once) with the shared RollupWriter and
   *  writes them as the newest build; keys that lost all their events are written as count 0. */
  private async rebuildRollups(hours: readonly number[]): Promise<void> {
    // A day of hours per read keeps the rows in memory bounded (~14k events an hour at 10M/month).
    const sorted = [...hours].sort((a, b) => a - b);
    for (let i = 0; i < sorted.length; i += REBUILD_HOURS_PER_READ) await this.rebuildHours(sorted.slice(i, i + REBUILD_HOURS_PER_READ));
  }

  private async rebuildHours(hours: readonly number[]): Promise<void> {
    if (hours.length === 0) return;
    // The build's version is taken before it reads: a build that read later always wins.
    const builtAt = (this.lastBuild = Math.max(Date.now() * 1000, this.lastBuild + 1));
    const inList = hours.join(', ');
    const events = await this.rows<{ ts: number; event_type: EventType; name: string; app_version: string; payload: string }>(
      `SELECT ts, app_version, payload, ${FINAL_COLUMNS} FROM ${this.db}.events FINAL WHERE intDiv(ts, ${HOUR_MS}) IN (${inList})`,
    );
    this.fold.exec('DELETE FROM rollups; DELETE FROM feature_rollups;');
    const writer = new RollupWriter(this.fold);
    this.fold.transaction(() =>
      writer.fold(
        events.map((e): RollupInput => {
          const fields = JSON.parse(e.payload) as Record<string, unknown>;
          return { ts: e.ts, type: e.event_type, name: e.name, appVersion: e.app_version, measure: measureOf(e.event_type, fields), fields };
        }),
      ),
    )();
    const rollups = (this.fold.prepare('SELECT * FROM rollups').all() as RollupRow[]).map((r) => ({ ...r, built_at: builtAt }));
    const features = (this.fold.prepare('SELECT * FROM feature_rollups').all() as { hour: number; feature_id: string; app_version: string }[]).map((r) => ({ ...r, built_at: builtAt }));
    const key = (r: { hour: number; event_type: string; name: string; app_version: string }): string => `${r.hour}\u0000${r.event_type}\u0000${r.name}\u0000${r.app_version}`;
    const fkey = (r: { hour: number; feature_id: string; app_version: string }): string => `${r.hour}\u0000${r.feature_id}\u0000${r.app_version}`;
    const have = new Set(rollups.map(key));
    const fhave = new Set(features.map(fkey));
    for (const old of await this.rows<{ hour: number; event_type: EventType; name: string; app_version: string }>(`SELECT hour, event_type, name, app_version FROM ${this.db}.rollups FINAL WHERE hour IN (${inList}) AND count > 0`)) {
      if (!have.has(key(old))) rollups.push({ ...old, count: 0, measured: 0, sum: 0, min: null, max: null, hist: null, built_at: builtAt });
    }
    for (const old of await this.rows<{ hour: number; feature_id: string; app_version: string }>(`SELECT hour, feature_id, app_version FROM ${this.db}.feature_rollups FINAL WHERE hour IN (${inList}) AND uses > 0`)) {
      if (!fhave.has(fkey(old))) features.push({ ...old, uses: 0, seconds: 0, interactions: 0, built_at: builtAt } as (typeof features)[number]);
    }
    if (rollups.length > 0) await this.head.insert({ table: `${this.db}.rollups`, values: rollups, format: 'JSONEachRow' });
    if (features.length > 0) await this.head.insert({ table: `${this.db}.feature_rollups`, values: features, format: 'JSONEachRow' });
  }

  async close(): Promise<void> {
    if (this.refreshTimer !== null) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    await this.flushRollups().catch(() => undefined);
    await Promise.all(this.clients.map((c) => c.close()));
    if (this.fold.open) this.fold.close();
  }

  // ---- reading back (tests, tools, the benchmark) -------------------------------------------------

  async rows<T>(query: string): Promise<T[]> {
    const r = await this.head.query({ query, format: 'JSONEachRow' });
    return (await r.json()) as T[];
  }

  /** Distinct stored events (each id once, whatever was redelivered). */
  async count(): Promise<number> {
    const [r] = await this.rows<{ n: number }>(`SELECT count() AS n FROM ${this.db}.events FINAL`);
    return r?.n ?? 0;
  }

  /** Stored rows per shard (before merges collapse redeliveries). */
  async rowsPerShard(): Promise<number[]> {
    return Promise.all(
      this.clients.map(async (c) => {
        const r = await c.query({ query: `SELECT count() AS n FROM ${this.db}.events_local FINAL`, format: 'JSONEachRow' });
        return ((await r.json()) as [{ n: number }])[0].n;
      }),
    );
  }

  async ids(): Promise<string[]> {
    return (await this.rows<{ id: string }>(`SELECT id, ${FINAL_COLUMNS} FROM ${this.db}.events FINAL ORDER BY id`)).map((r) => r.id);
  }

  /** The rollups as SQLite's rows (latest build of each key, empty keys left out). */
  async rollups(): Promise<RollupRow[]> {
    return this.rows<RollupRow>(
      `SELECT hour, event_type, name, app_version, count, measured, sum, min, max, hist FROM ${this.db}.rollups FINAL WHERE count > 0 ORDER BY hour, event_type, name, app_version`,
    );
  }

  async featureRollups(): Promise<{ hour: number; feature_id: string; app_version: string; uses: number; seconds: number; interactions: number }[]> {
    return this.rows(`SELECT hour, feature_id, app_version, uses, seconds, interactions FROM ${this.db}.feature_rollups FINAL WHERE uses > 0 ORDER BY hour, feature_id, app_version`);
  }
}
