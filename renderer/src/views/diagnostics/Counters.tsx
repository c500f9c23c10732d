// Loss is data: every drop and eviction the core counted, by reason, and the events the collector
// refused for good (dead letters).
import { EmptyState } from '../../components/EmptyState';
import { JsonBlock } from '../../components/JsonBlock';
import { Section } from '../../components/Section';
import * as fmt from '../../format/format';
import type { Diagnostics } from '../../transport/contract';

const DROP_WORDS: Record<string, string> = {
  consent_off: 'category off (this run)',
  invalid_name: 'invalid name',
  invalid_fields: 'invalid fields',
  closed: 'after shutdown',
  buffer_full: 'write buffer full',
};
const CAP_WORDS: Record<string, string> = { rows_cap: 'row limit', bytes_cap: 'size limit', age: 'too old' };

function describe(key: string): string {
  const [kind, a, b] = key.split('.');
  if (kind === 'dropped' && a) return `Dropped: ${DROP_WORDS[a] ?? a}`;
  if (kind === 'evicted' && a) return `Evicted: ${CAP_WORDS[a] ?? a}${b ? ` (${b})` : ''}`;
  return key;
}

export function LossCounters(props: { d: Diagnostics }) {
  const entries = Object.entries(props.d.health.counters)
    .filter(([k, v]) => (k.startsWith('dropped.') || k.startsWith('evicted.')) && v > 0)
    .sort(([a], [b]) => a.localeCompare(b));
  const other = Object.entries(props.d.health.counters)
    .filter(([k]) => !k.startsWith('dropped.') && !k.startsWith('evicted.'))
    .sort(([a], [b]) => a.localeCompare(b));
  return (
    <Section title="Drops and evictions" description="Events that never reached the store, or were removed to keep it within its limits.">
      {entries.length === 0 ? (
        <p className="muted">None counted.</p>
      ) : (
        <table className="table compact" aria-label="Drops and evictions by reason">
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{describe(k)}</th>
                <td className="num">{fmt.count(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {other.length > 0 ? (
        <details className="more">
          <summary>Other counters</summary>
          <table className="table compact" aria-label="Other counters">
            <tbody>
              {other.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row" className="mono">
                    {k}
                  </th>
                  <td className="num">{fmt.count(v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </Section>
  );
}

export function DeadLetters(props: { d: Diagnostics }) {
  const list = props.d.deadLetters;
  return (
    <Section title="Refused events" description="Events the collector refused for good (dead letters). They are kept here, never retried.">
      {list.length === 0 ? (
        <EmptyState title="No refused events." />
      ) : (
        <ul className="event-list">
          {list.map((x) => (
            <li key={x.event_id}>
              <details>
                <summary>
                  <span className="mono">{x.event?.name ?? x.event_id}</span>{' '}
                  <span className="muted">
                    · HTTP {x.status} · {x.reason} · {fmt.time(x.at)}
                  </span>
                </summary>
                <JsonBlock value={x.event ?? { event_id: x.event_id }} label={`Refused event ${x.event_id}`} />
              </details>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
