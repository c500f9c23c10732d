// The alert engine on simulated time: rules over a collector store, a real webhook on loopback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryLog } from '../../src/alerting/history.js';
import { AlertConfigStore } from '../../src/alerting/config-store.js';
import { AlertEngine } from '../../src/alerting/engine.js';
import type { RuleInput } from '../../src/alerting/rule.js';
import { FakeClock, FleetWriter, MINUTE, simpleScorer, startWebhookReceiver, T0, type WebhookReceiver } from './support.js';

let hook: WebhookReceiver;
let clock: FakeClock;
let fleet: FleetWriter;
const sleeps: number[] = [];

beforeEach(async () => {
  clock = new FakeClock(T0);
  hook = await startWebhookReceiver(clock.now);
  fleet = new FleetWriter();
  sleeps.length = 0;
});
afterEach(async () => {
  await hook.close();
  fleet.db.close();
});

function engineWith(rules: RuleInput[], extra: Partial<ConstructorParameters<typeof AlertEngine>[0]> = {}) {
  const config = AlertConfigStore.inMemory({ rules, channels: [{ kind: 'webhook', name: 'oncall', url: hook.url }] });
  const engine = new AlertEngine({
    db: fleet.db,
    config,
    clock,
    scorer: () => simpleScorer(),
    // Backoff waits are recorded and skipped: the test's clock moves instead.
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    ...extra,
  });
  return { engine, config };
}

/** 100 devices on 1.6.0, each active every minute of [from, to); `errorsAt(minute, device)` errors. */
function traffic(from: number, to: number, errorsAt: (m: number, d: number) => number = () => 0) {
  for (let t = from; t < to; t += MINUTE) for (let d = 0; d < 100; d++) fleet.activity(t + d * 100, { device: `d${d}`, version: '1.6.0', events: 4, errors: errorsAt((t - T0) / MINUTE, d) });
  fleet.flush();
}

const errorRule: RuleInput = {
  id: 'error-rate',
  description: 'Errors above 5% of events',
  metric: 'error_rate',
  groupBy: ['version'],
  windowMs: 5 * MINUTE,
  condition: { kind: 'threshold', op: 'above', value: 0.05 },
  minVolume: { devices: 10 },
  severity: 'critical',
};

