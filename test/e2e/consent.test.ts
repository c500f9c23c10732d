// The consent promise, end to end: the person's choice in the Privacy view decides what the app's
// events do — nothing, kept on this device, or sent to the collector — and the dashboard,
// diagnostics and "What was sent" show exactly that.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, openDashboard, openTab, screenshot } from './support/browser.js';
import { startE2EStack, type E2EStack } from './support/stack.js';
import { measureTheApp, useTheApp } from './support/track.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const POLL = { timeout: 15_000, interval: 100 };

let e: E2EStack;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  e = await startE2EStack();
  browser = await launchChromium();
  page = await openDashboard(browser, e.stack.host.url);
});
afterAll(async () => {
  await browser?.close();
  await e?.close();
});

const collected = () => e.collector()!.store.count();
const usageRows = () => Number(e.deviceRows("SELECT count(*) AS n FROM events WHERE category = 'usage'")[0]!.n);
const allRows = () => Number(e.deviceRows('SELECT count(*) AS n FROM events')[0]!.n);

async function chooseLevel(category: string, level: RegExp): Promise<void> {
  const radio = page.getByRole('group', { name: category }).getByRole('radio', { name: level });
  await radio.check();
  await expect.poll(() => radio.isChecked(), POLL).toBe(true);
}

describe('what the person chooses in Privacy is what happens to their events', () => {
  it('first run: every category is off, the dashboard says nothing is collected, and nothing is stored or sent', async () => {
    await page.getByText('Nothing collected: all categories are off').waitFor();
    await screenshot(page, 'dashboard-first-run');

    await openTab(page, 'Privacy');
    for (const category of ['Usage', 'Performance', 'Errors', 'Crashes']) {
      expect(await page.getByRole('group', { name: category }).getByRole('radio', { name: /^Off/ }).isChecked()).toBe(true);
    }
    await expect.poll(() => page.getByTestId('sent-before').textContent(), POLL).toBe('Before: this device has not uploaded any events.');
    await screenshot(page, 'privacy-first-run');

    // The app goes on recording as usual; with everything off none of it may reach the disk.
    useTheApp(e.stack.service);
    measureTheApp(e.stack.service);
    await e.stack.uploader!.flush();
    expect(allRows()).toBe(0);
    expect(collected()).toBe(0);
    await openTab(page, 'Diagnostics');
    await page.getByText('No events stored on this device.').waitFor();
  });

  it('usage "on this device only": its events show in the dashboard and diagnostics, and none reach the collector', async () => {
    await openTab(page, 'Privacy');
    await chooseLevel('Usage', /^On this device only/);
    const tracked = useTheApp(e.stack.service);
    measureTheApp(e.stack.service); // performance and errors are still off: dropped

    await openTab(page, 'Dashboard');
    const sessions = page.locator('[data-tile="Sessions"]');
    await expect.poll(() => sessions.textContent(), POLL).toBe('1');
    await page.getByRole('table', { name: 'Top features' }).getByText('chat').waitFor();

    await openTab(page, 'Diagnostics');
    const table = page.getByRole('table', { name: 'Recent events' });
    await expect.poll(() => table.locator('tbody tr').count(), POLL).toBe(tracked);
    expect(await table.getByText('on device').count()).toBe(tracked);
    expect(await table.getByText('mcp.tool_failed').count()).toBe(0);
    await screenshot(page, 'diagnostics-usage-local');

    await e.stack.uploader!.flush();
    expect(usageRows()).toBe(tracked);
    expect(allRows()).toBe(tracked);
    expect(collected()).toBe(0);
  });

  it('usage "share": new events reach the collector, and "What was sent" lists exactly what the collector holds', async () => {
    await openTab(page, 'Privacy');
    await chooseLevel('Usage', /^Share/);
    const tracked = useTheApp(e.stack.service);
    await expect.poll(collected, POLL).toBe(tracked);

    const held = new Set(e.collector()!.store.ids());
    await expect.poll(() => page.getByTestId('sent-before').textContent(), POLL).toMatch(new RegExp(`^Before: ${tracked} events were accepted by the server in the \\d+ most recent uploads logged .*of the categories shared then: Usage\\.$`));
    expect(await page.getByTestId('sent-now').textContent()).toBe('Now: Usage is set to Share: new events of it are uploaded in the background. Nothing else leaves this device.');
    expect(await page.getByTestId('sent-kept').textContent()).toMatch(new RegExp(`^Kept here: ${tracked} events stored on this device were sent`));
    const sentItems = page.getByRole('list', { name: 'Events sent' }).getByRole('listitem');
    await expect.poll(() => sentItems.count(), POLL).toBe(held.size);
    // Each listed event's JSON, as the person sees it when they open it, is one the collector holds.
    const shown = new Set<string>();
    for (let i = 0; i < held.size; i++) {
      await sentItems.nth(i).locator('summary').click();
      const json = JSON.parse((await sentItems.nth(i).locator('pre').textContent()) ?? '{}') as { id: string };
      shown.add(json.id);
    }
    expect(shown).toEqual(held);
    await page.getByText(/^Upload log: the \d+ most recent uploads$/).click();
    const uploads = page.getByRole('table', { name: 'Recent uploads' });
    expect(await uploads.getByText('usage').count()).toBeGreaterThan(0);
    await screenshot(page, 'privacy-usage-shared');
  });

  it('usage "off": every usage row is gone from this device, and the dashboard says collection is off', async () => {
    expect(usageRows()).toBeGreaterThan(0);
    await chooseLevel('Usage', /^Off/);
    expect(usageRows()).toBe(0);
    // One story: nothing is sent now, what was sent before is still told, and none of it is kept here.
    await expect.poll(() => page.getByTestId('sent-now').textContent(), POLL).toBe('Now: Nothing is sent: no category is set to Share.');
    expect(await page.getByTestId('sent-before').textContent()).toMatch(/^Before: \d+ events were accepted by the server/);
    await expect.poll(() => page.getByTestId('sent-kept').textContent(), POLL).toMatch(/^Kept here: none of the events sent is still stored on this device/);
    await screenshot(page, 'privacy-all-off-after-sharing');

    await openTab(page, 'Diagnostics');
    await page.getByText('No events stored on this device.').waitFor();
    await openTab(page, 'Dashboard');
    await page.getByText('Nothing collected: all categories are off').waitFor();
  });
});
