// The console's Alerts and Release health views in Chromium, against a real collector with its
// alerting (the console forwards to the collector's alerting API with an admin key it keeps): the
// firing alert the engine computed on the fleet, rule editing and silences that land in the
// collector's config, the history, the adoption curve the analyzer computes, and the release
// monitor's verdict with its evidence. axe 0 violations in light and dark, 1024 px wide, screenshots.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fmt from '../../renderer/src/format/format.js';
import { launchChromium, screenshot } from '../e2e/support/browser.js';
import { axeViolations } from './support/axe.js';
import { CONSOLE_NOW, startConsoleStack, type ConsoleStack } from './support/console-stack.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 240_000 });
const WAIT = { timeout: 30_000 };
const HOUR = 3_600_000;

let s: ConsoleStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function signedIn(options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme: options.colorScheme ?? 'light', bypassCSP: true });
  const p = await ctx.newPage();
  await p.goto(s.console.loginUrl);
  await p.locator('[data-tile="Daily active devices"]').waitFor(WAIT);
  return { context: ctx, page: p };
}

const open = (p: Page, route: string) => p.evaluate(`location.hash = ${JSON.stringify(`#/${route}`)}`);

beforeAll(async () => {
  s = await startConsoleStack();
  s.alerting.config.upsertRule({ id: 'crash-free', description: 'Crash-free sessions under 99% in a week', metric: 'crash_free_sessions', groupBy: ['version'], windowMs: 7 * 24 * HOUR, condition: { kind: 'threshold', op: 'below', value: 0.99 }, minVolume: { sessions: 50 }, severity: 'critical' });
  await s.alerting.engine!.evaluate(CONSOLE_NOW);
  // The monitor as it ran while 1.6.0 rolled out (it appeared 10 days before the fleet's end):
  // a check every 12 hours.
  for (let t = CONSOLE_NOW - 10 * 24 * HOUR + 12 * HOUR; t <= CONSOLE_NOW; t += 12 * HOUR) s.alerting.monitor!.check(t);
  await s.alerting.monitor!.idle();
  browser = await launchChromium();
  ({ context, page } = await signedIn());
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await s?.close();
});

describe('alerts', () => {
  it('shows the alert the engine fired on the regressed release, with its value and why', async () => {
    const firing = s.alerting.engine!.active().filter((a) => a.status === 'firing');
    expect(firing.map((a) => a.labels.version)).toContain('1.6.0');
    await open(page, 'development/alerts');
    for (const a of firing) {
      const row = page.locator(`table[aria-label="Active alerts"] tr[data-alert="${a.key}"]`);
      await expect.poll(() => row.locator('[data-status]').textContent(), WAIT).toBe('firing');
      expect(await row.locator('[data-field="value"]').textContent()).toBe(Number(a.value!.toPrecision(4)).toString());
      expect(await row.textContent()).toContain(`version ${a.labels.version}`);
      expect(await row.textContent()).toContain(a.reason);
    }
    const history = page.locator('table[aria-label="Alert history"] tr[data-kind="alert"]');
    await expect.poll(() => history.count(), WAIT).toBe(s.alerting.engine!.history.list({ kind: 'alert', limit: 100 }).length);
    await screenshot(page, 'console-alerts-light');
  });

  it('edits a rule and adds a silence through the collector\'s API: both land in its config', async () => {
    await open(page, 'development/alerts');
    await page.getByRole('button', { name: 'Edit rule crash-free' }).click();
    const form = page.getByRole('form', { name: 'Edit rule crash-free' });
    await form.getByLabel('Threshold').fill('0.95');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await expect.poll(() => page.getByTestId('alerts-message').textContent(), WAIT).toBe('Rule crash-free saved.');
    const rule = s.alerting.config.get().rules.find((r) => r.id === 'crash-free')!;
    expect(rule.condition).toEqual({ kind: 'threshold', op: 'below', value: 0.95 });
    expect(rule.minVolume.sessions).toBe(50);
    await expect.poll(() => page.locator('tr[data-rule="crash-free"]').textContent(), WAIT).toContain('below 0.95');

    const silence = page.getByRole('form', { name: 'Add a silence' });
    await silence.getByLabel('Silence id').fill('release-night');
    await silence.getByLabel('Version').fill('1.6.0');
    await silence.getByLabel('Comment').fill('known, rollback under way');
    await silence.getByRole('button', { name: 'Add silence' }).click();
    await expect.poll(() => page.locator('tr[data-silence="release-night"]').count(), WAIT).toBe(1);
    expect(s.alerting.config.get().silences.map((x) => [x.id, x.matchers, x.comment])).toEqual([['release-night', { version: '1.6.0' }, 'known, rollback under way']]);

    // A rule the collector refuses says why, and nothing changes.
    const add = page.getByRole('form', { name: 'Add a threshold rule' });
    await add.getByLabel('Rule id').fill('bad-window');
    await add.getByLabel('Window (minutes)').fill('50000');
    await add.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => page.getByTestId('alerts-message').textContent(), WAIT).toMatch(/windowMs/);
    expect(s.alerting.config.get().rules.map((r) => r.id)).toEqual(['crash-free']);
    await screenshot(page, 'console-alerts-edited-light');
  });
});

