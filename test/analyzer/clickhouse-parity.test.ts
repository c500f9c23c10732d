// The analyzer on ClickHouse gives the numbers it gives on SQLite: one generated fleet, stored in a
// collector's SQLite file and through the collector's ClickHouse store (two shards behind the
// Distributed table, with some batches delivered twice), read through the reader port. Every read,
// every report and the gate's verdict and printout are the same.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GATE_DAYS, gateOf } from '../../src/analyzer/gate.js';
import { ClickHouseReader } from '../../src/analyzer/readers/clickhouse-reader.js';
import { analyze, type AnalyzerReader, type Slice } from '../../src/analyzer/reader.js';
import { NOT_ON_THIS_STORE, reportOf } from '../../src/analyzer/report/build.js';
import { renderReport } from '../../src/analyzer/report/render.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import { windowOf } from '../../src/analyzer/time.js';
import { MEASURES } from '../../src/analyzer/measures.js';
import { hasBinary } from '../../src/collector/engines/processes.js';
import type { IngestEvent } from '../../src/collector/store.js';
import { ClickHouseCollectorStore } from '../../src/collector/stores/clickhouse/clickhouse-store.js';
import type { TelemetryEvent } from '../../src/telemetry/event/schema.js';
import { engineDir, startShards, type ShardedClickHouse } from '../collector/stores/engines.js';
import { DAY, generateFleet } from './support/fleet.js';
import { END, releaseFleet } from './support/scenarios.js';
import { openStore } from './support/store.js';
import type { Db } from '../../src/analyzer/store.js';

/** Sized to keep the whole file under a minute on two shared cores (~80k events). */
const DEVICES = 100;
const INSERT_CHUNK = 10_000;

