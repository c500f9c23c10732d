// Runs a streaming detector over every series of a corpus, each point scored before the next one
// is seen, with the options a caller would know: the probation as warm-up, the expected range.
import type { Detector, DetectorOptions } from '../../src/analyzer/detect/detector.js';
import { nabScore, type ScoreResult } from './nab-score.js';
import { probationOf, type LabelledSeries } from './series.js';

export type DetectorFactory = (options: DetectorOptions) => Detector;

export function scoreSeries(make: DetectorFactory, s: LabelledSeries): number[] {
  const d = make({ warmupPoints: probationOf(s.v.length), minValue: s.minValue, maxValue: s.maxValue });
  return s.v.map((v, i) => d.update(s.t[i]!, v));
}

export function evaluate(make: DetectorFactory, corpus: readonly LabelledSeries[]): ScoreResult {
  return nabScore(corpus, corpus.map((s) => scoreSeries(make, s)));
}
