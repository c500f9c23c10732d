// The uploader: sends `shared` events and deletion requests to the collector, at least once, in
// order, and marks events sent only when the collector has named them accepted or duplicate.
// One request in flight at a time: the collector's own speed paces a backlog, and its 429s (with
// Retry-After) slow it further.
import { TelemetryConfigError } from '../config/config.js';
import { systemClock, systemTimers, type Clock, type Timers } from '../ports.js';
import { TelemetryService } from '../service/telemetry-service.js';
import { nextStep, type UploaderWaiting } from './manager.js';
import { alwaysOnline, type NetworkState } from './network.js';
import { backoffDelay, checkEndpoint, MAX_BATCH_EVENTS, MAX_IN_FLIGHT, parseRetryAfter, QUIT_BUDGET_MS, REQUEST_TIMEOUT_MS, UPLOAD_INTERVAL_MS } from './policy.js';
import type { PendingDeletion, UploadLogEntry } from './queue.js';
import { buildBatchAsync, buildDeletionBody, type BuiltBatch, type ClientHealth } from './request.js';
import { classifyBatchResponse, classifyDeletionResponse, classifyNetworkError, type BatchOutcome } from './result.js';
import { serviceUploadStore, type UploadStore } from './store-port.js';
import { createNodeTransport, type HttpTransport, type HttpResponse } from './transport.js';

export type { UploaderWaiting } from './manager.js';

const HEALTH_REFRESH_MS = 1000;

/** A batch on its way and the answer it will get. */
interface Flight {
  batch: BuiltBatch;
  answer: Promise<{ res: HttpResponse | null; outcome: BatchOutcome }>;
}

export interface UploaderOptions {
  /** Base URL of the collector, e.g. https://telemetry.example.com (http only on loopback). */
  endpoint: string;
  apiKey: string;
  /** Extra CA certificate(s) to trust, PEM (a self-hosted collector). */
  ca?: string | Buffer;
  transport?: HttpTransport;
  network?: NetworkState;
  clock?: Clock;
  /** The timers the uploader schedules with (a test passes fake ones). */
  timers?: Timers;
  random?: () => number;
  uploadIntervalMs?: number;
  requestTimeoutMs?: number;
}

export interface UploaderStatus {
  online: boolean;
  /** When the host last reported the network down (null while online). */
  offlineSince: number | null;
  paused: string | null;
  inFlight: boolean;
  pending: number;
  /** Consecutive failed attempts since the last success (0 after a success). */
  attempt: number;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
  lastError: string | null;
  /** When lastError happened. */
  lastErrorAt: number | null;
  waiting: UploaderWaiting;
}

export class Uploader {
  private readonly store: UploadStore;
  private readonly transport: HttpTransport;
  private readonly network: NetworkState;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly random: () => number;
  private endpoint: string;
  private apiKey: string;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: unknown = null;
  private nextAttemptAt: number | null = null;
  private attempt = 0;
  private paused: string | null = null;
  private stopped = true;
  private batchLimit = MAX_BATCH_EVENTS;
  private lastPassAt: number | null = null;
  private lastPassFull = false;
  private passFull = false;
  private retryNotBefore: number | null = null;
  private serverAskedToWait = false;
  private lastSuccessAt: number | null = null;
  private lastAttemptAt: number | null = null;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private offlineSince: number | null = null;
  private readonly unsubscribe: (() => void)[] = [];
  private healthCache: { at: number; value: ClientHealth } | null = null;

