// A/B tests from exposure events (src/telemetry/experiments): units are anonymous user ids, each in
// the variant of its first exposure; a unit exposed to two variants is counted as mixed and left
// out (its assignment was not deterministic, so it would blur both). For each variant: conversion
// to a goal feature after the first exposure, and units without a crashed session after it (per
// unit, not per session: one person's sessions are not independent, and a per-session test would
// find "effects" in who happened to be in which variant); each treatment
// against the control with the difference, its confidence interval and a two-sided test; and the
// sample-ratio-mismatch check of the units per variant against an even split.
import { EXPOSURE_EVENT } from '../../telemetry/experiments/exposure.js';
import type { Statements } from '../store.js';
import type { Window } from '../time.js';
import { proportionDifference, sampleRatioCheck, type Proportion, type ProportionDifference, type SampleRatioCheck } from './significance.js';

export const EXPERIMENT_ALPHA = 0.05;

export interface VariantResult {
  variant: string;
  units: number;
  conversion: Proportion | null;
  /** Units none of whose sessions since the exposure crashed / units with such a session. */
  crashFreeUnits: Proportion;
}

export interface VariantComparison {
  variant: string;
  metric: 'conversion' | 'crash-free units';
  result: ProportionDifference;
  significant: boolean;
}

export interface ExperimentResult {
  experiment: string;
  /** `control` when there is one, else the first variant by name. */
  control: string;
  firstExposure: number;
  lastExposure: number;
  variants: VariantResult[];
  comparisons: VariantComparison[];
  srm: SampleRatioCheck;
  mixedUnits: number;
  goal: string | null;
}

export function experiments(st: Statements, window: Window, goal: string | null = null): ExperimentResult[] {
  const rows = st
    .get(`SELECT user_id, session_id, ts, json_extract(payload, '$.context.experiment'), json_extract(payload, '$.context.variant') FROM events WHERE name = ? AND ts >= ? AND ts < ?`)
    .raw()
    .all(EXPOSURE_EVENT, window.from, window.to) as [string, string, number, unknown, unknown][];
  const byExperiment = new Map<string, Map<string, { variants: Set<string>; first: number; session: string }>>();
  const firstTs = new Map<string, number>();
  const lastTs = new Map<string, number>();
  for (const [user, session, ts, e, v] of rows) {
    if (typeof e !== 'string' || typeof v !== 'string') continue;
    let units = byExperiment.get(e);
    if (units === undefined) byExperiment.set(e, (units = new Map()));
    const u = units.get(user) ?? { variants: new Set<string>(), first: ts, session };
    u.variants.add(v);
    if (ts < u.first) Object.assign(u, { first: ts, session });
    units.set(user, u);
    firstTs.set(e, Math.min(firstTs.get(e) ?? ts, ts));
    lastTs.set(e, Math.max(lastTs.get(e) ?? ts, ts));
  }
  if (byExperiment.size === 0) return [];
  const starts = st.get("SELECT user_id, session_id, ts FROM events WHERE name = 'session.start' AND ts >= ? AND ts < ?").raw().all(window.from, window.to) as [string, string, number][];
  const crashed = new Set(st.get("SELECT DISTINCT session_id FROM events WHERE event_type = 'crash' AND ts >= ? AND ts < ?").pluck().all(window.from, window.to) as string[]);
  const goalUses = new Map<string, number[]>();
  if (goal !== null) {
    const uses = st
      .get("SELECT user_id, ts FROM events WHERE event_type = 'feature' AND ts >= ? AND ts < ? AND json_extract(payload, '$.feature_id') = ?")
      .raw()
      .all(window.from, window.to, goal) as [string, number][];
    for (const [u, ts] of uses) goalUses.set(u, [...(goalUses.get(u) ?? []), ts]);
  }
  const sessionsOf = new Map<string, [string, number][]>();
  for (const [u, s, ts] of starts) sessionsOf.set(u, [...(sessionsOf.get(u) ?? []), [s, ts]]);

  const out: ExperimentResult[] = [];
  for (const [experiment, units] of byExperiment) {
    const perVariant = new Map<string, VariantResult>();
    let mixed = 0;
    for (const [user, u] of units) {
      if (u.variants.size > 1) {
        mixed++;
        continue;
      }
      const variant = [...u.variants][0]!;
      let r = perVariant.get(variant);
      if (r === undefined) perVariant.set(variant, (r = { variant, units: 0, conversion: goal === null ? null : { successes: 0, n: 0 }, crashFreeUnits: { successes: 0, n: 0 } }));
      r.units++;
      if (r.conversion) {
        r.conversion.n++;
        if ((goalUses.get(user) ?? []).some((t) => t >= u.first)) r.conversion.successes++;
      }
      const mine = sessionsOf.get(user) ?? [];
      // From the session that showed the variant on: exposure happens inside a session.
      const from = mine.find(([s]) => s === u.session)?.[1] ?? u.first;
      const after = mine.filter(([, ts]) => ts >= from);
      if (after.length > 0) {
        r.crashFreeUnits.n++;
        if (!after.some(([s]) => crashed.has(s))) r.crashFreeUnits.successes++;
      }
    }
    const names = [...perVariant.keys()].sort();
    const control = names.includes('control') ? 'control' : names[0]!;
    const variants = [control, ...names.filter((n) => n !== control)].map((n) => perVariant.get(n)!);
    const comparisons: VariantComparison[] = [];
    const c = perVariant.get(control)!;
    for (const t of variants.slice(1)) {
      if (c.conversion && t.conversion) {
        const result = proportionDifference(c.conversion, t.conversion);
        comparisons.push({ variant: t.variant, metric: 'conversion', result, significant: result.pValue !== null && result.pValue < EXPERIMENT_ALPHA });
      }
      const result = proportionDifference(c.crashFreeUnits, t.crashFreeUnits);
      comparisons.push({ variant: t.variant, metric: 'crash-free units', result, significant: result.pValue !== null && result.pValue < EXPERIMENT_ALPHA });
    }
    out.push({ experiment, control, firstExposure: firstTs.get(experiment)!, lastExposure: lastTs.get(experiment)!, variants, comparisons, srm: sampleRatioCheck(variants.map((v) => v.units)), mixedUnits: mixed, goal });
  }
  return out.sort((a, b) => b.lastExposure - a.lastExposure || a.experiment.localeCompare(b.experiment));
}
