// The watcher: the same causal model as createDetector, for people. Each point may raise findings
// that say what (kind, direction), since when, by how much (observed vs expected, ratio) and how
// sure (the surprise: "about 1 in 10^k under the series' past"), in words and numbers. One episode
// raises one finding (the detector's rest period); a series with a known limit also gets a
// countdown when it heads for it (memory approaching its maximum: time to limit).
import { isoMinute } from '../time.js';
import { num } from '../format.js';
import { Rest, restPointsFor, scoreOfSurprise, type DetectorOptions } from './detector.js';
import { SeriesModel, type Evidence } from './model.js';
import { TrendToLimit } from './trend.js';

export type FindingKind = 'spike' | 'dip' | 'level_shift' | 'flat_line' | 'approaching_limit';

export interface Finding {
  kind: FindingKind;
  /** For spikes, dips and shifts: which way. */
  direction: 'up' | 'down' | null;
  /** The point that raised the finding (ms). */
  at: number;
  /** When the deviation began (ms). */
  since: number;
  /** The detector's score for the point, in [0, 1]. */
  score: number;
  /** -log10 of how often the series' past produced something this extreme (5 = 1 in 100,000). */
  surprise: number;
  observed: number;
  /** What was expected (NaN for a flat line, which is judged on its length, not its value). */
  expected: number;
  /** observed - expected, in the series' unit. */
  magnitude: number;
  /** observed / expected (NaN when expected is 0 or unknown). */
  ratio: number;
  /** approaching_limit only: ms until the trend reaches the limit. */
  timeToLimitMs?: number;
  /** approaching_limit only: growth per hour, in the series' unit. */
  slopePerHour?: number;
  explanation: string;
}

export interface WatcherOptions extends DetectorOptions {
  /** What the series is, for the explanation ("p95 of api.request on 1.4.0"). */
  name?: string;
  /** Unit for the explanation ('ms', 'bytes', 'count', ...; see format.num). */
  unit?: string;
  /** How a value is printed in the explanation (default: format.num with `unit`); a rate reads
   *  better as "4.00%" than as "0.04". */
  format?: (value: number) => string;
  /** A finding needs at least this surprise (decimal digits; default 4, about 1 in 10,000). */
  minSurprise?: number;
  /** A level the series must not reach (a memory limit); enables approaching_limit. */
  limit?: number;
  /** A projected crossing further away than this is not yet a finding (default 3 days). */
  horizonMs?: number;
  /** Points of the trend line (default 48). */
  trendPoints?: number;
}

export interface Watcher {
  /** Judges the point, learns from it, and returns the findings it raised (usually none). */
  update(timestampMs: number, value: number): Finding[];
  /** The score of the last point, as createDetector would return it. */
  readonly lastScore: number;
}

/** Four digits: about one point in 10,000 of an ordinary series raises a finding. */
const DEFAULT_MIN_SURPRISE = 4;
const DEFAULT_HORIZON_MS = 3 * 86_400_000;
/** A spike is reported again as a level shift only once this many points in a row stayed on its
 *  side: one tall spike lifts a short window's mean by itself, which is no shift. */
const PERSIST_POINTS = 4;
/** Within an episode, a finding of another kind needs evidence 10x less likely than the last. */
const RENEW_DIGITS = 1;

