// Placeholder until the full report lands (same commit series): a daily summary from the dashboard.
import type { RenderedReport } from '../../telemetry/bridge.js';
import { computeDashboard } from '../dashboard.js';
import type { RollupReader } from '../rollup-reader.js';

export interface ReportModel {
  kind: RenderedReport['kind'];
  lines: string[];
}

export function buildReport(reader: RollupReader, kind: RenderedReport['kind'], now: number): ReportModel {
  const d = computeDashboard(reader, { range: kind === 'daily' ? '24h' : kind === 'weekly' ? '7d' : '30d', now });
  return { kind, lines: [`Sessions: ${d.tiles.sessions}`, `Error rate: ${d.tiles.errorRate ?? 'n/a'}`, `Crash-free sessions: ${d.tiles.crashFreeSessions ?? 'n/a'}`] };
}
