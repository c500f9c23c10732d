// createWatcher: findings an on-call engineer can act on — what, which way, since when, by how
// much, how sure — once per episode, and none on ordinary seasonal series.
import { describe, expect, it } from 'vitest';
import { createWatcher, type Finding } from '../../../src/analyzer/index.js';
import { genericCorpus } from '../../../bench/anomaly/corpus-generic.js';
import { telemetryCorpus } from '../../../bench/anomaly/corpus-telemetry.js';
import { probationOf, windowsOf, type LabelledSeries } from '../../../bench/anomaly/series.js';

const corpus = telemetryCorpus();
const named = (name: string) => corpus.find((s) => s.name === name)!;

function watch(s: LabelledSeries, extra: Parameters<typeof createWatcher>[0] = {}): (Finding & { index: number })[] {
  const w = createWatcher({ warmupPoints: probationOf(s.v.length), minValue: s.minValue, maxValue: s.maxValue, ...extra });
  return s.v.flatMap((v, i) => w.update(s.t[i]!, v).map((f) => ({ ...f, index: i })));
}

describe('createWatcher', () => {
  it('says a release made latency slower: a spike at the release, then a level shift up since then, with the ratio', () => {
    const s = named('latency_shift_1');
    const release = s.anomalies[0]!;
    const findings = watch(s, { name: 'p95 of api.request', unit: 'ms' });
    expect(findings.map((f) => f.kind)).toEqual(['spike', 'level_shift']);
    const [spike, shift] = findings;
    expect(spike!.index).toBe(release);
    expect(spike!.explanation).toMatch(/^p95 of api\.request was \d+ ms at 2026-\d\d-\d\d \d\d:\d\d UTC where about \d+ ms was expected \(\d\.\d\dx\); about 1 in 10\^\d+\.\d under its past\.$/);
    expect(shift!.direction).toBe('up');
    // Since the release, give or take the point before it (which may sit high by chance).
    expect(shift!.since).toBeGreaterThanOrEqual(s.t[release - 1]!);
    expect(shift!.since).toBeLessThanOrEqual(s.t[release + 1]!);
    expect(shift!.index - release).toBeLessThan(12);
    // The shift's ratio is the release's real slow-down (1.3-1.8x), measured on the data.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const truth = mean(s.v.slice(release, release + 96)) / mean(s.v.slice(release - 96 * 7, release - 96 * 6));
    expect(shift!.ratio).toBeGreaterThan(truth * 0.8);
    expect(shift!.ratio).toBeLessThan(truth * 1.25);
    expect(shift!.explanation).toMatch(/has been higher than usual since .* UTC: \d+ ms on average over 8 points against a usual \d+ ms/);
  });

  it('counts down to the memory limit while a leak grows, each time the time left halves, close to the real crash', () => {
    const s = named('memory_leak_1');
    const findings = watch(s, { name: 'memory', unit: 'MB', limit: 1536 });
    const countdown = findings.filter((f) => f.kind === 'approaching_limit');
    expect(countdown.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < countdown.length; i++) expect(countdown[i]!.timeToLimitMs!).toBeLessThan(countdown[i - 1]!.timeToLimitMs! / 2);
    // The app reached its limit where the series peaks; the later countdowns point there.
    const peak = s.v.indexOf(Math.max(...s.v));
    // (The first two still fit a line over points from before the leak began.)
    for (const f of countdown.slice(2)) expect(Math.abs(s.t[f.index]! + f.timeToLimitMs! - s.t[peak]!)).toBeLessThan(0.25 * (s.t[peak]! - s.t[f.index]!) + 3_600_000);
    expect(countdown[0]!.explanation).toMatch(/^memory grows [\d.]+ MB per hour since .* at this pace it reaches the limit of 1536 MB in [\d.]+ (h|days|min) \(about 2026-/);
    // The leak itself is found before the first countdown, as a departure from the usual level.
    expect(findings[0]!.index).toBeLessThanOrEqual(countdown[0]!.index);
    expect(findings[0]!.index - s.anomalies[0]!).toBeLessThan(10);
  });

  it('notices a collector that stopped, whether it repeats its last value or reports zero', () => {
    for (const name of ['collector_flat_0', 'collector_flat_1']) {
      const s = named(name);
      const [first] = watch(s, { name: 'ingest rate' });
      expect(first!.kind).toBe('flat_line');
      // Since the last real reading (repeated) or the first zero.
      expect([s.t[s.anomalies[0]! - 1], s.t[s.anomalies[0]!]]).toContain(first!.since);
      expect(first!.index - s.anomalies[0]!).toBeLessThan(5);
      expect(first!.explanation).toMatch(/^ingest rate has reported exactly [\d.]+ for \d+ points since .* though it normally changes/);
    }
  });

  it('reports crashes on one platform rising and a feature being avoided, inside their windows, in the right direction', () => {
    for (const [kind, direction] of [['crash_platform', 'up'], ['feature_avoided', 'down']] as const) {
      for (const s of corpus.filter((x) => x.kind === kind)) {
        const [w] = windowsOf(s);
        const first = watch(s).find((f) => f.index >= w!.start);
        expect(first, s.name).toBeDefined();
        expect(first!.index).toBeLessThanOrEqual(w!.end);
        expect(first!.direction).toBe(direction);
      }
    }
  });

  it('pages nobody about clean seasonal series at 1 in 10^5, and at the default 1 in 10^4 rarely and weakly', () => {
    const clean = [14, 5, 21].flatMap((seed) => telemetryCorpus(seed).filter((s) => s.kind === 'clean'));
    expect(clean).toHaveLength(12);
    expect(clean.map((s) => watch(s, { minSurprise: 5 }).length)).toEqual(clean.map(() => 0));
    const byDefault = clean.flatMap((s) => watch(s));
    expect(byDefault.length).toBeLessThanOrEqual(clean.length / 3);
    for (const f of byDefault) expect(f.surprise).toBeLessThan(5);
  });

  it('raises at most one finding per two clean random walks or noise series (generic corpus)', () => {
    const clean = genericCorpus().filter((s) => s.kind.startsWith('clean'));
    expect(clean.reduce((n, s) => n + watch(s).length, 0)).toBeLessThanOrEqual(clean.length / 2);
  });
});
