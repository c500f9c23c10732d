// TelemetryService: the one object app code talks to. track*() is synchronous and cheap (gate by
// consent, validate, scrub, append to the write buffer); the buffer is committed to SQLite in one
// transaction on a short timer, when it fills, and synchronously on flush(), close() and crashes.
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { createIdGenerator } from '../event/ids.js';
import { certainlyValidFields } from '../event/fields-check.js';
import { parseConfig, type TelemetryConfig, type TelemetryConfigInput, TelemetryConfigError } from '../config/config.js';
import {
  allOff,
  categoriesUpdateSchema,
  ConsentStore,
  isLowered,
  type ConsentCategories,
  type ConsentLevel,
  type ConsentState,
  type ConsentUpdate,
} from '../consent/consent.js';
import {
  CATEGORIES,
  CATEGORY_OF,
  FIELDS_OF,
  LIMITS,
  measureOf,
  NAME_PATTERN,
  type Category,
  type Context,
  type EventType,
  type FeatureFields,
  type FieldsOf,
  type NetworkFields,
  type Unit,
} from '../event/schema.js';
import { systemClock, type Clock, type SettingsPort } from '../ports.js';
import { createScrubber, type Scrubber } from '../scrub/scrub.js';
import { scrubEventFields } from '../scrub/event-fields.js';
import { startCheckpointer, type Checkpointer } from '../store/checkpointer.js';
import { isCorruptionError, moveAside, openDatabase, type Incident } from '../store/database.js';
import { assignVariant, trackExposure, type VariantSpec } from '../experiments/index.js';
import { acquireInstanceLock, type InstanceLock } from '../store/instance-lock.js';
import { IdentityKeeper } from './identity-keeper.js';
import { describeThrown, errorFieldsOf, storageErrorText } from './thrown-values.js';
import { enforceConsentOnDisk, rotateIdentity } from './consent-enforcement.js';
import type { WriterCall } from '../writer/client.js';
import type { WriterAnswer } from '../writer/protocol.js';
import { WritePath, type WritePathHost } from './write-path.js';
import { EventStore, type EventFilter, type Identity, type RollupQuery, type RollupRow, type StoredEvent } from '../store/event-store.js';

/** Why an event did not make it into the buffer. Each is counted as `dropped.<reason>`. */
export type DropReason = 'consent_off' | 'invalid_name' | 'invalid_fields' | 'closed' | 'buffer_full' | 'internal_error';

export type TrackResult = { ok: true; id: string } | { ok: false; reason: DropReason };

export interface TelemetryPorts {
  settings: SettingsPort;
  clock?: Clock;
}

/** Settings key: events buffered at close that the disk refused, counted at the next start. */
const LOST_AT_CLOSE_KEY = 'telemetry.lostAtClose';

/** What "Export my data" writes: everything this device keeps about the person. */
export interface DataExport {
  format: 'local-first-telemetry-export';
  version: 1;
  exported_at: string;
  consent: ConsentState;
  identity: Identity;
  events: StoredEvent[];
  rollups: RollupRow[];
  feature_rollups: Record<string, unknown>[];
  deletion_requests: ReturnType<EventStore['deletionRequests']>;
  counters: Record<string, number>;
}

export interface HealthReport {
  /** `memory` when the database file could not be used at all (see incidents). */
  storage: 'file' | 'memory';
  rows: number;
  bytes: number;
  buffered: number;
  queue: ReturnType<EventStore['queueStats']>;
  /** `dropped.<reason>` and `evicted.<cap>.<category>`, persisted across restarts (except
   *  `dropped.consent_off`, which counts this run only and is never written to disk). */
  counters: Record<string, number>;
  incidents: { at: number; kind: string; detail: string }[];
  lastStorageError: string | null;
  /** The last validation failure, without the offending values (they may be personal). */
  lastInvalid: { at: number; event_type: EventType; issue: string } | null;
}

/** How often raw rows are checked against the age limit. */
const AGE_CHECK_INTERVAL_MS = 3_600_000;
/** A wall clock this far behind where the monotonic clock says it should be was set back. */
const CLOCK_JUMP_MS = 1000;

