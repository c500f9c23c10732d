// The durable ingest buffer under faults (issue 13): two collectors and two writers as processes
// around a real NATS JetStream, devices uploading as the SDK does (a batch is retried until a 200,
// on either collector). Mid-stream a writer is SIGKILLed, JetStream is restarted and a collector is
// restarted. The store must hold exactly the events the devices had acknowledged: 0 lost, 0
// duplicates, and every device's seq without gaps.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, hasBinary, startNats, type EngineProcess } from '../../../src/collector/engines/processes.js';
import { post } from '../helpers.js';
import { engineDir } from '../stores/engines.js';

const ROOT = join(import.meta.dirname, '../../..');
const KEY = 'kill-test-key';
const DEVICES = 4;
const BATCHES_PER_DEVICE = 25;
const EVENTS_PER_BATCH = 40;

interface Proc {
  child: ChildProcessWithoutNullStreams;
  ready: Promise<string>;
  exited: Promise<number | null>;
}

const procs: ChildProcessWithoutNullStreams[] = [];
function run(script: string, args: string[], readyLine: RegExp): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, COLLECTOR_API_KEYS: '' } });
  procs.push(child);
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = readyLine.exec(out);
      if (m) resolve(m[1] ?? m[0]);
    });
    void exited.then((code) => reject(new Error(`${script} exited ${code} before ready: ${err}`)));
  });
  return { child, ready, exited };
}

async function stopProc(p: Proc, signal: NodeJS.Signals): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}

const dirs: (() => void)[] = [];
let nats: EngineProcess | undefined;
afterAll(async () => {
  for (const c of procs) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await nats?.stop();
  for (const d of dirs) d();
});

describe.skipIf(!hasBinary('nats-server'))('the JetStream ingest buffer', () => {
  it('with a writer SIGKILLed, JetStream restarted and a collector restarted mid-stream: 0 lost, 0 duplicates, seq without gaps', async () => {
    const { dir, cleanup } = engineDir('buffer-kill');
    dirs.push(cleanup);
    const ports = { client: await freePort(), monitor: await freePort() };
    nats = await startNats(join(dir, 'nats'), { ports });
    const dbPath = join(dir, 'store.db');
    const startCollector = (): Proc => run('src/collector/cli.ts', ['--port', '0', '--api-key', KEY, '--buffer', nats!.url], /collector listening on (\S+)\n/);
    const startWriterProc = (): Proc => run('src/collector/writer-cli.ts', ['--buffer', nats!.url, '--store', `sqlite:${dbPath}`, '--ack-wait-ms', '1000'], /writer consuming .*\n/);
    // The first writer creates the store's file before the second opens it.
    const writers = [startWriterProc()];
    await writers[0]!.ready;
    writers.push(startWriterProc());
    const collectors = [startCollector(), startCollector()];
    await writers[1]!.ready;
    const urls = await Promise.all(collectors.map((c) => c.ready));

    // Devices: each uploads its batches in order, each batch retried (on either collector) until a 200.
    const devices = Array.from({ length: DEVICES }, () => ({ user_id: uuidv4(), device_id: uuidv4(), session: uuidv7(), seq: 0 }));
    const tracked: string[] = [];
    let delivered = 0;
    const faults: Promise<void>[] = [];
    const onDelivered = (): void => {
      delivered++;
      const total = DEVICES * BATCHES_PER_DEVICE;
      if (delivered === Math.floor(total * 0.2)) faults.push(stopProc(writers[0]!, 'SIGKILL'));
      if (delivered === Math.floor(total * 0.4)) faults.push((async () => {
        await nats!.stop();
        nats = await startNats(join(dir, 'nats'), { ports });
      })());
      if (delivered === Math.floor(total * 0.6)) faults.push((async () => {
        await stopProc(collectors[0]!, 'SIGTERM');
        collectors[0] = startCollector();
        urls[0] = await collectors[0].ready;
      })());
    };
    let retries = 0;
    await Promise.all(
      devices.map(async (d, di) => {
        for (let b = 0; b < BATCHES_PER_DEVICE; b++) {
          const now = Date.now();
          const events = Array.from({ length: EVENTS_PER_BATCH }, () => ({
            id: uuidv7(), event_type: 'performance', name: 'api.latency', timestamp: new Date(now).toISOString(), session_id: d.session, seq: ++d.seq, value: 100, unit: 'ms',
          }));
          const body = { schema_version: 1, sent_at: new Date(now).toISOString(), common: { user_id: d.user_id, device_id: d.device_id, app_version: '1.0.0', os: 'linux-x64' }, events };
          for (let attempt = 0; ; attempt++) {
            const url = urls[(di + b + attempt) % urls.length]!;
            const res = await post(`${url}/v1/batch`, body, { key: KEY }).catch(() => ({ status: 0, body: undefined }));
            if (res.status === 200) {
              expect(res.body.rejected).toEqual([]);
              break;
            }
            retries++;
            await new Promise((r) => setTimeout(r, 50));
          }
          tracked.push(...events.map((e) => e.id));
          onDelivered();
        }
      }),
    );
    await Promise.all(faults);

    // Wait (by polling the store, not by a fixed sleep) until the writers have stored everything.
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    const count = (): number => db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    const deadline = Date.now() + 120_000;
    while (count() < tracked.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));

    const stored = db.prepare('SELECT id FROM events').pluck().all() as string[];
    expect(new Set(stored).size).toBe(stored.length); // 0 duplicates
    expect(stored.length).toBe(tracked.length); // 0 lost (and nothing extra)
    expect(new Set(stored)).toEqual(new Set(tracked));
    for (const d of devices) {
      const seqs = db.prepare('SELECT seq FROM events WHERE device_id = ? ORDER BY seq').pluck().all(d.device_id) as number[];
      expect(seqs).toEqual(Array.from({ length: BATCHES_PER_DEVICE * EVENTS_PER_BATCH }, (_, i) => i + 1));
    }
    db.close();
    // The faults did happen: the killed writer is gone, and devices had to retry (JetStream down).
    expect(writers[0]!.child.signalCode).toBe('SIGKILL');
    expect(retries).toBeGreaterThan(0);
    await Promise.all([...collectors, writers[1]!].map((p) => stopProc(p, 'SIGTERM')));
  }, 240_000);
});
