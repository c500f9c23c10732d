// Number formatting shared by the gate's verdict and the reports.
export function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(digits)}%`;
}

export function signedPct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined) return 'n/a';
  if (!Number.isFinite(x)) return x > 0 ? '+inf' : '-inf';
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`;
}

export function points(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} pts`;
}

/** A p-value (or a significance level) with enough digits to be told apart from `other`, the
 *  number it is printed against: "1.0e-5 < 0.00125", never "0.001 >= 0.001". */
export function pValue(p: number, other?: number): string {
  if (p === 0) return '< 1e-300';
  for (let digits = 2; digits <= 6; digits++) {
    const text = p >= 0.001 ? Number(p.toPrecision(digits)).toString() : p.toExponential(digits - 1);
    const them = other === undefined ? null : other >= 0.001 ? Number(other.toPrecision(digits)).toString() : other.toExponential(digits - 1);
    if (them === null || text !== them || p === other) return text;
  }
  return p.toExponential(5);
}

export function num(x: number | null | undefined, unit = ''): string {
  if (x === null || x === undefined) return 'n/a';
  if (unit === 'bytes') return bytes(x);
  if (unit === 'ms') return duration(x);
  const s = Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
  return unit ? `${s} ${unit}` : s;
}

/** Binary units, as the dashboard prints them (KiB, MiB, GiB): one unit system everywhere. */
export function bytes(x: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = x;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

export function duration(ms: number): string {
  if (ms === 0) return '0 ms';
  if (Math.abs(ms) < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.abs(ms) < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}
