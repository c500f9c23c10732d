// The reader port on SQLite (a device's database or the collector's file): the hourly rollups (and
// the analyzer's feature rollups) for a window of hours, optionally for one app version, and the raw
// rows of markers.ts and raw-rows.ts. Aggregation that SQLite does well (sums by group) stays in
// SQL; histograms are merged here, with the Histogram class that wrote them.
import type { EventType } from '../telemetry/event/schema.js';
import { Histogram, type HistogramData } from '../telemetry/rollup/histogram.js';
import { crashedSessionsByVersion, markers, sessionEnds } from './markers.js';
import { sourceKey, type MeasureSource } from './measures.js';
import { deviceDays, errorRows, errorsByFeature, featureRows } from './raw-rows.js';
import type { AnalyzerReader, ErrorRow, FeatureRow, FeatureTotal, Marker, MarkerKind, NameTotal, SessionEnd, Slice } from './reader.js';
import { hasTable, Statements, type Db } from './store.js';
import { HOUR_MS } from './time.js';

export type { FeatureTotal, NameTotal, Slice } from './reader.js';

/** Merges stored histogram rows (hour, type, name, JSON) of the wanted sources per bucket: the one
 *  merge every reader uses, so percentiles are the same whichever store they came from. */
export function mergeHistogramRows(rows: Iterable<[number, string, string, string]>, sources: readonly MeasureSource[], bucketMs: number): Map<string, Map<number, Histogram>> {
  const out = new Map<string, Map<number, Histogram>>();
  const wanted = new Set(sources.map((x) => sourceKey(x.type, x.name)));
  const per = bucketMs / HOUR_MS;
  for (const [hour, type, name, text] of rows) {
    const key = sourceKey(type, name);
    if (!wanted.has(key)) continue;
    let byBucket = out.get(key);
    if (byBucket === undefined) out.set(key, (byBucket = new Map()));
    const b = per > 0 ? Math.floor(hour / per) : 0;
    let h = byBucket.get(b);
    if (h === undefined) byBucket.set(b, (h = new Histogram()));
    h.mergeData(JSON.parse(text) as HistogramData);
  }
  return out;
}

export class RollupReader implements AnalyzerReader {
  readonly st: Statements;
  readonly db: Db;
  private readonly hasFeatureRollups: boolean;

  /** On a connection, or on the prepared statements of one (old callers hold `Statements`). */
  constructor(source: Db | Statements) {
    this.st = source instanceof Statements ? source : new Statements(source);
    this.db = this.st.db;
    this.hasFeatureRollups = hasTable(this.db, 'feature_rollups');
  }

  private where(s: Slice, table = 'rollups'): { sql: string; args: (number | string)[] } {
    const args: (number | string)[] = [s.window.fromHour, s.window.toHour];
    let sql = `${table}.hour BETWEEN ? AND ?`;
    if (s.version !== null) {
      sql += ` AND ${table}.app_version = ?`;
      args.push(s.version);
    }
    return { sql, args };
  }

  /** Event counts per (bucket, type); bucket = index of the bucketMs-wide bucket since the epoch. */
  countsByBucket(s: Slice, bucketMs: number): { bucket: number; type: EventType; count: number }[] {
    const w = this.where(s);
    const per = bucketMs / HOUR_MS;
    const rows = this.st.get(`SELECT hour / ${per} AS b, event_type, sum(count) FROM rollups WHERE ${w.sql} GROUP BY b, event_type`).raw().all(...w.args) as [number, EventType, number][];
    return rows.map(([bucket, type, count]) => ({ bucket, type, count }));
  }

  /** Counts, measured counts and sums per (type, name, version). */
  totals(s: Slice, types?: readonly EventType[]): NameTotal[] {
    const w = this.where(s);
    const typeSql = types ? ` AND event_type IN (${types.map(() => '?').join(',')})` : '';
    const rows = this.st
      .get(`SELECT event_type, name, app_version, sum(count), sum(measured), total(sum) FROM rollups WHERE ${w.sql}${typeSql} GROUP BY event_type, name, app_version`)
      .raw()
      .all(...w.args, ...(types ?? [])) as [EventType, string, string, number, number, number][];
    return rows.map(([type, name, version, count, measured, sum]) => ({ type, name, version, count, measured, sum }));
  }

