// The page: a header, the four views as tabs, and the connection banner above them.
import { Component, type ReactNode } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner';
import { EmptyState } from './components/EmptyState';
import { Tabs, type TabItem } from './components/Tabs';
import { useApp, type Tab } from './store/app-store';
import { DashboardView } from './views/dashboard/DashboardView';
import { DiagnosticsView } from './views/diagnostics/DiagnosticsView';
import { PrivacyView } from './views/privacy/PrivacyView';
import { ReportsView } from './views/reports/ReportsView';

const TABS: readonly TabItem<Tab>[] = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'privacy', label: 'Privacy' },
  { id: 'diagnostics', label: 'Diagnostics' },
  { id: 'reports', label: 'Reports' },
];

/** One view failing to draw must not take the others (or the privacy controls) down with it. */
class ViewBoundary extends Component<{ children: ReactNode; view: Tab }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  override componentDidUpdate(prev: { view: Tab }) {
    if (prev.view !== this.props.view && this.state.error) this.setState({ error: null });
  }
  override render() {
    if (this.state.error) {
      return (
        <EmptyState title="This view failed to draw." tone="error">
          <p>{this.state.error}</p>
          <p>It has been recorded as a renderer error if errors are turned on. The other tabs still work.</p>
        </EmptyState>
      );
    }
    return this.props.children;
  }
}

function View(props: { tab: Tab }) {
  switch (props.tab) {
    case 'dashboard':
      return <DashboardView />;
    case 'privacy':
      return <PrivacyView />;
    case 'diagnostics':
      return <DiagnosticsView />;
    case 'reports':
      return <ReportsView />;
  }
}

export function App() {
  const tab = useApp((s) => s.tab);
  const setTab = useApp((s) => s.setTab);
  return (
    <div className="app">
      <header className="app-head">
        <div className="brand">
          <h1>Telemetry</h1>
          <p className="muted">What this app records about its own use, kept on this device first.</p>
        </div>
        <Tabs label="Telemetry views" items={TABS} selected={tab} onSelect={setTab} />
      </header>
      <ConnectionBanner />
      <main>
        <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} tabIndex={-1} className="panel">
          <ViewBoundary view={tab}>
            <View tab={tab} />
          </ViewBoundary>
        </div>
      </main>
    </div>
  );
}
