import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MODALITIES } from '../../db/definitions';
import { signInWith } from './support/accounts';
import { newPage, startAppAndBrowser } from './support/app-browser';
import { recordBrowserErrors } from './support/page-checks';
import { ensureBuilt, freePort, ROOT, SCREENSHOTS, type ServerProcess, startServer } from './support/server';

/**
 * Issue 2, "First run": `npm start` on an empty embedded warehouse migrates, generates and loads
 * the demo, serves the first page, and stops cleanly. The checks compare figures the page shows
 * in different places (they come from different queries) and the demo's known size.
 */

/** The first run's demo size (app/server/prepare-warehouse.ts). */
const DEMO_EPISODES = 20_000;
/**
 * What a page's JavaScript may weigh, gzipped: issue 5's budget for every page. (The warehouse
 * page itself needs ~90 KB, but the header's navigation shares the filter and chart chunks.)
 */
const JS_BUDGET_GZIP_BYTES = 300 * 1024;

const toNumber = (text: string) => Number(text.replace(/,/g, ''));
const HTML_FIXTURE = 'tests/fixtures/bad/html-location';

describe('npm start on an empty embedded warehouse', () => {
  let dataDir: string;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const browserErrors: string[] = [];
  const scripts: Array<{ url: string; bytes: number; gzipBytes: number }> = [];

  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(path.join(tmpdir(), 'therapy-outcomes-e2e-'));
    // No test accounts: the first run makes its own administrator.
    ({ server, browser } = await startAppAndBrowser({ DATA_DIR: dataDir, DATABASE_URL: '' }, { testAccounts: false }));
    page = await newPage(browser);
    recordBrowserErrors(page, browserErrors);
    page.on('response', async (response) => {
      if (response.request().resourceType() !== 'script') return;
      const body = await response.body();
      scripts.push({ url: response.url(), bytes: body.length, gzipBytes: gzipSync(body).length });
    });
    // Issue 3: the first run printed an admin account's one-time password; sign in and replace it.
    const [, email, oneTimePassword] = /email: +(\S+)\n +password: +(\S+)/.exec(server.output())!;
    await signInWith(page, server.url, email!, oneTimePassword!);
    expect(new URL(page.url()).pathname).toBe('/account/password');
    await page.getByLabel('One-time password').fill(oneTimePassword!);
    await page.getByLabel('New password', { exact: true }).fill('my own first-run password');
    await page.getByLabel('New password again').fill('my own first-run password');
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/'),
      page.getByRole('button', { name: 'Save the new password' }).click(),
    ]);
    scripts.length = 0;
    // The warehouse summary (quality and admin) shows what the first run loaded.
    const response = await page.goto(`${server.url}/warehouse`);
    expect(response?.status()).toBe(200);
    await page.waitForLoadState('networkidle');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('the terminal says what happened: migrated, demo loaded, an admin account made, where it serves', () => {
    const output = server.output();
    expect(output).toContain('warehouse: applied migrations');
    expect(output).toMatch(/demo: run 1 committed/);
    expect(output).toMatch(/sign-in: made the first administrator account/);
    // A one-time password of 20 characters in groups of five, not a default.
    expect(output).toMatch(/password: [a-z2-9]{5}(-[a-z2-9]{5}){3}\n/);
    expect(server.url).toMatch(/^http:\/\/localhost:\d+$/);
  });

  test('the page has one h1, a title, and the header says who is signed in with a way to sign out', async () => {
    await expect(page.title()).resolves.toBe('What the warehouse holds · Therapy outcomes');
    expect(await page.locator('h1').allTextContents()).toEqual(['What the warehouse holds']);
    const banner = page.getByRole('banner');
    await expect(banner.textContent()).resolves.toMatch(/Signed in as admin@localhost\s*Administrator/);
    await expect(banner.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(1);
    for (const landmark of ['banner', 'main', 'contentinfo'] as const) {
      await expect(page.getByRole(landmark).count()).resolves.toBe(1);
    }
  });

  test('episodes by modality x location add up across rows, columns and the totals', async () => {
    const table = page.getByRole('table', { name: /Episodes of care by modality/ });
    const header = await table.locator('thead th').allTextContents();
    expect(header[0]).toBe('Modality');
    expect(header.at(-1)).toBe('All locations');
    const locations = header.slice(1, -1);
    expect(locations.length).toBeGreaterThanOrEqual(2);

    const rows = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        modality: tr.querySelector('th')!.textContent!,
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent!),
      })),
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      expect(MODALITIES as readonly string[]).toContain(row.modality);
      const counts = row.cells.map(toNumber);
      expect(counts).toHaveLength(locations.length + 1);
      expect(counts.at(-1)).toBe(counts.slice(0, -1).reduce((a, b) => a + b, 0));
    }
    const footer = (await table.locator('tfoot td').allTextContents()).map(toNumber);
    locations.forEach((_, column) =>
      expect(footer[column]).toBe(rows.reduce((sum, row) => sum + toNumber(row.cells[column]!), 0)),
    );
    const grandTotal = footer.at(-1)!;
    expect(grandTotal).toBe(footer.slice(0, -1).reduce((a, b) => a + b, 0));
    // The demo loads nearly all of its episodes: a few are rejected on purpose.
    expect(grandTotal).toBeGreaterThan(DEMO_EPISODES * 0.98);
    expect(grandTotal).toBeLessThan(DEMO_EPISODES);

    expect(toNumber((await episodesTotal(page))!)).toBe(grandTotal);
  });

  test('the demo run succeeded with rejections, and its rejected rows are listed in file and line order', async () => {
    const runs = page.getByRole('table', { name: /only run so far/ });
    const firstRun = runs.locator('tbody tr').first();
    await expect(firstRun.locator('.status').textContent()).resolves.toBe('succeeded');
    const files = Object.fromEntries(
      (await firstRun.locator('.files li').allTextContents()).map((text) => {
        const [, file, read, loaded, rejected] = /^(\S+): ([\d,]+) read, ([\d,]+) loaded, ([\d,]+) rejected$/.exec(
          text.trim(),
        )!;
        return [file!, { read: toNumber(read!), loaded: toNumber(loaded!), rejected: toNumber(rejected!) }];
      }),
    );
    expect(files['episodes.csv']!.read).toBe(DEMO_EPISODES);
    for (const file of Object.values(files)) expect(file.loaded + file.rejected).toBe(file.read);
    const grandTotal = toNumber((await episodesTotal(page))!);
    expect(files['episodes.csv']!.loaded).toBe(grandTotal);

    const rejectedInRun = Object.values(files).reduce((sum, file) => sum + file.rejected, 0);
    expect(rejectedInRun).toBeGreaterThan(50);
    const rejections = page.getByRole('table', { name: /rejected rows of run 1/ });
    await expect(rejections.locator('caption').textContent()).resolves.toBe(
      `The first 50 of ${rejectedInRun.toLocaleString('en-US')} rejected rows of run 1, in file and line order`,
    );
    const shown = await rejections
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!)));
    expect(shown).toHaveLength(50);
    const keys = shown.map(([file, line]) => ({ file: file!, line: Number(line) }));
    for (const { file, line } of keys) {
      expect(Object.keys(files)).toContain(file);
      expect(line).toBeGreaterThanOrEqual(2); // line 1 is the header
    }
    const sorted = [...keys].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    expect(keys).toEqual(sorted);
    for (const [, , column, reason] of shown) {
      expect(column).not.toBe('');
      expect(reason!.length).toBeGreaterThan(5);
    }
  });

  test('axe finds no serious or critical accessibility violation', async () => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const others = violations.filter((violation) => violation.impact !== 'serious' && violation.impact !== 'critical');
    if (others.length > 0)
      console.log(`axe, minor: ${others.map((violation) => `${violation.id} (${violation.impact})`).join(', ')}`);
    const blocking = violations.filter(
      (violation) => violation.impact === 'serious' || violation.impact === 'critical',
    );
    expect(blocking.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length} nodes)`)).toEqual(
      [],
    );
  });

  test('the keyboard reaches a skip link first, with a visible focus ring, and it moves focus to the content', async () => {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement;
      return {
        text: element.textContent,
        outline: getComputedStyle(element).outlineStyle,
        top: element.getBoundingClientRect().top,
      };
    });
    expect(focused).toMatchObject({ text: 'Skip to content', outline: 'solid' });
    expect(focused.top).toBeGreaterThanOrEqual(0); // on screen, not parked above it
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  });

  test('a 1280x800 screenshot is saved, the page hydrates without errors, and its JavaScript is within budget', async () => {
    // Back to the top of the page as a visitor first sees it (the skip link test scrolled it).
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    const file = path.join(SCREENSHOTS, 'home.png');
    const image = await page.screenshot({ path: file });
    expect(image.readUInt32BE(16)).toBe(1280); // PNG IHDR width
    expect(image.readUInt32BE(20)).toBe(800);
    expect(browserErrors).toEqual([]);
    const bytes = scripts.reduce((sum, script) => sum + script.bytes, 0);
    const gzipBytes = scripts.reduce((sum, script) => sum + script.gzipBytes, 0);
    console.log(
      `page JavaScript: ${scripts.length} files, ${(bytes / 1024).toFixed(1)} KB, ${(gzipBytes / 1024).toFixed(1)} KB gzipped; screenshot ${file}`,
    );
    expect(scripts.length).toBeGreaterThan(0);
    expect(gzipBytes).toBeLessThan(JS_BUDGET_GZIP_BYTES);
  });

  test('SIGTERM closes the server and the warehouse, and the process exits 0', async () => {
    expect(await server.stop('SIGTERM'), server.output()).toBe(0);
    expect(server.output()).toContain('SIGTERM: shutting down');
  });

  test('while the server is stopped, the ETL loads a clinic folder into the same warehouse', () => {
    // Three episodes whose locations are HTML: "<script>alert(1)</script>" and "Evanston &amp; <i>North</i>".
    const output = execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['etl/cli.ts', 'load', HTML_FIXTURE], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(output).toMatch(/load 2 of .*: committed/);
  });

  test('a second start reuses the warehouse: no demo again, the 3 loaded episodes on top, the new run first', async () => {
    const demoTotal = toNumber((await episodesTotal(page))!);
    server = await startServer({
      script: 'app/server/start.ts',
      env: { DATA_DIR: dataDir, PORT: String(await freePort()), DATABASE_URL: '' },
    });
    expect(server.output()).toContain('warehouse: schema is up to date');
    expect(server.output()).not.toContain('demo');
    // One admin account, made once: no new password on a second start.
    expect(server.output()).not.toContain('sign-in:');
    // The session lives in the warehouse and its cookie is signed with the secret kept beside the
    // data, so it outlives the restart.
    await page.goto(`${server.url}/warehouse`);
    expect(new URL(page.url()).pathname).toBe('/warehouse');
    expect(toNumber((await episodesTotal(page))!)).toBe(demoTotal + 3);
    const runIds = await page
      .getByRole('table', { name: /2 newest runs/ })
      .locator('tbody tr th')
      .allTextContents();
    expect(runIds).toEqual(['2', '1']);
    // A second start still builds the app: minutes on a busy machine.
  }, 480_000);

  test('values from the data are shown as text: HTML in a location name is neither run nor rendered', async () => {
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    await page.goto(`${server.url}/warehouse`);
    const table = page.getByRole('table', { name: /Episodes of care by modality/ });
    const header = await table.locator('thead th').allTextContents();
    expect(header).toContain('<script>alert(1)</script>');
    expect(header).toContain('Evanston &amp; <i>North</i>');
    await expect(table.locator('thead i, thead script').count()).resolves.toBe(0);
    expect(dialogs).toBe(0);
    expect(browserErrors).toEqual([]);
    expect(await server.stop('SIGTERM'), server.output()).toBe(0);
  });
});

/** The "Episodes of care" figure of the totals, as shown. */
function episodesTotal(page: Page): Promise<string | null> {
  return page.locator('.totals div', { hasText: 'Episodes of care' }).locator('dd').textContent();
}