describe('alert rules', () => {
  it('a threshold breach pages once with a Slack-compatible body, and once more when it resolves', async () => {
    traffic(T0 - 10 * MINUTE, T0 + 30 * MINUTE, (m) => (m >= 5 && m < 15 ? 1 : 0));
    const { engine } = engineWith([errorRule]);
    for (let m = 0; m <= 30; m++) {
      clock.t = T0 + m * MINUTE;
      engine.evaluate();
    }
    await engine.idle();
    expect(hook.received.map((r) => r.body.alert.status)).toEqual(['firing', 'resolved']);
    const page = hook.received[0]!.body;
    expect(page.text).toBe('[CRITICAL] FIRING: error-rate (error_rate) on version 1.6.0');
    expect(page.attachments[0].text).toMatch(/What: error_rate 0\.0909 above 0\.05\n/);
    expect(page.attachments[0].text).toMatch(/Where: version 1\.6\.0 \(100 of 100 devices affected, 100 sessions in the window\)/);
    expect(page.attachments[0].fields).toContainEqual({ title: 'version', value: '1.6.0', short: true });
    expect(page.alert.labels).toEqual({ version: '1.6.0' });
    expect(page.attachments[0].text).toMatch(/Evidence: 200 errors and 0 crashes in 2200 events/);
    // A 5-minute window: one errored minute is 100 errors in 2100 events (4.8%), two are 9.1%; the
    // last errored minute (14) leaves the window at 19.
    expect(page.alert.since).toBe(T0 + 7 * MINUTE);
    expect(hook.received[1]!.body.alert.at).toBe(T0 + 19 * MINUTE);
    const transitions = engine.history.list({ kind: 'alert' }).reverse().map((e) => (e.kind === 'alert' ? e.transition : ''));
    expect(transitions).toEqual(['firing', 'resolved']);
    expect(engine.history.list({ kind: 'delivery' }).map((e) => (e.kind === 'delivery' ? e.status : ''))).toEqual(['delivered', 'delivered']);
  });

  it('a condition must hold for forMs before it fires; a blip shorter than that never pages', async () => {
    traffic(T0 - 10 * MINUTE, T0 + 40 * MINUTE, (m) => ((m >= 3 && m < 4) || (m >= 20 && m < 30) ? 1 : 0));
    const { engine } = engineWith([{ ...errorRule, windowMs: MINUTE, forMs: 3 * MINUTE }]);
    for (let m = 0; m <= 40; m++) {
      clock.t = T0 + m * MINUTE;
      engine.evaluate();
    }
    await engine.idle();
    const transitions = engine.history.list({ kind: 'alert' }).reverse().map((e) => (e.kind === 'alert' ? `${e.transition}@${(e.at - T0) / MINUTE}` : ''));
    expect(transitions).toEqual(['pending@4', 'cleared@5', 'pending@21', 'firing@24', 'resolved@31']);
    expect(hook.received).toHaveLength(2);
  });

  it('one device cannot page anyone: below the minimum volume the rule stays quiet', async () => {
    for (let m = -10; m < 10; m++) fleet.activity(T0 + m * MINUTE, { device: 'lonely', version: '1.6.0', errors: 5 });
    fleet.flush();
    const { engine } = engineWith([errorRule]);
    engine.evaluate();
    await engine.idle();
    expect(hook.received).toHaveLength(0);
    expect(engine.active()).toEqual([]);
  });

  it('a silence mutes the page but the history shows the alert and that it was silenced', async () => {
    traffic(T0 - 10 * MINUTE, T0 + 5 * MINUTE, () => 1);
    const { engine, config } = engineWith([errorRule]);
    config.addSilence({ id: 'deploy-window', matchers: { rule: 'error-rate', version: '1.6.0' }, startsAt: T0 - MINUTE, endsAt: T0 + 10 * MINUTE, comment: 'known', createdBy: 'sam' });
    engine.evaluate();
    await engine.idle();
    expect(hook.received).toHaveLength(0);
    expect(engine.active()[0]).toMatchObject({ status: 'firing', silencedBy: 'deploy-window' });
    expect(engine.history.list({ kind: 'delivery' })[0]).toMatchObject({ status: 'silenced', channel: 'oncall' });
  });

  it('an anomaly rule pages on a jump the injected scorer finds, after learning from the store', async () => {
    traffic(T0 - 90 * MINUTE, T0 + 10 * MINUTE, (m, d) => (m >= 5 ? (d < 40 ? 1 : 0) : d % 25 === 0 ? 1 : 0));
    const { engine } = engineWith([{ ...errorRule, id: 'error-anomaly', windowMs: MINUTE, condition: { kind: 'anomaly', minScore: 0.9, warmupPoints: 60 } }]);
    for (let m = 0; m <= 7; m++) {
      clock.t = T0 + m * MINUTE;
      engine.evaluate();
    }
    await engine.idle();
    // The first minute of the jump fires; none before it (the learned past is quiet).
    expect(hook.received.filter((r) => r.body.alert.status === 'firing')).toHaveLength(1);
    expect(hook.received[0]!.body.alert.status).toBe('firing');
    expect(hook.received[0]!.body.alert.since).toBe(T0 + 6 * MINUTE);
    expect(hook.received[0]!.body.alert.reason).toMatch(/^anomaly score (0\.9\d+|1\.000) >= 0\.9$/);
  });

  it('an undeliverable page is retried with backoff and then shown as failed, not dropped', async () => {
    traffic(T0 - 10 * MINUTE, T0 + MINUTE, () => 1);
    hook.failNext(503, 503, 503, 503, 503, 503);
    const { engine } = engineWith([errorRule]);
    engine.evaluate();
    await engine.idle();
    expect(hook.received).toHaveLength(0);
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(engine.history.list({ kind: 'delivery' })[0]).toMatchObject({ status: 'failed', attempts: 6, error: 'webhook answered 503', channel: 'oncall' });
  });

  it('a receiver that blips gets the page on a later attempt', async () => {
    traffic(T0 - 10 * MINUTE, T0 + MINUTE, () => 1);
    hook.failNext(500, 429);
    const { engine } = engineWith([errorRule]);
    engine.evaluate();
    await engine.idle();
    expect(hook.received).toHaveLength(1);
    expect(engine.history.list({ kind: 'delivery' })[0]).toMatchObject({ status: 'delivered', attempts: 3 });
  });

  it('a 4xx answer is not retried: it would fail the same way every time', async () => {
    traffic(T0 - 10 * MINUTE, T0 + MINUTE, () => 1);
    hook.failNext(400);
    const { engine } = engineWith([errorRule]);
    engine.evaluate();
    await engine.idle();
    expect(sleeps).toEqual([]);
    expect(engine.history.list({ kind: 'delivery' })[0]).toMatchObject({ status: 'failed', attempts: 1, error: 'webhook answered 400' });
  });

  it('a rule that cannot be evaluated shows its error without stopping the others', async () => {
    traffic(T0 - 10 * MINUTE, T0 + MINUTE, () => 1);
    const { engine } = engineWith([{ ...errorRule, id: 'needs-scorer', condition: { kind: 'anomaly' } }, errorRule], { scorer: undefined });
    engine.evaluate();
    await engine.idle();
    expect(hook.received).toHaveLength(1);
    expect(engine.rulesStatus().find((s) => s.ruleId === 'needs-scorer')!.lastError).toMatch(/needs an anomaly scorer/);
  });
});

