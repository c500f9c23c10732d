// Alerting and /metrics on the collector: the alert engine on its schedule over this collector's
// store, the alerting API (admin keys), /metrics for Prometheus (metrics or admin keys) and the
// release monitor. Registered as a plugin (CollectorOptions.plugins), so the server knows nothing
// of it; `collectorPluginsFromEnv` is what the CLI uses.
import { createDetector } from '../analyzer/detect/detector.js';
import { dirname, join } from 'node:path';
import type { ScorerFactory } from '../alerting/condition.js';
import { AlertConfigStore } from '../alerting/config-store.js';
import { AlertEngine, realTimer, type TimerPort } from '../alerting/engine.js';
import { inThreadSource, workerSource, type ObservationSource, type WorkerSourceOptions } from '../alerting/observation-source.js';
import { HistoryLog } from '../alerting/history.js';
import { registerAlertingApi } from '../alerting/http-api.js';
import type { RetryPolicy, Sleep } from '../alerting/notify/delivery.js';
import type { Notifier } from '../alerting/notify/notifier.js';
import { createCollectorMetrics, type CollectorMetrics } from '../alerting/prometheus/collector-metrics.js';
import { ReleaseMonitor } from '../alerting/release/monitor.js';
import type { Channel } from '../alerting/rule.js';
import type { Clock } from '../telemetry/ports.js';
import { createKeyChecker } from './auth.js';
import type { CollectorPlugin } from './server.js';
import { SqliteCollectorStore } from './sqlite-store.js';

export interface CollectorAlertingOptions {
  /** The alerting config file (JSON; created on the first change), or null to keep it in memory. */
  configPath: string | null;
  /** Where the history is appended (JSON lines); default next to the config file, memory without one. */
  historyPath?: string | null;
  /** Keys for the alerting API. Never the devices' API keys. */
  adminKeys: readonly string[];
  /** Keys Prometheus scrapes /metrics with; default: the admin keys. */
  metricsKeys?: readonly string[];
  /** The streaming anomaly detector for anomaly rules (the analyzer's createDetector). */
  scorer?: ScorerFactory;
  clock?: Clock;
  /** The evaluation schedule (tests pass a manual one); null: never on its own. */
  timer?: TimerPort | null;
  sleep?: Sleep;
  retry?: RetryPolicy;
  notifierFor?: (ch: Channel) => Notifier;
  /** Where rules are evaluated: 'worker' (default for a store in a file and the analyzer's
   *  detector) reads the store on its own connection in a worker thread, so ingest never waits for
   *  an evaluation; 'thread' evaluates on the collector's thread (an in-memory store, or a `scorer`
   *  of the caller's, which cannot cross into a worker). */
  evaluateIn?: 'worker' | 'thread';
  /** Test hook of the worker (observation-source.ts). */
  worker?: Pick<WorkerSourceOptions, 'holdEachEvaluation' | 'onStarted'>;
}

export interface CollectorAlerting {
  plugin: CollectorPlugin;
  /** Set once the collector has started. */
  readonly engine: AlertEngine | null;
  readonly monitor: ReleaseMonitor | null;
  readonly config: AlertConfigStore;
  readonly metrics: CollectorMetrics | null;
}

export function createCollectorAlerting(o: CollectorAlertingOptions): CollectorAlerting {
  const config = o.configPath === null ? AlertConfigStore.inMemory() : AlertConfigStore.open(o.configPath);
  const historyPath = o.historyPath !== undefined ? o.historyPath : o.configPath === null ? null : join(dirname(o.configPath), 'alerts-history.jsonl');
  const isAdmin = createKeyChecker(o.adminKeys);
  const isMetrics = createKeyChecker(o.metricsKeys && o.metricsKeys.length > 0 ? o.metricsKeys : o.adminKeys);
  const out: { -readonly [K in keyof CollectorAlerting]: CollectorAlerting[K] } = { config, engine: null, monitor: null, metrics: null, plugin: async () => {} };
  out.plugin = async (app, ctx) => {
    if (!(ctx.store instanceof SqliteCollectorStore)) throw new Error('alerting reads the store through the analyzer, which needs the SQLite store');
    const db = ctx.store.db;
    const clock = o.clock ?? ctx.clock;
    const history = new HistoryLog(historyPath);
    const metrics = createCollectorMetrics(db, clock);
    const inFile = !db.memory && db.name !== '' && db.name !== ':memory:';
    const where = o.evaluateIn ?? (inFile && o.scorer === undefined ? 'worker' : 'thread');
    if (where === 'worker' && !inFile) throw new Error('alert evaluation in a worker needs the store in a file (the worker opens it on its own connection)');
    if (where === 'worker' && o.scorer !== undefined) throw new Error('alert evaluation in a worker uses the analyzer\'s detector: a scorer of the caller\'s cannot cross into the worker');
    const source: ObservationSource = where === 'worker' ? workerSource({ path: db.name, ...o.worker }) : inThreadSource(db, o.scorer ?? createDetector);
    const engine = new AlertEngine({
      db,
      config,
      source,
      history,
      clock,
      // The analyzer's streaming detector unless another is given (tests pass simple ones).
      scorer: o.scorer ?? createDetector,
      ...(o.sleep ? { sleep: o.sleep } : {}),
      ...(o.retry ? { retry: o.retry } : {}),
      ...(o.notifierFor ? { notifierFor: o.notifierFor } : {}),
      onDelivery: (channel, outcome) => metrics.notification(channel, outcome.status),
    });
    const monitor = new ReleaseMonitor({ db, config, history, clock, notify: (m) => engine.notifyAll(m), ...(o.sleep ? { sleep: o.sleep } : {}), ...(o.retry ? { retry: o.retry } : {}) });
    metrics.instrument(app);
    registerAlertingApi(app, { config, engine, authorize: (h) => isAdmin(h).ok, releaseStatus: () => monitor.status() });
    app.get('/metrics', { config: { ownAuth: true } }, async (req, reply) => {
      const auth = isMetrics(req.headers.authorization);
      if (!auth.ok) return reply.code(auth.reason === 'missing' ? 401 : 403).send({ error: auth.reason === 'missing' ? 'missing_metrics_key' : 'invalid_metrics_key' });
      return reply.type(metrics.registry.contentType).send(await metrics.render());
    });
    const timer = o.timer === undefined ? realTimer : o.timer;
    if (timer !== null) {
      engine.start(timer);
      monitor.start(timer);
    }
    app.addHook('onClose', async () => {
      monitor.stop();
      await Promise.all([engine.close(), monitor.idle()]);
      await engine.idle();
    });
    out.engine = engine;
    out.monitor = monitor;
    out.metrics = metrics;
  };
  return out;
}

/** The CLI's wiring: alerting and /metrics when COLLECTOR_ADMIN_KEYS is set (comma-separated);
 *  COLLECTOR_ALERTS_CONFIG names the config file (default .data/alerts.json), COLLECTOR_METRICS_KEYS
 *  the keys Prometheus scrapes with. */
export function collectorPluginsFromEnv(env: NodeJS.ProcessEnv): CollectorPlugin[] {
  const keys = (v: string | undefined) => (v ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  const adminKeys = keys(env.COLLECTOR_ADMIN_KEYS);
  if (adminKeys.length === 0) return [];
  return [createCollectorAlerting({ configPath: env.COLLECTOR_ALERTS_CONFIG ?? '.data/alerts.json', adminKeys, metricsKeys: keys(env.COLLECTOR_METRICS_KEYS) }).plugin];
}
