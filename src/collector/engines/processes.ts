// The fleet's engines started as plain processes from their Debian packages (docs/FLEET.md): on a
// free loopback port, with their data in a folder, stopped by PID. Used by `npm run fleet`, the
// benchmark and the tests that need a real engine. No system service is involved.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface EngineProcess {
  readonly name: string;
  readonly pid: number;
  /** Base URL of its HTTP interface (NATS: its monitoring port), or the NATS URL. */
  readonly url: string;
  readonly ports: Record<string, number>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL: a crash, for fault tests. */
  kill(): Promise<void>;
}

/** The Debian package that ships each binary, for the message when one is missing. */
export const PACKAGE_OF = {
  'clickhouse-server': 'clickhouse-server',
  influxd: 'influxdb',
  'victoria-metrics': 'victoria-metrics',
  vmalert: 'victoria-metrics',
  'nats-server': 'nats-server',
} as const;
export type EngineBinary = keyof typeof PACKAGE_OF;

export class MissingEngineError extends Error {
  constructor(readonly binary: EngineBinary) {
    super(`${binary} is not installed: apt-get install -y --no-install-recommends ${PACKAGE_OF[binary]}`);
    this.name = 'MissingEngineError';
  }
}

export function hasBinary(binary: EngineBinary): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore', env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/bin` } }).status === 0;
}

/** A port nothing listens on right now (the engine binds it a moment later). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** How long an engine may take to answer its health check after start (ClickHouse 18 ~1-3 s). */
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 50;

async function waitReady(child: ChildProcess, name: string, probe: () => Promise<boolean>, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`${name} exited with ${exited} before it was ready (log: ${logPath})`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} was not ready within ${READY_TIMEOUT_MS / 1000} s (log: ${logPath})`);
}

function launch(binary: EngineBinary, args: string[], dir: string): ChildProcess {
  if (!hasBinary(binary)) throw new MissingEngineError(binary);
  const log = openSync(join(dir, `${binary}.log`), 'a');
  const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', log, log], env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/usr/bin` } });
  // An engine must not outlive the process that started it (tests, the fleet script).
  const onExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  child.once('exit', () => process.removeListener('exit', onExit));
  return child;
}

function handle(name: string, child: ChildProcess, url: string, ports: Record<string, number>): EngineProcess {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    name,
    pid: child.pid!,
    url,
    ports,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
  await res.arrayBuffer();
  return res.ok;
}

export interface ClickHouseShardSpec {
  /** Ports of every shard's native TCP interface, for `<remote_servers>` (this one included). */
  shards: readonly { host: string; tcpPort: number }[];
}

/** ClickHouse 18.16 with a minimal config (BACKENDS.md): one server, optionally knowing a cluster
 *  `fleet` of shards for Distributed tables. `ports` = { http, tcp, interserver }. */
export async function startClickHouse(dir: string, opts: { ports?: { http: number; tcp: number; interserver: number }; cluster?: ClickHouseShardSpec } = {}): Promise<EngineProcess> {
  mkdirSync(dir, { recursive: true });
  const ports = opts.ports ?? { http: await freePort(), tcp: await freePort(), interserver: await freePort() };
  const shards = (opts.cluster?.shards ?? [])
    .map((s) => `<shard><replica><host>${s.host}</host><port>${s.tcpPort}</port></replica></shard>`)
    .join('');
  writeFileSync(
    join(dir, 'config.xml'),
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog><console>0</console></logger>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <timezone>UTC</timezone>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <remote_servers><fleet>${shards}</fleet></remote_servers>
</yandex>
`,
  );
  writeFileSync(
    join(dir, 'users.xml'),
    `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`,
  );
  const child = launch('clickhouse-server', [`--config-file=${join(dir, 'config.xml')}`], dir);
  const url = `http://127.0.0.1:${ports.http}`;
  await waitReady(child, 'clickhouse-server', () => httpOk(`${url}/ping`), join(dir, 'error.log'));
  return handle('clickhouse-server', child, url, ports);
}

/** NATS 2.9 with JetStream, its store in the folder. `ports` = { client, monitor }. */
export async function startNats(dir: string, opts: { ports?: { client: number; monitor: number } } = {}): Promise<EngineProcess> {
  mkdirSync(dir, { recursive: true });
  const ports = opts.ports ?? { client: await freePort(), monitor: await freePort() };
  writeFileSync(join(dir, 'nats.conf'), `listen: 127.0.0.1:${ports.client}\nhttp: 127.0.0.1:${ports.monitor}\njetstream {\n  store_dir: "${dir}/jetstream"\n}\n`);
  const child = launch('nats-server', ['-c', join(dir, 'nats.conf')], dir);
  await waitReady(child, 'nats-server', () => httpOk(`http://127.0.0.1:${ports.monitor}/healthz?js-enabled-only=true`), join(dir, 'nats-server.log'));
  return handle('nats-server', child, `nats://127.0.0.1:${ports.client}`, ports);
}

/** InfluxDB 1.6 (`influxd run`), tsi1 index, no reporting. `ports` = { http, bind }. */
export async function startInflux(dir: string, opts: { ports?: { http: number; bind: number } } = {}): Promise<EngineProcess> {
  mkdirSync(dir, { recursive: true });
  const ports = opts.ports ?? { http: await freePort(), bind: await freePort() };
  writeFileSync(
    join(dir, 'influxdb.conf'),
    `reporting-disabled = true
bind-address = "127.0.0.1:${ports.bind}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  index-version = "tsi1"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${ports.http}"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  run-interval = "1s"
`,
  );
  const child = launch('influxd', ['run', '-config', join(dir, 'influxdb.conf')], dir);
  const url = `http://127.0.0.1:${ports.http}`;
  await waitReady(child, 'influxd', async () => (await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1000) })).status === 204, join(dir, 'influxd.log'));
  return handle('influxd', child, url, ports);
}

/** VictoriaMetrics single node. `retention` as its -retentionPeriod (e.g. `30d`, `1y`). */
export async function startVictoria(dir: string, opts: { port?: number; retention?: string } = {}): Promise<EngineProcess> {
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child = launch('victoria-metrics', [`-storageDataPath=${dir}/data`, `-httpListenAddr=127.0.0.1:${port}`, `-retentionPeriod=${opts.retention ?? '30d'}`, '-search.latencyOffset=0s', '-loggerLevel=ERROR'], dir);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(child, 'victoria-metrics', () => httpOk(`${url}/health`), join(dir, 'victoria-metrics.log'));
  return handle('victoria-metrics', child, url, { http: port });
}

/** vmalert evaluating `rulesYaml` against VictoriaMetrics at `vmUrl`, writing the recorded series
 *  back into it (the hourly rollups of the time series). */
export async function startVmalert(dir: string, vmUrl: string, rulesYaml: string, opts: { port?: number } = {}): Promise<EngineProcess> {
  mkdirSync(dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  writeFileSync(join(dir, 'rules.yml'), rulesYaml);
  const child = launch('vmalert', [`-rule=${join(dir, 'rules.yml')}`, `-datasource.url=${vmUrl}`, `-remoteWrite.url=${vmUrl}`, `-httpListenAddr=127.0.0.1:${port}`, '-loggerLevel=ERROR'], dir);
  const url = `http://127.0.0.1:${port}`;
  await waitReady(child, 'vmalert', () => httpOk(`${url}/health`), join(dir, 'vmalert.log'));
  return handle('vmalert', child, url, { http: port });
}
