// Prints a benchmark's table and, with --json, its figures as one JSON object on the last line.
export type Row = [label: string, value: number | string, target: string, met: boolean | null];

export function printReport(title: string, rows: Row[], result: Record<string, unknown>, json: boolean): void {
  const w = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${title}`);
  console.log(`${'metric'.padEnd(w)}  ${'value'.padStart(12)}  ${'target'.padEnd(16)} met`);
  for (const [label, value, target, met] of rows) {
    console.log(`${label.padEnd(w)}  ${String(value).padStart(12)}  ${target.padEnd(16)} ${met === null ? '' : met ? 'yes' : 'NO'}`);
  }
  if (json) console.log(JSON.stringify(result));
}
