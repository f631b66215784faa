import { data } from '@remix-run/node';
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useRouteError } from '@remix-run/react';
import { ErrorMessage } from '~/components/error-message';
import { requireUser } from '~/utils/auth.server';

export const meta: MetaFunction = () => [{ title: 'Page not found · Therapy outcomes' }];

/**
 * Any address no other route matches. Without this, Remix answers 404 before any loader runs, so
 * a stranger could tell pages that exist (sign-in redirect) from those that do not (404). Here
 * they are alike: sign in first; only then "not found". API paths are routes/api.$.ts's: a page
 * route's document goes through the root loader, which sends a token client to the sign-in page.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  throw data(null, { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorMessage error={useRouteError()} />;
}
