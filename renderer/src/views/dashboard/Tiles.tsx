// The headline numbers of the range. Each tile says which statistic it shows and over how many
// measurements, so a p95 of three samples is not mistaken for a trend.
import { useEffect } from 'react';
import * as fmt from '../../format/format';
import type { DashboardData, Percentiles } from '../../transport/contract';

interface TileSpec {
  label: string;
  value: string;
  caption: string;
}

function samples(p: Percentiles): string {
  return p.count === 0 ? 'no measurements' : `${fmt.count(p.count)} ${p.count === 1 ? 'measurement' : 'measurements'}`;
}

function tiles(t: DashboardData['tiles']): TileSpec[] {
  return [
    { label: 'Sessions', value: fmt.count(t.sessions), caption: 'started in range' },
    { label: 'Active time', value: fmt.duration(t.activeTimeMs), caption: 'across sessions' },
    { label: 'Error rate', value: fmt.percent(t.errorRate), caption: 'errors and crashes / events' },
    { label: 'Crash-free sessions', value: fmt.percent(t.crashFreeSessions), caption: 'sessions without a crash' },
    { label: 'API latency', value: t.apiLatency.count ? `${fmt.ms(t.apiLatency.p50)} · ${fmt.ms(t.apiLatency.p95)}` : fmt.NONE, caption: `p50 · p95, ${samples(t.apiLatency)}` },
    { label: 'LLM speed', value: fmt.perSecond(t.llmTokensPerSecond.p50, 'tokens'), caption: `median, ${samples(t.llmTokensPerSecond)}` },
    { label: 'Time to first token', value: fmt.ms(t.llmTimeToFirstToken.p95), caption: `p95, ${samples(t.llmTimeToFirstToken)}` },
    { label: 'Memory', value: fmt.bytes(t.memoryBytes.p95), caption: `p95, ${samples(t.memoryBytes)}` },
    { label: 'Load time', value: fmt.ms(t.loadTime.p95), caption: `p95, ${samples(t.loadTime)}` },
    { label: 'Sync time', value: fmt.ms(t.syncTime.p95), caption: `p95, ${samples(t.syncTime)}` },
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
          <span className="tile-value" data-tile={t.label}>
            {t.value}
          </span>
          <span className="tile-caption">{t.caption}</span>
        </li>
      ))}
    </ul>
  );
}
