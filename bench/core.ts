// npm run bench:core [-- --json] [--store-thread worker|inline]
// The core's costs, each next to its physical limit measured in the same run (TOOLCHAIN.md:
// absolute times on this machine are noisy, ratios are not).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { MemorySettings, TelemetryService } from '../src/telemetry/index.js';
import { startCheckpointer } from '../src/telemetry/store/checkpointer.js';
import { DEVICE_MIGRATIONS_DIR, migrate, readMigrations } from '../src/telemetry/store/migrate.js';
import { printReport } from './report.js';
import { measureScrubCost, MESSAGE_TARGET_US, STACK_TARGET_US } from './scrub.js';
import { trackOne } from './workload.js';

const json = process.argv.includes('--json');
/** What an app gets from createTelemetry (a writer thread), unless asked for the inline path. */
const storeThread = process.argv.includes('inline') ? 'inline' : 'worker';
const dir = mkdtempSync(join(tmpdir(), 'bench-core-'));
const ALL_SHARED = { usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' } as const;
let opened = 0;

function openService(): TelemetryService {
  const t = TelemetryService.open(
    { databasePath: join(dir, `svc-${opened++}.db`), appVersion: '1.4.0', os: 'linux-x64 6.1', scrub: { homeDirs: ['/home/alice'], userNames: ['alice'] }, storeThread },
    { settings: new MemorySettings() },
  );
  t.setConsent(ALL_SHARED);
  return t;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// ---- track_ns_per_call: median over 100k calls (timed in groups of 100: a single call is
// shorter than the timer's own overhead). Commits triggered by the 500-event threshold are in
// the groups they fall in; the median is the cost a typical call pays.
function measureTrack(): { median: number; mean: number } {
  const t = openService();
  for (let i = 0; i < 20_000; i++) trackOne(t, i); // warm-up: JIT, statement caches
  const GROUP = 100;
  const groups: number[] = [];
  const start = process.hrtime.bigint();
  for (let g = 0; g < 1000; g++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < GROUP; i++) trackOne(t, g * GROUP + i);
    groups.push(Number(process.hrtime.bigint() - t0) / GROUP);
  }
  const mean = Number(process.hrtime.bigint() - start) / 100_000;
  t.close();
  return { median: median(groups), mean };
}

// ---- burst: 100k events arriving as fast as the app can produce them, in tasks of 1000 (a UI
// burst, a replayed log), tracked and committed. How long is the event loop ever blocked?
async function measureBurst(): Promise<{ maxDelayMs: number; maxTaskMs: number; committed: number }> {
  const t = openService();
  for (let i = 0; i < 5000; i++) trackOne(t, i);
  t.flush();
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  let maxTask = 0;
  let i = 0;
  await new Promise<void>((resolve) => {
    const step = () => {
      const t0 = performance.now();
      for (let k = 0; k < 1000 && i < 100_000; k++, i++) trackOne(t, i);
      maxTask = Math.max(maxTask, performance.now() - t0);
      if (i < 100_000) setImmediate(step);
      else setTimeout(resolve, 250); // let the timer commit the tail
    };
    setImmediate(step);
  });
  h.disable();
  const committed = t.health().rows;
  t.close();
  return { maxDelayMs: h.max / 1e6, maxTaskMs: maxTask, committed };
}

// ---- sustained: events/s from track() to committed rows, through the whole service. Returns
// the rate and the path of the database, whose rows the limit below inserts again raw.
function measureSustained(n: number): { rate: number; path: string } {
  const t = openService();
  const path = join(dir, `svc-${opened - 1}.db`);
  for (let i = 0; i < 5000; i++) trackOne(t, i);
  t.flush();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) trackOne(t, i);
  t.flush();
  const s = (performance.now() - t0) / 1000;
  t.close();
  return { rate: n / s, path };
}

