// The headline numbers of the range. Each tile says which statistic it shows and over how many
// measurements, so a p95 of three samples is not mistaken for a trend.
import { useEffect } from 'react';
import * as fmt from '../../format/format';
import type { DashboardData, MeasuredPercentiles } from '../../transport/contract';

interface TileSpec {
  label: string;
  value: string;
  caption: string;
  /** True when the value is the reason there is no number. */
  unknown: boolean;
}

function samples(p: MeasuredPercentiles): string {
  return p.count === 0 ? 'no measurements' : `${fmt.count(p.count)} ${p.count === 1 ? 'measurement' : 'measurements'}`;
}

/** A percentile tile: its number(s), or why there are none. */
function measured(label: string, p: MeasuredPercentiles, value: (p: MeasuredPercentiles) => string, stat: string): TileSpec {
  return { label, value: p.unknown ? p.unknown.text : value(p), caption: `${stat}, ${samples(p)}`, unknown: p.unknown !== null };
}

function tiles(t: DashboardData['tiles']): TileSpec[] {
  return [
    { label: 'Sessions', value: fmt.known(t.sessions, fmt.count), caption: 'started in range', unknown: t.sessions.unknown !== null },
    { label: 'Active time', value: fmt.known(t.activeTimeMs, fmt.duration), caption: 'across sessions', unknown: t.activeTimeMs.unknown !== null },
    { label: 'Error rate', value: fmt.known(t.errorRate, (v) => fmt.percent(v)), caption: 'errors and crashes / events', unknown: t.errorRate.unknown !== null },
    { label: 'Crash-free sessions', value: fmt.known(t.crashFreeSessions, (v) => fmt.percent(v)), caption: 'sessions without a crash', unknown: t.crashFreeSessions.unknown !== null },
    measured('API latency', t.apiLatency, (p) => `${fmt.ms(p.p50)} · ${fmt.ms(p.p95)}`, 'p50 · p95'),
    measured('LLM speed', t.llmTokensPerSecond, (p) => fmt.perSecond(p.p50, 'tokens'), 'median'),
    measured('Time to first token', t.llmTimeToFirstToken, (p) => fmt.ms(p.p95), 'p95'),
    measured('Memory', t.memoryBytes, (p) => fmt.bytes(p.p95), 'p95'),
    measured('Load time', t.loadTime, (p) => fmt.ms(p.p95), 'p95'),
    measured('Sync time', t.syncTime, (p) => fmt.ms(p.p95), 'p95'),
  ];
}

let marked = false;

export function Tiles(props: { data: DashboardData }) {
  useEffect(() => {
    // The first time numbers are on screen: bench/dashboard.ts reads this mark as first_render_ms.
    if (!marked) {
      marked = true;
      performance.mark('dashboard-tiles-ready');
    }
  }, []);
  return (
    <ul className="tiles" aria-label="Key figures" data-testid="tiles" data-ready="true">
      {tiles(props.data.tiles).map((t) => (
        <li key={t.label} className="tile">
          <span className="tile-label">{t.label}</span>
          <span className={t.unknown ? 'tile-value tile-unknown' : 'tile-value'} data-tile={t.label} data-unknown={t.unknown ? 'true' : undefined} title={t.unknown ? t.value : undefined}>
            {t.value}
          </span>
          <span className="tile-caption">{t.caption}</span>
        </li>
      ))}
    </ul>
  );
}
