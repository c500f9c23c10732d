// Diagnostics during a collector outage: shared events wait as pending while the collector is down,
// and the pending count shown falls to 0 once a collector is back on the same address and database.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, openDashboard, openTab, screenshot } from './support/browser.js';
import { startE2EStack, type E2EStack } from './support/stack.js';
import { useTheApp } from './support/track.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
/** The uploader backs off with jitter after failures (up to 2^attempt s); a short outage costs a few s. */
const POLL = { timeout: 45_000, interval: 200 };

let e: E2EStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  e = await startE2EStack();
  e.stack.service.setConsent({ usage: 'shared' });
  browser = await launchChromium();
  page = await openDashboard(browser, e.stack.host.url);
  await openTab(page, 'Diagnostics');
});
afterAll(async () => {
  await browser?.close();
  await e?.close();
});

describe('diagnostics through a collector outage', () => {
  it('shows events pending while the collector is down, then the pending count falling to 0 when it is back', async () => {
    const pending = page.getByTestId('pending');
    const first = useTheApp(e.stack.service);
    await expect.poll(() => e.collector()?.store.count(), POLL).toBe(first);
    await expect.poll(() => pending.textContent(), POLL).toMatch(/^0 events/);

    await e.stopCollector();
    const during = useTheApp(e.stack.service);
    await expect.poll(() => pending.textContent(), POLL).toMatch(new RegExp(`^${during} events`));
    // The failed attempt is visible, not just a number that does not move.
    await expect.poll(() => page.getByText('Last error').locator('..').locator('dd').textContent(), POLL).not.toBe('None');
    await screenshot(page, 'diagnostics-collector-down');

    await e.restartCollector();
    await expect.poll(() => pending.textContent(), POLL).toMatch(/^0 events/);
    expect(e.collector()!.store.count()).toBe(first + during);
    await page.getByTestId('sync-status').getByText('Online').waitFor();
    await screenshot(page, 'diagnostics-collector-back');
  });
});
