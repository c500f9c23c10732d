// How numbers read on screen: short, with units, and "—" where nothing was measured.
const nf = new Intl.NumberFormat('en-US');
const nf1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export const NONE = '—';

/** A number the bridge may not know: its formatted value, or the reason it has none ("not
 *  collected: Errors are off", "no data in this range"), never a made-up 0. */
export function known<T>(k: { value: T; unknown: null } | { value: null; unknown: { text: string } }, format: (v: T) => string): string {
  return k.unknown ? k.unknown.text : format(k.value as T);
}

/** A version's change against the one before: "+12.3%" or "-0.40 pts", with the gate's verdict. */
export function change(c: { delta: number; unit: 'relative' | 'points'; significant: boolean; worse: boolean } | null): string {
  if (c === null) return '';
  const sign = c.delta > 0 ? '+' : c.delta < 0 ? '−' : '±';
  const v = c.unit === 'points' ? `${sign}${Math.abs(c.delta * 100).toFixed(2)} pts` : `${sign}${Math.abs(c.delta * 100).toFixed(1)}%`;
  return c.significant ? `${v} (significant, ${c.worse ? 'worse' : 'better'})` : v;
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? NONE : nf.format(n);
}

export function percent(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined) return NONE;
  return `${(rate * 100).toFixed(digits)}%`;
}

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return NONE;
  if (v === 0) return '0 ms';
  if (v < 1) return `${v.toFixed(2)} ms`;
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${nf1.format(v / 1000)} s`;
  return `${nf1.format(v / 60_000)} min`;
}

/** A span of time for people: "3 h 12 min", "45 s". */
export function duration(v: number | null | undefined): string {
  if (v === null || v === undefined) return NONE;
  const s = Math.round(v / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined) return NONE;
  if (v < 1024) return `${nf.format(Math.round(v))} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let x = v / 1024;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${nf1.format(x)} ${units[i]}`;
}

export function perSecond(v: number | null | undefined, unit: string): string {
  return v === null || v === undefined ? NONE : `${nf1.format(v)} ${unit}/s`;
}

export function time(t: number | string | null | undefined): string {
  if (t === null || t === undefined) return NONE;
  return new Date(t).toLocaleString('en-GB', { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "12 s ago", "in 30 s": relative to the host's clock (`now`), not the page's. */
export function relative(t: number | null | undefined, now: number): string {
  if (t === null || t === undefined) return NONE;
  const d = t - now;
  const text = duration(Math.abs(d));
  return d <= 0 ? `${text} ago` : `in ${text}`;
}

/** Axis ticks of a time series: clock times when the range is about a day, dates beyond. */
export function tick(t: number, spanMs: number): string {
  const d = new Date(t);
  if (spanMs <= 26 * 3_600_000) return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString('en-GB', { month: 'short', day: 'numeric' });
}

/** Axis labels: as short as can still be told apart (no decimals on big units). */
export function msShort(v: number): string {
  if (v === 0) return '0';
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${nf1.format(v / 1000)} s`;
  return `${nf1.format(v / 60_000)} min`;
}

export function bytesShort(v: number): string {
  if (v === 0) return '0';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let x = v;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x >= 10 ? Math.round(x) : nf1.format(x)} ${units[i]}`;
}

/** Tick positions for a time axis from `from` to `to`: local midnights for ranges of days (at most
 *  about eight labels), whole hours for a day or less. Explicit, so labels never repeat a date. */
export function timeTicks(from: number, to: number): number[] {
  const span = to - from;
  const ticks: number[] = [];
  if (span > 26 * 3_600_000) {
    const d = new Date(from);
    d.setHours(24, 0, 0, 0);
    const days: number[] = [];
    for (; d.getTime() <= to; d.setDate(d.getDate() + 1)) days.push(d.getTime());
    const step = Math.max(1, Math.ceil(days.length / 8));
    for (let i = 0; i < days.length; i += step) ticks.push(days[i]!);
    return ticks;
  }
  const stepH = span > 12 * 3_600_000 ? 3 : span > 3 * 3_600_000 ? 1 : 0.25;
  const stepMs = stepH * 3_600_000;
  for (let t = Math.ceil(from / stepMs) * stepMs; t <= to; t += stepMs) ticks.push(t);
  return ticks;
}
