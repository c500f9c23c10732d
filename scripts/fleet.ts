// `npm run fleet`: the whole fleet stack on this machine from the installed Debian packages, each
// engine a plain process on a free loopback port with its data under one folder (docs/FLEET.md):
// ClickHouse with two shards, VictoriaMetrics (+ vmalert's recording rules) or InfluxDB, NATS
// JetStream, two collectors and a writer. Prints where everything is; Ctrl-C stops it all by PID.
//   --dir .data/fleet   where the data lives (kept between runs)
//   --timeseries vm|influx (default vm)
//   --check             start, send one batch through it, show it arrived, stop (a smoke test)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { freePort, hasBinary, PACKAGE_OF, startClickHouse, startInflux, startNats, startVictoria, startVmalert, type EngineBinary, type EngineProcess } from '../src/collector/engines/processes.js';
import { ClickHouseCollectorStore } from '../src/collector/stores/clickhouse/clickhouse-store.js';
import { RECORDING_RULES } from '../src/collector/timeseries/victoria.js';

const ROOT = resolve(import.meta.dirname, '..');
const API_KEY = 'fleet-dev-key';

const { values } = parseArgs({ options: { dir: { type: 'string' }, timeseries: { type: 'string' }, check: { type: 'boolean' } } });
const dir = resolve(values.dir ?? join(ROOT, '.data/fleet'));
const tsKind = values.timeseries ?? 'vm';
if (tsKind !== 'vm' && tsKind !== 'influx') {
  process.stderr.write('fleet: --timeseries must be vm or influx\n');
  process.exit(2);
}

const needed: EngineBinary[] = ['clickhouse-server', 'nats-server', tsKind === 'vm' ? 'victoria-metrics' : 'influxd'];
const missing = needed.filter((b) => !hasBinary(b));
if (missing.length > 0) {
  const pkgs = [...new Set(missing.map((b) => PACKAGE_OF[b]))];
  process.stderr.write(`fleet: missing ${missing.join(', ')}. Install with:\n  apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')}\n`);
  process.exit(1);
}
mkdirSync(dir, { recursive: true });

const engines: EngineProcess[] = [];
const children: ChildProcess[] = [];
async function stopAll(): Promise<void> {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
  await Promise.all(engines.map((e) => e.stop()));
}

/** A node process of this repo (collector or writer), resolved with its first stdout line. */
function node(script: string, args: string[], name: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, COLLECTOR_API_KEYS: '' } });
  children.push(child);
  return new Promise((resolveLine, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolveLine(line!);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

try {
  const ports = [0, 1].map(async () => ({ http: await freePort(), tcp: await freePort(), interserver: await freePort() }));
  const shardPorts = await Promise.all(ports);
  const cluster = { shards: shardPorts.map((p) => ({ host: '127.0.0.1', tcpPort: p.tcp })) };
  const shards = await Promise.all(shardPorts.map((p, i) => startClickHouse(join(dir, `clickhouse-${i + 1}`), { ports: p, cluster })));
  engines.push(...shards);
  const nats = await startNats(join(dir, 'nats'));
  engines.push(nats);
  let tsSpec: string;
  const rows: [string, string, string][] = [];
  if (tsKind === 'vm') {
    const vm = await startVictoria(join(dir, 'victoria-metrics'), { retention: '30d' });
    engines.push(vm);
    tsSpec = `vm://${new URL(vm.url).host}`;
    rows.push(['VictoriaMetrics', vm.url, `pid ${vm.pid}, -retentionPeriod=30d, PromQL on /api/v1/query`]);
    if (hasBinary('vmalert')) {
      const alert = await startVmalert(join(dir, 'vmalert'), vm.url, RECORDING_RULES);
      engines.push(alert);
      rows.push(['vmalert (hourly recording rules)', alert.url, `pid ${alert.pid}`]);
    }
  } else {
    const influx = await startInflux(join(dir, 'influxdb'));
    engines.push(influx);
    tsSpec = `influx://${new URL(influx.url).host}`;
    rows.push(['InfluxDB', influx.url, `pid ${influx.pid}, database telemetry, RPs raw 30d / rollups 2y`]);
  }
  const chSpec = `clickhouse://${shards.map((s) => new URL(s.url).host).join(',')}/telemetry`;
  // The writer first: it creates the ClickHouse tables and the JetStream consumer.
  await node('src/collector/writer-cli.ts', ['--buffer', nats.url, '--store', chSpec], 'writer');
  const collectorLines = await Promise.all([1, 2].map((i) => node('src/collector/cli.ts', ['--port', '0', '--api-key', API_KEY, '--buffer', nats.url, '--timeseries', tsSpec], `collector ${i}`)));
  const collectorUrls = collectorLines.map((l) => l.replace('collector listening on ', ''));
  rows.unshift(
    ...shards.map((s, i): [string, string, string] => [`ClickHouse shard ${i + 1}`, s.url, `pid ${s.pid}, tcp ${s.ports.tcp}`]),
    ['NATS JetStream', nats.url, `pid ${nats.pid}, monitor http://127.0.0.1:${nats.ports.monitor}`],
  );
  rows.push(...collectorUrls.map((u, i): [string, string, string] => [`collector ${i + 1}`, u, `--buffer, API key ${API_KEY}`]), ['writer', '-', `--store ${chSpec}`]);
  const w = Math.max(...rows.map((r) => r[0].length));
  const u = Math.max(...rows.map((r) => r[1].length));
  process.stdout.write(`fleet stack up (data in ${dir}):\n${rows.map(([a, b, c]) => `  ${a.padEnd(w)}  ${b.padEnd(u)}  ${c}`).join('\n')}\n`);
  process.stdout.write(`send telemetry to ${collectorUrls.join(' or ')} with Authorization: Bearer ${API_KEY}\n`);

  if (values.check) {
    const now = Date.now();
    const device = { user_id: uuidv4(), device_id: uuidv4(), app_version: '0.0.0-check', os: 'linux-x64' };
    const events = Array.from({ length: 10 }, (_, i) => ({ id: uuidv7(), event_type: 'app', name: 'fleet.check', timestamp: new Date(now).toISOString(), session_id: uuidv4(), seq: i + 1 }));
    const res = await fetch(`${collectorUrls[0]}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ schema_version: 1, sent_at: new Date(now).toISOString(), common: device, events })),
    });
    process.stdout.write(`check: collector answered ${res.status} ${await res.text()}\n`);
    const store = await ClickHouseCollectorStore.open({ shards: shards.map((s) => s.url), rollupRefreshMs: 0 });
    const deadline = Date.now() + 30_000;
    let n = 0;
    while (Date.now() < deadline) {
      const [row] = await store.rows<{ n: number }>(`SELECT count() AS n FROM telemetry.events WHERE app_version = '0.0.0-check' AND device_id = '${device.device_id}'`);
      n = row?.n ?? 0;
      if (n === 10) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await store.close();
    process.stdout.write(`check: ${n} of 10 events reached ClickHouse through JetStream and the writer\n`);
    await stopAll();
    process.exit(n === 10 ? 0 : 1);
  }
  const stop = (): void => {
    process.stdout.write('fleet: stopping\n');
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  process.stderr.write(`fleet: ${(e as Error).message}\n`);
  await stopAll();
  process.exit(1);
}
