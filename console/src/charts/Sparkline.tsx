// A trend in a table cell: daily counts as a small polyline, its numbers in words for screen readers.
export function Sparkline(props: { values: readonly number[]; label: string }) {
  const w = 96;
  const h = 24;
  const max = Math.max(1, ...props.values);
  const n = Math.max(1, props.values.length - 1);
  const points = props.values.map((v, i) => `${((i / n) * w).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`).join(' ');
  const total = props.values.reduce((a, v) => a + v, 0);
  return (
    <svg className="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${props.label}: ${total} over ${props.values.length} days, at most ${max} a day`}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
