// Feature usage: uses, devices, time spent, adoption over time, abandonment (used once, never again)
// and avoidance (most devices that could use it never do).
import { Section } from '../../../renderer/src/components/Section';
import type { FeatureUsageReport } from '../../../src/console/api-types';
import { query, useApi } from '../api';
import { Sparkline } from '../charts/Sparkline';
import { day, fmt } from '../format';
import { Load } from '../Loading';

export function FeaturesView(props: { days: number }) {
  const loaded = useApi<FeatureUsageReport>(query('/api/features', { days: props.days }));
  return (
    <Section title="Features" description="Abandoned: used once, then 3 or more sessions without it. Avoided: 90% or more of the devices on the versions that have it never used it.">
      <Load loaded={loaded} what="feature usage">
        {(r) =>
          r.features.length === 0 ? (
            <p className="muted">No feature was used in this window.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" aria-label="Feature usage">
                <thead>
                  <tr>
                    <th scope="col">Feature</th>
                    <th scope="col" className="num">Uses</th>
                    <th scope="col" className="num">Devices</th>
                    <th scope="col" className="num">Device share</th>
                    <th scope="col" className="num">Time spent</th>
                    <th scope="col" className="num">Abandonment</th>
                    <th scope="col" className="num">Never used by</th>
                    <th scope="col">First used</th>
                    <th scope="col">Devices per day</th>
                  </tr>
                </thead>
                <tbody>
                  {r.features.map((f) => (
                    <tr key={f.feature} data-feature={f.feature}>
                      <th scope="row">
                        {f.feature} {f.abandonmentRate !== null && f.abandonmentRate >= 0.5 ? <span className="pill pill-bad">abandoned</span> : null} {f.avoided ? <span className="pill pill-warn">avoided</span> : null}
                      </th>
                      <td className="num">{fmt.count(f.uses)}</td>
                      <td className="num" data-field="devices">{fmt.count(f.devices)}</td>
                      <td className="num">{fmt.percent(f.deviceShare, 0)}</td>
                      <td className="num">{fmt.duration(f.timeSpentSeconds * 1000)}</td>
                      <td className="num" data-field="abandonment">{fmt.percent(f.abandonmentRate, 0)}</td>
                      <td className="num" data-field="avoidance">{fmt.percent(f.avoidance, 0)}</td>
                      <td className="nowrap">{day(f.firstUsed)}</td>
                      <td>
                        <Sparkline values={f.dailyDevices} label={`devices using ${f.feature} per day`} />
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
