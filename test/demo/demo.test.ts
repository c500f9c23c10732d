// The README's main command, as a person runs it: it must come up with a populated dashboard
// within seconds, sync to its collector, and stop cleanly.
import { afterAll, describe, expect, it } from 'vitest';
import { startTs, type Child } from '../support/processes.js';
import { tempDir } from '../support/service.js';

const dir = tempDir('demo-test-');
let demo: Child | null = null;
afterAll(async () => {
  await demo?.kill('SIGKILL');
  dir.cleanup();
});

async function bridge(origin: string, token: string, method: string, args?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${origin}/bridge/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: Record<string, unknown> }).result;
}

describe('npm run demo', () => {
  it('serves a populated dashboard, syncs this device to the collector, and exits 0 on SIGTERM', async () => {
    demo = startTs('scripts/demo.ts', ['--port', '0', '--no-open', '--fleet-size', '2', '--data-dir', dir.dir]);
    const [, origin, token] = (await demo.waitFor(/Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/, 120_000)) as unknown as [string, string, string];

    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const consent = await bridge(origin, token, 'getConsent');
    expect(consent.categories).toEqual({ usage: 'shared', performance: 'shared', errors: 'shared', crashes: 'shared' });

    const week = (await bridge(origin, token, 'dashboard', { range: '7d' })) as { empty: boolean; versions: string[]; tiles: { sessions: { value: number } }; clockNote: string };
    expect(week.empty).toBe(false);
    expect(week.versions).toEqual(['1.5.0', '1.4.0']);
    expect(week.tiles.sessions.value).toBeGreaterThan(10);
    // The live part runs on compressed time, and says so.
    expect(week.clockNote).toBe('Demo: simulated time, 60× real time');

    // The history of this device was shared: the uploader sends it to the demo's collector.
    await expect.poll(async () => ((await bridge(origin, token, 'recentUploads', { limit: 5 })) as unknown as { outcome: string }[]).some((u) => u.outcome === 'sent'), { timeout: 20_000 }).toBe(true);
    // A real refusal to diagnose: the collector refuses the events older than its retention.
    await expect
      .poll(async () => ((await bridge(origin, token, 'diagnostics')) as unknown as { deadLetters: { reason: string }[] }).deadLetters.map((d) => d.reason), { timeout: 60_000, interval: 500 })
      .toContainEqual(expect.stringContaining('timestamp_out_of_range'));

    const exit = new Promise<number | null>((resolve) => demo!.proc.once('exit', (code) => resolve(code)));
    demo.proc.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 180_000);
});
