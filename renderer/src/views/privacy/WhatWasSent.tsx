// "What was sent": every upload attempt of late (when, how many events, how many bytes on the wire,
// which categories, what happened), and the scrubbed JSON of each event that was sent.
import { JsonBlock } from '../../components/JsonBlock';
import { Section } from '../../components/Section';
import * as fmt from '../../format/format';
import { useApp } from '../../store/app-store';
import type { Category, UploadLogEntry } from '../../transport/contract';

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

const NAMES: Record<Category, string> = { usage: 'Usage', performance: 'Performance', errors: 'Errors', crashes: 'Crashes' };
const list = (xs: readonly string[]) => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)!}`);

/** One story: what is sent now (today's consent), what was sent before (the upload log, with the
 *  categories shared at the time) and what of it this device still keeps. */
export function WhatWasSent(props: { shared: Category[] }) {
  const uploads = useApp((s) => s.uploads);
  const sent = useApp((s) => s.sentEvents);
  const log = uploads.data ?? [];
  const sentEvents = sent.data ?? [];
  const eventUploads = log.filter((u) => u.kind === 'events');
  const accepted = eventUploads.reduce((n, u) => n + u.accepted + u.duplicates, 0);
  const categoriesThen = [...new Set(eventUploads.filter((u) => u.accepted + u.duplicates > 0).flatMap((u) => u.categories))].sort() as Category[];
  const oldest = log.length > 0 ? Math.min(...log.map((u) => u.at)) : null;
  const newest = log.length > 0 ? Math.max(...log.map((u) => u.at)) : null;

  return (
    <Section title="What is sent, what was sent, what is kept">
      <ul className="story" aria-label="What is sent, what was sent, what is kept">
        <li data-testid="sent-now">
          <strong>Now: </strong>
          {props.shared.length > 0
            ? `${list(props.shared.map((c) => NAMES[c]))} ${props.shared.length === 1 && (props.shared[0] === 'usage' || props.shared[0] === 'performance') ? 'is' : 'are'} set to Share: new events of ${props.shared.length === 1 ? 'it' : 'them'} are uploaded in the background. Nothing else leaves this device.`
            : 'Nothing is sent: no category is set to Share.'}
        </li>
        <li data-testid="sent-before">
          <strong>Before: </strong>
          {uploads.error && !uploads.data
            ? `the upload log could not be read (${uploads.error}).`
            : eventUploads.length === 0
              ? 'this device has not uploaded any events.'
              : `${fmt.count(accepted)} ${accepted === 1 ? 'event was' : 'events were'} accepted by the server in the ${fmt.count(log.length)} most recent uploads logged (${fmt.time(oldest)} to ${fmt.time(newest)})${categoriesThen.length ? `, of the categories shared then: ${list(categoriesThen.map((c) => NAMES[c]))}` : ''}.`}
        </li>
        <li data-testid="sent-kept">
          <strong>Kept here: </strong>
          {sentEvents.length > 0
            ? `${fmt.count(sentEvents.length)} ${sentEvents.length === 1 ? 'event' : 'events'} stored on this device ${sentEvents.length === 1 ? 'was' : 'were'} sent (listed below).`
            : accepted > 0
              ? 'none of the events sent is still stored on this device (their category was turned off, or they were deleted); the server keeps what it accepted until a deletion request reaches it.'
              : 'no event stored on this device has been sent.'}
        </li>
      </ul>
      {log.length > 0 ? (
        <details className="upload-log">
          <summary>Upload log: the {fmt.count(log.length)} most recent uploads</summary>
          <div className="table-wrap">
            <table className="table" aria-label="Recent uploads">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">What</th>
                  <th scope="col" className="num">Events</th>
                  <th scope="col" className="num">Bytes</th>
                  <th scope="col">Categories shared then</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {log.map((u, i) => (
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
        </details>
      ) : null}
      {sentEvents.length > 0 ? (
        <>
          <h3 className="subhead">Events sent, as stored here</h3>
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
        </>
      ) : null}
    </Section>
  );
}