export class TelemetryService {
  readonly config: TelemetryConfig;
  private readonly clock: Clock;
  private readonly consentStore: ConsentStore;
  private readonly keeper: IdentityKeeper;
  private readonly lock: InstanceLock;
  private readonly scrub: Scrubber;
  private store: EventStore;
  private storage: 'file' | 'memory';
  private consent: ConsentState;
  /** Consent as numbers for the hot path: 0 off, 1 local, 2 shared. */
  private readonly gate: Record<Category, number> = { usage: 0, performance: 0, errors: 0, crashes: 0 };
  private identity: Identity;
  private seq: number;
  private sessionId: string;
  private sessionStartedAt: number;
  private timer: NodeJS.Timeout | null = null;
  private checkpointer: Checkpointer | null = null;
  private closed = false;
  /** The start-up writes (consent enforcement, age limit, identity) the disk refused: they are
   *  redone before the next commit, so nothing is stored before the consent is enforced. */
  private startupRepairPending = false;
  /** Incidents that could not be written to the database (it refused writes). */
  private readonly unrecordedIncidents: { at: number; kind: string; detail: string }[] = [];
  private readonly settings: SettingsPort;
  private lastInvalid: HealthReport['lastInvalid'] = null;
  private lastAgeCheck = 0;
  private notConsented = 0;
  private readonly nextId: (ms: number) => string;
  private lastWall = 0;
  private lastMono: number | null = null;
  /** Set-backs of the wall clock not yet applied to the stored pending events. */
  private pendingShiftMs = 0;
  private activeFeature: string | undefined;
  /** The buffer and when (and on which thread) it is written. */
  private readonly writes: WritePath;

  private constructor(config: TelemetryConfig, ports: TelemetryPorts) {
    this.config = config;
    this.clock = ports.clock ?? systemClock;
    this.consentStore = new ConsentStore(ports.settings, config.policyVersion);
    this.scrub = createScrubber(config.scrub);
    this.nextId = createIdGenerator();
    this.writes = new WritePath(this.writePathHost());
    // Before anything touches the file: a second process would share its counters.
    this.lock = config.databasePath === ':memory:' ? { release: () => {} } : acquireInstanceLock(config.databasePath);
    try {
      const opened = openDatabase(config.databasePath, this.clock.now());
      this.settings = ports.settings;
      this.storage = opened.incidents.some((i) => i.kind === 'unreadable_memory_fallback') ? 'memory' : 'file';
      // With a writer thread, it reads the totals (a scan of the table) off the app's thread.
      this.store = new EventStore(opened.db, config.limits, { countLater: config.storeThread === 'worker' && this.storage === 'file' });
      this.keeper = new IdentityKeeper(ports.settings);
      this.identity = this.readIdentity();
      this.seq = Number(this.store.getMeta('seq') ?? '0');
      this.sessionId = uuidv7();
      this.sessionStartedAt = this.clock.now();
      this.consent = this.consentStore.read();
      this.applyGate(this.consent.categories);
      const lost = Number(ports.settings.get(LOST_AT_CLOSE_KEY) ?? 0);
      if (Number.isFinite(lost) && lost > 0) {
        this.count('dropped.unwritable_at_close', lost);
        ports.settings.set(LOST_AT_CLOSE_KEY, 0);
      }
      // A full disk (or one that refuses writes) must not keep the app from starting: the writes
      // of start-up are redone before the next commit, and the app runs, counting what it cannot keep.
      try {
        this.startupWrites();
      } catch (e) {
        if (isCorruptionError(e)) throw e;
        this.startupRepairPending = true;
        this.writes.lastStorageError = storageErrorText(e);
        this.unrecordedIncidents.push({ at: this.now(), kind: 'writes_refused_at_open', detail: this.writes.lastStorageError });
      }
    } catch (e) {
      this.lock.release();
      throw e;
    }
  }

  /** What start-up writes: the identity if new, the restored deletion requests, the consent
   *  enforced on disk (settings are written before the database is changed, so a crash in between
   *  is repaired here), the age limit. */
  private startupWrites(): void {
    const store = this.store;
    if (store.getMeta('user_id') !== this.identity.userId || store.getMeta('device_id') !== this.identity.deviceId) {
      store.setMeta('user_id', this.identity.userId);
      store.setMeta('device_id', this.identity.deviceId);
    }
    this.keeper.reconcile(store, this.identity);
    this.enforceConsentOnDisk(this.consent.categories);
    const now = this.now();
    store.enforceMaxAge(now);
    this.lastAgeCheck = now;
    this.startupRepairPending = false;
  }

