// npm run bench:fleet [-- --json] [--events 100000] [--query-events 10000000] [--only queries]
// The fleet store on real engines (Debian's ClickHouse 18.16 with two shards, NATS JetStream,
// VictoriaMetrics, InfluxDB), each figure next to its limit measured in the same run:
// - clickhouse_events_per_s: device batches validated by the collector and stored in ClickHouse,
//   against raw JSONEachRow inserts of the same rows into the same table (same batch size and
//   concurrency);
// - buffered_e2e_events_per_s: device batches -> collector -> JetStream -> writer -> ClickHouse;
// - timeseries_points_per_s (VictoriaMetrics and InfluxDB) through the sink, against raw line
//   protocol POSTs of the same lines;
// - query_p95_ms: the analyzer's reads (its ClickHouse reader, as reports and the gate make them)
//   over a week of --query-events events spread over 30 days; and a whole weekly report and gate;
// - lost / duplicates across every path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { BufferedStore } from '../src/collector/buffer/buffered-store.js';
import { JetStreamBuffer } from '../src/collector/buffer/nats/jetstream.js';
import { startWriter } from '../src/collector/buffer/nats/writer.js';
import { freePort, startClickHouse, startInflux, startNats, startVictoria, type EngineProcess } from '../src/collector/engines/processes.js';
import { createCollector, type Collector } from '../src/collector/server.js';
import type { CollectorStore, IngestEvent } from '../src/collector/store.js';
import { ClickHouseCollectorStore } from '../src/collector/stores/clickhouse/clickhouse-store.js';
import { InfluxTarget } from '../src/collector/timeseries/influx.js';
import { lineOf } from '../src/collector/timeseries/line-protocol.js';
import { TimeseriesSink, type LineProtocolTarget } from '../src/collector/timeseries/sink.js';
import { VictoriaTarget } from '../src/collector/timeseries/victoria.js';
import { CATEGORY_OF, type TelemetryEvent } from '../src/telemetry/event/schema.js';
import { gateOf } from '../src/analyzer/gate.js';
import { ClickHouseReader } from '../src/analyzer/readers/clickhouse-reader.js';
import { analyze } from '../src/analyzer/reader.js';
import { reportOf } from '../src/analyzer/report/build.js';
import { windowOf } from '../src/analyzer/time.js';
import { printReport, type Row } from './report.js';

const { values } = parseArgs({ options: { json: { type: 'boolean' }, events: { type: 'string' }, 'query-events': { type: 'string' }, only: { type: 'string' } } });
/** `--only queries`: just the query set (the ingest figures are reported as 0). */
const ONLY_QUERIES = values.only === 'queries';
const json = values.json ?? false;
const EVENTS = Number(values.events ?? 100_000);
const QUERY_EVENTS = Number(values['query-events'] ?? 10_000_000);
const BATCH = 500;
/** As the device: up to three batches on their way. */
const IN_FLIGHT = 3;
const API_KEY = 'bench-fleet-key';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const QUERY_RUNS = 10;

const dir = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
const engines: EngineProcess[] = [];
const log = (s: string): void => void process.stderr.write(`bench:fleet: ${s}\n`);

const NAMES: [TelemetryEvent['event_type'], string][] = [
  ['performance', 'api.latency'], ['performance', 'llm.ttft'], ['performance', 'memory.rss'], ['feature', 'feature.use'], ['app', 'session.start'],
  ['app', 'app.focus'], ['network', 'http.request'], ['error', 'tool.timeout'], ['crash', 'renderer.gone'],
];
const WEIGHTS = [20, 10, 10, 20, 5, 15, 15, 4, 1];
const CUM = WEIGHTS.map((_, i) => WEIGHTS.slice(0, i + 1).reduce((a, b) => a + b, 0));

