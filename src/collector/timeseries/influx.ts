// InfluxDB 1.6 as a time-series target (the seed's TSDB; npm `influx` 5.12 for its schema):
// database `telemetry`, retention policy `raw` (30 days, the default) for the points and
// `rollups` (2 years) filled hourly by a continuous query, which re-samples the last 2 hours so
// late points are counted too. Writes are plain line protocol to /write.
import { InfluxDB } from 'influx';
import type { LineProtocolTarget } from './sink.js';
import { MEASUREMENT } from './line-protocol.js';

export interface InfluxRetention {
  rawDays: number;
  rollupDays: number;
}

export const DEFAULT_INFLUX_RETENTION: InfluxRetention = { rawDays: 30, rollupDays: 730 };
const DATABASE = 'telemetry';
/** What the continuous query writes into the rollups policy. */
export const HOURLY_MEASUREMENT = 'telemetry_hourly';

export class InfluxTarget implements LineProtocolTarget {
  readonly name = 'influxdb';
  private constructor(
    readonly url: string,
    readonly database: string,
  ) {}

  /** Creates the database, its retention policies and continuous query where missing. */
  static async open(url: string, retention: InfluxRetention = DEFAULT_INFLUX_RETENTION, database = DATABASE): Promise<InfluxTarget> {
    const u = new URL(url);
    const influx = new InfluxDB({ host: u.hostname, port: Number(u.port), protocol: u.protocol === 'https:' ? 'https' : 'http', database });
    try {
      await influx.ping(2_000).then((hosts) => {
        if (!hosts.some((h) => h.online)) throw new Error('no answer to /ping');
      });
      await influx.createDatabase(database);
      const existing = new Set((await influx.showRetentionPolicies(database)).map((p) => p.name));
      const raw = { duration: `${retention.rawDays}d`, replication: 1, isDefault: true, database };
      const rollups = { duration: `${retention.rollupDays}d`, replication: 1, database };
      await (existing.has('raw') ? influx.alterRetentionPolicy('raw', raw) : influx.createRetentionPolicy('raw', raw));
      await (existing.has('rollups') ? influx.alterRetentionPolicy('rollups', rollups) : influx.createRetentionPolicy('rollups', rollups));
      const cqs = await influx.showContinousQueries(database);
      if (!cqs.some((q) => q.name === 'telemetry_hourly')) {
        await influx.createContinuousQuery(
          'telemetry_hourly',
          `SELECT sum("count") AS "count", mean("value") AS "mean", max("value") AS "max" INTO "${database}"."rollups"."${HOURLY_MEASUREMENT}" FROM "${database}"."raw"."${MEASUREMENT}" GROUP BY time(1h), *`,
          database,
          'RESAMPLE EVERY 1h FOR 2h',
        );
      }
    } catch (e) {
      throw new Error(`cannot use InfluxDB at ${url}: ${(e as Error).message}`, { cause: e });
    }
    return new InfluxTarget(url, database);
  }

  async write(lines: string): Promise<{ refused: number }> {
    const res = await fetch(`${this.url}/write?db=${this.database}&rp=raw&precision=ns`, { method: 'POST', body: lines });
    if (res.status === 204) return { refused: 0 };
    const text = await res.text();
    // Points older than the retention policy: a partial write, the rest was stored.
    const m = /dropped=(\d+)/.exec(text);
    if (res.status === 400 && m !== null) return { refused: Number(m[1]) };
    throw new Error(`influxdb /write answered ${res.status}: ${text.slice(0, 200)}`);
  }

  /** InfluxQL, for tests and tools. */
  async query(q: string): Promise<unknown[]> {
    const res = await fetch(`${this.url}/query?db=${this.database}&epoch=ms&q=${encodeURIComponent(q)}`);
    const body = (await res.json()) as { results: { series?: { columns: string[]; values: unknown[][] }[] }[] };
    const series = body.results[0]?.series ?? [];
    return series.flatMap((s) => s.values.map((v) => Object.fromEntries(s.columns.map((c, i) => [c, v[i]]))));
  }
}
