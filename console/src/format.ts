// The console's few formats beyond the dashboard's (renderer/src/format/format.ts, shared).
import * as fmt from '../../renderer/src/format/format';

export { fmt };

/** "+12.3%" / "−4.0%" / "—": a change from `before` to `now`, relative. */
export function change(now: number | null, before: number | null): string {
  if (now === null || before === null || before === 0) return fmt.NONE;
  const r = now / before - 1;
  return `${r >= 0 ? '+' : '−'}${Math.abs(r * 100).toFixed(1)}%`;
}

/** "+1.2 pt": a change of a rate, in percentage points. */
export function points(now: number | null, before: number | null): string {
  if (now === null || before === null) return fmt.NONE;
  const d = (now - before) * 100;
  return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} pt`;
}

export function day(t: number): string {
  return new Date(t).toLocaleDateString('en-GB', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function pValue(p: number | null): string {
  if (p === null) return fmt.NONE;
  return p < 0.0001 ? '< 0.0001' : p.toFixed(4);
}

export function num(v: number | null, digits = 1): string {
  return v === null ? fmt.NONE : v.toFixed(digits);
}

/** A latency against a target: whole milliseconds below 10 s, so 1,022 ms does not read as "1 s". */
export function msExact(v: number | null | undefined): string {
  if (v === null || v === undefined) return fmt.NONE;
  return v < 10_000 ? `${Math.round(v).toLocaleString('en-US')} ms` : fmt.ms(v);
}
