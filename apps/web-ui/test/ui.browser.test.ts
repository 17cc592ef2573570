// The built UI in Debian's Chromium against a real Prometheus 2.42 (scraping itself, node_exporter
// and an unreachable port), served through the same asset helper the server uses.
import { rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, colouredPixels, launchBrowser, screenshot, type Browser } from './support/browser.js';
import { buildUi } from './support/build.js';
import { referenceStackAvailable, startReferenceStack, type ReferenceStack } from './support/reference-stack.js';
import { startUiServer, type UiServer } from './support/ui-server.js';

// The same UI and the same assertions against both APIs: what works on Prometheus must work on ours.
describe.skipIf(!chromiumAvailable || !referenceStackAvailable).each(['prometheus', 'promethium'] as const)('web UI in Chromium against %s', (backend) => {
  let stack: ReferenceStack;
  let ui: UiServer;
  let browser: Browser;
  let dist: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [dist, stack] = await Promise.all([buildUi(), startReferenceStack(backend)]);
    ui = await startUiServer(dist, stack.prometheusUrl);
    browser = await launchBrowser();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await ui?.close();
    await stack?.stop();
    if (dist) await rm(dist, { recursive: true, force: true });
  });

  async function open(path: string, width = 1280, height = 900): Promise<Page> {
    const page = await browser.newPage(width, height);
    page.on('pageerror', (e) => pageErrors.push(`${path}: ${e.message}`));
    await page.goto(`${ui.url}${path}`);
    return page;
  }

  it('queries with autocompletion and shows table rows and a drawn graph', async () => {
    const page = await open('/query');
    const editor = page.locator('.cm-content').first();
    await editor.click();
    await page.keyboard.type('node_cpu_sec', { delay: 40 });
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'node_cpu_seconds_total' });
    await option.first().waitFor({ timeout: 10_000 });
    // CodeMirror ignores Enter for 75 ms after the list opens (no accidental accepts).
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter'); // accepts the completion
    await expect.poll(() => editor.textContent()).toBe('node_cpu_seconds_total');
    // Label name, then label value, both completed from the API.
    await page.keyboard.type('{mo', { delay: 40 });
    await page.locator('.cm-tooltip-autocomplete li', { hasText: /^mode/ }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    await page.keyboard.type('="id', { delay: 40 });
    await page.locator('.cm-tooltip-autocomplete li', { hasText: /^idle/ }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    expect(await editor.textContent()).toBe('node_cpu_seconds_total{mode="idle"}');
    await page.getByTestId('execute').click();
    const rows = page.locator('.result-table tbody tr');
    await rows.first().waitFor({ timeout: 10_000 });
    const rowCount = await rows.count();
    expect(rowCount).toBeGreaterThanOrEqual(1);
    expect(await rows.first().textContent()).toMatch(/node_cpu_seconds_total\{.*mode="idle"/);
    expect(page.url()).toContain('g0.expr=node_cpu_seconds_total');
    await screenshot(page, `${backend}-query-table`);

    await page.getByRole('tab', { name: 'Graph' }).click();
    const range = page.getByTestId('range-input');
    await range.fill('1m');
    await range.press('Enter');
    await page.locator('.plot canvas').waitFor({ timeout: 10_000 });
    await expect.poll(() => colouredPixels(page, '.plot canvas'), { timeout: 10_000 }).toBeGreaterThan(50);
    expect(await page.locator('.legend-item').count()).toBe(rowCount);
    expect(page.url()).toContain('g0.tab=0');
    expect(page.url()).toContain('g0.range_input=1m');
    // Hovering the last points shows their time and value; a legend click hides a series.
    const over = page.locator('.plot .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await page.locator('.plot-tooltip').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.locator('.plot-tooltip').textContent()).toMatch(/UTC.*node_cpu_seconds_total/);
    await screenshot(page, `${backend}-query-graph`);
    const first = page.locator('.legend-item').first();
    await first.click();
    expect(await first.getAttribute('aria-pressed')).toBe('false');
    await page.close();
  });

  it('opens a classic Prometheus /graph link with two panels, stacked', async () => {
    const qs = 'g0.expr=rate(node_cpu_seconds_total%5B10s%5D)&g0.tab=0&g0.range_input=2m&g0.stacked=1&g1.expr=up&g1.tab=1';
    const page = await open(`/graph?${qs}`);
    await page.locator('.plot canvas').waitFor({ timeout: 10_000 });
    await expect.poll(() => colouredPixels(page, '.plot canvas'), { timeout: 10_000 }).toBeGreaterThan(50);
    const panels = page.locator('section.panel');
    expect(await panels.count()).toBe(2);
    await panels.nth(1).locator('.result-table tbody tr').first().waitFor();
    expect(await panels.nth(1).locator('.result-table tbody tr').count()).toBe(3);
    expect(await panels.nth(0).locator('input[aria-label="Stacked"]').isChecked()).toBe(true);
    await screenshot(page, `${backend}-query-two-panels-stacked`);
    await page.getByTestId('add-panel').click();
    expect(await panels.count()).toBe(3);
    await expect.poll(() => page.url()).toContain('g2.expr=');
    await panels.nth(0).getByRole('button', { name: 'Remove panel' }).click();
    expect(await panels.count()).toBe(2);
    await expect.poll(() => page.url()).toMatch(/g0\.expr=up&/);
    await page.close();
  });

  it('picks a metric from the metrics explorer with the keyboard', async () => {
    const page = await open('/query');
    await page.locator('.cm-content').waitFor();
    await page.getByRole('button', { name: 'Metrics' }).click();
    const dialog = page.getByRole('dialog', { name: 'Metrics explorer' });
    await dialog.locator('.explorer-item').first().waitFor({ timeout: 10_000 });
    expect(await dialog.locator('.explorer-item').count()).toBeGreaterThan(100);
    await page.keyboard.type('load1');
    await expect.poll(() => dialog.locator('.explorer-item').allTextContents()).toEqual(['node_load1', 'node_load15']);
    await screenshot(page, `${backend}-metrics-explorer`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    expect(await dialog.count()).toBe(0);
    expect(await page.locator('.cm-content').textContent()).toBe('node_load1');
    await page.keyboard.press('Enter'); // the editor has focus again: Enter runs the query
    await page.locator('.result-table tbody tr').first().waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('sends long expressions as a POST form', async () => {
    const expr = Array.from({ length: 200 }, () => 'up{job="node"}').join(' or ');
    const page = await open(`/query?g0.expr=${encodeURIComponent(expr)}&g0.tab=1`);
    const posted = page.waitForRequest((r) => r.url().endsWith('/api/v1/query') && r.method() === 'POST');
    await page.locator('.result-table tbody tr').first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    await page.getByTestId('execute').click();
    expect((await posted).postData()).toContain('query=up');
    await page.locator('.result-table tbody tr').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.result-table tbody tr').count()).toBe(1);
    await page.close();
  });

  it('formats an expression with the server', async () => {
    const page = await open('/query?g0.expr=sum(rate(up%5B5m%5D))by(job)');
    await page.locator('.cm-content').waitFor();
    await page.getByRole('button', { name: 'Format' }).click();
    await expect.poll(() => page.locator('.cm-content').textContent()).toBe('sum by (job) (rate(up[5m]))');
    await page.close();
  });

  it('shows a server error with its position', async () => {
    const page = await open('/query?g0.expr=sum(rate(up%5B5m%5D)%20by&g0.tab=1');
    const err = page.locator('.panel-error');
    await err.waitFor({ timeout: 10_000 });
    expect(await err.textContent()).toMatch(/1:\d+: parse error/);
    expect(await page.locator('.error-context').textContent()).toContain('^');
    expect(await page.locator('.cm-server-error').count()).toBe(1);
    // The editor's own linter flags the same expression inline as you type.
    await page.locator('.cm-content').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' (job', { delay: 30 });
    await page.locator('.cm-lintRange-error').first().waitFor({ timeout: 10_000 });
    await screenshot(page, `${backend}-query-error`);
    await page.close();
  });

  it('lists a healthy and a failing target', async () => {
    const page = await open('/targets');
    await page.locator('tr[data-health]').first().waitFor({ timeout: 10_000 });
    const node = page.locator('details[data-pool="node"] tr[data-health]');
    const dead = page.locator('details[data-pool="unreachable"] tr[data-health]');
    expect(await node.getAttribute('data-health')).toBe('up');
    expect(await dead.getAttribute('data-health')).toBe('down');
    expect(await dead.locator('.error-cell').textContent()).toMatch(/connection refused/);
    expect(await dead.locator('.endpoint').textContent()).toBe(`http://127.0.0.1:${stack.deadPort}/metrics`);
    expect(await page.locator('details[data-pool="unreachable"] > summary').textContent()).toContain('0 / 1 up');
    await dead.locator('details.discovered summary').click();
    expect(await dead.locator('details.discovered').textContent()).toContain('__address__');
    await screenshot(page, `${backend}-targets`);
    await page.getByLabel('Unhealthy only').check();
    expect(await page.locator('tr[data-health="up"]').count()).toBe(0);
    expect(await page.locator('tr[data-health="down"]').count()).toBe(1);
    await page.close();
  });

  it('shows runtime, build, TSDB, flags and config status pages', async () => {
    const page = await open('/status');
    await page.locator('.kv-table').nth(1).waitFor({ timeout: 10_000 });
    const text = await page.locator('main').textContent();
    expect(text).toMatch(stack.version);
    expect(text).toContain('Working directory');
    await screenshot(page, `${backend}-status`);

    await page.locator('.nav-menu > summary').click();
    await page.getByRole('link', { name: 'TSDB status' }).click();
    const top = page.locator('[data-table="seriesCountByMetricName"] tbody tr');
    await top.first().waitFor({ timeout: 10_000 });
    expect(await top.count()).toBeGreaterThan(3);
    expect(page.url()).toMatch(/\/tsdb-status$/);
    await screenshot(page, `${backend}-tsdb-status`);

    await page.goto(`${ui.url}/flags`);
    await page.locator('.kv-table tbody tr').first().waitFor();
    await page.getByLabel('Filter flags').fill('listen-address');
    expect(await page.locator('.kv-table tbody tr').count()).toBe(1);
    expect(await page.locator('.kv-table tbody').textContent()).toContain('--web.listen-address');

    await page.goto(`${ui.url}/config`);
    await page.locator('pre.code-block').waitFor();
    expect(await page.locator('pre.code-block').textContent()).toContain('job_name: node');
    await page.close();
  });

  it('shows discovered targets, including a dropped one', async () => {
    const page = await open('/service-discovery');
    const pool = page.locator('details[id="sd-unreachable"]');
    await pool.locator('tr').first().waitFor({ timeout: 10_000 });
    expect(await pool.locator('tr[data-dropped="true"]').count()).toBe(1);
    expect(await pool.locator('tr[data-dropped="true"]').textContent()).toContain('drop_me=yes');
    expect(await pool.locator('tr[data-dropped="false"]').count()).toBe(1);
    await screenshot(page, `${backend}-service-discovery`);
    await page.close();
  });

  it('shows rules and a firing alert', async () => {
    const page = await open('/rules');
    await page.locator('.rule-group').first().waitFor({ timeout: 10_000 });
    const rules = await page.locator('main').textContent();
    expect(rules).toContain('ui-test');
    expect(rules).toContain('job:up:sum');
    expect(rules).toContain('sum by (job) (up)');
    await screenshot(page, `${backend}-rules`);
    await expect
      .poll(
        async () => {
          await page.goto(`${ui.url}/alerts`);
          await page.locator('.alert-rule').first().waitFor({ timeout: 10_000 });
          return page.locator('.alert-rule[data-state="firing"]').count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    const firing = page.locator('.alert-rule[data-state="firing"]');
    await firing.locator('summary').click();
    expect(await firing.textContent()).toContain('TargetDown');
    expect(await firing.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('.alert-rule[data-state="inactive"]').count()).toBe(1);
    await screenshot(page, `${backend}-alerts`);
    await page.close();
  });

  it('switches to the dark theme and keeps it across pages', async () => {
    const page = await open('/query?g0.expr=up&g0.tab=0&g0.range_input=1m');
    await page.locator('.plot canvas').waitFor({ timeout: 10_000 });
    const toggle = page.getByTestId('theme-toggle');
    for (let i = 0; i < 3 && (await page.evaluate(() => document.documentElement.dataset.theme)) !== 'dark'; i++) await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(15, 19, 24)');
    await page.locator('.plot canvas').waitFor();
    await expect.poll(() => colouredPixels(page, '.plot canvas'), { timeout: 10_000 }).toBeGreaterThan(50);
    await screenshot(page, `${backend}-query-graph-dark`);
    await page.goto(`${ui.url}/targets`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator('tr[data-health]').first().waitFor();
    await screenshot(page, `${backend}-targets-dark`);
    await toggle.click(); // dark -> auto, for the tests after this one
    await page.close();
  });

  it('is usable at phone width: menu button, stacked target cards', async () => {
    const page = await open('/targets', 390, 844);
    await page.locator('tr[data-health]').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('#main-nav').isVisible()).toBe(false);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, `${backend}-targets-phone`);
    await page.getByRole('button', { name: 'Menu' }).click();
    expect(await page.locator('#main-nav').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'Query' }).click();
    expect(await page.locator('#main-nav').isVisible()).toBe(false);
    await page.locator('.cm-content').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('/'); // focuses the expression
    await page.keyboard.type('up');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter'); // runs the query from the keyboard
    await page.locator('.result-table tbody tr').first().waitFor({ timeout: 10_000 });
    await screenshot(page, `${backend}-query-phone`);
    await page.close();
  });

  it('works under a route prefix (relative assets and API)', async () => {
    const prefixed = await startUiServer(dist, stack.prometheusUrl, '/prom');
    try {
      const page = await browser.newPage();
      page.on('pageerror', (e) => pageErrors.push(`/prom: ${e.message}`));
      await page.goto(`${prefixed.url}/targets`);
      await page.locator('tr[data-health="up"]').first().waitFor({ timeout: 10_000 });
      await page.getByRole('link', { name: 'Query' }).click();
      expect(page.url()).toBe(`${prefixed.url}/query`);
      await page.locator('.cm-content').click();
      await page.keyboard.type('up');
      await page.keyboard.press('Escape');
      await page.getByTestId('execute').click();
      await page.locator('.result-table tbody tr').first().waitFor({ timeout: 10_000 });
      expect(page.url()).toMatch(/\/prom\/query\?g0\.expr=up/);
      await page.close();
    } finally {
      await prefixed.close();
    }
  });

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
