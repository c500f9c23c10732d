// E-mail over SMTP with nodemailer, against a real SMTP receiver (smtp-server) on loopback.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AlertConfigStore } from '../../src/alerting/config-store.js';
import { AlertEngine } from '../../src/alerting/engine.js';
import { FakeClock, FleetWriter, MINUTE, T0 } from './support.js';

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

let server: SMTPServer;
let port: number;
const mails: Mail[] = [];
/** SMTP reply codes to refuse the next messages with (then accept). */
const refuse: number[] = [];

beforeEach(async () => {
  mails.length = 0;
  refuse.length = 0;
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const code = refuse.shift();
        if (code !== undefined) return callback(Object.assign(new Error('try later'), { responseCode: code }));
        mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.server.address() as AddressInfo).port;
});
afterEach(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

function setup() {
  const clock = new FakeClock(T0);
  const fleet = new FleetWriter();
  for (let m = -5; m < 1; m++) for (let d = 0; d < 20; d++) fleet.activity(T0 + m * MINUTE, { device: `d${d}`, version: '2.0.0', crash: m === -1 && d < 5 });
  fleet.flush();
  const config = AlertConfigStore.inMemory({
    channels: [{ kind: 'email', name: 'team-mail', smtpUrl: `smtp://127.0.0.1:${port}`, from: 'alerts@example.com', to: ['oncall@example.com', 'lead@example.com'] }],
    rules: [{ id: 'crash-free', metric: 'crash_free_sessions', groupBy: ['version'], windowMs: 5 * MINUTE, condition: { kind: 'threshold', op: 'below', value: 0.99 }, minVolume: { devices: 10 }, severity: 'critical' }],
  });
  const engine = new AlertEngine({ db: fleet.db, config, clock, sleep: async () => {} });
  return { engine, fleet };
}

it('a firing alert arrives as an e-mail saying what, where, since when and the evidence', async () => {
  const { engine, fleet } = setup();
  engine.evaluate();
  await engine.idle();
  fleet.db.close();
  expect(mails).toHaveLength(1);
  expect(mails[0]!.from).toBe('alerts@example.com');
  expect(mails[0]!.to).toEqual(['oncall@example.com', 'lead@example.com']);
  const raw = mails[0]!.raw.replace(/=\r?\n/g, '');
  expect(raw).toMatch(/Subject: \[CRITICAL\] FIRING: crash-free \(crash_free_sessions\) on version\s+2\.0\.0/);
  expect(raw).toContain('What: crash_free_sessions 0.75 below 0.99');
  expect(raw).toContain('Evidence: 5 of 20 sessions crashed');
  expect(engine.history.list({ kind: 'delivery' })[0]).toMatchObject({ channel: 'team-mail', status: 'delivered', attempts: 1 });
});

it('a temporary SMTP refusal (4xx) is retried; a permanent one (5xx) is shown as failed', async () => {
  const first = setup();
  refuse.push(451);
  first.engine.evaluate();
  await first.engine.idle();
  first.fleet.db.close();
  expect(mails).toHaveLength(1);
  expect(first.engine.history.list({ kind: 'delivery' })[0]).toMatchObject({ status: 'delivered', attempts: 2 });

  const second = setup();
  refuse.push(550);
  second.engine.evaluate();
  await second.engine.idle();
  second.fleet.db.close();
  expect(mails).toHaveLength(1);
  expect(second.engine.history.list({ kind: 'delivery' })[0]).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/^smtp: .*550/) });
});
