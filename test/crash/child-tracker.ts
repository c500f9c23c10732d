// Run as a child process by crash.test.ts: tracks events at full speed until it is killed, and
// reports on stdout what it has tracked ("tracked <n>") and what the service told it is committed
// ("durable <n>"), so the parent knows what must be on disk without reading a clock.
import { createNodeSettings, TelemetryService } from '../../src/telemetry/index.js';

const [dbPath, settingsDir, storeThread] = process.argv.slice(2) as [string, string, 'worker' | 'inline'];
const t = TelemetryService.open({ databasePath: dbPath, appVersion: '1.0.0', os: 'linux-x64', storeThread }, { settings: createNodeSettings(settingsDir) });
t.setConsent({ usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' });
let durable = 0;
t.onCommit((n) => {
  durable += n;
  process.stdout.write(`durable ${durable}\n`);
});
let seq = 0;
function burst(): void {
  for (let i = 0; i < 200; i++) {
    const r = t.trackPerformance('api.latency', (seq % 500) + 1, 'ms', { route: 'tools.list' });
    if (r.ok) seq++;
  }
  process.stdout.write(`tracked ${seq}\n`);
  setImmediate(burst);
}
process.stdout.write('ready\n');
burst();
