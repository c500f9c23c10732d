// Run as a child process by crash.test.ts: tracks events at full speed until it is killed, and
// reports "<seq> <time>" on stdout every few milliseconds so the parent knows what was tracked when.
import { createNodeSettings, TelemetryService } from '../../src/telemetry/index.js';

const [dbPath, settingsDir] = process.argv.slice(2) as [string, string];
const t = TelemetryService.open({ databasePath: dbPath, appVersion: '1.0.0', os: 'linux-x64' }, { settings: createNodeSettings(settingsDir) });
t.setConsent({ usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' });
let seq = 0;
let lastReport = 0;
function burst(): void {
  for (let i = 0; i < 200; i++) {
    const r = t.trackPerformance('api.latency', (seq % 500) + 1, 'ms', { route: 'tools.list' });
    if (r.ok) seq++;
  }
  const now = Date.now();
  if (now - lastReport >= 5) {
    process.stdout.write(`${seq} ${now}\n`);
    lastReport = now;
  }
  setImmediate(burst);
}
process.stdout.write('ready\n');
burst();
