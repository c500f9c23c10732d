// The time-series sink: a bounded in-memory queue of line-protocol points, written in batches by
// a background loop, retried with backoff while the backend is down. Enqueueing never blocks and
// never throws, so a time-series backend being down never slows or fails event ingest; what could
// not be kept is counted (docs/FLEET.md).
import type { IngestEvent } from '../store.js';
import { lineOf } from './line-protocol.js';

/** Where the lines go: InfluxDB's or VictoriaMetrics' /write. */
export interface LineProtocolTarget {
  readonly name: string;
  /** Resolves when the backend took the lines; `refused` counts lines it will never take (e.g.
   *  older than its retention); rejects when it could not be reached (retried). */
  write(lines: string): Promise<{ refused: number }>;
}

export interface SinkCounters {
  /** Points the backend took. */
  written: number;
  /** Points the backend refused for good (outside its retention). */
  refused: number;
  /** Points dropped because the queue was full while the backend was down. */
  droppedQueueFull: number;
  /** Failed writes, each retried. */
  retries: number;
  pending: number;
}

export interface SinkOptions {
  /** Points per write (the engines' sweet spot is a few thousand). */
  batchPoints?: number;
  /** Points held while the backend is down: ~1 min of a busy collector; beyond, counted drops. */
  maxPending?: number;
  /** Flush at least this often. */
  intervalMs?: number;
  /** Retry backoff cap. */
  maxBackoffMs?: number;
}

const DEFAULTS: Required<SinkOptions> = { batchPoints: 5_000, maxPending: 1_000_000, intervalMs: 1_000, maxBackoffMs: 30_000 };
const FIRST_BACKOFF_MS = 250;

export class TimeseriesSink {
  readonly counters: SinkCounters = { written: 0, refused: 0, droppedQueueFull: 0, retries: 0, pending: 0 };
  private queue: string[] = [];
  private readonly o: Required<SinkOptions>;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private backoffMs = 0;
  private nextTryAt = 0;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    readonly target: LineProtocolTarget,
    options: SinkOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
    this.timer = setInterval(() => this.kick(), this.o.intervalMs);
    this.timer.unref();
  }

  /** Queues a point per event. Never throws, never waits. */
  enqueue(events: readonly IngestEvent[]): void {
    if (this.closed) return;
    for (const e of events) {
      if (this.queue.length >= this.o.maxPending) {
        this.counters.droppedQueueFull++;
        continue;
      }
      try {
        this.queue.push(lineOf(e));
      } catch {
        this.counters.refused++;
      }
    }
    this.counters.pending = this.queue.length;
    if (this.queue.length >= this.o.batchPoints) this.kick();
  }

  /** Resolves once everything queued so far was written (or refused). */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && this.writing === null) return;
    await new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.kick(true);
    });
  }

  private kick(force = false): void {
    if (this.writing !== null || this.queue.length === 0) return;
    if (!force && Date.now() < this.nextTryAt) return;
    this.writing = this.writeLoop().finally(() => {
      this.writing = null;
      if (this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
      else if (this.idleWaiters.length > 0) setTimeout(() => this.kick(true), this.backoffMs).unref();
    });
  }

  private async writeLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const lines = this.queue.slice(0, this.o.batchPoints);
      try {
        const { refused } = await this.target.write(lines.join('\n'));
        this.queue.splice(0, lines.length);
        this.counters.written += lines.length - refused;
        this.counters.refused += refused;
        this.backoffMs = 0;
        this.nextTryAt = 0;
      } catch {
        this.counters.retries++;
        this.backoffMs = Math.min(this.o.maxBackoffMs, this.backoffMs === 0 ? FIRST_BACKOFF_MS : this.backoffMs * 2);
        this.nextTryAt = Date.now() + this.backoffMs;
        break;
      } finally {
        this.counters.pending = this.queue.length;
      }
    }
  }

  /** Stops the loop after one last attempt to write what is queued. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.writing;
    if (this.queue.length > 0) await this.writeLoop();
  }
}
