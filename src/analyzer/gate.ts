// The release gate: compares a candidate version with a baseline and decides whether the release
// may proceed. Exit codes (the CLI's contract with a pipeline): 0 pass, 1 regression, 2 cannot
// judge (bad usage, unknown version, not enough data).
import { comparisonOf, regressionNames, type CompareOptions, type Comparison, type Finding } from './compare.js';
import { num, pct, points, pValue, signedPct } from './format.js';
import { runSync, type AnalyzerReader, type Reads } from './reader.js';
import type { StoreKind } from './store.js';
import { isoDay, type Window } from './time.js';

export const EXIT = { pass: 0, regression: 1, cannotJudge: 2 } as const;

/** The window the gate compares over unless told otherwise (`--days`), and every report's
 *  "this version vs the previous one" section with it, so the two agree. */
export const DEFAULT_GATE_DAYS = 30;

export interface GateResult {
  exitCode: 0 | 1 | 2;
  verdict: 'pass' | 'regression' | 'not enough data';
  text: string;
  comparison: Comparison;
}

/** The gate on a synchronous reader (SQLite): the release monitor's call. */
export function runGate(reader: AnalyzerReader, kind: StoreKind, window: Window, baseline: string, candidate: string, options: Partial<CompareOptions> = {}): GateResult {
  return runSync(gateOf(kind, window, baseline, candidate, options), reader);
}

/** The gate as an analysis, for any reader (`analyze(reader, gateOf(...))`). */
export function* gateOf(kind: StoreKind, window: Window, baseline: string, candidate: string, options: Partial<CompareOptions> = {}): Reads<GateResult> {
  return verdictOf(yield* comparisonOf(window, baseline, candidate, options), kind);
}

/** The verdict and the printout of a comparison. */
export function verdictOf(c: Comparison, kind: StoreKind): GateResult {
  const { window, baseline, candidate } = c;
  const gating = c.findings.filter((f) => f.gating);
  const regressions = regressionNames(c);
  const verdict: GateResult['verdict'] = regressions.length > 0 ? 'regression' : !c.enoughData ? 'not enough data' : 'pass';
  const exitCode = verdict === 'regression' ? EXIT.regression : verdict === 'pass' ? EXIT.pass : EXIT.cannotJudge;
  const lines: string[] = [];
  // The candidate first everywhere: the heading, the counts and every value (candidate vs baseline).
  lines.push(`Release gate: ${candidate} (candidate) vs ${baseline} (baseline), ${isoDay(window.from)} .. ${isoDay(window.to - 1)}, ${kind} store`);
  const h = c.health;
  lines.push(`  sessions ${h.candidate.sessions} vs ${h.baseline.sessions}, events ${h.candidate.events} vs ${h.baseline.events}; significance ${c.options.alpha} over ${c.findings.filter((f) => f.enoughData).length} tests (Bonferroni)`);
  lines.push('');
  for (const f of gating) lines.push(formatFinding(f, c));
  const info = c.findings.filter((f) => !f.gating);
  if (info.length > 0) {
    lines.push('', 'Also compared (not gating):');
    for (const f of info) lines.push(formatFinding(f, c));
  }
  if (c.newCrashes.length > 0) {
    const o = c.options;
    lines.push('', `New crash signatures in ${candidate} (never seen in ${baseline}; a regression from ${o.newCrashMinSessions} sessions or ${pct(o.newCrashMinDeviceShare, 0)} of devices):`);
    for (const n of c.newCrashes.slice(0, 10)) {
      lines.push(`  ${n.regression ? 'FAIL' : 'ok  '}  ${n.group.title}: ${n.sessions} of ${h.candidate.sessions} sessions, ${n.devices} of ${h.candidate.devices} devices (${pct(n.deviceShare, 1)}), ${n.group.count} events`);
    }
  }
  const newErrors = c.newSignatures.filter((g) => g.kind === 'error');
  if (newErrors.length > 0) {
    lines.push('', `New error signatures only in ${candidate} (not gating):`);
    for (const g of newErrors.slice(0, 10)) lines.push(`  - ${g.title} (${g.count} events, ${g.devices} devices)`);
  }
  for (const n of c.notes) lines.push('', `Note: ${n}`);
  lines.push('');
  if (verdict === 'regression') lines.push(`VERDICT: REGRESSION (${regressions.join(', ')}). Halt the rollout of ${candidate} or roll back.`);
  else if (verdict === 'pass') lines.push(`VERDICT: PASS. ${candidate} shows no significant regression beyond the thresholds against ${baseline}.`);
  else lines.push(`VERDICT: NOT ENOUGH DATA to judge ${candidate} against ${baseline}; wait for more sessions or widen --days.`);
  return { exitCode, verdict, text: lines.join('\n'), comparison: c };
}

/** One metric: status, candidate's and baseline's value, effect against its limit, and the
 *  p-value against the corrected level (or why it was not tested). */
export function formatFinding(f: Finding, c: Pick<Comparison, 'baseline' | 'candidate' | 'options'>): string {
  const status = !f.enoughData ? 'n/a ' : f.regression ? 'FAIL' : 'ok  ';
  const isRate = f.metric.startsWith('crash-free') || f.metric === 'error rate';
  const unit = /memory/i.test(f.metric) ? 'bytes' : /tokens/i.test(f.metric) ? 'tokens/s' : 'ms';
  const value = (x: number | null) => (x === null ? 'no data' : isRate ? pct(x, f.metric === 'error rate' ? 3 : 2) : num(x, unit));
  const effect =
    f.effect === null
      ? 'no change measurable'
      : f.effectUnit === 'points'
        ? `${points(-f.effect)} (limit -${(f.threshold * 100).toFixed(2)} pts)`
        : `${f.effect < 0 ? `${signedPct(-f.effect).slice(1)} better` : `${signedPct(f.effect)} worse`} (limit ${signedPct(f.threshold)})`;
  const minimum = isRate ? `${c.options.minSessions} sessions` : `${c.options.minSamples} measurements`;
  const sig = !f.enoughData ? `not tested: fewer than ${minimum} on a side` : `p ${((t) => (t.startsWith("<") ? t : `= ${t}`))(pValue(f.pValue, f.alpha))} ${f.significant ? '<' : '>='} ${pValue(f.alpha, f.pValue)}`;
  return `  ${status}  ${f.metric.padEnd(28)} ${c.candidate} ${value(f.candidate)} vs ${c.baseline} ${value(f.baseline)}   ${effect}   ${sig}   [${f.evidence}]`;
}
