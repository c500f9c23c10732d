// The bridge's handlers, one implementation for both hosts: main/ answers ipcMain.handle with them,
// the browser host answers HTTP with them. Every argument is validated against the contract's
// schema (and a size bound) before a handler runs; a refusal is a BridgeError with a clear message.
import { BRIDGE_ARGS, BRIDGE_MAX_ARG_BYTES, type BridgeErrorBody, type BridgeMethod, type BridgeResults, type DashboardData, type RenderedReport, type TimeRange } from '../telemetry/bridge.js';
import { METRIC } from '../telemetry/event/metric-names.js';
import { CATEGORIES, type Category } from '../telemetry/event/schema.js';
import type { TelemetryService } from '../telemetry/service/telemetry-service.js';
import type { Uploader } from '../telemetry/upload/uploader.js';
import type { Clock } from '../telemetry/ports.js';
import { systemClock } from '../telemetry/ports.js';

export class BridgeError extends Error {
  constructor(
    readonly code: BridgeErrorBody['code'],
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }

  toBody(): BridgeErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** What the dashboard's numbers and reports are computed by (src/analyzer on this device's database). */
export interface LocalAnalysis {
  /** `notCollected`: the categories that are off now, whose numbers read "not collected". */
  dashboard(query: { range: TimeRange; appVersion?: string; now: number; notCollected?: readonly Category[] }): DashboardData;
  report(kind: RenderedReport['kind'], now: number, notCollected?: readonly Category[]): RenderedReport;
}

export interface BridgeHandlerOptions {
  service: TelemetryService;
  /** Absent when no endpoint is configured: diagnostics then shows sync as not configured. */
  uploader?: Uploader | null;
  endpoint?: string | null;
  analysis: LocalAnalysis;
  clock?: Clock;
  /** When `clock` is not the wall clock: said with the dashboard's and diagnostics' answers. */
  clockNote?: string;
  /** Renderer errors accepted per minute; beyond it they are counted as dropped (a render loop
   *  throwing 60 times a second must not flood the store). */
  rendererErrorsPerMinute?: number;
}

export type BridgeHandlers = {
  /** Validates `rawArgs` for `method` and runs it. Rejects with BridgeError. */
  call(method: string, rawArgs: unknown): Promise<unknown>;
};

export function isBridgeMethod(m: string): m is BridgeMethod {
  return Object.prototype.hasOwnProperty.call(BRIDGE_ARGS, m);
}

export function createBridgeHandlers(options: BridgeHandlerOptions): BridgeHandlers {
  const { service, analysis } = options;
  const clock = options.clock ?? systemClock;
  const perMinute = options.rendererErrorsPerMinute ?? 30;
  const clockNote = options.clockNote ?? null;
  let windowStart = 0;
  let inWindow = 0;
  const offCategories = (): Category[] => {
    const c = service.getConsent().categories;
    return CATEGORIES.filter((k) => c[k] === 'off');
  };

  const impl: { [M in BridgeMethod]: (args: never) => BridgeResults[M] | Promise<BridgeResults[M]> } = {
    getConsent: () => service.getConsent(),
    setConsent: (update: Parameters<TelemetryService['setConsent']>[0]) => service.setConsent(update),
    dashboard: (q: { range: TimeRange; appVersion?: string }) => {
      service.flush();
      return { ...analysis.dashboard({ ...q, now: clock.now(), notCollected: offCategories() }), clockNote };
    },
    recentEvents: (filter: Parameters<TelemetryService['recentEvents']>[0]) => {
      service.flush();
      return service.recentEvents(filter);
    },
    diagnostics: () => {
      const up = options.uploader;
      const health = service.health();
      const sync = up
        ? { ...up.status(), endpoint: options.endpoint ?? null }
        : {
            online: false,
            offlineSince: null,
            paused: 'no endpoint configured',
            inFlight: false,
            pending: health.queue.pending,
            attempt: 0,
            lastSuccessAt: null,
            lastAttemptAt: null,
            nextAttemptAt: null,
            lastError: null,
            lastErrorAt: null,
            waiting: 'paused' as const,
            endpoint: null,
          };
      return { now: clock.now(), clockNote, sync, health, deadLetters: up ? up.deadLetters(100) : [] };
    },
    recentUploads: (q: { limit?: number }) => options.uploader?.recentUploads(q.limit ?? 50) ?? [],
    exportData: () => service.exportData(),
    deleteMyData: () => service.deleteMyData(),
    report: (q: { kind: RenderedReport['kind'] }) => {
      service.flush();
      return analysis.report(q.kind, clock.now(), offCategories());
    },
    reportRendererError: (e: { kind: 'error' | 'unhandledrejection'; message: string; stack?: string }) => {
      const now = clock.now();
      if (now - windowStart >= 60_000) {
        windowStart = now;
        inWindow = 0;
      }
      if (++inWindow > perMinute) return { accepted: false };
      const error = Object.assign(new Error(e.message), { stack: e.stack ?? `Error: ${e.message}` });
      const r = service.trackError(e.kind === 'error' ? METRIC.rendererError : METRIC.rendererRejection, error);
      return { accepted: r.ok };
    },
  };

  return {
    async call(method, rawArgs) {
      if (!isBridgeMethod(method)) throw new BridgeError('unknown_method', `unknown bridge method "${String(method).slice(0, 64)}"`);
      let size: number;
      try {
        size = rawArgs === undefined ? 0 : JSON.stringify(rawArgs).length;
      } catch {
        throw new BridgeError('bad_request', `${method}: arguments must be plain JSON`);
      }
      if (size > BRIDGE_MAX_ARG_BYTES) throw new BridgeError('too_large', `${method}: arguments are ${size} bytes, more than the ${BRIDGE_MAX_ARG_BYTES} allowed`);
      const parsed = BRIDGE_ARGS[method].safeParse(rawArgs);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(arguments)'}: ${i.message}`).join('; ');
        throw new BridgeError('bad_request', `${method}: ${issues}`.slice(0, 500));
      }
      try {
        return await (impl[method] as (a: unknown) => unknown)(parsed.data);
      } catch (e) {
        if (e instanceof BridgeError) throw e;
        if (e instanceof Error && e.name === 'TelemetryConfigError') throw new BridgeError('bad_request', e.message);
        throw new BridgeError('internal', `${method} failed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500));
      }
    },
  };
}

