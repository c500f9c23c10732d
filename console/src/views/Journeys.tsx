// User journeys: the most common transitions between features within a session as a flow, and a
// funnel a person defines step by step, with conversion and drop-off.
import { useState } from 'react';
import { Field } from '../../../renderer/src/components/Field';
import { Section } from '../../../renderer/src/components/Section';
import type { FeatureUsageReport, Flow, FunnelStep } from '../../../src/console/api-types';
import { query, useApi } from '../api';
import { FlowDiagram } from '../charts/FlowDiagram';
import { fmt } from '../format';
import { Load } from '../Loading';

export function JourneysView(props: { days: number }) {
  const flow = useApi<Flow>(query('/api/flow', { days: props.days }));
  const features = useApi<FeatureUsageReport>(query('/api/features', { days: props.days }));
  const [steps, setSteps] = useState<string[]>([]);
  const [next, setNext] = useState('');
  const funnel = useApi<FunnelStep[]>(steps.length > 0 ? query('/api/funnel', { days: props.days, steps: steps.join(',') }) : null);
  const names = features.state === 'ok' ? features.data.features.map((f) => f.feature) : [];
  return (
    <div className="stack">
      <Section title="Flow between features" description="Consecutive feature uses within a session, with the session's start and end; arrows as wide as their counts.">
        <Load loaded={flow} what="the flow">
          {(f) =>
            f.transitions.length === 0 ? (
              <p className="muted">No sessions used a feature in this window.</p>
            ) : (
              <>
                <div className="flow-wrap">
                  <FlowDiagram flow={f} />
                </div>
                <details className="more">
                  <summary>The {f.transitions.length} most common transitions as a table</summary>
                  <table className="table compact" aria-label="Transitions between features">
                    <thead>
                      <tr>
                        <th scope="col">From</th>
                        <th scope="col">To</th>
                        <th scope="col" className="num">Count</th>
                        <th scope="col" className="num">Share of leaving</th>
                      </tr>
                    </thead>
                    <tbody>
                      {f.transitions.map((t) => (
                        <tr key={`${t.from}>${t.to}`} data-transition={`${t.from}>${t.to}`}>
                          <th scope="row">{t.from}</th>
                          <td>{t.to}</td>
                          <td className="num" data-field="count">{fmt.count(t.count)}</td>
                          <td className="num">{fmt.percent(t.share, 0)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              </>
            )
          }
        </Load>
      </Section>
      <Section title="Funnel" description="Sessions that reach each step in order (other features may come between).">
        <div className="toolbar">
          <Field label="Next step">
            {(id) => (
              <select id={id} value={next} onChange={(e) => setNext(e.target.value)}>
                <option value="">Choose a feature…</option>
                {names.map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
            )}
          </Field>
          <button className="button" type="button" disabled={next === '' || steps.length >= 8} onClick={() => { setSteps([...steps, next]); setNext(''); }}>
            Add step
          </button>
          <button className="button" type="button" disabled={steps.length === 0} onClick={() => setSteps([])}>
            Clear
          </button>
        </div>
        {steps.length === 0 ? (
          <p className="muted">Add the first step to see how many sessions reach it and each one after.</p>
        ) : (
          <Load loaded={funnel} what="the funnel">
            {(f) => (
              <table className="table" aria-label="Funnel">
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col" className="num">Sessions</th>
                    <th scope="col" className="num">Conversion</th>
                    <th scope="col" className="num">Drop-off</th>
                    <th scope="col">Reached</th>
                  </tr>
                </thead>
                <tbody>
                  {f.map((s, i) => (
                    <tr key={`${i}-${s.feature}`} data-step={s.feature}>
                      <th scope="row">{i + 1}. {s.feature}</th>
                      <td className="num" data-field="sessions">{fmt.count(s.sessions)}</td>
                      <td className="num" data-field="conversion">{fmt.percent(s.conversion, 0)}</td>
                      <td className="num">{fmt.percent(s.dropOff, 0)}</td>
                      <td className="bar-cell" aria-hidden="true">
                        <span className="funnel-bar" style={{ width: `${Math.round((s.conversion ?? 0) * 100)}%` }} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Load>
        )}
      </Section>
    </div>
  );
}
