import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseCsv } from '../../app/utils/csv';
import { signIn } from './support/accounts';
import {
  downloadText,
  expectAxeClean,
  newPage,
  type SmallWarehouseServer,
  startSmallWarehouseServer,
} from './support/small-warehouse';

/** Issue 6, staffing pages (leadership and up): open, filter, plan inputs in the URL, export, axe-core clean. */
describe('staffing pages', () => {
  let setup: SmallWarehouseServer;
  let page: Page;
  let base: string;
  beforeAll(async () => {
    setup = await startSmallWarehouseServer();
    base = setup.server.url.replace(/\/$/, '');
    page = await newPage(setup.browser);
    await signIn(page, base, 'leadership', '/staffing/demand');
  });
  afterAll(async () => {
    await setup?.close();
  });

  test('demand: monthly new episodes with the trend beside the chart; a location filter narrows them', async () => {
    await page.goto(`${base}/staffing/demand`);
    const table = page.getByRole('table', { name: /New episodes per month by modality \(all locations\)/ });
    await expect(table.isVisible()).resolves.toBe(true);
    const before = await table.innerText();
    await page.goto(`${base}/staffing/demand?location=Online`);
    expect(await page.getByRole('table', { name: /all locations/ }).innerText()).not.toBe(before);
    await expectAxeClean(page);
  });

  test('capacity: roster FTE by location and modality, sessions per FTE-week from the URL', async () => {
    await page.goto(`${base}/staffing/capacity?spw=20`);
    await expect(page.getByText(/at 20 per FTE-week/).isVisible()).resolves.toBe(true);
    await expectAxeClean(page);
  });

  test('plan: growth in the URL changes the FTE needed; the CSV holds the same rows', async () => {
    await page.goto(`${base}/staffing/plan`);
    const table = page.getByRole('table', { name: /FTE needed against FTE available/ });
    const flat = await table.innerText();
    await page.goto(`${base}/staffing/plan?growth_IPT=50`);
    const grown = await page.getByRole('table', { name: /FTE needed against FTE available/ }).innerText();
    expect(grown).not.toBe(flat);
    const rows = await page
      .getByRole('table', { name: /FTE needed against FTE available/ })
      .locator('tbody tr')
      .count();
    const csv = parseCsv(await downloadText(page, page.getByRole('link', { name: /Download CSV/ })));
    expect(csv.rows).toHaveLength(rows);
    expect(csv.comments.join('\n')).toMatch(/IPT 50/);
    await expectAxeClean(page);
  });
});
