// Daily health (last 24 h vs the 24 h before), weekly trends (last 7 days vs the week before) and
// monthly insights (last 30 days vs the 30 before), computed by the same functions on a device's
// database and on the collector's store.
import { anomalyRow } from '../anomalies.js';
import { periodAnomalies } from '../hourly-series.js';
import { crashConcentrations } from '../fleet/crash-concentration.js';
import { errorGroupsOf, type ErrorGroup } from '../groups.js';
import { RollupReader } from '../rollup-reader.js';
import { duration, int, num, pct, points, pValue, signedPct } from '../format.js';
import { MEASURES, sourceKey, type MeasureKey } from '../measures.js';
import { summarize } from '../percentiles.js';
import { ask, runSync, type AnalyzerReader, type Reads, type Slice } from '../reader.js';
import { releaseHealthOf } from '../release-health.js';
import { sessionsOf, type SessionRecord } from '../sessions.js';
import type { StoreKind } from '../store.js';
import { DAY_MS, floorTo, HOUR_MS, isoDay, isoMinute, windowOf, type Window } from '../time.js';
import { activeDevicesOf, featureAdoptionOf } from '../usage.js';
import { chooseSources, notCollected } from '../dashboard.js';
import { DEFAULT_GATE_DAYS } from '../gate.js';
import { newestFirst } from '../versions.js';
import { comparisonOf, regressionNames, type CompareOptions } from '../compare.js';
import type { Category } from '../../telemetry/event/schema.js';
import type { Chart, Headline, ReleaseSection, ReportKind, ReportModel, Table } from './model.js';

const SPAN: Record<ReportKind, { length: number; bucket: number; name: string; period: string }> = {
  daily: { length: DAY_MS, bucket: HOUR_MS, name: 'Daily health', period: 'day' },
  weekly: { length: 7 * DAY_MS, bucket: DAY_MS, name: 'Weekly trends', period: 'week' },
  monthly: { length: 30 * DAY_MS, bucket: DAY_MS, name: 'Monthly insights', period: '30 days' },
};

interface Summary {
  events: number;
  sessions: SessionRecord[];
  devices: number;
  crashFreeSessions: number | null;
  crashFreeUsers: number | null;
  errorRate: number | null;
  activeTimeMs: number;
  p95: Partial<Record<MeasureKey, number | null>>;
}

const HEADLINE_MEASURES: MeasureKey[] = ['apiLatency', 'llmTimeToFirstToken', 'memoryBytes', 'loadTime'];

function* summarizeWindow(window: Window): Reads<Summary> {
  const slice: Slice = { window, version: null };
  const totals = yield* ask('totals', slice);
  const events = totals.reduce((a, t) => a + t.count, 0);
  const bad = totals.filter((t) => t.type === 'error' || t.type === 'crash').reduce((a, t) => a + t.count, 0);
  const sessions = yield* sessionsOf(slice);
  const users = new Set(sessions.map((s) => s.user));
  const crashedUsers = new Set(sessions.filter((s) => s.outcome === 'crashed').map((s) => s.user));
  const chosen = chooseSources(totals, HEADLINE_MEASURES);
  const hists = yield* ask('histograms', slice, [...chosen.values()]);
  const p95: Summary['p95'] = {};
  for (const [k, src] of chosen) p95[k] = summarize(hists.get(sourceKey(src.type, src.name))?.get(0)).p95;
  return {
    events,
    sessions,
    devices: new Set(sessions.map((s) => s.device)).size,
    crashFreeSessions: sessions.length > 0 ? 1 - sessions.filter((s) => s.outcome === 'crashed').length / sessions.length : null,
    crashFreeUsers: users.size > 0 ? 1 - crashedUsers.size / users.size : null,
    errorRate: events > 0 ? bad / events : null,
    activeTimeMs: sessions.reduce((a, s) => a + (s.durationMs ?? 0), 0),
    p95,
  };
}

