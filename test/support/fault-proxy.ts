// A fault-injecting HTTP proxy in front of the real collector, on 127.0.0.1. Each fault is what a
// real network or server does to a client: refuse, fail, throttle, stall, cut the connection,
// answer garbage, or answer too late after storing.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type Fault =
  | { kind: 'pass' }
  /** Answer `status` to the next `count` requests without forwarding them. */
  | { kind: 'status'; status: number; count: number; retryAfter?: number }
  /** Forward (the collector stores the batch), but answer only after `delayMs`. */
  | { kind: 'slow'; delayMs: number; count: number }
  /** Read part of the request body, then destroy the connection. */
  | { kind: 'reset_mid_body'; count: number }
  /** Forward (stored), then destroy the connection instead of answering. */
  | { kind: 'reset_after_store'; count: number }
  /** Forward (stored), then answer 200 with a body that is not the protocol's. */
  | { kind: 'garbage_response'; count: number }
  /** Answer 200 with a body that is not the protocol's, WITHOUT forwarding: trusting it loses the batch. */
  | { kind: 'garbage_instead'; count: number }
  /** Answer 413 to any batch of more than `maxEvents` events. */
  | { kind: 'too_large_over'; maxEvents: number }
  /** Forward the headers and half the body, then hold the rest until the collector goes away:
   *  the collector is mid-batch for as long as the test needs (see `halfForwarded`). */
  | { kind: 'half_forward'; count: number };

export interface RequestRecord {
  at: number;
  path: string;
  events: number;
  answered: number | 'reset' | 'forwarded';
  /** When the answer (or reset) went out, ms since the epoch. */
  answeredAt?: number;
}

export class FaultProxy {
  private server: Server | null = null;
  private port = 0;
  /** Faults applied in order; one with a count is used up after that many requests. */
  faults: Fault[] = [];
  readonly requests: RequestRecord[] = [];
  private readonly sockets = new Set<Socket>();
  private halfForwardWaiters: (() => void)[] = [];

  constructor(private readonly target: () => string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts every open connection: the collector is "down". */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  /** Listens again on the same port: the collector is "back". */
  async restart(): Promise<void> {
    await this.start(this.port);
  }

  get fault(): Fault {
    return this.faults[0] ?? { kind: 'pass' };
  }

  /** Resolves when a `half_forward` request has sent half its body to the collector. */
  halfForwarded(): Promise<void> {
    return new Promise((resolve) => this.halfForwardWaiters.push(resolve));
  }

  /** Replaces the fault script. */
  inject(...faults: Fault[]): void {
    this.faults = faults;
  }

  private consume(): void {
    const f = this.faults[0];
    if (f && 'count' in f) {
      f.count--;
      if (f.count <= 0) this.faults.shift();
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const f = this.fault;
    const record: RequestRecord = { at: Date.now(), path: req.url ?? '', events: 0, answered: 'forwarded' };
    this.requests.push(record);
    if (f.kind === 'garbage_instead') {
      this.consume();
      await readBody(req);
      record.answered = 200;
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>200 OK from a captive portal</html>');
      return;
    }
    if (f.kind === 'reset_mid_body') {
      this.consume();
      req.once('data', () => {
        record.answered = 'reset';
        req.socket.destroy();
      });
      return;
    }
    const body = await readBody(req);
    try {
      record.events = (JSON.parse(gunzipSync(body).toString()) as { events?: unknown[] }).events?.length ?? 0;
    } catch {
      record.events = -1;
    }
    if (f.kind === 'status') {
      this.consume();
      record.answered = f.status;
      record.answeredAt = Date.now();
      res.writeHead(f.status, { 'Content-Type': 'application/json', ...(f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {}) });
      res.end(JSON.stringify({ error: 'injected' }));
      return;
    }
    if (f.kind === 'too_large_over' && record.events > f.maxEvents) {
      record.answered = 413;
      res.writeHead(413, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'too many events' }));
      return;
    }
    let upstream: { status: number; headers: Record<string, string>; body: Buffer };
    const half = f.kind === 'half_forward';
    if (half) this.consume();
    try {
      upstream = await forward(this.target(), req, body, half ? () => this.halfForwardWaiters.splice(0).forEach((w) => w()) : undefined);
    } catch {
      record.answered = 'reset';
      req.socket.destroy();
      return;
    }
    if (f.kind === 'slow') {
      this.consume();
      await new Promise((r) => setTimeout(r, f.delayMs));
    } else if (f.kind === 'reset_after_store') {
      this.consume();
      record.answered = 'reset';
      req.socket.destroy();
      return;
    } else if (f.kind === 'garbage_response') {
      this.consume();
      record.answered = 200;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('<html>502 Bad Gateway</html>');
      return;
    }
    record.answered = upstream.status;
    if (!res.destroyed) {
      res.writeHead(upstream.status, upstream.headers);
      res.end(upstream.body);
    }
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function forward(target: string, req: IncomingMessage, body: Buffer, onHalf?: () => void): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const k of ['content-type', 'content-encoding', 'authorization']) {
      const v = req.headers[k];
      if (typeof v === 'string') headers[k] = v;
    }
    headers['content-length'] = String(body.length);
    const up = request(`${target}${req.url}`, { method: req.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h: Record<string, string> = {};
        for (const k of ['content-type', 'retry-after']) {
          const v = res.headers[k];
          if (typeof v === 'string') h[k] = v;
        }
        resolve({ status: res.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    up.on('error', reject);
    if (!onHalf) {
      up.end(body);
      return;
    }
    // The rest of the body is never sent: the request ends when the collector's socket does.
    up.flushHeaders();
    up.write(body.subarray(0, body.length >> 1), () => onHalf());
  });
}
