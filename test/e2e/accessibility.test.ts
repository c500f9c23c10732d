// axe (@axe-core/playwright) on every view, light and dark, and on the HTML reports as saved:
// zero violations. Also what a person sees when a category is off: "not collected", never 0%.
// Every view leaves a screenshot in test-results/screenshots.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordHistory } from '../../src/demo/history.js';
import type { RenderedReport } from '../../src/telemetry/bridge.js';
import { launchChromium, openDashboard, openTab, screenshot } from './support/browser.js';
import { APP_VERSION, startE2EStack, type E2EStack } from './support/stack.js';

// axe over a page of tables takes tens of seconds on two shared cores.
vi.setConfig({ testTimeout: 240_000, hookTimeout: 180_000 });
const POLL = { timeout: 15_000, interval: 100 };
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

/** axe's violations, as "rule: target" lines a person can act on. */
async function violations(page: Page, options: { exclude?: string } = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page });
  if (options.exclude) builder = builder.exclude(options.exclude);
  const r = await builder.analyze();
  return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1] ?? v.help}`));
}

async function ready(page: Page, tab: 'Dashboard' | 'Privacy' | 'Diagnostics' | 'Reports'): Promise<void> {
  if (tab !== 'Dashboard') await openTab(page, tab);
  if (tab === 'Dashboard') {
    await page.getByRole('radio', { name: '7 days' }).check();
    await expect.poll(() => page.getByRole('table', { name: 'Breakdown by app version' }).locator('tbody tr').count(), POLL).toBe(2);
    await page.getByRole('figure', { name: 'Memory' }).locator('svg.recharts-surface').first().waitFor();
  }
  if (tab === 'Privacy') await page.getByRole('group', { name: 'Usage' }).waitFor();
  if (tab === 'Diagnostics') await expect.poll(() => page.getByRole('table', { name: 'Recent events' }).locator('tbody tr').count(), POLL).toBeGreaterThan(0);
  if (tab === 'Reports') {
    await page.locator('iframe.report-frame').waitFor();
    await expect.poll(async () => ((await page.frameLocator('iframe.report-frame').locator('body').textContent()) ?? '').length, POLL).toBeGreaterThan(50);
  }
}

describe('accessibility: axe finds nothing', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const tab of ['Dashboard', 'Privacy', 'Diagnostics', 'Reports'] as const) {
      it(`${tab}, ${scheme}`, async () => {
        const page = await openDashboard(browser, e.stack.host.url, { colorScheme: scheme });
        await ready(page, tab);
        await screenshot(page, `a11y-${tab.toLowerCase()}-${scheme}`);
        expect(await violations(page)).toEqual([]);
        await page.context().close();
      });
    }
  }

  for (const kind of ['daily', 'weekly', 'monthly'] as const) {
    it(`the ${kind} HTML report as saved, light and dark`, async () => {
      const report = (await e.stack.handlers.call('report', { kind })) as RenderedReport;
      for (const scheme of ['light', 'dark'] as const) {
        const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1100, height: 900 } });
        const page = await context.newPage();
        await page.setContent(report.html);
        await screenshot(page, `report-${kind}-${scheme}`);
        expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe(scheme === 'dark' ? 'rgb(18, 20, 23)' : 'rgb(255, 255, 255)');
        expect(await violations(page)).toEqual([]);
        await context.close();
      }
    });
  }
});

describe('a category that is off reads "not collected" on the dashboard', () => {
  it('with errors and crashes off, the tiles and the error-rate chart say so instead of 0% and 100%', async () => {
    e.stack.service.setConsent({ errors: 'off', crashes: 'off' });
    try {
      const page = await openDashboard(browser, e.stack.host.url);
      await page.getByRole('radio', { name: '7 days' }).check();
      const errorTile = page.locator('[data-tile="Error rate"]');
      await expect.poll(() => errorTile.textContent(), POLL).toBe('not collected: Errors and Crashes are off');
      expect(await page.locator('[data-tile="Crash-free sessions"]').textContent()).toBe('not collected: Crashes are off');
      await expect.poll(() => page.locator('[data-chart="Error rate"]').textContent(), POLL).toContain('Not collected: Errors and Crashes are off');
      expect(await page.locator('[data-tile="Sessions"]').textContent()).toMatch(/^\d/);
      await screenshot(page, 'dashboard-errors-off');
      expect(await violations(page)).toEqual([]);
      await page.context().close();
    } finally {
      e.stack.service.setConsent({ errors: 'local', crashes: 'local' });
    }
  });
});
