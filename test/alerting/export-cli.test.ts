// `npm run alerts:export`: the config file in, the Prometheus rules and the Alertmanager config out.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'alerts-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/alerting/cli/export.ts', ...args], { encoding: 'utf8' });

it('writes the rules and the Alertmanager config, naming the rules it skipped', () => {
  const config = join(dir, 'alerts.json');
  writeFileSync(config, JSON.stringify({
    channels: [{ kind: 'webhook', name: 'oncall', url: 'https://hooks.example.com/T0/B0/x' }],
    rules: [
      { id: 'errors', metric: 'error_rate', groupBy: ['version'], windowMs: 600_000, condition: { kind: 'threshold', op: 'above', value: 0.05 }, severity: 'warning' },
      { id: 'odd', metric: 'error_rate', windowMs: 600_000, condition: { kind: 'anomaly' }, severity: 'info' },
    ],
  }));
  const r = run(['--config', config, '--out', join(dir, 'out')]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('1 rule(s)');
  expect(r.stdout).toContain('skipped odd: anomaly conditions run in the embedded engine only');
  expect(readFileSync(join(dir, 'out', 'telemetry-rules.yml'), 'utf8')).toContain('alert: Errors');
  expect(existsSync(join(dir, 'out', 'alertmanager.yml'))).toBe(true);
});

it('a config with a mistake exits 2 naming the field', () => {
  const config = join(dir, 'bad.json');
  writeFileSync(config, JSON.stringify({ rules: [{ id: 'x', metric: 'error_rate', windowMs: 1, condition: { kind: 'threshold', op: 'above', value: 1 }, severity: 'warning' }] }));
  const r = run(['--config', config]);
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/rules\.0\.windowMs/);
});
