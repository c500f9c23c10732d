// `npm run collector -- --api-key <key>`: the collector as a process. Flags win over the
// environment. Prints one line to stdout when ready (tests and scripts parse it); SIGTERM/SIGINT
// close it gracefully.
import { parseArgs } from 'node:util';
import { startConsoleFromEnv } from '../console/collector-hook.js';
import { createCollector, type Collector, type RateLimitOptions } from './server.js';
import { openBufferedStore, openStore, openTimeseries, StoreConfigError } from './stores/open-store.js';
import { UnreadableStoreError } from './sqlite-store.js';

/** Usage errors (no key, a bad flag) exit with this, as is usual for command-line tools. */
const EXIT_USAGE = 2;
/** The store cannot be read (sysexits' EX_DATAERR): a person must look at the file. */
const EXIT_UNREADABLE_STORE = 65;
/** Anything else that stops the start (port in use, an engine unreachable). */
const EXIT_START_FAILED = 1;
/** A graceful close that takes longer than this is abandoned: the process must end on SIGTERM. */
const FORCE_EXIT_AFTER_MS = 15_000;

const USAGE = `usage: collector --api-key <key> [--api-key <key>...] [--host 127.0.0.1] [--port 4318]
         [--store sqlite:PATH | --store clickhouse://host:port[,host:port...][/db][?cluster=fleet] | --db PATH]
         [--buffer nats://host:port] [--timeseries influx://host:port | vm://host:port] [--retention-days 90] [--rollup-retention-days N]
         [--device-events-per-second 20000] [--device-burst 100000] [--log]
  --store    where events are stored (default sqlite:.data/collector.db)
  --buffer   acknowledge devices once NATS JetStream has the batch; writers (npm run writer) store it
  --timeseries  also write the fleet's time series (counts, values) to InfluxDB or VictoriaMetrics
environment: COLLECTOR_API_KEYS (comma-separated), COLLECTOR_HOST, COLLECTOR_PORT, COLLECTOR_DB, COLLECTOR_STORE, COLLECTOR_BUFFER, COLLECTOR_TIMESERIES;
  alerting and /metrics (docs/ALERTING.md): COLLECTOR_ADMIN_KEYS, COLLECTOR_ALERTS_CONFIG, COLLECTOR_METRICS_KEYS;
  the fleet console (docs/CONSOLE.md, SQLite store): COLLECTOR_CONSOLE=on|[host:]port`;

function fail(message: string): never {
  process.stderr.write(`collector: ${message}\n${USAGE}\n`);
  process.exit(EXIT_USAGE);
}

interface CliArgs {
  host: string;
  port: number;
  store: string;
  buffer: string | undefined;
  timeseries: string | undefined;
  rollupRetentionDays: number | undefined;
  apiKeys: string[];
  retentionDays: number;
  rateLimit: Partial<RateLimitOptions>;
  log: boolean;
}

function parse(): CliArgs {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        db: { type: 'string' },
        store: { type: 'string' },
        buffer: { type: 'string' },
        timeseries: { type: 'string' },
        'rollup-retention-days': { type: 'string' },
        'api-key': { type: 'string', multiple: true },
        'retention-days': { type: 'string' },
        'device-events-per-second': { type: 'string' },
        'device-burst': { type: 'string' },
        log: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const env = process.env;
  const fromFlags = (values['api-key'] ?? []).map((k) => k.trim()).filter((k) => k !== '');
  const apiKeys = fromFlags.length > 0 ? fromFlags : (env.COLLECTOR_API_KEYS ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (apiKeys.length === 0) fail('no API key: pass --api-key <key> or set COLLECTOR_API_KEYS; refusing to accept unauthenticated telemetry');
  const port = Number(values.port ?? env.COLLECTOR_PORT ?? 4318);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be an integer from 0 to 65535');
  const retentionDays = Number(values['retention-days'] ?? 90);
  if (!(retentionDays > 0)) fail('--retention-days must be a positive number');
  const rollupRaw = values['rollup-retention-days'];
  const rollupRetentionDays = rollupRaw === undefined ? undefined : Number(rollupRaw);
  if (rollupRetentionDays !== undefined && !(rollupRetentionDays > 0)) fail('--rollup-retention-days must be a positive number');
  if (values.store !== undefined && values.db !== undefined) fail('pass either --store or --db, not both');
  const db = values.db ?? env.COLLECTOR_DB;
  const store = values.store ?? env.COLLECTOR_STORE ?? `sqlite:${db ?? '.data/collector.db'}`;
  const rateLimit: Partial<RateLimitOptions> = {};
  for (const [flag, key] of [['device-events-per-second', 'eventsPerSecondPerDevice'], ['device-burst', 'eventBurstPerDevice']] as const) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!(Number.isFinite(n) && n >= 1)) fail(`--${flag} must be a number >= 1`);
    rateLimit[key] = n;
  }
  const buffer = values.buffer ?? env.COLLECTOR_BUFFER;
  const timeseries = values.timeseries ?? env.COLLECTOR_TIMESERIES;
  return { host: values.host ?? env.COLLECTOR_HOST ?? '127.0.0.1', port, store, buffer, timeseries, rollupRetentionDays, apiKeys, retentionDays, rateLimit, log: values.log ?? false };
}

const args = parse();

async function start(): Promise<Collector> {
  // With a buffer the collector stores nothing itself: writers do (npm run writer).
  const timeseries = args.timeseries === undefined ? undefined : await openTimeseries(args.timeseries);
  const store = await (args.buffer !== undefined ? openBufferedStore(args.buffer) : openStore(args.store)).catch(async (e: unknown) => {
    await timeseries?.close();
    throw e;
  });
  return createCollector({
    timeseries,
    host: args.host,
    port: args.port,
    store,
    apiKeys: args.apiKeys,
    retentionDays: args.retentionDays,
    rollupRetentionDays: args.rollupRetentionDays,
    rateLimit: args.rateLimit,
    // Loaded only when asked for: alerting brings prom-client, nodemailer and yaml.
    plugins: process.env.COLLECTOR_ADMIN_KEYS ? (await import('./alerting.js')).collectorPluginsFromEnv(process.env) : [],
    // Logs go to stderr: stdout carries only the ready line.
    logger: args.log ? { level: 'info', stream: process.stderr } : false,
  });
}

const collector = await start().catch((e: unknown) => {
  if (e instanceof UnreadableStoreError) {
    process.stderr.write(`collector: cannot start: ${e.message}\n`);
    process.exit(EXIT_UNREADABLE_STORE);
  }
  if (e instanceof StoreConfigError) {
    process.stderr.write(`collector: cannot start: ${e.message}\n`);
    process.exit(EXIT_USAGE);
  }
  process.stderr.write(`collector: cannot start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(EXIT_START_FAILED);
});
process.stdout.write(`collector listening on ${collector.url}\n`);
// The console reads the SQLite store through the analyzer (the ClickHouse reader is not built yet).
if (args.buffer === undefined && args.store.startsWith('sqlite:')) await startConsoleFromEnv(args.store.slice('sqlite:'.length), process.env, (line) => process.stdout.write(`${line}\n`), collector.url);
else if (process.env.COLLECTOR_CONSOLE) process.stdout.write('Fleet console: unavailable (it reads a SQLite store; ClickHouse is not supported yet)\n');

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => {
    process.stderr.write('collector: graceful close timed out\n');
    process.exit(1);
  }, FORCE_EXIT_AFTER_MS).unref();
  collector.close().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`collector: close failed: ${String(e)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
