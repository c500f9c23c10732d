// The console's alert views talk to the collector's alerting API (docs/ALERTING.md), the one that
// exists, rather than to a second copy of the rules: the console checks the team's session and CSRF
// token (plugin.ts), then forwards the call with an admin key it holds server-side, so the key never
// reaches a browser. Only these routes and methods are forwarded, with the ids and query validated.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ApiError } from './api-types.js';

export interface ConsoleAlerting {
  /** The collector's origin, e.g. http://127.0.0.1:4318. */
  url: string;
  /** One of the collector's COLLECTOR_ADMIN_KEYS. */
  adminKey: string;
}

/** Longer than a slow evaluation holds nothing here (the collector answers from memory). */
const FORWARD_TIMEOUT_MS = 10_000;
const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/);
const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), kind: z.enum(['alert', 'delivery', 'release']).optional(), rule: id.optional() });

function fail(reply: FastifyReply, status: number, code: ApiError['error']['code'], message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } } satisfies ApiError);
}

export function registerAlertsProxy(app: FastifyInstance, alerting: ConsoleAlerting | null): void {
  const forward = async (reply: FastifyReply, method: string, path: string, body?: unknown): Promise<FastifyReply> => {
    if (alerting === null) return fail(reply, 404, 'not_found', 'alerting is not configured: start the collector with COLLECTOR_ADMIN_KEYS (and the console beside it)');
    let res: Response;
    try {
      res = await fetch(new URL(path, alerting.url), {
        method,
        headers: { authorization: `Bearer ${alerting.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
      });
    } catch (e) {
      return fail(reply, 502, 'internal', `the collector's alerting API did not answer (${(e as Error).message})`);
    }
    if (res.status === 204) return reply.code(204).send();
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      return fail(reply, 502, 'internal', 'the collector answered something that is not JSON');
    }
    if (res.ok) return reply.code(res.status).send(parsed);
    // The collector says { error, detail }; the console's pages read { error: { code, message } }.
    const e = (parsed ?? {}) as { error?: unknown; detail?: unknown };
    const message = typeof e.detail === 'string' ? e.detail : typeof e.error === 'string' ? e.error : `HTTP ${res.status}`;
    if (res.status === 401 || res.status === 403) return fail(reply, 502, 'internal', `the console's admin key was refused by the collector (${message})`);
    return fail(reply, res.status, res.status === 404 ? 'not_found' : 'bad_request', message);
  };
  const idOf = (p: unknown): string | null => {
    const r = id.safeParse((p as { id?: unknown }).id);
    return r.success ? r.data : null;
  };

  app.get('/api/alerts', async (_req, reply) => forward(reply, 'GET', '/v1/alerts'));
  app.get('/api/alerts/history', async (req, reply) => {
    const q = historyQuery.safeParse(req.query);
    if (!q.success) return fail(reply, 400, 'bad_request', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const s = new URLSearchParams({ limit: String(q.data.limit), ...(q.data.kind ? { kind: q.data.kind } : {}), ...(q.data.rule ? { rule: q.data.rule } : {}) });
    return forward(reply, 'GET', `/v1/alerts/history?${s}`);
  });
  app.get('/api/alerts/rules', async (_req, reply) => forward(reply, 'GET', '/v1/alerts/rules'));
  app.post('/api/alerts/rules', async (req, reply) => forward(reply, 'POST', '/v1/alerts/rules', req.body ?? null));
  app.put('/api/alerts/rules/:id', async (req, reply) => {
    const rid = idOf(req.params);
    return rid === null ? fail(reply, 400, 'bad_request', 'id: not a rule id') : forward(reply, 'PUT', `/v1/alerts/rules/${rid}`, req.body ?? null);
  });
  app.delete('/api/alerts/rules/:id', async (req, reply) => {
    const rid = idOf(req.params);
    return rid === null ? fail(reply, 400, 'bad_request', 'id: not a rule id') : forward(reply, 'DELETE', `/v1/alerts/rules/${rid}`);
  });
  app.get('/api/alerts/silences', async (_req, reply) => forward(reply, 'GET', '/v1/alerts/silences'));
  app.post('/api/alerts/silences', async (req, reply) => forward(reply, 'POST', '/v1/alerts/silences', req.body ?? null));
  app.delete('/api/alerts/silences/:id', async (req, reply) => {
    const sid = idOf(req.params);
    return sid === null ? fail(reply, 400, 'bad_request', 'id: not a silence id') : forward(reply, 'DELETE', `/v1/alerts/silences/${sid}`);
  });
}
