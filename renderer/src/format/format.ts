// How numbers read on screen: short, with units, and "—" where nothing was measured.
const nf = new Intl.NumberFormat('en-US');
const nf1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export const NONE = '—';

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? NONE : nf.format(n);
}

export function percent(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined) return NONE;
  return `${(rate * 100).toFixed(digits)}%`;
}

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return NONE;
  if (v < 1) return `${v.toFixed(2)} ms`;
  if (v < 1000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${nf1.format(v / 1000)} s`;
  return duration(v);
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

/** Axis ticks of a time series: hours for short ranges, days for long. */
export function tick(t: number, bucketMs: number): string {
  const d = new Date(t);
  if (bucketMs < 86_400_000) return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString('en-GB', { month: 'short', day: 'numeric' });
}
