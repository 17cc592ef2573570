// The built UI in Debian's Chromium against a real Prometheus 2.42 (scraping itself, node_exporter
// and an unreachable port), served through the same asset helper the server uses.
import { rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, colouredPixels, launchBrowser, screenshot, type Browser } from './support/browser.js';
import { buildUi } from './support/build.js';
import { referenceStackAvailable, startReferenceStack, type ReferenceStack } from './support/reference-stack.js';
import { startUiServer, type UiServer } from './support/ui-server.js';

describe.skipIf(!chromiumAvailable || !referenceStackAvailable)('web UI in Chromium against Prometheus 2.42', () => {
  let stack: ReferenceStack;
  let ui: UiServer;
  let browser: Browser;
  let dist: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    [dist, stack] = await Promise.all([buildUi(), startReferenceStack()]);
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
    await page.keyboard.type('{mode="idle"}', { delay: 20 });
    await page.keyboard.press('Escape');
    expect(await editor.textContent()).toBe('node_cpu_seconds_total{mode="idle"}');
    await page.getByTestId('execute').click();
    const rows = page.locator('.result-table tbody tr');
    await rows.first().waitFor({ timeout: 10_000 });
    const rowCount = await rows.count();
    expect(rowCount).toBeGreaterThanOrEqual(1);
    expect(await rows.first().textContent()).toMatch(/node_cpu_seconds_total\{.*mode="idle"/);
    expect(page.url()).toContain('g0.expr=node_cpu_seconds_total');
    await screenshot(page, 'query-table');

    await page.getByRole('tab', { name: 'Graph' }).click();
    const range = page.getByTestId('range-input');
    await range.fill('1m');
    await range.press('Enter');
    await page.locator('.plot canvas').waitFor({ timeout: 10_000 });
    await expect.poll(() => colouredPixels(page, '.plot canvas'), { timeout: 10_000 }).toBeGreaterThan(50);
    expect(await page.locator('.legend-item').count()).toBe(rowCount);
    expect(page.url()).toContain('g0.tab=0');
    expect(page.url()).toContain('g0.range_input=1m');
    await screenshot(page, 'query-graph');
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
    await screenshot(page, 'query-two-panels-stacked');
    await page.close();
  });

  it('shows a server error with its position', async () => {
    const page = await open('/query?g0.expr=sum(rate(up%5B5m%5D)%20by&g0.tab=1');
    const err = page.locator('.panel-error');
    await err.waitFor({ timeout: 10_000 });
    expect(await err.textContent()).toMatch(/1:\d+: parse error/);
    expect(await page.locator('.error-context').textContent()).toContain('^');
    expect(await page.locator('.cm-server-error').count()).toBe(1);
    await screenshot(page, 'query-error');
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
    await screenshot(page, 'targets');
    await page.getByLabel('Unhealthy only').check();
    expect(await page.locator('tr[data-health="up"]').count()).toBe(0);
    expect(await page.locator('tr[data-health="down"]').count()).toBe(1);
    await page.close();
  });

  it('raised no uncaught page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
