// The reader port on the collector's ClickHouse store (docs/FLEET.md): the same questions
// rollup-reader.ts asks SQLite, asked of the Distributed `events` table and the head node's
// rollups. Aggregation stays in ClickHouse; histograms are merged here with the same code as on
// SQLite, so percentiles agree to the bucket.
//
// Deduplication: ReplacingMergeTree collapses a redelivered event only at merge time, so every read
// that counts rows reads `FINAL` (on 18.16 with the sorting key and version columns selected, hence
// the subqueries); reads of distinct values (crashed sessions, active devices) need no FINAL.
// Rollup keys whose events were deleted are rebuilt with count 0, and skipped here.
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import type { EventType } from '../../telemetry/event/schema.js';
import type { Histogram } from '../../telemetry/rollup/histogram.js';
import { FINAL_COLUMNS, quote, READ_SETTINGS, type ClickHouseSpec } from '../../store-schema/clickhouse.js';
import { parse as parsed } from '../groups.js';
import type { MeasureSource } from '../measures.js';
import type { AsyncAnalyzerReader, ErrorRow, FeatureRow, FeatureTotal, Marker, MarkerKind, NameTotal, SessionEnd, Slice } from '../reader.js';
import { mergeHistogramRows } from '../rollup-reader.js';
import { DAY_MS, HOUR_MS } from '../time.js';

/** A report's reads take well under a second each at 10M events; this is for a loaded machine. */
const QUERY_TIMEOUT_MS = 120_000;

const MARKER_WHERE: Record<MarkerKind, string> = {
  crash: "event_type = 'crash'",
  error: "event_type = 'error'",
  start: "name = 'session.start'",
};

/** The ClickHouse store cannot be read: unreachable, or not a telemetry store. */
export class ClickHouseReaderError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ClickHouseReaderError';
  }
}

export class ClickHouseReader implements AsyncAnalyzerReader {
  private constructor(
    private readonly client: ClickHouseClient,
    readonly spec: ClickHouseSpec,
  ) {}