  /** Opens the store and starts the flush timer. Throws TelemetryConfigError for a bad config. */
  static open(config: TelemetryConfigInput, ports: TelemetryPorts): TelemetryService {
    if (!ports?.settings || typeof ports.settings.get !== 'function' || typeof ports.settings.set !== 'function') {
      throw new TelemetryConfigError('TelemetryService.open needs ports.settings with get(key) and set(key, value)');
    }
    const service = new TelemetryService(parseConfig(config), ports);
    service.timer = setInterval(() => service.writes.commitChunk(), service.config.flushIntervalMs);
    service.timer.unref();
    service.checkpointer = service.storage === 'file' ? startCheckpointer(service.store.db, service.config.databasePath) : null;
    if (service.config.storeThread === 'worker' && service.storage === 'file') service.writes.startWriter();
    return service;
  }

  // ---- tracking helpers: never throw, return what happened -------------------------------------

  /** App lifecycle and engagement: `app.start`, `settings.change`, ... */
  trackApp(name: string, context?: Context): TrackResult {
    return this.track('app', name, context === undefined ? {} : { context });
  }

  trackFeature(name: string, fields: FeatureFields): TrackResult {
    return this.track('feature', name, fields);
  }

  /** A measurement: memory, API latency, load time, LLM inference, sync time. */
  trackPerformance(name: string, value: number, unit: Unit, context?: Context): TrackResult {
    return this.track('performance', name, context === undefined ? { value, unit } : { value, unit, context });
  }

  trackNetwork(name: string, fields: NetworkFields): TrackResult {
    return this.track('network', name, fields);
  }

  /** An error the app caught. Takes anything thrown; keeps its message, code and stack (scrubbed),
   *  and the feature in use (`setActiveFeature`, or `featureId` here). */
  trackError(name: string, error: unknown, errorCode?: string | { errorCode?: string; featureId?: string }): TrackResult {
    try {
      const o = typeof errorCode === 'object' && errorCode !== null ? errorCode : { errorCode };
      return this.track('error', name, this.withFeature(errorFieldsOf(error, o.errorCode), o.featureId));
    } catch (e) {
      return this.internalDrop('error', e);
    }
  }

  /** A crash: an uncaught exception, a process gone, resource exhaustion. */
  trackCrash(name: string, error: unknown, details: { process: string; reason: string; errorCode?: string; featureId?: string }): TrackResult {
    try {
      return this.track('crash', name, { ...this.withFeature(errorFieldsOf(error, details.errorCode), details.featureId), process: details.process, reason: details.reason });
    } catch (e) {
      return this.internalDrop('crash', e);
    }
  }

  private internalDrop(type: EventType, e: unknown): TrackResult {
    this.lastInvalid = { at: this.now(), event_type: type, issue: `internal: ${describeThrown(e)}`.slice(0, 300) };
    return this.drop('internal_error');
  }

  /** "This person saw variant `variant` of experiment `experiment`": a usage event
   *  (`experiment.exposure`), gated by the usage consent like any other. */
  trackExposure(experiment: string, variant: string): TrackResult {
    return trackExposure(this, experiment, variant);
  }

  /** The variant of `experiment` this person is in: deterministic from the anonymous id, so the
   *  same until the ids rotate (Delete my data, a full withdrawal). */
  assignVariant(experiment: string, variants: readonly VariantSpec[]): string {
    return assignVariant(experiment, variants, this.identity.userId);
  }

  /** The feature the person is using now (a `feature_id`), attached to the errors and crashes
   *  tracked until it changes; null when none. */
  setActiveFeature(featureId: string | null): void {
    this.activeFeature = featureId === null ? undefined : featureId;
  }

  private withFeature<F extends object>(fields: F, featureId: string | undefined): F & { feature_id?: string } {
    const f = featureId ?? this.activeFeature;
    return f === undefined ? fields : { ...fields, feature_id: f };
  }

