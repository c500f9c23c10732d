// Release health per version: crash-free sessions and devices, adoption, error rate.
import { Section } from '../../../renderer/src/components/Section';
import type { VersionHealth } from '../../../src/console/api-types';
import { query, useApi } from '../api';
import { fmt } from '../format';
import { Load } from '../Loading';

export function ReleasesView(props: { days: number }) {
  const loaded = useApi<VersionHealth[]>(query('/api/releases', { days: props.days }));
  return (
    <Section title="Release health" description="Per version, sessions that started in the window. Adoption: share of the last 24 hours' sessions and devices. (The release monitor's verdicts and alert rules join here when the alerting module lands.)">
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
