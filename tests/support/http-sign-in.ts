import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A leadership account for HTTP clients that are not browsers (the benchmark, fault checks). */
export const HTTP_ACCOUNT = {
  email: 'http-client@bench.test',
  password: 'http client password, not a secret',
  // Admin: the one role that may open every page, so the bench can time them all.
  role: 'admin',
  locations: null,
};

/**
 * Creates HTTP_ACCOUNT in the warehouse that `env` (DATA_DIR, DATABASE_URL) points at, with the
 * auth helper's tests/e2e/support/create-accounts.ts; an account left by an earlier run is fine.
 */
export function createHttpAccount(env: Record<string, string>): void {
  try {
    execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['tests/e2e/support/create-accounts.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      input: JSON.stringify([HTTP_ACCOUNT]),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const output =
      String((error as { stderr?: Buffer }).stderr ?? '') + String((error as { stdout?: Buffer }).stdout ?? '');
    if (!/exists|duplicate|unique/i.test(output)) throw new Error(`creating the HTTP account failed:\n${output}`);
  }
}

/** Posts the sign-in form as a browser would; resolves with the Cookie header of the session. */
export async function signInOverHttp(baseUrl: string): Promise<Record<string, string>> {
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: baseUrl },
    body: new URLSearchParams({ email: HTTP_ACCOUNT.email, password: HTTP_ACCOUNT.password, redirectTo: '/' }),
  });
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  if (response.status >= 400 || cookies.length === 0)
    throw new Error(`signing in over HTTP failed (${response.status})`);
  return { Cookie: cookies.join('; ') };
}
