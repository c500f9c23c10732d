// Error and crash groups in the order to work on them (priority), each with its trend and status;
// a group's page has a representative stack, where it happens, the root cause and raw events.
import { JsonBlock } from '../../../renderer/src/components/JsonBlock';
import { Section } from '../../../renderer/src/components/Section';
import type { Issue, IssueDetail } from '../../../src/console/api-types';
import { query, useApi } from '../api';
import { Sparkline } from '../charts/Sparkline';
import { day, fmt, pValue } from '../format';
import { Load } from '../Loading';
import { StatusPill } from './StatusPill';

export function IssuesView(props: { days: number }) {
  const loaded = useApi<Issue[]>(query('/api/issues', { days: props.days }));
  return (
    <Section title="Errors and crashes" description="Grouped by fingerprint; priority = severity (crash 10, error 1) × devices affected × events per day over the last 7 days.">
      <Load loaded={loaded} what="the issues">
        {(issues) =>
          issues.length === 0 ? (
            <p className="muted">No errors or crashes in this window.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Issues by priority">
                <thead>
                  <tr>
                    <th scope="col">Issue</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">Priority</th>
                    <th scope="col" className="num">Events</th>
                    <th scope="col" className="num">Devices</th>
                    <th scope="col">Versions</th>
                    <th scope="col">Platforms</th>
                    <th scope="col">First · last seen</th>
                    <th scope="col">Trend</th>
                  </tr>
                </thead>
                <tbody>
                  {issues.map((i) => (
                    <tr key={i.id} data-issue={i.id}>
                      <th scope="row">
                        <span className={`pill ${i.kind === 'crash' ? 'pill-bad' : ''}`}>{i.kind}</span> <a href={`#/development/issues/${i.id}`}>{i.title}</a>
                      </th>
                      <td>
                        <StatusPill status={i.status} />
                      </td>
                      <td className="num">{i.priority.toFixed(1)}</td>
                      <td className="num">{fmt.count(i.count)}</td>
                      <td className="num">{fmt.count(i.devices)}</td>
                      <td>{i.versions.map((v) => v.version).join(', ')}</td>
                      <td>{i.oses.join(', ')}</td>
                      <td className="nowrap">
                        {day(i.firstSeen)} · {day(i.lastSeen)}
                      </td>
                      <td>
                        <Sparkline values={i.daily} label={`events per day of ${i.title}`} />
                      </td>
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

export function IssueDetailView(props: { id: string; days: number }) {
  const loaded = useApi<IssueDetail>(query(`/api/issues/${props.id}`, { days: props.days }));
  return (
    <Load loaded={loaded} what="the issue">
      {(d) => (
        <div className="stack">
          <p>
            <a href="#/development/issues">← All issues</a>
          </p>
          <Section title={d.issue.title} description={<><StatusPill status={d.issue.status} /> {d.issue.statusReason}</>}>
            <dl className="dl">
              <div className="dl-item"><dt>Kind</dt><dd>{d.issue.kind} · {d.issue.names.join(', ')}</dd></div>
              <div className="dl-item"><dt>Priority</dt><dd data-field="priority">{d.issue.priority.toFixed(1)}</dd></div>
              <div className="dl-item"><dt>Events</dt><dd data-field="events">{fmt.count(d.issue.count)}</dd></div>
              <div className="dl-item"><dt>Devices affected</dt><dd data-field="devices">{fmt.count(d.issue.devices)}</dd></div>
              <div className="dl-item"><dt>First seen</dt><dd>{fmt.time(d.issue.firstSeen)}</dd></div>
              <div className="dl-item"><dt>Last seen</dt><dd>{fmt.time(d.issue.lastSeen)}</dd></div>
              <div className="dl-item"><dt>Versions</dt><dd>{d.byVersion.map((v) => `${v.version} (${v.count})`).join(', ')}</dd></div>
              <div className="dl-item"><dt>Platforms</dt><dd>{d.byOs.map((o) => `${o.os} (${o.count})`).join(', ')}</dd></div>
            </dl>
          </Section>
          <Section title="Root cause" description={`What the ${fmt.count(d.rootCause.affectedSessions)} affected sessions have in common, against all ${fmt.count(d.rootCause.sessions)} sessions (exact binomial test, Bonferroni-corrected; significant below 0.01).`}>
            {d.rootCause.suspects.length === 0 ? (
              <p className="muted">{d.rootCause.affectedSessions < 5 ? 'Too few affected sessions to tell.' : 'No attribute stands out: the affected sessions look like all sessions.'}</p>
            ) : (
              <table className="table" aria-label="Over-represented attributes">
                <thead>
                  <tr>
                    <th scope="col">Attributes</th>
                    <th scope="col" className="num">Of affected sessions</th>
                    <th scope="col" className="num">Of all sessions</th>
                    <th scope="col" className="num">Lift</th>
                    <th scope="col" className="num">p-value</th>
                  </tr>
                </thead>
                <tbody>
                  {d.rootCause.suspects.map((s) => {
                    const label = s.attributes.map((a) => `${a.name} = ${a.value}`).join(' & ');
                    return (
                      <tr key={label} data-suspect={label}>
                        <th scope="row">{label}</th>
                        <td className="num">{fmt.percent(s.affectedShare, 0)}</td>
                        <td className="num">{fmt.percent(s.baselineShare, 0)}</td>
                        <td className="num">{s.lift === null || !Number.isFinite(s.lift) ? '∞' : `${s.lift.toFixed(1)}×`}</td>
                        <td className="num">{pValue(s.pValue)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </Section>
          <Section title="Representative stack" description="The newest event's stack trace, as stored (scrubbed on the device and again by the collector).">
            {d.representativeStack === null ? <p className="muted">This group's events carry no stack trace.</p> : <pre className="json" aria-label="Stack trace" tabIndex={0}>{d.representativeStack}</pre>}
          </Section>
          <Section title="Latest events" description={`The ${d.events.length} newest events of the group, raw.`}>
            <ul className="event-list">
              {d.events.map((e) => (
                <li key={String(e.id)}>
                  <details>
                    <summary>
                      {fmt.time(String(e.timestamp))} · {String(e.app_version)} · {String(e.os)}
                    </summary>
                    <JsonBlock value={e} label={`Event ${String(e.id)}`} />
                  </details>
                </li>
              ))}
            </ul>
          </Section>
        </div>
      )}
    </Load>
  );
}
