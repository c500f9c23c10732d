// The person's own data: "Export my data" downloads exactly what the device stores, and "Delete my
// data" (after a confirmation) empties the store, which the dashboard then says.
import { readFileSync } from 'node:fs';
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
  e = await startE2EStack({ withCollector: false });
  e.stack.service.setConsent({ usage: 'local', performance: 'local', errors: 'local' });
  useTheApp(e.stack.service);
  measureTheApp(e.stack.service);
  browser = await launchChromium();
  page = await openDashboard(browser, e.stack.host.url);
  await openTab(page, 'Privacy');
});
afterAll(async () => {
  await browser?.close();
  await e?.close();
});

describe('Export my data and Delete my data', () => {
  it('Export downloads a JSON file of exactly the events and summaries stored on this device', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export my data' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^telemetry-export-\d{8}-\d{6}\.json$/);
    const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      format: string;
      consent: { categories: Record<string, string> };
      events: { event: { id: string; name: string } }[];
      rollups: unknown[];
    };
    const storedIds = e.deviceRows('SELECT id FROM events').map((r) => r.id as string);
    const storedRollups = Number(e.deviceRows('SELECT count(*) AS n FROM rollups')[0]!.n);
    expect(file.format).toBe('local-first-telemetry-export');
    expect(file.events.map((x) => x.event.id).sort()).toEqual(storedIds.sort());
    expect(storedIds.length).toBe(7);
    expect(file.rollups).toHaveLength(storedRollups);
    expect(file.consent.categories).toMatchObject({ usage: 'local', performance: 'local', errors: 'local', crashes: 'off' });
    await page.getByText(`Exported ${storedIds.length} events`).waitFor();
  });

  it('Delete asks first, and Cancel keeps everything', async () => {
    await page.getByRole('button', { name: 'Delete my data…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete all telemetry kept on this device?' });
    await dialog.waitFor();
    await screenshot(page, 'privacy-delete-confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(e.deviceRows('SELECT count(*) AS n FROM events')[0]!.n).toBe(7);
  });

  it('Delete, once confirmed, empties the store at once and the dashboard says nothing is recorded', async () => {
    await openTab(page, 'Dashboard');
    await expect.poll(() => page.locator('[data-tile="Sessions"]').textContent(), POLL).toBe('1');
    await openTab(page, 'Privacy');
    await page.getByRole('button', { name: 'Delete my data…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete all telemetry kept on this device?' });
    await dialog.getByRole('button', { name: 'Delete my data' }).click();
    await page.getByText('Deleted 7 events and every summary.').waitFor();
    expect(e.deviceRows('SELECT count(*) AS n FROM events')[0]!.n).toBe(0);
    expect(e.deviceRows('SELECT count(*) AS n FROM rollups')[0]!.n).toBe(0);

    await openTab(page, 'Dashboard');
    await page.getByText('No events recorded in the last 24 hours').waitFor();
    expect(await page.getByTestId('tiles').count()).toBe(0);
    await screenshot(page, 'dashboard-after-delete');
  });
});
