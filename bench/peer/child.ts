// One SDK under test, alone in its own process (so CPU time and event-loop delay are its own):
// tracks the workload in bursts, then waits until the parent says the sink holds everything.
// argv: <sdk: ours|otel|ours-backlog> <sinkUrl> <events> <dir>
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { createTelemetry, MemorySettings } from '../../src/telemetry/index.js';
import { trackOne, type Tracker } from '../workload.js';

const [sdk, sinkUrl, eventsArg, dir] = process.argv.slice(2) as [string, string, string, string];
const EVENTS = Number(eventsArg);
const BURST = 1000;
const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;

/** Blocking of the event loop that is not the app's own burst: a 1 ms probe's lateness, minus
 *  the part of it spent inside a burst of track() calls. */
class LoopProbe {
  private readonly bursts: [number, number][] = [];
  private last = performance.now();
  private timer: NodeJS.Timeout | null = null;
  max = 0;
  start(): void {
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      let inBurst = 0;
      for (let i = this.bursts.length - 1; i >= 0; i--) {
        const [s, e] = this.bursts[i]!;
        if (e < this.last) break;
        inBurst += Math.min(e, now) - Math.max(s, this.last);
      }
      this.max = Math.max(this.max, now - this.last - 1 - inBurst);
      this.last = now;
    }, 1);
  }
  burst(s: number, e: number): void {
    this.bursts.push([s, e]);
  }
  reset(): number {
    const m = this.max;
    this.max = 0;
    return m;
  }
  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

function otelTracker(): { tracker: Tracker; shutdown: () => Promise<void> } {
  const provider = new LoggerProvider({
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${sinkUrl}/v1/logs` }), maxQueueSize: EVENTS * 2, maxExportBatchSize: 512 })],
  });
  logs.setGlobalLoggerProvider(provider);
  const logger = provider.getLogger('bench');
  const emit = (name: string, attributes: Record<string, unknown>, severityNumber = SeverityNumber.INFO) =>
    logger.emit({ body: name, severityNumber, attributes: attributes as never });
  const tracker: Tracker = {
    trackPerformance: (name, value, unit, context) => (emit(name, { value, unit, ...context }), { ok: true, id: '' }),
    trackFeature: (name, fields) => (emit(name, { ...fields }), { ok: true, id: '' }),
    trackNetwork: (name, fields) => (emit(name, { ...fields }), { ok: true, id: '' }),
    trackApp: (name, context) => (emit(name, { ...context }), { ok: true, id: '' }),
    trackError: (name, error) => {
      const e = error as Error & { code?: string };
      emit(name, { 'exception.message': e.message, 'exception.type': e.name, 'exception.stacktrace': e.stack, code: e.code }, SeverityNumber.ERROR);
      return { ok: true, id: '' };
    },
  };
  return { tracker, shutdown: () => provider.shutdown() };
}

function ours(dbName: string) {
  const t = createTelemetry(
    { databasePath: join(dir, dbName), appVersion: '1.4.0', os: 'linux-x64 6.1', endpoint: sinkUrl, apiKey: 'bench', captureCrashes: false, scrub: { homeDirs: ['/home/alice'], userNames: ['alice'] } },
    { settings: new MemorySettings() },
  );
  t.setConsent(ALL_SHARED);
  // Outside the measurement, like the JIT's warm-up: the writer thread has started (health() waits
  // for its first answer). From TypeScript sources (tsx) that takes ~0.3-0.7 s, compiled ~50 ms;
  // a burst tracked before it would measure the start-up, not the steady cost.
  t.health();
  return t;
}

const delivered = new Promise<void>((resolve) => process.on('message', (m) => m === 'delivered' && resolve()));
const send = (m: unknown) => process.send!(m);

async function main(): Promise<void> {
  const probe = new LoopProbe();
  if (sdk === 'ours-backlog') {
    // A week offline: the backlog is tracked with no endpoint, then the app starts with one.
    // One settings store for both runs, as on a real device: the consent given offline still holds
    // (a fresh one would say "nothing agreed", and the start-up would rightly delete the backlog).
    const settings = new MemorySettings();
    const offline = createTelemetry({ databasePath: join(dir, 'backlog.db'), appVersion: '1.4.0', os: 'linux-x64 6.1', captureCrashes: false }, { settings });
    offline.setConsent(ALL_SHARED);
    for (let i = 0; i < EVENTS; i++) {
      trackOne(offline, i);
      if (i % 5000 === 4999) offline.service.flush();
    }
    await offline.shutdown(0);
    probe.start();
    const cpu0 = process.cpuUsage();
    send({ kind: 'tracked', lastCallAt: Date.now() });
    const t = createTelemetry(
      { databasePath: join(dir, 'backlog.db'), appVersion: '1.4.0', os: 'linux-x64 6.1', endpoint: sinkUrl, apiKey: 'bench', captureCrashes: false },
      { settings },
    );
    await delivered;
    const cpu = process.cpuUsage(cpu0);
    send({ kind: 'done', drainLoopMaxMs: probe.reset(), cpuUs: cpu.user + cpu.system });
    probe.stop();
    await t.shutdown(0);
    return;
  }
  const sut = sdk === 'otel' ? otelTracker() : null;
  const t = sut === null ? ours('peer.db') : null;
  const tracker: Tracker = sut?.tracker ?? t!;
  // Warm-up outside the measurement (JIT, statement caches), not delivered to the sink's count.
  probe.start();
  await new Promise((r) => setTimeout(r, 50));
  probe.reset();
  const cpu0 = process.cpuUsage();
  let inCalls = 0;
  const startedAt = Date.now();
  for (let b = 0; b < EVENTS / BURST; b++) {
    const s = performance.now();
    for (let i = 0; i < BURST; i++) trackOne(tracker, b * BURST + i);
    const e = performance.now();
    inCalls += e - s;
    probe.burst(s, e);
    // The app yields between bursts (a UI frame, a network wait).
    await new Promise((r) => setImmediate(r));
  }
  const lastCallAt = Date.now();
  const trackingLoopMaxMs = probe.reset();
  send({ kind: 'tracked', lastCallAt, startedAt });
  await delivered;
  const cpu = process.cpuUsage(cpu0);
  send({ kind: 'done', nsPerCall: (inCalls * 1e6) / EVENTS, trackingLoopMaxMs, drainingLoopMaxMs: probe.reset(), cpuUs: cpu.user + cpu.system });
  probe.stop();
  await (sut ? sut.shutdown() : t!.shutdown(0));
}

void main().then(() => process.exit(0));
