// The fleet's time series on InfluxDB 1.6 and VictoriaMetrics (Debian's packages): counts and
// values per low-cardinality tag, retention on both, and a backend that is down never slowing or
// failing ingest (it catches up, counted).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, hasBinary, startInflux, startVictoria, type EngineProcess } from '../../src/collector/engines/processes.js';
import { createCollector } from '../../src/collector/server.js';
import { SqliteCollectorStore } from '../../src/collector/sqlite-store.js';
import { InfluxTarget } from '../../src/collector/timeseries/influx.js';
import { TimeseriesSink } from '../../src/collector/timeseries/sink.js';
import { RECORDING_RULES, VictoriaTarget } from '../../src/collector/timeseries/victoria.js';
import { envelope, KEY, perf, post } from './helpers.js';
import { engineDir, eventsOver } from './stores/engines.js';

const DAY = 86_400_000;
const cleanups: (() => void)[] = [];
const engines: EngineProcess[] = [];
afterAll(async () => {
  await Promise.all(engines.map((e) => e.stop()));
  for (const c of cleanups) c();
});
function dir(prefix: string): string {
  const d = engineDir(prefix);
  cleanups.push(d.cleanup);
  return d.dir;
}

/** Polls `read` until it returns `want` or a generous deadline passes (VictoriaMetrics makes
 *  fresh samples searchable within about a second). Returns the last value read. */
async function eventually<T>(read: () => Promise<T>, want: T): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last = await read();
  while (JSON.stringify(last) !== JSON.stringify(want) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

describe.skipIf(!hasBinary('influxd'))('InfluxDB', () => {
  let influx: EngineProcess;
  let target: InfluxTarget;
  beforeAll(async () => {
    influx = await startInflux(dir('influx-test'));
    engines.push(influx);
    target = await InfluxTarget.open(influx.url);
  }, 60_000);

  it('gets a point per stored event, tagged only by type, name, version and os; a re-sent batch adds nothing', async () => {
    const sink = new TimeseriesSink(target);
    const collector = await createCollector({ apiKeys: [KEY], store: new SqliteCollectorStore(':memory:'), timeseries: sink });
    try {
      const batch = envelope(Array.from({ length: 30 }, (_, i) => perf({ value: i })));
      expect((await post(`${collector.url}/v1/batch`, batch)).body.accepted).toBe(30);
      expect((await post(`${collector.url}/v1/batch`, batch)).body.duplicates).toBe(30);
      await sink.drain();
      expect(sink.counters).toMatchObject({ written: 30, pending: 0, droppedQueueFull: 0 });
      expect(await target.query('SELECT sum("count") AS n, max("value") AS max FROM telemetry')).toMatchObject([{ n: 30, max: 29 }]);
      const tagKeys = (await target.query('SHOW TAG KEYS FROM telemetry')).map((r) => (r as { tagKey: string }).tagKey).sort();
      expect(tagKeys).toEqual(['app_version', 'event_type', 'name', 'os']);
    } finally {
      await collector.close();
    }
  });

  it('keeps raw points 30 days and rollups 2 years; a point older than the raw policy is refused and counted', async () => {
    const policies = await target.query('SHOW RETENTION POLICIES');
    expect(policies).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'raw', duration: '720h0m0s', default: true }), expect.objectContaining({ name: 'rollups', duration: '17520h0m0s' })]));
    expect(JSON.stringify(await target.query('SHOW CONTINUOUS QUERIES'))).toContain('telemetry_hourly');
    const sink = new TimeseriesSink(target);
    const now = Date.now();
    sink.enqueue([...eventsOver(now - 40 * DAY, 1, 5), ...eventsOver(now - 2 * DAY, 1, 5)]);
    await sink.drain();
    expect(sink.counters).toMatchObject({ written: 5, refused: 5 });
    expect(await target.query(`SELECT count("count") AS n FROM telemetry WHERE time < now() - 39d`)).toEqual([]);
    await sink.close();
  });
});

describe.skipIf(!hasBinary('victoria-metrics'))('VictoriaMetrics', () => {
  it('gets the same counts by PromQL; with -retentionPeriod=1d an older point is gone', async () => {
    const vm = await startVictoria(dir('vm-test'), { retention: '1d' });
    engines.push(vm);
    const target = await VictoriaTarget.open(vm.url);
    const sink = new TimeseriesSink(target);
    const now = Date.now();
    // One event per 12 minutes of the last hour (distinct milliseconds), and 5 from three days ago.
    sink.enqueue([...eventsOver(now - 3 * 3_600_000, 1, 5), ...eventsOver(now - 3 * DAY, 1, 5)]);
    await sink.drain();
    await target.flush();
    const count = async (range: string): Promise<string | undefined> => (await target.query(`sum(count_over_time(telemetry_count[${range}]))`))[0]?.value[1];
    expect(await eventually(() => count('1d'), '5')).toBe('5');
    expect(await count('5d')).toBe('5');
  });

  it('a backend that is down neither slows nor fails ingest; once it is up, the points catch up', async () => {
    const port = await freePort();
    const target = await VictoriaTarget.open(`http://127.0.0.1:${port}`).catch((e: Error) => e);
    expect(target).toBeInstanceOf(Error);
    expect((target as Error).message).toMatch(/cannot use VictoriaMetrics at http:\/\/127\.0\.0\.1:\d+/);
    // A target object for the port nothing listens on yet.
    const vmUrl = `http://127.0.0.1:${port}`;
    const sink = new TimeseriesSink({ name: 'vm', write: (lines) => fetch(`${vmUrl}/write?precision=ns`, { method: 'POST', body: lines }).then((r) => ({ refused: r.ok ? 0 : Number.NaN })) }, { intervalMs: 50 });
    const collector = await createCollector({ apiKeys: [KEY], store: new SqliteCollectorStore(':memory:'), timeseries: sink });
    try {
      for (let i = 0; i < 5; i++) expect((await post(`${collector.url}/v1/batch`, envelope(Array.from({ length: 20 }, () => perf())))).status).toBe(200);
      // Every batch was answered and stored while the time series waited.
      expect(collector.store.count()).toBe(100);
      await eventually(async () => sink.counters.retries > 0, true);
      expect(sink.counters).toMatchObject({ written: 0, pending: 100 });
      const vm = await startVictoria(dir('vm-late'), { port, retention: '1d' });
      engines.push(vm);
      await sink.drain();
      expect(sink.counters).toMatchObject({ written: 100, pending: 0 });
      const late = await VictoriaTarget.open(vmUrl);
      await late.flush();
      expect(await eventually(async () => (await late.query('sum(count_over_time(telemetry_count[1h]))'))[0]?.value[1], '100')).toBe('100');
    } finally {
      await collector.close();
    }
  });
});

describe.skipIf(!hasBinary('vmalert'))('the hourly recording rules for VictoriaMetrics', () => {
  it('are accepted by vmalert (a broken rule is not)', () => {
    const d = dir('vmalert-rules');
    const check = (rules: string): number | null => {
      writeFileSync(join(d, 'rules.yml'), rules);
      return spawnSync('vmalert', ['-dryRun', `-rule=${join(d, 'rules.yml')}`], { stdio: 'ignore' }).status;
    };
    expect(check(RECORDING_RULES)).toBe(0);
    expect(check(RECORDING_RULES.replace('[1h]))', '[1h])'))).not.toBe(0);
  });
});
