// npm run gate -- --store SPEC|--db PATH --baseline 1.4.0 --candidate 1.5.0 [thresholds]
// Exit 0: pass. 1: regression. 2: usage error, unknown version or not enough data. See docs/ANALYZER.md.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_COMPARE_OPTIONS } from '../compare.js';
import { DEFAULT_GATE_DAYS, gateOf } from '../gate.js';
import { analyze, ask } from '../reader.js';
import { DAY_MS, windowOf } from '../time.js';
import { main, nowOption, numberOption, openStore, storeSpec, STORE_USAGE, UsageError } from './common.js';

const d = DEFAULT_COMPARE_OPTIONS;
const USAGE = `usage: npm run gate -- --store SPEC | --db PATH --baseline VERSION --candidate VERSION [options]
${STORE_USAGE}
  --days N                       compare the last N days (default ${DEFAULT_GATE_DAYS})
  --now ISO                      the end of the window (default: now)
  --max-crash-free-drop X        absolute drop of crash-free sessions/users allowed (default ${d.maxCrashFreeDrop} = ${d.maxCrashFreeDrop * 100} point)
  --max-error-rate-increase X    relative increase of the error rate allowed (default ${d.maxErrorRateIncrease} = +${d.maxErrorRateIncrease * 100}%)
  --max-p95-latency-increase X   relative increase of a latency p95 allowed (default ${d.maxP95LatencyIncrease})
  --max-memory-increase X        relative increase of memory p95 allowed (default ${d.maxMemoryIncrease})
  --alpha X                      family-wise significance level (default ${d.alpha})
  --min-sessions N               sessions needed on each version (default ${d.minSessions})
  --new-crash-min-sessions N     a crash signature new in the candidate fails the gate from N sessions (default ${d.newCrashMinSessions})
  --new-crash-min-device-share X ...or from this share of the candidate's devices (default ${d.newCrashMinDeviceShare})
  --json FILE                    also write the full comparison as JSON
exit status: 0 pass, 1 regression, 2 usage error / unknown version / not enough data`;

main(USAGE, async () => {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      store: { type: 'string' },
      baseline: { type: 'string' },
      candidate: { type: 'string' },
      days: { type: 'string' },
      now: { type: 'string' },
      'max-crash-free-drop': { type: 'string' },
      'max-error-rate-increase': { type: 'string' },
      'max-p95-latency-increase': { type: 'string' },
      'max-memory-increase': { type: 'string' },
      alpha: { type: 'string' },
      'min-sessions': { type: 'string' },
      'new-crash-min-sessions': { type: 'string' },
      'new-crash-min-device-share': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.baseline || !values.candidate) throw new UsageError('--baseline and --candidate are required');
  const options = {
    maxCrashFreeDrop: numberOption('max-crash-free-drop', values['max-crash-free-drop'], d.maxCrashFreeDrop, 0, 1),
    maxErrorRateIncrease: numberOption('max-error-rate-increase', values['max-error-rate-increase'], d.maxErrorRateIncrease),
    maxP95LatencyIncrease: numberOption('max-p95-latency-increase', values['max-p95-latency-increase'], d.maxP95LatencyIncrease),
    maxMemoryIncrease: numberOption('max-memory-increase', values['max-memory-increase'], d.maxMemoryIncrease),
    alpha: numberOption('alpha', values.alpha, d.alpha, 1e-12, 0.5),
    minSessions: numberOption('min-sessions', values['min-sessions'], d.minSessions, 1),
    newCrashMinSessions: numberOption('new-crash-min-sessions', values['new-crash-min-sessions'], d.newCrashMinSessions, 1),
    newCrashMinDeviceShare: numberOption('new-crash-min-device-share', values['new-crash-min-device-share'], d.newCrashMinDeviceShare, 0, 1),
  };
  const days = numberOption('days', values.days, DEFAULT_GATE_DAYS, 1, 3650);
  const now = nowOption(values.now);
  const store = await openStore(storeSpec(values));
  try {
    const window = windowOf(now - days * DAY_MS, now);
    const known = new Set(await analyze(store.reader, ask('versions', { window, version: null })));
    for (const v of [values.baseline, values.candidate]) {
      if (!known.has(v)) throw new UsageError(`version ${v} has no data in the last ${days} days of ${store.name} (known: ${[...known].join(', ') || 'none'})`);
    }
    const result = await analyze(store.reader, gateOf(store.kind, window, values.baseline, values.candidate, options));
    process.stdout.write(`${result.text}\n`);
    if (values.json) writeFileSync(values.json, JSON.stringify({ verdict: result.verdict, exitCode: result.exitCode, ...result.comparison }, null, 2));
    return result.exitCode;
  } finally {
    await store.close();
  }
});
