// Where the upload queue stands: is the device online, what waits, since when, what happened last.
import type { ReactNode } from 'react';
import { Section } from '../../components/Section';
import * as fmt from '../../format/format';
import type { Diagnostics } from '../../transport/contract';

function syncStatus(s: Diagnostics['sync']): { text: string; tone: 'ok' | 'warn' | 'bad' } {
  if (s.endpoint === null) return { text: 'Not configured', tone: 'warn' };
  if (s.paused) return { text: `Paused: ${s.paused}`, tone: 'bad' };
  if (!s.online) return { text: 'Offline', tone: 'warn' };
  if (s.inFlight) return { text: 'Sending', tone: 'ok' };
  if (s.lastError && s.pending > 0) return { text: 'Retrying', tone: 'warn' };
  return { text: 'Online', tone: 'ok' };
}

function Item(props: { term: string; children: ReactNode; testId?: string }) {
  return (
    <div className="dl-item">
      <dt>{props.term}</dt>
      <dd data-testid={props.testId}>{props.children}</dd>
    </div>
  );
}

/** Why nothing is being sent right now, in a sentence a person can act on. */
export function whyWaiting(d: Diagnostics): string {
  const s = d.sync;
  const dead = d.health.queue.deadLettered;
  const refused = dead > 0 ? ` ${fmt.count(dead)} ${dead === 1 ? 'event was' : 'events were'} refused by the server (below: Refused by the server).` : '';
  switch (s.waiting) {
    case 'sending':
      return `Sending a batch now.${refused}`;
    case 'idle':
      return `Nothing to send: every shared event has been delivered.${refused}`;
    case 'interval':
      return `Waiting for the next regular upload (less than a full batch is pending).${refused}`;
    case 'backoff':
      return `The last attempt failed${s.lastError ? ` (${s.lastError})` : ''}; retrying after a pause that grows with each failure (attempt ${fmt.count(s.attempt)}).${refused}`;
    case 'retry_after':
      return `The server asked to wait before the next attempt${s.lastError ? ` (${s.lastError})` : ''}.${refused}`;
    case 'offline':
      return `Offline${s.offlineSince !== null ? ` since ${fmt.time(s.offlineSince)} (${fmt.relative(s.offlineSince, d.now)})` : ''}: events wait on this device and are sent when the network is back.${refused}`;
    case 'paused':
      return `Paused: ${s.paused ?? 'uploads are off'}. Nothing is sent until the configuration changes.${refused}`;
    default:
      return `Stopped.${refused}`;
  }
}

function nextAttempt(d: Diagnostics): string {
  const s = d.sync;
  if (d.health.queue.pending === 0) return 'When there is something to send';
  if (s.waiting === 'offline') return 'When the network is back';
  if (s.waiting === 'paused' || s.waiting === 'stopped') return 'Not scheduled';
  if (s.waiting === 'sending') return 'In progress';
  if (s.nextAttemptAt === null) return 'Not scheduled';
  return s.nextAttemptAt <= d.now ? 'Due now' : `${fmt.relative(s.nextAttemptAt, d.now)} (${fmt.time(s.nextAttemptAt)})`;
}

export function SyncState(props: { d: Diagnostics }) {
  const { sync, health, now } = props.d;
  const q = health.queue;
  const status = syncStatus(sync);
  return (
    <Section title="Sync" description={sync.endpoint ? <span className="mono">{sync.endpoint}</span> : 'No collector endpoint: everything stays on this device.'}>
      <p className="sync-why" data-testid="sync-why">
        {whyWaiting(props.d)}
      </p>
      {props.d.clockNote ? <p className="muted">Times below are on the demo's clock: {props.d.clockNote}.</p> : null}
      <dl className="dl">
        <Item term="Status">
          <span className={`pill pill-${status.tone}`} data-testid="sync-status">
            {status.text}
          </span>
        </Item>
        <Item term="Offline since">{sync.offlineSince === null ? (sync.online ? 'Online' : fmt.NONE) : `${fmt.time(sync.offlineSince)} (${fmt.relative(sync.offlineSince, now)})`}</Item>
        <Item term="Pending" testId="pending">
          {fmt.count(q.pending)} {q.pending === 1 ? 'event' : 'events'} · {fmt.bytes(q.pendingBytes)}
          {q.oldestPendingTs !== null ? `, the oldest recorded ${fmt.relative(q.oldestPendingTs, now)}` : ''}
        </Item>
        <Item term="Last success">{sync.lastSuccessAt === null ? 'Never' : `${fmt.relative(sync.lastSuccessAt, now)} (${fmt.time(sync.lastSuccessAt)})`}</Item>
        <Item term="Last error" testId="last-error">
          {sync.lastError ? (
            <>
              <span className="text-bad">{sync.lastError}</span>
              {sync.lastErrorAt !== null ? `, ${fmt.relative(sync.lastErrorAt, now)}` : ''}
              {sync.attempt > 0 ? ` · ${fmt.count(sync.attempt)} failed ${sync.attempt === 1 ? 'attempt' : 'attempts'} in a row` : ' · sent fine since'}
            </>
          ) : (
            'None'
          )}
        </Item>
        <Item term="Next attempt">{nextAttempt(props.d)}</Item>
      </dl>
    </Section>
  );
}

export function StorageState(props: { d: Diagnostics }) {
  const h = props.d.health;
  const q = h.queue;
  return (
    <Section title="Storage" description={h.storage === 'file' ? 'SQLite file on this device.' : 'In memory only: the database file could not be used (see incidents).'}>
      <dl className="dl">
        <Item term="Events stored" testId="rows">
          {fmt.count(h.rows)} · {fmt.bytes(h.bytes)}
        </Item>
        <Item term="Kept on device only">{fmt.count(q.localOnly)}</Item>
        <Item term="Sent">{fmt.count(q.sent)}</Item>
        <Item term="Refused by the server">{fmt.count(q.deadLettered)}</Item>
        <Item term="In write buffer">{fmt.count(h.buffered)}</Item>
        <Item term="Last storage error">{h.lastStorageError ? <span className="text-bad">{h.lastStorageError}</span> : 'None'}</Item>
        <Item term="Last invalid event">{h.lastInvalid ? `${h.lastInvalid.event_type}: ${h.lastInvalid.issue}` : 'None'}</Item>
      </dl>
      {h.incidents.length > 0 ? (
        <>
          <h3 className="subhead">Incidents</h3>
          <ul className="plain-list">
            {h.incidents.map((i, n) => (
              <li key={n}>
                {fmt.time(i.at)} · <strong>{i.kind}</strong> · {i.detail}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Section>
  );
}
