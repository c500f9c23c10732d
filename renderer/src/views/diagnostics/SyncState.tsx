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

export function SyncState(props: { d: Diagnostics }) {
  const { sync, health, now } = props.d;
  const q = health.queue;
  const status = syncStatus(sync);
  return (
    <Section title="Sync" description={sync.endpoint ? <span className="mono">{sync.endpoint}</span> : 'No collector endpoint: everything stays on this device.'}>
      <dl className="dl">
        <Item term="Status">
          <span className={`pill pill-${status.tone}`} data-testid="sync-status">
            {status.text}
          </span>
        </Item>
        <Item term="Pending" testId="pending">
          {fmt.count(q.pending)} {q.pending === 1 ? 'event' : 'events'} · {fmt.bytes(q.pendingBytes)}
        </Item>
        <Item term="Oldest pending">{q.oldestPendingTs === null ? fmt.NONE : fmt.relative(q.oldestPendingTs, now)}</Item>
        <Item term="Last success">{sync.lastSuccessAt === null ? 'Never' : fmt.relative(sync.lastSuccessAt, now)}</Item>
        <Item term="Next attempt">{q.pending === 0 ? 'When there is something to send' : sync.nextAttemptAt === null || sync.nextAttemptAt <= now ? 'Now' : fmt.relative(sync.nextAttemptAt, now)}</Item>
        <Item term="Attempt">{sync.attempt === 0 ? fmt.NONE : fmt.count(sync.attempt)}</Item>
        <Item term="Last error">{sync.lastError ? <span className="text-bad">{sync.lastError}</span> : 'None'}</Item>
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
        <Item term="Refused by server">{fmt.count(q.deadLettered)}</Item>
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
