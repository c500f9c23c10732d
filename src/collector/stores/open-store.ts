// `--store` / `--buffer` specs (docs/FLEET.md) turned into a store, with an error that says what
// could not be reached and how to fix it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
// The engine clients are imported only when a spec names their engine: a SQLite collector starts
// without loading @clickhouse/client, nats or influx.
import type { BufferedStore } from '../buffer/buffered-store.js';
import { SqliteCollectorStore } from '../sqlite-store.js';
import type { CollectorStore } from '../store.js';
import type { TimeseriesSink } from '../timeseries/sink.js';
import { parseClickHouseSpec as parseSpec, type ClickHouseSpec } from '../../store-schema/clickhouse.js';

/** A configuration a person got wrong, or an engine that is not there: said plainly. */
export class StoreConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreConfigError';
  }
}

export type { ClickHouseSpec } from '../../store-schema/clickhouse.js';

/** `clickhouse://host:port[,host:port...][/database][?cluster=name]` (ports are HTTP ports). */
export function parseClickHouseSpec(spec: string): ClickHouseSpec {
  try {
    return parseSpec(spec);
  } catch (e) {
    throw new StoreConfigError((e as Error).message);
  }
}

/** `sqlite:PATH` (or a bare path), or `clickhouse://…`. */
export async function openStore(spec: string, opts: { now?: number; rollupRefreshMs?: number } = {}): Promise<CollectorStore> {
  if (spec.startsWith('clickhouse://')) {
    const ch = parseClickHouseSpec(spec);
    const { ClickHouseCollectorStore } = await import('./clickhouse/clickhouse-store.js');
    try {
      return await ClickHouseCollectorStore.open({ ...ch, rollupRefreshMs: opts.rollupRefreshMs });
    } catch (e) {
      throw new StoreConfigError(`cannot use ClickHouse at ${ch.shards.join(', ')}: ${(e as Error).message}. Is clickhouse-server running there (npm run fleet starts one)?`, { cause: e });
    }
  }
  const path = spec.startsWith('sqlite:') ? spec.slice('sqlite:'.length) : spec;
  if (path === '') throw new StoreConfigError('--store sqlite: needs a path, e.g. sqlite:.data/collector.db');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  return new SqliteCollectorStore(path, opts.now);
}

/** `nats://host:port[,host:port...]`: the collector acknowledges after JetStream has the batch. */
export async function openBufferedStore(spec: string): Promise<BufferedStore> {
  if (!/^nats:\/\/[A-Za-z0-9.-]+:\d+(,(nats:\/\/)?[A-Za-z0-9.-]+:\d+)*$/.test(spec)) throw new StoreConfigError(`--buffer ${spec}: expected nats://host:port`);
  const [{ BufferedStore }, { JetStreamBuffer }] = await Promise.all([import('../buffer/buffered-store.js'), import('../buffer/nats/jetstream.js')]);
  try {
    return new BufferedStore(await JetStreamBuffer.open({ servers: spec, name: 'collector' }));
  } catch (e) {
    throw new StoreConfigError(`${(e as Error).message}. Is nats-server running with JetStream (npm run fleet starts one)?`, { cause: e });
  }
}

/** `influx://host:port` or `vm://host:port`: where the collector writes the fleet's time series. */
export async function openTimeseries(spec: string, retention?: { rawDays: number; rollupDays: number }): Promise<TimeseriesSink> {
  const m = /^(influx|vm):\/\/([A-Za-z0-9.-]+:\d+)$/.exec(spec);
  if (m === null) throw new StoreConfigError(`--timeseries ${spec}: expected influx://host:port or vm://host:port`);
  const url = `http://${m[2]!}`;
  const { TimeseriesSink } = await import('../timeseries/sink.js');
  try {
    const target = m[1] === 'influx' ? await (await import('../timeseries/influx.js')).InfluxTarget.open(url, retention) : await (await import('../timeseries/victoria.js')).VictoriaTarget.open(url);
    return new TimeseriesSink(target);
  } catch (e) {
    const pkg = m[1] === 'influx' ? 'influxd (package influxdb)' : 'victoria-metrics';
    throw new StoreConfigError(`${(e as Error).message}. Is ${pkg} running there (npm run fleet starts one)?`, { cause: e });
  }
}
