// The pushgateway's page in Debian's Chromium: our real pushgateway on a loopback port, a group
// pushed over HTTP like client_python's push_to_gateway does, shown on the page, then deleted there.
import { createPushgateway, silentLogger, type Pushgateway } from '@promethium/pushgateway';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot, type Browser } from './support/browser.js';

const BODY = `# HELP batch_last_success_seconds Last time the batch job succeeded.
# TYPE batch_last_success_seconds gauge
batch_last_success_seconds 1.7e+09
# HELP batch_records_total Records processed.
# TYPE batch_records_total counter
batch_records_total{kind="a/b"} 42
`;

describe.skipIf(!chromiumAvailable)('pushgateway page in Chromium', () => {
  let browser: Browser;
  const gateways: Pushgateway[] = [];

  async function start(enableAdminApi: boolean): Promise<string> {
    const pg = createPushgateway({ listenAddress: '127.0.0.1:0', enableAdminApi, logger: silentLogger });
    gateways.push(pg);
    const { url } = await pg.listen();
    // A '/' in the instance value forces the base64 path form, which the delete button must reproduce.
    const res = await fetch(`${url}/metrics/job/nightly_backup/instance@base64/${Buffer.from('db/1').toString('base64url')}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain; version=0.0.4' },
      body: BODY,
    });
    expect(res.status).toBe(200);
    return url;
  }

  async function groupsOnServer(url: string): Promise<Record<string, string>[]> {
    const json = (await (await fetch(`${url}/api/v1/metrics`)).json()) as { data: { labels: Record<string, string> }[] };
    return json.data.map((g) => g.labels);
  }

  beforeAll(async () => {
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const pg of gateways) await pg.close();
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/`);
    expect(errors).toEqual([]);
    return page;
  }

  it('shows a pushed group with its labels, times and metrics, and deletes it', async () => {
    const url = await start(true);
    const page = await open(url);
    const group = page.locator('section.group');
    expect(await group.count()).toBe(1);
    const header = (await group.locator('header').textContent()) ?? '';
    expect(header).toContain('job="nightly_backup"');
    expect(header).toContain('instance="db/1"');
    expect(await group.locator('.times').textContent()).toMatch(/last push: \d{4}-\d\d-\d\dT.*last failure: never/);
    await group.locator('summary').click();
    const rows = group.locator('tbody tr');
    // The pushed samples with the group's labels added, types in the real pushgateway's Go spelling.
    await expect.poll(() => rows.allTextContents()).toEqual([
      'batch_last_success_secondsGAUGEinstance="db/1" job="nightly_backup"1.7e+09',
      'batch_records_totalCOUNTERinstance="db/1" job="nightly_backup" kind="a/b"42',
    ]);
    await screenshot(page, 'pushgateway-group');

    page.once('dialog', (d) => void d.accept());
    await group.getByRole('button', { name: 'Delete group' }).click();
    await expect.poll(() => group.count()).toBe(0);
    expect(await groupsOnServer(url)).toEqual([]);
    await page.reload();
    expect(await page.locator('section.group').count()).toBe(0);
    expect(await page.locator('body').textContent()).toContain('No groups pushed yet.');
    await screenshot(page, 'pushgateway-deleted');
    await page.close();
  });

  it('keeps the group when the delete is cancelled, and offers no delete without the admin API', async () => {
    const adminUrl = await start(true);
    let page = await open(adminUrl);
    page.once('dialog', (d) => void d.dismiss());
    await page.getByRole('button', { name: 'Delete group' }).click();
    expect(await page.locator('section.group').count()).toBe(1);
    expect(await groupsOnServer(adminUrl)).toHaveLength(1);
    await page.close();

    const readOnlyUrl = await start(false);
    page = await open(readOnlyUrl);
    expect(await page.locator('section.group').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Delete group' }).count()).toBe(0);
    await page.close();
  });

  it('is readable at phone width in the dark scheme', async () => {
    const url = await start(false);
    const page = await browser.newPage(390, 800);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${url}/`);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(21, 22, 26)');
    // Nothing wider than the viewport: no horizontal scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'pushgateway-phone-dark');
    await page.close();
  });
});
