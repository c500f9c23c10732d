// The release gate: compares a candidate version with a baseline and decides whether the release
// may proceed. Exit codes (the CLI's contract with a pipeline): 0 pass, 1 regression, 2 cannot
// judge (bad usage, unknown version, not enough data).
import { compareVersions, type CompareOptions, type Comparison, type Finding } from './compare.js';
import { duration, num, pct, points, pValue, signedPct } from './format.js';
import type { RollupReader } from './rollup-reader.js';
import type { StoreKind } from './store.js';
import { isoDay, type Window } from './time.js';

export const EXIT = { pass: 0, regression: 1, cannotJudge: 2 } as const;

export interface GateResult {
  exitCode: 0 | 1 | 2;
  verdict: 'pass' | 'regression' | 'not enough data';
  text: string;
  comparison: Comparison;
}

export function runGate(reader: RollupReader, kind: StoreKind, window: Window, baseline: string, candidate: string, options: Partial<CompareOptions> = {}): GateResult {
  const c = compareVersions(reader, window, baseline, candidate, options);
  const gating = c.findings.filter((f) => f.gating);
  const regressions = gating.filter((f) => f.regression);
  const verdict: GateResult['verdict'] = regressions.length > 0 ? 'regression' : !c.enoughData ? 'not enough data' : 'pass';
  const exitCode = verdict === 'regression' ? EXIT.regression : verdict === 'pass' ? EXIT.pass : EXIT.cannotJudge;
  const lines: string[] = [];
  lines.push(`Release gate: ${candidate} (candidate) vs ${baseline} (baseline), ${isoDay(window.from)} .. ${isoDay(window.to - 1)}, ${kind} store`);
  lines.push(`  sessions ${c.health.baseline.sessions} vs ${c.health.candidate.sessions}, events ${c.health.baseline.events} vs ${c.health.candidate.events}; significance ${c.options.alpha} over ${c.findings.filter((f) => f.enoughData).length} tests (Bonferroni)`);
  lines.push('');
  for (const f of gating) lines.push(formatFinding(f));
  const info = c.findings.filter((f) => !f.gating);
  if (info.length > 0) {
    lines.push('', 'Also compared (not gating):');
    for (const f of info) lines.push(formatFinding(f));
  }
  if (c.newSignatures.length > 0) {
    lines.push('', `New error/crash signatures only in ${candidate}:`);
    for (const g of c.newSignatures.slice(0, 10)) lines.push(`  - [${g.kind}] ${g.title} (${g.count} events, ${g.devices} devices)`);
  }
  for (const n of c.notes) lines.push('', `Note: ${n}`);
  lines.push('');
  if (verdict === 'regression') lines.push(`VERDICT: REGRESSION (${regressions.map((r) => r.metric).join(', ')}). Halt the rollout of ${candidate} or roll back.`);
  else if (verdict === 'pass') lines.push(`VERDICT: PASS. ${candidate} shows no significant regression beyond the thresholds against ${baseline}.`);
  else lines.push(`VERDICT: NOT ENOUGH DATA to judge ${candidate} against ${baseline}; wait for more sessions or widen --days.`);
  return { exitCode, verdict, text: lines.join('\n'), comparison: c };
}

function formatFinding(f: Finding): string {
  const status = !f.enoughData ? 'n/a ' : f.regression ? 'FAIL' : 'ok  ';
  const isRate = f.metric.startsWith('crash-free') || f.metric === 'error rate';
  const unit = /memory/i.test(f.metric) ? 'bytes' : /tokens/i.test(f.metric) ? '' : 'ms';
  const value = (x: number | null) => (isRate ? pct(x, f.metric === 'error rate' ? 3 : 2) : unit === 'ms' ? (x === null ? 'n/a' : duration(x)) : num(x, unit));
  const effect = f.effectUnit === 'points' ? `${points(f.effect === null ? null : -f.effect)} (limit -${(f.threshold * 100).toFixed(2)} pts)` : `${f.effect !== null && f.effect < 0 ? `${signedPct(-f.effect).slice(1)} better` : `${signedPct(f.effect)} worse`} (limit ${signedPct(f.threshold)})`;
  const p = pValue(f.pValue);
  const sig = `p ${p.startsWith('<') ? p : `= ${p}`} ${f.significant ? '<' : '>='} ${pValue(f.alpha)}`;
  return `  ${status}  ${f.metric.padEnd(28)} ${value(f.baseline)} -> ${value(f.candidate)}   ${effect}   ${sig}   [${f.evidence}]${f.enoughData ? '' : '  (not enough data)'}`;
}

