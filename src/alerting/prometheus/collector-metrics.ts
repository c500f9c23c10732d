// The collector's /metrics (prom-client): its own ingest health, observed through fastify hooks
// (requests, batches, events accepted / duplicate / rejected by reason, latencies, requests in
// flight, the queue depths devices report), and the fleet's key numbers as low-cardinality series
// read from the store through the analyzer (events, latency and memory histograms per version and
// OS; crash-free sessions, error rate, devices and crashed devices per version over fixed windows).
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { eventsAfter, lastRowid, reportedQueueDepth } from '../../analyzer/ingest-stats.js';
import { Statements, type Db } from '../../analyzer/store.js';
import { windowStats } from '../../analyzer/window-stats.js';
import { METRIC } from '../../telemetry/event/metric-names.js';
import { systemClock, type Clock } from '../../telemetry/ports.js';

/** The windows the fleet gauges are computed over; the Prometheus export maps a rule's window to one. */
export const GAUGE_WINDOWS = { '5m': 5 * 60_000, '1h': 3_600_000, '24h': 86_400_000 } as const;
export type GaugeWindow = keyof typeof GAUGE_WINDOWS;

/** Distinct label values kept per label before the rest become "other": a device can send any
 *  version or OS string, and each value is a series in every scrape for ever. */
const MAX_LABEL_VALUES = 20;
/** Stored events read per scrape at most; a backlog is read over the next scrapes. */
const MAX_EVENTS_PER_SCRAPE = 100_000;
/** Devices that reported within this count towards the queue depth gauge. */
const QUEUE_REPORT_MAX_AGE_MS = 86_400_000;
/** prom-client's default gauges that `promtool check metrics` rejects (a gauge named *_total). */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

const LATENCY_OF: Record<string, string> = {
  [`network/${METRIC.apiRequest}`]: 'api_latency',
  [`performance/${METRIC.llmTimeToFirstToken}`]: 'llm_time_to_first_token',
  [`performance/${METRIC.llmInference}`]: 'llm_inference',
  [`performance/${METRIC.mcpToolCall}`]: 'tool_call',
  [`performance/${METRIC.startupTime}`]: 'load_time',
  [`performance/${METRIC.windowLoad}`]: 'load_time',
  [`performance/${METRIC.syncTime}`]: 'sync_time',
};
const MEMORY_OF: Record<string, string> = { [METRIC.memoryAppTotal]: 'app_total', [METRIC.memoryRss]: 'rss' };

class LabelCap {
  private readonly seen = new Set<string>();
  of(v: string): string {
    if (this.seen.has(v)) return v;
    if (this.seen.size >= MAX_LABEL_VALUES) return 'other';
    this.seen.add(v);
    return v;
  }
}

export interface CollectorMetrics {
  readonly registry: Registry;
  /** Adds the request hooks to the collector's root instance. */
  instrument(app: FastifyInstance): void;
  /** Reads the store's new events and the windows, then renders the exposition text. */
  render(): Promise<string>;
  /** Counts a notification outcome (the alert engine's onDelivery). */
  notification(channel: string, status: string): void;
}