  /** The generic entry point under the helpers. */
  track<T extends EventType>(type: T, name: string, fields: FieldsOf[T]): TrackResult;
  track(type: EventType, name: string, fields: unknown): TrackResult {
    // Whatever the app hands in (Proxies whose traps throw, getters that throw, odd prototypes),
    // tracking never throws into the app: an input the checks below did not foresee is a counted drop.
    try {
      return this.trackUnsafe(type, name, fields);
    } catch (e) {
      return this.internalDrop(typeof type === 'string' && Object.hasOwn(CATEGORY_OF, type) ? type : 'app', e);
    }
  }

  private trackUnsafe(type: EventType, name: string, fields: unknown): TrackResult {
    if (this.closed) return this.drop('closed');
    // Own keys only: `constructor` or `__proto__` as a type must not find Object.prototype's.
    if (typeof type !== 'string' || !Object.hasOwn(CATEGORY_OF, type)) return this.drop('invalid_fields');
    const category = CATEGORY_OF[type];
    const level = this.gate[category];
    // Consent first: an event of a category that is off is not even looked at.
    if (level === 0) return this.drop('consent_off');
    if (typeof name !== 'string' || name.length > LIMITS.nameMax || !NAME_PATTERN.test(name)) return this.drop('invalid_name');
    let valid: Record<string, unknown>;
    // The everyday case is settled by a check ~10x cheaper than zod's; anything else goes to zod,
    // which is the specification and says what is wrong.
    if (certainlyValidFields(type, fields)) valid = { ...fields };
    else {
      const parsed = FIELDS_OF[type].safeParse(fields);
      if (!parsed.success) {
        this.lastInvalid = { at: this.now(), event_type: type, issue: parsed.error.issues.map((i) => `${i.path.join('.') || '(fields)'}: ${i.message}`).join('; ').slice(0, 300) };
        return this.drop('invalid_fields');
      }
      valid = parsed.data as Record<string, unknown>;
    }
    if (this.writes.waiting >= this.config.maxBufferedEvents) return this.drop('buffer_full');
    // With a writer thread, the scrubbing is done there, before the disk; inline, it is done now.
    const scrubbed = this.writes.scrubsHere;
    // Scrubbing makes a new context; without it, a copy: the app may reuse and change its object
    // before the writer thread is handed this event.
    if (!scrubbed && valid.context !== undefined) valid.context = { ...(valid.context as object) };
    const data = scrubbed ? this.scrubFields(type, valid) : valid;
    // One clock read per event: the id's time and the event's timestamp are the same instant.
    const ts = this.now();
    // Only when the wall clock moved: a set-back always does, and a burst reads the monotonic clock once a millisecond, not once an event.
    if (this.clock.monotonic !== undefined && ts !== this.lastWall) this.watchClock(ts, this.clock.monotonic());
    const id = this.nextId(ts);
    this.writes.push({
      id,
      type,
      category,
      name,
      ts,
      sessionId: this.sessionId,
      userId: this.identity.userId,
      deviceId: this.identity.deviceId,
      appVersion: this.config.appVersion,
      os: this.config.os,
      seq: ++this.seq,
      fields: data,
      measure: measureOf(type, data),
      shared: level === 2,
      scrubbed,
    });
    return { ok: true, id };
  }

  /** Every free-text field through the scrubber (scrub/event-fields.ts, shared with the collector);
   *  values cut to their limit after scrubbing are counted, so what is stored always validates. */
  private scrubFields(type: EventType, f: Record<string, unknown>): Record<string, unknown> {
    const truncated = scrubEventFields(this.scrub, type, f);
    if (truncated > 0) this.count('truncated.after_scrub', truncated);
    return f;
  }

  /** The clock as whole milliseconds (a performance.now()-based clock reads fractions); a clock
   *  that returns nonsense falls back to the system's. */
  private now(): number {
    const t = this.clock.now();
    return Number.isFinite(t) && t >= 0 ? Math.floor(t) : Date.now();
  }

  /** The wall clock set back (by the person, or by NTP) in the middle of a stream: the collector
   *  corrects a whole batch by one offset computed from `sent_at`, so the events recorded before
   *  the change are moved into the new clock's frame too, and every event of a batch then needs the
   *  same correction. (A jump forward is not treated: a laptop's sleep looks the same, since the
   *  monotonic clock stops while it sleeps.) */
  private watchClock(wall: number, mono: number): void {
    if (this.lastMono !== null) {
      const jump = wall - (this.lastWall + (mono - this.lastMono));
      if (jump < -CLOCK_JUMP_MS) {
        for (const e of this.writes.buffer) e.ts += jump;
        this.pendingShiftMs += jump;
        this.count('clock.set_back');
      }
    }
    this.lastWall = wall;
    this.lastMono = mono;
  }

