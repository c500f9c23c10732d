// createTelemetry(config): the one entry point an app developer needs. One validated config opens
// the store, starts the uploader (when an endpoint is given) and the crash capture, in the right
// order, and gives back the tracking API with flush(), drain(deadline) and shutdown(budget).
// TelemetryService and Uploader stay the layer underneath, for hosts that compose them by hand.
import { dirname } from 'node:path';
import { z } from 'zod';
import { telemetryConfigSchema, TelemetryConfigError, type TelemetryConfigInput } from '../config/config.js';
import type { ConsentState, ConsentUpdate } from '../consent/consent.js';
import type { Context, FeatureFields, NetworkFields, Unit } from '../event/schema.js';
import { captureCrashes } from '../host/crash-capture.js';
import { createNodeSettings } from '../host/node-settings.js';
import { systemClock, systemTimers, type Clock, type SettingsPort, type Timers } from '../ports.js';
import { TelemetryService, type DataExport, type HealthReport, type TrackResult } from '../service/telemetry-service.js';
import type { VariantSpec } from '../experiments/index.js';
import type { NetworkState } from '../upload/network.js';
import { checkEndpoint, QUIT_BUDGET_MS } from '../upload/policy.js';
import type { HttpTransport } from '../upload/transport.js';
import { Uploader, type UploaderStatus, type UploaderWaiting } from '../upload/uploader.js';

const createConfigSchema = telemetryConfigSchema.extend({
  /** The collector's API key; required with `endpoint`. */
  apiKey: z.string().min(1).optional(),
  /** Extra CA certificate(s) in PEM, for a self-hosted collector. */
  ca: z.string().optional(),
  /** Record uncaught exceptions and unhandled rejections as crashes (default true). */
  captureCrashes: z.boolean().default(true),
  /** The process name on crash events (`main` in Electron's main process). */
  processName: z.string().min(1).max(64).default('node'),
  /** A thread of its own for the database work (see config.ts); what an app wants by default. */
  storeThread: z.enum(['worker', 'inline']).default('worker'),
});

export type CreateTelemetryConfig = z.input<typeof createConfigSchema>;

/** What varies by host; every one has a default for plain Node. */
export interface CreateTelemetryPorts {
  /** Where consent and identity live. Default: `telemetry-settings.json` beside the database. */
  settings?: SettingsPort;
  /** Whether the network is up (Electron: net.isOnline). Default: always try. */
  network?: NetworkState;
  clock?: Clock;
  timers?: Timers;
  transport?: HttpTransport;
}

/** What is still on this device after drain() or shutdown(). */
export interface DeliveryState {
  /** Everything shared (events and deletion requests) is confirmed by the collector. */
  delivered: boolean;
  pending: number;
  pendingDeletions: number;
  /** Why the rest is still here (`no_endpoint` when no collector is configured). */
  waiting: UploaderWaiting | 'no_endpoint';
  lastError: string | null;
}

export interface Telemetry {
  trackApp(name: string, context?: Context): TrackResult;
  trackFeature(name: string, fields: FeatureFields): TrackResult;
  trackPerformance(name: string, value: number, unit: Unit, context?: Context): TrackResult;
  trackNetwork(name: string, fields: NetworkFields): TrackResult;
  trackError(name: string, error: unknown, options?: string | { errorCode?: string; featureId?: string }): TrackResult;
  trackCrash(name: string, error: unknown, details: { process: string; reason: string; errorCode?: string; featureId?: string }): TrackResult;
  setActiveFeature(featureId: string | null): void;
  trackExposure(experiment: string, variant: string): TrackResult;
  assignVariant(experiment: string, variants: readonly VariantSpec[]): string;
  startSession(): string;
  endSession(): void;
  getConsent(): ConsentState;
  setConsent(update: ConsentUpdate): ConsentState;
  exportData(): DataExport;
  deleteMyData(): { deletedEvents: number };
  health(): HealthReport;
  /** The uploader's state, or null without an endpoint. */
  syncStatus(): UploaderStatus | null;
  /** Commits what was tracked and sends it now (not waiting for the interval or our backoff). */
  flush(): Promise<void>;
  /** Resolves when everything shared is delivered, or at `deadline` (a Date or ms since the
   *  epoch) with what is left; retries meanwhile as the uploader would. */
  drain(deadline: Date | number): Promise<DeliveryState>;
  /** On quit: commits, one bounded upload attempt (at most `budgetMs`), closes the store. */
  shutdown(budgetMs?: number): Promise<DeliveryState>;
  /** The layers underneath, for hosts that need them (bridge handlers, analysis). */
  readonly service: TelemetryService;
  readonly uploader: Uploader | null;
}

