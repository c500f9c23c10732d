// The most common transitions between features as a left-to-right flow: each feature placed at its
// distance from the session's start along the strongest transitions, arrows as wide as their counts,
// each labelled with its count. The table below it says the same in words and numbers.
import type { Flow, Transition } from '../../../src/console/api-types';

const COL = 190;
const ROW = 64;
const NODE_W = 124;
const NODE_H = 30;
/** Room above the first row for arrows that skip a column. */
const TOP = 64;
/** Arrows drawn; the rest are in the table. More than this is a hairball. */
export const DIAGRAM_TRANSITIONS = 14;

function layout(t: readonly Transition[]): Map<string, { x: number; y: number }> {
  const depth = new Map<string, number>([['(start)', 0]]);
  // Strongest first: a feature sits one step right of where most people come from.
  for (let changed = true; changed; ) {
    changed = false;
    for (const e of t) {
      const d = depth.get(e.from);
      if (d !== undefined && !depth.has(e.to) && e.to !== '(end)') {
        depth.set(e.to, d + 1);
        changed = true;
      }
    }
  }
  for (const e of t) for (const n of [e.from, e.to]) if (!depth.has(n) && n !== '(end)') depth.set(n, 1);
  depth.set('(end)', Math.max(...depth.values()) + 1);
  const traffic = new Map<string, number>();
  for (const e of t) for (const n of [e.from, e.to]) traffic.set(n, (traffic.get(n) ?? 0) + e.count);
  const columns = new Map<number, string[]>();
  for (const [n, d] of depth) columns.set(d, [...(columns.get(d) ?? []), n]);
  const pos = new Map<string, { x: number; y: number }>();
  for (const [d, nodes] of columns) {
    nodes.sort((a, b) => (traffic.get(b) ?? 0) - (traffic.get(a) ?? 0) || a.localeCompare(b));
    nodes.forEach((n, i) => pos.set(n, { x: 10 + d * COL, y: TOP + i * ROW }));
  }
  return pos;
}

export function FlowDiagram(props: { flow: Flow }) {
  const t = props.flow.transitions.filter((e) => e.from !== e.to).slice(0, DIAGRAM_TRANSITIONS);
  const pos = layout(t);
  const width = 20 + Math.max(...[...pos.values()].map((p) => p.x)) + NODE_W;
  const height = 40 + Math.max(...[...pos.values()].map((p) => p.y)) + NODE_H;
  const maxCount = Math.max(1, ...t.map((e) => e.count));
  return (
    <svg className="flow" width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
      <defs>
        <marker id="flow-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="currentColor" />
        </marker>
      </defs>
      {t.map((e) => {
        const a = pos.get(e.from)!;
        const b = pos.get(e.to)!;
        const forward = b.x > a.x;
        const skips = b.x - a.x > COL;
        // Next column: right edge to left edge. Further right: over the top, so it crosses no node.
        // Same column or backwards: from the bottom, around below.
        let x0, y0, x1, y1, x2, y2, x3, y3;
        if (forward && !skips) {
          [x0, y0, x3, y3] = [a.x + NODE_W, a.y + NODE_H / 2, b.x, b.y + NODE_H / 2];
          [x1, y1, x2, y2] = [x0 + 50, y0, x3 - 50, y3];
        } else if (forward) {
          [x0, y0, x3, y3] = [a.x + NODE_W / 2 + 12, a.y, b.x + NODE_W / 2 - 12, b.y];
          const over = Math.min(y0, y3) - TOP + 8;
          [x1, y1, x2, y2] = [x0 + 30, over, x3 - 30, over];
        } else {
          [x0, y0, x3, y3] = [a.x + NODE_W / 2 + 12, a.y + NODE_H, b.x + NODE_W / 2 - 12, b.y + NODE_H];
          const under = Math.max(y0, y3) + 34;
          [x1, y1, x2, y2] = [x0 + 30, under, x3 - 30, under];
        }
        const mx = (x0 + 3 * x1 + 3 * x2 + x3) / 8;
        const my = (y0 + 3 * y1 + 3 * y2 + y3) / 8;
        return (
          <g key={`${e.from}>${e.to}`} className="flow-edge">
            <path d={`M ${x0} ${y0} C ${x1} ${y1}, ${x2} ${y2}, ${x3} ${y3}`} fill="none" stroke="currentColor" strokeOpacity={0.5} strokeWidth={1 + (6 * e.count) / maxCount} markerEnd="url(#flow-arrow)" />
            <text x={mx} y={my - 5} textAnchor="middle" className="flow-count">
              {e.count}
            </text>
          </g>
        );
      })}
      {[...pos].map(([n, p]) => (
        <g key={n} className="flow-node">
          <rect x={p.x} y={p.y} width={NODE_W} height={NODE_H} rx={6} />
          <text x={p.x + NODE_W / 2} y={p.y + NODE_H / 2 + 4} textAnchor="middle">
            {n}
          </text>
        </g>
      ))}
    </svg>
  );
}
