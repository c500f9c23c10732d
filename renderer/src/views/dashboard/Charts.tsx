// The time series of the range, from the hourly rollups. Animations are off: the page refreshes
// every second and moving bars would read as change that did not happen.
import type { ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useColorScheme } from '../../components/use-color-scheme';
import { EmptyState } from '../../components/EmptyState';
import * as fmt from '../../format/format';
import { EVENT_TYPES, type DashboardData, type Unknown } from '../../transport/contract';
import { PALETTES, type Palette } from './palette';

const HEIGHT = 220;

/** A chart, or in its place the reason it has nothing to draw: the same words as its tile. */
function ChartCard(props: { title: string; summary: string; unknown: Unknown | null; children: ReactNode }) {
  return (
    <figure className="card chart" data-chart={props.title}>
      <figcaption>
        <h2 className="chart-title">{props.title}</h2>
      </figcaption>
      {props.unknown ? (
        <EmptyState title={capitalize(props.unknown.text)} />
      ) : (
        /* Screen readers get the gist in words; the SVG itself is decoration for them. */
        <div role="img" aria-label={`${props.title}: ${props.summary}`}>
          <div aria-hidden="true">{props.children}</div>
        </div>
      )}
    </figure>
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function axes(p: Palette, d: DashboardData, yFormat: (v: number) => string, y: { decimals?: boolean; max?: number } = {}) {
  return [
    <CartesianGrid key="g" stroke={p.grid} vertical={false} />,
    <XAxis
      key="x"
      dataKey="t"
      type="number"
      scale="time"
      domain={['dataMin', 'dataMax']}
      ticks={fmt.timeTicks(d.from, d.to)}
      tickFormatter={(t: number) => fmt.tick(t, d.to - d.from)}
      stroke={p.axis}
      tick={{ fill: p.axis, fontSize: 12 }}
      minTickGap={16}
    />,
    <YAxis
      key="y"
      tickFormatter={yFormat}
      stroke={p.axis}
      tick={{ fill: p.axis, fontSize: 12 }}
      width={64}
      allowDecimals={y.decimals ?? false}
      // A share never runs past 100%, whatever the rounding of 'auto' would do.
      domain={[0, y.max === undefined ? 'auto' : (dataMax: number) => Math.min(y.max!, Math.max(dataMax * 1.2, 0.01))]}
    />,
  ];
}

function tooltip(p: Palette, bucketMs: number, format: (v: number) => string) {
  return (
    <Tooltip
      isAnimationActive={false}
      contentStyle={{ background: p.tooltipBg, border: `1px solid ${p.tooltipBorder}`, borderRadius: 6, color: p.text }}
      labelStyle={{ color: p.text }}
      labelFormatter={(t) => (typeof t === 'number' ? `${fmt.time(t)} (${fmt.duration(bucketMs)})` : String(t))}
      formatter={(v) => (typeof v === 'number' ? format(v) : String(v ?? fmt.NONE))}
    />
  );
}

const legend = (p: Palette) => <Legend wrapperStyle={{ fontSize: 12, color: p.axis }} />;

export function Charts(props: { data: DashboardData }) {
  const p = PALETTES[useColorScheme()];
  const d = props.data;
  const events = d.series.eventsByType.map((b) => ({ t: b.t, ...b.counts }));
  const totals = EVENT_TYPES.map((k) => `${events.reduce((n, b) => n + b[k], 0)} ${k}`).join(', ');
  const measuredLatency = d.series.apiLatency.filter((b) => b.p50 !== null).length;
  const measuredMemory = d.series.memoryBytes.filter((b) => b.p50 !== null).length;
  const measuredErrors = d.series.errorRate.filter((b) => b.rate !== null).length;

  return (
    <div className="charts">
      <ChartCard title="Events over time" summary={`events by type: ${totals}`} unknown={d.series.unknown.eventsByType}>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <BarChart data={events} barCategoryGap={0} accessibilityLayer={false}>
            {axes(p, d, (v) => fmt.count(v))}
            {tooltip(p, d.bucketMs, (v) => fmt.count(v))}
            {legend(p)}
            {EVENT_TYPES.map((k) => (
              <Bar key={k} dataKey={k} stackId="types" fill={p.types[k]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="Error rate" summary={`${measuredErrors} of ${d.series.errorRate.length} intervals with events; overall ${fmt.known(d.tiles.errorRate, (v) => fmt.percent(v))}`} unknown={d.series.unknown.errorRate}>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={d.series.errorRate} accessibilityLayer={false}>
            {axes(p, d, (v) => (v === 0 ? '0' : fmt.percent(v, v < 0.1 ? 1 : 0)), { decimals: true, max: 1 })}
            {tooltip(p, d.bucketMs, (v) => fmt.percent(v))}
            <Line dataKey="rate" name="error rate" stroke={p.errors} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="API latency" summary={`p50, p95 and p99 in ${measuredLatency} intervals; overall p95 ${fmt.ms(d.tiles.apiLatency.p95)}`} unknown={d.series.unknown.apiLatency}>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={d.series.apiLatency} accessibilityLayer={false}>
            {axes(p, d, fmt.msShort)}
            {tooltip(p, d.bucketMs, (v) => fmt.ms(v))}
            {legend(p)}
            <Line dataKey="p50" stroke={p.p50} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
            <Line dataKey="p95" stroke={p.p95} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
            <Line dataKey="p99" stroke={p.p99} strokeWidth={1.5} strokeDasharray="4 3" dot={false} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard title="Memory" summary={`p50 and p95 in ${measuredMemory} intervals; overall p95 ${fmt.bytes(d.tiles.memoryBytes.p95)}`} unknown={d.series.unknown.memoryBytes}>
        <ResponsiveContainer width="100%" height={HEIGHT}>
          <LineChart data={d.series.memoryBytes} accessibilityLayer={false}>
            {axes(p, d, fmt.bytesShort)}
            {tooltip(p, d.bucketMs, (v) => fmt.bytes(v))}
            {legend(p)}
            <Line dataKey="p50" stroke={p.p50} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
            <Line dataKey="p95" stroke={p.p95} strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>
    </div>
  );
}
