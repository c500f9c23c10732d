// The Telemetry API collector (docs/PROTOCOL.md) on fastify: authenticate, rate-limit, inflate,
// validate, correct clock skew, scrub, de-duplicate, store, and only then acknowledge.
// Stateless apart from its store and in-memory rate limits, so many copies can run side by side.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { systemClock, type Clock } from '../telemetry/ports.js';
import { createScrubber, type ScrubberOptions } from '../telemetry/scrub/scrub.js';
import { createKeyChecker } from './auth.js';
import { checkEvents, DAY_MS, DEFAULT_BATCH_LIMITS, parseEnvelope, type BatchLimits } from './batch.js';
import { decodeJsonBody } from './body.js';
import { parseDeletions } from './deletions.js';
import { HttpError, type ErrorBody } from './http-error.js';
import { TokenBuckets } from './rate-limit.js';
import { SqliteCollectorStore } from './sqlite-store.js';
import { StoreUnavailableError, type CollectorStore } from './store.js';
import type { TimeseriesSink } from './timeseries/sink.js';

export interface RateLimitOptions {
  /** Sustained events per second from one device. A device sends one 500-event batch at a time,
   *  as fast as the collector answers (~35k events/s measured on a 2-core machine): the burst lets
   *  a 100k-event backlog through unslowed; beyond it, 20k/s keeps a bigger one moving. */
  eventsPerSecondPerDevice: number;
  /** Events one device may send at once: a 100k-event backlog (a week offline) goes through unslowed. */
  eventBurstPerDevice: number;
  /** Requests per second per API key. One key is shared by every install of the app, so this caps
   *  a copy of the collector, not a device. */
  requestsPerSecondPerKey: number;
  requestBurstPerKey: number;
  /** Refused requests (4xx other than 429) per second from one source address. Junk is charged
   *  here, by source, and given back to the API key's budget, so a broken or hostile client on the
   *  shared key cannot use up the budget of every innocent device. An honest device is refused
   *  rarely (it dead-letters what was refused and moves on). */
  junkPerSecondPerSource: number;
  junkBurstPerSource: number;
}

export const DEFAULT_RATE_LIMIT: Readonly<RateLimitOptions> = {
  eventsPerSecondPerDevice: 20_000,
  eventBurstPerDevice: 100_000,
  requestsPerSecondPerKey: 2_000,
  requestBurstPerKey: 10_000,
  junkPerSecondPerSource: 10,
  junkBurstPerSource: 100,
};

/** What Retry-After says while this copy shuts down: long enough for a restart or for the load
 *  balancer to route elsewhere. */
const SHUTDOWN_RETRY_AFTER_S = 5;
/** What Retry-After says when the store failed: a short pause, the device keeps its events. */
const STORE_RETRY_AFTER_S = 5;
/** A request (headers and body) slower than this is dropped: a slow client must not hold a
 *  connection, or a shutdown, for minutes. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Node checks request timeouts only this often (30 s by default, which held slow bodies ~80 s):
 *  a tenth of the timeout, at most 1 s, keeps the hold within the documented limit. */
const MAX_TIMEOUT_CHECK_INTERVAL_MS = 1_000;
/** How often raw events older than the retention are deleted (rollups stay). */
const RETENTION_SWEEP_INTERVAL_MS = 3_600_000;
const DEFAULT_RETENTION_DAYS = 90;
const DEFAULT_PORT = 0;

/** Routes and hooks another module adds (alerting, /metrics: src/collector/alerting.ts). A route
 *  it marks `config: { ownAuth: true }` checks its own authorisation instead of the device key. */
export type CollectorPlugin = (app: FastifyInstance, ctx: { store: CollectorStore; clock: Clock }) => void | Promise<void>;

export interface CollectorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port; read it back from `Collector.port`). */
  port?: number;
  /** A store, or the path of the SQLite file of the embedded default store. */
  store?: CollectorStore | string;
  /** The path of the SQLite file (same as passing a path as `store`). */
  dbPath?: string;
  /** Plain keys; only their SHA-256 hashes are kept. At least one. */
  apiKeys: readonly string[];
  limits?: Partial<BatchLimits>;
  rateLimit?: Partial<RateLimitOptions>;
  /** Events older than this are refused, and raw rows older than this deleted. Default 90. */
  retentionDays?: number;
  /** Rollups of hours older than this are deleted. Default: kept. */
  rollupRetentionDays?: number;
  clock?: Clock;
  /** fastify's logger option; off by default. Deletions are logged without the ids. */
  logger?: FastifyServerOptions['logger'];
  /** On close(): how long to keep answering 503 (healthz included) before the port closes, so a
   *  load balancer sees the copy leave. Default 0. */
  drainDelayMs?: number;
  /** What the collector's scrubber knows (nothing by default: it serves everyone). */
  scrub?: ScrubberOptions;
  /** Where the fleet's time series go (InfluxDB, VictoriaMetrics): fed after each stored batch,
   *  never waited for. Closed with the collector. */
  timeseries?: TimeseriesSink;
  /** A request whose headers and body have not all arrived after this is answered 408 and its
   *  connection closed. Default 30 s (docs/PROTOCOL.md). */
  requestTimeoutMs?: number;
  /** Routes and hooks registered on the collector (alerting, /metrics: src/collector/alerting.ts). */
  plugins?: readonly CollectorPlugin[];
}

