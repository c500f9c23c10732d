// App start and stop, start-up duration (process start to the first window shown) and window load
// times, recorded under the names the analyzer reads.
import { METRIC } from '../event/metric-names.js';
import type { Clock } from '../ports.js';
import type { SessionManager } from './session-manager.js';
import type { TelemetrySink } from './sink.js';

export class AppLifecycle {
  private firstWindowRecorded = false;
  private stopped = false;

  constructor(
    private readonly service: TelemetrySink,
    private readonly clock: Clock,
    private readonly sessions: SessionManager,
    /** Epoch ms when the OS started the process (performance.timeOrigin in the main process). */
    private readonly processStartedAt: number,
  ) {}

  started(context: { version_changed?: boolean } = {}): void {
    this.service.trackApp(METRIC.appStart, context.version_changed === undefined ? undefined : { version_changed: context.version_changed });
    this.sessions.start();
  }

  /** The first window became visible: the start-up duration a person waited. Only the first counts. */
  firstWindowShown(): void {
    if (this.firstWindowRecorded) return;
    this.firstWindowRecorded = true;
    this.service.trackPerformance(METRIC.startupTime, Math.max(0, this.clock.now() - this.processStartedAt), 'ms');
  }

  /** A window finished loading; `startedAt` is when its load began. */
  windowLoaded(startedAt: number): void {
    this.service.trackPerformance(METRIC.windowLoad, Math.max(0, this.clock.now() - startedAt), 'ms');
  }

  /** Once, on quit: ends the session and records how long the app ran. */
  stopping(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.sessions.stop();
    this.service.trackApp(METRIC.appStop, { uptime_ms: Math.max(0, this.clock.now() - this.processStartedAt) });
  }
}
