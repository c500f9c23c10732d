// Sessions as a person lives them: one starts with the app, a new one after 30 minutes without
// activity, and a new one on resume from sleep. A session that ended by going idle is recorded with
// its active length (start to last activity), not with the idle half hour that revealed its end,
// so the dashboard's active time is not inflated.
import { METRIC } from '../event/metric-names.js';
import type { Clock } from '../ports.js';
import type { TelemetrySink } from './sink.js';

export const SESSION_IDLE_MS = 30 * 60_000;

export type SessionEndReason = 'idle' | 'suspend' | 'quit';

export class SessionManager {
  private startedAt: number | null = null;
  private lastActivity = 0;
  private suspendedAt: number | null = null;

  constructor(
    private readonly service: TelemetrySink,
    private readonly clock: Clock,
    private readonly idleMs = SESSION_IDLE_MS,
  ) {}

  get running(): boolean {
    return this.startedAt !== null;
  }

  start(): void {
    if (this.startedAt !== null) return;
    const now = this.clock.now();
    this.service.startSession();
    this.startedAt = now;
    this.lastActivity = now;
  }

  /** Something the person did (focus, input, a dashboard request). Starts a new session when the
   *  previous activity is 30 minutes old or more. */
  activity(): void {
    const now = this.clock.now();
    if (this.startedAt === null) {
      this.start();
      return;
    }
    if (now - this.lastActivity >= this.idleMs) {
      this.end('idle', this.lastActivity);
      this.start();
      return;
    }
    this.lastActivity = now;
  }

  /** Usage consent was just given: the running session had its start declined, so a session
   *  begins here, and the dashboard counts this run from now on. */
  consentGranted(): void {
    const now = this.clock.now();
    this.service.startSession();
    this.startedAt = now;
    this.lastActivity = now;
    this.suspendedAt = null;
  }

  /** The machine goes to sleep: the session ends there (recorded on resume or quit). */
  suspend(): void {
    if (this.startedAt !== null && this.suspendedAt === null) this.suspendedAt = this.clock.now();
  }

  /** Back from sleep: always a new session. */
  resume(): void {
    if (this.startedAt !== null) this.end('suspend', this.suspendedAt ?? this.clock.now());
    this.suspendedAt = null;
    this.start();
  }

  /** App quit: ends the running session now (or where sleep ended it). */
  stop(): void {
    if (this.startedAt === null) return;
    this.end(this.suspendedAt === null ? 'quit' : 'suspend', this.suspendedAt ?? this.clock.now());
    this.suspendedAt = null;
  }

  private end(reason: SessionEndReason, at: number): void {
    const startedAt = this.startedAt ?? at;
    this.service.trackApp(METRIC.sessionEnd, { duration_ms: Math.max(0, at - startedAt), end_reason: reason });
    this.startedAt = null;
  }
}
