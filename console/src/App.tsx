// The fleet console: sign in with the printed link, then three dashboards (executive, development,
// product), each view addressable by the URL's fragment (#/development/issues/<id>).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { EmptyState } from '../../renderer/src/components/EmptyState';
import { Segmented } from '../../renderer/src/components/Segmented';
import { Tabs } from '../../renderer/src/components/Tabs';
import type { SessionInfo } from '../../src/console/api-types';
import { query, signIn, signOut, useApi } from './api';
import { AlertsView } from './views/Alerts';
import { ExecutiveView } from './views/Executive';
import { ExperimentsView } from './views/Experiments';
import { FeaturesView } from './views/Features';
import { IssueDetailView, IssuesView } from './views/Issues';
import { JourneysView } from './views/Journeys';
import { LogSearchView } from './views/LogSearch';
import { PerformanceView } from './views/Performance';
import { ReleasesView } from './views/Releases';

type Top = 'executive' | 'development' | 'product';
const TOPS = [
  { id: 'executive', label: 'Executive' },
  { id: 'development', label: 'Development' },
  { id: 'product', label: 'Product' },
] as const;
const SUBS: Record<Top, { value: string; label: string }[]> = {
  executive: [],
  development: [
    { value: 'issues', label: 'Issues' },
    { value: 'performance', label: 'Performance' },
    { value: 'releases', label: 'Releases' },
    { value: 'alerts', label: 'Alerts' },
    { value: 'logs', label: 'Log search' },
  ],
  product: [
    { value: 'features', label: 'Features' },
    { value: 'journeys', label: 'Journeys' },
    { value: 'experiments', label: 'Experiments' },
  ],
};
const WINDOWS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
] as const;

function subscribeHash(f: () => void) {
  window.addEventListener('hashchange', f);
  return () => window.removeEventListener('hashchange', f);
}

function parseRoute(hash: string): { top: Top; sub: string; id: string | null } {
  const [top, sub, id] = hash.replace(/^#\/?/, '').split('/');
  const t: Top = top === 'development' || top === 'product' ? top : 'executive';
  const subs = SUBS[t];
  return { top: t, sub: subs.find((s) => s.value === sub)?.value ?? subs[0]?.value ?? '', id: id && /^[0-9a-f]+$/.test(id) ? id : null };
}

export function App() {
  const [session, setSession] = useState<{ state: 'pending' } | { state: 'in'; info: SessionInfo } | { state: 'out'; message: string }>({ state: 'pending' });
  useEffect(() => {
    signIn().then(
      (info) => setSession({ state: 'in', info }),
      (e: unknown) => setSession({ state: 'out', message: e instanceof Error ? e.message : String(e) }),
    );
  }, []);
  const hash = useSyncExternalStore(subscribeHash, () => location.hash);
  const route = parseRoute(hash);
  const [days, setDays] = useState<'7' | '30' | '90'>('30');
  const go = (top: Top, sub?: string) => {
    location.hash = `#/${top}${sub ? `/${sub}` : SUBS[top][0] ? `/${SUBS[top][0]!.value}` : ''}`;
  };

  if (session.state === 'pending') return <main className="app"><p role="status">Signing in…</p></main>;
  if (session.state === 'out') {
    return (
      <main className="app">
        <h1>Fleet console</h1>
        <EmptyState title="Sign in with the console's link" tone="error">
          <p>
            {session.message}. The collector printed a line <code>Fleet console: http://…/#token=…</code> when it started: open that link. Sessions end after an idle hour and after 8 hours.
          </p>
        </EmptyState>
      </main>
    );
  }
  return (
    <div className="app">
      <header className="app-head">
        <div className="brand">
          <h1>Fleet console</h1>
          <p className="muted">Every number from the fleet store, through the analyzer. Anonymous ids only.</p>
        </div>
        <Tabs label="Dashboards" items={TOPS} selected={route.top} onSelect={(t) => go(t)} />
        <button className="button button-small" type="button" onClick={() => void signOut().then(() => setSession({ state: 'out', message: 'Signed out' }))}>
          Sign out
        </button>
      </header>
      <main>
        <div id={`panel-${route.top}`} role="tabpanel" aria-labelledby={`tab-${route.top}`} tabIndex={-1} className="panel stack">
        {route.top !== 'executive' ? (
          <div className="toolbar">
            <Segmented legend="View" options={SUBS[route.top]} value={route.sub} onChange={(s) => go(route.top, s)} />
            <Segmented<"7" | "30" | "90"> legend="Window" options={WINDOWS} value={days} onChange={setDays} />
          </div>
        ) : null}
        <View top={route.top} sub={route.sub} id={route.id} days={Number(days)} />
        </div>
      </main>
    </div>
  );
}

function View(props: { top: Top; sub: string; id: string | null; days: number }) {
  const versions = useApi<string[]>(props.sub === 'logs' ? query('/api/versions', { days: props.days }) : null);
  if (props.top === 'executive') return <ExecutiveView />;
  if (props.top === 'development') {
    if (props.sub === 'issues') return props.id ? <IssueDetailView id={props.id} days={props.days} /> : <IssuesView days={props.days} />;
    if (props.sub === 'performance') return <PerformanceView days={props.days} />;
    if (props.sub === 'releases') return <ReleasesView days={props.days} />;
    if (props.sub === 'alerts') return <AlertsView />;
    return <LogSearchView days={props.days} versions={versions.state === 'ok' ? versions.data : []} />;
  }
  if (props.sub === 'journeys') return <JourneysView days={props.days} />;
  if (props.sub === 'experiments') return <ExperimentsView days={props.days} />;
  return <FeaturesView days={props.days} />;
}