export function createTelemetry(config: CreateTelemetryConfig, ports: CreateTelemetryPorts = {}): Telemetry {
  const parsed = createConfigSchema.safeParse(config);
  if (!parsed.success) throw new TelemetryConfigError(`Invalid telemetry configuration:\n${z.prettifyError(parsed.error)}`);
  const { apiKey, ca, captureCrashes: capture, processName, ...serviceConfig } = parsed.data;
  if (serviceConfig.endpoint !== undefined && apiKey === undefined) throw new TelemetryConfigError('Invalid telemetry configuration: `endpoint` needs an `apiKey`');
  if (apiKey !== undefined && serviceConfig.endpoint === undefined) throw new TelemetryConfigError('Invalid telemetry configuration: `apiKey` given without an `endpoint`');
  if (ports.settings === undefined && serviceConfig.databasePath === ':memory:') throw new TelemetryConfigError('Invalid telemetry configuration: an in-memory database needs ports.settings');
  const endpointProblem = serviceConfig.endpoint === undefined ? null : checkEndpoint(serviceConfig.endpoint);
  if (endpointProblem !== null) throw new TelemetryConfigError(`Invalid telemetry configuration: ${endpointProblem}`);
  const clock = ports.clock ?? systemClock;
  const timers = ports.timers ?? systemTimers;
  const settings = ports.settings ?? createNodeSettings(dirname(serviceConfig.databasePath));
  const service = TelemetryService.open(serviceConfig as TelemetryConfigInput, { settings, clock });
  let uploader: Uploader | null = null;
  try {
    uploader =
      serviceConfig.endpoint === undefined
        ? null
        : new Uploader(service, { endpoint: serviceConfig.endpoint, apiKey: apiKey!, ca, network: ports.network, clock, timers, transport: ports.transport });
  } catch (e) {
    service.close();
    throw e;
  }
  uploader?.start();
  const uncapture = capture ? captureCrashes(service, process, { processName }) : () => {};
  let closed = false;

  const state = (): DeliveryState => {
    if (uploader === null) {
      const q = closed ? { pending: 0 } : service.health().queue;
      return { delivered: false, pending: q.pending, pendingDeletions: closed ? 0 : service.deletionRequests().filter((r) => r.sent_at === null).length, waiting: 'no_endpoint', lastError: null };
    }
    const s = uploader.status();
    const pendingDeletions = closed ? 0 : service.deletionRequests().filter((r) => r.sent_at === null).length;
    return { delivered: s.pending === 0 && pendingDeletions === 0, pending: s.pending, pendingDeletions, waiting: s.waiting, lastError: s.lastError };
  };

  return {
    trackApp: (name, context) => service.trackApp(name, context),
    trackFeature: (name, fields) => service.trackFeature(name, fields),
    trackPerformance: (name, value, unit, context) => service.trackPerformance(name, value, unit, context),
    trackNetwork: (name, fields) => service.trackNetwork(name, fields),
    trackError: (name, error, options) => service.trackError(name, error, options),
    trackCrash: (name, error, details) => service.trackCrash(name, error, details),
    setActiveFeature: (id) => service.setActiveFeature(id),
    trackExposure: (experiment, variant) => service.trackExposure(experiment, variant),
    assignVariant: (experiment, variants) => service.assignVariant(experiment, variants),
    startSession: () => service.startSession(),
    endSession: () => service.endSession(),
    getConsent: () => service.getConsent(),
    setConsent: (update) => service.setConsent(update),
    exportData: () => service.exportData(),
    deleteMyData: () => service.deleteMyData(),
    health: () => service.health(),
    syncStatus: () => uploader?.status() ?? null,
    async flush() {
      if (closed) return;
      service.flush();
      await uploader?.flush();
    },
    async drain(deadline) {
      const until = typeof deadline === 'number' ? deadline : deadline.getTime();
      if (closed) return state();
      service.flush();
      if (uploader === null) return state();
      for (;;) {
        service.flush();
        await uploader.flush();
        const s = state();
        const now = clock.now();
        if (s.delivered || now >= until || s.waiting === 'paused' || s.waiting === 'stopped') return s;
        // Wait for the uploader's next attempt (or the network), never past the deadline.
        const next = uploader.status().nextAttemptAt;
        const wake = Math.min(until, next !== null && next > now ? next : now + 250);
        await new Promise<void>((r) => timers.setTimeout(r, wake - now));
      }
    },
    async shutdown(budgetMs = QUIT_BUDGET_MS) {
      if (closed) return state();
      uncapture();
      await uploader?.quit(budgetMs);
      const s = state();
      closed = true;
      service.close();
      return { ...s };
    },
    service,
    uploader,
  };
}
