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

export function pValue(p: number): string {
  if (p >= 0.001) return p.toFixed(3);
  return p === 0 ? '< 1e-300' : p.toExponential(1);
}

export function num(x: number | null | undefined, unit = ''): string {
  if (x === null || x === undefined) return 'n/a';
  if (unit === 'bytes') return bytes(x);
  if (unit === 'ms') return duration(x);
  const s = Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
  return unit ? `${s} ${unit}` : s;
}

export function bytes(x: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = x;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

export function duration(ms: number): string {
  if (Math.abs(ms) < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  if (Math.abs(ms) < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  if (Math.abs(ms) < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function int(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}
