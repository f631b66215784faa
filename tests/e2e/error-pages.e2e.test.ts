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
  let healthyPage: Page;
  let unmigratedUrl: string;
  let healthyUrl: string;

  beforeAll(async () => {
    ensureBuilt();
    server = await startServer({
      script: 'tests/e2e/support/serve-broken-warehouses.ts',
      env: { NODE_ENV: 'production' },
      // Three warehouses to open and one to migrate: slow on a busy machine.
      timeoutMs: 280_000,
    });
    const output = server.output();
    unmigratedUrl = /unmigrated: (http:\/\/\S+)/.exec(output)![1]!;
    healthyUrl = /healthy: (http:\/\/\S+)/.exec(output)![1]!;
    browser = await launchChromium();
    // axe needs a page of an explicit context.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Every page needs a session, so its lookup is the first query to fail: a signed cookie for
    // the broken servers, a live session for the healthy one (cookies are per host, not port).
    const cookie = (label: string) => /=(.*)$/.exec(new RegExp(`${label} cookie: (\\S+)`).exec(output)![1]!)![1]!;
    await context.addCookies([{ name: 'therapy_outcomes_session', value: cookie('broken'), url: server.url }]);
    page = await context.newPage();
    healthyPage = await (await browser.newContext()).newPage();
    await healthyPage
      .context()
      .addCookies([{ name: 'therapy_outcomes_session', value: cookie('healthy'), url: healthyUrl }]);
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
    expect(server.output()).toMatch(/relation "user_session" does not exist/);
  });

  test('an unknown address gives a signed-in person a 404 page in the same layout', async () => {
    const response = await healthyPage.goto(`${healthyUrl}/no-such-page?x=1`);
    expect(response?.status()).toBe(404);
    expect(await healthyPage.locator('h1').allTextContents()).toEqual(['Page not found']);
    await expect(healthyPage.getByRole('link', { name: 'Try again' }).getAttribute('href')).resolves.toBe(
      '/no-such-page?x=1',
    );
    await expect(healthyPage.getByRole('main').count()).resolves.toBe(1);
    await expect(healthyPage.getByRole('banner').textContent()).resolves.toContain('someone@e2e.test');
  });

  test('an unknown address gives a stranger the sign-in page, not a clue about what exists', async () => {
    const stranger = await (await browser.newContext()).newPage();
    const response = await stranger.goto(`${healthyUrl}/no-such-page?x=1`);
    expect(response?.status()).toBe(200);
    expect(new URL(stranger.url()).pathname).toBe('/login');
    expect(new URL(stranger.url()).searchParams.get('redirectTo')).toBe('/no-such-page?x=1');
  });
});