/** A fleet's events: `n` spread over `days` up to `end`, 2000 devices, three versions. */
function fleetEvents(n: number, end: number, days: number): IngestEvent[] {
  const devices = Array.from({ length: 2000 }, (_, i) => ({ user_id: uuidv4(), device_id: uuidv4(), app_version: ['1.4.0', '1.5.0', '1.6.0'][i % 3]!, os: ['win32-x64', 'darwin-arm64', 'linux-x64'][i % 3]!, seq: 0, session: uuidv4() }));
  const out: IngestEvent[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const ts = end - days * DAY + Math.floor((i / n) * days * DAY);
    const d = devices[i % devices.length]!;
    const pick = (i * 7919) % 100;
    const [type, name] = NAMES[CUM.findIndex((c) => pick < c)]!;
    const common = { id: uuidv7({ msecs: ts }), name, timestamp: new Date(ts).toISOString(), session_id: d.session, user_id: d.user_id, app_version: d.app_version, os: d.os, device_id: d.device_id, seq: ++d.seq };
    const v = 50 + ((i * 2654435761) % 1000);
    const event: TelemetryEvent =
      type === 'performance' ? { ...common, event_type: type, value: v, unit: 'ms' }
      : type === 'feature' ? { ...common, event_type: type, feature_id: ['chat', 'tools', 'canvas'][i % 3]!, duration_seconds: v / 10, interaction_count: i % 9 }
      : type === 'network' ? { ...common, event_type: type, url: 'https://api.example.com/v1/messages', status_code: 200, duration_ms: v, bytes_transferred: 2048 }
      : type === 'error' ? { ...common, event_type: type, error_message: 'tool call timed out', error_code: 'ETIMEDOUT' }
      : type === 'crash' ? { ...common, event_type: type, error_message: 'renderer gone', process: 'renderer', reason: 'crashed' }
      : { ...common, event_type: 'app' };
    out[i] = { event, ts, clientTs: null };
  }
  return out;
}

/** The device's request bodies for `events`, gzipped, built before timing. Each event carries its
 *  own ids (a batch here mixes devices; an event's own field wins over `common`). */
function bodies(events: readonly IngestEvent[]): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < events.length; i += BATCH) {
    const batch = events.slice(i, i + BATCH).map((e) => e.event);
    out.push(gzipSync(JSON.stringify({ schema_version: 1, sent_at: new Date().toISOString(), events: batch })));
  }
  return out;
}

/** Sends the bodies with IN_FLIGHT requests at a time; returns the seconds it took. */
async function send(url: string, list: readonly Buffer[]): Promise<number> {
  let next = 0;
  let accepted = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < list.length) {
        const body = list[next++]!;
        for (;;) {
          const res = await fetch(`${url}/v1/batch`, { method: 'POST', body, headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'content-encoding': 'gzip' } });
          const answer = (await res.json()) as { accepted?: number; rejected?: unknown[] };
          if (res.status === 200) {
            if ((answer.rejected?.length ?? 0) > 0) throw new Error(`rejected: ${JSON.stringify(answer.rejected).slice(0, 300)}`);
            accepted += answer.accepted ?? 0;
            break;
          }
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }),
  );
  void accepted;
  return (performance.now() - t0) / 1000;
}

function row(e: IngestEvent, receivedAt: number): Record<string, unknown> {
  const { id, event_type, name, timestamp: _t, session_id, user_id, app_version, os, device_id, seq, ...fields } = e.event;
  return { id, event_type, category: CATEGORY_OF[event_type], name, ts: e.ts, client_ts: null, session_id, user_id, app_version, os, device_id, seq, payload: JSON.stringify(fields), received_at: receivedAt };
}

async function collectorOn(store: CollectorStore, timeseries?: TimeseriesSink): Promise<Collector> {
  return createCollector({ apiKeys: [API_KEY], store, timeseries, rateLimit: { eventsPerSecondPerDevice: 1e9, eventBurstPerDevice: 1e9, requestsPerSecondPerKey: 1e9, requestBurstPerKey: 1e9 } });
}