describe('across a restart', () => {
  it('an alert already paged is not paged again by the next collector process, and its resolution still is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alert-restart-'));
    try {
      traffic(T0 - 10 * MINUTE, T0 + 20 * MINUTE, (m) => (m < 10 ? 1 : 0));
      const first = engineWith([errorRule], { history: new HistoryLog(join(dir, 'history.jsonl')) }).engine;
      first.evaluate();
      await first.idle();
      expect(hook.received.map((r) => r.body.alert.status)).toEqual(['firing']);

      clock.advance(5 * MINUTE); // the collector restarts; the errors go on
      const second = engineWith([errorRule], { history: new HistoryLog(join(dir, 'history.jsonl')) }).engine;
      expect(second.active().map((a) => [a.key, a.status])).toEqual([['error-rate{version=1.6.0}', 'firing']]);
      second.evaluate();
      await second.idle();
      expect(hook.received).toHaveLength(1);

      clock.advance(15 * MINUTE); // errors stopped at minute 10
      second.evaluate();
      await second.idle();
      expect(hook.received.map((r) => r.body.alert.status)).toEqual(['firing', 'resolved']);
      expect(hook.received[1]!.body.alert.since).toBe(T0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('evaluation cadence', () => {
  it('a rule is re-evaluated once per 1/60 of its window: a 24 h rule every 24 minutes, a 5 minute rule every tick', () => {
    const { engine } = engineWith([errorRule, { ...errorRule, id: 'daily', windowMs: 24 * 60 * MINUTE }]);
    const last = () => Object.fromEntries(engine.rulesStatus().map((s) => [s.ruleId, (s.lastEvaluatedAt! - T0) / MINUTE]));
    engine.evaluate();
    clock.advance(MINUTE / 2);
    engine.evaluate();
    expect(last()).toEqual({ 'error-rate': 0.5, daily: 0 });
    clock.t = T0 + 24 * MINUTE;
    engine.evaluate();
    expect(last()).toEqual({ 'error-rate': 24, daily: 24 });
  });
});
