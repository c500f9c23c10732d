// Retention on the embedded SQLite store (issue 13): raw events older than N days and rollups older
// than M days are really gone, and every number over the kept window is unchanged.
import { describe, expect, it } from 'vitest';
import { SqliteCollectorStore } from '../../src/collector/sqlite-store.js';
import { eventsOver } from './stores/engines.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('retention on the SQLite store', () => {
  it('deletes raw events by whole hours before the cutoff, and rollups before theirs; the kept window reads the same', () => {
    const store = new SqliteCollectorStore(':memory:');
    try {
      const now = Date.UTC(2026, 11, 1);
      const old = eventsOver(now - 100 * DAY, 3, 20);
      const recent = eventsOver(now - 10 * DAY, 3, 20);
      store.ingest([...old, ...recent], now);
      const keptRollups = store.rollups().filter((r) => r.hour * HOUR >= now - 90 * DAY);
      // The cutoff falls in the middle of an hour: that hour stays whole.
      expect(store.pruneBefore(now - 90 * DAY + 30 * 60_000)).toBe(60);
      expect(store.ids().sort()).toEqual(recent.map((e) => e.event.id).sort());
      // Rollups outlive raw rows until their own retention.
      expect(store.rollups().length).toBeGreaterThan(keptRollups.length);
      expect(store.pruneRollupsBefore(now - 90 * DAY)).toBeGreaterThan(0);
      expect(store.rollups()).toEqual(keptRollups);
      expect(store.db.prepare('SELECT count(*) FROM feature_rollups WHERE hour < ?').pluck().get(Math.floor((now - 90 * DAY) / HOUR))).toBe(0);
    } finally {
      store.close();
    }
  });
});
