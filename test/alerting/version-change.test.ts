// A rule on "change against the previous version": the release gate's comparison, per version.
import { expect, it } from 'vitest';
import { AlertConfigStore } from '../../src/alerting/config-store.js';
import { AlertEngine } from '../../src/alerting/engine.js';
import type { AlertMessage } from '../../src/alerting/notify/message.js';
import type { Notifier } from '../../src/alerting/notify/notifier.js';
import { DAY, generateFleet } from '../analyzer/support/fleet.js';
import { END, releaseFleet } from '../analyzer/support/scenarios.js';
import { openStore } from '../analyzer/support/store.js';
import { FakeClock } from './support.js';

it('fires for the version whose error rate rose against the one before it, not for the clean one', async () => {
  const db = openStore('collector');
  generateFleet(db, releaseFleet('collector', 100));
  const sent: AlertMessage[] = [];
  const notifier: Notifier = { channel: 'test', send: async ({ json }) => void sent.push(json.alert as AlertMessage) };
  const config = AlertConfigStore.inMemory({
    channels: [{ kind: 'webhook', name: 'test', url: 'http://127.0.0.1:9/unused' }],
    rules: [{ id: 'error-rate-vs-previous', metric: 'error_rate', groupBy: ['version'], windowMs: 30 * DAY, condition: { kind: 'change_vs_previous_version' }, minVolume: { devices: 20 }, severity: 'critical' }],
  });
  const engine = new AlertEngine({ db, config, clock: new FakeClock(END), notifierFor: () => notifier });
  engine.evaluate();
  await engine.idle();
  db.close();
  expect(sent.map((m) => m.labels)).toEqual([{ version: '1.6.0' }]);
  expect(sent[0]!.reason).toMatch(/^error rate .* on 1\.5\.0 -> .* on 1\.6\.0: \d+\.\d% worse, p = /);
  expect(sent[0]!.evidence).toMatch(/error and crash events \/ events: \d+\/\d+ on 1\.6\.0 vs \d+\/\d+ on 1\.5\.0/);
}, 60_000);
