import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { parseCsv } from '../../app/utils/csv';
import { adminQuery } from '../support/database';
import { appSession, loadDemoFiles } from './support/app-browser';
import { downloadText } from './support/small-warehouse';

/**
 * The dashboard on a real PostgreSQL server, as it runs in production: a fresh database of its
 * own (created here, dropped after), demo files generated and loaded with the ETL, the server on
 * DATABASE_URL, and every dashboard page opened in the browser with its figures drawn: no error,
 * no empty or all-withheld state, and a cohort n above the minimum cell size in its table. The
 * quality and staffing pages too (issue 6: "on the demo data and a real Postgres load"), signed in
 * as an admin, who may open both areas, with a drill-down to the episode list and its CSV.
 *
 * CI has PostgreSQL at 127.0.0.1:5432 (.ci/run); without a server there the file is skipped and
 * says why.
 */

/** The server's maintenance database: where this file creates (and drops) its own database. */
const SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** Small enough to load in seconds, large enough for groups above the minimum cell size. */
const DEMO_EPISODES = 5_000;
/** The default minimum cell size (METRICS.md, Privacy): a shown n is at least this. */
const MIN_CELL = 11;

const FIGURE_PAGES = [
  { path: '/', h1: 'Overview' },
  { path: '/compare', h1: 'Compare' },
  { path: '/treatment-length', h1: 'Treatment length' },
  { path: '/locations', h1: 'Locations' },
  { path: '/trends', h1: 'Trends' },
] as const;

const AUDIT_PAGES = [
  { path: '/quality/measurement', h1: 'Measurement' },
  { path: '/quality/safety', h1: 'Safety' },
  { path: '/quality/access', h1: 'Access' },
  { path: '/quality/episodes', h1: 'Episode list' },
  { path: '/quality/data-loads', h1: 'Data loads' },
  { path: '/staffing/demand', h1: 'Demand' },
  { path: '/staffing/capacity', h1: 'Capacity' },
  { path: '/staffing/plan', h1: 'Staffing plan' },
] as const;

/** Null when the server answers, else why not (the reason the file is skipped). */
async function serverUnreachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return `no PostgreSQL server at ${SERVER_URL} (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unreachable = await serverUnreachable();
if (unreachable) console.warn(`dashboard-postgres.e2e: skipped, ${unreachable}`);

describe.skipIf(unreachable !== null)(
  `the dashboard pages on a real PostgreSQL server, loaded by the ETL${unreachable ? ` (skipped: ${unreachable})` : ''}`,
  () => {
    const database = `therapy_outcomes_e2e_${randomBytes(6).toString('hex')}`;
    const on = appSession({
      prefix: 'therapy-outcomes-e2e-postgres-',
      role: 'admin',
      prepare: async (dataDir) => {
        await adminQuery(SERVER_URL, `create database ${database}`);
        const databaseUrl = new URL(SERVER_URL);
        databaseUrl.pathname = `/${database}`;
        const env = {
          DATABASE_URL: databaseUrl.toString(),
          DATA_DIR: dataDir,
          PSEUDONYM_KEY: randomBytes(32).toString('hex'),
          SESSION_SECRET: randomBytes(32).toString('hex'),
        };
        loadDemoFiles(env, dataDir, { episodes: DEMO_EPISODES, seed: 3 });
        return env;
      },
      cleanUp: () => adminQuery(SERVER_URL, `drop database if exists ${database} with (force)`),
    });

    test('the server runs on its own database', () => {
      expect(on.server.output()).toContain(`warehouse: Postgres at 127.0.0.1:5432/${database}`);
    });

    test.each(FIGURE_PAGES)(
      '$path draws its figures: no error, a cohort n in its table',
      async ({ path: pagePath, h1 }) => {
        on.browserErrors.length = 0;
        const response = await on.page.goto(`${on.server.url}${pagePath}`);
        expect(response?.status()).toBe(200);
        expect(await on.page.locator('h1').allTextContents()).toEqual([h1]);
        // None of the states that mean "no figures": an error, no episodes, everything withheld.
        await expect(on.page.locator('.error-message').count()).resolves.toBe(0);
        await expect(on.page.getByText('No episodes match these filters').count()).resolves.toBe(0);
        await expect(on.page.getByText('Every group here has fewer than').count()).resolves.toBe(0);
        await expect(on.page.locator('.chart svg').first().isVisible()).resolves.toBe(true);
        // The n of each shown row: the outcome cohort, or the patients of a funnel or a quarter.
        const counts = await on.page
          .locator('td[data-column="outcome_cohort"] .figure, td[data-column="denominator"] .figure')
          .allTextContents();
        const shown = counts.map((text) => Number(text.replace(/,/g, '')));
        expect(shown.length).toBeGreaterThan(0);
        for (const n of shown) expect(n).toBeGreaterThanOrEqual(MIN_CELL);
        expect(on.browserErrors).toEqual([]);
      },
    );

    test.each(AUDIT_PAGES)('$path opens with its tables filled, no error', async ({ path: pagePath, h1 }) => {
      on.browserErrors.length = 0;
      const response = await on.page.goto(`${on.server.url}${pagePath}`);
      expect(response?.status()).toBe(200);
      expect(await on.page.locator('h1').allTextContents()).toEqual([h1]);
      await expect(on.page.locator('.error-message').count()).resolves.toBe(0);
      expect(await on.page.locator('table tbody tr').count()).toBeGreaterThan(0);
      expect(on.browserErrors).toEqual([]);
    });

    test('a measurement count drills down to the episodes behind it, and their CSV has as many rows', async () => {
      await on.page.goto(`${on.server.url}/quality/measurement`);
      const link = on.page.getByRole('link', { name: /finished: list the episodes/ }).first();
      const count = Number((await link.innerText()).replace(/[^0-9]/g, ''));
      expect(count).toBeGreaterThanOrEqual(MIN_CELL);
      await Promise.all([on.page.waitForURL(/\/quality\/episodes/), link.click()]);
      // The URL changes when the navigation commits; the list renders after it (as in quality.e2e.test.ts).
      await on.page.getByText(`${count.toLocaleString('en-US')} episodes match.`).waitFor({ timeout: 15_000 });
      const csv = parseCsv(await downloadText(on.page, on.page.getByRole('link', { name: /Download CSV/ })));
      expect(csv.rows).toHaveLength(count);
    });

    test('the Overview cards say n for each modality shown', async () => {
      await on.page.goto(`${on.server.url}/`);
      const cards = await on.page.locator('.card-n strong').allTextContents();
      expect(cards.length).toBeGreaterThan(0);
      for (const text of cards) expect(Number(/^n = ([\d,]+)$/.exec(text)![1]!.replace(/,/g, ''))).toBeGreaterThan(0);
    });

    test('/methods opens with its definitions version', async () => {
      const response = await on.page.goto(`${on.server.url}/methods`);
      expect(response?.status()).toBe(200);
      await expect(on.page.locator('.lede').textContent()).resolves.toMatch(/Definitions version \S+/);
    });
  },
);