  /** Connects to the head node and checks it holds the store's tables; throws a
   *  ClickHouseReaderError naming the server otherwise. */
  static async open(spec: ClickHouseSpec): Promise<ClickHouseReader> {
    const url = spec.shards[0];
    if (url === undefined) throw new ClickHouseReaderError('clickhouse: at least one server URL is required');
    const client = createClient({ url, request_timeout: QUERY_TIMEOUT_MS, clickhouse_settings: READ_SETTINGS, log: { level: ClickHouseLogLevel.OFF } });
    const reader = new ClickHouseReader(client, spec);
    try {
      const ping = await client.ping();
      if (!ping.success) throw new ClickHouseReaderError(`ClickHouse at ${url} is unreachable: ${String(ping.error.message)}`);
      const tables = new Set((await reader.rows<{ name: string }>(`SELECT name FROM system.tables WHERE database = ${quote(spec.database)}`)).map((r) => r.name));
      const missing = ['events', 'rollups', 'feature_rollups'].filter((t) => !tables.has(t));
      if (missing.length > 0) throw new ClickHouseReaderError(`ClickHouse at ${url}: database ${spec.database} is not a telemetry store (no ${missing.join(', ')} table)`);
    } catch (e) {
      await client.close();
      throw e instanceof ClickHouseReaderError ? e : new ClickHouseReaderError(`ClickHouse at ${url}: ${(e as Error).message}`, { cause: e });
    }
    return reader;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private async rows<T>(query: string): Promise<T[]> {
    const r = await this.client.query({ query, format: 'JSONEachRow' });
    return (await r.json()) as T[];
  }

  private get db(): string {
    return this.spec.database;
  }

  // ---- rollups -----------------------------------------------------------------------------------

  /** The latest build of each rollup key in the slice's hours (every version of a key has the same
   *  hour and version, so filtering inside FINAL is safe), empty keys still in. */
  private rollups(s: Slice, table: 'rollups' | 'feature_rollups' = 'rollups'): string {
    const version = s.version === null ? '' : ` AND app_version = ${quote(s.version)}`;
    return `(SELECT * FROM ${this.db}.${table} FINAL WHERE hour BETWEEN ${s.window.fromHour} AND ${s.window.toHour}${version})`;
  }

  async totals(s: Slice, types?: readonly EventType[]): Promise<NameTotal[]> {
    const typeSql = types ? ` AND event_type IN (${types.map(quote).join(', ')})` : '';
    const rows = await this.rows<{ event_type: EventType; name: string; app_version: string; n: number; m: number; total: number }>(
      `SELECT event_type, name, app_version, sum(count) AS n, sum(measured) AS m, sum(sum) AS total FROM ${this.rollups(s)} WHERE count > 0${typeSql} GROUP BY event_type, name, app_version ORDER BY event_type, name, app_version`,
    );
    return rows.map((r) => ({ type: r.event_type, name: r.name, version: r.app_version, count: r.n, measured: r.m, sum: r.total }));
  }

  async countsByBucket(s: Slice, bucketMs: number): Promise<{ bucket: number; type: EventType; count: number }[]> {
    const per = Math.round(bucketMs / HOUR_MS);
    const rows = await this.rows<{ b: number; event_type: EventType; n: number }>(`SELECT intDiv(hour, ${per}) AS b, event_type, sum(count) AS n FROM ${this.rollups(s)} WHERE count > 0 GROUP BY b, event_type ORDER BY b, event_type`);
    return rows.map((r) => ({ bucket: r.b, type: r.event_type, count: r.n }));
  }

  async versions(s: Slice): Promise<string[]> {
    const rows = await this.rows<{ app_version: string }>(`SELECT DISTINCT app_version FROM ${this.rollups({ window: s.window, version: null })} WHERE count > 0`);
    return rows.map((r) => r.app_version);
  }

  async histograms(s: Slice, sources: readonly MeasureSource[], bucketMs = 0): Promise<Map<string, Map<number, Histogram>>> {
    if (sources.length === 0) return new Map();
    const types = [...new Set(sources.map((x) => x.type))].map(quote).join(', ');
    const names = [...new Set(sources.map((x) => x.name))].map(quote).join(', ');
    const rows = await this.rows<{ hour: number; event_type: string; name: string; hist: string }>(
      `SELECT hour, event_type, name, hist FROM ${this.rollups(s)} WHERE count > 0 AND hist IS NOT NULL AND event_type IN (${types}) AND name IN (${names}) ORDER BY hour`,
    );
    return mergeHistogramRows(
      rows.map((r): [number, string, string, string] => [r.hour, r.event_type, r.name, r.hist]),
      sources,
      bucketMs,
    );
  }

  async features(s: Slice): Promise<FeatureTotal[]> {
    const rows = await this.rows<{ feature_id: string; u: number; sec: number; i: number }>(
      `SELECT feature_id, sum(uses) AS u, sum(seconds) AS sec, sum(interactions) AS i FROM ${this.rollups(s, 'feature_rollups')} WHERE uses > 0 GROUP BY feature_id ORDER BY feature_id`,
    );
    return rows.map((r) => ({ feature: r.feature_id, uses: r.u, seconds: r.sec, interactions: r.i }));
  }

  // ---- raw rows ----------------------------------------------------------------------------------

  private range(s: Slice): string {
    return `ts >= ${s.window.from} AND ts < ${s.window.to}${s.version === null ? '' : ` AND app_version = ${quote(s.version)}`}`;
  }

  /** Each stored event once (FINAL), with the columns asked for. */
  private events(columns: readonly string[], where: string): string {
    const inner = [...new Set([...columns, ...FINAL_COLUMNS.split(', ')])].join(', ');
    return `(SELECT ${inner} FROM ${this.db}.events FINAL WHERE ${where})`;
  }

  async markers(kind: MarkerKind, s: Slice): Promise<Marker[]> {
    const cols = ['ts', 'app_version', 'session_id', 'device_id', 'user_id'];
    const rows = await this.rows<{ ts: number; app_version: string; session_id: string; device_id: string; user_id: string }>(
      `SELECT ${cols.join(', ')} FROM ${this.events(cols, `${MARKER_WHERE[kind]} AND ${this.range(s)}`)} ORDER BY ${cols.join(', ')}`,
    );
    return rows.map((r) => ({ ts: r.ts, version: r.app_version, session: r.session_id, device: r.device_id, user: r.user_id }));
  }

  async sessionEnds(s: Slice): Promise<SessionEnd[]> {
    const cols = ['ts', 'app_version', 'session_id', 'device_id', 'user_id', 'payload'];
    const rows = await this.rows<{ ts: number; app_version: string; session_id: string; device_id: string; user_id: string; payload: string }>(
      `SELECT ${cols.join(', ')} FROM ${this.events(cols, `name = 'session.end' AND ${this.range(s)}`)} ORDER BY ts, app_version, session_id, device_id`,
    );
    return rows.map((r) => {
      const context = field(r.payload, 'context');
      const d = typeof context === 'object' && context !== null ? (context as Record<string, unknown>).duration_ms : undefined;
      return { ts: r.ts, version: r.app_version, session: r.session_id, device: r.device_id, user: r.user_id, durationMs: typeof d === 'number' && Number.isFinite(d) && d >= 0 ? d : null };
    });
  }

  async crashedSessionsByVersion(s: Slice): Promise<Map<string, number>> {
    const rows = await this.rows<{ app_version: string; n: number }>(`SELECT app_version, uniqExact(session_id) AS n FROM ${this.db}.events WHERE event_type = 'crash' AND ${this.range(s)} GROUP BY app_version`);
    return new Map(rows.map((r) => [r.app_version, r.n]));
  }

  async errorRows(kind: 'error' | 'crash', s: Slice): Promise<ErrorRow[]> {
    const cols = ['ts', 'name', 'app_version', 'os', 'device_id', 'session_id', 'payload'];
    const rows = await this.rows<{ ts: number; name: string; app_version: string; os: string; device_id: string; session_id: string; payload: string }>(
      `SELECT ${cols.join(', ')} FROM ${this.events(cols, `event_type = ${quote(kind)} AND ${this.range(s)}`)} ORDER BY ts, id`,
    );
    return rows.map((r) => ({ ts: r.ts, name: r.name, version: r.app_version, os: r.os, device: r.device_id, session: r.session_id, payload: r.payload }));
  }

  async featureRows(s: Slice): Promise<FeatureRow[]> {
    const cols = ['device_id', 'ts', 'app_version', 'payload'];
    const rows = await this.rows<{ device_id: string; ts: number; app_version: string; payload: string }>(`SELECT ${cols.join(', ')} FROM ${this.events(cols, `event_type = 'feature' AND ${this.range(s)}`)} ORDER BY ts, id`);
    return rows.map((r) => {
      const p = parsed(r.payload);
      return { device: r.device_id, ts: r.ts, version: r.app_version, feature: p.feature_id ?? null, seconds: p.duration_seconds ?? null };
    });
  }

  async deviceDays(from: number, to: number, version: string | null): Promise<[number, string][]> {
    // One row per day with its devices: a third of the time of one row per pair (1M events: 140
    // against 300 ms), most of which is moving and parsing rows.
    const rows = await this.rows<{ d: number; devices: string[] }>(
      `SELECT d, groupUniqArray(device_id) AS devices FROM ${this.db}.events WHERE ${this.range({ window: { from, to, fromHour: 0, toHour: 0 }, version })} GROUP BY intDiv(ts, ${DAY_MS}) AS d`,
    );
    return rows.flatMap((r) => r.devices.map((device): [number, string] => [r.d, device]));
  }

  async errorsByFeature(s: Slice): Promise<Map<string, number>> {
    const rows = await this.rows<{ payload: string }>(`SELECT payload FROM ${this.events(['payload'], `event_type IN ('error', 'crash') AND ${this.range({ window: s.window, version: null })}`)}`);
    const out = new Map<string, number>();
    for (const r of rows) {
      const f = field(r.payload, 'feature_id');
      if (typeof f === 'string') out.set(f, (out.get(f) ?? 0) + 1);
    }
    return out;
  }
}

function field(payload: string, name: string): unknown {
  return parsed(payload)[name];
}
