// The fleet console in Chromium against a real collector holding a generated fleet: each
// dashboard's numbers equal the analyzer's for that fleet, and what was injected (a regression, a
// new crash group with a root cause, an abandoned and an avoided feature, a journey, an experiment
// effect) is where a person would look. Every view passes axe in light and dark, at 1024x768 too,
// and leaves a screenshot to look at.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as fmt from '../../renderer/src/format/format.js';
import { launchChromium, screenshot } from '../e2e/support/browser.js';
import { axeViolations } from './support/axe.js';
import { startConsoleStack, type ConsoleStack } from './support/console-stack.js';
import { EXPERIMENT, JOURNEY } from './support/console-fleet.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 240_000 });
const WAIT = { timeout: 30_000 };

let s: ConsoleStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function signedIn(options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme: options.colorScheme ?? 'light', bypassCSP: true });
  const p = await ctx.newPage();
  await p.goto(s.console.loginUrl);
  await p.getByRole('heading', { name: 'Fleet console' }).waitFor(WAIT);
  await p.locator('[data-tile="Daily active devices"]').waitFor(WAIT);
  return { context: ctx, page: p };
}

async function open(p: Page, route: string): Promise<void> {
  await p.evaluate(`location.hash = ${JSON.stringify(`#/${route}`)}`);
}

beforeAll(async () => {
  s = await startConsoleStack();
  browser = await launchChromium();
  ({ context, page } = await signedIn());
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await s?.close();
});

describe('the fleet console on a generated fleet', () => {
  it('signs in with the printed link and takes the token out of the address bar', async () => {
    expect(page.url()).not.toContain('token=');
    expect(page.url()).toMatch(/#\/executive$/);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'fleet_console_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('shows a clear way back in without a session', async () => {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    await p.goto(s.console.origin);
    await expect.poll(() => p.getByRole('alert').textContent(), WAIT).toMatch(/open that link/);
    await screenshot(p, 'console-signed-out');
    await ctx.close();
  });

  it('executive: the headline numbers are the analyzer\'s, and the regression is a major issue', async () => {
    const x = s.analysis.executive('week');
    await open(page, 'executive');
    const tile = (label: string) => page.locator(`[data-tile="${label}"] .tile-value`).textContent();
    await expect.poll(() => tile('Daily active devices'), WAIT).toBe(fmt.count(x.current.dau));
    expect(await tile('Weekly active devices')).toBe(fmt.count(x.current.wau));
    expect(await tile('Monthly active devices')).toBe(fmt.count(x.current.mau));
    expect(await tile('Crash-free sessions')).toBe(fmt.percent(x.current.crashFreeSessions, 2));
    expect(await tile('Crash-free devices')).toBe(fmt.percent(x.current.crashFreeDevices, 1));
    expect(await tile('Error rate')).toBe(fmt.percent(x.current.errorRate, 2));
    expect(await tile('Sessions')).toBe(fmt.count(x.current.sessions));
    const regressed = x.majorIssues.find((i) => i.status === 'regressed')!;
    expect(regressed.title).toMatch(/Unexpected token/);
    await expect.poll(() => page.locator(`table[aria-label="Major issues"] tr[data-issue="${regressed.id}"] [data-status]`).textContent(), WAIT).toBe('regressed');
    await page.getByRole('figure', { name: 'Active devices per day' }).locator('svg.recharts-surface').first().waitFor(WAIT);
    await screenshot(page, 'console-executive-light');
    await page.getByRole('radio', { name: 'Last 30 days' }).check();
    const month = s.analysis.executive('month');
    await expect.poll(() => tile('Monthly active devices'), WAIT).toBe(fmt.count(month.current.mau));
    // Over a month, the crash that 1.5.0 fixed is listed as resolved, with when.
    const resolved = month.majorIssues.find((i) => i.status === 'resolved')!;
    expect(resolved.title).toMatch(/reading 'servers'/);
    await expect.poll(() => page.locator(`table[aria-label="Major issues"] tr[data-issue="${resolved.id}"] [data-status]`).textContent(), WAIT).toBe('resolved');
  });

  it('development: issues in the analyzer\'s priority order with their status; the new crash group is there', async () => {
    const issues = s.analysis.issues(30);
    await open(page, 'development/issues');
    const rows = page.locator('table[aria-label="Issues by priority"] tbody tr');
    await expect.poll(() => rows.count(), WAIT).toBe(issues.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-issue')))).toEqual(issues.map((i) => i.id));
    expect(await rows.locator('[data-status]').allTextContents()).toEqual(issues.map((i) => i.status));
    const fresh = issues.find((i) => i.status === 'new')!;
    expect(fresh.title).toMatch(/Object has been destroyed/);
    expect(fresh.versions.map((v) => v.version)).toEqual(['1.6.0']);
    await screenshot(page, 'console-issues-light');
  });

  it('development: a crash group\'s page finds its root cause (win32-x64 with 8 GB) and shows stack and raw events', async () => {
    const oom = s.analysis.issues(30).find((i) => i.title.includes('oom'))!;
    const detail = s.analysis.issue(oom.id, 30)!;
    const top = detail.rootCause.suspects[0]!;
    expect(top.attributes).toEqual(expect.arrayContaining([{ name: 'os', value: 'win32-x64' }, { name: 'memory_class', value: '8gb' }]));
    expect(top.affectedShare).toBeGreaterThan(0.8);
    await open(page, 'development/issues');
    await page.getByRole('link', { name: oom.title }).click();
    const first = page.locator('table[aria-label="Over-represented attributes"] tbody tr').first();
    await first.waitFor(WAIT);
    const label = top.attributes.map((a) => `${a.name} = ${a.value}`).join(' & ');
    expect(await first.getAttribute('data-suspect')).toBe(label);
    expect(await first.locator('td').nth(0).textContent()).toBe(fmt.percent(top.affectedShare, 0));
    expect(await first.locator('td').nth(1).textContent()).toBe(fmt.percent(top.baselineShare, 0));
    expect(await page.locator('[data-field="devices"]').textContent()).toBe(fmt.count(oom.devices));
    await page.locator('.event-list summary').first().click();
    expect(await page.getByLabel(/^Event /).first().textContent()).toContain('"reason": "oom"');
    await screenshot(page, 'console-issue-root-cause-light');

    const race = s.analysis.issues(30).find((i) => i.title.includes('destroyed'))!;
    await open(page, `development/issues/${race.id}`);
    await expect.poll(() => page.getByLabel('Stack trace').textContent(), WAIT).toMatch(/at sendToWindow .*windows\.js/);
  });

  it('development: performance per LLM model and MCP tool equals the analyzer\'s, the slow local model included', async () => {
    const rows = s.analysis.components(30);
    const llama = rows.find((r) => r.kind === 'llm' && r.component === 'local / llama' && r.version === '1.6.0' && r.metric === 'llm.inference')!;
    const claude = rows.find((r) => r.kind === 'llm' && r.component === 'anthropic / claude-sonnet' && r.version === '1.6.0' && r.metric === 'llm.inference')!;
    expect(llama.p95!).toBeGreaterThan(2 * claude.p95!);
    await open(page, 'development/performance');
    const cell = page.locator('tr[data-component="local / llama"][data-version="1.6.0"][data-metric="llm.inference"] [data-field="p95"]');
    await expect.poll(() => cell.textContent(), WAIT).toBe(fmt.ms(llama.p95));
    const tool = rows.find((r) => r.kind === 'mcp' && r.component === 'github / create_issue' && r.version === '1.5.0')!;
    expect(await page.locator('tr[data-component="github / create_issue"][data-version="1.5.0"] [data-field="p95"]').textContent()).toBe(fmt.ms(tool.p95));
    await screenshot(page, 'console-performance-light');
  });

  it('development: release health per version equals the analyzer\'s', async () => {
    const rel = s.analysis.releases(30);
    await open(page, 'development/releases');
    for (const r of rel) {
      await expect.poll(() => page.locator(`tr[data-version="${r.version}"] [data-field="crash-free-sessions"]`).textContent(), WAIT).toBe(fmt.percent(r.crashFreeSessions, 2));
    }
    await screenshot(page, 'console-releases-light');
  });

  it('development: log search finds what the analyzer finds, newest first, each with its raw event', async () => {
    const expected = s.analysis.logs({ days: 30, text: 'timed out', kind: 'error' });
    expect(expected.total).toBeGreaterThan(100);
    await open(page, 'development/logs');
    await page.getByRole('searchbox', { name: 'Words' }).fill('timed out');
    await page.getByRole('combobox', { name: 'Event type' }).selectOption('error');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('[data-field="total"]').textContent(), WAIT).toMatch(new RegExp(`^${fmt.count(expected.total)} matches in \\d+ ms`));
    const hits = page.locator('[data-hit]');
    expect(await hits.evaluateAll((li) => li.slice(0, 5).map((x) => x.getAttribute('data-hit')))).toEqual(expected.hits.slice(0, 5).map((h) => h.id));
    await hits.first().locator('summary').click();
    expect(await page.getByLabel(`Raw event ${expected.hits[0]!.id}`).textContent()).toContain('"error_message": "MCP error -32001: Request timed out"');
    await page.getByRole('figure', { name: 'Matches over time' }).locator('svg.recharts-surface').first().waitFor(WAIT);
    await screenshot(page, 'console-log-search-light');
  });

  it('product: feature usage equals the analyzer\'s; canvas is abandoned and settings_sync avoided', async () => {
    const f = s.analysis.features(30).features;
    await open(page, 'product/features');
    const row = (id: string) => page.locator(`tr[data-feature="${id}"]`);
    await row('canvas').waitFor(WAIT);
    for (const x of f) expect(await row(x.feature).locator('[data-field="devices"]').textContent()).toBe(fmt.count(x.devices));
    expect(await row('canvas').locator('th .pill').allTextContents()).toContain('abandoned');
    expect(await row('canvas').locator('[data-field="abandonment"]').textContent()).toBe(fmt.percent(f.find((x) => x.feature === 'canvas')!.abandonmentRate, 0));
    expect(await row('settings_sync').locator('th .pill').allTextContents()).toContain('avoided');
    expect(await row('chat').locator('th .pill').count()).toBe(0);
    await screenshot(page, 'console-features-light');
  });

  it('product: the journey shows in the flow and in a funnel built step by step, with the analyzer\'s numbers', async () => {
    const flow = s.analysis.flow(30, null);
    const t = flow.transitions.find((x) => x.from === JOURNEY[0] && x.to === JOURNEY[1])!;
    const funnel = s.analysis.funnel(30, JOURNEY, null);
    await open(page, 'product/journeys');
    await page.locator('svg.flow').waitFor(WAIT);
    await page.getByText(/most common transitions as a table/).click();
    expect(await page.locator(`tr[data-transition="${t.from}>${t.to}"] [data-field="count"]`).textContent()).toBe(fmt.count(t.count));
    for (const step of JOURNEY) {
      await page.getByRole('combobox', { name: 'Next step' }).selectOption(step);
      await page.getByRole('button', { name: 'Add step' }).click();
    }
    const rows = page.locator('table[aria-label="Funnel"] tbody tr');
    await expect.poll(() => rows.count(), WAIT).toBe(3);
    expect(await rows.locator('[data-field="sessions"]').allTextContents()).toEqual(funnel.map((x) => fmt.count(x.sessions)));
    expect(await rows.locator('[data-field="conversion"]').allTextContents()).toEqual(funnel.map((x) => fmt.percent(x.conversion, 0)));
    expect(funnel[2]!.conversion!).toBeLessThan(funnel[1]!.conversion!);
    await screenshot(page, 'console-journeys-light');
  });

  it('product: the experiment\'s effect on conversion is significant, with its interval, and the split passes the SRM check', async () => {
    const [x] = s.analysis.experiments(30, 'share');
    const conv = x!.comparisons.find((c) => c.metric === 'conversion')!;
    expect(conv.significant).toBe(true);
    expect(conv.result.low!).toBeGreaterThan(0);
    expect(x!.srm.mismatch).toBe(false);
    await open(page, 'product/experiments');
    await page.getByRole('combobox', { name: 'Goal feature (conversion)' }).selectOption('share');
    const row = page.locator(`[data-experiment="${EXPERIMENT}"] tr[data-comparison="tour|conversion"]`);
    await expect.poll(() => row.locator('.pill').textContent(), WAIT).toBe('significant');
    expect(await row.locator('[data-field="difference"]').textContent()).toBe(`+${(conv.result.difference! * 100).toFixed(1)} pt`);
    expect(await page.locator(`[data-experiment="${EXPERIMENT}"] [data-field="srm"]`).textContent()).toMatch(/^Sample ratio check passed/);
    await screenshot(page, 'console-experiments-light');
  });
});

const VIEWS: [string, string][] = [
  ['executive', '[data-tile="Daily active devices"]'],
  ['development/issues', 'table[aria-label="Issues by priority"]'],
  ['development/performance', 'table[aria-label="Operations"]'],
  ['development/releases', 'table[aria-label="Release health by version"]'],
  ['development/logs', '[data-field="total"]'],
  ['product/features', 'table[aria-label="Feature usage"]'],
  ['product/journeys', 'svg.flow'],
  ['product/experiments', '[data-experiment]'],
];

describe('every view, light and dark, down to 1024x768', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe violations and fits 1024 px (${scheme})`, async () => {
      const { context: ctx, page: p } = await signedIn({ colorScheme: scheme, width: 1024, height: 768 });
      const oom = s.analysis.issues(30).find((i) => i.title.includes('oom'))!;
      for (const [route, ready] of [...VIEWS, [`development/issues/${oom.id}`, 'table[aria-label="Over-represented attributes"]'] as [string, string]]) {
        await open(p, route);
        await p.locator(ready).first().waitFor(WAIT);
        await p.waitForLoadState('networkidle');
        const violations = await axeViolations(p);
        expect(violations, `${route} (${scheme}): ${JSON.stringify(violations, null, 1)}`).toEqual([]);
        expect(await p.evaluate('document.documentElement.scrollWidth'), route).toBeLessThanOrEqual(1024);
        await screenshot(p, `console-${route.split('/').slice(0, 2).join('-')}${route.split('/').length > 2 ? '-detail' : ''}-${scheme}-1024`);
      }
      await ctx.close();
    });
  }
});