  /** `source`: the service whose shared events to send, or any UploadStore. */
  constructor(source: TelemetryService | UploadStore, options: UploaderOptions) {
    const problem = checkEndpoint(options.endpoint);
    if (problem) throw new TelemetryConfigError(problem);
    if (!options.apiKey) throw new TelemetryConfigError('the uploader needs an apiKey');
    this.store = source instanceof TelemetryService ? serviceUploadStore(source) : source;
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.transport = options.transport ?? createNodeTransport({ ca: options.ca });
    this.network = options.network ?? alwaysOnline;
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    this.random = options.random ?? Math.random;
    this.intervalMs = options.uploadIntervalMs ?? UPLOAD_INTERVAL_MS;
    this.timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  /** Starts: sends what was left from earlier runs, then keeps the queue moving. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // What earlier runs left leaves at once; otherwise the interval counts from now.
    this.lastPassAt = this.store.pendingCount() > 0 ? null : this.clock.now();
    if (!this.network.isOnline()) this.offlineSince ??= this.clock.now();
    this.unsubscribe.push(
      this.network.onChange((online) => {
        if (!online) {
          this.offlineSince ??= this.clock.now();
          this.reschedule();
          return;
        }
        this.offlineSince = null;
        // Back online: whatever the backoff said, try now.
        this.attempt = 0;
        this.retryNotBefore = null;
        this.serverAskedToWait = false;
        this.reschedule();
      }),
      // Newly committed events may make a full batch: the manager decides whether that is now.
      this.store.onCommit((shared) => {
        if (shared > 0 && this.running === null) this.reschedule();
      }),
    );
    this.reschedule();
  }

  /** Stops scheduling; a request in flight completes. */
  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
    this.clearTimer();
  }

  /** New credentials or endpoint: resumes uploads paused by a 401/403. */
  configure(options: { endpoint?: string; apiKey?: string }): void {
    if (options.endpoint !== undefined) {
      const problem = checkEndpoint(options.endpoint);
      if (problem) throw new TelemetryConfigError(problem);
      this.endpoint = options.endpoint.replace(/\/+$/, '');
    }
    if (options.apiKey !== undefined) this.apiKey = options.apiKey;
    this.paused = null;
    this.attempt = 0;
    this.retryNotBefore = null;
    this.kick();
  }

  /** Sends now (whatever the interval or backoff said), and resolves when the queue is empty or
   *  the uploader has to wait (offline, an error: see status()). */
  async flush(): Promise<void> {
    this.store.flush();
    // Our own backoff yields to an explicit flush; the server's Retry-After does not.
    if (!this.serverAskedToWait) this.retryNotBefore = null;
    this.clearTimer();
    await this.runOnce();
  }

  /** On quit: one bounded attempt to send what is pending (at most QUIT_BUDGET_MS), then stop. */
  async quit(budgetMs = QUIT_BUDGET_MS): Promise<void> {
    this.store.flush();
    this.stop();
    const deadline = this.clock.now() + budgetMs;
    let timeout: unknown = null;
    await Promise.race([
      (async () => {
        if (this.running) await this.running;
        if (!this.paused && this.network.isOnline()) await this.runOnce(deadline);
      })(),
      new Promise<void>((r) => (timeout = this.timers.setTimeout(r, budgetMs))),
    ]);
    this.timers.clearTimeout(timeout);
  }

  status(): UploaderStatus {
    const online = this.network.isOnline();
    const pending = this.store.pendingCount();
    const now = this.clock.now();
    const next = nextStep(this.state(now, pending));
    const waiting: UploaderWaiting = next.kind === 'nothing' && next.why === 'stopped' ? 'stopped' : this.running !== null || next.kind === 'upload' ? 'sending' : next.why;
    return {
      online,
      offlineSince: online ? null : (this.offlineSince ?? now),
      paused: this.paused,
      inFlight: this.running !== null,
      pending,
      attempt: this.attempt,
      lastSuccessAt: this.lastSuccessAt,
      lastAttemptAt: this.lastAttemptAt,
      nextAttemptAt: this.nextAttemptAt,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      waiting,
    };
  }

  recentUploads(limit?: number): UploadLogEntry[] {
    return this.store.recentUploads(limit);
  }

  deadLetters(limit?: number) {
    return this.store.deadLetters(limit);
  }

  // ---- the driver: timers and the transport; the manager says what to do ----------------------

