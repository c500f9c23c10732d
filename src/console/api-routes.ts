// The console's read API: one route per dashboard question, each a thin, validated call into the
// analyzer's fleet queries (src/analyzer/fleet), cached while the store is unchanged. Bad query
// strings get a 400 that says what was wrong, never a crash.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { FleetAnalysis } from '../analyzer/fleet/fleet-analysis.js';
import { MAX_LOG_LIMIT, MAX_QUERY_LENGTH } from '../analyzer/fleet/log-search.js';
import { nameSchema } from '../telemetry/event/schema.js';
import type { ResponseCache } from './response-cache.js';

/** The longest window the console offers: the collector's default retention of raw rows. */
export const MAX_DAYS = 90;
export const MAX_FUNNEL_STEPS = 8;

const days = z.coerce.number().int().min(1).max(MAX_DAYS).default(30);
const version = z.string().min(1).max(64).optional();
const schemas = {
  days: z.object({ days }),
  executive: z.object({ period: z.enum(['week', 'month']).default('week') }),
  flow: z.object({ days, version }),
  funnel: z.object({
    days,
    version,
    steps: z
      .string()
      .max(MAX_FUNNEL_STEPS * 65)
      .transform((s) => s.split(',').filter((x) => x !== ''))
      .pipe(z.array(nameSchema).min(1).max(MAX_FUNNEL_STEPS)),
  }),
  experiments: z.object({ days, goal: nameSchema.optional() }),
  logs: z.object({
    days,
    q: z.string().max(MAX_QUERY_LENGTH).default(''),
    version,
    os: z.string().min(1).max(64).optional(),
    kind: z.enum(['error', 'crash']).optional(),
    group: z.string().regex(/^[0-9a-f]{1,64}$/).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_LOG_LIMIT).default(100),
  }),
  issue: z.object({ id: z.string().regex(/^[0-9a-f]{1,64}$/) }),
};

export class BadQuery extends Error {}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new BadQuery(r.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return r.data;
}

export function registerApiRoutes(app: FastifyInstance, analysis: FleetAnalysis, cache: ResponseCache): void {
  const cached = <T>(key: string, f: () => T): T => cache.get(key, f);
  const get = (path: string, answer: (query: unknown, params: unknown) => unknown) =>
    app.get(path, async (req) => answer(req.query, req.params));

  get('/api/versions', (q) => {
    const { days: d } = parse(schemas.days, q);
    return cached(`versions:${d}`, () => analysis.versions(d));
  });
  get('/api/executive', (q) => {
    const { period } = parse(schemas.executive, q);
    return cached(`executive:${period}`, () => analysis.executive(period));
  });
  get('/api/issues', (q) => {
    const { days: d } = parse(schemas.days, q);
    return cached(`issues:${d}`, () => analysis.issues(d));
  });
  get('/api/issues/:id', (q, p) => {
    const { days: d } = parse(schemas.days, q);
    const { id } = parse(schemas.issue, p);
    const detail = cached(`issue:${id}:${d}`, () => analysis.issue(id, d));
    if (detail === null) throw new NotFound(`no group ${id} in the last ${d} days`);
    return detail;
  });
  get('/api/components', (q) => {
    const { days: d } = parse(schemas.days, q);
    return cached(`components:${d}`, () => analysis.components(d));
  });
  get('/api/releases', (q) => {
    const { days: d } = parse(schemas.days, q);
    return cached(`releases:${d}`, () => analysis.releases(d));
  });
  get('/api/adoption', (q) => {
    const { days: d } = parse(schemas.days, q);
    return cached(`adoption:${d}`, () => analysis.adoption(d));
  });
  get('/api/features', (q) => {
    const { days: d } = parse(schemas.days, q);
    return cached(`features:${d}`, () => analysis.features(d));
  });
  get('/api/flow', (q) => {
    const { days: d, version: v } = parse(schemas.flow, q);
    return cached(`flow:${d}:${v ?? ''}`, () => analysis.flow(d, v ?? null));
  });
  get('/api/funnel', (q) => {
    const { days: d, version: v, steps } = parse(schemas.funnel, q);
    return cached(`funnel:${d}:${v ?? ''}:${steps.join(',')}`, () => analysis.funnel(d, steps, v ?? null));
  });
  get('/api/experiments', (q) => {
    const { days: d, goal } = parse(schemas.experiments, q);
    return cached(`experiments:${d}:${goal ?? ''}`, () => analysis.experiments(d, goal ?? null));
  });
  get('/api/logs', (q) => {
    const l = parse(schemas.logs, q);
    return cached(`logs:${JSON.stringify(l)}`, () => analysis.logs({ days: l.days, text: l.q, version: l.version ?? null, os: l.os ?? null, kind: l.kind ?? null, group: l.group ?? null, limit: l.limit }));
  });
}

export class NotFound extends Error {}
