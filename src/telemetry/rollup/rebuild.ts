// Rebuilds rollups from the raw rows that remain, after a deletion: the affected rollup rows (and
// their feature rollups) are deleted and the remaining events of those keys folded again with the
// same RollupWriter, so every number read from the rollups equals the number computed from the
// raw rows. Works on the device's and the collector's `events` table alike (same columns). Call
// inside the deletion's transaction.
import { CATEGORY_OF, measureOf, type EventType } from '../event/schema.js';
import type { SqliteDatabase } from '../store/database.js';
import { HOUR_MS, type RollupInput, type RollupWriter } from './rollup-writer.js';

/** One rollup row's key. */
export interface RollupKey {
  hour: number;
  type: EventType;
  name: string;
  appVersion: string;
}

/** What to rebuild: explicit keys (read with rollupKeysOf before deleting the rows), every key of
 *  some event types, or everything. */
export type RebuildScope = { keys: readonly RollupKey[] } | { types: readonly EventType[] } | { all: true };

/** The rollup keys the events matching `where` (an SQL condition on `events`) count in. Read them
 *  before deleting those events. */
export function rollupKeysOf(db: SqliteDatabase, where: string, args: readonly (string | number)[] = []): RollupKey[] {
  const rows = db.prepare(`SELECT DISTINCT ts / ${HOUR_MS} AS hour, event_type, name, app_version FROM events WHERE ${where}`).raw().all(...args) as [number, EventType, string, string][];
  return rows.map(([hour, type, name, appVersion]) => ({ hour: Math.floor(hour), type, name, appVersion }));
}

/** Deletes the rollups of `scope` and folds the remaining events of it again; returns how many
 *  events were folded. `writer` is the store's own (its cached histograms are reset). */
export function rebuildRollups(db: SqliteDatabase, scope: RebuildScope, writer: RollupWriter): number {
  writer.reset();
  if ('all' in scope) {
    db.prepare('DELETE FROM rollups').run();
    db.prepare('DELETE FROM feature_rollups').run();
    return refold(writer, db.prepare('SELECT ts, event_type, name, app_version, payload FROM events').raw().iterate() as Iterable<Row>);
  }
  if ('types' in scope) {
    let n = 0;
    for (const type of scope.types) {
      db.prepare('DELETE FROM rollups WHERE event_type = ?').run(type);
      if (type === 'feature') db.prepare('DELETE FROM feature_rollups').run();
      // category = ? uses the category index; the type narrows it.
      n += refold(writer, db.prepare('SELECT ts, event_type, name, app_version, payload FROM events WHERE category = ? AND event_type = ?').raw().iterate(CATEGORY_OF[type], type) as Iterable<Row>);
    }
    return n;
  }
  // Feature rollups are kept per (hour, version) for every feature at once (and a trigger drops
  // them with any feature rollup row), so a feature key is rebuilt for all feature names of its hour.
  const keys = new Map<string, RollupKey>();
  const featureHours = new Set<string>();
  for (const k of scope.keys) {
    if (k.type === 'feature') featureHours.add(`${k.hour}\u0000${k.appVersion}`);
    else keys.set(`${k.hour}\u0000${k.type}\u0000${k.name}\u0000${k.appVersion}`, k);
  }
  const del = db.prepare('DELETE FROM rollups WHERE hour = ? AND event_type = ? AND name = ? AND app_version = ?');
  const select = db.prepare('SELECT ts, event_type, name, app_version, payload FROM events WHERE ts >= ? AND ts < ? AND event_type = ? AND name = ? AND app_version = ?').raw();
  let n = 0;
  for (const k of keys.values()) {
    del.run(k.hour, k.type, k.name, k.appVersion);
    n += refold(writer, select.iterate(k.hour * HOUR_MS, (k.hour + 1) * HOUR_MS, k.type, k.name, k.appVersion) as Iterable<Row>);
  }
  const delFeatures = db.prepare("DELETE FROM rollups WHERE hour = ? AND app_version = ? AND event_type = 'feature'");
  const delFeatureRollups = db.prepare('DELETE FROM feature_rollups WHERE hour = ? AND app_version = ?');
  const selectFeatures = db.prepare("SELECT ts, event_type, name, app_version, payload FROM events WHERE ts >= ? AND ts < ? AND event_type = 'feature' AND app_version = ?").raw();
  for (const hv of featureHours) {
    const [h, version] = hv.split('\u0000') as [string, string];
    const hour = Number(h);
    delFeatures.run(hour, version);
    delFeatureRollups.run(hour, version);
    n += refold(writer, selectFeatures.iterate(hour * HOUR_MS, (hour + 1) * HOUR_MS, version) as Iterable<Row>);
  }
  return n;
}

type Row = [number, EventType, string, string, string];

/** Folds rows in batches (one upsert per key per batch, as the writer is built for). */
function refold(writer: RollupWriter, rows: Iterable<Row>): number {
  let batch: RollupInput[] = [];
  let n = 0;
  for (const [ts, type, name, appVersion, payload] of rows) {
    const fields = parse(payload);
    batch.push({ ts, type, name, appVersion, measure: numberOrNull(measureOf(type, fields)), fields });
    if (batch.length >= 5000) {
      writer.fold(batch);
      n += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) writer.fold(batch);
  return n + batch.length;
}

function parse(payload: string): Record<string, unknown> {
  try {
    const v = JSON.parse(payload) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
