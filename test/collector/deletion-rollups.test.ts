// Deletion is complete upstream (issue 9): when the collector honours a deletion request, the
// hourly rollups it fed are rebuilt in the same transaction, so every number the analyzer shows
// (reports, release gate, dashboard) equals the number computed from the raw rows that remain.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDashboard } from '../../src/analyzer/dashboard.js';
import { runGate } from '../../src/analyzer/gate.js';
import { buildReport } from '../../src/analyzer/report/build.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import type { Db } from '../../src/analyzer/store.js';
import { windowEnding } from '../../src/analyzer/time.js';
import { SqliteCollectorStore } from '../../src/collector/sqlite-store.js';
import type { DeletionRequest } from '../../src/collector/store.js';
import { measureOf, type EventType } from '../../src/telemetry/event/schema.js';
import { RollupWriter } from '../../src/telemetry/rollup/rollup-writer.js';
import { generateFleet } from '../analyzer/support/fleet.js';
import { releaseFleet } from '../analyzer/support/scenarios.js';
import { openStore } from '../analyzer/support/store.js';
import { tempDir } from './helpers.js';

const DAY = 86_400_000;
const spec = releaseFleet('collector', 16);
let dir: string;
let cleanup: () => void;
let fleetPath: string;
let people: { user_id: string; device_id: string }[];

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  fleetPath = join(dir, 'fleet.db');
  const db = openStore('collector', fleetPath);
  generateFleet(db, spec);
  people = db.prepare('SELECT DISTINCT user_id, device_id FROM events ORDER BY device_id').all() as typeof people;
  db.close();
});
afterAll(() => cleanup());

/** A store built from scratch from `db`'s remaining raw rows: what the numbers must equal. */
function rebuiltFromRaw(db: Db): Db {
  const fresh = openStore('collector');
  const rows = db.prepare('SELECT * FROM events ORDER BY rowid').all() as Record<string, unknown>[];
  const insert = fresh.prepare(`INSERT INTO events (id, event_type, category, name, ts, client_ts, session_id, user_id, app_version, os, device_id, seq, payload, received_at)
    VALUES (@id, @event_type, @category, @name, @ts, @client_ts, @session_id, @user_id, @app_version, @os, @device_id, @seq, @payload, @received_at)`);
  fresh.transaction(() => {
    for (const r of rows) insert.run(r);
    new RollupWriter(fresh).fold(
      rows.map((r) => {
        const fields = JSON.parse(r.payload as string) as Record<string, unknown>;
        const type = r.event_type as EventType;
        return { ts: r.ts as number, type, name: r.name as string, appVersion: r.app_version as string, measure: measureOf(type, fields), fields };
      }),
    );
  })();
  return fresh;
}

/** Every fractional number to 10 significant digits: a sum folded in other batches adds the same
 *  numbers in another order, which moves its last bits and nothing a person could read. */
function rounded(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(10));
  if (Array.isArray(v)) return v.map(rounded);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rounded(x)]));
  return v;
}

function rollupsOf(db: Db): unknown {
  const rows = db.prepare('SELECT hour, event_type, name, app_version, count, measured, sum, min, max, hist FROM rollups ORDER BY hour, event_type, name, app_version').all();
  const features = db.prepare('SELECT hour, feature_id, app_version, uses, seconds, interactions FROM feature_rollups ORDER BY hour, feature_id, app_version').all();
  return rounded([rows, features]);
}

/** Everything a person reads from the analyzer about this store. */
function whatPeopleSee(db: Db): unknown {
  const reader = new RollupReader(db);
  const now = spec.end;
  return rounded({
    reports: (['daily', 'weekly', 'monthly'] as const).map((k) => buildReport(reader, 'collector', k, now)),
    gate: runGate(reader, 'collector', windowEnding(now, 14 * DAY), '1.5.0', '1.6.0').text,
    dashboards: (['24h', '7d', '30d'] as const).map((range) => computeDashboard(reader, { range, now })),
  });
}

function requestsFor(chosen: readonly number[]): DeletionRequest[] {
  // Alternate: some requests name a person's own pair, others a user id with another device's id.
  return chosen.map((i, k) => ({
    request_id: `req-${i}`,
    user_id: people[i]!.user_id,
    device_id: k % 2 === 0 ? people[i]!.device_id : people[(i + 1) % people.length]!.device_id,
    requested_at: spec.end,
  }));
}

describe('a deletion on the collector', () => {
  it('leaves rollups, reports, gate and dashboard exactly as if the deleted rows had never been stored', { timeout: 120_000 }, () => {
    const path = join(dir, 'one.db');
    copyFileSync(fleetPath, path);
    const store = new SqliteCollectorStore(path, spec.end);
    try {
      const dashboard = (db: Db): unknown => computeDashboard(new RollupReader(db), { range: '30d', now: spec.end });
      const before = JSON.stringify(dashboard(store.db));
      const result = store.forget(requestsFor([0, 3, 7, 11]), spec.end);
      expect(result.deletedEvents).toBeGreaterThan(0);
      const after = whatPeopleSee(store.db);
      // The deletion changed what is shown...
      expect(JSON.stringify(dashboard(store.db))).not.toBe(before);
      // ...to exactly what the remaining raw rows give.
      const reference = rebuiltFromRaw(store.db);
      expect(rollupsOf(store.db)).toEqual(rollupsOf(reference));
      expect(after).toEqual(whatPeopleSee(reference));
    } finally {
      store.close();
    }
  });

  it('for any set of people deleted, every rollup equals the one rebuilt from the remaining raw rows', { timeout: 120_000 }, () => {
    let run = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: people.length - 1 }), { minLength: 1, maxLength: 4 }), fc.boolean(), (chosen, twice) => {
        const path = join(dir, `p${run++}.db`);
        copyFileSync(fleetPath, path);
        const store = new SqliteCollectorStore(path, spec.end);
        try {
          // Split in two calls sometimes: a later deletion rebuilds on top of an earlier rebuild.
          const reqs = requestsFor(chosen);
          if (twice && reqs.length > 1) {
            store.forget(reqs.slice(0, 1), spec.end);
            store.forget(reqs.slice(1), spec.end);
          } else {
            store.forget(reqs, spec.end);
          }
          expect(rollupsOf(store.db)).toEqual(rollupsOf(rebuiltFromRaw(store.db)));
        } finally {
          store.close();
        }
      }),
      { numRuns: 6 },
    );
  });
});
