// Ordering app versions: numerically by dotted parts (1.10.0 after 1.9.2), a pre-release (1.5.0-beta.2)
// before its release, anything unparsable after the parsable ones, alphabetically.
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa === null || pb === null) return pa === null && pb === null ? a.localeCompare(b) : pa === null ? 1 : -1;
  for (let i = 0; i < Math.max(pa.nums.length, pb.nums.length); i++) {
    const d = (pa.nums[i] ?? 0) - (pb.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === '') return 1;
  if (pb.pre === '') return -1;
  return pa.pre.localeCompare(pb.pre, 'en', { numeric: true });
}

/** Newest first. */
export function newestFirst(versions: Iterable<string>): string[] {
  return [...new Set(versions)].sort((a, b) => compareVersions(b, a));
}

function parse(v: string): { nums: number[]; pre: string } | null {
  const m = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(v.trim());
  if (!m) return null;
  return { nums: m[1]!.split('.').map(Number), pre: m[2] ?? '' };
}
