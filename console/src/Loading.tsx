// What a view shows while its numbers load or when they cannot: never a blank card.
import type { ReactNode } from 'react';
import { EmptyState } from '../../renderer/src/components/EmptyState';
import type { Loaded } from './api';

export function Load<T>(props: { loaded: Loaded<T>; what: string; children: (data: T) => ReactNode }) {
  const l = props.loaded;
  if (l.state === 'loading') return <p className="muted" role="status">Loading {props.what}…</p>;
  if (l.state === 'error') {
    return (
      <EmptyState title={`Could not load ${props.what}`} tone="error">
        <p>{l.status === 401 ? 'Your session ended. Open the link the console printed at start to sign in again.' : l.message}</p>
      </EmptyState>
    );
  }
  return <>{props.children(l.data)}</>;
}
