import { data, redirect } from '@remix-run/node';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { signIn } from '~/models/sign-in.server';
import { getOptionalUser, PASSWORD_PATH, safeRedirectPath } from '~/utils/auth.server';
import { assertSameOrigin } from '~/utils/same-origin.server';

export const meta: MetaFunction = () => [{ title: 'Sign in · Therapy outcomes' }];

const ENDED_MESSAGES: Record<string, string> = {
  idle: 'You were signed out after a while without activity. Sign in again to go on.',
  expired: 'Your session reached its time limit. Sign in again to go on.',
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const redirectTo = safeRedirectPath(url.searchParams.get('redirectTo'));
  if (await getOptionalUser(request, context)) throw redirect(redirectTo);
  return { redirectTo, endedMessage: ENDED_MESSAGES[url.searchParams.get('ended') ?? ''] ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = await request.formData();
  const email = String(form.get('email') ?? '').slice(0, 300);
  const password = String(form.get('password') ?? '').slice(0, 1000);
  const redirectTo = safeRedirectPath(form.get('redirectTo'));
  if (!email || !password) return data({ error: 'Enter your email and password.', email }, { status: 400 });
  const result = await signIn(request, context, { email, password });
  if (!result.ok) return data({ error: result.message, email }, { status: result.status });
  const next = result.mustChangePassword ? `${PASSWORD_PATH}?${new URLSearchParams({ redirectTo })}` : redirectTo;
  return redirect(next, { headers: { 'Set-Cookie': result.setCookie } });
}

export default function SignIn() {
  const { redirectTo, endedMessage } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errorRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (actionData?.error) errorRef.current?.focus();
  }, [actionData]);
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in</h1>
      {endedMessage ? <p className="notice">{endedMessage}</p> : null}
      {actionData?.error ? (
        <p className="form-error" role="alert" tabIndex={-1} ref={errorRef} id="sign-in-error">
          {actionData.error}
        </p>
      ) : null}
      <Form method="post" className="stacked-form" aria-describedby={actionData?.error ? 'sign-in-error' : undefined}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={actionData?.email ?? ''}
          autoFocus
        />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <button type="submit" disabled={navigation.state === 'submitting'}>
          {navigation.state === 'submitting' ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
      <p className="hint">No account? Ask an administrator of this service to create one for you.</p>
    </section>
  );
}
