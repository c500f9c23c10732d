// The browser host: the built renderer and the same bridge handlers as Electron's main process,
// served over HTTP on a loopback address, so the dashboard runs unchanged in any Chromium. Every
// bridge call carries a random per-run token (given to the page in the URL fragment, which is never
// sent to a server), and requests must name this very host, which stops DNS-rebinding pages.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { BRIDGE_HTTP_PATH, BRIDGE_MAX_ARG_BYTES } from '../telemetry/bridge.js';
import { BridgeError, type BridgeHandlers } from './bridge-handlers.js';

export interface BrowserHostOptions {
  handlers: BridgeHandlers;
  /** The built renderer (vite's output). Without it only the bridge is served. */
  staticDir?: string | null;
  /** A loopback address only: this is a local tool. */
  host?: '127.0.0.1' | '::1' | 'localhost';
  port?: number;
  /** Fixed for tests; random (32 bytes) by default. */
  token?: string;
}

export interface BrowserHost {
  /** Origin, e.g. http://127.0.0.1:5123 */
  origin: string;
  /** What a person opens: the origin with the token in the fragment. */
  url: string;
  token: string;
  close(): Promise<void>;
}

/** Content-Security-Policy of the dashboard: nothing but itself. The same string is set by main/. */
export const DASHBOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const app = Fastify({ logger: false, bodyLimit: BRIDGE_MAX_ARG_BYTES + 1024 });
  let allowedHosts: Set<string> = new Set();
  let allowedOrigins: Set<string> = new Set();

  app.addHook('onRequest', async (req, reply) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      return reply.code(421).send({ error: { code: 'forbidden', message: 'this host serves only its own loopback address' } });
    }
    reply.header('content-security-policy', DASHBOARD_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cache-control', 'no-store');
  });

  app.post<{ Params: { method: string }; Body: { args?: unknown } }>(`${BRIDGE_HTTP_PATH}:method`, async (req, reply) => {
    const auth = Buffer.from(req.headers.authorization ?? '');
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      return reply.code(401).send({ error: { code: 'forbidden', message: 'missing or wrong bridge token: open the URL the host printed' } });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) {
      return reply.code(403).send({ error: { code: 'forbidden', message: `requests from ${origin.slice(0, 100)} are not allowed` } });
    }
    const body = req.body;
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      return reply.code(400).send({ error: { code: 'bad_request', message: 'the body must be a JSON object {"args": ...}' } });
    }
    try {
      const result = await options.handlers.call(req.params.method, body?.args);
      return reply.send({ result: result ?? null });
    } catch (e) {
      const err = e instanceof BridgeError ? e : new BridgeError('internal', String(e));
      const status = { bad_request: 400, unknown_method: 404, forbidden: 403, too_large: 413, rate_limited: 429, internal: 500 }[err.code];
      return reply.code(status).send({ error: err.toBody() });
    }
  });

  app.setErrorHandler((error: { statusCode?: number; message: string }, _req, reply) => {
    const status = error.statusCode ?? 500;
    const code = status === 413 ? 'too_large' : status < 500 ? 'bad_request' : 'internal';
    void reply.code(status).send({ error: { code, message: error.message } });
  });

  if (options.staticDir && existsSync(options.staticDir)) {
    await app.register(fastifyStatic, { root: options.staticDir, index: ['index.html'], cacheControl: false });
  } else {
    app.get('/', async (_req, reply) => reply.type('text/plain').send('The dashboard is not built: run `npm run build:renderer`. The bridge is served at ' + BRIDGE_HTTP_PATH));
  }

  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const hostPart = host === '::1' ? `[::1]` : host;
  const hostOrigin = `http://${hostPart}:${port}`;
  allowedHosts = new Set([`${hostPart}:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
  return {
    origin: hostOrigin,
    url: `${hostOrigin}/#token=${token}`,
    token,
    close: () => app.close(),
  };
}
