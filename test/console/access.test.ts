// Who may read the fleet console: the token printed at start, traded for an expiring session; the
// Host and Origin checks of the browser host; CSRF-safe changes; clear errors for bad questions.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAccess, SESSION_IDLE_MS, SESSION_MAX_AGE_MS } from '../../src/console/access.js';
import { startFleetConsole, type FleetConsole } from '../../src/console/server.js';
import { FLEET_END, fleetDb, manualClock } from './support/fleet-db.js';

const TOKEN = 'test-token-0123456789';
let fleet: ReturnType<typeof fleetDb>;
let c: FleetConsole;
const clock = manualClock(FLEET_END - 1);

beforeAll(async () => {
  fleet = fleetDb(12);
  c = await startFleetConsole({ dbPath: fleet.path, token: TOKEN, clock });
}, 120_000);
afterAll(async () => {
  await c?.close();
  fleet?.remove();
});

async function login(token = TOKEN): Promise<{ status: number; cookie: string | null; csrf?: string }> {
  const r = await fetch(`${c.origin}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: c.origin }, body: JSON.stringify({ token }) });
  const body = (await r.json()) as { csrf?: string };
  return { status: r.status, cookie: r.headers.get('set-cookie')?.split(';')[0] ?? null, csrf: body.csrf };
}

function rawGet(path: string, headers: Record<string, string>): Promise<number> {
  const u = new URL(c.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('access to the fleet console', () => {
  it('prints a way in that carries the token only in the fragment, which browsers never send', () => {
    expect(c.loginUrl).toBe(`${c.origin}/#token=${TOKEN}`);
  });

  it('answers no API call without a session', async () => {
    for (const path of ['/api/issues', '/api/executive', '/api/logs?q=json', '/api/session']) {
      const r = await fetch(`${c.origin}${path}`);
      expect(r.status, path).toBe(401);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('refuses a wrong token and gives a right one an HttpOnly, SameSite=Strict session cookie', async () => {
    expect((await login('not-the-token')).status).toBe(401);
    const r = await fetch(`${c.origin}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: c.origin }, body: JSON.stringify({ token: TOKEN }) });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/^fleet_console_session=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=28800$/);
    const ok = await login();
    const issues = await fetch(`${c.origin}/api/issues?days=30`, { headers: { cookie: ok.cookie! } });
    expect(issues.status).toBe(200);
    expect(((await issues.json()) as unknown[]).length).toBeGreaterThan(0);
  });

  it('keeps only the hash of the token', () => {
    const { access } = ConsoleAccess.create(clock, 'a-secret-token-value');
    expect(JSON.stringify(access)).not.toContain('a-secret-token-value');
    expect(access.checkToken('a-secret-token-value')).toBe(true);
    expect(access.checkToken('a-secret-token-valuf')).toBe(false);
  });

  it('ends a session after an idle hour, and after a working day however busy', async () => {
    const { cookie } = await login();
    const get = () => fetch(`${c.origin}/api/versions`, { headers: { cookie: cookie! } }).then((r) => r.status);
    clock.advance(SESSION_IDLE_MS - 1000);
    expect(await get()).toBe(200);
    clock.advance(SESSION_IDLE_MS - 1000); // idle clock restarted by the call before
    expect(await get()).toBe(200);
    clock.advance(SESSION_IDLE_MS);
    expect(await get()).toBe(401);

    const busy = await login();
    for (let t = SESSION_IDLE_MS / 2; t < SESSION_MAX_AGE_MS; t += SESSION_IDLE_MS / 2) {
      clock.advance(SESSION_IDLE_MS / 2);
      expect(await fetch(`${c.origin}/api/versions`, { headers: { cookie: busy.cookie! } }).then((r) => r.status)).toBe(200);
    }
    clock.advance(SESSION_IDLE_MS / 2);
    expect(await fetch(`${c.origin}/api/versions`, { headers: { cookie: busy.cookie! } }).then((r) => r.status)).toBe(401);
  });

  it('answers only to its own Host (DNS rebinding) and refuses foreign Origins', async () => {
    const { cookie } = await login();
    expect(await rawGet('/api/versions', { host: new URL(c.origin).host, cookie: cookie! })).toBe(200);
    expect(await rawGet('/api/versions', { host: 'evil.example:80', cookie: cookie! })).toBe(421);
    expect(await rawGet('/', { host: 'evil.example:80' })).toBe(421);
    expect(await rawGet('/api/versions', { host: new URL(c.origin).host, cookie: cookie!, origin: 'http://evil.example' })).toBe(403);
  });

  it('changes state only with the session CSRF token and a same-origin Origin', async () => {
    const s = await login();
    const del = (headers: Record<string, string>) => fetch(`${c.origin}/api/session`, { method: 'DELETE', headers: { cookie: s.cookie!, ...headers } }).then((r) => r.status);
    expect(await del({})).toBe(403); // no Origin
    expect(await del({ origin: c.origin })).toBe(403); // no CSRF token
    expect(await del({ origin: c.origin, 'x-csrf-token': 'x'.repeat(43) })).toBe(403);
    expect(await del({ origin: c.origin, 'x-csrf-token': s.csrf! })).toBe(200);
    expect(await fetch(`${c.origin}/api/versions`, { headers: { cookie: s.cookie! } }).then((r) => r.status)).toBe(401);
  });

  it('says what is wrong with a bad question, and that an unknown group is not there', async () => {
    const { cookie } = await login();
    const ask = async (path: string) => {
      const r = await fetch(`${c.origin}${path}`, { headers: { cookie: cookie! } });
      return { status: r.status, body: (await r.json()) as { error?: { code: string; message: string } } };
    };
    expect(await ask('/api/issues?days=0')).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: expect.stringMatching(/^days: /) } } });
    expect(await ask('/api/executive?period=year')).toMatchObject({ status: 400 });
    expect(await ask('/api/funnel?steps=Not%20A%20Name')).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/steps/) } } });
    expect(await ask(`/api/logs?q=${'x'.repeat(500)}`)).toMatchObject({ status: 400 });
    expect(await ask('/api/issues/ffffffffffffffff')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await ask('/api/issues/..%2F..%2Fetc')).toMatchObject({ status: 400 });
  });
});
