// Release health per version: crash-free sessions and devices, adoption, error rate; the adoption
// curve of each version; and the release monitor's verdict on each new version with its evidence
// (the collector's alerting API, forwarded).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Section } from '../../../renderer/src/components/Section';
import { useColorScheme } from '../../../renderer/src/components/use-color-scheme';
import { PALETTES } from '../../../renderer/src/views/dashboard/palette';
import type { AdoptionCurve, AlertsOverview, HistoryEntry, ReleaseWatch, VersionHealth } from '../../../src/console/api-types';
import { query, useApi } from '../api';
import { ChartFigure } from '../charts/ChartFigure';
import { day, fmt } from '../format';
import { Load } from '../Loading';
import { AlertingOff, when } from './Alerts';

export function ReleasesView(props: { days: number }) {
  return (
    <div className="stack">
      <VersionTable days={props.days} />
      <Adoption days={props.days} />
      <MonitorVerdicts />
    </div>
  );
}

function VersionTable(props: { days: number }) {
  const loaded = useApi<VersionHealth[]>(query('/api/releases', { days: props.days }));
  return (
    <Section title="Release health" description="Per version, sessions that started in the window. Adoption: share of the last 24 hours' sessions and devices.">
      <Load loaded={loaded} what="release health">
        {(rows) =>
          rows.length === 0 ? (
            <p className="muted">No versions in this window.</p>
          ) : (
            <div className="table-wrap">
            <table className="table" aria-label="Release health by version">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col" className="num">Sessions</th>
                  <th scope="col" className="num">Devices</th>
                  <th scope="col" className="num">Crash-free sessions</th>
                  <th scope="col" className="num">Crash-free users</th>
                  <th scope="col" className="num">Error rate</th>
                  <th scope="col" className="num">Adoption, sessions</th>
                  <th scope="col" className="num">Adoption, devices</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.version} data-version={r.version}>
                    <th scope="row">{r.version}</th>
                    <td className="num">{fmt.count(r.sessions)}</td>
                    <td className="num">{fmt.count(r.devices)}</td>
                    <td className="num" data-field="crash-free-sessions">{fmt.percent(r.crashFreeSessions, 2)}</td>
                    <td className="num">{fmt.percent(r.crashFreeUsers, 1)}</td>
                    <td className="num">{fmt.percent(r.errorRate, 2)}</td>
                    <td className="num">{fmt.percent(r.adoption.sessionShare, 0)}</td>
                    <td className="num">{fmt.percent(r.adoption.deviceShare, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          )
        }
      </Load>
    </Section>
  );
}

function Adoption(props: { days: number }) {
  const loaded = useApi<AdoptionCurve>(query('/api/adoption', { days: props.days }));
  const p = PALETTES[useColorScheme()];
  const colors = [p.p50, p.p95, p.p99, p.types.performance, p.types.network, p.types.feature];
  return (
    <Section title="Adoption" description="Per UTC day, the share of the devices that started a session that day which ran each version.">
      <Load loaded={loaded} what="the adoption curve">
        {(a) => {
          if (a.days.length === 0) return <p className="muted">No sessions in this window.</p>;
          const rows = a.days.map((d) => ({ day: d.day, ...Object.fromEntries(a.versions.map((v) => [v, d.byVersion[v]?.share ?? 0])) }));
          const last = a.days.at(-1)!;
          const summary = a.versions.map((v) => `${v} ${fmt.percent(last.byVersion[v]?.share ?? 0, 0)}`).join(', ');
          return (
            <>
              <ChartFigure title="Adoption by version" summary={`on the last day: ${summary}`}>
                <ResponsiveContainer width="100%" height={220}>
                  <LineChart data={rows} accessibilityLayer={false}>
                    <CartesianGrid stroke={p.grid} vertical={false} />
                    <XAxis dataKey="day" tickFormatter={day} stroke={p.axis} tick={{ fill: p.axis, fontSize: 12 }} />
                    <YAxis stroke={p.axis} tick={{ fill: p.axis, fontSize: 12 }} width={48} domain={[0, 1]} tickFormatter={(x: number) => `${Math.round(x * 100)}%`} />
                    <Tooltip isAnimationActive={false} labelFormatter={(t) => (typeof t === 'number' ? day(t) : String(t))} formatter={(x) => fmt.percent(Number(x), 0)} contentStyle={{ background: p.tooltipBg, border: `1px solid ${p.tooltipBorder}`, color: p.text }} />
                    <Legend wrapperStyle={{ fontSize: 12, color: p.axis }} />
                    {a.versions.map((v, i) => <Line key={v} isAnimationActive={false} dataKey={v} name={v} stroke={colors[i % colors.length]} dot={false} />)}
                  </LineChart>
                </ResponsiveContainer>
              </ChartFigure>
              <p className="muted" data-testid="adoption-last-day">On {day(last.day)}: {summary} of {fmt.count(last.devices)} devices.</p>
            </>
          );
        }}
      </Load>
    </Section>
  );
}

const VERDICT: Record<ReleaseWatch['lastVerdict'], string> = { pass: 'no regression', regression: 'regression', 'not enough data': 'not enough data yet' };

function MonitorVerdicts() {
  const overview = useApi<AlertsOverview>('/api/alerts');
  const history = useApi<{ history: HistoryEntry[] }>(query('/api/alerts/history', { kind: 'release', limit: 100 }));
  if (overview.state === 'error' && overview.status === 404) {
    return (
      <Section title="Release monitor">
        <AlertingOff loaded={overview} />
      </Section>
    );
  }
  return (
    <Section title="Release monitor" description="Each new version compared with the one before it by the release gate's test as adoption grows; a regression confirmed on consecutive checks pages once and calls the rollback hook once.">
      <Load loaded={overview} what="the release monitor">
        {(o) => {
          const watches = o.release ?? [];
          if (watches.length === 0) return <p className="muted">The monitor has not watched a new version yet (it checks every hour).</p>;
          const events = history.state === 'ok' ? history.data.history : [];
          return (
            <div className="table-wrap">
              <table className="table" aria-label="Release monitor verdicts">
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Against</th>
                    <th scope="col">Verdict</th>
                    <th scope="col">First seen</th>
                    <th scope="col">Last check</th>
                    <th scope="col" className="num">Devices on it</th>
                    <th scope="col">Evidence</th>
                  </tr>
                </thead>
                <tbody>
                  {watches.map((w) => {
                    const mine = events.filter((e) => e.kind === 'release' && e.version === w.version);
                    const now = w.adoption.at(-1);
                    return (
                      <tr key={w.version} data-version={w.version}>
                        <th scope="row">{w.version}</th>
                        <td>{w.baseline}</td>
                        <td data-field="verdict">
                          <span className={w.confirmedAt !== null ? 'verdict-regression' : ''}>{w.confirmedAt !== null ? `regression confirmed ${when(w.confirmedAt)}` : VERDICT[w.lastVerdict]}</span>
                          {w.settled ? <span className="muted"> (settled)</span> : null}
                        </td>
                        <td>{when(w.firstSeenAt)}</td>
                        <td>{when(w.lastCheckAt)}</td>
                        <td className="num">{now ? `${fmt.count(now.devices)} (${fmt.percent(now.deviceShare, 0)})` : fmt.NONE}</td>
                        <td>
                          {w.regressions.length > 0 ? <p>Regressed: {w.regressions.join(', ')}</p> : null}
                          {w.rollback ? <p>Rollback hook: {w.rollback.status} ({w.rollback.detail}), {when(w.rollback.at)}</p> : null}
                          {mine.map((e, i) => <p key={i} className="muted anomaly-explanation">{e.kind === 'release' ? e.detail : ''}</p>)}
                          {w.regressions.length === 0 && mine.length === 0 ? <span className="muted">{w.consecutive > 0 ? `${w.consecutive} check(s) in a row found a regression; not yet confirmed` : 'nothing found'}</span> : null}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          );
        }}
      </Load>
    </Section>
  );
}
