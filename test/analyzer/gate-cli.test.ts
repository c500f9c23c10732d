// The release gate as a pipeline calls it: `npm run gate` (tsx src/analyzer/cli/gate.ts) on a
// store file, judged by its exit status and its printed verdict.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateFleet } from './support/fleet.js';
import { releaseFleet } from './support/scenarios.js';
import { openStore } from './support/store.js';

// Generating the fleet takes seconds, more on two cores shared with other work.
vi.setConfig({ hookTimeout: 180_000 });

let dir: string;
let fleet: string;
let device: string;
const NOW = '2026-11-28T00:00:00Z';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'analyzer-gate-'));
  fleet = join(dir, 'collector.db');
  const db = openStore('collector', fleet);
  generateFleet(db, releaseFleet());
  db.close();
  // One device's own database: far too few sessions to judge a release on.
  device = join(dir, 'device.db');
  const d = openStore('device', device);
  generateFleet(d, { ...releaseFleet('device', 1) });
  d.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gate(...args: string[]) {
  const r = spawnSync('node_modules/.bin/tsx', ['src/analyzer/cli/gate.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run gate', () => {
  it('passes a candidate that is the same app as its baseline (exit 0)', () => {
    const r = gate('--db', fleet, '--baseline', '1.4.0', '--candidate', '1.5.0', '--now', NOW);
    expect(r.code).toBe(0);
    expect(r.out).toContain('VERDICT: PASS');
    expect(r.out).not.toContain('FAIL');
  });

  it('fails a candidate with regressions (exit 1), naming each with its evidence, and the new crash signature', () => {
    const json = join(dir, 'verdict.json');
    const r = gate('--db', fleet, '--baseline', '1.5.0', '--candidate', '1.6.0', '--now', NOW, '--json', json);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VERDICT: REGRESSION \(crash-free sessions, error rate, API latency p95, new crash: .*Object has been destroyed at sendToWindow/);
    expect(r.out).toMatch(/FAIL\s+crash-free sessions .*crashed sessions: \d+\/\d+ on 1\.6\.0 vs \d+\/\d+ on 1\.5\.0/);
    expect(r.out).toMatch(/FAIL\s+.*Object has been destroyed at sendToWindow.*: \d+ of \d+ sessions, \d+ of 200 devices/);
    const written = JSON.parse(readFileSync(json, 'utf8')) as { exitCode: number; regressions: { metric: string }[] };
    expect(written.exitCode).toBe(1);
    expect(written.regressions).toHaveLength(3);
  });

  it('honours the thresholds: allowing a 5-point crash-free drop, +150% errors and +60% latency lets 1.6.0 pass', () => {
    const r = gate('--db', fleet, '--baseline', '1.5.0', '--candidate', '1.6.0', '--now', NOW, '--max-crash-free-drop', '0.05', '--max-error-rate-increase', '1.5', '--max-p95-latency-increase', '0.6', '--new-crash-min-sessions', '1000', '--new-crash-min-device-share', '1');
    expect(r.code).toBe(0);
  });

  it('heads each section candidate first and prints every value candidate first, under that heading', () => {
    const r = gate('--db', fleet, '--baseline', '1.5.0', '--candidate', '1.6.0', '--now', NOW);
    expect(r.out).toMatch(/^Release gate: 1\.6\.0 \(candidate\) vs 1\.5\.0 \(baseline\)/);
    const crash = r.out.split('\n').find((l) => l.includes('crash-free sessions'))!;
    expect(crash.indexOf('1.6.0')).toBeLessThan(crash.indexOf('1.5.0'));
    // Candidate 1.6.0 crashes more: its (lower) rate is printed first.
    const [cand, base] = [...crash.matchAll(/(\d+\.\d+)%/g)].map((m) => Number(m[1]));
    expect(cand).toBeLessThan(base!);
  });

  it('prints only true comparisons of a p-value with its level, and "not tested" where a side has too little data', () => {
    const r = gate('--db', fleet, '--baseline', '1.5.0', '--candidate', '1.6.0', '--now', NOW, '--min-sessions', '100000');
    for (const m of r.out.matchAll(/p = ([\d.e+-]+) (<|>=) ([\d.e+-]+)/g)) {
      const [p, op, level] = [Number(m[1]), m[2], Number(m[3])];
      expect(op === '<' ? p < level : p >= level, m[0]).toBe(true);
    }
    expect(r.out).toMatch(/n\/a\s+crash-free sessions .*not tested: fewer than 100000 sessions on a side/);
  });

  it('fails on a brand-new crash signature alone, even when the rates cannot be judged yet', () => {
    const r = gate('--db', fleet, '--baseline', '1.5.0', '--candidate', '1.6.0', '--now', NOW, '--min-sessions', '100000', '--max-error-rate-increase', '100', '--max-p95-latency-increase', '100');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/VERDICT: REGRESSION \(new crash: .*Object has been destroyed at sendToWindow/);
    // Below the configured number of sessions and share of devices, it is listed but does not fail.
    const lenient = gate('--db', fleet, '--baseline', '1.5.0', '--candidate', '1.6.0', '--now', NOW, '--min-sessions', '100000', '--max-error-rate-increase', '100', '--max-p95-latency-increase', '100', '--new-crash-min-sessions', '1000', '--new-crash-min-device-share', '0.9');
    expect(lenient.code).toBe(2);
    expect(lenient.out).toMatch(/ok\s+.*Object has been destroyed at sendToWindow/);
  });

  it('refuses to judge with too few sessions (exit 2)', () => {
    const r = gate('--db', device, '--baseline', '1.5.0', '--candidate', '1.6.0', '--now', NOW, '--min-sessions', '500');
    expect(r.code).toBe(2);
    expect(r.out).toContain('NOT ENOUGH DATA');
  });

  it('exits 2 with the usage on bad arguments, an unknown version or a missing file', () => {
    expect(gate('--db', fleet, '--baseline', '1.5.0').code).toBe(2);
    const unknown = gate('--db', fleet, '--baseline', '1.5.0', '--candidate', '9.9.9', '--now', NOW);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('version 9.9.9 has no data');
    expect(gate('--db', join(dir, 'nope.db'), '--baseline', '1', '--candidate', '2').code).toBe(2);
    const bad = gate('--db', fleet, '--baseline', '1.5.0', '--candidate', '1.6.0', '--max-crash-free-drop', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('usage: npm run gate');
  });
});

describe('npm run gate: which store', () => {
  it('reads the same store by --store sqlite:PATH, by --db PATH and by ANALYZER_STORE', () => {
    const args = ['--baseline', '1.5.0', '--candidate', '1.6.0', '--now', NOW];
    const byDb = gate('--db', fleet, ...args);
    const bySpec = gate('--store', `sqlite:${fleet}`, ...args);
    const r = spawnSync('node_modules/.bin/tsx', ['src/analyzer/cli/gate.ts', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ANALYZER_STORE: `sqlite:${fleet}` } });
    expect(byDb.code).toBe(1);
    expect([bySpec.code, r.status]).toEqual([1, 1]);
    expect(bySpec.out).toBe(byDb.out);
    expect(r.stdout).toBe(byDb.out);
  });

  it('says which engine it cannot reach (exit 2): ClickHouse on a port where nothing listens', async () => {
    const { freePort } = await import('../../src/collector/engines/processes.js');
    const port = await freePort();
    const r = gate('--store', `clickhouse://127.0.0.1:${port}`, '--baseline', '1.5.0', '--candidate', '1.6.0');
    expect(r.code).toBe(2);
    expect(r.err).toContain(`ClickHouse at http://127.0.0.1:${port} is unreachable`);
    expect(r.err).toContain('Is clickhouse-server running there');
  });

  it('refuses a malformed store, or --store with --db (exit 2)', () => {
    expect(gate('--store', 'clickhouse://nohost', '--baseline', '1.5.0', '--candidate', '1.6.0')).toMatchObject({ code: 2, err: expect.stringContaining('is not host:port') });
    expect(gate('--store', `sqlite:${fleet}`, '--db', fleet, '--baseline', '1.5.0', '--candidate', '1.6.0')).toMatchObject({ code: 2, err: expect.stringContaining('give --store or --db, not both') });
  });
});
