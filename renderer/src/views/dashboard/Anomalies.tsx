// What the analyzer's streaming watcher found unusual in this device's own hourly numbers (the
// reports' anomalies): each row says what, since when, the value against what was expected and how
// sure, with the watcher's sentence for the rest.
import { EmptyState } from '../../components/EmptyState';
import { Section } from '../../components/Section';
import type { DashboardData } from '../../transport/contract';

export function Anomalies(props: { data: DashboardData }) {
  const rows = props.data.anomalies;
  return (
    <Section title="Anomalies" description="Hours that stood out from what the two weeks before made usual on this device.">
      {rows.length === 0 ? (
        <EmptyState title="Nothing unusual in this range." />
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Anomalies">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Since</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col" className="num">
                  Expected
                </th>
                <th scope="col">How sure</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.at}|${r.what}`}>
                  <th scope="row">{r.when}</th>
                  <td>
                    <strong>{r.what}</strong>
                    <p className="muted anomaly-explanation">{r.explanation}</p>
                  </td>
                  <td>{r.since}</td>
                  <td className="num">{r.value}</td>
                  <td className="num">{r.expected}</td>
                  <td>{r.howSure}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
