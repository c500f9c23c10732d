// Folds events into the `rollups` table (hour x event type x name x app version: count, sum,
// min, max, histogram). Shared by the device store and the collector's store, so both aggregate
// exactly the same way. Call inside the transaction that inserts the events.
import type { Statement } from 'better-sqlite3';
import type { EventType } from '../event/schema.js';
import type { SqliteDatabase } from '../store/database.js';
import { Histogram } from './histogram.js';

export const HOUR_MS = 3_600_000;

export interface RollupInput {
  ts: number;
  type: EventType;
  name: string;
  appVersion: string;
  /** The number aggregated (value, duration), or null for events that are only counted. */
  measure: number | null;
  /** The type's fields; read for feature events (feature_id, duration_seconds, interaction_count). */
  fields?: Record<string, unknown>;
}

interface FeatureAcc {
  hour: number;
  feature: string;
  version: string;
  uses: number;
  seconds: number;
  interactions: number;
}

interface Acc {
  hour: number;
  type: EventType;
  name: string;
  version: string;
  count: number;
  measured: number;
  sum: number;
  min: number | null;
  max: number | null;
  hist: Histogram | null;
}

/** Histograms kept in memory between commits (the current hours' keys); beyond this, start over. */
const CACHED_HISTOGRAMS = 4096;

export class RollupWriter {
  private readonly get: Statement;
  /** The stored histogram of each recently written key, so a commit does not read and parse it
   *  back from the table. Must be reset whenever the table changes other than through fold() or a
   *  fold's transaction rolls back (reset()). */
  private readonly hists = new Map<string, Histogram>();
  private readonly upsert: Statement;
  private readonly upsertFeature: Statement;

  constructor(db: SqliteDatabase) {
    // Feature use by feature id (migrations 003/004): folded here, per batch, rather than by a
    // trigger per row, which cost ~2.5 µs per feature event inside the commit.
    this.upsertFeature = db.prepare(`INSERT INTO feature_rollups (hour, feature_id, app_version, uses, seconds, interactions)
      VALUES (@hour, @feature, @version, @uses, @seconds, @interactions)
      ON CONFLICT (hour, feature_id, app_version) DO UPDATE SET
        uses = uses + excluded.uses, seconds = seconds + excluded.seconds, interactions = interactions + excluded.interactions`);
    this.get = db.prepare('SELECT hist FROM rollups WHERE hour = ? AND event_type = ? AND name = ? AND app_version = ?').pluck();
    this.upsert = db.prepare(`INSERT INTO rollups (hour, event_type, name, app_version, count, measured, sum, min, max, hist)
      VALUES (@hour, @type, @name, @version, @count, @measured, @sum, @min, @max, @hist)
      ON CONFLICT (hour, event_type, name, app_version) DO UPDATE SET
        count = count + excluded.count,
        measured = measured + excluded.measured,
        sum = sum + excluded.sum,
        min = coalesce(min(min, excluded.min), min, excluded.min),
        max = coalesce(max(max, excluded.max), max, excluded.max),
        hist = coalesce(excluded.hist, hist)`);
  }

  /** Aggregates in memory first, so a batch of 500 events costs one upsert per distinct key. */
  fold(events: Iterable<RollupInput>): void {
    // Grouped by name first, then by (hour, type, version) in a short list: no key string is
    // built per event (that cost more than the rest of the fold together).
    const byName = new Map<string, Acc[]>();
    const groups: Acc[] = [];
    const features = new Map<string, FeatureAcc>();
    for (const e of events) {
      const hour = Math.floor(e.ts / HOUR_MS);
      if (e.type === 'feature') foldFeature(features, hour, e);
      let list = byName.get(e.name);
      if (list === undefined) byName.set(e.name, (list = []));
      let g: Acc | undefined;
      for (const a of list) {
        if (a.hour === hour && a.type === e.type && a.version === e.appVersion) {
          g = a;
          break;
        }
      }
      if (g === undefined) {
        g = { hour, type: e.type, name: e.name, version: e.appVersion, count: 0, measured: 0, sum: 0, min: null, max: null, hist: null };
        list.push(g);
        groups.push(g);
      }
      g.count++;
      const m = e.measure;
      if (m !== null) {
        g.measured++;
        g.sum += m;
        if (g.min === null || m < g.min) g.min = m;
        if (g.max === null || m > g.max) g.max = m;
        (g.hist ??= this.histogramOf(g)).add(m);
      }
    }
    for (const g of groups) {
      const hist = g.hist === null ? null : g.hist.toJSON();
      this.upsert.run({ hour: g.hour, type: g.type, name: g.name, version: g.version, count: g.count, measured: g.measured, sum: g.sum, min: g.min, max: g.max, hist });
    }
    for (const f of features.values()) this.upsertFeature.run(f);
  }

  /** Forget the cached histograms (rollups deleted, or a fold rolled back). */
  reset(): void {
    this.hists.clear();
  }

  private histogramOf(g: Acc): Histogram {
    const key = `${g.hour}\u0000${g.type}\u0000${g.name}\u0000${g.version}`;
    let h = this.hists.get(key);
    if (h === undefined) {
      const existing = this.get.get(g.hour, g.type, g.name, g.version) as string | null | undefined;
      h = existing ? Histogram.from(existing) : new Histogram();
      if (this.hists.size >= CACHED_HISTOGRAMS) this.hists.clear();
      this.hists.set(key, h);
    }
    return h;
  }
}

function foldFeature(features: Map<string, FeatureAcc>, hour: number, e: RollupInput): void {
  const f = e.fields ?? {};
  const feature = typeof f.feature_id === 'string' ? f.feature_id : e.name;
  const key = `${hour}\u0000${feature}\u0000${e.appVersion}`;
  let acc = features.get(key);
  if (acc === undefined) {
    acc = { hour, feature, version: e.appVersion, uses: 0, seconds: 0, interactions: 0 };
    features.set(key, acc);
  }
  acc.uses++;
  if (typeof f.duration_seconds === 'number') acc.seconds += f.duration_seconds;
  if (typeof f.interaction_count === 'number') acc.interactions += f.interaction_count;
}