export function createCollectorMetrics(db: Db, clock: Clock = systemClock): CollectorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  const st = new Statements(db);
  const versions = new LabelCap();
  const oses = new LabelCap();

  const requests = new Counter({ name: 'collector_http_requests_total', help: 'HTTP requests answered, by route and status code.', labelNames: ['route', 'status'], registers: [registry] });
  const duration = new Histogram({ name: 'collector_http_request_duration_seconds', help: 'Time to answer a request, by route.', labelNames: ['route'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] });
  const inFlight = new Gauge({ name: 'collector_requests_in_flight', help: 'Requests being handled now (the collector\'s own queue).', registers: [registry] });
  const batches = new Counter({ name: 'collector_batches_total', help: 'Event batches, by result (stored, refused).', labelNames: ['result'], registers: [registry] });
  const batchSize = new Histogram({ name: 'collector_batch_events', help: 'Events per stored batch.', buckets: [1, 10, 50, 100, 250, 500, 1000], registers: [registry] });
  const events = new Counter({ name: 'collector_events_total', help: 'Events received in stored batches, by result (accepted, duplicate, rejected).', labelNames: ['result'], registers: [registry] });
  const rejected = new Counter({ name: 'collector_events_rejected_total', help: 'Events rejected, by reason.', labelNames: ['reason'], registers: [registry] });
  const queueDepth = new Gauge({ name: 'collector_device_queue_depth', help: 'Events waiting on devices, summed over the devices that reported in the last 24 h.', registers: [registry] });
  const reporting = new Gauge({ name: 'collector_devices_reporting', help: 'Devices that reported their health in the last 24 h.', registers: [registry] });
  const notifications = new Counter({ name: 'alerting_notifications_total', help: 'Alert notifications, by channel and outcome (delivered, failed, silenced).', labelNames: ['channel', 'status'], registers: [registry] });

  const fleetEvents = new Counter({ name: 'telemetry_events_total', help: 'Events stored, by app version and event type.', labelNames: ['version', 'type'], registers: [registry] });
  const latency = new Histogram({ name: 'telemetry_latency_seconds', help: 'Measured latencies, by measure, app version and OS.', labelNames: ['measure', 'version', 'os'], buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] });
  const memory = new Histogram({ name: 'telemetry_memory_bytes', help: 'Memory samples, by source, app version and OS.', labelNames: ['source', 'version', 'os'], buckets: [64, 128, 256, 512, 1024, 2048, 4096, 8192].map((m) => m * 1024 * 1024), registers: [registry] });
  const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames: ['version', 'window'], registers: [registry] });
  const crashFree = gauge('telemetry_crash_free_sessions', 'Sessions without a crash / sessions active in the window, by app version.');
  const errorRate = gauge('telemetry_error_rate', 'Error and crash events / events in the window, by app version.');
  const sessions = gauge('telemetry_window_sessions', 'Sessions active in the window, by app version.');
  const devices = gauge('telemetry_window_devices', 'Devices active in the window, by app version.');
  const crashedDevices = gauge('telemetry_window_crashed_devices', 'Devices with a crash in the window, by app version.');
  const crashedSessions = gauge('telemetry_window_crashed_sessions', 'Sessions with a crash in the window, by app version.');
  const erroredDevices = gauge('telemetry_window_errored_devices', 'Devices with an error or a crash in the window, by app version.');

  let after = lastRowid(st);
  const windowCache = new Map<string, { at: number; rows: ReturnType<typeof windowStats> }>();

  const readStore = (): void => {
    // One bounded read per scrape; a backlog is read over the next scrapes.
    const rows = eventsAfter(st, after, MAX_EVENTS_PER_SCRAPE);
    for (const e of rows) {
      const version = versions.of(e.version);
      fleetEvents.inc({ version, type: e.type });
      if (e.measure === null) continue;
      const m = LATENCY_OF[`${e.type}/${e.name}`];
      if (m !== undefined) latency.observe({ measure: m, version, os: oses.of(e.os) }, e.measure / 1000);
      else if (e.type === 'performance' && MEMORY_OF[e.name] !== undefined) memory.observe({ source: MEMORY_OF[e.name]!, version, os: oses.of(e.os) }, e.measure);
    }
    if (rows.length > 0) after = rows[rows.length - 1]!.rowid;
    const now = clock.now();
    for (const g of [crashFree, errorRate, sessions, devices, crashedDevices, crashedSessions, erroredDevices]) g.reset();
    for (const [window, ms] of Object.entries(GAUGE_WINDOWS)) {
      // A window is recomputed once per 1/60 of its length (5 s, 1 min, 24 min): scanning a day of
      // raw events at every scrape would cost seconds (bench:alerts) for a number that barely moved.
      let cached = windowCache.get(window);
      if (cached === undefined || now - cached.at >= ms / 60 || now < cached.at) {
        cached = { at: now, rows: windowStats(st, { from: now - ms, to: now }, ['version']) };
        windowCache.set(window, cached);
      }
      for (const { key, stats: s } of cached.rows) {
        const labels = { version: versions.of(key[0]!), window };
        if (s.sessions > 0) crashFree.set(labels, 1 - s.crashedSessions / s.sessions);
        if (s.events > 0) errorRate.set(labels, (s.errors + s.crashes) / s.events);
        sessions.set(labels, s.sessions);
        devices.set(labels, s.devices);
        crashedDevices.set(labels, s.crashedDevices);
        crashedSessions.set(labels, s.crashedSessions);
        erroredDevices.set(labels, s.erroredDevices);
      }
    }
    try {
      const q = reportedQueueDepth(st, now - QUEUE_REPORT_MAX_AGE_MS);
      queueDepth.set(q.pending);
      reporting.set(q.devices);
    } catch {
      // A device store has no client_health: the gauges stay at 0.
    }
  };

  return {
    registry,
    instrument(app) {
      const started = new WeakMap<object, number>();
      app.addHook('onRequest', async (req) => {
        started.set(req, performance.now());
        inFlight.inc();
      });
      app.addHook('preSerialization', async (req, reply, payload: unknown) => {
        if (req.routeOptions.url === '/v1/batch' && reply.statusCode === 200 && typeof payload === 'object' && payload !== null) {
          const p = payload as { accepted?: number; duplicates?: number; rejected?: { reason: string }[] };
          batches.inc({ result: 'stored' });
          events.inc({ result: 'accepted' }, p.accepted ?? 0);
          events.inc({ result: 'duplicate' }, p.duplicates ?? 0);
          events.inc({ result: 'rejected' }, p.rejected?.length ?? 0);
          batchSize.observe((p.accepted ?? 0) + (p.duplicates ?? 0) + (p.rejected?.length ?? 0));
          // "invalid: value: expected number" → "invalid": the field detail would be a new series per message.
          for (const r of p.rejected ?? []) rejected.inc({ reason: r.reason.split(':')[0]! });
        }
        return payload;
      });
      app.addHook('onResponse', async (req, reply) => {
        const route = req.routeOptions.url ?? 'unmatched';
        requests.inc({ route, status: String(reply.statusCode) });
        // A request refused by an earlier onRequest hook (auth, rate limit) never reached ours.
        const t = started.get(req);
        if (t !== undefined) {
          inFlight.dec();
          duration.observe({ route }, (performance.now() - t) / 1000);
        }
        if (route === '/v1/batch' && reply.statusCode !== 200) batches.inc({ result: 'refused' });
      });
    },
    async render() {
      readStore();
      return registry.metrics();
    },
    notification(channel, status) {
      notifications.inc({ channel, status });
    },
  };
}
