// createDetector, the public streaming detector: causal, bounded, and good enough on both labelled
// corpora under the NAB rules (the same corpora and scorer as `npm run bench:anomaly`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDetector } from '../../../src/analyzer/index.js';
import { genericCorpus } from '../../../bench/anomaly/corpus-generic.js';
import { telemetryCorpus } from '../../../bench/anomaly/corpus-telemetry.js';
import { evaluate, scoreSeries } from '../../../bench/anomaly/evaluate.js';
import { windowsOf, type LabelledSeries } from '../../../bench/anomaly/series.js';

const telemetry = telemetryCorpus();
const generic = genericCorpus();
const byKind = (c: LabelledSeries[], kind: string) => c.filter((s) => s.kind === kind);
let threshold: number | undefined;
/** The one threshold the NAB scorer picks for the whole telemetry corpus. */
const corpusThreshold = () => (threshold ??= evaluate(createDetector, telemetry).threshold);

describe('createDetector', () => {
  it('is causal: a point keeps its score whatever comes after it', () => {
    for (const s of [telemetry[0]!, telemetry[13]!, generic[5]!]) {
      const full = scoreSeries(createDetector, s);
      const cut = Math.floor(s.v.length * 0.6);
      // Same past, a different future: the scores up to the cut are identical.
      const other: LabelledSeries = { ...s, v: [...s.v.slice(0, cut), ...s.v.slice(cut).map((v) => v * 3 + 7)] };
      const changed = scoreSeries(createDetector, other);
      expect(changed.slice(0, cut)).toEqual(full.slice(0, cut));
      expect(changed.slice(cut)).not.toEqual(full.slice(cut));
    }
  });

  it('returns a score in [0, 1] for any input, also NaN, infinities, constants and repeated timestamps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.oneof(fc.double(), fc.constant(0), fc.constant(1e300), fc.integer({ min: -3, max: 3 }))), { minLength: 1, maxLength: 300 }),
        fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
        (points, warmupPoints) => {
          const d = createDetector({ warmupPoints });
          let t = 1_700_000_000_000;
          for (const [dt, v] of points) {
            t += dt * 60_000;
            const s = d.update(t, v);
            if (!(s >= 0 && s <= 1)) return false;
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('scores at least 70 (NAB rules) on the telemetry corpus and on the differently shaped generic one', () => {
    const t = evaluate(createDetector, telemetry);
    const g = evaluate(createDetector, generic);
    expect(t.score).toBeGreaterThanOrEqual(70);
    expect(g.score).toBeGreaterThanOrEqual(70);
  });

  it.each(['usage_cycle', 'latency_shift', 'error_bursts', 'memory_leak', 'crash_platform', 'feature_avoided', 'collector_flat'])(
    'finds %s inside its windows at one threshold for the whole corpus',
    (kind) => {
      const threshold = corpusThreshold();
      let windows = 0;
      let found = 0;
      for (const s of byKind(telemetry, kind)) {
        const scores = scoreSeries(createDetector, s);
        for (const w of windowsOf(s)) {
          windows++;
          if (scores.slice(w.start, w.end + 1).some((x) => x >= threshold)) found++;
        }
      }
      // Every window but at most one in eight (the faintest burst of 2 buckets may pass).
      expect(found).toBeGreaterThanOrEqual(Math.ceil(windows * 0.85));
    },
  );

  it('a point far outside everything seen scores higher than an ordinary one', () => {
    const d = createDetector({ warmupPoints: 100 });
    const ordinary: number[] = [];
    for (let i = 0; i < 300; i++) ordinary.push(d.update(i * 60_000, 10 + Math.sin(i / 3)));
    const spike = d.update(300 * 60_000, 40);
    expect(spike).toBeGreaterThan(0.5);
    expect(Math.max(...ordinary.slice(100))).toBeLessThan(spike / 2);
  });
});
