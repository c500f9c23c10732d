// What the alerting tests share: a webhook receiver on loopback that records what it was sent, a
// clock the test moves, a collector store filled minute by minute, and a simple anomaly scorer
// (the real detectors live in src/analyzer/detect and are wired by the collector).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnomalyScorer } from '../../src/alerting/condition.js';
import { openStore, StoreWriter } from '../analyzer/support/store.js';
import type { Db } from '../../src/analyzer/store.js';

export interface Received {
  at: number;
  path: string;
  headers: IncomingMessage['headers'];
  // The JSON body as sent; each test reads the fields it expects.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** Answer these statuses to the next requests, in order (then 200). */
  failNext(...statuses: number[]): void;
  /** Resolves when `n` requests have arrived. */
  waitFor(n: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(now: () => number = Date.now): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const failures: number[] = [];
  const waiters: { n: number; resolve: (r: Received[]) => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = failures.shift() ?? 200;
      if (status === 200) {
        const text = Buffer.concat(chunks).toString('utf8');
        received.push({ at: now(), path: req.url ?? '', headers: req.headers, body: text === '' ? null : JSON.parse(text) });
        for (const w of [...waiters]) {
          if (received.length < w.n) continue;
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(received);
        }
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    failNext: (...s) => failures.push(...s),
    waitFor: (n) => (received.length >= n ? Promise.resolve(received) : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

export class FakeClock {
  constructor(public t: number) {}
  now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A collector store the test writes events into, at the times it chooses. */
export class FleetWriter {
  readonly db: Db;
  private readonly w: StoreWriter;
  private n = 0;

  constructor() {
    this.db = openStore('collector');
    this.w = new StoreWriter(this.db, 'collector');
  }

  /** One device's activity at `ts`: a session start (first time), some events, maybe a crash. */
  activity(ts: number, o: { device: string; version: string; os?: string; crash?: boolean; errors?: number; latencyMs?: number; events?: number }): void {
    const base = { session: `s-${o.device}`, user: `u-${o.device}`, device: o.device, version: o.version, os: o.os ?? 'linux-x64' };
    for (let i = 0; i < (o.events ?? 1); i++) this.w.add({ ...base, ts, type: 'app', name: 'app.heartbeat', fields: {} });
    if (o.latencyMs !== undefined) this.w.add({ ...base, ts, type: 'network', name: 'api.request', fields: { url: 'https://api.example.com', status_code: 200, duration_ms: o.latencyMs, bytes_transferred: 1 } });
    for (let i = 0; i < (o.errors ?? 0); i++) this.w.add({ ...base, ts, type: 'error', name: 'mcp.tool_failed', fields: { error_message: 'x', error_code: 'E' } });
    if (o.crash) this.w.add({ ...base, ts, type: 'crash', name: 'main.uncaught_exception', fields: { error_message: 'boom', process: 'main', reason: 'uncaught_exception' } });
    this.n++;
  }

  flush(): void {
    this.w.flush();
  }
}

/** A plain z-score over the last 30 points, squashed to [0, 1): enough to tell a spike from noise. */
export function simpleScorer(): AnomalyScorer {
  const xs: number[] = [];
  return {
    update(_ts, v) {
      const n = xs.length;
      let score = 0;
      if (n >= 5) {
        const mean = xs.reduce((a, x) => a + x, 0) / n;
        const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n) || 1e-9;
        score = 1 - Math.exp(-Math.abs(v - mean) / sd / 3);
      }
      xs.push(v);
      if (xs.length > 30) xs.shift();
      return score;
    },
  };
}

export const MINUTE = 60_000;
export const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
