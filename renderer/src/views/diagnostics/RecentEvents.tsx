// The raw event log, newest first, with filters and the stored (scrubbed) JSON of each row.
import { Fragment, useEffect, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { JsonBlock } from '../../components/JsonBlock';
import { Section } from '../../components/Section';
import * as fmt from '../../format/format';
import { eventQuery, RECENT_EVENTS_LIMIT, useApp } from '../../store/app-store';
import { getBridge } from '../../transport/connection';
import { usePolling } from '../../store/use-polling';
import { CATEGORIES, EVENT_TYPES, type Category, type EventType, type StoredEvent } from '../../transport/contract';

const STATE_WORDS: Record<StoredEvent['upload_state'], { text: string; tone: string }> = {
  local: { text: 'on device', tone: 'neutral' },
  pending: { text: 'pending', tone: 'warn' },
  sent: { text: 'sent', tone: 'ok' },
  dead_letter: { text: 'refused', tone: 'bad' },
};

function Filters() {
  const f = useApp((s) => s.eventFilter);
  const setFilter = useApp((s) => s.setEventFilter);
  return (
    <form className="filters" role="search" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
      <Field label="Type">
        {(id) => (
          <select id={id} value={f.type} onChange={(e) => setFilter({ type: e.target.value as EventType | '' })}>
            <option value="">All types</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Category">
        {(id) => (
          <select id={id} value={f.category} onChange={(e) => setFilter({ category: e.target.value as Category | '' })}>
            <option value="">All categories</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Name">
        {(id) => (
          <input id={id} type="text" value={f.name} placeholder="e.g. llm.inference" spellCheck={false} maxLength={64} onChange={(e) => setFilter({ name: e.target.value })} />
        )}
      </Field>
      <Field label="Text" grow>
        {(id) => (
          <input id={id} type="search" value={f.text} placeholder="Search names and fields" spellCheck={false} maxLength={200} onChange={(e) => setFilter({ text: e.target.value })} />
        )}
      </Field>
    </form>
  );
}

export function RecentEvents() {
  const events = useApp((s) => s.events);
  const filter = useApp((s) => s.eventFilter);
  const refreshEvents = useApp((s) => s.refreshEvents);
  usePolling(refreshEvents, `events|${filter.type}|${filter.category}|${filter.name}|${filter.text}`);
  const [open, setOpen] = useState<Set<string>>(new Set());
  // Older pages, fetched on request below the live newest page (which the poll keeps current).
  const [older, setOlder] = useState<StoredEvent[]>([]);
  const [olderState, setOlderState] = useState<'idle' | 'loading' | 'end' | string>('idle');
  useEffect(() => {
    setOlder([]);
    setOlderState('idle');
  }, [filter]);
  const newest = events.data ?? [];
  const oldestNewest = newest.length > 0 ? newest[newest.length - 1]!.rowid : Infinity;
  const rows = [...newest, ...older.filter((r) => r.rowid < oldestNewest)];

  async function loadOlder() {
    const before = rows.length > 0 ? rows[rows.length - 1]!.rowid : undefined;
    if (before === undefined) return;
    setOlderState('loading');
    try {
      const page = await getBridge().recentEvents({ limit: RECENT_EVENTS_LIMIT, beforeRowid: before, ...eventQuery(filter) });
      setOlder((o) => [...o, ...page]);
      setOlderState(page.length < RECENT_EVENTS_LIMIT ? 'end' : 'idle');
    } catch (e) {
      setOlderState(`Could not load older events: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const filtered = filter.type || filter.category || filter.name.trim() || filter.text.trim();

  function toggle(id: string) {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  }

  return (
    <Section title="Recent events" description={`Newest first, ${RECENT_EVENTS_LIMIT} at a time (older ones below, on request). Exactly as stored, after scrubbing.`}>
      <Filters />
      {events.error && !events.data ? <EmptyState title="Could not load events." tone="error">{events.error}</EmptyState> : null}
      {events.data && rows.length === 0 ? <EmptyState title={filtered ? 'No stored event matches these filters.' : 'No events stored on this device.'} /> : null}
      {rows.length > 0 ? (
        // The log scrolls inside its own box (header kept in view), so the cards above stay in reach.
        <div className="table-wrap table-scroll" tabIndex={0} role="region" aria-label="Recent events, scrollable">
          <table className="table events-table" aria-label="Recent events">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Type</th>
                <th scope="col">Category</th>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">JSON</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const isOpen = open.has(r.event.id);
                const st = STATE_WORDS[r.upload_state];
                return (
                  <Fragment key={r.event.id}>
                    <tr>
                      <td className="nowrap">{fmt.time(r.event.timestamp)}</td>
                      <td>{r.event.event_type}</td>
                      <td>{r.category}</td>
                      <td className="mono">{r.event.name}</td>
                      <td>
                        <span className={`pill pill-${st.tone}`}>{st.text}</span>
                      </td>
                      <td className="num">
                        <button type="button" className="button button-small" aria-expanded={isOpen} aria-controls={`json-${r.event.id}`} onClick={() => toggle(r.event.id)}>
                          {isOpen ? 'Hide JSON' : 'JSON'}
                          <span className="sr-only"> of {r.event.name}</span>
                        </button>
                      </td>
                    </tr>
                    {isOpen ? (
                      <tr id={`json-${r.event.id}`} className="json-row">
                        <td colSpan={6}>
                          {'stack_trace' in r.event && typeof r.event.stack_trace === 'string' ? (
                            <pre className="stack-trace" aria-label={`Stack trace of ${r.event.name}`} tabIndex={0}>
                              {r.event.stack_trace}
                            </pre>
                          ) : null}
                          <JsonBlock value={r.event} label={`Stored JSON of ${r.event.name}`} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {rows.length > 0 ? (
        <div className="events-more">
          <span className="muted" data-testid="events-shown">
            {fmt.count(rows.length)} events shown, back to {fmt.time(rows[rows.length - 1]!.event.timestamp)}
          </span>
          {olderState === 'end' || newest.length < RECENT_EVENTS_LIMIT ? (
            <span className="muted">No older events.</span>
          ) : (
            <button type="button" className="button button-small" disabled={olderState === 'loading'} onClick={() => void loadOlder()}>
              {olderState === 'loading' ? 'Loading…' : `Show ${RECENT_EVENTS_LIMIT} older events`}
            </button>
          )}
          {olderState !== 'idle' && olderState !== 'loading' && olderState !== 'end' ? <span className="text-bad">{olderState}</span> : null}
        </div>
      ) : null}
    </Section>
  );
}
