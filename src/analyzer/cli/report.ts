// npm run report -- daily|weekly|monthly --store SPEC|--db PATH [--out DIR] [--now ISO]
// Writes <kind>-<date>.md and <kind>-<date>.html into DIR (default: the current folder), for a
// device's database or the collector's store (SQLite or ClickHouse) alike.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../reader.js';
import { reportOf } from '../report/build.js';
import { RollupReader } from '../rollup-reader.js';
import { renderReport } from '../report/render.js';
import { isoDay } from '../time.js';
import { main, nowOption, openStore, storeSpec, STORE_USAGE, UsageError } from './common.js';

const KINDS = ['daily', 'weekly', 'monthly'] as const;
const USAGE = `usage: npm run report -- daily|weekly|monthly --store SPEC | --db PATH [--out DIR] [--now ISO]
${STORE_USAGE}
  --out DIR   where to write <kind>-<date>.md and .html (default: the current folder)
  --now ISO   the end of the reported period (default: now)`;

main(USAGE, async () => {
  const { values, positionals } = parseArgs({ options: { db: { type: 'string' }, store: { type: 'string' }, out: { type: 'string' }, now: { type: 'string' }, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const kind = positionals[0] as (typeof KINDS)[number] | undefined;
  if (positionals.length !== 1 || !kind || !KINDS.includes(kind)) throw new UsageError(`say which report: ${KINDS.join(', ')}`);
  const now = nowOption(values.now);
  const store = await openStore(storeSpec(values));
  try {
    const report = renderReport(await analyze(store.reader, reportOf(store.kind, kind, now, { sqlite: store.reader instanceof RollupReader ? store.reader : undefined })));
    const dir = resolve(values.out ?? '.');
    mkdirSync(dir, { recursive: true });
    const base = join(dir, `${kind}-${isoDay(now)}`);
    writeFileSync(`${base}.md`, report.markdown);
    writeFileSync(`${base}.html`, report.html);
    process.stdout.write(`${kind} report of ${store.name} (${store.kind} store):\n  ${base}.md\n  ${base}.html\n`);
    return 0;
  } finally {
    await store.close();
  }
});