async function waitCount(store: ClickHouseCollectorStore, n: number): Promise<number> {
  const deadline = Date.now() + 600_000;
  let c = await store.count();
  while (c < n && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    c = await store.count();
  }
  return c;
}

async function timeSink(target: LineProtocolTarget, events: readonly IngestEvent[]): Promise<{ perS: number; written: number }> {
  const sink = new TimeseriesSink(target);
  const t0 = performance.now();
  // As a collector feeds it: a batch at a time, with the event loop free between batches, so
  // writes overlap the building of the next lines.
  for (let i = 0; i < events.length; i += BATCH) {
    sink.enqueue(events.slice(i, i + BATCH));
    await new Promise((r) => setImmediate(r));
  }
  await sink.drain();
  const s = (performance.now() - t0) / 1000;
  await sink.close();
  return { perS: events.length / s, written: sink.counters.written };
}

async function timeRawLines(target: LineProtocolTarget, events: readonly IngestEvent[]): Promise<number> {
  // Another measurement: new series, as the sink's run had to create (no head start from its index).
  const lines = events.map((e) => lineOf(e).replace(/^telemetry,/, 'telemetry_limit,'));
  const t0 = performance.now();
  for (let i = 0; i < lines.length; i += 5000) await target.write(lines.slice(i, i + 5000).join('\n'));
  return events.length / ((performance.now() - t0) / 1000);
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
}

