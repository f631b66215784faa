import type { AppLoadContext, LoaderFunctionArgs } from '@remix-run/node';
import { issueApiToken } from '../../app/models/accounts.server';
import type { Role } from '../../app/utils/auth.server';
import type { Warehouse } from '../../db/connection';

/**
 * Calls a resource route's loader as Remix would: a Request in, a Response out (a thrown Response,
 * such as auth's 401/403, is what the client would receive).
 */
export type Loader = (args: LoaderFunctionArgs) => Promise<Response>;

export async function callLoader(
  loader: Loader,
  warehouse: Warehouse,
  url: string,
  token: string | null,
): Promise<Response> {
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
  const request = new Request(`http://localhost${url}`, { headers });
  const context = { warehouse, clientAddress: '127.0.0.1' } as unknown as AppLoadContext;
  try {
    return await loader({ request, context, params: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A bearer token of a role (and its locations, for the roles that take them). */
export async function apiToken(warehouse: Warehouse, role: Role, locations: string[] | null = null): Promise<string> {
  const { token } = await issueApiToken(warehouse.db, {
    name: `test ${role}`,
    role,
    locations,
    createdBy: 'tests',
  });
  return token;
}
