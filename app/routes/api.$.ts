import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { jsonError, requireApiPrincipal } from '~/utils/auth.server';

/**
 * Any /api/ address no endpoint matches (a misspelt `/api/v1/outcome`), by any method: a resource
 * route, so no page's loader runs and an API client gets JSON, never the sign-in page. As for
 * pages (routes/$.tsx), sign-in comes first, so a stranger cannot tell endpoints that exist from
 * those that do not: 401 without a valid token or session, then 404.
 */
export async function loader({ request, context }: LoaderFunctionArgs): Promise<Response> {
  await requireApiPrincipal(request, context);
  throw jsonError(404, 'not_found', 'There is no endpoint at this address; the endpoints are in /api/v1/openapi.json.');
}

export function action(args: ActionFunctionArgs): Promise<Response> {
  return loader(args);
}
