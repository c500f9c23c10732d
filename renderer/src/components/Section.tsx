import { useId, type ReactNode } from 'react';

/** A titled card; the heading labels the region for screen readers. */
export function Section(props: { title: string; description?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={`card ${props.className ?? ''}`} aria-labelledby={id}>
      <header className="card-head">
        <div>
          <h2 id={id}>{props.title}</h2>
          {props.description ? <p className="muted card-desc">{props.description}</p> : null}
        </div>
        {props.actions ? <div className="card-actions">{props.actions}</div> : null}
      </header>
      {props.children}
    </section>
  );
}
