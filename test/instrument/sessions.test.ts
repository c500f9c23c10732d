// Sessions and the app's lifecycle, recorded on a real store: a new session after 30 minutes idle
// and on resume from sleep, each ended with its active length; start-up and window load times.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { METRIC } from '../../src/telemetry/event/metric-names.js';
import { AppLifecycle } from '../../src/telemetry/instrument/app-lifecycle.js';
import { SESSION_IDLE_MS, SessionManager } from '../../src/telemetry/instrument/session-manager.js';
import { consentedService, type Instrumented } from './support.js';

let t: Instrumented;
let sessions: SessionManager;
const MIN = 60_000;

beforeEach(() => {
  t = consentedService();
  sessions = new SessionManager(t.service, t.h.clock);
});
afterEach(() => t.h.cleanup());

const ends = () => t.rows(METRIC.sessionEnd).map((r) => (r.payload.context as Record<string, unknown>));

describe('sessions', () => {
  it('activity within 30 minutes stays in one session', () => {
    sessions.start();
    for (let i = 0; i < 10; i++) {
      t.h.clock.advance(29 * MIN);
      sessions.activity();
    }
    expect(t.rows(METRIC.sessionStart)).toHaveLength(1);
    expect(ends()).toEqual([]);
    // Every event of the run carries the one session id.
    expect(new Set(t.rows().map((r) => r.session_id)).size).toBe(1);
  });

  it('activity after 30 minutes idle ends the session at its last activity and starts a new one', () => {
    sessions.start();
    t.h.clock.advance(10 * MIN);
    sessions.activity();
    t.h.clock.advance(SESSION_IDLE_MS);
    sessions.activity();
    expect(ends()).toEqual([{ duration_ms: 10 * MIN, end_reason: 'idle' }]);
    const starts = t.rows(METRIC.sessionStart);
    expect(starts).toHaveLength(2);
    expect(starts[0]!.session_id).not.toBe(starts[1]!.session_id);
    // The end belongs to the first session, not the new one.
    expect(t.rows(METRIC.sessionEnd)[0]!.session_id).toBe(starts[0]!.session_id);
  });

  it('resume from sleep starts a new session; the old one ends where sleep began', () => {
    sessions.start();
    t.h.clock.advance(5 * MIN);
    sessions.suspend();
    t.h.clock.advance(2 * MIN); // shorter than the idle limit: sleep alone decides
    sessions.resume();
    expect(ends()).toEqual([{ duration_ms: 5 * MIN, end_reason: 'suspend' }]);
    expect(t.rows(METRIC.sessionStart)).toHaveLength(2);
  });

  it('quit ends the running session with its length', () => {
    sessions.start();
    t.h.clock.advance(3 * MIN);
    sessions.stop();
    sessions.stop();
    expect(ends()).toEqual([{ duration_ms: 3 * MIN, end_reason: 'quit' }]);
  });
});

describe('app lifecycle', () => {
  it('records app start, the start-up time from process start to the first window, and window loads', () => {
    const processStart = t.h.clock.now();
    const life = new AppLifecycle(t.service, t.h.clock, sessions, processStart);
    t.h.clock.advance(400);
    life.started();
    t.h.clock.advance(850);
    life.firstWindowShown();
    t.h.clock.advance(5000);
    life.firstWindowShown(); // a second window is not a start-up
    const loadStart = t.h.clock.now();
    t.h.clock.advance(320);
    life.windowLoaded(loadStart);

    expect(t.rows(METRIC.appStart)).toHaveLength(1);
    expect(t.rows(METRIC.sessionStart)).toHaveLength(1);
    expect(t.rows(METRIC.startupTime).map((r) => [r.payload.value, r.payload.unit])).toEqual([[1250, 'ms']]);
    expect(t.rows(METRIC.windowLoad).map((r) => r.payload.value)).toEqual([320]);
  });

  it('records app stop once, after the session end, with the uptime', () => {
    const life = new AppLifecycle(t.service, t.h.clock, sessions, t.h.clock.now());
    life.started();
    t.h.clock.advance(60_000);
    life.stopping();
    life.stopping();
    const names = t.rows().map((r) => r.name);
    expect(names).toEqual([METRIC.appStart, METRIC.sessionStart, METRIC.sessionEnd, METRIC.appStop]);
    expect(t.rows(METRIC.appStop)[0]!.payload.context).toEqual({ uptime_ms: 60_000 });
  });
});

describe('consent given during a run', () => {
  it('starts a session at the yes, since the one running had its start declined', () => {
    t.service.setConsent({ usage: 'off' });
    sessions.start();
    t.h.clock.advance(MIN);
    t.service.setConsent({ usage: 'local' });
    sessions.consentGranted();
    t.h.clock.advance(2 * MIN);
    sessions.stop();
    expect(t.rows(METRIC.sessionStart)).toHaveLength(1);
    expect(ends()).toEqual([{ duration_ms: 2 * MIN, end_reason: 'quit' }]);
    expect(t.rows(METRIC.sessionEnd)[0]!.session_id).toBe(t.rows(METRIC.sessionStart)[0]!.session_id);
  });
});
