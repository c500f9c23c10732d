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

export interface ReportModel {
  kind: ReportKind;
  title: string;
  store: StoreKind;
  generatedAt: number;
  from: number;
  to: number;
  previousFrom: number;
  insights: string[];
  headlines: Headline[];
  charts: Chart[];
  tables: Table[];
}
