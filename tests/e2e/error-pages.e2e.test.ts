import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, launchChromium, SCREENSHOTS, type ServerProcess, startServer } from './support/server';

/**
 * When the warehouse cannot answer, a person gets a plain explanation and a retry link; the
 * cause goes to the server log, never to the browser (no stack, no SQL, no host names).
 */

// Signs of a leaked error: a stack frame, an errno, a module path, the SQL error text.
const LEAKS = [
  /\bat .+:\d+:\d+/,
  /ECONNREFUSED/,
  /node_modules/,
  /does not exist/,
  /relation "/,
  /127\.0\.0\.1:\d+\/warehouse/,
];

describe('error pages of the built app', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let unmigratedUrl: string;

  beforeAll(async () => {
    ensureBuilt();
    server = await startServer({
      script: 'tests/e2e/support/serve-broken-warehouses.ts',
      env: { NODE_ENV: 'production' },
      timeoutMs: 60_000,
    });
    unmigratedUrl = /unmigrated: (http:\/\/\S+)/.exec(server.output())![1]!;
    browser = await launchChromium();
    // axe needs a page of an explicit context.
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a database that is down gives a 503 page that explains it and offers a retry', async () => {
    const response = await page.goto(server.url);
    expect(response?.status()).toBe(503);
    expect(response?.headers()['retry-after']).toBe('10');
    expect(await page.locator('h1').allTextContents()).toEqual(['The warehouse is not answering']);
    const retry = page.getByRole('link', { name: 'Try again' });
    await expect(retry.getAttribute('href')).resolves.toBe('/');
    const html = await page.content();
    for (const leak of LEAKS) expect(html).not.toMatch(leak);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'warehouse-down.png') });

    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(
      violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => violation.id),
    ).toEqual([]);

    // The retry asks the server again (a full page load), which is still down.
    const [retried] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url() === `${server.url}/`),
      retry.click(),
    ]);
    expect(retried.status()).toBe(503);
    expect(server.output()).toMatch(/warehouse unavailable: ECONNREFUSED/);
  });

  test('an unexpected database error gives a plain 500 page; the SQL error stays in the server log', async () => {
    const response = await page.goto(unmigratedUrl);
    expect(response?.status()).toBe(500);
    expect(await page.locator('h1').allTextContents()).toEqual(['Something went wrong']);
    await expect(page.getByRole('link', { name: 'Try again' }).getAttribute('href')).resolves.toBe('/');
    const html = await page.content();
    for (const leak of LEAKS) expect(html).not.toMatch(leak);
    expect(server.output()).toMatch(/relation "episode" does not exist/);
  });

  test('an unknown address gives a 404 page in the same layout', async () => {
    const response = await page.goto(`${server.url}/no-such-page?x=1`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').allTextContents()).toEqual(['Page not found']);
    await expect(page.getByRole('link', { name: 'Try again' }).getAttribute('href')).resolves.toBe('/no-such-page?x=1');
    await expect(page.getByRole('main').count()).resolves.toBe(1);
  });
});
