// The alerting API on the collector (docs/ALERTING.md): rules (CRUD), silences, history, the active
// alerts with their delivery status, and the rules exported for Prometheus. Every route is
// authorised by the collector's admin keys (never the devices' API keys, which ship in every copy
// of the app); the collector's own key check skips routes marked `ownAuth`.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AlertConfigError, type AlertConfigStore } from './config-store.js';
import type { AlertEngine } from './engine.js';
import type { HistoryEntry } from './history.js';
import { alertmanagerConfig } from './prometheus/alertmanager-config.js';
import { prometheusRules } from './prometheus/rules-file.js';

export interface AlertingApiOptions {
  config: AlertConfigStore;
  engine: AlertEngine;
  /** True when the Authorization header carries an admin key. */
  authorize(authorization: string | undefined): boolean;
  /** Extra status to show (the release monitor's). */
  releaseStatus?: () => unknown;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route checks its own authorisation (admin keys), not the devices' API key. */
    ownAuth?: boolean;
  }
}

const MAX_HISTORY = 1000;

export function registerAlertingApi(app: FastifyInstance, o: AlertingApiOptions): void {
  const config = { ownAuth: true };
  const guard = async (req: { headers: { authorization?: string } }, reply: FastifyReply): Promise<boolean> => {
    if (o.authorize(req.headers.authorization)) return true;
    await reply.code(req.headers.authorization === undefined ? 401 : 403).send({ error: req.headers.authorization === undefined ? 'missing_admin_key' : 'invalid_admin_key' });
    return false;
  };
  const parseJson = (body: unknown): unknown => {
    if (!Buffer.isBuffer(body) || body.length === 0) throw new AlertConfigError('send a JSON body');
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw new AlertConfigError('the body is not valid JSON');
    }
  };
  const handle = async (reply: FastifyReply, f: () => unknown) => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof AlertConfigError) return reply.code(400).send({ error: 'invalid', detail: e.message });
      throw e;
    }
  };

  app.get('/v1/alerts', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return { alerts: o.engine.active(), rules: o.engine.rulesStatus(), release: o.releaseStatus?.() ?? null };
  });

  app.get('/v1/alerts/rules', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return { rules: o.config.get().rules };
  });
  app.get<{ Params: { id: string } }>('/v1/alerts/rules/:id', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const rule = o.config.get().rules.find((r) => r.id === req.params.id);
    return rule ?? reply.code(404).send({ error: 'not_found' });
  });
  app.post('/v1/alerts/rules', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return handle(reply, () => {
      const input = parseJson(req.body) as { id?: unknown };
      if (o.config.get().rules.some((r) => r.id === input.id)) return reply.code(409).send({ error: 'exists', detail: `rule "${String(input.id)}" exists: PUT /v1/alerts/rules/${String(input.id)} to change it` });
      return reply.code(201).send(o.config.upsertRule(input as never));
    });
  });
  app.put<{ Params: { id: string } }>('/v1/alerts/rules/:id', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return handle(reply, () => {
      const input = parseJson(req.body);
      if (typeof input !== 'object' || input === null) throw new AlertConfigError('the rule must be a JSON object');
      return o.config.upsertRule({ ...(input as object), id: req.params.id } as never);
    });
  });
  app.delete<{ Params: { id: string } }>('/v1/alerts/rules/:id', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return o.config.deleteRule(req.params.id) ? reply.code(204).send() : reply.code(404).send({ error: 'not_found' });
  });

  app.get('/v1/alerts/silences', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return { silences: o.config.get().silences };
  });
  app.post('/v1/alerts/silences', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return handle(reply, () => reply.code(201).send(o.config.addSilence(parseJson(req.body))));
  });
  app.delete<{ Params: { id: string } }>('/v1/alerts/silences/:id', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return o.config.deleteSilence(req.params.id) ? reply.code(204).send() : reply.code(404).send({ error: 'not_found' });
  });

  app.get<{ Querystring: { limit?: string; rule?: string; kind?: string } }>('/v1/alerts/history', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const limit = Math.min(MAX_HISTORY, Math.max(1, Number(req.query.limit ?? 100) || 100));
    const kind = ['alert', 'delivery', 'release'].includes(req.query.kind ?? '') ? (req.query.kind as HistoryEntry['kind']) : undefined;
    return { history: o.engine.history.list({ limit, ...(req.query.rule ? { ruleId: req.query.rule } : {}), ...(kind ? { kind } : {}) }) };
  });

  app.get('/v1/alerts/prometheus-rules', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    return reply.type('text/yaml; charset=utf-8').send(prometheusRules(o.config.get().rules).yaml);
  });
  app.get('/v1/alerts/alertmanager-config', { config }, async (req, reply) => {
    if (!(await guard(req, reply))) return reply;
    const channels = o.config.get().channels;
    if (channels.length === 0) return reply.code(409).send({ error: 'no_channels', detail: 'add a webhook or e-mail channel to the config first' });
    return reply.type('text/yaml; charset=utf-8').send(alertmanagerConfig(channels));
  });
}