try {
  log('starting engines');
  const ports = await Promise.all([0, 1].map(async () => ({ http: await freePort(), tcp: await freePort(), interserver: await freePort() })));
  const cluster = { shards: ports.map((p) => ({ host: '127.0.0.1', tcpPort: p.tcp })) };
  const shards = await Promise.all(ports.map((p, i) => startClickHouse(join(dir, `ch${i + 1}`), { ports: p, cluster })));
  engines.push(...shards);
  const [nats, vm, influx] = await Promise.all([startNats(join(dir, 'nats')), startVictoria(join(dir, 'vm'), { retention: '1y' }), startInflux(join(dir, 'influx'))]);
  engines.push(nats, vm, influx);
  const urls = shards.map((s) => s.url);
  const open = (database: string): Promise<ClickHouseCollectorStore> => ClickHouseCollectorStore.open({ shards: urls, database, rollupRefreshMs: 0 });

  const now = Date.now();
  const events = ONLY_QUERIES ? [] : fleetEvents(EVENTS, now, 7);
  const list = bodies(events);
  let directS = 1, directCount = 0, limitS = 1, limitCount = 1, e2eS = 1, e2eCount = 0;
  let vmSink = { perS: 0, written: 0 }, vmRaw = 1, influxSink = { perS: 0, written: 0 }, influxRaw = 1;
  if (!ONLY_QUERIES) {

  // 1. Collector -> ClickHouse, and the raw insert limit of the same rows into the same table.
  log(`collector -> ClickHouse, ${EVENTS} events`);
  const direct = await open('direct');
  const c1 = await collectorOn(direct);
  directS = await send(c1.url, list);
  directCount = await direct.count();
  await c1.close();
  const limitStore = await open('limit');
  const rows = events.map((e) => row(e, now));
  const client = (limitStore as unknown as { head: { insert(o: object): Promise<unknown> } }).head;
  let nextRow = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (nextRow < rows.length) {
        const chunk = rows.slice(nextRow, (nextRow += BATCH));
        await client.insert({ table: 'limit.events', values: chunk, format: 'JSONEachRow', clickhouse_settings: { insert_distributed_sync: 1 } });
      }
    }),
  );
  limitS = (performance.now() - t0) / 1000;
  limitCount = await limitStore.count();
  await limitStore.close();

  // 2. Buffered: collector -> JetStream -> writer -> ClickHouse.
  log('buffered end to end');
  const e2eStore = await open('e2e');
  const buffered = new BufferedStore(await JetStreamBuffer.open({ servers: nats.url }));
  const c2 = await collectorOn(buffered);
  const writer = await startWriter({ servers: nats.url, store: e2eStore, batch: 64 });
  const te = performance.now();
  await send(c2.url, list);
  e2eCount = await waitCount(e2eStore, EVENTS);
  e2eS = (performance.now() - te) / 1000;
  await writer.stop();
  await c2.close();
  await e2eStore.close();

  // 3. Time series through the sink, against raw line protocol.
  log('time series');
  const vmTarget = await VictoriaTarget.open(vm.url);
  vmSink = await timeSink(vmTarget, events);
  vmRaw = await timeRawLines(vmTarget, events);
  const influxTarget = await InfluxTarget.open(influx.url);
  influxSink = await timeSink(influxTarget, events);
  influxRaw = await timeRawLines(influxTarget, events);

  }

  // 4. The analyzer's reads over QUERY_EVENTS events (30 days), through its ClickHouse reader.
  log(`query set: ${QUERY_EVENTS} events over 30 days`);
  const q = await open('q');
  const chunk = 50_000;
  const qEnd = Date.UTC(2026, 10, 28);
  // Each chunk spans the 30 days, so the whole set is spread evenly over them.
  for (let i = 0; i < QUERY_EVENTS; i += chunk) await q.ingest(fleetEvents(Math.min(chunk, QUERY_EVENTS - i), qEnd, 30), now);
  log('rebuilding the query set rollups');
  await q.flushRollups();
  const reader = await ClickHouseReader.open({ shards: urls, database: 'q', cluster: 'fleet' });
  // The week a weekly report reads; the reads of the report, the gate and the dashboard's tiles.
  const week = { window: windowOf(qEnd - 7 * DAY, qEnd), version: null };
  const latency = [{ type: 'performance' as const, name: 'api.latency' }];
  const queries: [string, () => Promise<unknown>][] = [
    ['totals by type, name, version (rollups)', () => reader.totals(week)],
    ['counts by day and type (rollups)', () => reader.countsByBucket(week, DAY)],
    ['api latency histograms per day (rollups, merged)', () => reader.histograms(week, latency, DAY)],
    ['feature totals (feature rollups)', () => reader.features(week)],
    ['versions (rollups)', () => reader.versions(week)],
    ['session starts (raw, FINAL)', () => reader.markers('start', week)],
    ['crash markers (raw, FINAL)', () => reader.markers('crash', week)],
    ['error markers (raw, FINAL)', () => reader.markers('error', week)],
    ['crashed sessions by version (raw, distinct)', () => reader.crashedSessionsByVersion(week)],
    ['crash payloads for grouping (raw, FINAL)', () => reader.errorRows('crash', week)],
    ['errors by feature (raw, FINAL)', () => reader.errorsByFeature(week)],
    ['active devices per day (raw, distinct)', () => reader.deviceDays(week.window.from - 29 * DAY, week.window.to, null)],
    ['feature events for adoption (raw, FINAL)', () => reader.featureRows(week)],
  ];
  const times: number[] = [];
  const perQuery: Record<string, number> = {};
  for (const [label, run] of queries) {
    const mine: number[] = [];
    await run(); // warm
    for (let r = 0; r < QUERY_RUNS; r++) {
      const t = performance.now();
      await run();
      mine.push(performance.now() - t);
    }
    perQuery[label] = p95(mine);
    times.push(...mine);
  }
  // Whole analyses, each read after the other (not in the p95: they are sums of the reads above).
  const whole = async (run: () => Promise<unknown>): Promise<number> => {
    const t = performance.now();
    await run();
    return performance.now() - t;
  };
  const weeklyReportMs = await whole(() => analyze(reader, reportOf('collector', 'weekly', qEnd)));
  const gateMs = await whole(() => analyze(reader, gateOf('collector', windowOf(qEnd - 30 * DAY, qEnd), '1.5.0', '1.6.0')));
  await reader.close();
  const qCount = await q.count();
  await q.close();

  const result = {
    events: EVENTS,
    clickhouse_events_per_s: Math.round(directCount / directS),
    clickhouse_limit_events_per_s: Math.round(limitCount / limitS),
    clickhouse_ratio: +(directCount / directS / (limitCount / limitS)).toFixed(2),
    buffered_e2e_events_per_s: Math.round(e2eCount / e2eS),
    buffered_e2e_ratio_to_limit: +(e2eCount / e2eS / (limitCount / limitS)).toFixed(2),
    timeseries_points_per_s: Math.round(vmSink.perS),
    timeseries_limit_points_per_s: Math.round(vmRaw),
    timeseries_ratio: +(vmSink.perS / vmRaw).toFixed(2),
    influx_points_per_s: Math.round(influxSink.perS),
    influx_limit_points_per_s: Math.round(influxRaw),
    influx_ratio: +(influxSink.perS / influxRaw).toFixed(2),
    query_events: qCount,
    query_p95_ms: Math.round(p95(times)),
    query_p95_ms_by_query: Object.fromEntries(Object.entries(perQuery).map(([k, v]) => [k, Math.round(v)])),
    weekly_report_ms: Math.round(weeklyReportMs),
    gate_ms: Math.round(gateMs),
    lost: ONLY_QUERIES ? 0 : EVENTS - directCount + (EVENTS - e2eCount) + (EVENTS - vmSink.written) + (EVENTS - influxSink.written),
    duplicates: ONLY_QUERIES ? 0 : Math.max(0, directCount - EVENTS) + Math.max(0, e2eCount - EVENTS),
  };
  const rowsOut: Row[] = [
    ['collector -> ClickHouse, events/s', result.clickhouse_events_per_s, '>= 0.7 x limit', result.clickhouse_ratio >= 0.7],
    ['  limit: raw JSONEachRow, same rows/table', result.clickhouse_limit_events_per_s, '', null],
    ['  ratio', result.clickhouse_ratio, '>= 0.7', result.clickhouse_ratio >= 0.7],
    ['buffered e2e (JetStream + writer), events/s', result.buffered_e2e_events_per_s, '', null],
    ['  ratio to the ClickHouse limit', result.buffered_e2e_ratio_to_limit, '', null],
    ['VictoriaMetrics via sink, points/s', result.timeseries_points_per_s, '>= 0.7 x limit', result.timeseries_ratio >= 0.7],
    ['  limit: raw line protocol', result.timeseries_limit_points_per_s, '', null],
    ['  ratio', result.timeseries_ratio, '>= 0.7', result.timeseries_ratio >= 0.7],
    ['InfluxDB via sink, points/s', result.influx_points_per_s, '>= 0.7 x limit', result.influx_ratio >= 0.7],
    ['  limit: raw line protocol', result.influx_limit_points_per_s, '', null],
    ['  ratio', result.influx_ratio, '>= 0.7', result.influx_ratio >= 0.7],
    [`report/dashboard reads p95 over ${qCount} events, ms`, result.query_p95_ms, '<= 300', result.query_p95_ms <= 300],
    ...Object.entries(result.query_p95_ms_by_query).map(([k, v]): Row => [`  ${k}`, v, '', null]),
    ['a whole weekly report (every read in turn), ms', result.weekly_report_ms, '', null],
    ['the gate 1.6.0 vs 1.5.0 over 30 days, ms', result.gate_ms, '', null],
    ['lost', result.lost, '0', result.lost === 0],
    ['duplicates', result.duplicates, '0', result.duplicates === 0],
  ];
  printReport(`bench:fleet (${EVENTS} events; ClickHouse 18.16 x2 shards, NATS 2.9, VictoriaMetrics, InfluxDB 1.6)`, rowsOut, result, json);
} finally {
  await Promise.all(engines.map((e) => e.stop()));
  rmSync(dir, { recursive: true, force: true });
}
