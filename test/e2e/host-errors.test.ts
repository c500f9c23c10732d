// When the page cannot read telemetry it says why in words a person can act on: a wrong or missing
// token, or a host that stopped answering; and it recovers by itself when the host is back.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, openDashboard, screenshot } from './support/browser.js';
import { startE2EStack, type E2EStack } from './support/stack.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let e: E2EStack;
let browser: Browser;

beforeAll(async () => {
  e = await startE2EStack({ withCollector: false });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await e?.close();
});

describe('error states', () => {
  it('a page opened with a wrong token says it is not allowed to read telemetry, and shows no numbers', async () => {
    const page = await openDashboard(browser, `${e.stack.host.origin}/#token=not-the-token`);
    await page.getByRole('alert').getByText('This page is not allowed to read telemetry.').waitFor();
    expect(await page.getByTestId('tiles').count()).toBe(0);
    await screenshot(page, 'error-bad-token');
    await page.context().close();
  });

  it('the token survives a reload of the tab and leaves the address bar', async () => {
    const page = await openDashboard(browser, e.stack.host.url);
    await page.getByText('Nothing collected: all categories are off').waitFor();
    expect(page.url()).not.toContain('token');
    await page.reload();
    await page.getByText('Nothing collected: all categories are off').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.context().close();
  });

  it('a host that stops answering is reported above the view, and the banner goes once it answers again', async () => {
    const page = await openDashboard(browser, e.stack.host.url);
    await page.getByText('Nothing collected: all categories are off').waitFor();
    // Answers from the bridge fail as a stopped host's would (the page itself stays loaded).
    await page.route('**/bridge/**', (route) => route.abort('connectionrefused'));
    await page.getByRole('alert').getByText('Can’t reach the telemetry host.').waitFor();
    await screenshot(page, 'error-host-unreachable');
    await page.unroute('**/bridge/**');
    await page.getByRole('alert').waitFor({ state: 'detached' });
    await page.context().close();
  });
});
