import { redirect } from '@remix-run/node';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { recordAudit } from '~/utils/audit.server';
import { getOptionalUser, LOGIN_PATH, requireUser } from '~/utils/auth.server';
import { assertSameOrigin } from '~/utils/same-origin.server';
import { finishSession } from '~/utils/session.server';

/** Signing out changes state, so it is a POST (the header's button); a GET only goes home. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(request, context);
  throw redirect('/');
}

// Not requireUser: someone who has not yet replaced a one-time password may still sign out.
export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const principal = await getOptionalUser(request, context);
  if (principal) await recordAudit(context, { principal, action: 'sign_out', route: new URL(request.url).pathname });
  const setCookie = await finishSession(request, context, 'sign_out');
  return redirect(LOGIN_PATH, { headers: { 'Set-Cookie': setCookie } });
}
