// Alerting and /metrics on a real collector: the API is for admin keys only (never a device's key),
// rules and silences are validated and kept in the config file, /metrics counts what the collector
// did and what the fleet stored, and `promtool check metrics` accepts it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCollectorAlerting, type CollectorAlerting } from '../../src/collector/alerting.js';
import { KEY, perf, startRig, tempDir, type Rig } from '../collector/helpers.js';

const ADMIN = 'admin-key-for-tests';
const METRICS = 'metrics-key-for-tests';
let rig: Rig;
let alerting: CollectorAlerting;
let configPath: string;
let extra: { cleanup: () => void };

beforeEach(async () => {
  const t = tempDir();
  extra = t;
  configPath = join(t.dir, 'alerts.json');
  alerting = createCollectorAlerting({ configPath, adminKeys: [ADMIN], metricsKeys: [METRICS], timer: null });
  rig = await startRig({ plugins: [alerting.plugin] });
});
afterEach(async () => {
  await rig.close();
  extra.cleanup();
});

async function call(method: string, path: string, body?: unknown, key: string | null = ADMIN) {
  const res = await fetch(rig.collector.url + path, {
    method,
    headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (() => { try { return JSON.parse(text); } catch { return text; } })() };
}

const rule = { id: 'crash-spike', metric: 'crashed_devices_ratio', groupBy: ['version'], windowMs: 300_000, condition: { kind: 'threshold', op: 'at_least', value: 0.01 }, minVolume: { affectedDevices: 10 }, severity: 'critical' };

describe('the alerting API', () => {
  it('refuses a request without a key (401), with a device key or a wrong key (403)', async () => {
    expect((await call('GET', '/v1/alerts/rules', undefined, null)).status).toBe(401);
    expect((await call('GET', '/v1/alerts/rules', undefined, KEY)).status).toBe(403);
    expect((await call('GET', '/v1/alerts/rules', undefined, 'nope')).status).toBe(403);
    expect((await call('GET', '/v1/alerts/rules')).status).toBe(200);
  });

  it('creates, reads, changes and deletes rules, keeping them in the config file', async () => {
    expect(existsSync(configPath)).toBe(false);
    const created = await call('POST', '/v1/alerts/rules', rule);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...rule, forMs: 0, enabled: true, minVolume: { affectedDevices: 10, devices: 0, sessions: 0 } });
    expect((await call('POST', '/v1/alerts/rules', rule)).status).toBe(409);
    expect(JSON.parse(readFileSync(configPath, 'utf8')).rules.map((r: { id: string }) => r.id)).toEqual(['crash-spike']);

    const changed = await call('PUT', '/v1/alerts/rules/crash-spike', { ...rule, id: undefined, severity: 'warning' });
    expect(changed).toMatchObject({ status: 200, body: { id: 'crash-spike', severity: 'warning' } });
    expect((await call('GET', '/v1/alerts/rules/crash-spike')).body.severity).toBe('warning');
    expect(JSON.parse(readFileSync(configPath, 'utf8')).rules[0].severity).toBe('warning');

    expect((await call('DELETE', '/v1/alerts/rules/crash-spike')).status).toBe(204);
    expect((await call('GET', '/v1/alerts/rules/crash-spike')).status).toBe(404);
    expect(JSON.parse(readFileSync(configPath, 'utf8')).rules).toEqual([]);
  });

  it('refuses an invalid rule with a clear reason and leaves the file as it was', async () => {
    await call('POST', '/v1/alerts/rules', rule);
    const before = readFileSync(configPath, 'utf8');
    const bad = await call('POST', '/v1/alerts/rules', { ...rule, id: 'bad', windowMs: 10 });
    expect(bad).toMatchObject({ status: 400, body: { error: 'invalid', detail: expect.stringMatching(/windowMs/) } });
    const wrongKind = await call('POST', '/v1/alerts/rules', { ...rule, id: 'p', metric: 'event_count', condition: { kind: 'change_vs_previous_version' } });
    expect(wrongKind).toMatchObject({ status: 400, body: { detail: expect.stringMatching(/change_vs_previous_version is not available for event_count/) } });
    expect((await call('POST', '/v1/alerts/rules', '{not json')).status).toBe(400);
    expect(readFileSync(configPath, 'utf8')).toBe(before);
  });

  it('adds and removes silences, and shows history, active alerts and the Prometheus rules', async () => {
    const s = await call('POST', '/v1/alerts/silences', { id: 'maint', matchers: { version: '1.6.0' }, startsAt: 1, endsAt: 2, comment: 'maintenance', createdBy: 'sam' });
    expect(s.status).toBe(201);
    expect((await call('POST', '/v1/alerts/silences', { id: 'back', matchers: {}, startsAt: 5, endsAt: 1 })).body.detail).toMatch(/endsAt must be after startsAt/);
    expect((await call('GET', '/v1/alerts/silences')).body.silences.map((x: { id: string }) => x.id)).toEqual(['maint']);
    expect((await call('DELETE', '/v1/alerts/silences/maint')).status).toBe(204);
    expect((await call('GET', '/v1/alerts/history')).body).toEqual({ history: [] });
    expect((await call('GET', '/v1/alerts')).body).toMatchObject({ alerts: [], release: [] });
    await call('POST', '/v1/alerts/rules', rule);
    const yaml = await call('GET', '/v1/alerts/prometheus-rules');
    expect(yaml.body).toMatch(/alert: CrashSpike/);
  });
});

