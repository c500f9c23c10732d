// Log search over error messages and stack traces: every word must match; filters by version, OS,
// event type and group; a histogram of every match over time; results newest first, each with its
// raw JSON.
import { useState, type FormEvent } from 'react';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Field } from '../../../renderer/src/components/Field';
import { JsonBlock } from '../../../renderer/src/components/JsonBlock';
import { Section } from '../../../renderer/src/components/Section';
import { useColorScheme } from '../../../renderer/src/components/use-color-scheme';
import { PALETTES } from '../../../renderer/src/views/dashboard/palette';
import type { LogResult } from '../../../src/console/api-types';
import { query, useApi } from '../api';
import { ChartFigure } from '../charts/ChartFigure';
import { day, fmt } from '../format';
import { Load } from '../Loading';

interface Filters {
  q: string;
  version: string;
  os: string;
  kind: string;
  group: string;
}

export function LogSearchView(props: { days: number; versions: string[] }) {
  const [draft, setDraft] = useState<Filters>({ q: '', version: '', os: '', kind: '', group: '' });
  const [applied, setApplied] = useState<Filters>(draft);
  const loaded = useApi<LogResult>(query('/api/logs', { days: props.days, ...applied }));
  const p = PALETTES[useColorScheme()];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(draft);
  };
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  return (
    <div className="stack">
      <Section title="Log search" description="Full text over error and crash messages, stack traces and codes in the fleet store. Every word must appear (case does not matter).">
        <form className="filters" role="search" aria-label="Search errors and crashes" onSubmit={submit}>
          <Field label="Words" grow>{(id) => <input id={id} type="search" value={draft.q} onChange={set('q')} placeholder="e.g. timed out callTool" />}</Field>
          <Field label="Version">
            {(id) => (
              <select id={id} value={draft.version} onChange={set('version')}>
                <option value="">Any</option>
                {props.versions.map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
            )}
          </Field>
          <Field label="OS">
            {(id) => (
              <select id={id} value={draft.os} onChange={set('os')}>
                <option value="">Any</option>
                {['win32-x64', 'darwin-arm64', 'darwin-x64', 'linux-x64'].map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
            )}
          </Field>
          <Field label="Event type">
            {(id) => (
              <select id={id} value={draft.kind} onChange={set('kind')}>
                <option value="">Errors and crashes</option>
                <option value="error">Errors</option>
                <option value="crash">Crashes</option>
              </select>
            )}
          </Field>
          <Field label="Group">{(id) => <input id={id} type="text" value={draft.group} onChange={set('group')} placeholder="fingerprint" size={18} />}</Field>
          <button className="button button-primary" type="submit">Search</button>
        </form>
        <Load loaded={loaded} what="the matches">
          {(r) => (
            <>
              <p role="status" data-field="total">
                {fmt.count(r.total)} {r.total === 1 ? 'match' : 'matches'} in {r.tookMs} ms{r.total > r.hits.length ? `, the newest ${r.hits.length} shown` : ''}.
              </p>
              <ChartFigure title="Matches over time" summary={`${r.total} matches in ${r.histogram.length} ${r.bucketMs >= 86_400_000 ? 'days' : 'hours'}`}>
                <ResponsiveContainer width="100%" height={140}>
                  <BarChart data={r.histogram} barCategoryGap={1} accessibilityLayer={false}>
                    <XAxis dataKey="t" tickFormatter={day} stroke={p.axis} tick={{ fill: p.axis, fontSize: 12 }} minTickGap={24} />
                    <YAxis stroke={p.axis} tick={{ fill: p.axis, fontSize: 12 }} width={40} allowDecimals={false} />
                    <Tooltip isAnimationActive={false} labelFormatter={(t) => (typeof t === 'number' ? fmt.time(t) : String(t))} contentStyle={{ background: p.tooltipBg, border: `1px solid ${p.tooltipBorder}`, color: p.text }} />
                    <Bar isAnimationActive={false} dataKey="count" name="matches" fill={p.errors} />
                  </BarChart>
                </ResponsiveContainer>
              </ChartFigure>
            </>
          )}
        </Load>
      </Section>
      <Load loaded={loaded} what="the results">
        {(r) =>
          r.hits.length === 0 ? (
            <Section title="Results">
              <p className="muted">Nothing matches. Fewer words, another window, or no filter may find it.</p>
            </Section>
          ) : (
            <Section title="Results" description="Newest first. Open one for its raw event.">
              <ul className="event-list" aria-label="Matching events">
                {r.hits.map((h) => (
                  <li key={h.id} data-hit={h.id}>
                    <details>
                      <summary>
                        <span className="nowrap">{fmt.time(h.ts)}</span> · <span className={`pill ${h.kind === 'crash' ? 'pill-bad' : ''}`}>{h.kind}</span> {h.message} <span className="muted">· {h.version} · {h.os}</span>
                      </summary>
                      <p>
                        Group <a href={`#/development/issues/${h.group}`}>{h.group}</a>
                      </p>
                      <JsonBlock value={h.raw} label={`Raw event ${h.id}`} />
                    </details>
                  </li>
                ))}
              </ul>
            </Section>
          )
        }
      </Load>
    </div>
  );
}
