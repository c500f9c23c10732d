// After any deletion, every number the dashboard, the reports and the gate show equals the number
// computed from the raw rows that remain: the deleted rows' rollups are rebuilt in the deletion's
// transaction (src/telemetry/rollup/rebuild.ts), on a device (Delete my data, a category turned
// off) and on a collector store (one device's events deleted, the collector's reuse of it).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalAnalysis } from '../../src/analyzer/local-analysis.js';
import { runGate } from '../../src/analyzer/gate.js';
import { buildReport } from '../../src/analyzer/report/build.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import type { Db, StoreKind } from '../../src/analyzer/store.js';
import { windowOf } from '../../src/analyzer/time.js';
import type { EventType } from '../../src/telemetry/event/schema.js';
import type { TelemetryService } from '../../src/telemetry/index.js';
import { rebuildRollups, rollupKeysOf } from '../../src/telemetry/rollup/rebuild.js';
import { RollupWriter } from '../../src/telemetry/rollup/rollup-writer.js';
import { harness, type Harness } from '../support/service.js';
import { DAY, generateFleet } from './support/fleet.js';
import { END, releaseFleet } from './support/scenarios.js';
import { openStore, StoreWriter } from './support/store.js';

/** A fresh store holding exactly `db`'s remaining raw rows, its rollups folded from them alone. */
function fromRawRows(db: Db, kind: StoreKind): Db {
  const fresh = openStore(kind);
  const w = new StoreWriter(fresh, kind);
  const rows = db.prepare('SELECT ts, event_type, name, session_id, user_id, device_id, app_version, os, payload FROM events ORDER BY ts').all() as {
    ts: number; event_type: EventType; name: string; session_id: string; user_id: string; device_id: string; app_version: string; os: string; payload: string;
  }[];
  for (const r of rows) w.add({ ts: r.ts, type: r.event_type, name: r.name, session: r.session_id, user: r.user_id, device: r.device_id, version: r.app_version, os: r.os, fields: JSON.parse(r.payload) as Record<string, unknown> });
  w.flush();
  return fresh;
}

// Sums to 12 significant digits: the rebuild adds the same numbers in another order.
const rollups = (db: Db) =>
  (db.prepare('SELECT hour, event_type, name, app_version, count, measured, sum, min, max, hist FROM rollups ORDER BY 1, 2, 3, 4').all() as { sum: number }[]).map((r) => ({ ...r, sum: Number(r.sum.toPrecision(12)) }));
const featureRollups = (db: Db) =>
  (db.prepare('SELECT hour, feature_id, app_version, uses, seconds, interactions FROM feature_rollups ORDER BY 1, 2, 3').all() as { seconds: number }[]).map((r) => ({ ...r, seconds: Number(r.seconds.toPrecision(12)) }));

describe('on a device', () => {
  let h: Harness;
  let t: TelemetryService;
  beforeEach(() => {
    h = harness();
    t = h.open();
    t.setConsent({ usage: 'local', performance: 'local', errors: 'local', crashes: 'local' });
    for (let s = 0; s < 3; s++) {
      t.startSession();
      for (const ms of [90, 150, 400]) t.trackNetwork('api.request', { url: 'https://api.example.com/v1', status_code: 200, duration_ms: ms, bytes_transferred: 10 });
      t.trackPerformance('memory.rss', 200e6 + s * 1e6, 'bytes');
      t.trackFeature('feature.use', { feature_id: 'chat', duration_seconds: 20, interaction_count: 2 });
      t.trackError('mcp.tool_failed', new Error('tool failed'));
      if (s === 1) t.trackCrash('renderer.gone', new Error('Render process gone'), { process: 'renderer', reason: 'crashed' });
      h.clock.advance(20 * 60_000);
      if (s !== 1) t.endSession();
    }
    t.flush();
  });
  afterEach(() => h.cleanup());

  const sameNumbers = () => {
    const db = t.eventStore.db;
    const expected = fromRawRows(db, 'device');
    expect(rollups(db)).toEqual(rollups(expected));
    expect(featureRollups(db)).toEqual(featureRollups(expected));
    for (const range of ['1h', '24h', '7d'] as const) {
      expect(createLocalAnalysis(db).dashboard({ range, now: h.clock.now() })).toEqual(createLocalAnalysis(expected).dashboard({ range, now: h.clock.now() }));
    }
    expect(createLocalAnalysis(db).report('daily', h.clock.now()).markdown).toBe(createLocalAnalysis(expected).report('daily', h.clock.now()).markdown);
  };

  it('turning errors off leaves dashboard and report numbers equal to those of the remaining raw rows', () => {
    t.setConsent({ errors: 'off' });
    expect(createLocalAnalysis(t.eventStore.db).dashboard({ range: '24h', now: h.clock.now() }).byVersion[0]!.errors.value).toBe(0);
    sameNumbers();
  });

  it('turning usage off (sessions, features) leaves the numbers of the remaining raw rows', () => {
    t.setConsent({ usage: 'off' });
    expect(featureRollups(t.eventStore.db)).toEqual([]);
    sameNumbers();
  });

  it('Delete my data leaves no number behind, and what is recorded afterwards counts alone', () => {
    t.deleteMyData();
    expect(rollups(t.eventStore.db)).toEqual([]);
    t.startSession();
    t.trackPerformance('memory.rss', 300e6, 'bytes');
    t.flush();
    sameNumbers();
    const d = createLocalAnalysis(t.eventStore.db).dashboard({ range: '24h', now: h.clock.now() });
    expect(d.tiles.memoryBytes.count).toBe(1);
    expect(d.tiles.apiLatency.unknown?.reason).toBe('no_data');
  });
});

describe('on a collector store (the reusable rebuild)', () => {
  it('deleting one device\'s events and rebuilding the keys they counted in leaves report and gate numbers equal to those of the remaining rows', () => {
    const db = openStore('collector');
    generateFleet(db, { ...releaseFleet('collector', 12), days: 12 });
    const victim = (db.prepare("SELECT device_id FROM events WHERE event_type = 'crash' LIMIT 1").pluck().get() as string | undefined) ?? (db.prepare('SELECT device_id FROM events LIMIT 1').pluck().get() as string);
    db.transaction(() => {
      const keys = rollupKeysOf(db, 'device_id = ?', [victim]);
      expect(keys.length).toBeGreaterThan(0);
      db.prepare('DELETE FROM events WHERE device_id = ?').run(victim);
      rebuildRollups(db, { keys }, new RollupWriter(db));
    })();
    const expected = fromRawRows(db, 'collector');
    expect(rollups(db)).toEqual(rollups(expected));
    expect(featureRollups(db)).toEqual(featureRollups(expected));
    const [a, b] = [new RollupReader(db), new RollupReader(expected)];
    const { tables, headlines } = buildReport(a, 'collector', 'weekly', END);
    const want = buildReport(b, 'collector', 'weekly', END);
    expect(headlines).toEqual(want.headlines);
    expect(tables).toEqual(want.tables);
    const w = windowOf(END - 12 * DAY, END);
    expect(runGate(a, 'collector', w, '1.4.0', '1.5.0').text).toBe(runGate(b, 'collector', w, '1.4.0', '1.5.0').text);
  });
});