export interface ReportOptions {
  /** Categories that are off now (a device's consent): their numbers read "not collected". */
  notCollected?: readonly Category[];
  /** The release comparison's options (the gate's defaults unless given). */
  compare?: Partial<CompareOptions>;
  /** The SQLite store itself, for the two tables not yet written as reads of the reader port (the
   *  streaming anomaly watcher and crash concentration); without it (ClickHouse) they say so. */
  sqlite?: RollupReader;
}

/** What those two tables say on a store that is not SQLite. */
export const NOT_ON_THIS_STORE = 'Not computed on this store yet (SQLite only).';

export const NO_PREVIOUS = 'no previous period to compare with';

/** reportOf on a synchronous reader (SQLite): the dashboard's reports. */
export function buildReport(reader: AnalyzerReader, store: StoreKind, kind: ReportKind, now: number, options: ReportOptions = {}): ReportModel {
  return runSync(reportOf(store, kind, now, { sqlite: reader instanceof RollupReader ? reader : undefined, ...options }), reader);
}

/** The report as an analysis, for any reader (`analyze(reader, reportOf(...))`). */
export function* reportOf(store: StoreKind, kind: ReportKind, now: number, options: ReportOptions = {}): Reads<ReportModel> {
  const off = options.notCollected ?? [];
  const span = SPAN[kind];
  const window = windowOf(now - span.length, now);
  const previous = windowOf(window.from - span.length, window.from);
  const cur = yield* summarizeWindow(window);
  const prev = yield* summarizeWindow(previous);
  const hasPrevious = prev.events > 0;

  // ---- headline numbers, period over period -------------------------------------------------
  const rel = (a: number | null, b: number | null) => (!hasPrevious || a === null || b === null || b === 0 ? null : a / b - 1);
  const headlines: Headline[] = [];
  const prevText = (text: string) => (hasPrevious ? text : NO_PREVIOUS);
  /** The value, or why there is none: "not collected: Crashes are off" or "no data". */
  const valueOr = (needs: readonly Category[], text: string, isNull: boolean) => notCollected(needs, off)?.text ?? (isNull ? 'no data' : text);
  const count = (label: string, a: number, b: number, needs: readonly Category[] = []) => {
    const c = rel(a, b);
    const nc = notCollected(needs, off);
    headlines.push({ label, value: nc?.text ?? int(a), previous: nc ? '' : prevText(int(b)), change: nc ? '' : signedPct(c), worse: c !== null && c < -0.05 });
  };
  const rate = (label: string, a: number | null, b: number | null, higherIsWorse: boolean, asPoints: boolean, needs: readonly Category[]) => {
    const nc = notCollected(needs, off);
    const c = nc || !hasPrevious ? null : asPoints ? (a === null || b === null ? null : a - b) : rel(a, b);
    headlines.push({
      label,
      value: valueOr(needs, pct(a, 2), a === null),
      previous: nc ? '' : prevText(b === null ? 'no data' : pct(b, 2)),
      change: nc ? '' : asPoints ? points(c) : signedPct(c),
      worse: c !== null && (higherIsWorse ? c > (asPoints ? 0.002 : 0.1) : c < -(asPoints ? 0.002 : 0.1)),
    });
  };
  count('Events', cur.events, prev.events);
  count('Sessions', cur.sessions.length, prev.sessions.length, ['usage']);
  if (store === 'collector') count('Active devices', cur.devices, prev.devices);
  const usageOff = notCollected(['usage'], off);
  headlines.push({ label: 'Time in app', value: usageOff?.text ?? duration(cur.activeTimeMs), previous: usageOff ? '' : prevText(duration(prev.activeTimeMs)), change: usageOff ? '' : signedPct(rel(cur.activeTimeMs, prev.activeTimeMs)), worse: false });
  rate('Crash-free sessions', cur.crashFreeSessions, prev.crashFreeSessions, false, true, ['usage', 'crashes']);
  rate('Crash-free users', cur.crashFreeUsers, prev.crashFreeUsers, false, true, ['usage', 'crashes']);
  rate('Error rate', cur.errorRate, prev.errorRate, true, false, ['errors', 'crashes']);
  const perfOff = notCollected(['performance'], off);
  for (const k of HEADLINE_MEASURES) {
    const a = cur.p95[k] ?? null;
    const b = prev.p95[k] ?? null;
    if (perfOff) {
      headlines.push({ label: `${MEASURES[k].label} p95`, value: perfOff.text, previous: '', change: '', worse: false });
      continue;
    }
    if (a === null && b === null) continue;
    const c = rel(a, b);
    headlines.push({ label: `${MEASURES[k].label} p95`, value: a === null ? 'no data' : num(a, MEASURES[k].unit), previous: prevText(b === null ? 'no data' : num(b, MEASURES[k].unit)), change: signedPct(c), worse: c !== null && c > 0.1 });
  }

  // ---- charts ---------------------------------------------------------------------------------
  const slice: Slice = { window, version: null };
  const buckets: number[] = [];
  for (let t = floorTo(window.from, span.bucket); t < window.to; t += span.bucket) buckets.push(t);
  const counts = new Map<number, { all: number; bad: number }>(buckets.map((t) => [t, { all: 0, bad: 0 }]));
  for (const c of yield* ask('countsByBucket', slice, span.bucket)) {
    const p = counts.get(c.bucket * span.bucket);
    if (!p) continue;
    p.all += c.count;
    if (c.type === 'error' || c.type === 'crash') p.bad += c.count;
  }
  const sessionsPer = new Map<number, SessionRecord[]>(buckets.map((t) => [t, []]));
  for (const s of cur.sessions) sessionsPer.get(floorTo(s.start, span.bucket))?.push(s);
  const chosen = chooseSources(yield* ask('totals', slice, ['performance', 'network']), ['apiLatency', 'memoryBytes']);
  const hists = yield* ask('histograms', slice, [...chosen.values()], span.bucket);
  const p95Series = (k: MeasureKey) => {
    const src = chosen.get(k)!;
    const h = hists.get(sourceKey(src.type, src.name));
    return buckets.map((t) => ({ t, v: summarize(h?.get(t / span.bucket)).p95 }));
  };
  const charts: Chart[] = [
    { title: `Events per ${span.bucket === HOUR_MS ? 'hour' : 'day'}`, unit: 'count', kind: 'bar', bucketMs: span.bucket, series: [{ label: 'events', points: buckets.map((t) => ({ t, v: counts.get(t)!.all })) }] },
    { title: 'Error rate (errors and crashes / events)', unit: 'percent', kind: 'line', bucketMs: span.bucket, series: [{ label: 'error rate', points: buckets.map((t) => ({ t, v: counts.get(t)!.all > 0 ? counts.get(t)!.bad / counts.get(t)!.all : null })) }] },
    {
      title: 'Crash-free sessions (by session start)',
      unit: 'percent',
      kind: 'line',
      bucketMs: span.bucket,
      series: [{ label: 'crash-free sessions', points: buckets.map((t) => { const ss = sessionsPer.get(t)!; return { t, v: ss.length > 0 ? 1 - ss.filter((s) => s.outcome === 'crashed').length / ss.length : null }; }) }],
    },
    { title: 'API latency p95', unit: 'ms', kind: 'line', bucketMs: span.bucket, series: [{ label: 'p95', points: p95Series('apiLatency') }] },
    { title: 'Memory p95', unit: 'bytes', kind: 'line', bucketMs: span.bucket, series: [{ label: 'p95', points: p95Series('memoryBytes') }] },
  ];
  if (kind === 'monthly' && store === 'collector') {
    const ad = (yield* activeDevicesOf(slice)).days;
    charts.unshift({ title: 'Active devices: daily, weekly (7 days), monthly (30 days)', unit: 'count', kind: 'line', bucketMs: DAY_MS, series: [
      { label: 'DAU', points: ad.map((d) => ({ t: d.day, v: d.dau })) },
      { label: 'WAU', points: ad.map((d) => ({ t: d.day, v: d.wau })) },
      { label: 'MAU', points: ad.map((d) => ({ t: d.day, v: d.mau })) },
    ] });
  }

  // ---- tables ---------------------------------------------------------------------------------
  const tables: Table[] = [];
  const health = yield* releaseHealthOf(window);
  tables.push({
    title: 'Release health by version',
    columns: ['Version', 'Sessions', 'Crash-free sessions', 'Crash-free users', 'Healthy', 'Errored', 'Crashed', 'Abnormal', 'Median session', 'Error rate', 'Adoption 24 h (sessions / devices)'],
    rows: health.map((h) => [h.version, int(h.sessions), pct(h.crashFreeSessions, 2), pct(h.crashFreeUsers, 2), int(h.outcomes.healthy), int(h.outcomes.errored), int(h.outcomes.crashed), int(h.outcomes.abnormal), h.medianSessionMs === null ? 'n/a' : duration(h.medianSessionMs), pct(h.errorRate, 2), `${pct(h.adoption.sessionShare, 0)} / ${pct(h.adoption.deviceShare, 0)}`]),
    empty: 'No events in this period.',
  });
  // Groups of the period, with what came before it to tell new ones apart.
  const lookback = windowOf(window.from - 30 * DAY_MS, window.to);
  const groups = yield* errorGroupsOf({ window: lookback, version: null });
  const inPeriod = yield* errorGroupsOf(slice);
  const firstSeen = new Map(groups.map((g) => [g.id, g.firstSeen]));
  const prevCounts = new Map((yield* errorGroupsOf({ window: previous, version: null })).map((g) => [g.id, g.count]));
  // Without anything recorded before the period, every group would be "new": say so instead.
  const anyBefore = groups.some((g) => g.firstSeen < window.from) || (yield* ask('totals', { window: windowOf(lookback.from, window.from), version: null })).length > 0;
  const isNew = (g: ErrorGroup) => anyBefore && (firstSeen.get(g.id) ?? g.firstSeen) >= window.from;
  tables.push({
    title: 'Top crash and error groups',
    columns: ['New', 'Kind', 'Group', 'Events', `Previous ${span.period}`, 'Devices', 'Versions', 'First seen', 'Last seen'],
    rows: inPeriod.slice(0, 15).map((g) => [isNew(g) ? 'NEW' : '', g.kind, g.title, int(g.count), hasPrevious ? int(prevCounts.get(g.id) ?? 0) : NO_PREVIOUS, int(g.devices), g.versions.map((v) => v.version).join(', '), isoMinute(firstSeen.get(g.id) ?? g.firstSeen), isoMinute(g.lastSeen)]),
    empty: 'No errors or crashes in this period.',
  });
  // Crash signatures over-represented on one platform, version or configuration (lift and exact
  // test against all sessions of the period, minimum volume): src/analyzer/fleet/crash-concentration.ts.
  // (Not yet written as reads of the reader port: computed where the store is SQLite.)
  const sqlite = options.sqlite ?? null;
  const concentrations = sqlite === null ? [] : crashConcentrations(sqlite.st, window);
  tables.push({
    title: 'Crash concentration',
    columns: ['Crash', 'Where', 'Share of its sessions', 'Share of all sessions', 'Lift', 'Sessions / devices', 'p-value'],
    rows: concentrations.map((c) => [c.title, c.attributes.map((a) => `${a.name} = ${a.value}`).join(' & '), pct(c.affectedShare, 0), pct(c.baselineShare, 0), `${c.lift.toFixed(1)}x`, `${int(c.affectedSessions)} / ${int(c.affectedDevices)}`, c.pValue.toExponential(1)]),
    empty: sqlite === null ? NOT_ON_THIS_STORE : 'No crash signature is concentrated on one platform, version or configuration.',
  });
  // Severity is what the event model says of its kind: a crash ended a process (fatal), an error
  // was recovered from (error). Rates are per 1,000 events of the period, next to the previous one.
  const prevTotals = new Map((yield* ask('totals', { window: previous, version: null })).map((t) => [`${t.type}\u0000${t.name}`, t.count]));
  const byType = new Map<string, { type: string; name: string; count: number }>();
  for (const t of yield* ask('totals', slice, ['error', 'crash'])) {
    const k = `${t.type}\u0000${t.name}`;
    const e = byType.get(k) ?? { type: t.type, name: t.name, count: 0 };
    e.count += t.count;
    byType.set(k, e);
  }
  const per1000 = (n: number, of: number) => (of > 0 ? num((n / of) * 1000, '') : 'n/a');
  tables.push({
    title: 'Error rate by type and severity (per 1,000 events)',
    columns: ['Severity', 'Type', 'Events', 'Rate', `Previous ${span.period}`],
    rows: [...byType.values()]
      .sort((a, b) => (a.type === b.type ? b.count - a.count : a.type === 'crash' ? -1 : 1))
      .map((e) => [e.type === 'crash' ? 'fatal' : 'error', e.name, int(e.count), per1000(e.count, cur.events), hasPrevious ? per1000(prevTotals.get(`${e.type}\u0000${e.name}`) ?? 0, prev.events) : NO_PREVIOUS]),
    empty: 'No errors or crashes in this period.',
  });
  // Hours of this period the streaming watcher finds unusual (src/analyzer/anomalies.ts), having
  // learned from the two weeks before it: the detector the alert rules use, on the hourly series.
  const anomalies = sqlite === null ? [] : periodAnomalies(sqlite, window, store === 'device' ? 'this device' : 'all versions');
  tables.push({
    title: 'Anomalies',
    columns: ['When', 'What', 'Where', 'Since', 'Value', 'Expected', 'How sure', 'Evidence'],
    rows: anomalies.map(anomalyRow).map((r) => [r.when, r.what, r.where, r.since, r.value, r.expected, r.howSure, r.explanation]),
    empty: sqlite === null ? NOT_ON_THIS_STORE : `No hour of this ${span.period} stood out from what the weeks before it make usual.`,
  });
  const perf: MeasureKey[] = ['apiLatency', 'llmTimeToFirstToken', 'llmTokensPerSecond', 'llmInference', 'toolCall', 'memoryBytes', 'loadTime', 'syncTime'];
  const allTotals = yield* ask('totals', slice);
  const perfSources = chooseSources(allTotals, perf);
  const perfHists = yield* ask('histograms', slice, [...perfSources.values()]);
  tables.push({
    title: 'Performance',
    columns: ['Measure', 'Count', 'p50', 'p95', 'p99'],
    rows: perf.flatMap((k) => {
      const src = perfSources.get(k)!;
      const s = summarize(perfHists.get(sourceKey(src.type, src.name))?.get(0));
      const u = MEASURES[k].unit === 'tokens/s' ? 'tokens/s' : MEASURES[k].unit;
      return s.count === 0 ? [] : [[MEASURES[k].label, int(s.count), num(s.p50, u), num(s.p95, u), num(s.p99, u)]];
    }),
    empty: 'No measurements in this period.',
  });
  const features = yield* featureAdoptionOf(slice);
  const prevFeatures = new Map((yield* ask('features', { window: previous, version: null })).map((f) => [f.feature, f.uses]));
  // Errors and crashes recorded while a feature was in use (their feature_id), per 100 uses: with
  // abandonment, how the worst feature is found.
  const errorsByFeature = yield* ask('errorsByFeature', slice);
  tables.push({
    title: 'Feature usage',
    columns: ['Feature', 'Uses', `Change vs previous ${span.period}`, 'Devices', 'Share of devices', 'Time spent', 'Median per use', 'Used once / 2-5 / 6+', 'Abandoned', 'Errors and crashes (per 100 uses)'],
    rows: features.map((f) => {
      const e = errorsByFeature.get(f.feature) ?? 0;
      return [f.feature, int(f.uses), hasPrevious ? signedPct(rel(f.uses, prevFeatures.get(f.feature) ?? null)) : NO_PREVIOUS, int(f.devices), pct(f.deviceShare, 0), duration(f.timeSpentSeconds * 1000), f.medianSecondsPerUse === null ? 'n/a' : duration(f.medianSecondsPerUse * 1000), `${f.usesPerDevice.once} / ${f.usesPerDevice.few} / ${f.usesPerDevice.many}`, f.abandonmentRate === null ? 'not enough later sessions' : `${pct(f.abandonmentRate, 0)} (${f.abandoned})`, `${int(e)} (${num((e / f.uses) * 100, '')})`];
    }),
    empty: 'No feature use recorded in this period.',
  });

  // The gate's own window (the last DEFAULT_GATE_DAYS days to the report's end): a new version
  // often has the period to itself, and its predecessor is found in the weeks before.
  const releaseWindow = windowOf(window.to - DEFAULT_GATE_DAYS * DAY_MS, window.to);
  const release = yield* releaseSection(releaseWindow, newestFirst(yield* ask('versions', { window: releaseWindow, version: null })), options.compare);

  // ---- insights: the few sentences worth reading first ------------------------------------------
  const insights: string[] = [];
  if (cur.events === 0) insights.push(`Nothing was recorded in this ${span.period}.`);
  const vsPrevious = `vs the previous ${span.period}`;
  if (!hasPrevious && cur.events > 0) insights.push(`No previous ${span.period} to compare with: nothing was recorded before ${isoMinute(window.from)} UTC.`);
  if (release) {
    const r = release;
    if (r.regressions.length > 0) insights.push(`${r.candidate} vs ${r.baseline} (this version vs the previous one, the release gate's test): regression in ${r.regressions.join(', ')}.`);
    else if (r.enoughData) insights.push(`${r.candidate} vs ${r.baseline} (this version vs the previous one, the release gate's test): no significant regression.`);
    else insights.push(`${r.candidate} vs ${r.baseline} (this version vs the previous one): not enough data for the release gate's test yet.`);
  }
  if (hasPrevious && cur.crashFreeSessions !== null && prev.crashFreeSessions !== null && Math.abs(cur.crashFreeSessions - prev.crashFreeSessions) >= 0.005) {
    insights.push(`Crash-free sessions ${cur.crashFreeSessions < prev.crashFreeSessions ? 'fell' : 'rose'} from ${pct(prev.crashFreeSessions, 2)} to ${pct(cur.crashFreeSessions, 2)} (${vsPrevious}, all versions).`);
  }
  if (hasPrevious && cur.errorRate !== null && prev.errorRate !== null && prev.errorRate > 0 && Math.abs(cur.errorRate / prev.errorRate - 1) >= 0.2) {
    insights.push(`The error rate ${cur.errorRate > prev.errorRate ? 'rose' : 'fell'} ${pct(Math.abs(cur.errorRate / prev.errorRate - 1))} (${pct(prev.errorRate, 2)} to ${pct(cur.errorRate, 2)}, ${vsPrevious}, all versions).`);
  }
  const fresh = inPeriod.filter(isNew);
  if (fresh.length > 0) insights.push(`${fresh.length} new crash/error group${fresh.length > 1 ? 's' : ''}; the most widespread: ${fresh[0]!.title} (${fresh[0]!.devices} device${fresh[0]!.devices > 1 ? 's' : ''}, ${fresh[0]!.versions.map((v) => v.version).join(', ')}).`);
  else if (inPeriod.length > 0) insights.push(`No new crash or error group; the most widespread: ${inPeriod[0]!.title} (${inPeriod[0]!.count} event${inPeriod[0]!.count === 1 ? '' : 's'}).`);
  for (const a of anomalies.filter((x) => (x.series === 'error_rate' || x.series === 'crashes') && x.direction === 'up').slice(0, 3)) insights.push(`Anomaly: ${a.explanation}`);
  for (const c of concentrations.slice(0, 2)) insights.push(`Crash concentration: ${c.text}`);
  const latest = health[0];
  if (latest && latest.adoption.deviceShare !== null && health.length > 1) insights.push(`${latest.version} is on ${pct(latest.adoption.deviceShare, 0)} of devices seen in the last 24 h.`);
  for (const f of features) if (f.abandonmentRate !== null && f.abandonmentRate >= 0.5 && f.abandoned >= 3) insights.push(`Feature ${f.feature}: ${pct(f.abandonmentRate, 0)} of the devices that tried it used it once and never again.`);
  for (const k of HEADLINE_MEASURES) {
    const a = cur.p95[k] ?? null;
    const b = prev.p95[k] ?? null;
    if (hasPrevious && a !== null && b !== null && b > 0 && Math.abs(a / b - 1) >= 0.15) insights.push(`${MEASURES[k].label} p95 ${a > b ? 'rose' : 'fell'} ${pct(Math.abs(a / b - 1))} (${num(b, MEASURES[k].unit)} to ${num(a, MEASURES[k].unit)}, ${vsPrevious}, all versions).`);
  }

  return {
    kind,
    title: `${span.name}: ${kind === 'daily' ? `${isoMinute(window.from)} to ${isoMinute(window.to)} UTC` : `${isoDay(window.from)} to ${isoDay(window.to - 1)}`}`,
    store,
    generatedAt: now,
    from: window.from,
    to: window.to,
    previousFrom: previous.from,
    period: span.period,
    hasPrevious,
    release,
    insights,
    headlines,
    charts,
    tables,
  };
}

