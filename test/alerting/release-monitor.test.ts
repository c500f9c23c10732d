// The release monitor on generated fleets (test/analyzer/support): checks every 12 simulated hours
// over 30 days; an injected regression is confirmed, paged once and handed to the rollback hook once
// with the evidence; a clean release never is. The time from release to detection is reported.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertConfigStore } from '../../src/alerting/config-store.js';
import { HistoryLog } from '../../src/alerting/history.js';
import type { AlertMessage } from '../../src/alerting/notify/message.js';
import { ReleaseMonitor, type ReleaseWatch } from '../../src/alerting/release/monitor.js';
import { DAY, generateFleet, HOUR, type FleetSpec } from '../analyzer/support/fleet.js';
import { releaseFleet } from '../analyzer/support/scenarios.js';
import { openStore } from '../analyzer/support/store.js';
import { FakeClock } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'release-monitor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHECK_EVERY = 12 * HOUR;
/** Each check runs the release comparison over up to two weeks of a 200-device fleet (~0.5 s here). */
const TIMEOUT = 180_000;
/** Appends the evidence it is given (stdin) as one line to the file named by its argument. */
const HOOK_SCRIPT = "const fs = require('node:fs'); fs.appendFileSync(process.argv[1], fs.readFileSync(0, 'utf8') + '\\n' + process.env.ROLLBACK_VERSION + '\\n');";

function runMonitor(spec: FleetSpec, name: string) {
  const db = openStore('collector');
  generateFleet(db, spec);
  const calls = join(dir, `${name}-rollbacks.txt`);
  const config = AlertConfigStore.inMemory({
    releaseMonitor: { checkEveryMs: CHECK_EVERY, settleAfterMs: 7 * DAY, confirmations: 2, windowMs: 7 * DAY, rollbackHook: { kind: 'command', command: process.execPath, args: ['-e', HOOK_SCRIPT, calls] } },
  });
  const pages: AlertMessage[] = [];
  const clock = new FakeClock(spec.end - spec.days * DAY);
  const history = new HistoryLog();
  const monitor = new ReleaseMonitor({ db, config, history, clock, notify: (m) => pages.push(m) });
  const checks: { at: number; watch: ReleaseWatch | null }[] = [];
  for (; clock.t <= spec.end; clock.advance(CHECK_EVERY)) checks.push({ at: clock.t, watch: monitor.check() });
  return { db, monitor, pages, calls, checks, history };
}

describe('release monitor', () => {
  it('confirms the injected regression of 1.6.0, pages it once and calls the rollback hook once with the evidence; 1.5.0 stays quiet', async () => {
    const spec = releaseFleet('collector', 200);
    const r = runMonitor(spec, 'regressed');
    await r.monitor.idle();
    const byVersion = new Map(r.monitor.status().map((w) => [w.version, w]));
    expect(byVersion.get('1.5.0')!.confirmedAt).toBeNull();
    const w = byVersion.get('1.6.0')!;
    expect(w.confirmedAt).not.toBeNull();
    expect(w.baseline).toBe('1.5.0');
    expect(w.regressions.length).toBeGreaterThan(0);
    expect(w.regressions.every((m) => ['crash-free sessions', 'error rate', 'API latency p95'].includes(m))).toBe(true);
    expect(r.pages).toHaveLength(1);
    expect(r.pages[0]!.labels).toEqual({ version: '1.6.0' });

    const lines = readFileSync(r.calls, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2); // one call: the evidence, then the version from the environment
    expect(lines[1]).toBe('1.6.0');
    const evidence = JSON.parse(lines[0]!);
    expect(evidence).toMatchObject({ version: '1.6.0', baseline: '1.5.0' });
    expect(evidence.regressions[0]).toMatchObject({ metric: expect.any(String), pValue: expect.any(Number), evidence: expect.any(String) });
    expect(evidence.gate).toMatch(/VERDICT: REGRESSION/);
    expect(evidence.adoption.length).toBeGreaterThan(1);
    // The adoption curve grows while it is watched.
    expect(evidence.adoption.at(-1).deviceShare).toBeGreaterThan(evidence.adoption[0].deviceShare);
    expect(w.rollback).toMatchObject({ status: 'delivered' });
    expect(r.history.list({ kind: 'release' }).map((e) => (e.kind === 'release' ? e.event : ''))).toEqual(['rollback', 'regression']);

    const released = Date.UTC(2026, 10, 28) - 10 * DAY; // 1.6.0 starts on day 20 of 30
    const hours = (w.confirmedAt! - released) / HOUR;
    console.log(`release monitor: 1.6.0 (4x crashes, 2x errors, +50% API latency) confirmed ${hours} h after its release day began (first seen ${(w.firstSeenAt - released) / HOUR} h in; ${(evidence.adoption.at(-1).deviceShare * 100).toFixed(0)}% of devices on it at detection); regressions: ${w.regressions.join(', ')}`);
    expect(hours).toBeLessThanOrEqual(48);
    // Checks after the confirmation add to the adoption curve but never page or call the hook again.
    expect(r.checks.filter((c) => c.watch?.version === '1.6.0' && c.at > w.confirmedAt!).length).toBeGreaterThan(0);
    r.db.close();
  }, TIMEOUT);

  it('stays quiet on a clean release: no page, no rollback', async () => {
    const spec = releaseFleet('collector', 200);
    const clean = { ...spec, seed: 7, versions: spec.versions.map((v) => (v.version === '1.6.0' ? { ...spec.versions[1]!, version: '1.6.0', fromDay: 20 } : v)) };
    const r = runMonitor(clean, 'clean');
    await r.monitor.idle();
    expect(r.monitor.status().map((w) => [w.version, w.confirmedAt])).toEqual([
      ['1.5.0', null],
      ['1.6.0', null],
    ]);
    expect(r.pages).toHaveLength(0);
    expect(() => readFileSync(r.calls)).toThrow();
    // It did judge (not just lack data): the last verdict on 1.6.0 is a pass.
    expect(r.monitor.status().find((w) => w.version === '1.6.0')!.lastVerdict).toBe('pass');
    expect(r.monitor.status().every((w) => w.settled)).toBe(true);
    r.db.close();
  }, TIMEOUT);
});
