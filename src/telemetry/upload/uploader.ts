// The uploader: sends `shared` events and deletion requests to the collector, at least once, in
// order, and marks events sent only when the collector has named them accepted or duplicate.
// One request in flight at a time: the collector's own speed paces a backlog, and its 429s (with
// Retry-After) slow it further.
import { TelemetryConfigError } from '../config/config.js';
import { systemClock, type Clock } from '../ports.js';
import type { TelemetryService } from '../service/telemetry-service.js';
import { alwaysOnline, type NetworkState } from './network.js';
import { backoffDelay, checkEndpoint, MAX_BATCH_EVENTS, MAX_IN_FLIGHT, parseRetryAfter, QUIT_BUDGET_MS, REQUEST_TIMEOUT_MS, UPLOAD_INTERVAL_MS } from './policy.js';
import { UploadQueue, type UploadLogEntry } from './queue.js';
import { buildBatch, buildDeletionBody, type BuiltBatch, type ClientHealth } from './request.js';
import { classifyBatchResponse, classifyNetworkError, type BatchOutcome } from './result.js';
import { createNodeTransport, type HttpTransport, type HttpResponse } from './transport.js';

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
  random?: () => number;
  uploadIntervalMs?: number;
  requestTimeoutMs?: number;
}

/** Why the uploader is not sending at this moment (or that it is). */
export type UploaderWaiting =
  /** A request is on its way. */
  | 'sending'
  /** Nothing pending. */
  | 'idle'
  /** Less than a full batch pending: it leaves at the next interval. */
  | 'interval'
  /** The last attempt failed: waiting out the backoff. */
  | 'backoff'
  /** The server asked to wait (429/503 with Retry-After). */
  | 'retry_after'
  /** The host says the network is down. */
  | 'offline'
  /** The API key was refused: nothing is sent until the configuration changes. */
  | 'paused'
  /** stop() or quit() was called. */
  | 'stopped';

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
  private queueOf: { store: unknown; queue: UploadQueue } | null = null;
  private readonly transport: HttpTransport;
  private readonly network: NetworkState;
  private readonly clock: Clock;
  private readonly random: () => number;
  private endpoint: string;
  private apiKey: string;
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private nextAttemptAt: number | null = null;
  private attempt = 0;
  private paused: string | null = null;
  private stopped = true;
  private batchLimit = MAX_BATCH_EVENTS;
  private sharedSinceRun = 0;
  private lastSuccessAt: number | null = null;
  private lastAttemptAt: number | null = null;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private offlineSince: number | null = null;
  private retryAfterUntil: number | null = null;
  private readonly unsubscribe: (() => void)[] = [];
  private healthCache: { at: number; value: ClientHealth } | null = null;

  constructor(
    private readonly service: TelemetryService,
    options: UploaderOptions,
  ) {
    const problem = checkEndpoint(options.endpoint);
    if (problem) throw new TelemetryConfigError(problem);
    if (!options.apiKey) throw new TelemetryConfigError('the uploader needs an apiKey');
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.transport = options.transport ?? createNodeTransport({ ca: options.ca });
    this.network = options.network ?? alwaysOnline;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.intervalMs = options.uploadIntervalMs ?? UPLOAD_INTERVAL_MS;
    this.timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }

  /** Starts: sends what was left from earlier runs, then keeps the queue moving. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (!this.network.isOnline()) this.offlineSince ??= this.clock.now();
    this.unsubscribe.push(
      this.network.onChange((online) => {
        if (!online) {
          this.offlineSince ??= this.clock.now();
          return;
        }
        this.offlineSince = null;
        // Back online: whatever the backoff said, try now.
        this.attempt = 0;
        this.kick();
      }),
      this.service.onCommit((shared) => {
        this.sharedSinceRun += shared;
        if (this.sharedSinceRun >= this.batchLimit && this.nextAttemptAt === null) this.kick();
      }),
    );
    this.kick();
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
    this.kick();
  }

  /** Sends now, and resolves when the queue is empty or the uploader has to wait. */
  async flush(): Promise<void> {
    this.service.flush();
    this.clearTimer();
    await this.runOnce();
  }

  /** On quit: one bounded attempt to send what is pending (at most QUIT_BUDGET_MS), then stop. */
  async quit(budgetMs = QUIT_BUDGET_MS): Promise<void> {
    this.service.flush();
    this.stop();
    const deadline = this.clock.now() + budgetMs;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      (async () => {
        if (this.running) await this.running;
        if (!this.paused && this.network.isOnline()) await this.runOnce(deadline);
      })(),
      new Promise<void>((r) => (timeout = setTimeout(r, budgetMs))),
    ]);
    clearTimeout(timeout);
  }

  status(): UploaderStatus {
    const online = this.network.isOnline();
    const pending = this.queue.pendingCount();
    const now = this.clock.now();
    const waiting: UploaderWaiting = this.stopped
      ? 'stopped'
      : this.paused !== null
        ? 'paused'
        : !online
          ? 'offline'
          : this.running !== null
            ? 'sending'
            : pending === 0
              ? 'idle'
              : this.retryAfterUntil !== null && this.retryAfterUntil > now
                ? 'retry_after'
                : this.attempt > 0
                  ? 'backoff'
                  : 'interval';
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
    return this.queue.recentUploads(limit);
  }

  deadLetters(limit?: number) {
    return this.queue.deadLetters(limit);
  }

  /** The queue over the service's current database (which changes if a corrupt file was replaced). */
  private get queue(): UploadQueue {
    const store = this.service.eventStore;
    if (this.queueOf?.store !== store) this.queueOf = { store, queue: new UploadQueue(store) };
    return this.queueOf.queue;
  }

  // ---- the loop ---------------------------------------------------------------------------

  private kick(): void {
    if (this.stopped) return;
    this.clearTimer();
    void this.runOnce();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.clearTimer();
    this.nextAttemptAt = this.clock.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextAttemptAt = null;
      void this.runOnce();
    }, delayMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
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
      try {
        do {
          this.again = false;
          await this.drain(deadline);
        } while (this.again && !this.stopped);
      } catch (e) {
        // A bug here must not become an unhandled rejection in the app; retry later.
        this.setError(`uploader: ${(e as Error).message}`);
        this.schedule(backoffDelay(++this.attempt, this.random));
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async drain(deadline?: number): Promise<void> {
    this.sharedSinceRun = 0;
    // While all is well, up to MAX_IN_FLIGHT batches travel at once: the collector stores one
    // while the next are on their way, so neither process waits for the other. Each answer is
    // handled on its own (a batch is marked sent only when its own answer says so), so a failure
    // costs nothing more than re-sends that the collector de-duplicates.
    const ahead: Flight[] = [];
    try {
      while (!this.paused && this.network.isOnline()) {
        if (deadline !== undefined && this.clock.now() >= deadline) return;
        let flight = ahead.shift() ?? null;
        if (flight === null) {
          const deletions = this.queue.pendingDeletions();
          if (deletions.length > 0) {
            if ((await this.sendDeletions(deletions, deadline)) === 'wait') return;
            continue;
          }
          const batch = this.takeBatch();
          if (batch === null) break;
          flight = this.send(batch, deadline);
        }
        if (deadline === undefined && this.attempt === 0) {
          // Node writes a request on the next tick: let this one leave before building the next.
          await new Promise<void>((resolve) => setImmediate(resolve));
          let last = (ahead[ahead.length - 1] ?? flight).batch;
          while (ahead.length < MAX_IN_FLIGHT - 1) {
            const next = this.takeBatch(last);
            if (next === null) break;
            ahead.push(this.send(next, undefined));
            last = next;
          }
        }
        if ((await this.settle(flight)) === 'wait') return;
      }
      if (!this.paused && !this.stopped && this.network.isOnline()) this.schedule(this.intervalMs);
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
  private takeBatch(after?: BuiltBatch): BuiltBatch | null {
    const pending = this.queue.pending(this.batchLimit, after ? after.events[after.events.length - 1]!.rowid : 0);
    return pending.length === 0 ? null : buildBatch(pending, this.health(), this.clock.now(), this.batchLimit);
  }

  private send(batch: BuiltBatch, deadline: number | undefined): Flight {
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
      this.queue.log({ at: now, kind: 'events', events: batch.events.length, wire_bytes: batch.body.length, categories, outcome: o, status: res?.status ?? null, detail: null, accepted: 0, duplicates: 0, ...extra });
    const counters = new Map<string, number>();

    switch (outcome.kind) {
      case 'processed': {
        const rejected = new Map(outcome.rejected.map((r) => [r.index, r.reason]));
        const delivered = batch.events.filter((_, i) => !rejected.has(i)).map((e) => e.rowid);
        this.queue.markSent(delivered);
        for (const [i, reason] of rejected) {
          const e = batch.events[i]!;
          this.queue.deadLetter([{ rowid: e.rowid, id: e.id }], res?.status ?? 200, reason, now);
        }
        log(rejected.size > 0 ? 'partial' : 'sent', { accepted: outcome.accepted, duplicates: outcome.duplicates, detail: rejected.size > 0 ? `${rejected.size} rejected` : null });
        counters.set('upload.sent', outcome.accepted).set('upload.duplicates', outcome.duplicates);
        if (rejected.size > 0) counters.set('upload.dead_lettered.rejected', rejected.size);
        this.service.eventStore.addCounters(counters);
        this.succeeded();
        this.batchLimit = Math.min(MAX_BATCH_EVENTS, this.batchLimit * 2);
        return 'continue';
      }
      case 'split': {
        if (batch.events.length === 1) {
          const e = batch.events[0]!;
          this.queue.deadLetter([{ rowid: e.rowid, id: e.id }], outcome.status, 'too large for the collector', now);
          log('dead_letter', { detail: 'single event too large' });
          this.service.eventStore.addCounters(new Map([['upload.dead_lettered.too_large', 1]]));
        } else {
          this.batchLimit = Math.max(1, Math.floor(batch.events.length / 2));
          log('split', { detail: `413: next batches of ${this.batchLimit}` });
        }
        return 'continue';
      }
      case 'dead_letter': {
        this.queue.deadLetter(batch.events.map((e) => ({ rowid: e.rowid, id: e.id })), outcome.status, outcome.reason, now);
        log('dead_letter', { detail: outcome.reason });
        this.service.eventStore.addCounters(new Map([[`upload.dead_lettered.http_${outcome.status}`, batch.events.length]]));
        this.setError(outcome.reason);
        return 'continue';
      }
      case 'paused': {
        this.paused = outcome.reason;
        this.setError(`${outcome.status}: ${outcome.reason}; uploads paused until the configuration changes`);
        log('paused', { detail: outcome.reason });
        return 'wait';
      }
      case 'retry': {
        log('retry', { detail: outcome.reason });
        this.service.eventStore.addCounters(new Map([['upload.retries', 1]]));
        if (!opts.quiet) this.failed(outcome.reason, outcome.retryAfterMs);
        return 'wait';
      }
    }
  }

  private async sendDeletions(requests: ReturnType<UploadQueue['pendingDeletions']>, deadline?: number): Promise<'continue' | 'wait'> {
    const body = buildDeletionBody(requests, this.clock.now());
    let res: HttpResponse;
    try {
      res = await this.post('/v1/deletions', body, deadline);
    } catch (e) {
      const o = classifyNetworkError(e) as Extract<BatchOutcome, { kind: 'retry' }>;
      this.failed(o.reason, null);
      return 'wait';
    }
    const now = this.clock.now();
    const log = (outcome: UploadLogEntry['outcome'], detail: string | null) =>
      this.queue.log({ at: now, kind: 'deletions', events: requests.length, wire_bytes: body.length, categories: [], outcome, status: res.status, detail, accepted: 0, duplicates: 0 });
    if (res.status >= 200 && res.status < 300) {
      let done: string[] = [];
      try {
        done = (JSON.parse(res.body) as { done?: string[] }).done ?? [];
      } catch {
        done = [];
      }
      const sent = requests.filter((r) => done.includes(r.request_id)).map((r) => r.request_id);
      if (sent.length === 0) {
        log('retry', 'response named no request as done');
        this.failed('deletion response named no request as done', null);
        return 'wait';
      }
      this.queue.markDeletionsSent(sent, now);
      log('sent', null);
      this.succeeded();
      return 'continue';
    }
    if (res.status === 401 || res.status === 403) {
      this.paused = res.status === 401 ? 'missing API key' : 'API key refused';
      log('paused', this.paused);
      return 'wait';
    }
    // A deletion request is never given up: it is the person's right. Retry with backoff.
    log('retry', `HTTP ${res.status}`);
    this.failed(`deletion request: HTTP ${res.status}`, parseRetryAfter(res.headers['retry-after'], now));
    return 'wait';
  }

  private succeeded(): void {
    this.attempt = 0;
    this.lastSuccessAt = this.clock.now();
    this.lastError = null;
    this.retryAfterUntil = null;
  }

  private failed(reason: string, retryAfterMs: number | null): void {
    this.setError(reason);
    this.retryAfterUntil = retryAfterMs !== null && retryAfterMs > 0 ? this.clock.now() + retryAfterMs : null;
    this.attempt++;
    this.schedule(Math.max(retryAfterMs ?? 0, backoffDelay(this.attempt, this.random)));
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
    const counters = this.service.counters();
    const dropped: Record<string, number> = {};
    const evicted: Record<string, number> = {};
    for (const [k, n] of Object.entries(counters)) {
      if (k.startsWith('dropped.')) dropped[k.slice(8)] = n;
      else if (k.startsWith('evicted.')) evicted[k.slice(8)] = n;
    }
    return { queue_depth: this.queue.pendingCount(), dropped, evicted };
  }
}