export function createWatcher(options: WatcherOptions = {}): Watcher {
  const model = new SeriesModel(options);
  const rest = new Rest(restPointsFor(options.warmupPoints));
  const minSurprise = options.minSurprise ?? DEFAULT_MIN_SURPRISE;
  const warmup = options.warmupPoints ?? 0;
  const trend = options.limit !== undefined ? new TrendToLimit(options.limit, options.trendPoints) : null;
  const horizon = options.horizonMs ?? DEFAULT_HORIZON_MS;
  const what = options.name ?? 'the series';
  const unit = options.unit ?? '';
  const fmt = options.format ?? ((x: number) => num(x, unit));
  const episodeLength = restPointsFor(options.warmupPoints);
  let seen = 0;
  let lastScore = 0;
  let reportedTtl = Infinity;
  // The open episode: the last finding, so its continuation is not reported again, except once as
  // a level shift when a spike turns out to be the start of one.
  let episode: { at: number; t: number; surprise: number; kind: Evidence['kind']; upgraded: boolean } | null = null;

  return {
    get lastScore() {
      return lastScore;
    },
    update(t, v) {
      if (!Number.isFinite(t) || !Number.isFinite(v)) return [];
      seen++;
      const a = model.update(t, v);
      lastScore = scoreOfSurprise(rest.admit(a.surprise).surprise);
      const out: Finding[] = [];
      if (episode && seen - episode.at > episodeLength) episode = null;
      if (seen > warmup && a.evidence && a.surprise >= minSurprise && (!episode || (a.evidence.kind !== episode.kind && a.surprise > episode.surprise + RENEW_DIGITS))) {
        out.push(describe(a.evidence, t, lastScore, what, fmt));
        episode = { at: seen, t, surprise: a.surprise, kind: a.evidence.kind, upgraded: episode?.upgraded ?? false };
      } else if (episode && !episode.upgraded && (episode.kind === 'spike' || episode.kind === 'dip')) {
        const wanted = episode.kind === 'spike' ? 'shift_up' : 'shift_down';
        const since = episode.t;
        const shift = a.all.find((e) => e.kind === wanted && e.surprise >= minSurprise && e.since >= since && (e.run ?? 0) >= PERSIST_POINTS);
        if (shift) {
          out.push(describe(shift, t, lastScore, what, fmt));
          episode.upgraded = true;
        }
      }
      if (trend) {
        const p = trend.update(t, v);
        if (!p) reportedTtl = Infinity;
        // A countdown is raised once, and again whenever the time left has halved.
        else if (seen > warmup && p.timeToLimitMs <= horizon && p.timeToLimitMs < reportedTtl / 2) {
          reportedTtl = p.timeToLimitMs;
          const perHour = p.slopePerMs * 3_600_000;
          out.push({
            kind: 'approaching_limit',
            direction: 'up',
            at: t,
            since: p.since,
            score: lastScore,
            surprise: a.surprise,
            observed: v,
            expected: p.fitted,
            magnitude: options.limit! - p.fitted,
            ratio: p.fitted / options.limit!,
            timeToLimitMs: p.timeToLimitMs,
            slopePerHour: perHour,
            explanation: `${what} grows ${fmt(perHour)} per hour since ${isoMinute(p.since)} UTC (trend ${p.tStat.toFixed(0)} standard errors above flat); at this pace it reaches the limit of ${fmt(options.limit!)} in ${hours(p.timeToLimitMs)} (about ${isoMinute(t + p.timeToLimitMs)} UTC).`,
          });
        }
      }
      return out;
    },
  };
}

function describe(e: Evidence, t: number, score: number, what: string, fmt: (x: number) => string): Finding {
  const magnitude = e.observed - e.expected;
  const ratio = e.expected !== 0 && Number.isFinite(e.expected) ? e.observed / e.expected : NaN;
  const sure = `about 1 in 10^${e.surprise.toFixed(1)} under its past`;
  const rel = Number.isFinite(ratio) ? ` (${ratio.toFixed(2)}x)` : '';
  const base = { at: t, since: e.since, score, surprise: e.surprise, observed: e.observed, expected: e.expected, magnitude, ratio };
  switch (e.kind) {
    case 'spike':
    case 'dip':
      return {
        ...base,
        kind: e.kind,
        direction: e.kind === 'spike' ? 'up' : 'down',
        explanation: `${what} was ${fmt(e.observed)} at ${isoMinute(t)} UTC where about ${fmt(e.expected)} was expected${rel}; ${sure}.`,
      };
    case 'shift_up':
    case 'shift_down':
      return {
        ...base,
        kind: 'level_shift',
        direction: e.kind === 'shift_up' ? 'up' : 'down',
        explanation: `${what} has been ${e.kind === 'shift_up' ? 'higher' : 'lower'} than usual since ${isoMinute(e.since)} UTC: ${fmt(e.observed)} on average over ${e.points} points against a usual ${fmt(e.expected)}${rel}; ${sure}.`,
      };
    case 'flat_line':
      return {
        ...base,
        kind: 'flat_line',
        direction: null,
        magnitude: NaN,
        explanation: `${what} has reported exactly ${fmt(e.observed)} for ${e.points} points since ${isoMinute(e.since)} UTC, though it normally changes (is its source still reporting?); ${sure}.`,
      };
  }
}

function hours(ms: number): string {
  return ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : ms < 172_800_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${(ms / 86_400_000).toFixed(1)} days`;
}
