// The executive dashboard: active devices and growth, engagement, health against targets, and the
// major issues with their status, for this week or month against the one before.
import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Section } from '../../../renderer/src/components/Section';
import { Segmented } from '../../../renderer/src/components/Segmented';
import { useColorScheme } from '../../../renderer/src/components/use-color-scheme';
import { PALETTES } from '../../../renderer/src/views/dashboard/palette';
import type { ExecutiveSummary, Period, PeriodNumbers } from '../../../src/console/api-types';
import { query, useApi } from '../api';
import { ChartFigure } from '../charts/ChartFigure';
import { change, day, fmt, msExact, points } from '../format';
import { Load } from '../Loading';
import { StatusPill } from './StatusPill';

interface Tile {
  label: string;
  value: string;
  caption: string;
}

function tiles(c: PeriodNumbers, p: PeriodNumbers, vs: string): Tile[] {
  return [
    { label: 'Daily active devices', value: fmt.count(c.dau), caption: `${change(c.dau, p.dau)} ${vs}` },
    { label: 'Weekly active devices', value: fmt.count(c.wau), caption: `${change(c.wau, p.wau)} ${vs}` },
    { label: 'Monthly active devices', value: fmt.count(c.mau), caption: `${change(c.mau, p.mau)} ${vs}` },
    { label: 'Sessions per device', value: c.sessionsPerDevice === null ? fmt.NONE : c.sessionsPerDevice.toFixed(1), caption: `${change(c.sessionsPerDevice, p.sessionsPerDevice)} ${vs}` },
    { label: 'Median session', value: fmt.duration(c.medianSessionMs), caption: `${change(c.medianSessionMs, p.medianSessionMs)} ${vs}` },
    { label: 'Time in app per device', value: fmt.duration(c.timeInAppPerDeviceMs), caption: `${change(c.timeInAppPerDeviceMs, p.timeInAppPerDeviceMs)} ${vs}` },
    { label: 'Crash-free sessions', value: fmt.percent(c.crashFreeSessions, 2), caption: `${points(c.crashFreeSessions, p.crashFreeSessions)} ${vs}` },
    { label: 'Crash-free devices', value: fmt.percent(c.crashFreeDevices, 1), caption: `${points(c.crashFreeDevices, p.crashFreeDevices)} ${vs}` },
    { label: 'Error rate', value: fmt.percent(c.errorRate, 2), caption: `${points(c.errorRate, p.errorRate)} ${vs}` },
    { label: 'Sessions', value: fmt.count(c.sessions), caption: `${change(c.sessions, p.sessions)} ${vs}` },
  ];
}

export function ExecutiveView() {
  const [period, setPeriod] = useState<Period>('week');
  const loaded = useApi<ExecutiveSummary>(query('/api/executive', { period }));
  const p = PALETTES[useColorScheme()];
  const vs = period === 'week' ? 'week over week' : 'month over month';
  return (
    <div className="stack">
      <div className="toolbar">
        <Segmented<Period> legend="Period" options={[{ value: 'week', label: 'Last 7 days' }, { value: 'month', label: 'Last 30 days' }]} value={period} onChange={setPeriod} />
      </div>
      <Load loaded={loaded} what="the executive summary">
        {(d) =>
          d.current.sessions === 0 && d.previous.sessions === 0 ? (
            <Section title="No sessions yet">
              <p className="muted">No device has sent a session in this period or the one before. Numbers appear here as soon as devices with shared usage data sync.</p>
            </Section>
          ) : (
            <>
              <ul className="tiles" aria-label="Headline numbers">
                {tiles(d.current, d.previous, vs).map((t) => (
                  <li key={t.label} className="tile" data-tile={t.label}>
                    <span className="tile-label">{t.label}</span>
                    <span className="tile-value">{t.value}</span>
                    <span className="tile-caption">{t.caption}</span>
                  </li>
                ))}
              </ul>
              <div className="two-col">
                <Section title="Active devices" description="Devices with any event that day (DAU), in the 7 (WAU) and the 30 days (MAU) ending that day.">
                  <ChartFigure title="Active devices per day" summary={`on the last day ${d.current.dau} daily, ${d.current.wau} weekly and ${d.current.mau} monthly active devices`}>
                    <ResponsiveContainer width="100%" height={220}>
                      <LineChart data={d.activeDevices} accessibilityLayer={false}>
                        <CartesianGrid stroke={p.grid} vertical={false} />
                        <XAxis dataKey="day" tickFormatter={day} stroke={p.axis} tick={{ fill: p.axis, fontSize: 12 }} />
                        <YAxis stroke={p.axis} tick={{ fill: p.axis, fontSize: 12 }} width={48} allowDecimals={false} />
                        <Tooltip isAnimationActive={false} labelFormatter={(t) => (typeof t === 'number' ? day(t) : String(t))} contentStyle={{ background: p.tooltipBg, border: `1px solid ${p.tooltipBorder}`, color: p.text }} />
                        <Legend wrapperStyle={{ fontSize: 12, color: p.axis }} />
                        <Line isAnimationActive={false} dataKey="dau" name="DAU" stroke={p.p50} dot={false} />
                        <Line isAnimationActive={false} dataKey="wau" name="WAU" stroke={p.p95} dot={false} />
                        <Line isAnimationActive={false} dataKey="mau" name="MAU" stroke={p.p99} dot={false} />
                      </LineChart>
                    </ResponsiveContainer>
                  </ChartFigure>
                </Section>
                <Section title="Key latencies" description="p95 over the period against the target a person notices.">
                  <table className="table" aria-label="Key latencies against targets">
                    <thead>
                      <tr>
                        <th scope="col">Measure</th>
                        <th scope="col" className="num">p95</th>
                        <th scope="col" className="num">Before</th>
                        <th scope="col" className="num">Target</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.current.latencies.map((l, i) => (
                        <tr key={l.key} data-measure={l.key}>
                          <th scope="row">{l.label}</th>
                          <td className="num" data-field="p95">{msExact(l.p95)}</td>
                          <td className="num">{msExact(d.previous.latencies[i]?.p95)}</td>
                          <td className="num">{msExact(l.targetMs)}</td>
                          <td>{l.meetsTarget === null ? <span className="pill">no data</span> : l.meetsTarget ? <span className="pill pill-ok">on target</span> : <span className="pill pill-bad">over target</span>}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Section>
              </div>
              <Section title="Major issues" description="Open issues by priority (impact: devices × frequency × severity), then those resolved in the period.">
                {d.majorIssues.length === 0 ? (
                  <p className="muted">No errors or crashes in the last 30 days.</p>
                ) : (
                  <table className="table" aria-label="Major issues">
                    <thead>
                      <tr>
                        <th scope="col">Issue</th>
                        <th scope="col">Status</th>
                        <th scope="col" className="num">Devices</th>
                        <th scope="col" className="num">Events</th>
                        <th scope="col">Resolved</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.majorIssues.map((i) => (
                        <tr key={i.id} data-issue={i.id}>
                          <th scope="row">
                            <a href={`#/development/issues/${i.id}`}>{i.title}</a>
                          </th>
                          <td>
                            <StatusPill status={i.status} /> <span className="muted">{i.statusReason}</span>
                          </td>
                          <td className="num">{fmt.count(i.devices)}</td>
                          <td className="num">{fmt.count(i.count)}</td>
                          <td>{i.resolvedAt === null ? fmt.NONE : `${day(i.resolvedAt)} (${i.statusVersion})`}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </Section>
            </>
          )
        }
      </Load>
    </div>
  );
}
