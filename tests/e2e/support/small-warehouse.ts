import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../../db/access';
import { type AppSession, appSession, loadDemoFiles } from './app-browser';

/**
 * The quality and staffing browser tests' app over a small embedded warehouse of its own: demo
 * files of 3,000 episodes generated and loaded with the ETL (a run with checksums to show), the
 * four test accounts, then the server, and one page signed in as `role` (landing on `landing`).
 */
export function smallWarehouseSession(role: Role, landing: string): AppSession {
  return appSession({
    prefix: 'therapy-outcomes-e2e-quality-',
    role,
    landing,
    prepare: (dataDir) => {
      const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
      loadDemoFiles(env, dataDir, { episodes: 3000, seed: 7 });
      return env;
    },
  });
}

/** axe-core finds no serious or critical violation on the page as it stands. */
export async function expectAxeClean(page: Page, { exclude }: { exclude?: string } = {}): Promise<void> {
  const builder = new AxeBuilder({ page });
  const results = await (exclude ? builder.exclude(exclude) : builder).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
  expect(
    serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join('; ')}`),
  ).toEqual([]);
}

/** Clicks a download link and returns the file's text. */
export async function downloadText(page: Page, link: ReturnType<Page['getByRole']>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const file = await download.path();
  const { readFileSync } = await import('node:fs');
  return readFileSync(file!, 'utf8');
}
