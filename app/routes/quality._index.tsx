import { type LoaderFunctionArgs, redirect } from '@remix-run/node';
import { rolesThatCan } from '../../db/access';
import { requireUser } from '~/utils/auth.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context, { roles: rolesThatCan('data_quality') });
  return redirect('/quality/measurement');
}