  private state(now: number, pending = this.store.pendingCount()) {
    return {
      now,
      stopped: this.stopped,
      paused: this.paused,
      online: this.network.isOnline(),
      pending,
      pendingDeletions: this.store.pendingDeletions().length,
      batchLimit: this.batchLimit,
      retryNotBefore: this.retryNotBefore,
      serverAskedToWait: this.serverAskedToWait,
      lastPassAt: this.lastPassAt,
      lastPassFull: this.lastPassFull,
      intervalMs: this.intervalMs,
    };
  }

  /** Asks the manager what to do next and arranges it: upload now, a timer, or nothing. */
  private reschedule(): void {
    // A pass under way reschedules when it ends.
    if (this.running !== null) return;
    const now = this.clock.now();
    const next = nextStep(this.state(now));
    if (next.kind === 'upload') this.kick();
    else if (next.kind === 'wait') this.setTimer(next.until - now);
    else this.clearTimer();
  }

  private kick(): void {
    if (this.stopped) return;
    this.clearTimer();
    void this.runOnce();
  }

  private setTimer(delayMs: number): void {
    if (this.stopped) return;
    const at = this.clock.now() + Math.max(0, delayMs);
    // An earlier or equal timer already armed stays (a commit must not push an attempt back).
    if (this.timer !== null && this.nextAttemptAt !== null && this.nextAttemptAt === at) return;
    this.clearTimer();
    this.nextAttemptAt = at;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.nextAttemptAt = null;
      this.reschedule();
    }, Math.max(0, delayMs));
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
    this.nextAttemptAt = null;
  }

  /** One drain at a time; a call during a drain makes it go round once more. */
  private runOnce(deadline?: number): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      // Yield first, so `running` is set before the pass can end (a pass with nothing to send
      // never awaits).
      await Promise.resolve();
      this.passFull = false;
      try {
        do {
          this.again = false;
          await this.drain(deadline);
        } while (this.again && !this.stopped && this.canSend());
      } catch (e) {
        // A bug here must not become an unhandled rejection in the app; retry later.
        this.failed(`uploader: ${(e as Error).message}`, null);
      } finally {
        this.running = null;
        this.lastPassAt = this.clock.now();
        this.lastPassFull = this.passFull;
      }
      if (deadline === undefined) this.reschedule();
    })();
    return this.running;
  }

  private canSend(): boolean {
    return this.paused === null && this.network.isOnline() && (this.retryNotBefore === null || this.clock.now() >= this.retryNotBefore);
  }

  private async drain(deadline?: number): Promise<void> {
    // While all is well, up to MAX_IN_FLIGHT batches travel at once: the collector stores one
    // while the next are on their way, so neither process waits for the other. Each answer is
    // handled on its own (a batch is marked sent only when its own answer says so), so a failure
    // costs nothing more than re-sends that the collector de-duplicates.
    const ahead: Flight[] = [];
    try {
      while (this.canSend()) {
        if (deadline !== undefined && this.clock.now() >= deadline) return;
        let flight = ahead.shift() ?? null;
        if (flight === null) {
          const deletions = this.store.pendingDeletions();
          if (deletions.length > 0) {
            if ((await this.sendDeletions(deletions, deadline)) === 'wait') return;
            continue;
          }
          const batch = await this.takeBatch();
          if (batch === null) break;
          flight = this.send(batch, deadline);
        }
        if (deadline === undefined && this.attempt === 0) {
          let last = (ahead[ahead.length - 1] ?? flight).batch;
          while (ahead.length < MAX_IN_FLIGHT - 1) {
            // One batch per turn of the event loop: the app's own work runs in between, and Node
            // writes the previous request meanwhile.
            await new Promise<void>((resolve) => setImmediate(resolve));
            const next = await this.takeBatch(last);
            if (next === null) break;
            ahead.push(this.send(next, undefined));
            last = next;
          }
        }
        if ((await this.settle(flight)) === 'wait') return;
      }
    } finally {
      // Whatever stopped the loop, the batches sent ahead still get their answers handled.
      for (const f of ahead.splice(0)) await this.settle(f, { quiet: true });
    }
  }

  private async post(path: string, body: Buffer, deadline: number | undefined): Promise<HttpResponse> {
    const timeout = deadline === undefined ? this.timeoutMs : Math.max(1, Math.min(this.timeoutMs, deadline - this.clock.now()));
    this.lastAttemptAt = this.clock.now();
    return this.transport.post(
      `${this.endpoint}${path}`,
      body,
      { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Authorization: `Bearer ${this.apiKey}` },
      timeout,
    );
  }

  /** The oldest pending events, or those after `after` (the batch already on its way). */
  private async takeBatch(after?: BuiltBatch): Promise<BuiltBatch | null> {
    const afterRowid = after ? after.events[after.events.length - 1]!.rowid : 0;
    const built = await this.store.buildBatch?.(this.batchLimit, afterRowid, this.health(), this.clock.now());
    if (built !== undefined) return built;
    const pending = this.store.pending(this.batchLimit, afterRowid);
    return pending.length === 0 ? null : buildBatchAsync(pending, this.health(), this.clock.now(), this.batchLimit);
  }

  private send(batch: BuiltBatch, deadline: number | undefined): Flight {
    if (batch.events.length >= this.batchLimit) this.passFull = true;
    const answer = this.post('/v1/batch', batch.body, deadline).then(
      (res) => ({ res, outcome: classifyBatchResponse(res, batch.events.length, parseRetryAfter(res.headers['retry-after'], this.clock.now())) }),
      (e: unknown) => ({ res: null, outcome: classifyNetworkError(e) }),
    );
    return { batch, answer };
  }

  /** Handles one batch's answer. `quiet`: a batch sent ahead whose predecessor already failed; its
   *  own failure is logged but does not add to the backoff a second time. */
  private async settle(flight: Flight, opts: { quiet?: boolean } = {}): Promise<'continue' | 'wait'> {
    const { batch } = flight;
    const { res, outcome } = await flight.answer;
    const now = this.clock.now();
    const categories = [...new Set(batch.events.map((e) => e.category))];
    const log = (o: UploadLogEntry['outcome'], extra: Partial<UploadLogEntry> = {}) =>
      this.store.log({ at: now, kind: 'events', events: batch.events.length, wire_bytes: batch.body.length, categories, outcome: o, status: res?.status ?? null, detail: null, accepted: 0, duplicates: 0, ...extra });
    const counters = new Map<string, number>();

    switch (outcome.kind) {
      case 'processed': {
        const rejected = new Map(outcome.rejected.map((r) => [r.index, r.reason]));
        const delivered = batch.events.filter((_, i) => !rejected.has(i)).map((e) => e.rowid);
        this.store.markSent(delivered);
        for (const [i, reason] of rejected) {
          const e = batch.events[i]!;
          this.store.deadLetter([{ rowid: e.rowid, id: e.id }], res?.status ?? 200, reason, now);
        }
        log(rejected.size > 0 ? 'partial' : 'sent', { accepted: outcome.accepted, duplicates: outcome.duplicates, detail: rejected.size > 0 ? `${rejected.size} rejected` : null });
        counters.set('upload.sent', outcome.accepted).set('upload.duplicates', outcome.duplicates);
        if (rejected.size > 0) counters.set('upload.dead_lettered.rejected', rejected.size);
        this.store.addCounters(counters);
        // A batch sent ahead of one that failed does not undo that failure's wait (a Retry-After
        // is honoured even when the next batch got through).
        if (opts.quiet) this.lastSuccessAt = this.clock.now();
        else this.succeeded();
        this.batchLimit = Math.min(MAX_BATCH_EVENTS, this.batchLimit * 2);
        return 'continue';
      }
      case 'split': {
        if (batch.events.length === 1) {
          const e = batch.events[0]!;
          this.store.deadLetter([{ rowid: e.rowid, id: e.id }], outcome.status, 'too large for the collector', now);
          log('dead_letter', { detail: 'single event too large' });
          this.store.addCounters(new Map([['upload.dead_lettered.too_large', 1]]));
        } else {
          this.batchLimit = Math.max(1, Math.floor(batch.events.length / 2));
          log('split', { detail: `413: next batches of ${this.batchLimit}` });
        }
        return 'continue';
      }
      case 'dead_letter': {
        this.store.deadLetter(batch.events.map((e) => ({ rowid: e.rowid, id: e.id })), outcome.status, outcome.reason, now);
        log('dead_letter', { detail: outcome.reason });
        this.store.addCounters(new Map([[`upload.dead_lettered.http_${outcome.status}`, batch.events.length]]));
        this.setError(outcome.reason);
        return 'continue';
      }
      case 'paused': {
        this.pause(outcome.status, outcome.reason);
        log('paused', { detail: outcome.reason });
        return 'wait';
      }
      case 'retry': {
        log('retry', { detail: outcome.reason });
        this.store.addCounters(new Map([['upload.retries', 1]]));
        if (!opts.quiet) this.failed(outcome.reason, outcome.retryAfterMs);
        return 'wait';
      }
    }
  }

  private async sendDeletions(requests: PendingDeletion[], deadline?: number): Promise<'continue' | 'wait'> {
    const body = buildDeletionBody(requests, this.clock.now());
    const ids = requests.map((r) => r.request_id);
    let res: HttpResponse | null = null;
    let outcome;
    try {
      res = await this.post('/v1/deletions', body, deadline);
      outcome = classifyDeletionResponse(res, ids, parseRetryAfter(res.headers['retry-after'], this.clock.now()));
    } catch (e) {
      outcome = classifyNetworkError(e) as Extract<BatchOutcome, { kind: 'retry' }>;
    }
    const now = this.clock.now();
    const log = (o: UploadLogEntry['outcome'], detail: string | null) =>
      this.store.log({ at: now, kind: 'deletions', events: requests.length, wire_bytes: body.length, categories: [], outcome: o, status: res?.status ?? null, detail, accepted: 0, duplicates: 0 });
    switch (outcome.kind) {
      case 'done':
        this.store.markDeletionsSent(outcome.requestIds, now);
        log('sent', null);
        this.succeeded();
        return 'continue';
      case 'paused':
        this.pause(outcome.status, outcome.reason);
        log('paused', outcome.reason);
        return 'wait';
      case 'retry':
        log('retry', outcome.reason);
        this.failed(outcome.reason, outcome.retryAfterMs);
        return 'wait';
    }
  }

  private pause(status: number, reason: string): void {
    this.paused = reason;
    this.setError(`${status}: ${reason}; uploads paused until the configuration changes`);
  }

  private succeeded(): void {
    this.attempt = 0;
    this.lastSuccessAt = this.clock.now();
    this.lastError = null;
    this.retryNotBefore = null;
    this.serverAskedToWait = false;
  }

  private failed(reason: string, retryAfterMs: number | null): void {
    this.setError(reason);
    this.attempt++;
    const backoff = backoffDelay(this.attempt, this.random);
    this.serverAskedToWait = retryAfterMs !== null && retryAfterMs > 0 && retryAfterMs >= backoff;
    this.retryNotBefore = this.clock.now() + Math.max(retryAfterMs ?? 0, backoff);
  }

  private setError(reason: string): void {
    this.lastError = reason;
    this.lastErrorAt = this.clock.now();
  }

  /** The self-health sent with each batch, refreshed at most once a second: counting the queue
   *  and the counters for every batch of a drained backlog would cost more than the batch itself. */
  private health(): ClientHealth {
    const now = this.clock.now();
    if (this.healthCache !== null && now - this.healthCache.at < HEALTH_REFRESH_MS) return this.healthCache.value;
    const value = this.readHealth();
    this.healthCache = { at: now, value };
    return value;
  }

  private readHealth(): ClientHealth {
    const counters = this.store.counters();
    const dropped: Record<string, number> = {};
    const evicted: Record<string, number> = {};
    for (const [k, n] of Object.entries(counters)) {
      if (k.startsWith('dropped.')) dropped[k.slice(8)] = n;
      else if (k.startsWith('evicted.')) evicted[k.slice(8)] = n;
    }
    return { queue_depth: this.store.pendingCount(), dropped, evicted };
  }
}