describe('/metrics', () => {
  it('is for the metrics key only, counts requests and events, and passes promtool check metrics', async () => {
    expect((await call('GET', '/metrics', undefined, KEY)).status).toBe(403);
    expect((await call('GET', '/metrics', undefined, null)).status).toBe(401);
    const answer = await rig.batch([
      perf(),
      perf({ event_type: 'network', name: 'api.request', url: 'https://api.example.com/v1', status_code: 200, duration_ms: 420, bytes_transferred: 10, value: undefined, unit: undefined, context: undefined }),
      perf({ value: 'not a number' }),
    ]);
    expect(answer.body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect((await rig.batch([perf()], {}, { key: null })).status).toBe(401);
    const m = await call('GET', '/metrics', undefined, METRICS);
    expect(m.status).toBe(200);
    const text = m.body as string;
    expect(text).toContain('collector_events_total{result="accepted"} 2');
    expect(text).toContain('collector_events_total{result="rejected"} 1');
    expect(text).toContain('collector_events_rejected_total{reason="invalid"} 1');
    expect(text).toContain('collector_batches_total{result="stored"} 1');
    expect(text).toMatch(/collector_http_requests_total\{route="\/v1\/batch",status="200"\} 1/);
    expect(text).toContain('telemetry_events_total{version="1.4.0",type="performance"} 1');
    expect(text).toContain('telemetry_latency_seconds_count{measure="api_latency",version="1.4.0",os="linux-x64"} 1');
    expect(text).toContain('collector_device_queue_depth 3');
    // Refused before the metrics hook ran (401): counted, and the in-flight gauge holds only this scrape.
    expect(text).toMatch(/collector_http_requests_total\{route="\/v1\/batch",status="401"\} 1/);
    expect(text).toContain('collector_requests_in_flight 1');
    expect(text).toContain('collector_batches_total{result="refused"} 1');
    expect(text).toMatch(/telemetry_window_devices\{version="1.4.0",window="5m"\} 1/);
    expect(text).not.toMatch(/nodejs_active_handles_total/);
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${lint.stdout}${lint.stderr}`).toBe('');
    expect(lint.status).toBe(0);

    // Scraped again: each stored event is counted once, not at every scrape.
    const again = (await call('GET', '/metrics', undefined, METRICS)).body as string;
    expect(again).toContain('telemetry_events_total{version="1.4.0",type="performance"} 1');
  });
});
