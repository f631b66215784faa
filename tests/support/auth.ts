import type { AppLoadContext } from '@remix-run/node';
import { createAccount, issueApiToken } from '../../app/models/accounts.server';
import { startSession } from '../../app/utils/session.server';
import type { Role } from '../../db/access';
import type { Warehouse } from '../../db/connection';

/**
 * Requests as a given role for loader, action and API tests (`context` is `{ warehouse }`):
 *
 *   const request = await requestAs(context, { role: 'director', locations: ['Evanston'] }, '/api/v1/outcomes');
 *   await loader({ request, context, params: {} });
 *
 * Each call makes a fresh account (and session) or token, so tests do not depend on each other.
 */
let counter = 0;

export interface AsWho {
  role: Role;
  locations?: string[] | null;
}

type TestContext = AppLoadContext & { warehouse: Warehouse };

/** A request carrying a signed-in session cookie of a new account with this role. */
export async function requestAs(
  context: TestContext,
  { role, locations = null }: AsWho,
  path: string,
  init: RequestInit = {},
): Promise<Request> {
  counter += 1;
  const { account } = await createAccount(context.warehouse.db, {
    email: `${role}-${counter}-${process.pid}@test.example`,
    role,
    locations,
    password: `test password ${counter} for ${role}`,
  });
  const url = `http://localhost${path}`;
  const { setCookie } = await startSession(new Request(url), context, { accountId: account.id });
  const headers = new Headers(init.headers);
  headers.set('Cookie', setCookie.split(';')[0]!);
  // State-changing requests must come from the site's own pages (unless a test says otherwise).
  if (init.method && init.method !== 'GET' && !headers.has('Origin')) headers.set('Origin', 'http://localhost');
  return new Request(url, { ...init, headers });
}

/** A request carrying `Authorization: Bearer <token>` of a new API token with this role. */
export async function requestWithToken(
  context: TestContext,
  who: AsWho,
  path: string,
  init: RequestInit = {},
): Promise<Request> {
  counter += 1;
  const { token } = await issueApiToken(context.warehouse.db, {
    name: `test token ${counter}`,
    role: who.role,
    locations: who.locations ?? null,
    createdBy: 'tests',
  });
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(`http://localhost${path}`, { ...init, headers });
}
