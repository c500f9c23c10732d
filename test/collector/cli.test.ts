// The collector as a process: `tsx src/collector/cli.ts`, as `npm run collector` starts it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const CLI = join(import.meta.dirname, '../../src/collector/cli.ts');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function start(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, COLLECTOR_API_KEYS: '', ...env },
    stdio: 'pipe',
  });
  cleanups.push(() => child.kill('SIGKILL'));
  return child;
}

function collect(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => (text += d));
  return () => text;
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('the collector CLI', () => {
  it('prints its listening line, answers /healthz, and exits 0 on SIGTERM', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const child = start(['--port', '0', '--db', join(dir, 'nested', 'collector.db'), '--api-key', 'k']);
    const stdout = collect(child.stdout);
    const exit = exited(child);
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /^collector listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout());
        if (m) resolve(m[1]!);
      });
      void exit.then((code) => reject(new Error(`exited ${code} before listening`)));
    });
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const unauthorized = await fetch(`${url}/v1/batch`, { method: 'POST', body: '{}' });
    expect(unauthorized.status).toBe(401);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    // Exactly one line on stdout.
    expect(stdout().split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  it('refuses to start without an API key: exit code 2 and a clear message', async () => {
    const child = start(['--port', '0', '--db', ':memory:']);
    const stderr = collect(child.stderr);
    const stdout = collect(child.stdout);
    expect(await exited(child)).toBe(2);
    expect(stderr()).toMatch(/no API key.*--api-key.*COLLECTOR_API_KEYS/);
    expect(stdout()).toBe('');
  });

  it('with a database whose header is corrupt: says what is wrong and what to do, exits 65, leaves the file as it was', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const db = join(dir, 'collector.db');
    const damaged = Buffer.alloc(8192, 0x5a);
    damaged.write('SQLite format 2\0', 0); // almost the real header
    writeFileSync(db, damaged);
    const child = start(['--port', '0', '--db', db, '--api-key', 'k']);
    const stderr = collect(child.stderr);
    expect(await exited(child)).toBe(65);
    expect(stderr()).toMatch(/collector: cannot start: .*collector\.db is not a readable SQLite database \(SQLITE_NOTADB/);
    expect(stderr()).toMatch(/left exactly as it is.*backup.*move it aside/);
    // A message, not a stack trace.
    expect(stderr()).not.toMatch(/^\s+at /m);
    expect(readFileSync(db).equals(damaged)).toBe(true);
  });

  it.each([
    [['--store', 'clickhouse://127.0.0.1:1/telemetry'], /cannot use ClickHouse at http:\/\/127\.0\.0\.1:1: .*Is clickhouse-server running there/],
    [['--buffer', 'nats://127.0.0.1:1'], /cannot reach NATS at nats:\/\/127\.0\.0\.1:1.*Is nats-server running with JetStream/],
    [['--timeseries', 'vm://127.0.0.1:1'], /cannot use VictoriaMetrics at http:\/\/127\.0\.0\.1:1.*Is victoria-metrics running there/],
    [['--timeseries', 'influx://127.0.0.1:1'], /cannot use InfluxDB at http:\/\/127\.0\.0\.1:1.*Is influxd \(package influxdb\) running there/],
    [['--store', 'clickhouse://nohost'], /--store: "nohost" is not host:port/],
  ])('with an engine that is not there (%j): one clear line naming it, exit 2', async (flags, message) => {
    const child = start(['--port', '0', '--api-key', 'k', ...flags]);
    const stderr = collect(child.stderr);
    expect(await exited(child)).toBe(2);
    expect(stderr()).toMatch(message);
    expect(stderr()).not.toMatch(/^\s+at /m);
  });
});
