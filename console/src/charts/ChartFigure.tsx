// A chart with its gist in words for screen readers; the SVG itself is decoration to them (the
// dashboard's convention, renderer/src/views/dashboard/Charts.tsx).
import type { ReactNode } from 'react';

export function ChartFigure(props: { title: string; summary: string; children: ReactNode }) {
  return (
    <figure className="chart" aria-label={props.title}>
      <figcaption>
        <h3>{props.title}</h3>
      </figcaption>
      <div role="img" aria-label={`${props.title}: ${props.summary}`}>
        <div aria-hidden="true">{props.children}</div>
      </div>
    </figure>
  );
}
