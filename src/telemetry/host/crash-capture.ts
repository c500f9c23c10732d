// The crash path: record an uncaught exception or unhandled rejection as a crash event and commit
// it synchronously, before the process dies. Uses Node's `uncaughtExceptionMonitor`, which runs
// before the default handling without changing it: the app still crashes exactly as it would have.
import type { TelemetryService } from '../service/telemetry-service.js';

export interface CrashCaptureOptions {
  /** The process name recorded on the crash event, e.g. `main` (Electron) or `node`. */
  processName?: string;
}

/** Installs the handler; returns a function that removes it. */
export function captureCrashes(service: TelemetryService, proc: NodeJS.Process = process, options: CrashCaptureOptions = {}): () => void {
  const handler = (error: unknown, origin: string) => {
    try {
      service.trackCrash('process.crash', error, {
        process: options.processName ?? 'node',
        reason: origin === 'unhandledRejection' ? 'unhandled_rejection' : 'uncaught_exception',
      });
      service.flush();
    } catch {
      // The crash path must never raise a second error over the first.
    }
  };
  proc.on('uncaughtExceptionMonitor', handler);
  return () => proc.off('uncaughtExceptionMonitor', handler);
}
