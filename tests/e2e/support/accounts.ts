import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Role } from '../../../db/access';
import { ROOT } from './server';

/**
 * One account per role for browser tests, made before the server starts (embedded PGlite is
 * single-process) with passwords already chosen, so `signIn` lands on the page asked for.
 *
 *   const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
 *   createTestAccounts(env);                       // then startServer({ ..., env })
 *   await signIn(page, server.url, 'director');    // a page signed in as the Evanston director
 */
export interface TestAccount {
  email: string;
  password: string;
  role: Role;
  locations: string[] | null;
}

export const TEST_ACCOUNTS: Record<Role, TestAccount> = {
  leadership: {
    email: 'leadership@e2e.test',
    password: 'leadership e2e password',
    role: 'leadership',
    locations: null,
  },
  director: {
    email: 'director@e2e.test',
    password: 'director e2e password',
    role: 'director',
    // One demo location (etl/generate/clinic-profile.ts): the director may see it and no other.
    locations: ['Evanston'],
  },
  quality: { email: 'quality@e2e.test', password: 'quality e2e password', role: 'quality', locations: null },
  admin: { email: 'admin@e2e.test', password: 'admin e2e password', role: 'admin', locations: null },
};

/** Creates the four accounts in the warehouse that `env` (DATA_DIR, DATABASE_URL) points at. */
export function createTestAccounts(env: Record<string, string>): void {
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['tests/e2e/support/create-accounts.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    input: JSON.stringify(Object.values(TEST_ACCOUNTS)),
    stdio: ['pipe', 'inherit', 'inherit'],
  });
}

/** Signs `page` in as the test account of `role` and waits until it has left the sign-in page. */
export async function signIn(page: Page, baseUrl: string, role: Role, redirectTo = '/'): Promise<void> {
  const account = TEST_ACCOUNTS[role];
  await signInWith(page, baseUrl, account.email, account.password, redirectTo);
}

export async function signInWith(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
  redirectTo = '/',
): Promise<void> {
  await page.goto(`${baseUrl}/login?${new URLSearchParams({ redirectTo })}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/** Signs out with the header's button. */
export async function signOut(page: Page): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/login'),
    page.getByRole('button', { name: 'Sign out' }).click(),
  ]);
}