export interface Collector<S extends CollectorStore = CollectorStore> {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
  readonly port: number;
  readonly store: S;
  /** Graceful: refuses new requests with 503, lets those in flight finish, closes the port,
   *  then closes the store. Idempotent. */
  close(): Promise<void>;
}

export function createCollector<S extends CollectorStore>(options: Omit<CollectorOptions, 'store' | 'dbPath'> & { store: S }): Promise<Collector<S>>;
export function createCollector(options: CollectorOptions): Promise<Collector<SqliteCollectorStore>>;
export async function createCollector(options: CollectorOptions): Promise<Collector> {
  const clock = options.clock ?? systemClock;
  const limits: BatchLimits = { ...DEFAULT_BATCH_LIMITS, ...options.limits };
  const rate: RateLimitOptions = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
  const retentionMs = (options.retentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
  const rollupRetentionMs = options.rollupRetentionDays === undefined ? undefined : options.rollupRetentionDays * DAY_MS;
  const checkKey = createKeyChecker(options.apiKeys);
  const keyBuckets = new TokenBuckets({ ratePerSecond: rate.requestsPerSecondPerKey, burst: rate.requestBurstPerKey }, clock.now());
  const deviceBuckets = new TokenBuckets({ ratePerSecond: rate.eventsPerSecondPerDevice, burst: rate.eventBurstPerDevice }, clock.now());
  const junkBuckets = new TokenBuckets({ ratePerSecond: rate.junkPerSecondPerSource, burst: rate.junkBurstPerSource }, clock.now());
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const scrubber = createScrubber(options.scrub);

  const given = options.store ?? options.dbPath;
  if (given === undefined) throw new Error('createCollector: a store or a dbPath is required');
  const store: CollectorStore = typeof given === 'string' ? new SqliteCollectorStore(given, clock.now()) : given;

  let draining = false;
  /** The API key each request was charged to, for the refund of a refused one. */
  const chargedKey = new WeakMap<object, string>();
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.maxBodyBytes,
    // We answer 503 ourselves while draining, with Retry-After (fastify's own has none).
    return503OnClosing: false,
    // Our own server, for the timeout check interval fastify does not expose.
    serverFactory: (handler) => createServer(serverTimeouts(requestTimeoutMs), handler),
  });

  // Every body is taken as raw bytes (within bodyLimit → 413) and decoded by the route, which
  // owns the statuses: not gzip, not JSON → 400; too large inflated → 413.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, req, reply) => {
    if (err instanceof HttpError) return sendError(reply, err);
    const status = (err as { statusCode?: unknown }).statusCode;
    if (status === 413) return sendError(reply, new HttpError(413, 'payload_too_large', `more than ${limits.maxBodyBytes} bytes`));
    if (typeof status === 'number' && status >= 400 && status < 500) return sendError(reply, new HttpError(status, 'bad_request'));
    req.log.error({ err }, 'collector: unexpected error');
    return sendError(reply, new HttpError(500, 'internal'));
  });
  app.setNotFoundHandler((_req, reply) => sendError(reply, new HttpError(404, 'not_found')));

  // Before the body is read: a refused request costs no inflation or parsing.
  app.addHook('onRequest', async (req) => {
    if (req.routeOptions.url === '/healthz') return;
    if (draining) throw new HttpError(503, 'shutting_down', 'this collector is shutting down', SHUTDOWN_RETRY_AFTER_S);
    // A source that keeps sending what is refused is stopped first, before the key's budget.
    const junk = junkBuckets.check(req.ip, clock.now());
    if (!junk.ok) throw new HttpError(429, 'rate_limited', 'too many refused requests from this address', junk.retryAfterSeconds);
    // The body is read as bytes whatever the Content-Type; an empty one would otherwise be a 415.
    if (req.headers['content-type'] === '') delete req.headers['content-type'];
    if ((req.routeOptions.config as { ownAuth?: boolean }).ownAuth === true) return;
    const auth = checkKey(req.headers.authorization);
    if (!auth.ok) {
      throw auth.reason === 'missing' ? new HttpError(401, 'missing_api_key', 'send Authorization: Bearer <api key>') : new HttpError(403, 'invalid_api_key');
    }
    const keyId = String(auth.keyId);
    const taken = keyBuckets.take(keyId, 1, clock.now());
    if (!taken.ok) throw new HttpError(429, 'rate_limited', 'too many requests for this API key', taken.retryAfterSeconds);
    chargedKey.set(req.raw, keyId);
  });
  // A refused request is charged to its source and given back to the key it was charged to.
  app.addHook('onResponse', async (req, reply) => {
    const status = reply.statusCode;
    if (status < 400 || status >= 500 || status === 429 || req.routeOptions.url === '/healthz') return;
    junkBuckets.take(req.ip, 1, clock.now());
    const keyId = chargedKey.get(req.raw);
    if (keyId !== undefined) keyBuckets.refund(keyId, 1);
  });
  app.addHook('onSend', async (_req, reply) => {
    // While draining, keep-alive clients are told to reconnect (elsewhere).
    if (draining) reply.header('connection', 'close');
  });

  app.get('/healthz', async (_req, reply) => {
    if (draining) return reply.code(503).header('retry-after', String(SHUTDOWN_RETRY_AFTER_S)).send({ ok: false, error: 'shutting_down' });
    return { ok: true };
  });

  app.post('/v1/batch', async (req) => {
    const env = parseEnvelope(await decodeJsonBody(req.body, header(req.headers['content-encoding']), limits.maxInflatedBytes), limits);
    const receivedAt = clock.now();
    const taken = deviceBuckets.take(env.deviceId ?? '', env.events.length, receivedAt);
    if (!taken.ok) throw new HttpError(429, 'rate_limited', 'too many events from this device', taken.retryAfterSeconds);
    const { accepted, rejected } = checkEvents(env, { receivedAt, retentionMs, limits, scrubber });
    let result = { accepted: 0, duplicates: 0 };
    try {
      if (accepted.length > 0) result = await store.ingest(accepted, receivedAt);
      // A batch stored before (a device re-sending) adds no points: VictoriaMetrics would count
      // them twice. A partly new batch goes whole (InfluxDB overwrites the same point; rare).
      if (result.accepted > 0) options.timeseries?.enqueue(accepted);
    } catch (err) {
      req.log.error({ err }, 'collector: store failed; batch not acknowledged');
      throw storeUnavailable(err, 'the batch was not stored; retry later');
    }
    if (env.health !== undefined && env.deviceId !== undefined) {
      try {
        await store.recordClientHealth(env.deviceId, env.health, receivedAt);
      } catch (err) {
        // The events are stored: a lost health report must not make the device send them again.
        req.log.warn({ err }, 'collector: could not record client health');
      }
    }
    return { accepted: result.accepted, duplicates: result.duplicates, rejected };
  });

  app.post('/v1/deletions', async (req) => {
    const requests = parseDeletions(await decodeJsonBody(req.body, header(req.headers['content-encoding']), limits.maxInflatedBytes), limits);
    let result;
    try {
      result = await store.forget(requests, clock.now());
    } catch (err) {
      req.log.error({ err }, 'collector: store failed; deletion not carried out');
      throw storeUnavailable(err, 'the deletion was not carried out; retry later');
    }
    // Request ids and the count only: the ids deleted are exactly what must not be kept.
    req.log.info({ request_ids: result.done, deleted_events: result.deletedEvents }, 'collector: deletion requests carried out');
    return { done: result.done, deleted_events: result.deletedEvents };
  });

  const prune = async (): Promise<void> => {
    try {
      await store.pruneBefore?.(clock.now() - retentionMs);
      if (rollupRetentionMs !== undefined) await store.pruneRollupsBefore?.(clock.now() - rollupRetentionMs);
    } catch (err) {
      app.log.warn({ err }, 'collector: retention sweep failed');
    }
  };

  try {
    for (const plugin of options.plugins ?? []) await plugin(app, { store, clock });
    await prune();
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? DEFAULT_PORT });
  } catch (e) {
    await store.close();
    throw e;
  }
  const pruneTimer = setInterval(() => void prune(), RETENTION_SWEEP_INTERVAL_MS);
  pruneTimer.unref();

  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    store,
    close() {
      closing ??= (async () => {
        draining = true;
        clearInterval(pruneTimer);
        if ((options.drainDelayMs ?? 0) > 0) await new Promise((r) => setTimeout(r, options.drainDelayMs));
        try {
          // Stops listening, closes idle connections, resolves once in-flight requests are answered.
          await app.close();
        } finally {
          await options.timeseries?.close();
          await store.close();
        }
      })();
      return closing;
    },
  };
}

