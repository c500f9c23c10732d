// npm run bench:anomaly [-- --json] [-- --no-learned]
// Scores every detector on both labelled corpora with the NAB rules (one threshold per detector
// and corpus; 0 = detects nothing, 100 = every window at its start) and prints, per corpus, a
// table of the score per series kind (windows detected, false positives), then with --json one
// JSON object on the last line.
import { createDetector } from '../../src/analyzer/detect/detector.js';
import { createWatcher } from '../../src/analyzer/detect/watcher.js';
import { genericCorpus } from './corpus-generic.js';
import { telemetryCorpus } from './corpus-telemetry.js';
import { evaluate, scoreSeries } from './evaluate.js';
import { learnedScores, useWasm } from './learned.js';
import { nabScore, type ScoreResult } from './nab-score.js';
import { reportMethod, windowedGaussian } from './peers.js';
import type { LabelledSeries } from './series.js';

const json = process.argv.includes('--json');
const withLearned = !process.argv.includes('--no-learned');
/** The issue's target for the committed detector. */
const TARGET = 70;

type Scorer = (corpus: LabelledSeries[]) => Promise<ScoreResult>;

const detectors: Record<string, Scorer> = {
  'report method': async (c) => evaluate(() => reportMethod(), c),
  'windowed gaussian': async (c) => evaluate(() => windowedGaussian(), c),
  'createDetector (committed)': async (c) => evaluate(createDetector, c),
  // The watcher as it alerts: a finding is a detection (its own threshold, none chosen by the scorer).
  'createWatcher findings': async (c) =>
    nabScore(c, c.map((s) => scoreSeries((o) => {
      const w = createWatcher(o);
      return { update: (t, v) => (w.update(t, v).length > 0 ? 1 : 0) };
    }, s))),
};
if (withLearned) {
  detectors['learned (tfjs MLP forecaster)'] = async (c) => {
    const scores: number[][] = [];
    for (let i = 0; i < c.length; i++) scores.push(await learnedScores(c[i]!, 1000 + i));
    return nabScore(c, scores);
  };
}

async function main(): Promise<void> {
  const backend = withLearned ? await useWasm() : 'none';
  const corpora = { telemetry: telemetryCorpus(), generic: genericCorpus() };
  const result: Record<string, unknown> = { tfjsBackend: backend, target: TARGET };
  for (const [corpusName, corpus] of Object.entries(corpora)) {
    const scored: Record<string, ScoreResult & { ms: number }> = {};
    for (const [name, run] of Object.entries(detectors)) {
      const t0 = performance.now();
      const r = await run(corpus);
      scored[name] = { ...r, ms: performance.now() - t0 };
    }
    printTable(corpusName, corpus, scored);
    result[corpusName] = Object.fromEntries(
      Object.entries(scored).map(([name, r]) => [
        name,
        {
          score: round(r.score),
          threshold: round(r.threshold, 4),
          windows: r.windows,
          detected: r.truePositives,
          falsePositives: r.falsePositives,
          ms: Math.round(r.ms),
          byKind: Object.fromEntries(Object.entries(r.byKind).map(([k, v]) => [k, { score: v.score === null ? null : round(v.score), detected: v.detected, windows: v.windows, falsePositives: v.falsePositives }])),
        },
      ]),
    );
  }
  const committed = (c: string) => (result[c] as Record<string, { score: number }>)['createDetector (committed)']!.score;
  result.met = committed('telemetry') >= TARGET && committed('generic') >= TARGET;
  if (json) console.log(JSON.stringify(result));
}

function printTable(corpusName: string, corpus: LabelledSeries[], scored: Record<string, ScoreResult & { ms: number }>): void {
  const names = Object.keys(scored);
  const kinds = [...new Set(corpus.map((s) => s.kind))];
  const w = Math.max(...kinds.map((k) => k.length), 8);
  const col = 30;
  console.log(`\n${corpusName} corpus: ${corpus.length} series, ${corpus.reduce((n, s) => n + s.v.length, 0).toLocaleString('en-US')} points; NAB score (windows detected/windows, false positives)`);
  console.log(`${'kind'.padEnd(w)}  ${names.map((n) => n.slice(0, col).padStart(col)).join('')}`);
  for (const k of kinds) {
    const cells = names.map((n) => {
      const b = scored[n]!.byKind[k]!;
      const s = b.score === null ? '   -' : b.score.toFixed(1).padStart(5);
      return `${s} (${b.detected}/${b.windows}, ${b.falsePositives} fp)`.padStart(col);
    });
    console.log(`${k.padEnd(w)}  ${cells.join('')}`);
  }
  console.log(`${'overall'.padEnd(w)}  ${names.map((n) => `${scored[n]!.score.toFixed(1).padStart(5)} (${scored[n]!.truePositives}/${scored[n]!.windows}, ${scored[n]!.falsePositives} fp)`.padStart(col)).join('')}`);
  console.log(`${'target'.padEnd(w)}  ${names.map((n) => (n.includes('committed') ? `>= ${TARGET}: ${scored[n]!.score >= TARGET ? 'met' : 'NOT met'}` : '').padStart(col)).join('')}`);
  console.log(`${'time'.padEnd(w)}  ${names.map((n) => `${(scored[n]!.ms / 1000).toFixed(1)} s`.padStart(col)).join('')}`);
}

function round(x: number, digits = 1): number {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : x;
}

await main();