  private drop(reason: DropReason): TrackResult {
    // What a person declined is not written down, not even as a count: kept in memory only.
    if (reason === 'consent_off') this.notConsented++;
    else this.count(`dropped.${reason}`);
    return { ok: false, reason };
  }

  private count(key: string, n = 1): void {
    this.writes.count(key, n);
  }

  // ---- sessions ----------------------------------------------------------------------------------

  get currentSessionId(): string {
    return this.sessionId;
  }

  /** Starts a new session (ending the current one) and records `session.start`. */
  startSession(): string {
    this.sessionId = uuidv7();
    this.sessionStartedAt = this.clock.now();
    this.trackApp('session.start');
    return this.sessionId;
  }

  /** Records `session.end` with the session's length; later events go to a fresh session id. */
  endSession(): void {
    this.trackApp('session.end', { duration_ms: this.clock.now() - this.sessionStartedAt });
    this.sessionId = uuidv7();
    this.sessionStartedAt = this.clock.now();
  }

  // ---- durability (service/write-path.ts) ----------------------------------------------------------

  /** Commits everything buffered, synchronously. Safe to call from a crash handler. Never throws:
   *  a storage failure keeps the events buffered (bounded) and is reported through health(). */
  flush(): void {
    this.writes.flush();
  }

  /** Called after each commit with the number of newly queued (shared) events. Returns an unsubscribe. */
  onCommit(listener: (sharedEvents: number) => void): () => void {
    return this.writes.onCommit(listener);
  }

  /** Sends a request to the writer thread (the upload store's reads and writes); null without one. */
  writerRequest(req: WriterCall): Promise<WriterAnswer> | null {
    return this.writes.request(req);
  }

  /** True while a writer thread does the database work (see config.storeThread). */
  get usesWriterThread(): boolean {
    return this.writes.usesWriterThread;
  }

  /** What the write path needs of this service. */
  private writePathHost(): WritePathHost {
    return {
      config: this.config,
      clock: this.clock,
      store: () => this.store,
      owesWrites: (now) => this.startupRepairPending || this.pendingShiftMs !== 0 || now - this.lastAgeCheck > AGE_CHECK_INTERVAL_MS,
      writeOwed: (now) => {
        if (this.startupRepairPending) this.startupWrites();
        if (this.pendingShiftMs !== 0) {
          this.store.shiftPendingTimestamps(this.pendingShiftMs);
          this.pendingShiftMs = 0;
        }
        if (now - this.lastAgeCheck > AGE_CHECK_INTERVAL_MS) {
          this.lastAgeCheck = now;
          this.store.enforceMaxAge(now);
        }
      },
      reopenAfterCorruption: (cause) => {
        this.reopenAfterCorruption(cause);
        return this.storage === 'file';
      },
      diskRecovered: () => this.afterDiskRecovered(),
      scrub: (e) => {
        if (e.scrubbed === true) return;
        this.scrubFields(e.type, e.fields);
        e.scrubbed = true;
      },
      incident: (kind, detail) => this.unrecordedIncidents.push({ at: this.now(), kind, detail }),
      closed: () => this.closed,
    };
  }

  /** Writes succeed again after a refusal (a full disk): the WAL grew to its peak while commits
   *  failed and SQLite never shrinks it by itself, so it is truncated once; what could not be
   *  written down meanwhile is recorded now. */
  private afterDiskRecovered(): void {
    try {
      this.store.db.pragma('wal_checkpoint(TRUNCATE)');
      const record = this.store.db.prepare('INSERT INTO incidents (at, kind, detail) VALUES (?, ?, ?)');
      for (const i of this.unrecordedIncidents.splice(0)) record.run(i.at, i.kind, i.detail);
    } catch {
      // Busy (the checkpointer) or refused again: the next recovery tries again.
    }
  }