/** Node's request timeouts for a collector: a request slower than `requestTimeoutMs` is answered
 *  408 at most `connectionsCheckingInterval` later. */
export function serverTimeouts(requestTimeoutMs: number): { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.max(10, Math.min(MAX_TIMEOUT_CHECK_INTERVAL_MS, Math.floor(requestTimeoutMs / 10))),
  };
}

/** The documented default (docs/PROTOCOL.md): a slow request is held at most this long. */
export const DEFAULT_REQUEST_TIMEOUT_MS = REQUEST_TIMEOUT_MS;

/** 503 for a failed store: its own message when it says what is down (a shard), else `fallback`. */
function storeUnavailable(err: unknown, fallback: string): HttpError {
  if (err instanceof StoreUnavailableError) return new HttpError(503, 'store_unavailable', `${err.message}; ${fallback}`, err.retryAfterSeconds);
  return new HttpError(503, 'store_unavailable', fallback, STORE_RETRY_AFTER_S);
}

function sendError(reply: FastifyReply, err: HttpError): FastifyReply {
  if (err.retryAfterSeconds !== undefined) reply.header('retry-after', String(err.retryAfterSeconds));
  const body: ErrorBody = err.detail === undefined ? { error: err.code } : { error: err.code, detail: err.detail };
  return reply.code(err.status).send(body);
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
