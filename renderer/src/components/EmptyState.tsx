import type { ReactNode } from 'react';

/** What a view shows instead of numbers, saying why and what to do about it. */
export function EmptyState(props: { title: string; children?: ReactNode; tone?: 'neutral' | 'error' }) {
  return (
    <div className={`empty ${props.tone === 'error' ? 'empty-error' : ''}`} role={props.tone === 'error' ? 'alert' : 'status'}>
      <p className="empty-title">{props.title}</p>
      {props.children ? <div className="empty-body">{props.children}</div> : null}
    </div>
  );
}
