// Local aggregates of what this device recorded: tiles, charts and breakdowns for a time range and
// app version. Empty states say why there is nothing: collection off, or just nothing yet.
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { Segmented } from '../../components/Segmented';
import { useApp } from '../../store/app-store';
import { usePolling } from '../../store/use-polling';
import { CATEGORIES, type TimeRange } from '../../transport/contract';
import { Anomalies } from './Anomalies';
import { ByVersion, TopFeatures } from './Breakdowns';
import { Charts } from './Charts';
import { Tiles } from './Tiles';

const RANGES: readonly { value: TimeRange; label: string }[] = [
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: '24 hours' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
];
const RANGE_WORDS: Record<TimeRange, string> = { '1h': 'the last hour', '24h': 'the last 24 hours', '7d': 'the last 7 days', '30d': 'the last 30 days' };

export function DashboardView() {
  const { range, appVersion, dashboard, consent, connected } = useApp(
    useShallow((s) => ({ range: s.range, appVersion: s.appVersion, dashboard: s.dashboard, consent: s.consent, connected: s.connection.status === 'ok' })),
  );
  const { setRange, setAppVersion, setTab, refreshDashboard, refreshConsent } = useApp.getState();
  usePolling(refreshDashboard, `dashboard|${range}|${appVersion ?? ''}`);
  usePolling(refreshConsent, 'consent');

  const d = dashboard.data;
  const c = consent.data;
  const enabled = c ? CATEGORIES.filter((k) => c.categories[k] !== 'off') : [];
  const versions = d?.versions ?? [];

  return (
    <div className="stack">
      <div className="toolbar">
        <Segmented legend="Time range" options={RANGES} value={range} onChange={setRange} />
        <Field label="App version">
          {(id) => (
          <select id={id} value={appVersion ?? ''} onChange={(e) => setAppVersion(e.target.value || null)}>
            <option value="">All versions</option>
            {/* Keep a chosen version listed even if the new range has none of it. */}
            {appVersion && !versions.includes(appVersion) ? <option value={appVersion}>{appVersion}</option> : null}
            {versions.map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
          )}
        </Field>
        <p className="muted toolbar-note" aria-live="polite">
          {!connected ? (d ? 'Not updating' : '') : dashboard.pending ? 'Updating…' : d ? `Live · ${RANGE_WORDS[range]}` : ''}
        </p>
        {d?.clockNote ? (
          <p className="pill" data-testid="clock-note">
            {d.clockNote}
          </p>
        ) : null}
      </div>

      {dashboard.error ? (
        <EmptyState title={d ? 'These numbers are not current: the last refresh failed.' : 'The dashboard could not be computed.'} tone="error">
          {dashboard.error}
        </EmptyState>
      ) : null}

      {d && d.empty && c && enabled.length === 0 ? (
        <EmptyState title="Nothing collected: all categories are off">
          <p>This app records nothing until you choose what it may keep.</p>
          <button type="button" className="button button-primary" onClick={() => setTab('privacy')}>
            Open privacy settings
          </button>
        </EmptyState>
      ) : null}
      {d && d.empty && c && enabled.length > 0 ? (
        <EmptyState title={`No events recorded in ${RANGE_WORDS[range]}${appVersion ? ` for version ${appVersion}` : ''}`}>
          <p>Collection is on for {enabled.join(', ')}. Numbers appear here within a second of the app recording them.</p>
        </EmptyState>
      ) : null}

      {d && !d.empty ? (
        <>
          <Tiles data={d} />
          <Charts data={d} />
          <Anomalies data={d} />
          <div className="breakdowns">
            <ByVersion data={d} />
            <TopFeatures data={d} />
          </div>
        </>
      ) : null}
    </div>
  );
}
