// A report and the release gate never disagree about a release: on generated fleets, every
// regression the gate flags for the two newest versions (over its default 30 days) appears in the
// weekly report
// (as REGRESSION in its "this version vs the previous one" section), and the report flags
// nothing the gate does not.
import { beforeAll, describe, expect, it } from 'vitest';
import { regressionNames } from '../../src/analyzer/compare.js';
import { DEFAULT_GATE_DAYS, runGate } from '../../src/analyzer/gate.js';
import { buildReport } from '../../src/analyzer/report/build.js';
import { renderReport } from '../../src/analyzer/report/render.js';
import { RollupReader } from '../../src/analyzer/rollup-reader.js';
import { windowOf } from '../../src/analyzer/time.js';
import { DAY, generateFleet, type FleetSpec } from './support/fleet.js';
import { END, releaseFleet } from './support/scenarios.js';
import { openStore } from './support/store.js';

/** 1.7.0 after 1.6.0 with more memory and slower first tokens... and a rare new crash. */
function memoryFleet(): FleetSpec {
  const f = releaseFleet('collector', 150);
  const v16 = f.versions[2]!;
  return {
    ...f,
    seed: 7,
    versions: [
      { ...f.versions[1]!, fromDay: 0 },
      { ...v16, version: '1.6.0', fromDay: 10, crashPerSession: 0.01, errorsPerSession: 0.5, apiLatencyMs: 300, crashes: ['nullConfig'] },
      { ...v16, version: '1.7.0', fromDay: 22, crashPerSession: 0.01, errorsPerSession: 0.5, apiLatencyMs: 300, memoryBytes: 320e6, crashes: ['nullConfig', 'raceDispose'] },
    ],
  };
}

const cases: { name: string; fleet: () => FleetSpec; at: number }[] = [
  { name: 'the regressed release 1.6.0 vs 1.5.0 (crash-free, errors, latency, a new crash)', fleet: () => releaseFleet(), at: END },
  { name: 'the same app shipped again, 1.5.0 vs 1.4.0 (nothing to flag)', fleet: () => releaseFleet(), at: END - 14 * DAY },
  { name: 'a memory regression and a new crash, 1.7.0 vs 1.6.0', fleet: memoryFleet, at: END },
];

const readers = new Map<() => FleetSpec, RollupReader>();
beforeAll(() => {
  for (const c of cases) {
    if (readers.has(c.fleet)) continue;
    const db = openStore('collector');
    generateFleet(db, c.fleet());
    readers.set(c.fleet, new RollupReader(db));
  }
}, 180_000);

describe('the weekly report and the gate agree', () => {
  for (const c of cases) {
    it(c.name, () => {
      const reader = readers.get(c.fleet)!;
      const report = buildReport(reader, 'collector', 'weekly', c.at);
      expect(report.release).not.toBeNull();
      const { candidate, baseline } = report.release!;
      const gate = runGate(reader, 'collector', windowOf(c.at - DEFAULT_GATE_DAYS * DAY, c.at), baseline, candidate);
      const flagged = regressionNames(gate.comparison);
      expect(report.release!.regressions).toEqual(flagged);

      // What a person reads: the rendered report's REGRESSION rows are exactly the gate's FAIL lines.
      const md = renderReport(report).markdown;
      const reportRows = md.split('\n').filter((l) => /\| REGRESSION \|$/.test(l)).map((l) => l.split(' | ')[0]!.replace(/^\| /, ''));
      const gateFails = gate.text.split('\n').filter((l) => /^ {2}FAIL {2}/.test(l));
      expect(reportRows).toHaveLength(gateFails.length);
      for (const name of flagged) expect(md).toContain(`| ${name.replace(/\|/g, '\\|')} |`);
      if (flagged.length > 0) expect(report.insights.join('\n')).toContain(`${candidate} vs ${baseline} (this version vs the previous one, the release gate's test): regression in ${flagged.join(', ')}`);
      else expect(gate.verdict).toBe('pass');
    });
  }

  it('flags on the regressed release what the fleet was built with, and nothing on the unchanged one', () => {
    const reader = readers.get(cases[0]!.fleet)!;
    expect(buildReport(reader, 'collector', 'weekly', END).release!.regressions).toEqual(['crash-free sessions', 'error rate', 'API latency p95', expect.stringMatching(/^new crash: .*Object has been destroyed at sendToWindow/)]);
    expect(buildReport(reader, 'collector', 'weekly', END - 14 * DAY).release!.regressions).toEqual([]);
    expect(buildReport(readers.get(memoryFleet)!, 'collector', 'weekly', END).release!.regressions).toEqual(expect.arrayContaining(['Memory p95']));
  });
});

describe('period-over-period figures say so', () => {
  it('labels the headline table and the insights as this week vs the previous week, all versions', () => {
    const md = renderReport(buildReport(readers.get(cases[0]!.fleet)!, 'collector', 'weekly', END)).markdown;
    expect(md).toContain('## Headline numbers (this week vs the previous week, all versions)');
    expect(md).toContain('| Metric | This week | Previous week | Change vs previous week |');
    for (const line of md.split('\n').filter((l) => /p95 (rose|fell)/.test(l))) expect(line).toContain('vs the previous week, all versions');
  });

  it('the first period of a store says "no previous period to compare with" instead of marking every group NEW', () => {
    const reader = readers.get(cases[0]!.fleet)!;
    // The fleet's first week: nothing before it.
    const first = buildReport(reader, 'collector', 'weekly', END - 23 * DAY);
    expect(first.hasPrevious).toBe(false);
    const groups = first.tables.find((t) => t.title === 'Top crash and error groups')!;
    expect(groups.rows.length).toBeGreaterThan(0);
    expect(groups.rows.filter((r) => r[0] === 'NEW')).toEqual([]);
    expect(first.headlines.find((h) => h.label === 'Sessions')!.previous).toBe('no previous period to compare with');
    expect(first.insights[0]).toMatch(/^No previous week to compare with/);
  });
});
