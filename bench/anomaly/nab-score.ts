// The NAB scoring rules (standard profile), for a whole corpus at once:
// - a detection is a point after the probation whose score is at or above the threshold;
// - inside a window only the first detection counts, worth 2/(1+e^(5x)) - 1 normalised to 1 at
//   the window's start (x = -1 at the start, 0 at the end): the earlier, the better;
// - a detection outside every window costs 0.11, less if it comes soon after a window (the same
//   sigmoid, past the window's end); a window without a detection costs 1;
// - one threshold for the whole corpus: the one that maximises the total;
// - normalised so that detecting nothing scores 0 and a detection at every window's start 100.
// The sweep is exact: points sorted by score, each lowering of the threshold adds their effect.
import { probationOf, windowsOf, type LabelledSeries } from './series.js';

export const FP_WEIGHT = 0.11;
const FN_WEIGHT = 1;

function scaledSigmoid(x: number): number {
  return x > 3 ? -1 : 2 / (1 + Math.exp(5 * x)) - 1;
}
const MAX_TP = scaledSigmoid(-1);

/** What one point would add if it were a detection. */
interface Effect {
  score: number;
  /** Corpus-wide window index, or -1 for a false positive. */
  window: number;
  /** The TP weight, or the (negative) FP cost. */
  value: number;
  series: number;
}

export interface ScoreResult {
  /** Normalised corpus score, 0..100. */
  score: number;
  threshold: number;
  truePositives: number;
  falsePositives: number;
  windows: number;
  /** Per kind at the corpus threshold: normalised score (null without windows) and FP count. */
  byKind: Record<string, { score: number | null; falsePositives: number; windows: number; detected: number }>;
  /** Per series at the corpus threshold: how many points after onset the first detection came. */
  delays: { name: string; kind: string; delays: (number | null)[] }[];
}

export function nabScore(corpus: readonly LabelledSeries[], scores: readonly (readonly number[])[]): ScoreResult {
  const effects: Effect[] = [];
  const windowSeries: number[] = [];
  const windowInfo: { start: number; end: number; onset: number }[] = [];
  corpus.forEach((s, si) => {
    const ws = windowsOf(s);
    const base = windowSeries.length;
    ws.forEach((w) => {
      windowSeries.push(si);
      const onset = s.anomalies.find((a) => a >= w.start && a <= w.end) ?? w.start;
      windowInfo.push({ ...w, onset });
    });
    const probation = probationOf(s.v.length);
    const sc = scores[si]!;
    let wi = 0;
    for (let i = probation; i < s.v.length; i++) {
      while (wi < ws.length && ws[wi]!.end < i) wi++;
      const w = ws[wi];
      if (w && i >= w.start) {
        const len = w.end - w.start + 1;
        effects.push({ score: sc[i]!, window: base + wi, value: scaledSigmoid(-(w.end - i + 1) / len) / MAX_TP, series: si });
      } else {
        const prev = wi > 0 ? ws[wi - 1]! : undefined;
        const cost = prev ? scaledSigmoid(Math.abs(prev.end - i) / (prev.end - prev.start)) : -1;
        effects.push({ score: sc[i]!, window: -1, value: cost * FP_WEIGHT, series: si });
      }
    }
  });
  const nWindows = windowSeries.length;
  const nullScore = -FN_WEIGHT * nWindows;
  const perfect = nWindows;
  effects.sort((a, b) => b.score - a.score);
  const best = new Float64Array(nWindows).fill(NaN);
  let total = nullScore;
  let bestTotal = nullScore;
  let bestThreshold = Infinity;
  for (let i = 0; i < effects.length; ) {
    const level = effects[i]!.score;
    for (; i < effects.length && effects[i]!.score === level; i++) {
      const e = effects[i]!;
      if (e.window < 0) total += e.value;
      else if (Number.isNaN(best[e.window]!)) {
        best[e.window] = e.value;
        total += e.value + FN_WEIGHT;
      } else if (e.value > best[e.window]!) {
        total += e.value - best[e.window]!;
        best[e.window] = e.value;
      }
    }
    if (total > bestTotal) {
      bestTotal = total;
      bestThreshold = level;
    }
  }
  const score = nWindows ? (100 * (bestTotal - nullScore)) / (perfect - nullScore) : 0;
  return { ...breakdown(corpus, effects, windowSeries, windowInfo, scores, bestThreshold), score, threshold: bestThreshold, windows: nWindows };
}

function breakdown(
  corpus: readonly LabelledSeries[],
  effects: Effect[],
  windowSeries: number[],
  windowInfo: { start: number; end: number; onset: number }[],
  scores: readonly (readonly number[])[],
  threshold: number,
): Omit<ScoreResult, 'score' | 'threshold' | 'windows'> {
  const best = new Float64Array(windowSeries.length).fill(NaN);
  const kinds: Record<string, { total: number; windows: number; detected: number; falsePositives: number }> = {};
  const kindOf = (si: number) => corpus[si]!.kind;
  for (const s of corpus) kinds[s.kind] ??= { total: 0, windows: 0, detected: 0, falsePositives: 0 };
  let fp = 0;
  for (const e of effects) {
    if (e.score < threshold) break;
    const k = kinds[kindOf(e.series)]!;
    if (e.window < 0) {
      k.total += e.value;
      k.falsePositives++;
      fp++;
    } else if (Number.isNaN(best[e.window]!) || e.value > best[e.window]!) best[e.window] = e.value;
  }
  let tp = 0;
  windowSeries.forEach((si, wi) => {
    const k = kinds[kindOf(si)]!;
    k.windows++;
    if (Number.isNaN(best[wi]!)) k.total -= FN_WEIGHT;
    else {
      k.total += best[wi]!;
      k.detected++;
      tp++;
    }
  });
  const byKind: ScoreResult['byKind'] = {};
  for (const [kind, k] of Object.entries(kinds)) {
    byKind[kind] = { score: k.windows ? (100 * (k.total + FN_WEIGHT * k.windows)) / ((1 + FN_WEIGHT) * k.windows) : null, falsePositives: k.falsePositives, windows: k.windows, detected: k.detected };
  }
  const delays = corpus.map((s, si) => ({
    name: s.name,
    kind: s.kind,
    delays: windowInfo
      .filter((_, wi) => windowSeries[wi] === si)
      .map((w) => {
        for (let i = w.start; i <= w.end; i++) if (scores[si]![i]! >= threshold) return i - w.onset;
        return null;
      }),
  }));
  return { truePositives: tp, falsePositives: fp, byKind, delays };
}
