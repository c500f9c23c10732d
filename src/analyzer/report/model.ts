// What a report says, independent of how it is rendered (Markdown, HTML).
import type { RenderedReport } from '../../telemetry/bridge.js';
import type { StoreKind } from '../store.js';

export type ReportKind = RenderedReport['kind'];

export interface Headline {
  label: string;
  value: string;
  /** The same number over the previous period, formatted. */
  previous: string;
  /** `+12.0%`, `-0.40 pts`; empty when not comparable. */
  change: string;
  /** True when the change is bad news. */
  worse: boolean;
}

export interface Series {
  label: string;
  points: { t: number; v: number | null }[];
}

export interface Chart {
  title: string;
  /** How to print a value: percent, ms, bytes or a count. */
  unit: 'percent' | 'ms' | 'bytes' | 'count';
  kind: 'line' | 'bar';
  /** Width of a point, ms (an hour or a day). */
  bucketMs: number;
  series: Series[];
}

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** Shown when there are no rows. */
  empty: string;
}

/** "This version vs the previous one": the release gate's very comparison (compare.ts) of the two
 *  newest versions of the period, so a report and the gate never disagree. */
export interface ReleaseSection {
  candidate: string;
  baseline: string;
  /** What the gate would flag, by name (regressionNames). */
  regressions: string[];
  enoughData: boolean;
  table: Table;
}

export interface ReportModel {
  kind: ReportKind;
  title: string;
  store: StoreKind;
  generatedAt: number;
  from: number;
  to: number;
  previousFrom: number;
  /** "day", "week", "30 days": what every period-over-period figure is compared with. */
  period: string;
  /** False when nothing was recorded in the previous period: changes read "no previous period". */
  hasPrevious: boolean;
  release: ReleaseSection | null;
  insights: string[];
  headlines: Headline[];
  charts: Chart[];
  tables: Table[];
}
