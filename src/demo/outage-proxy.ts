// A pass-through HTTP proxy in front of the demo's collector that answers 503 (with Retry-After)
// while an outage is on: a real upload failure for Diagnostics to explain, without touching the
// collector. Loopback only.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OutageProxy {
  readonly url: string;
  /** While true, every request is answered 503 Service Unavailable. */
  setOutage(on: boolean): void;
  close(): Promise<void>;
}

export async function startOutageProxy(target: string, retryAfterSeconds = 5): Promise<OutageProxy> {
  const to = new URL(target);
  let outage = false;
  const server: Server = createServer((req, res) => {
    if (outage) {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': String(retryAfterSeconds) });
      res.end(JSON.stringify({ error: 'service unavailable (the demo\'s simulated outage)' }));
      return;
    }
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setOutage: (on) => {
      outage = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
