// `npm run alerts:export -- --config alerts.json --out DIR`: writes DIR/telemetry-rules.yml (the
// rules for Prometheus) and DIR/alertmanager.yml (routing to the config's channels), and says which
// rules only the embedded engine can run. Exit 0, or 2 for a bad config or bad arguments.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config-store.js';
import { alertmanagerConfig } from '../prometheus/alertmanager-config.js';
import { prometheusRules } from '../prometheus/rules-file.js';

const USAGE = 'usage: alerts:export --config alerts.json [--out .]';

function main(): number {
  let values;
  try {
    ({ values } = parseArgs({ options: { config: { type: 'string' }, out: { type: 'string' } }, strict: true }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.config === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = parseConfig(JSON.parse(readFileSync(values.config, 'utf8')), values.config);
  } catch (e) {
    process.stderr.write(`alerts:export: ${(e as Error).message}\n`);
    return 2;
  }
  const out = values.out ?? '.';
  mkdirSync(out, { recursive: true });
  const rules = prometheusRules(config.rules);
  writeFileSync(join(out, 'telemetry-rules.yml'), rules.yaml);
  process.stdout.write(`wrote ${join(out, 'telemetry-rules.yml')}: ${rules.exported.length} rule(s)\n`);
  for (const s of rules.skipped) process.stdout.write(`  skipped ${s.id}: ${s.reason}\n`);
  if (config.channels.length > 0) {
    writeFileSync(join(out, 'alertmanager.yml'), alertmanagerConfig(config.channels));
    process.stdout.write(`wrote ${join(out, 'alertmanager.yml')}: ${config.channels.length} channel(s)\n`);
  }
  return 0;
}

process.exitCode = main();
