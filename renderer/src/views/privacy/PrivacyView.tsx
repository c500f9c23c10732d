// The person's consent settings, what left the device, and their own data.
import { EmptyState } from '../../components/EmptyState';
import { Section } from '../../components/Section';
import { useApp } from '../../store/app-store';
import { usePolling } from '../../store/use-polling';
import { CATEGORIES } from '../../transport/contract';
import { CategoryControl } from './CategoryControl';
import { MyData } from './MyData';
import { WhatWasSent } from './WhatWasSent';

export function PrivacyView() {
  const consent = useApp((s) => s.consent);
  const refreshConsent = useApp((s) => s.refreshConsent);
  const refreshUploads = useApp((s) => s.refreshUploads);
  usePolling(refreshConsent, 'consent');
  usePolling(refreshUploads, 'uploads');

  const c = consent.data;
  const shared = c ? CATEGORIES.filter((k) => c.categories[k] === 'shared') : [];
  return (
    <div className="stack">
      <Section
        title="What this app may record"
        description="Choose for each kind of information. Nothing is recorded until you turn it on, and you can change your mind at any time. Ids are random and not linked to your name or account."
      >
        {c === null && consent.error ? <EmptyState title="Could not load your privacy settings." tone="error">{consent.error}</EmptyState> : null}
        {c === null && !consent.error ? <p className="muted">Loading…</p> : null}
        {c ? (
          <div className="consent-grid">
            {CATEGORIES.map((k) => (
              <CategoryControl key={k} category={k} level={c.categories[k]} />
            ))}
          </div>
        ) : null}
      </Section>
      {/* Export and Delete near the top: the person's own data is what this page is for. */}
      <MyData />
      <WhatWasSent shared={shared} />
    </div>
  );
}
