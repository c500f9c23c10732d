// A/B tests: per experiment, each variant's units and outcome metrics, the difference from the
// control with its 95% confidence interval and p-value, and the sample-ratio-mismatch check.
import { useState } from 'react';
import { Field } from '../../../renderer/src/components/Field';
import { Section } from '../../../renderer/src/components/Section';
import type { ExperimentResult, FeatureUsageReport } from '../../../src/console/api-types';
import { query, useApi } from '../api';
import { day, fmt, pValue } from '../format';
import { Load } from '../Loading';

const pct = (v: number | null) => (v === null ? fmt.NONE : `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)} pt`);

export function ExperimentsView(props: { days: number }) {
  const features = useApi<FeatureUsageReport>(query('/api/features', { days: props.days }));
  const [goal, setGoal] = useState('');
  const loaded = useApi<ExperimentResult[]>(query('/api/experiments', { days: props.days, goal }));
  const names = features.state === 'ok' ? features.data.features.map((f) => f.feature) : [];
  return (
    <div className="stack">
      <div className="toolbar">
        <Field label="Goal feature (conversion)">
          {(id) => (
            <select id={id} value={goal} onChange={(e) => setGoal(e.target.value)}>
              <option value="">None: crash-free units only</option>
              {names.map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          )}
        </Field>
      </div>
      <Load loaded={loaded} what="the experiments">
        {(list) =>
          list.length === 0 ? (
            <Section title="Experiments">
              <p className="muted">No exposures in this window. The app records one with <code>trackExposure(experiment, variant)</code> (usage consent), choosing the variant with <code>assignVariant</code>.</p>
            </Section>
          ) : (
            list.map((x) => (
              <Section key={x.experiment} title={x.experiment} description={`Exposures ${day(x.firstExposure)} – ${day(x.lastExposure)}; units are anonymous ids in the variant of their first exposure${x.mixedUnits > 0 ? `; ${x.mixedUnits} seen in two variants left out` : ''}.`}>
                <div data-experiment={x.experiment} className="stack">
                  {x.srm.mismatch ? (
                    <div className="banner banner-error" role="alert">
                      <strong>Sample ratio mismatch.</strong> The units per variant ({x.srm.observed.join(' / ')}) are unlikely under an even split (χ² = {x.srm.chiSquare.toFixed(1)}, p = {pValue(x.srm.pValue)}): assignment or exposure logging is broken, so these results cannot be trusted.
                    </div>
                  ) : (
                    <p className="muted" data-field="srm">Sample ratio check passed: {x.srm.observed.join(' / ')} units (χ² = {x.srm.chiSquare.toFixed(2)}, p = {pValue(x.srm.pValue)}).</p>
                  )}
                  <table className="table" aria-label={`Variants of ${x.experiment}`}>
                    <thead>
                      <tr>
                        <th scope="col">Variant</th>
                        <th scope="col" className="num">Units</th>
                        <th scope="col" className="num">Conversion{x.goal ? ` to ${x.goal}` : ''}</th>
                        <th scope="col" className="num">Crash-free units</th>
                      </tr>
                    </thead>
                    <tbody>
                      {x.variants.map((v) => (
                        <tr key={v.variant} data-variant={v.variant}>
                          <th scope="row">{v.variant}{v.variant === x.control && v.variant !== 'control' ? ' (control)' : ''}</th>
                          <td className="num">{fmt.count(v.units)}</td>
                          <td className="num" data-field="conversion">{v.conversion ? `${fmt.percent(v.conversion.n ? v.conversion.successes / v.conversion.n : null)} (${v.conversion.successes}/${v.conversion.n})` : fmt.NONE}</td>
                          <td className="num">{fmt.percent(v.crashFreeUnits.n ? v.crashFreeUnits.successes / v.crashFreeUnits.n : null, 1)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <table className="table" aria-label={`Differences from control in ${x.experiment}`}>
                    <thead>
                      <tr>
                        <th scope="col">Variant vs control</th>
                        <th scope="col">Metric</th>
                        <th scope="col" className="num">Difference</th>
                        <th scope="col" className="num">95% interval</th>
                        <th scope="col" className="num">p-value</th>
                        <th scope="col">Verdict</th>
                      </tr>
                    </thead>
                    <tbody>
                      {x.comparisons.map((c) => (
                        <tr key={`${c.variant}|${c.metric}`} data-comparison={`${c.variant}|${c.metric}`}>
                          <th scope="row">{c.variant}</th>
                          <td>{c.metric}</td>
                          <td className="num" data-field="difference">{pct(c.result.difference)}</td>
                          <td className="num">{c.result.low === null ? fmt.NONE : `${pct(c.result.low)} … ${pct(c.result.high)}`}</td>
                          <td className="num">{pValue(c.result.pValue)}</td>
                          <td>{c.result.pValue === null ? <span className="pill">not enough data</span> : c.significant ? <span className="pill pill-ok">significant</span> : <span className="pill">not significant</span>}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </Section>
            ))
          )
        }
      </Load>
    </div>
  );
}