  private reopenAfterCorruption(cause: unknown): void {
    const now = this.clock.now();
    try {
      this.store.db.close();
    } catch {
      // already unusable
    }
    const aside = moveAside(this.config.databasePath, now);
    const opened = openDatabase(this.config.databasePath, now);
    const incident: Incident = { kind: 'corrupt_moved_aside', detail: `${(cause as Error).message}; moved to ${aside}` };
    opened.db.prepare('INSERT INTO incidents (at, kind, detail) VALUES (?, ?, ?)').run(now, incident.kind, incident.detail);
    this.storage = opened.incidents.some((i) => i.kind === 'unreadable_memory_fallback') ? 'memory' : 'file';
    this.store = new EventStore(opened.db, this.config.limits);
    this.checkpointer?.stop();
    this.checkpointer = this.storage === 'file' ? startCheckpointer(opened.db, this.config.databasePath) : null;
    this.store.setMeta('user_id', this.identity.userId);
    this.store.setMeta('device_id', this.identity.deviceId);
    this.keeper.restoreDeletions(this.store);
  }

  /** Flushes and closes the database. Later track*() calls are dropped as `closed`. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.writes.stopWriter();
    const lost = this.writes.buffer.length;
    if (lost > 0) {
      // The disk refused the last commit: these events are lost, but not silently. The count goes
      // to the settings store (the database is what refused) and into the counters at next start.
      try {
        this.settings.set(LOST_AT_CLOSE_KEY, Number(this.settings.get(LOST_AT_CLOSE_KEY) ?? 0) + lost);
      } catch {
        // Nowhere left to write it down.
      }
      this.writes.buffer = [];
    }
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.checkpointer?.stop();
    this.checkpointer = null;
    this.store.db.close();
    this.lock.release();
  }

  // ---- consent ---------------------------------------------------------------------------------

  getConsent(): ConsentState {
    return structuredClone(this.consent);
  }

  /** Changes consent per category. Lowering a category removes, in the same step, what it may no
   *  longer keep; withdrawing everything also rotates the anonymous ids and records a deletion
   *  request for the old ones. Throws TelemetryConfigError for a malformed update. */
  setConsent(update: ConsentUpdate): ConsentState {
    const parsed = categoriesUpdateSchema.safeParse(update);
    if (!parsed.success) throw new TelemetryConfigError(`Invalid consent update: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    if (this.closed) throw new TelemetryConfigError('setConsent called after close()');
    const next: ConsentCategories = { ...this.consent.categories, ...parsed.data };
    const prev = this.consent.categories;
    // Nothing buffered may outlive the new choice: drop what is now off, keep local what is no longer shared.
    this.writes.buffer = this.writes.buffer.filter((e) => next[e.category] !== 'off');
    for (const e of this.writes.buffer) if (next[e.category] !== 'shared') e.shared = false;
    this.applyGate(next);
    this.consent = this.consentStore.write(next, this.clock.now());
    this.flush();
    try {
      // flush() above waited for the writer thread: it is idle while this thread writes.
      if (CATEGORIES.some((c) => isLowered(prev[c], next[c])) || allOff(next)) this.enforceConsentOnDisk(next);
      else if (!allOff(next)) this.store.setMeta('collected', '1');
      this.writes.resync();
    } catch (e) {
      if (isCorruptionError(e)) throw e;
      // The disk refuses writes: the choice is saved in settings and the gate already follows it;
      // the database is made to agree before anything else is committed to it.
      this.startupRepairPending = true;
      this.writes.lastStorageError = storageErrorText(e);
    }
    return this.getConsent();
  }

  private applyGate(c: ConsentCategories): void {
    const rank: Record<ConsentLevel, number> = { off: 0, local: 1, shared: 2 };
    for (const k of CATEGORIES) this.gate[k] = rank[c[k]];
  }

  /** Makes the database agree with the consent (service/consent-enforcement.ts). */
  private enforceConsentOnDisk(c: ConsentCategories): void {
    this.adoptIdentity(enforceConsentOnDisk(this.store, this.keeper, c, this.identity, this.now()));
  }

  /** After a rotation: events from now on carry the fresh ids, from seq 1. */
  private adoptIdentity(fresh: Identity | null): void {
    if (fresh === null) return;
    this.identity = fresh;
    this.seq = 0;
  }

  // ---- the person's own data ----------------------------------------------------------------------

  /** "Delete my data": every stored event and rollup is deleted at once (including what waits in
   *  the write buffer), a deletion request for the current anonymous ids is queued for upstream,
   *  and fresh ids are taken. Consent is unchanged. */
  deleteMyData(): { deletedEvents: number } {
    if (this.closed) throw new TelemetryConfigError('deleteMyData called after close()');
    const dropped = this.writes.buffer.length;
    this.writes.buffer = [];
    // What the writer thread was given lands first, and is deleted with the rest.
    this.writes.settle();
    const store = this.store;
    const deleted = store.db.transaction(() => {
      const n = store.deleteAllEvents();
      this.adoptIdentity(rotateIdentity(store, this.keeper, this.identity, this.now()));
      if (!allOff(this.consent.categories)) store.setMeta('collected', '1');
      return n;
    })();
    this.writes.resync();
    return { deletedEvents: deleted + dropped };
  }

  /** "Export my data": exactly what is stored (after committing the buffer), as plain JSON. */
  exportData(): DataExport {
    if (!this.closed) this.flush();
    const store = this.store;
    return {
      format: 'local-first-telemetry-export',
      version: 1,
      exported_at: new Date(this.clock.now()).toISOString(),
      consent: this.getConsent(),
      identity: this.getIdentity(),
      events: [...store.allEvents()],
      rollups: store.rollups({ from: 0, to: Number.MAX_SAFE_INTEGER }),
      feature_rollups: store.featureRollups(),
      deletion_requests: store.deletionRequests(),
      counters: store.counters(),
    };
  }

  /** The anonymous ids of this database, or fresh ones (written by startupWrites). */
  private readIdentity(): Identity {
    const userId = this.store.getMeta('user_id');
    const deviceId = this.store.getMeta('device_id');
    return userId && deviceId ? { userId, deviceId } : { userId: uuidv4(), deviceId: uuidv4() };
  }

  // ---- reads for the analyzer, the dashboard and diagnostics --------------------------------------

  /** The anonymous ids currently attached to events. */
  getIdentity(): Identity {
    return { ...this.identity };
  }

  /** Newest first; committed events only (call flush() first to include the buffer). */
  recentEvents(filter?: EventFilter): StoredEvent[] {
    return this.store.recentEvents(filter);
  }

  /** Hourly rollups over [from, to). */
  rollups(query: RollupQuery): RollupRow[] {
    return this.store.rollups(query);
  }

  /** Event counts by type and name over [from, to), from the rollups. */
  counts(from: number, to: number): { event_type: EventType; name: string; count: number }[] {
    const by = new Map<string, { event_type: EventType; name: string; count: number }>();
    for (const r of this.store.rollups({ from, to })) {
      const k = `${r.event_type}\u0000${r.name}`;
      const e = by.get(k) ?? { event_type: r.event_type, name: r.name, count: 0 };
      e.count += r.count;
      by.set(k, e);
    }
    return [...by.values()].sort((a, b) => b.count - a.count);
  }

  deletionRequests() {
    return this.store.deletionRequests();
  }

  /** The collector confirmed these deletion requests: the settings mirror lets go of them. */
  deletionsConfirmed(): void {
    this.keeper.mirrorDeletions(this.store);
  }

  /** `dropped.<reason>`, `evicted.<cap>.<category>` and the uploader's outcomes (see health()). */
  counters(): Record<string, number> {
    const counters = this.store.counters();
    for (const [k, n] of this.writes.pendingCounters()) counters[k] = (counters[k] ?? 0) + n;
    if (this.notConsented > 0) counters['dropped.consent_off'] = this.notConsented;
    return counters;
  }

  health(): HealthReport {
    this.writes.totalsKnown();
    const counters = this.counters();
    return {
      storage: this.storage,
      rows: this.store.rows,
      bytes: this.store.bytes,
      buffered: this.writes.waiting,
      queue: this.store.queueStats(),
      counters,
      incidents: [...this.store.incidents(), ...this.unrecordedIncidents],
      lastStorageError: this.writes.lastStorageError,
      lastInvalid: this.lastInvalid,
    };
  }

  /** The underlying store, for the uploader and the analyzer in this process. */
  get eventStore(): EventStore {
    return this.store;
  }
}
