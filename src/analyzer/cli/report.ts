// npm run report -- daily|weekly|monthly --db PATH [--out DIR] [--now ISO]
// Writes <kind>-<date>.md and <kind>-<date>.html into DIR (default: the current folder), for a
// device's database or the collector's store alike (told apart by their tables).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildReport } from '../report/build.js';
import { renderReport } from '../report/render.js';
import { isoDay } from '../time.js';
import { main, nowOption, openStore, UsageError } from './common.js';

const KINDS = ['daily', 'weekly', 'monthly'] as const;
const USAGE = `usage: npm run report -- daily|weekly|monthly --db PATH [--out DIR] [--now ISO]
  --db PATH   a device database (telemetry.db) or a collector store
  --out DIR   where to write <kind>-<date>.md and .html (default: the current folder)
  --now ISO   the end of the reported period (default: now)`;

main(USAGE, () => {
  const { values, positionals } = parseArgs({ options: { db: { type: 'string' }, out: { type: 'string' }, now: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const kind = positionals[0] as (typeof KINDS)[number] | undefined;
  if (positionals.length !== 1 || !kind || !KINDS.includes(kind)) throw new UsageError(`say which report: ${KINDS.join(', ')}`);
  const now = nowOption(values.now);
  const store = openStore(values.db);
  try {
    const report = renderReport(buildReport(store.reader, store.kind, kind, now));
    const dir = resolve(values.out ?? '.');
    mkdirSync(dir, { recursive: true });
    const base = join(dir, `${kind}-${isoDay(now)}`);
    writeFileSync(`${base}.md`, report.markdown);
    writeFileSync(`${base}.html`, report.html);
    process.stdout.write(`${kind} report of ${values.db} (${store.kind} store):\n  ${base}.md\n  ${base}.html\n`);
    return 0;
  } finally {
    store.db.close();
  }
});
