import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Role } from '../../../db/access';
import { createTestAccounts, signIn } from './accounts';
import { recordBrowserErrors } from './page-checks';
import { ensureBuilt, freePort, launchChromium, ROOT, type ServerProcess, startServer } from './server';

/**
 * What every browser test starts from: the app (app/server/start.ts) on a free port over the
 * warehouse `env` names, the four test accounts made in it first unless the test wants the app's
 * own first run, and Debian's Chromium beside it.
 */
export async function startAppAndBrowser(
  env: Record<string, string>,
  { testAccounts = true }: { testAccounts?: boolean } = {},
): Promise<{ server: ServerProcess; browser: Browser }> {
  if (testAccounts) createTestAccounts(env);
  const server = await startServer({ script: 'app/server/start.ts', env: { ...env, PORT: String(await freePort()) } });
  const browser = await launchChromium();
  return { server, browser };
}

/**
 * A page of a context of its own, desktop-sized (1280 x 800) and taking downloads: axe needs a page
 * of an explicit context, and CSV tests read what a download link gives.
 */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    ...options,
  });
  return context.newPage();
}

/** Demo files generated into `dataDir` and loaded by the ETL into the warehouse `env` names. */
export function loadDemoFiles(
  env: Record<string, string>,
  dataDir: string,
  { episodes, seed }: { episodes: number; seed: number },
) {
  const folder = path.join(dataDir, 'demo-files');
  const etl = (args: string[]) =>
    execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['etl/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
  etl(['generate', '--out', folder, '--episodes', String(episodes), '--seed', String(seed)]);
  etl(['load', folder]);
}

/** A describe block's app, browser and signed-in page (see appSession); read its fields inside tests. */
export interface AppSession {
  readonly server: ServerProcess;
  readonly browser: Browser;
  readonly page: Page;
  /** The server's address without a trailing slash. */
  readonly base: string;
  /** What the signed-in page reported as errors (console.error, uncaught exceptions); tests empty it. */
  readonly browserErrors: string[];
}

/**
 * Registers the describe block's beforeAll and afterAll: a data folder of its own (`prefix`), the
 * warehouse `prepare` makes there (returning the app's environment), the app and a browser, one
 * page signed in as `role` (landing on `landing`); afterwards all closed, the folder removed and
 * `cleanUp` run (a server database dropped).
 */
export function appSession({
  prefix,
  prepare,
  role = 'quality',
  landing = '/',
  cleanUp,
}: {
  prefix: string;
  prepare: (dataDir: string) => Record<string, string> | Promise<Record<string, string>>;
  role?: Role;
  landing?: string;
  cleanUp?: () => Promise<void>;
}): AppSession {
  let dataDir: string | undefined;
  let started: { server: ServerProcess; browser: Browser } | undefined;
  let state: Omit<AppSession, 'browserErrors'> | undefined;
  const browserErrors: string[] = [];
  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(path.join(tmpdir(), prefix));
    started = await startAppAndBrowser(await prepare(dataDir));
    const page = await newPage(started.browser);
    recordBrowserErrors(page, browserErrors);
    state = { ...started, page, base: started.server.url.replace(/\/$/, '') };
    await signIn(page, state.base, role, landing);
  });
  afterAll(async () => {
    // Whatever got started is stopped, even when a step before sign-in failed.
    await started?.browser.close();
    await started?.server.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await cleanUp?.();
  });
  const ready = () => {
    if (!state) throw new Error('the app is not started yet');
    return state;
  };
  return {
    get server() {
      return ready().server;
    },
    get browser() {
      return ready().browser;
    },
    get page() {
      return ready().page;
    },
    get base() {
      return ready().base;
    },
    browserErrors,
  };
}
