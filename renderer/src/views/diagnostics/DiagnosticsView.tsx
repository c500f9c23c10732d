// The developer's view: sync, storage, loss, refused events and the raw event log, all live.
import { EmptyState } from '../../components/EmptyState';
import { useApp } from '../../store/app-store';
import { usePolling } from '../../store/use-polling';
import { DeadLetters, LossCounters } from './Counters';
import { RecentEvents } from './RecentEvents';
import { StorageState, SyncState } from './SyncState';

export function DiagnosticsView() {
  const diagnostics = useApp((s) => s.diagnostics);
  const refresh = useApp((s) => s.refreshDiagnostics);
  usePolling(refresh, 'diagnostics');
  const d = diagnostics.data;
  return (
    <div className="stack">
      {diagnostics.error ? (
        <EmptyState title={d ? 'Diagnostics are not current: the last refresh failed.' : 'Could not load diagnostics.'} tone="error">
          {diagnostics.error}
        </EmptyState>
      ) : null}
      {d ? (
        <>
          <div className="two-col">
            <SyncState d={d} />
            <StorageState d={d} />
          </div>
          <div className="two-col">
            <LossCounters d={d} />
            <DeadLetters d={d} />
          </div>
        </>
      ) : null}
      {!d && diagnostics.pending ? <p className="muted">Loading…</p> : null}
      <RecentEvents />
    </div>
  );
}