describe('release health', () => {
  it('shows the adoption curve the analyzer computes and the release monitor\'s verdict with its evidence', async () => {
    const adoption = s.analysis.adoption(30);
    const last = adoption.days.at(-1)!;
    await open(page, 'development/releases');
    const text = `On ${new Date(last.day).toLocaleDateString('en-GB', { month: 'short', day: 'numeric', timeZone: 'UTC' })}: ${adoption.versions.map((v) => `${v} ${fmt.percent(last.byVersion[v]?.share ?? 0, 0)}`).join(', ')} of ${fmt.count(last.devices)} devices.`;
    await expect.poll(() => page.getByTestId('adoption-last-day').textContent(), WAIT).toBe(text);
    await page.getByRole('figure', { name: 'Adoption by version' }).locator('svg.recharts-surface').first().waitFor(WAIT);
    const w = s.alerting.monitor!.status().find((x) => x.version === '1.6.0')!;
    expect(w.baseline).toBe('1.5.0');
    const row = page.locator('table[aria-label="Release monitor verdicts"] tr[data-version="1.6.0"]');
    const verdict = await row.locator('[data-field="verdict"]').textContent();
    expect(w.confirmedAt).not.toBeNull();
    {
      expect(verdict).toMatch(/^regression confirmed/);
      expect(await row.textContent()).toContain(`Regressed: ${w.regressions.join(', ')}`);
      const detail = s.alerting.engine!.history.list({ kind: 'release', limit: 10 }).find((e) => e.kind === 'release' && e.event === 'regression');
      expect(detail).toBeDefined();
      expect(await row.textContent()).toContain(detail!.kind === 'release' ? detail!.detail : '');
    }
    await screenshot(page, 'console-releases-monitor-light');
  });
});

describe('the alert and release views, light and dark, at 1024x768', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`have no axe violations and fit 1024 px (${scheme})`, async () => {
      const { context: ctx, page: p } = await signedIn({ colorScheme: scheme, width: 1024, height: 768 });
      for (const [route, ready] of [['development/alerts', 'table[aria-label="Alert rules"]'], ['development/releases', 'table[aria-label="Release monitor verdicts"]']] as const) {
        await open(p, route);
        await p.locator(ready).first().waitFor(WAIT);
        await p.waitForLoadState('networkidle');
        const violations = await axeViolations(p);
        expect(violations, `${route} (${scheme}): ${JSON.stringify(violations, null, 1)}`).toEqual([]);
        expect(await p.evaluate('document.documentElement.scrollWidth'), route).toBeLessThanOrEqual(1024);
        await screenshot(p, `console-${route.replace('/', '-')}-${scheme}-1024`);
      }
      await ctx.close();
    });
  }
});
