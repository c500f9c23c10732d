// Post-release comparison on a generated fleet with known, injected differences: it must find
// exactly what was injected into 1.6.0, and nothing between 1.4.0 and 1.5.0, which are the same app.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { compareVersions, type Comparison } from '../../src/analyzer/compare.js';
import { releaseHealth } from '../../src/analyzer/release-health.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import { DAY_MS, windowOf } from '../../src/analyzer/time.js';
import { generateFleet } from './support/fleet.js';
import { END, releaseFleet } from './support/scenarios.js';
import { openStore } from './support/store.js';

// Generating the fleet takes seconds, more on two cores shared with other work.
vi.setConfig({ hookTimeout: 180_000 });

let reader: RollupReader;
const window = windowOf(END - 30 * DAY_MS, END);
let clean: Comparison;
let regressed: Comparison;

beforeAll(() => {
  const db = openStore('collector');
  generateFleet(db, releaseFleet());
  reader = new RollupReader(db);
  clean = compareVersions(reader, window, '1.4.0', '1.5.0');
  regressed = compareVersions(reader, window, '1.5.0', '1.6.0');
});

describe('comparing two releases of the same app', () => {
  it('flags no regression at all', () => {
    expect(clean.enoughData).toBe(true);
    expect(clean.regressions).toEqual([]);
    expect(clean.errorTypes.filter((t) => t.regression)).toEqual([]);
  });

  it('finds no new error or crash signature and no new feature', () => {
    expect(clean.newSignatures).toEqual([]);
    expect(clean.newFeatures).toEqual([]);
  });
});

describe('comparing a release with injected regressions against the previous one', () => {
  it('flags exactly crash-free sessions, the error rate and API latency', () => {
    expect(regressed.regressions.map((r) => r.metric).sort()).toEqual(['API latency p95', 'crash-free sessions', 'error rate']);
  });

  it('shows the evidence: rates, effect, p-value below the corrected level, and the counts', () => {
    const crash = regressed.regressions.find((r) => r.metric === 'crash-free sessions')!;
    expect(crash.baseline).toBeGreaterThan(0.98);
    expect(crash.candidate).toBeLessThan(0.975);
    expect(crash.effect).toBeGreaterThan(0.01);
    expect(crash.pValue).toBeLessThan(crash.alpha);
    expect(crash.evidence).toMatch(/crashed sessions: \d+\/\d+ on 1\.6\.0 vs \d+\/\d+ on 1\.5\.0/);
    const latency = regressed.regressions.find((r) => r.metric === 'API latency p95')!;
    expect(latency.effect).toBeGreaterThan(0.3);
    expect(latency.effect).toBeLessThan(0.7);
  });

  it('leaves the unchanged measures alone: memory, load time, time to first token', () => {
    for (const metric of ['Memory p95', 'Load time p95', 'LLM time to first token p95']) {
      const f = regressed.findings.find((x) => x.metric === metric)!;
      expect(f.enoughData).toBe(true);
      expect(f.regression).toBe(false);
    }
  });

  it('names the new crash signature, and only it', () => {
    expect(regressed.newSignatures.map((g) => g.title)).toEqual([expect.stringContaining('Object has been destroyed at sendToWindow (main/windows.js)')]);
    const g = regressed.newSignatures[0]!;
    expect(g.kind).toBe('crash');
    expect(g.versions.map((v) => v.version)).toEqual(['1.6.0']);
    expect(g.oses.length).toBe(3);
  });

  it('finds the new feature and that devices abandon it', () => {
    expect(regressed.newFeatures.map((f) => f.feature)).toEqual(['canvas']);
    const canvas = regressed.newFeatures[0]!;
    expect(canvas.usesPerDevice.few + canvas.usesPerDevice.many).toBe(0);
    expect(canvas.abandonmentRate).toBe(1);
    const chat = regressed.features.find((f) => f.feature === 'chat')!.candidate!;
    expect(chat.abandonmentRate).toBeLessThan(0.05);
  });

  it('gives percentiles of both versions for every compared measure', () => {
    const api = regressed.percentiles.find((p) => p.key === 'apiLatency')!;
    expect(api.candidate.p50! / api.baseline.p50!).toBeGreaterThan(1.35);
    expect(api.candidate.p50! / api.baseline.p50!).toBeLessThan(1.65);
  });
});

describe('release health per version', () => {
  it('accounts for every session as healthy, errored, crashed, abnormal or open, and computes adoption over the last day', () => {
    const health = releaseHealth(reader, window);
    expect(health.map((h) => h.version)).toEqual(['1.6.0', '1.5.0', '1.4.0']);
    for (const h of health) {
      expect(Object.values(h.outcomes).reduce((a, b) => a + b, 0)).toBe(h.sessions);
      expect(h.outcomes.abnormal).toBeGreaterThan(0);
      expect(h.crashFreeUsers).toBeLessThanOrEqual(1);
    }
    const [v16, v15] = health as [(typeof health)[0], (typeof health)[0]];
    expect(v16.crashFreeSessions!).toBeLessThan(v15.crashFreeSessions!);
    // By the last day every device has moved to 1.6.0.
    expect(v16.adoption.deviceShare).toBe(1);
    expect(v15.adoption.sessionShare).toBe(0);
  });
});
