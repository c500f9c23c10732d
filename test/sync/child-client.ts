// A device in its own process, for kill tests. `track N`: tracks N shared events, commits them,
// says "tracked", then uploads until killed. `drain`: starts again on the same files, uploads
// what is pending, says "drained" and exits.
import { createNodeSettings, TelemetryService, Uploader } from '../../src/telemetry/index.js';

const [mode, dbPath, settingsDir, endpoint, apiKey, count] = process.argv.slice(2) as [string, string, string, string, string, string?];
const service = TelemetryService.open({ databasePath: dbPath, appVersion: '1.0.0', os: 'linux-x64' }, { settings: createNodeSettings(settingsDir) });
const uploader = new Uploader(service, { endpoint, apiKey, random: () => 0.01, uploadIntervalMs: 50, requestTimeoutMs: 5000 });

if (mode === 'track') {
  service.setConsent({ usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' });
  for (let i = 0; i < Number(count); i++) service.trackPerformance('api.latency', i + 1, 'ms', { route: 'tools.call' });
  service.flush();
  process.stdout.write('tracked\n');
  uploader.start();
  setInterval(() => {}, 1000);
} else {
  uploader.start();
  const check = setInterval(() => {
    if (service.health().queue.pending === 0) {
      clearInterval(check);
      void uploader.quit().then(() => {
        service.close();
        process.stdout.write('drained\n');
        process.exit(0);
      });
    }
  }, 20);
}
