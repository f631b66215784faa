import { type LoaderFunctionArgs, redirect } from '@remix-run/node';
import { rolesThatCan } from '../../db/access';
import { requireUser } from '~/utils/auth.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: rolesThatCan('aggregate_views') });
  return redirect('/staffing/demand');
}
