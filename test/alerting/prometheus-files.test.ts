// The exported Prometheus rules and Alertmanager config, checked by the real tools: promtool check
// rules, promtool test rules (unit tests of the rules on given series), amtool check-config.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/alerting/config-store.js';
import { alertmanagerConfig } from '../../src/alerting/prometheus/alertmanager-config.js';
import { prometheusRules } from '../../src/alerting/prometheus/rules-file.js';

const dir = mkdtempSync(join(tmpdir(), 'prom-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MINUTE = 60_000;
const config = parseConfig({
  channels: [
    { kind: 'webhook', name: 'oncall', url: 'http://127.0.0.1:9/hook' },
    { kind: 'email', name: 'mail', smtpUrl: 'smtp://alerts:secret@127.0.0.1:2525', from: 'alerts@example.com', to: ['oncall@example.com'] },
  ],
  rules: [
    { id: 'crash-spike', metric: 'crashed_devices_ratio', groupBy: ['version'], windowMs: 5 * MINUTE, condition: { kind: 'threshold', op: 'at_least', value: 0.01 }, minVolume: { affectedDevices: 10 }, severity: 'critical' },
    { id: 'error-rate', metric: 'error_rate', groupBy: ['version'], windowMs: 10 * MINUTE, condition: { kind: 'threshold', op: 'above', value: 0.05 }, forMs: 2 * MINUTE, severity: 'warning' },
    { id: 'api-p95', metric: 'api_latency_p95', groupBy: ['version', 'os'], windowMs: 15 * MINUTE, condition: { kind: 'threshold', op: 'above', value: 2000 }, severity: 'warning' },
    { id: 'crash-free', metric: 'crash_free_sessions', windowMs: 86_400_000, condition: { kind: 'threshold', op: 'below', value: 0.99 }, minVolume: { sessions: 100 }, severity: 'critical' },
    { id: 'memory-p95', metric: 'memory_p95', filters: { os: 'win32-x64' }, windowMs: 3_600_000, condition: { kind: 'threshold', op: 'above', value: 2e9 }, severity: 'info' },
    { id: 'errors-odd', metric: 'error_rate', groupBy: ['version'], windowMs: 5 * MINUTE, condition: { kind: 'anomaly' }, severity: 'warning' },
    { id: 'release-crashes', metric: 'crash_free_sessions', groupBy: ['version'], windowMs: 86_400_000, condition: { kind: 'change_vs_previous_version' }, severity: 'critical' },
  ],
});

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: dir });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('the Prometheus rules file', () => {
  const exported = prometheusRules(config.rules);
  writeFileSync(join(dir, 'rules.yml'), exported.yaml);

  it('holds every threshold rule and names those only the embedded engine can run', () => {
    expect(exported.exported).toEqual(['crash-spike', 'error-rate', 'api-p95', 'crash-free', 'memory-p95']);
    expect(exported.skipped).toEqual([
      { id: 'errors-odd', reason: 'anomaly conditions run in the embedded engine only' },
      { id: 'release-crashes', reason: 'change_vs_previous_version conditions run in the embedded engine only' },
    ]);
  });

  it('passes promtool check rules', () => {
    const r = run('promtool', ['check', 'rules', 'rules.yml']);
    expect(r.out).toMatch(/SUCCESS: 5 rules found/);
    expect(r.status).toBe(0);
  });

  const unitTest = (expectedCrashSpikeVersions: string[]) => ({
    rule_files: ['rules.yml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: [
          // 1000 devices on each version; 1.6.0 crashes on 2% of them from minute 10, 1.5.0 on 0.3%.
          { series: 'telemetry_window_devices{version="1.6.0",window="5m"}', values: '1000x20' },
          { series: 'telemetry_window_crashed_devices{version="1.6.0",window="5m"}', values: '3x9 20x10' },
          { series: 'telemetry_window_devices{version="1.5.0",window="5m"}', values: '1000x20' },
          { series: 'telemetry_window_crashed_devices{version="1.5.0",window="5m"}', values: '3x20' },
          // 100 events a minute; errors 2 a minute, then 10 a minute from minute 10.
          { series: 'telemetry_events_total{version="1.6.0",type="app"}', values: '0+100x30' },
          { series: 'telemetry_events_total{version="1.6.0",type="error"}', values: '0+2x10 20+10x20' },
        ],
        alert_rule_test: [
          { eval_time: '9m', alertname: 'CrashSpike', exp_alerts: [] },
          {
            eval_time: '11m',
            alertname: 'CrashSpike',
            exp_alerts: expectedCrashSpikeVersions.map((version) => ({ exp_labels: { severity: 'critical', rule_id: 'crash-spike', version }, exp_annotations: { summary: 'crash-spike: crashed_devices_ratio on version 1.6.0 is 0.02', description: 'crashed_devices_ratio at_least 0.01' } })),
          },
          { eval_time: '12m', alertname: 'ErrorRate', exp_alerts: [] },
          { eval_time: '25m', alertname: 'ErrorRate', exp_alerts: [{ exp_labels: { severity: 'warning', rule_id: 'error-rate', version: '1.6.0' }, exp_annotations: { summary: 'error-rate: error_rate on version 1.6.0 is 0.09090909090909091', description: 'error_rate above 0.05' } }] },
        ],
      },
    ],
  });

  it('passes promtool test rules: the crash spike and the error rate fire when their condition holds, not before', () => {
    writeFileSync(join(dir, 'rules.test.yml'), stringify(unitTest(['1.6.0'])));
    const r = run('promtool', ['test', 'rules', 'rules.test.yml']);
    expect(r.out).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });

  it('and promtool test rules fails on a wrong expectation (the test can fail)', () => {
    writeFileSync(join(dir, 'wrong.test.yml'), stringify(unitTest(['1.6.0', '1.5.0'])));
    const r = run('promtool', ['test', 'rules', 'wrong.test.yml']);
    expect(r.status).toBe(1);
  });
});

describe('the Alertmanager config', () => {
  it('routes to the same webhook and mailbox and passes amtool check-config', () => {
    const yaml = alertmanagerConfig(config.channels);
    writeFileSync(join(dir, 'alertmanager.yml'), yaml);
    expect(yaml).toContain('api_url: http://127.0.0.1:9/hook');
    expect(yaml).toContain('smarthost: 127.0.0.1:2525');
    const r = run('amtool', ['check-config', 'alertmanager.yml']);
    expect(r.out).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });
});
