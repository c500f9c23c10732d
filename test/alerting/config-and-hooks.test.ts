// The config file, the history file and the rollback hook on their own.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertConfigError, AlertConfigStore } from '../../src/alerting/config-store.js';
import { HistoryLog } from '../../src/alerting/history.js';
import { callRollbackHook } from '../../src/alerting/release/rollback-hook.js';
import { startWebhookReceiver } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'alerting-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noWait = async () => {};
const retry = { attempts: 3, firstDelayMs: 1, maxDelayMs: 1 };
const evidence = { version: '1.6.0', baseline: '1.5.0', regressions: [{ metric: 'crash-free sessions' }] };

describe('the config file', () => {
  it('a file with a mistake is refused at start with the field named', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ rules: [{ id: 'x', metric: 'crash_rate', windowMs: 60_000, condition: { kind: 'threshold', op: 'above', value: 1 }, severity: 'critical' }] }));
    expect(() => AlertConfigStore.open(path)).toThrow(AlertConfigError);
    expect(() => AlertConfigStore.open(path)).toThrow(/rules\.0\.metric/);
    writeFileSync(path, '{ nope');
    expect(() => AlertConfigStore.open(path)).toThrow(/not valid JSON/);
  });

  it('duplicate ids and unknown channels are refused', () => {
    const rule = { id: 'x', metric: 'error_rate', windowMs: 60_000, condition: { kind: 'threshold', op: 'above', value: 0.1 }, severity: 'warning' } as const;
    expect(() => AlertConfigStore.inMemory({ rules: [rule, rule] })).toThrow(/duplicate id "x"/);
    expect(() => AlertConfigStore.inMemory({ rules: [{ ...rule, channels: ['pager'] }] })).toThrow(/unknown channel "pager"/);
  });

  it('changes are written to the file and read back on the next start', () => {
    const path = join(dir, 'alerts.json');
    const a = AlertConfigStore.open(path);
    a.upsertRule({ id: 'errors', metric: 'error_rate', windowMs: 300_000, condition: { kind: 'threshold', op: 'above', value: 0.05 }, severity: 'warning' });
    expect(AlertConfigStore.open(path).get().rules.map((r) => r.id)).toEqual(['errors']);
  });
});

describe('the history file', () => {
  it('survives a restart, and a torn last line is skipped', () => {
    const path = join(dir, 'history.jsonl');
    const h = new HistoryLog(path);
    h.append({ kind: 'delivery', at: 1, key: 'k', ruleId: 'r', channel: 'oncall', notification: 'n', status: 'failed', attempts: 6, error: 'webhook answered 503' });
    writeFileSync(path, readFileSync(path, 'utf8') + '{"kind":"alert","at":2,');
    expect(new HistoryLog(path).list()).toEqual([expect.objectContaining({ status: 'failed', error: 'webhook answered 503' })]);
  });
});

describe('the rollback hook', () => {
  it('a webhook hook receives the evidence, after retries if the pipeline blips', async () => {
    const hook = await startWebhookReceiver();
    hook.failNext(502);
    const out = await callRollbackHook({ kind: 'webhook', url: hook.url }, evidence, retry, noWait);
    expect(out).toEqual({ status: 'delivered', detail: `POST ${hook.url}: accepted after 2 attempt(s)` });
    expect(hook.received[0]!.body).toEqual(evidence);
    await hook.close();
  });

  it('a command that fails is reported with its exit status and output, not thrown', async () => {
    const out = await callRollbackHook({ kind: 'command', command: process.execPath, args: ['-e', "console.error('cannot reach the release API for ' + process.env.ROLLBACK_VERSION); process.exit(3)"], timeoutMs: 10_000 }, evidence, retry, noWait);
    expect(out.status).toBe('failed');
    expect(out.detail).toMatch(/exited 3: cannot reach the release API for 1\.6\.0$/);
    const missing = await callRollbackHook({ kind: 'command', command: join(dir, 'no-such-script'), args: [], timeoutMs: 10_000 }, evidence, retry, noWait);
    expect(missing).toMatchObject({ status: 'failed', detail: expect.stringMatching(/ENOENT/) });
  });
});