/** The two newest versions of the period compared by the release gate's own function. */
function* releaseSection(window: Window, versionsNewestFirst: readonly string[], options: Partial<CompareOptions> = {}): Reads<ReleaseSection | null> {
  if (versionsNewestFirst.length < 2) return null;
  const [candidate, baseline] = versionsNewestFirst as [string, string];
  const c = yield* comparisonOf(window, baseline, candidate, options);
  const rows = c.findings.map((f) => {
    const isRate = f.metric.startsWith('crash-free') || f.metric === 'error rate';
    const unit = /memory/i.test(f.metric) ? 'bytes' : /tokens/i.test(f.metric) ? 'tokens/s' : 'ms';
    const value = (x: number | null) => (x === null ? 'no data' : isRate ? pct(x, 2) : num(x, unit));
    // The change of the value itself (up or down), as a person reads two columns; the verdict says whether it is worse.
    const change = f.baseline === null || f.candidate === null ? 'n/a' : f.effectUnit === 'points' ? points(f.candidate - f.baseline) : f.baseline === 0 ? 'n/a' : signedPct(f.candidate / f.baseline - 1);
    const verdict = !f.enoughData ? 'not enough data' : f.regression ? (f.gating ? 'REGRESSION' : 'worse (not gating)') : f.significant ? 'significant, within the limit' : 'ok';
    return [f.metric, value(f.candidate), value(f.baseline), change, f.enoughData ? pValue(f.pValue, f.alpha) : 'not tested', verdict];
  });
  for (const n of c.newCrashes) rows.push([`new crash: ${n.group.title}`, `${int(n.sessions)} sessions, ${int(n.devices)} devices`, 'never seen', '', '', n.regression ? 'REGRESSION' : 'ok']);
  return {
    candidate,
    baseline,
    regressions: regressionNames(c),
    enoughData: c.enoughData,
    table: {
      title: `This version vs the previous one: ${candidate} vs ${baseline}, ${isoDay(window.from)} to ${isoDay(window.to - 1)} (the release gate's comparison)`,
      columns: ['Metric', `${candidate} (this version)`, `${baseline} (previous)`, 'Change', 'p-value', 'Verdict'],
      rows,
      empty: 'Nothing to compare.',
    },
  };
}

