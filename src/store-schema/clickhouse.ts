// The ClickHouse tables of the fleet store (docs/FLEET.md) and how to name and query them: shared
// by the collector, which creates and writes them (src/collector/stores/clickhouse), and the
// analyzer, which reads them (src/analyzer/readers/clickhouse-reader.ts); neither imports the other.
// ClickHouse 18.16 (Debian's): no DateTime64 (times are UInt64 ms, as in SQLite), no
// LowCardinality without an experimental flag, no mutations_sync, no server-side query parameters.
// Each shard holds `events_local`; the node the collector talks to also holds the Distributed
// `events` over every shard and the small tables (rollups, health, log).

export const DEFAULT_DATABASE = 'telemetry';
export const DEFAULT_CLUSTER = 'fleet';

/** Every query reads UInt64 as JSON numbers (18.16 quotes them by default). */
export const READ_SETTINGS = { output_format_json_quote_64bit_integers: 0 } as const;

/** A value as a ClickHouse string literal (18.16 has no server-side query parameters). */
export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** FINAL over a Distributed table on 18.16 needs the sorting key and version columns selected
 *  ("Cannot find column ... in source stream" otherwise). */
export const FINAL_COLUMNS = 'event_type, name, id, received_at';

export interface ClickHouseSpec {
  /** HTTP URLs, the first being the node that holds the Distributed table and the rollups. */
  shards: string[];
  database: string;
  cluster: string;
}

export const CLICKHOUSE_SPEC_FORM = 'clickhouse://host:port[,host:port...][/database][?cluster=name]';

/** `clickhouse://host:port[,host:port...][/database][?cluster=name]` (ports are HTTP ports);
 *  throws an Error saying what is wrong. */
export function parseClickHouseSpec(spec: string): ClickHouseSpec {
  const m = /^clickhouse:\/\/([^/?]+)(?:\/([A-Za-z_][A-Za-z0-9_]*))?(?:\?cluster=([A-Za-z_][A-Za-z0-9_]*))?$/.exec(spec);
  if (m === null) throw new Error(`--store ${spec}: expected ${CLICKHOUSE_SPEC_FORM}`);
  const shards = m[1]!.split(',').map((h) => {
    if (!/^[A-Za-z0-9.-]+:\d+$/.test(h)) throw new Error(`--store: "${h}" is not host:port`);
    return `http://${h}`;
  });
  return { shards, database: m[2] ?? DEFAULT_DATABASE, cluster: m[3] ?? DEFAULT_CLUSTER };
}

/** Raw events, one row per event id. ReplacingMergeTree: a redelivered event (same id, so same
 *  shard and same sorting key) is collapsed at merge time, and every query reads with FINAL, so
 *  it counts once before that. Sorted by (type, name, id): ids are UUIDv7, so within a name the
 *  rows are in time order too. Monthly partitions make retention a DROP PARTITION. */
export const EVENTS_LOCAL = (db: string): string => `CREATE TABLE IF NOT EXISTS ${db}.events_local (
  id String,
  event_type String,
  category String,
  name String,
  ts UInt64,
  client_ts Nullable(UInt64),
  session_id String,
  user_id String,
  app_version String,
  os String,
  device_id String,
  seq UInt64,
  payload String,
  received_at UInt64
) ENGINE = ReplacingMergeTree(received_at)
PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000)))
ORDER BY (event_type, name, id)`;

/** Inserts spread over the shards by the id's hash: a redelivered event lands where it was. */
export const EVENTS_DISTRIBUTED = (db: string, cluster: string): string =>
  `CREATE TABLE IF NOT EXISTS ${db}.events AS ${db}.events_local ENGINE = Distributed(${cluster}, ${db}, events_local, sipHash64(id))`;

/** The same rows as SQLite's rollups (hour x type x name x version, the same mergeable histogram
 *  JSON), rebuilt per hour from the raw rows: `built_at` picks the latest build of a key, and a
 *  key that no longer has events is rebuilt as count 0 (readers skip those). */
export const ROLLUPS = (db: string): string => `CREATE TABLE IF NOT EXISTS ${db}.rollups (
  hour UInt32,
  event_type String,
  name String,
  app_version String,
  count UInt64,
  measured UInt64,
  sum Float64,
  min Nullable(Float64),
  max Nullable(Float64),
  hist Nullable(String),
  built_at UInt64
) ENGINE = ReplacingMergeTree(built_at)
PARTITION BY toYYYYMM(toDateTime(hour * 3600))
ORDER BY (hour, event_type, name, app_version)`;

export const FEATURE_ROLLUPS = (db: string): string => `CREATE TABLE IF NOT EXISTS ${db}.feature_rollups (
  hour UInt32,
  feature_id String,
  app_version String,
  uses UInt64,
  seconds Float64,
  interactions UInt64,
  built_at UInt64
) ENGINE = ReplacingMergeTree(built_at)
PARTITION BY toYYYYMM(toDateTime(hour * 3600))
ORDER BY (hour, feature_id, app_version)`;

export const CLIENT_HEALTH = (db: string): string => `CREATE TABLE IF NOT EXISTS ${db}.client_health (
  device_id String,
  reported_at UInt64,
  health String
) ENGINE = ReplacingMergeTree(reported_at) ORDER BY device_id`;

/** That a deletion request was carried out and how much it deleted; never the ids it named. */
export const DELETIONS_LOG = (db: string): string => `CREATE TABLE IF NOT EXISTS ${db}.deletions_log (
  request_id String,
  done_at UInt64,
  deleted_events UInt64
) ENGINE = MergeTree() ORDER BY (request_id, done_at)`;
