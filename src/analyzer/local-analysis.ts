// The analyzer as the app's dashboard uses it (LocalAnalysis of src/host/bridge-handlers.ts), on
// this device's database: the same code the fleet's reports run on the collector's store.
import type BetterSqlite3 from 'better-sqlite3';
import type { LocalAnalysis } from '../host/bridge-handlers.js';
import { computeDashboard } from './dashboard.js';
import { AnomalyWatchCache } from './hourly-series.js';
import { buildReport } from './report/build.js';
import { renderReport } from './report/render.js';
import { RollupReader } from './rollup-reader.js';

export function createLocalAnalysis(db: BetterSqlite3.Database): LocalAnalysis {
  const reader = new RollupReader(db);
  // The dashboard is polled: its anomaly watchers are kept and fed only the hours completed since.
  const watch = new AnomalyWatchCache(reader);
  return {
    dashboard: (q) => computeDashboard(reader, q, watch),
    report: (kind, now, notCollected) => renderReport(buildReport(reader, 'device', kind, now, { notCollected })),
  };
}
