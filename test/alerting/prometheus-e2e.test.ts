// End to end with the real tools: Prometheus 2.42 scrapes the collector's /metrics every second and
// evaluates the exported rules; Alertmanager 0.25 routes the alert to the same webhook the embedded
// engine uses. Devices send crashes through the collector's ingest API; the webhook sees the page.
// Both servers run on free loopback ports with their data in a temp folder and are stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/alerting/config-store.js';
import { alertmanagerConfig } from '../../src/alerting/prometheus/alertmanager-config.js';
import { prometheusRules } from '../../src/alerting/prometheus/rules-file.js';
import { createCollectorAlerting } from '../../src/collector/alerting.js';
import { device, envelope, post, startRig, type Rig } from '../collector/helpers.js';
import { startWebhookReceiver, type WebhookReceiver } from './support.js';
import { v7 as uuidv7 } from 'uuid';

const METRICS_KEY = 'prometheus-scrape-key';
const dir = mkdtempSync(join(tmpdir(), 'prom-e2e-'));
const children: ChildProcess[] = [];
let rig: Rig | undefined;
let hook: WebhookReceiver | undefined;

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      const exited = new Promise((r) => c.once('exit', r));
      process.kill(c.pid!, 'SIGTERM');
      await exited;
    }
  }
  await rig?.close();
  await hook?.close();
  rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function start(cmd: string, args: string[]): ChildProcess & { output: () => string } {
  let out = '';
  const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  c.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  children.push(c);
  return Object.assign(c, { output: () => out.slice(-3000) });
}

async function waitUntil<T>(what: string, f: () => Promise<T | undefined>, timeoutMs: number, diagnostics: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${diagnostics()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

it('Prometheus scrapes the collector, evaluates the exported crash-spike rule, and Alertmanager calls the webhook', async () => {
  hook = await startWebhookReceiver();
  const config = parseConfig({
    channels: [{ kind: 'webhook', name: 'oncall', url: hook.url }],
    rules: [{ id: 'crash-spike', description: 'Crashes on at least 1% of a version\'s devices', metric: 'crashed_devices_ratio', groupBy: ['version'], windowMs: 300_000, condition: { kind: 'threshold', op: 'at_least', value: 0.01 }, minVolume: { affectedDevices: 10 }, severity: 'critical' }],
  });
  const alerting = createCollectorAlerting({ configPath: null, adminKeys: ['admin'], metricsKeys: [METRICS_KEY], timer: null });
  rig = await startRig({ plugins: [alerting.plugin] });
  const collector = new URL(rig.collector.url);

  const [promPort, amPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'rules.yml'), prometheusRules(config.rules).yaml);
  writeFileSync(join(dir, 'alertmanager.yml'), alertmanagerConfig(config.channels, { criticalGroupWait: '1s', groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' }));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(dir, 'rules.yml')],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
      scrape_configs: [{ job_name: 'collector', metrics_path: '/metrics', authorization: { type: 'Bearer', credentials: METRICS_KEY }, static_configs: [{ targets: [collector.host] }] }],
    }),
  );
  const am = start('prometheus-alertmanager', [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=']);
  const prom = start('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'prom')}`, `--web.listen-address=127.0.0.1:${promPort}`]);
  const logs = () => `--- prometheus\n${prom.output()}\n--- alertmanager\n${am.output()}`;
  await waitUntil('Prometheus to scrape the collector', async () => {
    const r = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
    return r.data.activeTargets[0]?.health === 'up' ? true : undefined;
  }, 30_000, logs);

  // 20 devices on 1.6.0, 12 of which crash: 60% of the version's devices, 12 >= 10 affected.
  for (let d = 0; d < 20; d++) {
    const dev = { ...device(), app_version: '1.6.0' };
    const now = new Date().toISOString();
    const events: Record<string, unknown>[] = [{ id: uuidv7(), event_type: 'app', name: 'session.start', timestamp: now, session_id: dev.session_id, seq: 1 }];
    if (d < 12) events.push({ id: uuidv7(), event_type: 'crash', name: 'main.uncaught_exception', timestamp: now, session_id: dev.session_id, seq: 2, error_message: 'boom', process: 'main', reason: 'uncaught_exception' });
    const a = await post(`${rig.collector.url}/v1/batch`, envelope(events, { common: { user_id: dev.user_id, device_id: dev.device_id, app_version: '1.6.0', os: dev.os } }));
    expect(a.body).toMatchObject({ accepted: events.length });
  }

  const received = await waitUntil('the webhook to be called by Alertmanager', async () => (hook!.received.length > 0 ? hook!.received : undefined), 45_000, logs);
  const body = received[0]!.body;
  expect(received[0]!.headers['user-agent']).toMatch(/Alertmanager/);
  expect(JSON.stringify(body)).toContain('CrashSpike');
  expect(body.attachments[0].title).toMatch(/^FIRING: CrashSpike/);
  expect(body.attachments[0].text).toMatch(/crash-spike: crashed_devices_ratio on version 1\.6\.0 is 0\.6/);
}, 120_000);
