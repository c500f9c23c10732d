// Top features and the breakdown by app version: tables (readable, sortable by eye, accessible)
// with a bar behind the main number for the at-a-glance comparison.
import { EmptyState } from '../../components/EmptyState';
import { Section } from '../../components/Section';
import * as fmt from '../../format/format';
import type { DashboardData, Known, VersionFigure, VersionRow } from '../../transport/contract';

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
        <EmptyState title={props.data.topFeaturesUnknown?.reason === 'not_collected' ? `Features are ${props.data.topFeaturesUnknown.text}.` : 'No feature use recorded in this range.'} />
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

/** A figure of a version: its value (or why there is none) and its change against the version before. */
function FigureCell(props: { figure: VersionFigure; format: (v: number) => string }) {
  const f = props.figure;
  const c = f.change;
  if (f.unknown) {
    return (
      <td className="num cell-unknown" data-unknown="true">
        {f.unknown.text}
      </td>
    );
  }
  return (
    <td className="num">
      {props.format(f.value)}
      {c ? (
        <span className={`delta${c.significant ? ` delta-sig ${c.worse ? 'delta-worse' : 'delta-better'}` : ''}`} title={`against ${c.against}; p = ${c.pValue.toPrecision(2)}`}>
          {fmt.change(c)}
        </span>
      ) : null}
    </td>
  );
}

function KnownCell(props: { value: Known }) {
  const k = props.value;
  return k.unknown ? <td className="num cell-unknown">{k.unknown.text}</td> : <td className="num">{fmt.count(k.value)}</td>;
}

const COLUMNS: { key: keyof Pick<VersionRow, 'errorRate' | 'crashFreeSessions' | 'apiLatencyP95' | 'llmTimeToFirstTokenP95' | 'memoryP95' | 'loadTimeP95'>; label: string; format: (v: number) => string }[] = [
  { key: 'crashFreeSessions', label: 'Crash-free sessions', format: (v) => fmt.percent(v) },
  { key: 'errorRate', label: 'Error rate', format: (v) => fmt.percent(v, 2) },
  { key: 'apiLatencyP95', label: 'API latency p95', format: fmt.ms },
  { key: 'llmTimeToFirstTokenP95', label: 'First token p95', format: fmt.ms },
  { key: 'memoryP95', label: 'Memory p95', format: fmt.bytes },
  { key: 'loadTimeP95', label: 'Load time p95', format: fmt.ms },
];

export function ByVersion(props: { data: DashboardData }) {
  const rows = props.data.byVersion;
  return (
    <Section
      title="By app version"
      description="Every version in the range, newest first, whatever the filter. Under each figure: its change against the version below it, marked significant when the release gate's test finds it so."
    >
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
                {COLUMNS.map((c) => (
                  <th key={c.key} scope="col" className="num">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.version} className={r.version === props.data.appVersion ? 'row-selected' : undefined} aria-current={r.version === props.data.appVersion ? 'true' : undefined}>
                  <th scope="row" className="mono">
                    {r.version}
                    {r.version === props.data.appVersion ? <span className="muted"> (shown above)</span> : null}
                  </th>
                  <td className="num">{fmt.count(r.events)}</td>
                  <KnownCell value={r.sessions} />
                  {COLUMNS.map((c) => (
                    <FigureCell key={c.key} figure={r[c.key]} format={c.format} />
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