/** The collector's rows as the events a device sent (the payload holds the type's own fields). */
function* asIngested(db: Db): Generator<IngestEvent[]> {
  const stmt = db.prepare('SELECT id, event_type, name, ts, session_id, user_id, app_version, os, device_id, seq, payload FROM events ORDER BY rowid');
  let chunk: IngestEvent[] = [];
  for (const r of stmt.iterate() as Iterable<{ id: string; event_type: string; name: string; ts: number; session_id: string; user_id: string; app_version: string; os: string; device_id: string; seq: number; payload: string }>) {
    const event = { id: r.id, event_type: r.event_type, name: r.name, timestamp: new Date(r.ts).toISOString(), session_id: r.session_id, user_id: r.user_id, app_version: r.app_version, os: r.os, device_id: r.device_id, seq: r.seq, ...(JSON.parse(r.payload) as object) } as TelemetryEvent;
    chunk.push({ event, ts: r.ts, clientTs: null });
    if (chunk.length === INSERT_CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

describe.skipIf(!hasBinary('clickhouse-server'))('the analyzer on ClickHouse and on SQLite', () => {
  let shards: ShardedClickHouse;
  let cleanup: () => void;
  let sqlite: RollupReader;
  let clickhouse: ClickHouseReader;
  let stored = 0;
  let dir: string;

  beforeAll(async () => {
    const d = engineDir('analyzer-parity');
    cleanup = d.cleanup;
    dir = d.dir;
    const db = openStore('collector', join(dir, 'collector.db'));
    generateFleet(db, releaseFleet('collector', DEVICES));
    sqlite = new RollupReader(db);
    shards = await startShards(d.dir, 2);
    const store = await ClickHouseCollectorStore.open({ shards: shards.urls, database: 'parity', rollupRefreshMs: 0 });
    try {
      let first: IngestEvent[] | null = null;
      for (const chunk of asIngested(db)) {
        stored += (await store.ingest(chunk, 1)).accepted;
        first ??= chunk;
      }
      // A batch delivered again (a device that did not hear the answer): counted once everywhere.
      await store.ingest(first!.slice(0, 2_000), 2);
      await store.flushRollups();
    } finally {
      await store.close();
    }
    clickhouse = await ClickHouseReader.open({ shards: shards.urls, database: 'parity', cluster: 'fleet' });
  }, 180_000);

  afterAll(async () => {
    await clickhouse?.close();
    await shards?.stop();
    cleanup?.();
  });

  const window = windowOf(END - 30 * DAY, END);
  const slices: Slice[] = [
    { window, version: null },
    { window, version: '1.6.0' },
    // Not aligned to days, on the version of the middle of the month.
    { window: windowOf(END - 18 * DAY - 5 * 3_600_000, END - 11 * DAY), version: '1.5.0' },
  ];

  it('stores every generated event once', () => {
    expect(stored).toBeGreaterThan(50_000);
    expect(stored).toBe(sqlite.db.prepare('SELECT count(*) FROM events').pluck().get());
  });

  it('answers every read of the port with the same rows', async () => {
    const sources = Object.values(MEASURES).flatMap((m) => m.sources);
    const same = async <K extends keyof AnalyzerReader>(method: K, ...args: Parameters<AnalyzerReader[K]>) => {
      const want = (sqlite[method] as (...a: unknown[]) => unknown).apply(sqlite, args);
      const got = await (clickhouse[method] as (...a: unknown[]) => Promise<unknown>).apply(clickhouse, args);
      return { got, want };
    };
    for (const s of slices) {
      const t = await same('totals', s);
      expect(t.got).toHaveLength((t.want as unknown[]).length);
      (t.got as { sum: number }[]).forEach((row, i) => {
        const w = (t.want as { sum: number }[])[i]!;
        expect({ ...row, sum: 0 }).toEqual({ ...w, sum: 0 });
        expect(Math.abs(row.sum - w.sum)).toBeLessThanOrEqual(1e-12 * Math.abs(w.sum)); // float sums added in another order
      });
      const byBucket = await same('countsByBucket', s, DAY);
      expect(byBucket.got).toEqual(byBucket.want);
      const versions = await same('versions', s);
      expect(new Set(versions.got as string[])).toEqual(new Set(versions.want as string[]));
      const hists = await same('histograms', s, sources, DAY);
      // Maps compared by content, whatever order their keys were met in.
      const plain = (x: unknown) => Object.fromEntries([...(x as Map<string, Map<number, { toData(): unknown }>>)].map(([k, m]) => [k, Object.fromEntries([...m].map(([b, h]) => [b, h.toData()]))]));
      expect(Object.keys(plain(hists.want)).length).toBeGreaterThan(3);
      expect(plain(hists.got)).toEqual(plain(hists.want));
      const features = await same('features', s);
      expect((features.got as { seconds: number }[]).map((f) => ({ ...f, seconds: Math.round(f.seconds * 1e6) }))).toEqual((features.want as { seconds: number }[]).map((f) => ({ ...f, seconds: Math.round(f.seconds * 1e6) })));
      for (const kind of ['start', 'crash', 'error'] as const) {
        const m = await same('markers', kind, s);
        expect(m.got).toEqual(m.want);
      }
      for (const [k, v] of [await same('sessionEnds', s), await same('crashedSessionsByVersion', s), await same('featureRows', s), await same('errorsByFeature', s)].entries()) {
        expect(v.got, `read ${k}`).toEqual(v.want);
      }
      for (const kind of ['error', 'crash'] as const) {
        const rows = await same('errorRows', kind, s);
        const key = (r: { ts: number; session: string }) => `${r.ts}/${r.session}`;
        const parsed = (xs: unknown) => (xs as { ts: number; session: string; payload: string }[]).map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown })).sort((a, b) => key(a).localeCompare(key(b)));
        expect(parsed(rows.got)).toEqual(parsed(rows.want));
      }
      const days = await same('deviceDays', s.window.from, s.window.to, s.version);
      const sorted = (xs: unknown) => (xs as [number, string][]).map((x) => x.join('/')).sort();
      expect(sorted(days.got)).toEqual(sorted(days.want));
    }
  });

  it.each(['daily', 'weekly', 'monthly'] as const)('renders the same %s report, word for word', async (kind) => {
    const [a, b] = await Promise.all([analyze(sqlite, reportOf('collector', kind, END)), analyze(clickhouse, reportOf('collector', kind, END))]);
    expect(a.release!.regressions.length).toBeGreaterThan(0); // a report with something to get wrong
    expect(renderReport(b).markdown).toBe(renderReport(a).markdown);
    expect(renderReport(b).html).toBe(renderReport(a).html);
  });

  it.each([
    ['1.5.0', '1.6.0', END, 'regression'],
    ['1.4.0', '1.5.0', END - 14 * DAY, 'pass'],
  ] as const)('gives the same gate verdict, numbers and printout for %s -> %s', async (baseline, candidate, at, verdict) => {
    const w = windowOf(at - DEFAULT_GATE_DAYS * DAY, at);
    const [a, b] = await Promise.all([analyze(sqlite, gateOf('collector', w, baseline, candidate)), analyze(clickhouse, gateOf('collector', w, baseline, candidate))]);
    expect(a.verdict).toBe(verdict);
    expect(b.verdict).toBe(a.verdict);
    expect(b.exitCode).toBe(a.exitCode);
    expect(b.text).toBe(a.text);
    // Percentiles come from the same merged histograms: equal, not just within the 1% bucket error.
    expect(b.comparison.percentiles).toEqual(a.comparison.percentiles);
    expect(b.comparison.findings.map((f) => [f.metric, f.pValue, f.regression])).toEqual(a.comparison.findings.map((f) => [f.metric, f.pValue, f.regression]));
  });

  /** The CLIs as a pipeline runs them. */
  const cli = (script: 'gate' | 'report', args: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync('node_modules/.bin/tsx', [`src/analyzer/cli/${script}.ts`, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const spec = () => `clickhouse://${shards.urls.map((u) => u.replace('http://', '')).join(',')}/parity`;

  it('npm run gate -- --store clickhouse://... judges as it does on the SQLite file: exit 1, the same printout', () => {
    const args = ['--baseline', '1.5.0', '--candidate', '1.6.0', '--now', new Date(END).toISOString()];
    const onClickHouse = cli('gate', ['--store', spec(), ...args]);
    const onSqlite = cli('gate', args, { ANALYZER_STORE: `sqlite:${join(dir, 'collector.db')}` });
    expect(onSqlite.code).toBe(1);
    expect(onClickHouse.code).toBe(1);
    expect(onClickHouse.out).toContain('VERDICT: REGRESSION');
    expect(onClickHouse.out).toBe(onSqlite.out);
  });

  /** The report without the two tables computed on SQLite only for now (crash concentration and
   *  the streaming anomalies, docs/ANALYZER.md) and the insights drawn from them. */
  const portable = (md: string) =>
    md
      .replace(/## (Crash concentration|Anomalies)\n[\s\S]*?(?=\n## )/g, '## $1 (SQLite only)\n')
      .split('\n')
      .filter((l) => !/^- (Anomaly|Crash concentration): /.test(l))
      .join('\n');

  it('npm run report -- weekly --store clickhouse://... writes the report the SQLite file gives (but the two SQLite-only tables)', { timeout: 60_000 }, () => {
    const now = new Date(END).toISOString();
    const a = cli('report', ['weekly', '--store', spec(), '--now', now, '--out', join(dir, 'ch')]);
    const b = cli('report', ['weekly', '--db', join(dir, 'collector.db'), '--now', now, '--out', join(dir, 'sqlite')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.out).toContain('(collector store)');
    const file = (sub: string) => readFileSync(join(dir, sub, `weekly-${now.slice(0, 10)}.md`), 'utf8');
    expect(file('ch')).toContain(NOT_ON_THIS_STORE);
    expect(portable(file('ch'))).toBe(portable(file('sqlite')));
  });

  it('a database that is not a telemetry store is named, exit 2', () => {
    const r = cli('gate', ['--store', spec().replace('/parity', '/nothing_here'), '--baseline', '1.5.0', '--candidate', '1.6.0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/ClickHouse at http:\/\/127\.0\.0\.1:\d+: database nothing_here is not a telemetry store/);
  });
});
