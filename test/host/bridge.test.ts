// The bridge as the dashboard sees it, over the browser host's HTTP transport: a real
// TelemetryService on SQLite behind it, the per-run token, and every refusal with a clear error.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBridgeHandlers, type LocalAnalysis } from '../../src/host/bridge-handlers.js';
import { DASHBOARD_CSP, startBrowserHost, type BrowserHost } from '../../src/host/browser-host.js';
import type { DashboardData, RenderedReport } from '../../src/telemetry/bridge.js';
import { BRIDGE_MAX_ARG_BYTES } from '../../src/telemetry/bridge.js';
import type { TelemetryService } from '../../src/telemetry/index.js';
import { harness, type Harness } from '../support/service.js';

let h: Harness;
let t: TelemetryService;
let host: BrowserHost;
const calls: string[] = [];

/** Records what the handlers asked of the analysis; its numbers are the analyzer's own tests' business. */
const analysis: LocalAnalysis = {
  dashboard: (q) => {
    calls.push(`dashboard:${q.range}:${q.appVersion ?? ''}`);
    return { range: q.range, empty: true } as DashboardData;
  },
  report: (kind) => {
    calls.push(`report:${kind}`);
    return { kind, markdown: '# report', html: '<h1>report</h1>' } satisfies RenderedReport;
  },
};

beforeEach(async () => {
  h = harness();
  t = h.open();
  calls.length = 0;
  host = await startBrowserHost({ handlers: createBridgeHandlers({ service: t, analysis, clock: h.clock, rendererErrorsPerMinute: 3 }), token: 'test-token' });
});
afterEach(async () => {
  await host.close();
  h.cleanup();
});

async function call(method: string, args?: unknown, init: { token?: string | null; origin?: string; host?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = init.token === undefined ? 'test-token' : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (init.origin) headers.origin = init.origin;
  const res = await fetch(`${host.origin}/bridge/${method}`, { method: 'POST', headers, body: JSON.stringify(args === undefined ? {} : { args }) });
  return { status: res.status, body: (await res.json()) as { result?: unknown; error?: { code: string; message: string } } };
}

describe('the bridge over HTTP', () => {
  it('answers with the real service: consent set through the bridge is what the service keeps, and events stored are listed', async () => {
    expect((await call('getConsent')).body.result).toMatchObject({ categories: { usage: 'off' }, needsPrompt: true });
    const set = await call('setConsent', { usage: 'local' });
    expect(set.status).toBe(200);
    expect(t.getConsent().categories.usage).toBe('local');
    t.trackApp('app.start');
    const events = (await call('recentEvents', { types: ['app'] })).body.result as { event: { name: string } }[];
    expect(events.map((e) => e.event.name)).toEqual(['app.start']);
  });

  it('passes the dashboard and report queries to the analysis with the arguments given', async () => {
    expect((await call('dashboard', { range: '7d', appVersion: '1.4.0' })).status).toBe(200);
    expect((await call('report', { kind: 'weekly' })).body.result).toMatchObject({ kind: 'weekly' });
    expect(calls).toEqual(['dashboard:7d:1.4.0', 'report:weekly']);
  });

  it('Delete my data empties the store through the bridge, and Export shows exactly what is stored', async () => {
    await call('setConsent', { usage: 'local', errors: 'local' });
    t.trackApp('app.start');
    t.trackError('api.failure', new Error('boom'));
    const exported = (await call('exportData')).body.result as { events: { event: { name: string } }[] };
    expect(exported.events.map((e) => e.event.name).sort()).toEqual(['api.failure', 'app.start']);
    expect((await call('deleteMyData')).body.result).toEqual({ deletedEvents: 2 });
    expect(h.rawRows('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
    expect(((await call('exportData')).body.result as { events: unknown[] }).events).toEqual([]);
  });

  it('diagnostics says sync is not configured when there is no endpoint, and shows the queue', async () => {
    const d = (await call('diagnostics')).body.result as { sync: { paused: string; endpoint: null }; health: { storage: string } };
    expect(d.sync).toMatchObject({ paused: 'no endpoint configured', endpoint: null });
    expect(d.health.storage).toBe('file');
  });

  it('renderer errors are recorded as error events, at most the configured number per minute', async () => {
    await call('setConsent', { errors: 'local' });
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await call('reportRendererError', { kind: 'error', message: `TypeError: x is undefined ${i}` })).body.result);
    expect(results).toEqual([{ accepted: true }, { accepted: true }, { accepted: true }, { accepted: false }, { accepted: false }]);
    t.flush();
    expect(h.rawRows("SELECT name FROM events WHERE event_type = 'error'")).toHaveLength(3);
    h.clock.advance(60_000);
    expect((await call('reportRendererError', { kind: 'unhandledrejection', message: 'later' })).body.result).toEqual({ accepted: true });
  });
});

describe('what the bridge refuses, and how it says so', () => {
  it('a malformed argument is a 400 naming the field, and nothing changes', async () => {
    const r = await call('setConsent', { usage: 'everything' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'bad_request' });
    expect(r.body.error!.message).toContain('usage');
    expect(t.getConsent().categories.usage).toBe('off');
  });

  it('an unknown key, an unknown method and oversized arguments are refused', async () => {
    expect((await call('setConsent', { usage: 'local', admin: true })).status).toBe(400);
    const unknown = await call('dropTables');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error!.code).toBe('unknown_method');
    const big = await call('recentEvents', { text: 'x'.repeat(BRIDGE_MAX_ARG_BYTES) });
    expect([400, 413]).toContain(big.status);
    expect(big.body.error!.code).toMatch(/too_large|bad_request/);
  });

  it('without the token, or with a wrong one, nothing is answered', async () => {
    await call('setConsent', { usage: 'local' });
    t.trackApp('app.start');
    for (const token of [null, 'guess']) {
      const r = await call('exportData', undefined, { token });
      expect(r.status).toBe(401);
      expect(r.body.result).toBeUndefined();
    }
  });

  it('a page from another origin is refused even with the token', async () => {
    const r = await call('getConsent', undefined, { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
  });

  it('a request naming another host (DNS rebinding) is refused', async () => {
    // fetch() will not let a page set Host, but a rebinding attack makes the browser send the
    // attacker's name there; node:http sends what we say.
    const res = await new Promise<{ status: number }>((resolve, reject) => {
      const req = request(`${host.origin}/bridge/getConsent`, { method: 'POST', headers: { authorization: 'Bearer test-token', 'content-type': 'application/json', host: 'evil.example' } }, (r) => {
        r.resume();
        resolve({ status: r.statusCode ?? 0 });
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(res.status).toBe(421);
  });

  it('the dashboard page carries the same policy as a meta tag, for Electron\'s file:// page that gets no headers', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const withoutFrameAncestors = DASHBOARD_CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
    expect(meta).toBe(withoutFrameAncestors);
  });

  it('pages are served with a strict Content-Security-Policy', async () => {
    const res = await fetch(`${host.origin}/`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
