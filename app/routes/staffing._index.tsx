import { type LoaderFunctionArgs, redirect } from '@remix-run/node';
import { rolesThatCan } from '../../db/access';
import { requireUser } from '~/utils/auth.server';

/** Sends the reader on to the section's first page (/staffing/demand). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: rolesThatCan('aggregate_views') });
  return redirect('/staffing/demand');
}

/**
 * Never drawn (the loader always redirects or refuses), but it makes this a page route rather than
 * a resource route: a refusal is then drawn by the layout's error boundary as a page, not sent as
 * the bare JSON body of a resource route.
 */
export default function StaffingIndex() {
  return null;
}
