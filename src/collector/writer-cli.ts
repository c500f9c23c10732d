// `npm run writer -- --buffer nats://… --store sqlite:PATH|clickhouse://…`: a writer as a process
// (docs/FLEET.md). Takes checked batches from JetStream, stores them, acks them; runs the
// retention sweep of its store. Prints one line when ready; SIGTERM/SIGINT stop it gracefully.
import { parseArgs } from 'node:util';
import { startWriter } from './buffer/nats/writer.js';
import { openStore, StoreConfigError } from './stores/open-store.js';

const EXIT_USAGE = 2;
const EXIT_START_FAILED = 1;
const DAY_MS = 86_400_000;
/** As the collector's sweep: hourly. */
const RETENTION_SWEEP_INTERVAL_MS = 3_600_000;

const USAGE = `usage: writer --buffer nats://host:port --store sqlite:PATH|clickhouse://host:port[,host:port...][/db] [--retention-days 90] [--rollup-retention-days N] [--ack-wait-ms 30000]
environment: COLLECTOR_BUFFER, COLLECTOR_STORE`;

function fail(message: string, code = EXIT_USAGE): never {
  process.stderr.write(`writer: ${message}\n${code === EXIT_USAGE ? `${USAGE}\n` : ''}`);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({ options: { buffer: { type: 'string' }, store: { type: 'string' }, 'retention-days': { type: 'string' }, 'rollup-retention-days': { type: 'string' }, 'ack-wait-ms': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const buffer = values.buffer ?? process.env.COLLECTOR_BUFFER;
const storeSpec = values.store ?? process.env.COLLECTOR_STORE;
if (buffer === undefined) fail('no --buffer: a writer takes its batches from NATS JetStream');
if (storeSpec === undefined) fail('no --store: say where the batches go');
const retentionDays = Number(values['retention-days'] ?? 90);
const rollupRetentionDays = values['rollup-retention-days'] === undefined ? undefined : Number(values['rollup-retention-days']);
if (!(retentionDays > 0) || (rollupRetentionDays !== undefined && !(rollupRetentionDays > 0))) fail('retention days must be positive numbers');

const ackWaitMs = values['ack-wait-ms'] === undefined ? undefined : Number(values['ack-wait-ms']);
if (ackWaitMs !== undefined && !(ackWaitMs >= 100)) fail('--ack-wait-ms must be at least 100');
const store = await openStore(storeSpec).catch((e: unknown) => fail(`cannot start: ${(e as Error).message}`, e instanceof StoreConfigError ? EXIT_USAGE : EXIT_START_FAILED));
const writer = await startWriter({ servers: buffer, name: 'writer', store, ackWaitMs, onError: (err) => process.stderr.write(`writer: ${(err as Error).message ?? String(err)}\n`) }).catch(async (e: unknown) => {
  await store.close();
  return fail(`cannot start: ${(e as Error).message}. Is nats-server running with JetStream?`, EXIT_START_FAILED);
});
const prune = async (): Promise<void> => {
  try {
    await store.pruneBefore?.(Date.now() - retentionDays * DAY_MS);
    if (rollupRetentionDays !== undefined) await store.pruneRollupsBefore?.(Date.now() - rollupRetentionDays * DAY_MS);
  } catch (e) {
    process.stderr.write(`writer: retention sweep failed: ${(e as Error).message}\n`);
  }
};
void prune();
const timer = setInterval(() => void prune(), RETENTION_SWEEP_INTERVAL_MS);
timer.unref();
process.stdout.write(`writer consuming ${buffer}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  writer
    .stop()
    .then(() => store.close())
    .then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`writer: close failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
