// The reader port: everything the reports and the release gate read from a store, rollups and raw
// rows, as one small interface. SQLite answers it synchronously (RollupReader, the device's and the
// collector's file); ClickHouse answers the same questions asynchronously (readers/clickhouse-reader).
//
// The analyses are written once, as generators that yield the reads they need (`yield* ask(...)`),
// and run by either driver: runSync on a synchronous reader (the dashboard, alerting and the device
// keep their synchronous calls), analyze() on any reader. The numbers cannot drift between stores
// because there is only one copy of the arithmetic.
import type { EventType } from '../telemetry/event/schema.js';
import type { Histogram } from '../telemetry/rollup/histogram.js';
import type { MeasureSource } from './measures.js';
import type { StoreKind } from './store.js';
import type { Window } from './time.js';

export interface Slice {
  window: Window;
  /** null = every version. */
  version: string | null;
}

export interface NameTotal {
  type: EventType;
  name: string;
  version: string;
  count: number;
  measured: number;
  sum: number;
}

export interface FeatureTotal {
  feature: string;
  uses: number;
  seconds: number;
  interactions: number;
}

export interface Marker {
  ts: number;
  version: string;
  session: string;
  device: string;
  user: string;
}

export interface SessionEnd extends Marker {
  /** context.duration_ms of the session.end event; null when absent. */
  durationMs: number | null;
}

export type MarkerKind = 'crash' | 'error' | 'start';

/** An error or crash event as the grouping reads it (its payload holds the stack). */
export interface ErrorRow {
  ts: number;
  name: string;
  version: string;
  os: string;
  device: string;
  session: string;
  payload: string;
}

/** A feature event: who used which feature when, for how long (both as stored: maybe not typed). */
export interface FeatureRow {
  device: string;
  ts: number;
  version: string;
  feature: unknown;
  seconds: unknown;
}

/** What the analyzer reads. Every method answers for a slice (hours for the rollups, [from, to)
 *  in ms for raw rows, optionally one version), in the order documented on each. */
export interface AnalyzerReader {
  /** Counts, measured counts and sums per (type, name, version), ordered by type, name, version. */
  totals(s: Slice, types?: readonly EventType[]): NameTotal[];
  /** Event counts per (bucket, type); bucket = index of the bucketMs-wide bucket since the epoch. */
  countsByBucket(s: Slice, bucketMs: number): { bucket: number; type: EventType; count: number }[];
  /** Versions with any event in the window (the slice's version is ignored). */
  versions(s: Slice): string[];
  /** Merged histograms of the sources per bucket (0 = one bucket, numbered 0), by sourceKey. */
  histograms(s: Slice, sources: readonly MeasureSource[], bucketMs?: number): Map<string, Map<number, Histogram>>;
  /** Feature use by feature id, ordered by feature id. */
  features(s: Slice): FeatureTotal[];
  /** Session starts, crashes or errors in time order. */
  markers(kind: MarkerKind, s: Slice): Marker[];
  sessionEnds(s: Slice): SessionEnd[];
  /** Distinct sessions with a crash, per version. */
  crashedSessionsByVersion(s: Slice): Map<string, number>;
  /** Error or crash events with their payloads. */
  errorRows(kind: 'error' | 'crash', s: Slice): ErrorRow[];
  featureRows(s: Slice): FeatureRow[];
  /** (UTC day index, device) pairs with any event in [from, to), each once. */
  deviceDays(from: number, to: number, version: string | null): [number, string][];
  /** Error and crash events per `feature_id` of their payload, over the window (every version). */
  errorsByFeature(s: Slice): Map<string, number>;
}

/** The same questions, answered over the network. */
export type AsyncAnalyzerReader = { [K in keyof AnalyzerReader]: (...args: Parameters<AnalyzerReader[K]>) => Promise<ReturnType<AnalyzerReader[K]>> };

/** A store the CLIs opened: which kind it is, how to read it, how to let it go. */
export interface OpenedReader {
  kind: StoreKind;
  /** What to call it in messages: a path or the ClickHouse URLs. */
  name: string;
  reader: AnalyzerReader | AsyncAnalyzerReader;
  close(): Promise<void>;
}

type Method = keyof AnalyzerReader;
export interface ReadRequest {
  method: Method;
  args: unknown[];
}

/** An analysis: yields reads, returns its result. */
export type Reads<T> = Generator<ReadRequest, T, unknown>;

/** One read, typed: `const totals = yield* ask('totals', slice)`. */
export function* ask<K extends Method>(method: K, ...args: Parameters<AnalyzerReader[K]>): Reads<ReturnType<AnalyzerReader[K]>> {
  return (yield { method, args }) as ReturnType<AnalyzerReader[K]>;
}

function call(reader: AnalyzerReader | AsyncAnalyzerReader, r: ReadRequest): unknown {
  return (reader[r.method] as (...a: unknown[]) => unknown).apply(reader, r.args);
}

/** Runs an analysis on a synchronous reader (SQLite). */
export function runSync<T>(reads: Reads<T>, reader: AnalyzerReader): T {
  let step = reads.next();
  while (!step.done) step = reads.next(call(reader, step.value));
  return step.value;
}

/** Runs an analysis on any reader, one read at a time. A read asked again with the same arguments
 *  is answered from the first (a report reads the same session markers for its headline, its
 *  release health and its features: over a network that is most of its time); the analyses never
 *  modify what they were given. A failed read is thrown into the analysis and out of here. */
export async function analyze<T>(reader: AnalyzerReader | AsyncAnalyzerReader, reads: Reads<T>): Promise<T> {
  const answered = new Map<string, unknown>();
  let step = reads.next();
  while (!step.done) {
    const key = JSON.stringify([step.value.method, step.value.args]);
    let value: unknown;
    try {
      value = answered.has(key) ? answered.get(key) : await call(reader, step.value);
    } catch (e) {
      step = reads.throw(e);
      continue;
    }
    answered.set(key, value);
    step = reads.next(value);
  }
  return step.value;
}
