// Every view with a week of realistic history (two app versions), in light and dark and at the
// smallest supported window (1024x768): what a person sees, saved as screenshots to look at.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordHistory } from '../../src/demo/history.js';
import { launchChromium, openDashboard, openTab, screenshot } from './support/browser.js';
import { APP_VERSION, startE2EStack, type E2EStack } from './support/stack.js';

// Two cores shared with other work: a page with a week of history can take tens of seconds.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });
const POLL = { timeout: 60_000, interval: 100 };
const DAY = 86_400_000;
const ALL_LOCAL = { usage: 'local', performance: 'local', errors: 'local', crashes: 'local' } as const;

let e: E2EStack;
let browser: Browser;

beforeAll(async () => {
  const now = Date.now();
  e = await startE2EStack({
    withCollector: false,
    prepare: (dataDir) => {
      const common = { dataDir, os: 'linux-x64', consent: ALL_LOCAL, sessionsPerDay: 6 };
      recordHistory({ ...common, appVersion: '1.4.0', from: now - 7 * DAY, to: now - 2 * DAY, seed: 1 });
      recordHistory({ ...common, appVersion: APP_VERSION, from: now - 2 * DAY, to: now - 60_000, seed: 2 });
    },
  });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await e?.close();
});

async function showWeek(page: Page): Promise<void> {
  await page.getByRole('radio', { name: '7 days' }).check();
  await expect.poll(() => page.getByRole('table', { name: 'Breakdown by app version' }).locator('tbody tr').count(), POLL).toBe(2);
}

describe('the views with a week of history', () => {
  it('the dashboard shows every tile as a number, the charts, and both versions; the version filter narrows them', async () => {
    const page = await openDashboard(browser, e.stack.host.url);
    await showWeek(page);
    for (const tile of ['Sessions', 'Active time', 'Error rate', 'Crash-free sessions', 'Time to first token', 'Memory']) {
      expect(await page.locator(`[data-tile="${tile}"]`).textContent()).toMatch(/\d/);
    }
    // The by-version table: release figures with their change against the version before.
    const v150 = page.getByRole('table', { name: 'Breakdown by app version' }).getByRole('row', { name: /^1\.5\.0/ });
    expect(await v150.textContent()).toMatch(/[+−]\d+\.\d%/);
    for (const chart of ['Events over time', 'Error rate', 'API latency', 'Memory']) {
      await page.getByRole('figure', { name: chart }).locator('svg.recharts-surface').first().waitFor();
    }
    await screenshot(page, 'dashboard-week-light');

    // Narrowed to one version, the tiles are that version's row of the breakdown.
    const row = page.getByRole('table', { name: 'Breakdown by app version' }).getByRole('row', { name: /^1\.4\.0/ });
    const allSessions = await page.locator('[data-tile="Sessions"]').textContent();
    const sessionsOf140 = await row.locator('td').nth(1).textContent();
    expect(Number(sessionsOf140)).toBeLessThan(Number(allSessions?.replace(/,/g, '')));
    await page.getByRole('combobox', { name: 'App version' }).selectOption('1.4.0');
    await expect.poll(() => page.locator('[data-tile="Sessions"]').textContent(), POLL).toBe(sessionsOf140);
    expect(await row.getAttribute('aria-current')).toBe('true');
    await page.context().close();
  });

  it('the dashboard follows the dark preference and fits 1024x768', async () => {
    const page = await openDashboard(browser, e.stack.host.url, { colorScheme: 'dark', width: 1024, height: 768 });
    await showWeek(page);
    const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(18, 20, 23)');
    // Nothing wider than the window: no sideways scrolling at the smallest supported size.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    await screenshot(page, 'dashboard-week-dark-1024');
    await openTab(page, 'Privacy');
    await page.getByRole('group', { name: 'Usage' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    await screenshot(page, 'privacy-dark-1024');
    await page.context().close();
  });

  it('tabs work from the keyboard, and diagnostics filter the event log and show an event\'s stored JSON', async () => {
    const page = await openDashboard(browser, e.stack.host.url);
    await page.getByRole('tab', { name: 'Dashboard' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Diagnostics' }).getAttribute('aria-selected')).toBe('true');
    const table = page.getByRole('table', { name: 'Recent events' });
    await expect.poll(() => table.locator('tbody tr').count(), POLL).toBe(200);

    await page.getByRole('combobox', { name: 'Type' }).selectOption('error');
    await expect.poll(async () => new Set(await table.locator('tbody tr td:nth-child(2)').allTextContents()), POLL).toEqual(new Set(['error']));
    await page.getByRole('combobox', { name: 'Type' }).selectOption('');
    await page.getByRole('textbox', { name: 'Name' }).fill('llm.time_to_first_token');
    await expect.poll(async () => new Set(await table.locator('tbody tr td:nth-child(4)').allTextContents()), POLL).toEqual(new Set(['llm.time_to_first_token']));
    await table.getByRole('button', { name: /^JSON/ }).first().click();
    const json = JSON.parse((await table.locator('pre').first().textContent()) ?? '{}') as { name: string; unit: string };
    expect(json).toMatchObject({ name: 'llm.time_to_first_token', unit: 'ms' });
    await screenshot(page, 'diagnostics-filtered-json');

    // Older events page in below the live ones; a stack trace keeps its line breaks.
    await page.getByRole('textbox', { name: 'Name' }).fill('');
    await expect.poll(() => table.locator('tbody tr').count(), POLL).toBeGreaterThanOrEqual(200);
    await page.getByRole('button', { name: 'Show 200 older events' }).click();
    await expect.poll(() => table.locator('tbody > tr:not(.json-row)').count(), POLL).toBeGreaterThan(200);
    const err = new Error('parse failed');
    err.stack = 'Error: parse failed\n    at parseResult (/opt/McpClient/resources/app.asar/dist/main/mcp/result.js:12:7)\n    at onMessage (/opt/McpClient/resources/app.asar/dist/main/mcp/client.js:88:3)';
    e.stack.service.trackError('mcp.result_parse_failed', err);
    await page.getByRole('textbox', { name: 'Name' }).fill('mcp.result_parse_failed');
    await expect.poll(() => table.locator('tbody > tr:not(.json-row)').count(), POLL).toBe(1);
    await table.getByRole('button', { name: /^JSON/ }).first().click();
    const stack = table.getByLabel(/^Stack trace of /).first();
    expect(((await stack.textContent()) ?? '').split('\n').length).toBeGreaterThan(1);
    type Css = { getComputedStyle: (el: unknown) => { whiteSpace: string } };
    expect(await stack.evaluate((el) => (globalThis as unknown as Css).getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    await screenshot(page, 'diagnostics-stack-trace');
    await page.context().close();
  });

  it('reports render the analyzer\'s report in a sandboxed frame, and as Markdown', async () => {
    const page = await openDashboard(browser, e.stack.host.url);
    await openTab(page, 'Reports');
    await page.getByRole('radio', { name: 'Weekly' }).check();
    const frame = page.locator('iframe.report-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    await expect.poll(async () => ((await page.frameLocator('iframe.report-frame').locator('body').textContent()) ?? '').length, POLL).toBeGreaterThan(50);
    await screenshot(page, 'reports-weekly');
    await page.getByRole('radio', { name: 'Markdown' }).check();
    await expect.poll(() => page.getByLabel('Report as Markdown').textContent(), POLL).toMatch(/^#/);
    await page.context().close();
  });
});
