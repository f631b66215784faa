import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Role } from '../../../db/access';
import { createTestAccounts, signIn } from './accounts';
import { ensureBuilt, freePort, launchChromium, ROOT, type ServerProcess, startServer } from './server';

/**
 * A server over a small embedded warehouse of its own for the quality and staffing browser tests:
 * demo files of 3,000 episodes generated and loaded with the ETL (a run with checksums to show),
 * the four test accounts, then the server; a browser to drive it.
 */
export interface SmallWarehouseServer {
  server: ServerProcess;
  browser: Browser;
  dataDir: string;
  close(): Promise<void>;
}

export async function startSmallWarehouseServer(): Promise<SmallWarehouseServer> {
  ensureBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'therapy-outcomes-e2e-quality-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  const folder = path.join(dataDir, 'demo-files');
  const run = (args: string[]) =>
    execFileSync(tsx, ['etl/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
  run(['generate', '--out', folder, '--episodes', '3000', '--seed', '7']);
  run(['load', folder]);
  createTestAccounts(env);
  const server = await startServer({ script: 'app/server/start.ts', env: { ...env, PORT: String(await freePort()) } });
  const browser = await launchChromium();
  return {
    server,
    browser,
    dataDir,
    async close() {
      await browser?.close();
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A describe block's small-warehouse server and a page signed in on it (see smallWarehouseSession). */
export interface SmallWarehouseSession {
  readonly setup: SmallWarehouseServer;
  readonly page: Page;
  /** The server's address without a trailing slash. */
  readonly base: string;
}

/**
 * Registers the describe block's beforeAll and afterAll: a small-warehouse server, one page signed
 * in as `role` (landing on `landing`), all closed afterwards. Read its fields inside tests.
 */
export function smallWarehouseSession(role: Role, landing: string): SmallWarehouseSession {
  let state: SmallWarehouseSession | undefined;
  beforeAll(async () => {
    const setup = await startSmallWarehouseServer();
    const base = setup.server.url.replace(/\/$/, '');
    const page = await newPage(setup.browser);
    // Set before signing in, so a sign-in that fails still closes the server.
    state = { setup, page, base };
    await signIn(page, base, role, landing);
  });
  afterAll(async () => {
    await state?.setup.close();
  });
  const ready = () => {
    if (!state) throw new Error('the small-warehouse server is not started yet');
    return state;
  };
  return {
    get setup() {
      return ready().setup;
    },
    get page() {
      return ready().page;
    },
    get base() {
      return ready().base;
    },
  };
}

export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  return context.newPage();
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
