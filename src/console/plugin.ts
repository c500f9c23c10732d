// The fleet console as a fastify plugin: the built web app (static, holds no data), a login that
// trades the access token for a session, and the read API behind it. Every request must name this
// very host (DNS rebinding), every API call needs a live session cookie, and anything that changes
// state also needs the session's CSRF token in a header and a same-origin Origin.
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { FleetAnalysis } from '../analyzer/fleet/fleet-analysis.js';
import { DASHBOARD_CSP } from '../host/browser-host.js';
import type { Clock } from '../telemetry/ports.js';
import { ConsoleAccess, SESSION_COOKIE, SESSION_MAX_AGE_MS, type Session } from './access.js';
import { registerAlertsProxy, type ConsoleAlerting } from './alerts-proxy.js';
import { BadQuery, NotFound, registerApiRoutes } from './api-routes.js';
import type { ApiError, SessionInfo } from './api-types.js';
import { ResponseCache } from './response-cache.js';

export interface FleetConsolePluginOptions {
  analysis: FleetAnalysis;
  access: ConsoleAccess;
  clock: Clock;
  /** The built web app (dist/console); without it only the API is served. */
  staticDir: string | null;
  /** Host headers and Origins this console answers to (known once it listens). */
  allowed: () => { hosts: ReadonlySet<string>; origins: ReadonlySet<string> };
  /** The collector's alerting API, for the Alerts and Release views; null: those say it is off. */
  alerting?: ConsoleAlerting | null;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: Session;
  }
}

function send(reply: FastifyReply, status: number, code: ApiError['error']['code'], message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } } satisfies ApiError);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export const fleetConsolePlugin: FastifyPluginAsync<FleetConsolePluginOptions> = async (app: FastifyInstance, o) => {
  const cache = new ResponseCache(o.clock, () => o.analysis.dataVersion());

  app.addHook('onRequest', async (req, reply) => {
    const { hosts, origins } = o.allowed();
    if (!hosts.has(req.headers.host ?? '')) return send(reply, 421, 'forbidden', 'this console answers only to its own address');
    reply.header('content-security-policy', DASHBOARD_CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cache-control', 'no-store');
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) return send(reply, 403, 'forbidden', `requests from ${origin.slice(0, 100)} are not allowed`);
    if (!req.url.startsWith('/api/')) return;
    if (UNSAFE.has(req.method) && origin === undefined) return send(reply, 403, 'forbidden', 'a request that changes state must carry its Origin');
    if (req.url === '/api/session' && req.method === 'POST') return; // the login itself
    const session = o.access.session(cookieValue(req.headers.cookie, SESSION_COOKIE));
    if (session === null) return send(reply, 401, 'unauthorized', 'no session or it expired: open the link the console printed');
    if (UNSAFE.has(req.method) && !ConsoleAccess.csrfMatches(session, req.headers['x-csrf-token'])) return send(reply, 403, 'forbidden', 'missing or wrong CSRF token');
    req.consoleSession = session;
  });

  app.post<{ Body: { token?: unknown } }>('/api/session', async (req, reply) => {
    const body = req.body as { token?: unknown } | undefined;
    const login = o.access.login(typeof body === 'object' && body !== null ? body.token : undefined);
    if (login === null) return send(reply, 401, 'unauthorized', 'wrong or missing access token');
    reply.header('set-cookie', `${SESSION_COOKIE}=${login.id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor(SESSION_MAX_AGE_MS / 1000)}`);
    return { csrf: login.session.csrf, expiresAt: login.session.expiresAt } satisfies SessionInfo;
  });
  app.get('/api/session', async (req) => ({ csrf: req.consoleSession!.csrf, expiresAt: req.consoleSession!.expiresAt }) satisfies SessionInfo);
  app.delete('/api/session', async (req, reply) => {
    o.access.logout(cookieValue(req.headers.cookie, SESSION_COOKIE));
    reply.header('set-cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`);
    return { ok: true };
  });

  registerApiRoutes(app, o.analysis, cache);
  registerAlertsProxy(app, o.alerting ?? null);

  app.setErrorHandler((err: Error & { statusCode?: number }, req: FastifyRequest, reply) => {
    if (err instanceof BadQuery) return send(reply, 400, 'bad_request', err.message);
    if (err instanceof NotFound) return send(reply, 404, 'not_found', err.message);
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return send(reply, status, 'bad_request', err.message);
    req.log.error({ err }, 'fleet console: query failed');
    return send(reply, 500, 'internal', 'the query failed; the collector log has the details');
  });

  if (o.staticDir && existsSync(o.staticDir)) {
    await app.register(fastifyStatic, { root: o.staticDir, index: ['index.html'], cacheControl: false });
  } else {
    app.get('/', async (_req, reply) => reply.type('text/plain').send('The console is not built: run `npm run build:console`. Its API is served under /api.'));
  }
};