  /** Versions with any event in the window. */
  versions(s: Slice): string[] {
    return this.st.get('SELECT DISTINCT app_version FROM rollups WHERE hour BETWEEN ? AND ?').pluck().all(s.window.fromHour, s.window.toHour) as string[];
  }

  /**
   * Merged histograms of the given sources, per bucket (bucketMs a multiple of an hour; 0 = one
   * bucket for the whole slice, numbered 0). Keyed by sourceKey(type, name), then bucket index.
   */
  histograms(s: Slice, sources: readonly MeasureSource[], bucketMs = 0): Map<string, Map<number, Histogram>> {
    if (sources.length === 0) return new Map();
    const w = this.where(s);
    // IN lists rather than an OR of pairs, which SQLite would answer with a scan of every hour;
    // the few rows of a type/name pair that was not asked for are skipped by the merge.
    const types = [...new Set(sources.map((x) => x.type))];
    const names = [...new Set(sources.map((x) => x.name))];
    const rows = this.st
      .get(`SELECT hour, event_type, name, hist FROM rollups WHERE ${w.sql} AND event_type IN (${types.map(() => '?').join(',')}) AND name IN (${names.map(() => '?').join(',')}) AND hist IS NOT NULL`)
      .raw()
      .all(...w.args, ...types, ...names) as [number, string, string, string][];
    return mergeHistogramRows(rows, sources, bucketMs);
  }

  /** Feature use by feature id (from the analyzer's feature_rollups; by event name on a store that
   *  does not have them yet, e.g. a read-only copy made before migration 003). */
  features(s: Slice): FeatureTotal[] {
    if (this.hasFeatureRollups) {
      const w = this.where(s, 'feature_rollups');
      const rows = this.st
        .get(`SELECT feature_id, sum(uses), total(seconds), sum(interactions) FROM feature_rollups WHERE ${w.sql} GROUP BY feature_id`)
        .raw()
        .all(...w.args) as [string, number, number, number][];
      return rows.map(([feature, uses, seconds, interactions]) => ({ feature, uses, seconds, interactions }));
    }
    const byName = new Map<string, FeatureTotal>();
    for (const t of this.totals(s, ['feature'])) {
      const f = byName.get(t.name) ?? { feature: t.name, uses: 0, seconds: 0, interactions: 0 };
      f.uses += t.count;
      f.seconds += t.sum;
      byName.set(t.name, f);
    }
    return [...byName.values()];
  }

  // ---- raw rows (markers.ts, raw-rows.ts: each served by an index of the migrations) ----------

  markers(kind: MarkerKind, s: Slice): Marker[] {
    return markers(this.st, kind, s);
  }

  sessionEnds(s: Slice): SessionEnd[] {
    return sessionEnds(this.st, s);
  }

  crashedSessionsByVersion(s: Slice): Map<string, number> {
    return crashedSessionsByVersion(this.st, s);
  }

  errorRows(kind: 'error' | 'crash', s: Slice): ErrorRow[] {
    return errorRows(this.st, kind, s);
  }

  featureRows(s: Slice): FeatureRow[] {
    return featureRows(this.st, s);
  }

  deviceDays(from: number, to: number, version: string | null): [number, string][] {
    return deviceDays(this.st, from, to, version);
  }

  errorsByFeature(s: Slice): Map<string, number> {
    return errorsByFeature(this.st, s);
  }
}

const readers = new WeakMap<Statements, RollupReader>();

/** The reader over a connection's prepared statements, made once per Statements. */
export function readerOf(st: Statements): RollupReader {
  let r = readers.get(st);
  if (r === undefined) readers.set(st, (r = new RollupReader(st)));
  return r;
}
