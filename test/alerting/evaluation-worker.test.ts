// Alert evaluation runs in a worker thread with its own read-only connection to the store, so the
// collector keeps answering ingest while an evaluation is in progress. The worker is held inside an
// evaluation (it says so, then waits on a shared flag the test sets): meanwhile a batch is accepted
// and stored; released, the evaluation finishes and its result (read after the batch) fires.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createCollectorAlerting, type CollectorAlerting } from '../../src/collector/alerting.js';
import { perf, startRig, tempDir, type Rig } from '../collector/helpers.js';

let rig: Rig | null = null;
let dir: { dir: string; cleanup: () => void } | null = null;
afterEach(async () => {
  await rig?.close();
  dir?.cleanup();
  rig = null;
});

const rule = { id: 'inference-seen', metric: 'event_count', windowMs: 300_000, condition: { kind: 'threshold', op: 'at_least', value: 3 }, severity: 'info' } as const;

it('ingest answers and stores a batch while an evaluation is running in the worker; the evaluation then sees it and fires', async () => {
  dir = tempDir();
  const hold = new SharedArrayBuffer(4);
  let started!: () => void;
  const inEvaluation = new Promise<void>((r) => (started = r));
  const alerting: CollectorAlerting = createCollectorAlerting({ configPath: join(dir.dir, 'alerts.json'), adminKeys: ['admin'], timer: null, worker: { holdEachEvaluation: hold, onStarted: () => started() } });
  rig = await startRig({ plugins: [alerting.plugin] });
  alerting.config.upsertRule(rule);
  const engine = alerting.engine!;

  // Judged a minute from now, so the window covers the batch sent below.
  engine.tick(Date.now() + 60_000);
  await inEvaluation;
  let finished = false;
  void engine.idle().then(() => (finished = true));

  // The worker is inside the evaluation, blocked: the collector's thread is free.
  const answer = await rig.batch([perf(), perf(), perf()]);
  expect(answer.status).toBe(200);
  expect(rig.store.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(3);
  // A tick while the evaluation runs does not start a second one.
  engine.tick();
  expect(engine.skippedTicks).toBe(1);
  expect(finished).toBe(false);
  expect(engine.rulesStatus()[0]!.lastEvaluatedAt).toBeNull();

  Atomics.store(new Int32Array(hold), 0, 1);
  Atomics.notify(new Int32Array(hold), 0);
  await engine.idle();
  expect(engine.rulesStatus()[0]).toMatchObject({ ruleId: 'inference-seen', lastError: null });
  expect(engine.active().map((a) => [a.ruleId, a.status, a.value])).toEqual([['inference-seen', 'firing', 3]]);
});

it('an in-memory store or a caller\'s scorer evaluates on the collector\'s thread; asking for a worker there is a clear error', async () => {
  dir = tempDir();
  const alerting = createCollectorAlerting({ configPath: null, adminKeys: ['admin'], timer: null, scorer: () => ({ update: () => 0 }), evaluateIn: 'worker' });
  await expect(startRig({ plugins: [alerting.plugin] })).rejects.toThrow(/a scorer of the caller's cannot cross into the worker/);
});
