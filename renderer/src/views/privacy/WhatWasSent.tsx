// "What was sent": every upload attempt of late (when, how many events, how many bytes on the wire,
// which categories, what happened), and the scrubbed JSON of each event that was sent.
import { EmptyState } from '../../components/EmptyState';
import { JsonBlock } from '../../components/JsonBlock';
import { Section } from '../../components/Section';
import * as fmt from '../../format/format';
import { useApp } from '../../store/app-store';
import type { UploadLogEntry } from '../../transport/contract';

/** Sent events listed with their JSON; more than this would be a wall no one reads (Export has all). */
const SENT_EVENTS_SHOWN = 50;

const OUTCOME: Record<UploadLogEntry['outcome'], string> = {
  sent: 'Sent',
  partial: 'Partly sent',
  retry: 'Will retry',
  dead_letter: 'Refused',
  paused: 'Paused',
  split: 'Split in two',
};

export function WhatWasSent(props: { anyShared: boolean }) {
  const uploads = useApp((s) => s.uploads);
  const sent = useApp((s) => s.sentEvents);
  const list = uploads.data ?? [];
  const sentEvents = sent.data ?? [];
  const totalSent = list.filter((u) => u.kind === 'events').reduce((n, u) => n + u.accepted + u.duplicates, 0);

  return (
    <Section
      title="What was sent"
      description={props.anyShared ? 'Uploads happen in the background, only for categories set to Share.' : 'Nothing is sent while no category is set to Share.'}
    >
      {uploads.error && !uploads.data ? <EmptyState title="Could not load the upload log." tone="error">{uploads.error}</EmptyState> : null}
      {uploads.data && list.length === 0 ? <EmptyState title="Nothing has been sent from this device." /> : null}
      {list.length > 0 ? (
        <>
          <p className="muted" data-testid="sent-total">
            {fmt.count(totalSent)} {totalSent === 1 ? 'event' : 'events'} accepted by the server in the uploads below.
          </p>
          <div className="table-wrap">
            <table className="table" aria-label="Recent uploads">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">What</th>
                  <th scope="col" className="num">Events</th>
                  <th scope="col" className="num">Bytes</th>
                  <th scope="col">Categories</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {list.map((u, i) => (
                  <tr key={`${u.at}-${i}`}>
                    <td>{fmt.time(u.at)}</td>
                    <td>{u.kind === 'events' ? 'Events' : 'Deletion request'}</td>
                    <td className="num">{fmt.count(u.events)}</td>
                    <td className="num">{fmt.bytes(u.wire_bytes)}</td>
                    <td>{u.categories.length ? u.categories.join(', ') : '—'}</td>
                    <td>
                      <span className={`pill pill-${u.outcome === 'sent' ? 'ok' : u.outcome === 'dead_letter' ? 'bad' : 'warn'}`}>{OUTCOME[u.outcome]}</span>
                      {u.detail ? <span className="muted"> {u.detail}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      <h3 className="subhead">Events sent</h3>
      {sent.data && sentEvents.length === 0 ? <p className="muted">No event stored on this device is marked as sent.</p> : null}
      <ul className="event-list" aria-label="Events sent">
        {sentEvents.slice(0, SENT_EVENTS_SHOWN).map((r) => (
          <li key={r.event.id}>
            <details>
              <summary>
                <span className="mono">{r.event.name}</span> <span className="muted">· {r.category} · {fmt.time(r.event.timestamp)}</span>
              </summary>
              <JsonBlock value={r.event} label={`Event ${r.event.name} as sent`} />
            </details>
          </li>
        ))}
      </ul>
      {sentEvents.length > SENT_EVENTS_SHOWN ? <p className="muted">Showing the newest {SENT_EVENTS_SHOWN} of {sentEvents.length}. Export my data has every one.</p> : null}
    </Section>
  );
}