// ---- the limit: raw better-sqlite3 inserts of the very rows the service stored (same mix of
// types, categories and payloads), into the same schema (same indexes, same WAL settings,
// checkpoints on a worker as in the service), 500 per transaction, payloads already serialised.
function measureSqliteLimit(servicePath: string): number {
  const source = new Database(servicePath, { readonly: true });
  const rows = source.prepare('SELECT id, event_type, category, name, ts, session_id, user_id, app_version, os, device_id, seq, payload, state, bytes FROM events ORDER BY rowid').raw().all() as unknown[][];
  source.close();
  const path = join(dir, `raw-${opened++}.db`);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db, readMigrations(DEVICE_MIGRATIONS_DIR));
  // As the service's own connection: checkpoints run on the same kind of worker, not in the commit.
  const checkpointer = startCheckpointer(db, path);
  const insert = db.prepare(`INSERT INTO events (id, event_type, category, name, ts, session_id, user_id, app_version, os, device_id, seq, payload, state, bytes)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const tx = db.transaction((batch: unknown[][]) => {
    for (const r of batch) insert.run(...r);
  });
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 500) tx(rows.slice(i, i + 500));
  const s = (performance.now() - t0) / 1000;
  checkpointer?.stop();
  db.close();
  return rows.length / s;
}

try {
  const track = measureTrack();
  // The burst's figure is a maximum, which one hiccup of this shared VM decides: the median of
  // three bursts (each in a fresh service) is reported, the worst one next to it.
  const bursts = [await measureBurst(), await measureBurst(), await measureBurst()];
  const burst = bursts.sort((a, b) => a.maxDelayMs - b.maxDelayMs)[1]!;
  const worstBurst = bursts[2]!;
  const N = 200_000;
  const runs = [measureSustained(N), measureSustained(N), measureSustained(N)];
  const sustained = median(runs.map((r) => r.rate));
  const limit = median(runs.map((r) => measureSqliteLimit(r.path)));
  // The scrubber on strings it has never seen (its cache cannot help), on whichever thread runs it.
  const scrub = await measureScrubCost();
  const scrubOnAppThread = storeThread === 'inline';
  const result = {
    store_thread: storeThread,
    track_ns_per_call: Math.round(track.median),
    track_ns_per_call_mean_incl_commits: Math.round(track.mean),
    burst_event_loop_max_ms: Number(burst.maxDelayMs.toFixed(2)),
    burst_event_loop_max_ms_worst_of_3: Number(worstBurst.maxDelayMs.toFixed(2)),
    burst_max_task_ms: Number(burst.maxTaskMs.toFixed(2)),
    burst_committed: burst.committed,
    commit_events_per_s: Math.round(sustained),
    sqlite_limit_events_per_s: Math.round(limit),
    commit_ratio_to_limit: Number((sustained / limit).toFixed(3)),
    scrub_stack_us_median: scrub.stack_us_median,
    scrub_message_us_median: scrub.message_us_median,
    scrub_runs_on: scrubOnAppThread ? 'app thread' : 'writer thread',
    scrub_app_thread_us_per_stack: scrubOnAppThread ? scrub.stack_us_median : 0,
    scrub_app_thread_us_per_message: scrubOnAppThread ? scrub.message_us_median : 0,
  };
  printReport(`bench:core (store thread: ${storeThread})`, [
    ['track_ns_per_call (median of 100k)', result.track_ns_per_call, '<= 1000', result.track_ns_per_call <= 1000],
    ['  mean per call incl. commits', result.track_ns_per_call_mean_incl_commits, '', null],
    ['burst_event_loop_max_ms (100k events, median of 3)', result.burst_event_loop_max_ms, '<= 10', result.burst_event_loop_max_ms <= 10],
    ['  worst of the 3 bursts', result.burst_event_loop_max_ms_worst_of_3, '', null],
    ['  longest task in the burst (ms)', result.burst_max_task_ms, '', null],
    ['commit_events_per_s (through the service)', result.commit_events_per_s, `>= 0.6 x limit`, result.commit_ratio_to_limit >= 0.6],
    ['sqlite_limit_events_per_s (raw inserts)', result.sqlite_limit_events_per_s, '', null],
    ['  ratio to limit', result.commit_ratio_to_limit, '>= 0.6', result.commit_ratio_to_limit >= 0.6],
    [`scrub a unique 1.7 KB stack (µs, median; runs on the ${result.scrub_runs_on})`, result.scrub_stack_us_median, `<= ${STACK_TARGET_US} or off the app thread`, !scrubOnAppThread || result.scrub_stack_us_median <= STACK_TARGET_US],
    [`scrub a unique 100-char message (µs, median)`, result.scrub_message_us_median, `<= ${MESSAGE_TARGET_US} or off the app thread`, !scrubOnAppThread || result.scrub_message_us_median <= MESSAGE_TARGET_US],
    ['  scrubbing cost on the app thread per stack / message (µs)', `${result.scrub_app_thread_us_per_stack} / ${result.scrub_app_thread_us_per_message}`, '', null],
  ], result, json);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
