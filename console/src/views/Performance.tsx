// Performance by component: percentiles per LLM provider and model, per MCP server and tool, and per
// operation, one row per version so a regression shows as one version's row.
import { Section } from '../../../renderer/src/components/Section';
import type { ComponentRow } from '../../../src/console/api-types';
import { query, useApi } from '../api';
import { fmt } from '../format';
import { Load } from '../Loading';

const TITLES: Record<ComponentRow['kind'], [string, string]> = {
  llm: ['LLM providers and models', 'From the provider and model each LLM event names.'],
  mcp: ['MCP servers and tools', 'From the server and tool each tool call names.'],
  operation: ['Operations', 'Every measure, from the hourly rollups.'],
};

const value = (r: ComponentRow, v: number | null) => (r.unit === 'tokens/s' ? fmt.perSecond(v, 'tokens') : r.unit === 'bytes' ? fmt.bytes(v) : fmt.ms(v));

export function PerformanceView(props: { days: number }) {
  const loaded = useApi<ComponentRow[]>(query('/api/components', { days: props.days }));
  return (
    <Load loaded={loaded} what="performance">
      {(rows) => (
        <div className="stack">
          {(['llm', 'mcp', 'operation'] as const).map((kind) => {
            const mine = rows.filter((r) => r.kind === kind);
            return (
              <Section key={kind} title={TITLES[kind][0]} description={TITLES[kind][1]}>
                {mine.length === 0 ? (
                  <p className="muted">No measurements in this window.</p>
                ) : (
                  <div className="table-wrap">
                    <table className="table compact" aria-label={TITLES[kind][0]}>
                      <thead>
                        <tr>
                          <th scope="col">Component</th>
                          <th scope="col">Metric</th>
                          <th scope="col">Version</th>
                          <th scope="col" className="num">Count</th>
                          <th scope="col" className="num">p50</th>
                          <th scope="col" className="num">p95</th>
                          <th scope="col" className="num">p99</th>
                        </tr>
                      </thead>
                      <tbody>
                        {mine.map((r) => (
                          <tr key={`${r.component}|${r.metric}|${r.version}`} data-component={r.component} data-version={r.version} data-metric={r.metric}>
                            <th scope="row">{r.component}</th>
                            <td>{r.metric}</td>
                            <td>{r.version}</td>
                            <td className="num">{fmt.count(r.count)}</td>
                            <td className="num">{value(r, r.p50)}</td>
                            <td className="num" data-field="p95">{value(r, r.p95)}</td>
                            <td className="num">{value(r, r.p99)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </Section>
            );
          })}
        </div>
      )}
    </Load>
  );
}
