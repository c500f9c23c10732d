// Top features and the breakdown by app version: tables (readable, sortable by eye, accessible)
// with a bar behind the main number for the at-a-glance comparison.
import { EmptyState } from '../../components/EmptyState';
import { Section } from '../../components/Section';
import * as fmt from '../../format/format';
import type { DashboardData } from '../../transport/contract';

function BarCell(props: { value: number; max: number; text: string }) {
  const width = props.max > 0 ? Math.max(2, (props.value / props.max) * 100) : 0;
  return (
    <td className="num bar-cell">
      <span className="bar" style={{ width: `${width}%` }} aria-hidden="true" />
      <span className="bar-text">{props.text}</span>
    </td>
  );
}

export function TopFeatures(props: { data: DashboardData }) {
  const rows = props.data.topFeatures;
  const maxUses = Math.max(0, ...rows.map((r) => r.uses));
  const maxTime = Math.max(0, ...rows.map((r) => r.timeSpentSeconds));
  return (
    <Section title="Top features" description="By number of uses and by time spent.">
      {rows.length === 0 ? (
        <EmptyState title="No feature use recorded in this range." />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Top features">
            <thead>
              <tr>
                <th scope="col">Feature</th>
                <th scope="col" className="num">
                  Uses
                </th>
                <th scope="col" className="num">
                  Time spent
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name}>
                  <th scope="row" className="mono">
                    {r.name}
                  </th>
                  <BarCell value={r.uses} max={maxUses} text={fmt.count(r.uses)} />
                  <BarCell value={r.timeSpentSeconds} max={maxTime} text={fmt.duration(r.timeSpentSeconds * 1000)} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

export function ByVersion(props: { data: DashboardData }) {
  const rows = props.data.byVersion;
  const maxEvents = Math.max(0, ...rows.map((r) => r.events));
  return (
    <Section title="By app version" description="Every version in the range, newest first, whatever the filter: compare a release with the one before it.">
      {rows.length === 0 ? (
        <EmptyState title="No versions seen in this range." />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Breakdown by app version">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col" className="num">
                  Events
                </th>
                <th scope="col" className="num">
                  Sessions
                </th>
                <th scope="col" className="num">
                  Errors
                </th>
                <th scope="col" className="num">
                  Crashes
                </th>
                <th scope="col" className="num">
                  Error rate
                </th>
                <th scope="col" className="num">
                  Crash-free
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.version} className={r.version === props.data.appVersion ? 'row-selected' : undefined} aria-current={r.version === props.data.appVersion ? 'true' : undefined}>
                  <th scope="row" className="mono">
                    {r.version}
                    {r.version === props.data.appVersion ? <span className="muted"> (shown above)</span> : null}
                  </th>
                  <BarCell value={r.events} max={maxEvents} text={fmt.count(r.events)} />
                  <td className="num">{fmt.count(r.sessions)}</td>
                  <td className="num">{fmt.count(r.errors)}</td>
                  <td className="num">{fmt.count(r.crashes)}</td>
                  <td className="num">{fmt.percent(r.errorRate)}</td>
                  <td className="num">{fmt.percent(r.crashFreeSessions)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
